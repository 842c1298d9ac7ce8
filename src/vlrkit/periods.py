"""Reporting periods as publishers write them: one parser for every reader.

A period is reduced to the calendar year it starts in (``year``, what trends are computed on),
the year it ends in (``end``), its kind and a canonical text; a note the publisher wrote beside
it (``2001-2005 (baseline)``, ``2020/21 [Note 5]``) is split off and kept.  Accepted forms:

============================  =====================  =============================================
written                       kind                   canonical text
============================  =====================  =============================================
``2015``, ``2015.0``          ``year``               ``2015``
``1974a``, ``1974b``          ``year``               as written (two periods
                                                     of one year)
``2015/16``, ``2015-16``,     ``split-year``         as written (``2015/16``)
``2015/2016``, ``FY2015/16``
``2013/16``, ``2012-14``,     ``range``              as written (several years, up to
``2000 - 02``, ``2015-2017``,                        :data:`MAX_RANGE_YEARS`)
``2010 to 2011``,
``2015/16 to 2017/18``,
``2002/03-2007/08``
``2020-Q1``, ``2020 Q1``,     ``quarter``            ``2020-Q1``
``Q1 2020``
``2020-S1``, ``2020-H1``      ``semester``           ``2020-S1``
``2020-03``, ``2020 03``,     ``month``              ``2020-03``
``March 2020``
``2020-W05``                  ``week``               ``2020-W05``
``2020-03-01``,               ``day``                ``2020-03-01``
``1 March 2020``
``17 May to 11 June 2023``    ``days``               as written
============================  =====================  =============================================

``YYYY-NN`` is a month when NN is 01–12 (ISO 8601: ``2011-12`` is December 2011), a split year
when NN is the next year's last two digits, and a range otherwise; with ``/`` it is never a
month.  Anything else raises :class:`PeriodError`, which readers report as a bad period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["MAX_RANGE_YEARS", "Period", "PeriodError", "parse"]

#: The longest multi-year period accepted (``1990-1999`` spans 9 years).
MAX_RANGE_YEARS = 100
#: Longest period text looked at (anything longer is not a period).
MAX_TEXT = 80
#: A two-digit end year (``2013/16``) lies at most this many years after the start.
MAX_SHORT_SPAN = 20

_MONTHS = {
    name: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1)
    for name in names
}
_MONTH_NAME = r"(?P<mon>[A-Za-z]{3,9})\.?"

_NOTE = re.compile(r"^(.*?)\s*((?:[\[(][^\[\]()]*[\])]\s*)+)$")
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
#: ``1974a``, ``1974b``: two periods of one year (the UK's two general elections of 1974)
_YEAR_PART = re.compile(r"^(\d{4})([a-z])$")
#: ``2002/03-2007/08``: a range of split years written without spaces
_SPLIT_RANGE = re.compile(r"^(\d{4}\s*/\s*\d{2,4})\s*[-–—]\s*(\d{4}\s*/\s*\d{2,4})$")
_FY = re.compile(r"^(?:FY|F\.Y\.)\s*", re.IGNORECASE)
# 2015/16, 2015-2016, 2000 - 02, 2013/16, 2012-14
_PAIR = re.compile(r"^(\d{4})\s*(?P<sep>[/\-–—])\s*(\d{2}|\d{4})$")
_TO = re.compile(r"^(.+?)\s+(?:to|until|–|—|-)\s+(.+)$", re.IGNORECASE)
_QUARTER = re.compile(r"^(?:(\d{4})\s*[-_ ]?\s*Q([1-4])|Q([1-4])\s*[-_ ]?\s*(\d{4}))$", re.IGNORECASE)
_SEMESTER = re.compile(r"^(\d{4})\s*[-_ ]?\s*[SH]([12])$", re.IGNORECASE)
_WEEK = re.compile(r"^(\d{4})\s*-?\s*W(\d{2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})(?:-|\s+)(\d{2})$")
_MONTH_WORD = re.compile(rf"^{_MONTH_NAME}\s+(?P<year>\d{{4}})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DAY_WORDS = re.compile(rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME}(?:\s+(?P<year>\d{{4}}))?$")


@dataclass(frozen=True)
class Period:
    """A reporting period: canonical text, the years it starts and ends in, its kind, a note."""

    text: str
    year: int
    kind: str  # year | split-year | range | quarter | semester | month | week | day | days
    end: int | None = None  # last calendar year it covers (None: the same as ``year``)
    note: str = ""  # what the publisher wrote beside the period ("(baseline)", "[Note 5]")

    @property
    def last(self) -> int:
        return self.year if self.end is None else self.end


class PeriodError(ValueError):
    """The text is not a period vlrkit understands."""


def _month(name: str) -> int | None:
    return _MONTHS.get(name.lower().rstrip("."))


def _years(start: int, end_text: str) -> int | None:
    """The end year of ``start``/``end_text`` (two or four digits), or None if not after it."""
    if len(end_text) == 4:
        end = int(end_text)
    else:
        short = int(end_text)
        end = start - start % 100 + short
        if end <= start:
            end += 100
        if end - start > MAX_SHORT_SPAN:
            return None
    return end if 0 < end - start <= MAX_RANGE_YEARS else None


def _pair(s: str) -> Period | None:
    m = _PAIR.match(s)
    if not m:
        return None
    start, end_text, sep = int(m.group(1)), m.group(3), m.group("sep")
    if sep == "-" and len(end_text) == 2 and " " not in s and 1 <= int(end_text) <= 12:
        return Period(f"{start}-{end_text}", start, "month")  # ISO 8601 year-month
    end = _years(start, end_text)
    if end is None:
        return None
    return Period(s, start, "split-year" if end == start + 1 else "range", end)


def _single(s: str) -> Period | None:
    """Every form of one period (no "to" range, no note)."""
    if m := _YEAR.match(s):
        return Period(m.group(1), int(m.group(1)), "year")
    if m := _YEAR_PART.match(s):
        return Period(s, int(m.group(1)), "year")
    if p := _pair(s):
        return p
    if m := _QUARTER.match(s):
        year, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return Period(f"{year}-Q{q}", int(year), "quarter")
    if m := _SEMESTER.match(s):
        return Period(f"{m.group(1)}-S{m.group(2)}", int(m.group(1)), "semester")
    if m := _WEEK.match(s):
        if 1 <= int(m.group(2)) <= 53:
            return Period(f"{m.group(1)}-W{m.group(2)}", int(m.group(1)), "week")
        return None
    if m := _MONTH.match(s):
        if 1 <= int(m.group(2)) <= 12:
            return Period(f"{m.group(1)}-{m.group(2)}", int(m.group(1)), "month")
        return None
    if (m := _MONTH_WORD.match(s)) and (mon := _month(m.group("mon"))):
        return Period(f"{m.group('year')}-{mon:02d}", int(m.group("year")), "month")
    if m := _DAY.match(s):
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if (m := _DAY_WORDS.match(s)) and m.group("year") and (mon := _month(m.group("mon"))):
        return _day(int(m.group("year")), mon, int(m.group("day")))
    return None


def _day(year: int, month: int, day: int) -> Period | None:
    try:
        date(year, month, day)
    except ValueError:
        return None
    return Period(f"{year:04d}-{month:02d}-{day:02d}", year, "day")


def _span(s: str) -> Period | None:
    """``A to B``: two periods, or a day range whose first day borrows the last one's year."""
    m = _TO.match(s) or _SPLIT_RANGE.match(s)
    if not m:
        return None
    left, right = m.group(1).strip(), m.group(2).strip()
    b = _single(right)
    if b is None:
        return None
    a = _single(left)
    if a is None and b.kind == "day" and (d := _DAY_WORDS.match(left)) and not d.group("year"):
        mon = _month(d.group("mon"))
        a = _day(b.year, mon, int(d.group("day"))) if mon else None
        if a is not None and a.text > b.text:  # "20 December to 5 January 2024"
            a = _day(b.year - 1, mon or 1, int(d.group("day")))
    if a is None or b.last < a.year or b.last - a.year > MAX_RANGE_YEARS:
        return None
    if a.kind == b.kind == "day":
        return Period(s, a.year, "days", b.year if b.year != a.year else None)
    end = b.last
    if a.kind == "year" and b.kind == "year" and end == a.year + 1:
        return Period(s, a.year, "split-year", end)  # "2010 to 2011": a financial or school year
    if end == a.year and a.kind != "split-year":
        return Period(s, a.year, "range" if a.kind in ("year", "range") else "days")
    return Period(s, a.year, "range", end)


def parse(text: object) -> Period:
    """Parse a period (see the module doc); raises :class:`PeriodError` for anything else."""
    s = " ".join(str(text).split())
    if not s or len(s) > MAX_TEXT:
        raise PeriodError(s[:MAX_TEXT])
    note = ""
    if (m := _NOTE.match(s)) and m.group(1):
        s, note = m.group(1), m.group(2).strip()
    s = _FY.sub("", s)
    p = _single(s) or _span(s)
    if p is None:
        raise PeriodError(str(text).strip()[:MAX_TEXT])
    if note:
        return Period(p.text, p.year, p.kind, p.end, note)
    return p
