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
``unit``              str        unit of measure as the publisher writes it (Open SDG ``Units``,
                                 ``Unit measure`` or SDMX ``UNIT_MEASURE``), "" if none
``series``            str        the publisher's series (Open SDG ``Series``, SDMX ``SERIES``),
                                 "" if none — never anything else (see :mod:`vlrkit.series`)
``breakdown``         str        the disaggregations that are not one of :data:`DIMENSIONS`, as a
                                 canonical JSON object of original column → label (sorted keys),
                                 "" when the row has none (:func:`breakdown_text`)
``SEX`` … ``GEO``     str        coded disaggregation dimensions (see :data:`DIMENSIONS`);
                                 null means "not disaggregated by this dimension" (total)
``obs_status``        str        SDMX OBS_STATUS code (``A`` normal, ``E`` estimated, ``M``
                                 missing …: :data:`OBS_STATUS`; labels are mapped by
                                 :func:`obs_status_code`), null when the publisher gave none
``source``            str        where the value comes from
``labels``            str        JSON object: original column → original label, lossless
``import_id``         str        provenance: the import that brought the row in
``file``, ``row``     str, Int64 provenance: source file and 1-based data row
====================  =========  ==============================================================

Dimension codes follow the SDMX code lists of the UN SDG global database where they exist
(``F``/``M`` for SEX, ``Y15T24``-style ages, ``Q1``…``Q5`` quintiles, ``U``/``R``).  A row
whose dimensions are all null and whose ``breakdown`` is empty is a *total* row of its series
(:func:`is_total`).  A missing observation has a null ``value``; the publisher's marker
(``n/a``, ``..``, ``x``…) is kept in ``labels`` and its status is a missing code
(:data:`MISSING_STATUS`).
"""

from __future__ import annotations

import json
import re

import polars as pl

from vlrkit import periods

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

#: SDMX OBS_STATUS codes (the SDMX global code list CL_OBS_STATUS, as the UN SDG data structure
#: uses it).
OBS_STATUS: dict[str, dict[str, str]] = {
    "A": {"en": "Normal value", "zh-Hans": "正常值"},
    "B": {"en": "Time series break", "zh-Hans": "序列断点"},
    "D": {"en": "Definition differs", "zh-Hans": "定义不同"},
    "E": {"en": "Estimated value", "zh-Hans": "估计值"},
    "F": {"en": "Forecast value", "zh-Hans": "预测值"},
    "G": {"en": "Experimental value", "zh-Hans": "试验性数值"},
    "H": {"en": "Missing value; holiday or weekend", "zh-Hans": "缺失值（节假日或周末）"},
    "I": {"en": "Imputed value", "zh-Hans": "插补值"},
    "K": {"en": "Data included in another category", "zh-Hans": "数据计入其他类别"},
    "L": {"en": "Missing value; data exist but were not collected", "zh-Hans": "缺失值（数据存在但未收集）"},
    "M": {"en": "Missing value", "zh-Hans": "缺失值"},
    "N": {"en": "Not significant", "zh-Hans": "不显著"},
    "O": {"en": "Missing value", "zh-Hans": "缺失值"},
    "P": {"en": "Provisional value", "zh-Hans": "初步值"},
    "Q": {"en": "Missing value; suppressed", "zh-Hans": "缺失值（已隐去）"},
    "S": {"en": "Strike and other special events", "zh-Hans": "罢工等特殊事件"},
    "U": {"en": "Low reliability", "zh-Hans": "可靠性低"},
    "V": {"en": "Unvalidated value", "zh-Hans": "未经验证的数值"},
}
#: Status codes that say the value is missing; ``M`` is the one given to a bare missing marker.
MISSING_STATUS = frozenset({"H", "L", "M", "O", "Q"})

#: Status labels as Open SDG repositories write them (normalised: lower case, letters only)
#: beyond the code list's own names.
_STATUS_SYNONYMS = {
    "normal": "A", "normalvalue": "A", "estimate": "E", "estimated": "E", "provisional": "P",
    "forecast": "F", "break": "B", "missing": "M", "missingdata": "M", "missingvalue": "M",
    "missingvaluedatacannotexist": "M", "missingdatasuppressed": "Q", "suppressed": "Q",
    "lowreliability": "U", "unvalidated": "V", "imputed": "I", "imputedvalueccsadefinition": "I",
    "experimental": "G", "notsignificant": "N", "definitiondiffers": "D",
}
_STATUS_LABELS = {
    **{re.sub(r"[^a-z]", "", v["en"].lower()): k for k, v in OBS_STATUS.items() if k != "O"},
    **_STATUS_SYNONYMS,
}
#: Values that mean "no value here" (compared lower-case, after trimming): kept as missing
#: observations, never rejected.
MISSING_MARKERS = frozenset({
    "", "n/a", "na", "n.a.", "n.a", "..", "...", ".", "-", "–", "—", "x", ":", "*", "c", "z",
    "[c]", "[x]", "[z]", "[u]", "[low]", "nan", "null", "none", "nil", "n/d", "nd", "not available",
    "no data", "missing", "s", "#n/a",
})


def obs_status_code(text: str | None) -> str | None:
    """The OBS_STATUS code of a code or a label (``Normal value`` → ``A``, ``E`` → ``E``,
    ``Low reliability; Time series break`` → ``U``: the first part that is known), or None when
    the text names no status (``Undefined``, a free note): the text itself is kept in labels."""
    if text is None:
        return None
    s = text.strip()
    if s.upper() in OBS_STATUS:
        return s.upper()
    key = re.sub(r"[^a-z]", "", s.lower())
    if key in _STATUS_LABELS:
        return _STATUS_LABELS[key]
    for part in s.split(";"):
        code = _STATUS_LABELS.get(re.sub(r"[^a-z]", "", part.lower()))
        if code:
            return code
    return None


def is_missing_marker(text: str | None) -> bool:
    """True for an empty cell or a conventional "no value" marker (:data:`MISSING_MARKERS`)."""
    return text is None or text.strip().lower() in MISSING_MARKERS


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
    "breakdown": pl.String(),
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
#: Columns that identify one observation within a review (the store's unique key).
KEY: tuple[str, ...] = ("indicator", "period", "series", "unit", "breakdown", *DIMENSIONS)


def breakdown_text(labels: dict[str, str]) -> str:
    """The canonical ``breakdown`` of a row: its uncoded disaggregations, column → label, as
    compact JSON with sorted keys ("" when there are none), so equal breakdowns compare equal."""
    kept = {str(k): str(v) for k, v in labels.items() if v is not None and str(v) != ""}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True, separators=(",", ":")) if kept else ""


def breakdown_of(text: str | None) -> dict[str, str]:
    """The breakdown JSON of a row as a dict (empty for "" or null)."""
    return json.loads(text) if text else {}


def is_total() -> pl.Expr:
    """Rows that are a series' total: no coded dimension and no breakdown."""
    return pl.all_horizontal(
        *[pl.col(d).is_null() | (pl.col(d) == "") for d in DIMENSIONS],
        pl.col("breakdown").is_null() | (pl.col("breakdown") == ""),
    )


def empty() -> pl.DataFrame:
    """An empty tidy observation table with the canonical schema."""
    return pl.DataFrame(schema=SCHEMA)


#: Columns whose "none" is "" rather than null, so that equal keys compare equal everywhere.
_EMPTY_IS_NONE = frozenset({"series", "breakdown"})


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``frame`` with every canonical column present (missing ones null; ``series`` and
    ``breakdown`` "" when there is none), in order, cast.

    Extra columns are kept after the canonical ones, so nothing a reader found is lost.
    """
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in SCHEMA.items() if c not in frame.columns]
    if missing:
        frame = frame.with_columns(missing)
    extra = [c for c in frame.columns if c not in SCHEMA]
    return frame.select([pl.col(c).cast(t) if c not in _EMPTY_IS_NONE else pl.col(c).cast(t).fill_null("")
                         for c, t in SCHEMA.items()] + [pl.col(c) for c in extra])


# --- periods ---------------------------------------------------------------------------------

#: Periods are parsed by one parser for every reader (:mod:`vlrkit.periods`).
Period = periods.Period
PeriodError = periods.PeriodError
parse_period = periods.parse
MAX_RANGE_YEARS = periods.MAX_RANGE_YEARS
