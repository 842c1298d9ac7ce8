"""The tidy observation table: the one shape in which data moves between vlrkit's parts.

Readers (``vlrkit.formats``) produce it, the store saves and loads it, the assessment
(``vlrkit.assess``) computes on it and the report shows it.  One row is one observation:

====================  =========  ==============================================================
column                type       meaning
====================  =========  ==============================================================
``entity``            str        code of the city/region the value describes
``indicator``         str        local indicator code (e.g. ``"LA-1-1-1"`` or ``"1.1.1"``)
``period``            str        the period as reported: ``2015``, ``2015/16``, ``2020-Q1``,
                                 ``2020-03``, ``2020-03-01``
``year``              Int32      the calendar year the period starts in (for trends)
``value``             Float64    the value, in ``unit`` (null only for a missing observation)
``unit``              str        unit of measure (free text or an SDMX UNIT_MEASURE code)
``series``            str        series within the indicator (Open SDG ``Series``), "" if none
``SEX`` … ``GEO``     str        coded disaggregation dimensions (see :data:`DIMENSIONS`);
                                 null means "not disaggregated by this dimension" (total)
``obs_status``        str        SDMX OBS_STATUS code (``A`` normal, ``E`` estimated, …)
``source``            str        where the value comes from
``labels``            str        JSON object: original column → original label, lossless
``import_id``         str        provenance: the import that brought the row in
``file``, ``row``     str, Int64 provenance: source file and 1-based data row
====================  =========  ==============================================================

Dimension codes follow the SDMX code lists of the UN SDG global database where they exist
(``F``/``M`` for SEX, ``Y15T24``-style ages, ``Q1``…``Q5`` quintiles, ``U``/``R``).  A row
whose dimensions are all null is the *headline* (total) value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import polars as pl

#: Coded disaggregation dimensions, in their canonical order, with the SDMX concept each maps to.
DIMENSIONS: tuple[str, ...] = (
    "SEX",
    "AGE",
    "INCOME_WEALTH_QUANTILE",
    "DISABILITY_STATUS",
    "MIGRATORY_STATUS",
    "ETHNICITY",
    "URBANISATION",
    "EDUCATION_LEV",
    "ACTIVITY",
    "GEO",
)

#: Known codes for the closed dimensions (others, such as AGE ranges, ETHNICITY and GEO, are open).
DIMENSION_CODES: dict[str, dict[str, dict[str, str]]] = {
    "SEX": {
        "F": {"en": "Female", "zh-Hans": "女性"},
        "M": {"en": "Male", "zh-Hans": "男性"},
        "_T": {"en": "Total", "zh-Hans": "合计"},
    },
    "INCOME_WEALTH_QUANTILE": {
        "Q1": {"en": "Lowest quintile", "zh-Hans": "最低五分位"},
        "Q2": {"en": "Second quintile", "zh-Hans": "第二五分位"},
        "Q3": {"en": "Middle quintile", "zh-Hans": "中间五分位"},
        "Q4": {"en": "Fourth quintile", "zh-Hans": "第四五分位"},
        "Q5": {"en": "Highest quintile", "zh-Hans": "最高五分位"},
    },
    "DISABILITY_STATUS": {
        "PD": {"en": "Persons with disability", "zh-Hans": "残疾人"},
        "PWD": {"en": "Persons without disability", "zh-Hans": "非残疾人"},
    },
    "MIGRATORY_STATUS": {
        "MIGRANT": {"en": "Migrants", "zh-Hans": "流动人口"},
        "NONMIGRANT": {"en": "Non-migrants", "zh-Hans": "户籍人口"},
    },
    "URBANISATION": {
        "U": {"en": "Urban", "zh-Hans": "城镇"},
        "R": {"en": "Rural", "zh-Hans": "农村"},
    },
}

#: Dimension titles for display.
DIMENSION_TITLES: dict[str, dict[str, str]] = {
    "SEX": {"en": "Sex", "zh-Hans": "性别"},
    "AGE": {"en": "Age group", "zh-Hans": "年龄组"},
    "INCOME_WEALTH_QUANTILE": {"en": "Income quintile", "zh-Hans": "收入五分位"},
    "DISABILITY_STATUS": {"en": "Disability status", "zh-Hans": "残疾状况"},
    "MIGRATORY_STATUS": {"en": "Migratory status", "zh-Hans": "流动状况"},
    "ETHNICITY": {"en": "Race/ethnicity", "zh-Hans": "民族/族裔"},
    "URBANISATION": {"en": "Urban/rural", "zh-Hans": "城乡"},
    "EDUCATION_LEV": {"en": "Education level", "zh-Hans": "受教育程度"},
    "ACTIVITY": {"en": "Employment status", "zh-Hans": "就业状况"},
    "GEO": {"en": "Geographic area", "zh-Hans": "地区"},
}

#: SDMX OBS_STATUS codes we accept.
OBS_STATUS: dict[str, dict[str, str]] = {
    "A": {"en": "Normal value", "zh-Hans": "正常值"},
    "E": {"en": "Estimated value", "zh-Hans": "估计值"},
    "P": {"en": "Provisional value", "zh-Hans": "初步值"},
    "F": {"en": "Forecast value", "zh-Hans": "预测值"},
    "B": {"en": "Time series break", "zh-Hans": "序列断点"},
    "M": {"en": "Missing value", "zh-Hans": "缺失值"},
}

_AGE_RANGE = re.compile(r"^Y(\d+)T(\d+)$")
_AGE_GE = re.compile(r"^Y_?GE(\d+)$")
_AGE_LT = re.compile(r"^Y_?LT(\d+)$")


def code_title(dimension: str, code: str, lang: str = "en") -> str:
    """A readable name for a dimension code: ``F`` → Female/女性, ``Y15T24`` → 15–24 / 15–24岁.

    Codes of open dimensions (districts, ethnic groups) come back unchanged; a review's own
    labels (:class:`vlrkit.review.CodeLabel`) take precedence where it has them.
    """
    zh = lang.lower().startswith("zh")
    known = DIMENSION_CODES.get(dimension, {}).get(code)
    if known:
        return known["zh-Hans" if zh else "en"]
    if code == "_T":
        return "合计" if zh else "Total"
    if dimension == "AGE":
        if m := _AGE_RANGE.match(code):
            return f"{m.group(1)}–{m.group(2)}岁" if zh else f"{m.group(1)}–{m.group(2)}"
        if m := _AGE_GE.match(code):
            return f"{m.group(1)}岁及以上" if zh else f"{m.group(1)}+"
        if m := _AGE_LT.match(code):
            return f"{m.group(1)}岁以下" if zh else f"under {m.group(1)}"
    return code


SCHEMA: dict[str, pl.DataType] = {
    "entity": pl.String(),
    "indicator": pl.String(),
    "period": pl.String(),
    "year": pl.Int32(),
    "value": pl.Float64(),
    "unit": pl.String(),
    "series": pl.String(),
    **{d: pl.String() for d in DIMENSIONS},
    "obs_status": pl.String(),
    "source": pl.String(),
    "labels": pl.String(),
    # provenance: which import, file and row the observation came from (null if typed in)
    "import_id": pl.String(),
    "file": pl.String(),
    "row": pl.Int64(),
}

COLUMNS: tuple[str, ...] = tuple(SCHEMA)


def empty() -> pl.DataFrame:
    """An empty tidy observation table with the canonical schema."""
    return pl.DataFrame(schema=SCHEMA)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``frame`` with every canonical column present (missing ones null), in order, cast.

    Extra columns are kept after the canonical ones, so nothing a reader found is lost.
    """
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in SCHEMA.items() if c not in frame.columns]
    if missing:
        frame = frame.with_columns(missing)
    extra = [c for c in frame.columns if c not in SCHEMA]
    return frame.select([pl.col(c).cast(t) for c, t in SCHEMA.items()] + [pl.col(c) for c in extra])


