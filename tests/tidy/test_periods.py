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
        ("2015/16", Period("2015/16", 2015, "split-year")),
        ("2015-16", Period("2015-16", 2015, "split-year")),
        ("2015–16", Period("2015–16", 2015, "split-year")),
        ("2015-2016", Period("2015-2016", 2015, "split-year")),
        ("1999/00", Period("1999/00", 1999, "split-year")),
        ("1990-1999", Period("1990-1999", 1990, "range")),
        ("2020-03", Period("2020-03", 2020, "month")),
        ("2011-12", Period("2011-12", 2011, "month")),  # ISO 8601: December 2011
        ("2020-Q1", Period("2020-Q1", 2020, "quarter")),
        ("2020q4", Period("2020-Q4", 2020, "quarter")),
        ("2020-S2", Period("2020-S2", 2020, "semester")),
        ("2020-02-29", Period("2020-02-29", 2020, "day")),
    ],
)
def test_accepted_periods(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "2015/17", "2020-13", "2021-02-29", "1900-2100",
                                  "2015-Q5", "15", "2015-2015"])
def test_refused_periods(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@given(st.integers(1000, 9998))
def test_every_year_and_its_split_year(year):
    assert parse_period(str(year)).year == year
    assert parse_period(f"{year}/{(year + 1) % 100:02d}").kind == "split-year"
