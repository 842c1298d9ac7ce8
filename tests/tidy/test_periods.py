"""Periods: every form cities report in, and clear refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vlrkit.tidy import Period, PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015", Period("2015", 2015, "year")),
        ("2015.0", Period("2015", 2015, "year")),
        ("2015/16", Period("2015/16", 2015, "split-year", 2016)),
        ("2015-16", Period("2015-16", 2015, "split-year", 2016)),
        ("2015–16", Period("2015–16", 2015, "split-year", 2016)),
        ("2015-2016", Period("2015-2016", 2015, "split-year", 2016)),
        ("1999/00", Period("1999/00", 1999, "split-year", 2000)),
        ("1990-1999", Period("1990-1999", 1990, "range", 1999)),
        ("2020-03", Period("2020-03", 2020, "month")),
        ("2011-12", Period("2011-12", 2011, "month")),  # ISO 8601: December 2011
        ("2020-Q1", Period("2020-Q1", 2020, "quarter")),
        ("2020q4", Period("2020-Q4", 2020, "quarter")),
        ("2020-S2", Period("2020-S2", 2020, "semester")),
        ("2020-02-29", Period("2020-02-29", 2020, "day")),
        # as the real repositories write them (UK ONS, Bristol, Kazakhstan)
        ("2013/16", Period("2013/16", 2013, "range", 2016)),
        ("2015/17", Period("2015/17", 2015, "range", 2017)),
        ("2012-14", Period("2012-14", 2012, "range", 2014)),
        ("2000 - 02", Period("2000 - 02", 2000, "range", 2002)),
        ("2010 to 2011", Period("2010 to 2011", 2010, "split-year", 2011)),
        ("1980 to 1990", Period("1980 to 1990", 1980, "range", 1990)),
        ("2015/16 to 2017/18", Period("2015/16 to 2017/18", 2015, "range", 2018)),
        ("2002/03-2007/08", Period("2002/03-2007/08", 2002, "range", 2008)),
        ("2001-2005 (baseline)", Period("2001-2005", 2001, "range", 2005, "(baseline)")),
        ("2020/21 [Note 5]", Period("2020/21", 2020, "split-year", 2021, "[Note 5]")),
        ("17 May to 11 June 2023", Period("17 May to 11 June 2023", 2023, "days")),
        ("1993 01", Period("1993-01", 1993, "month")),
        ("March 2020", Period("2020-03", 2020, "month")),
        ("Q3 2021", Period("2021-Q3", 2021, "quarter")),
        ("2020-W05", Period("2020-W05", 2020, "week")),
        ("1 March 2020", Period("2020-03-01", 2020, "day")),
        ("FY2019/20", Period("2019/20", 2019, "split-year", 2020)),
        ("1974a", Period("1974a", 1974, "year")),
    ],
)
def test_accepted_periods(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "2015/14", "2020-13", "2021-02-29", "1900-2100",
                                  "2015-Q5", "15", "2015-2015", "2020-W60", "31 February 2020",
                                  "There is no data for this indicator yet", "2015 to 2010", "x" * 200])
def test_refused_periods(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@given(st.integers(1000, 9900), st.integers(2, 20))
def test_every_range_starts_where_it_is_written(start, span):
    """A range's start and end years are the ones written, in either spelling."""
    end = start + span
    for text in (f"{start}-{end}", f"{start}/{end % 100:02d}", f"{start} to {end}"):
        p = parse_period(text)
        assert (p.year, p.last) == (start, end), text
        assert p.kind == "range"


@given(st.integers(1000, 9998))
def test_every_year_and_its_split_year(year):
    assert parse_period(str(year)).year == year
    assert parse_period(f"{year}/{(year + 1) % 100:02d}").kind == "split-year"