# --- periods ----------------------------------------------------------------------------------

_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_YEAR_PAIR = re.compile(r"^(\d{4})\s*[/\-–]\s*(\d{4})$")
_SPLIT_SHORT = re.compile(r"^(\d{4})\s*[/–]\s*(\d{2})$|^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_SEMESTER = re.compile(r"^(\d{4})\s*-?\s*S([12])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

#: The longest multi-year period accepted (``1990-1999`` spans 9 years).
MAX_RANGE_YEARS = 100


@dataclass(frozen=True)
class Period:
    """A reporting period: its text as given, the year it starts in and its kind."""

    text: str
    year: int
    kind: str  # "year" | "split-year" | "range" | "quarter" | "semester" | "month" | "day"


class PeriodError(ValueError):
    """The text is not a period vlrkit understands."""


def parse_period(text: object) -> Period:
    """Parse a period into its text, start year and kind.

    Accepted: ``2015``; split years ``2015/16``, ``2015-16``, ``2015/2016``, ``2015-2016``;
    multi-year ranges ``1990-1999`` (up to :data:`MAX_RANGE_YEARS`); quarters ``2020-Q1``;
    semesters ``2020-S1``; months ``2020-03``; days ``2020-03-01``.  ``2020-03`` is a month,
    while ``2020-21`` is a split year (``YYYY-NN`` is a split year only when NN is the next
    year's last two digits and not a valid month, or when written with ``/``).

    Raises :class:`PeriodError` for anything else; callers turn that into a validation problem.
    """
    s = str(text).strip()
    if m := _YEAR.match(s):
        return Period(m.group(1), int(m.group(1)), "year")
    if m := _YEAR_PAIR.match(s):
        start, end = int(m.group(1)), int(m.group(2))
        if end == start + 1:
            return Period(s, start, "split-year")
        if 1 < end - start <= MAX_RANGE_YEARS:
            return Period(s, start, "range")
        raise PeriodError(s)
    if m := _QUARTER.match(s):
        return Period(f"{m.group(1)}-Q{m.group(2)}", int(m.group(1)), "quarter")
    if m := _SEMESTER.match(s):
        return Period(f"{m.group(1)}-S{m.group(2)}", int(m.group(1)), "semester")
    if m := _SPLIT_SHORT.match(s):
        start = int(m.group(1) or m.group(3))
        short = int(m.group(2) or m.group(4))
        dash_month = m.group(3) is not None and 1 <= short <= 12
        if not dash_month and short == (start + 1) % 100:
            return Period(s, start, "split-year")
    if m := _MONTH.match(s):
        if 1 <= int(m.group(2)) <= 12:
            return Period(s, int(m.group(1)), "month")
        raise PeriodError(s)
    if m := _DAY.match(s):
        try:
            date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            raise PeriodError(s) from exc
        return Period(s, int(m.group(1)), "day")
    raise PeriodError(s)
