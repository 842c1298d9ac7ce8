"""Row-level coercion of a raw (all-text) observation table into the tidy table, vectorised.

Readers hand over a frame whose ``period`` and ``value`` columns are still text as found in the
file, plus ``file`` and ``row``.  :func:`coerce` parses periods (each distinct text once, with
:func:`vlrkit.tidy.parse_period`) and values (polars casts), and returns the tidy frame with a
boolean ``_reject`` column marking rows that carry an error, plus the problems found.
"""

from __future__ import annotations

import re

import polars as pl

from vlrkit import tidy
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem

#: Numbers written with thousands separators or a trailing percent sign are still numbers.
_NUMBER_CLEAN = re.compile(r"^\s*([-+]?[\d,]*\.?\d+(?:[eE][-+]?\d+)?)\s*%?\s*$")


#: Periods are parsed by the one parser of the tidy table (ranges and months included).
parse_period = tidy.parse_period


def period_table(texts: pl.Series) -> pl.DataFrame:
    """Parse each distinct period text once: columns ``_ptext``, ``_period``, ``_year``."""
    uniq = texts.drop_nulls().unique().to_list()
    periods: list[str | None] = []
    years: list[int | None] = []
    for t in uniq:
        try:
            p = parse_period(t)
            periods.append(p.text)
            years.append(p.year)
        except tidy.PeriodError:
            periods.append(None)
            years.append(None)
    return pl.DataFrame(
        {"_ptext": uniq, "_period": periods, "_year": years},
        schema={"_ptext": pl.String, "_period": pl.String, "_year": pl.Int32},
    )


def parse_values(texts: pl.Series) -> pl.Series:
    """Text → Float64: plain numbers, then with thousands separators / a trailing ``%`` removed.

    ``NaN``, ``inf`` and overflowing text such as ``1e400`` parse as floats but are not values.
    """
    stripped = texts.str.strip_chars()
    number = stripped.cast(pl.Float64, strict=False)
    retry = number.is_null() & stripped.is_not_null() & (stripped != "")
    if retry.any():  # the regex only for the few cells a plain cast does not read
        cleaned = (stripped.str.extract(_NUMBER_CLEAN.pattern, 1).str.replace_all(",", "")
                   .cast(pl.Float64, strict=False))
        number = number.zip_with(~retry, cleaned)
    return number.set(~number.is_finite().fill_null(True), None)


def coerce(
    raw: pl.DataFrame, names: dict[str, dict[str, str]] | None = None
) -> tuple[pl.DataFrame, list[Problem]]:
    """Typed tidy frame (with ``_reject``) and the row problems of ``raw`` (see module doc).

    ``names`` maps file → tidy column name → the column's name in that file, for the problems.
    """
    names = names or {}

    def col(file: str, tidy_name: str) -> str:
        return names.get(file, {}).get(tidy_name, tidy_name)

    problems: list[Problem] = []
    if "obs_status" not in raw.columns:
        raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias("obs_status"))
    ptable = period_table(raw["period"])
    # each distinct text looked up (not joined: a join would copy every column of the frame)
    texts = pl.col("_ptext")
    frame = raw.rename({"period": "_ptext", "value": "_vtext"}).with_columns(
        texts.replace_strict(ptable["_ptext"], ptable["_period"], default=None, return_dtype=pl.String).alias("_period"),
        texts.replace_strict(ptable["_ptext"], ptable["_year"], default=None, return_dtype=pl.Int32).alias("_year"),
        pl.col("_vtext").str.strip_chars().alias("_vtext"),
    )
    frame = frame.with_columns(
        parse_values(frame["_vtext"]).alias("value"),
        pl.col("_period").alias("period"),
        pl.col("_year").alias("year"),
    )
    bad_period = frame.filter(pl.col("period").is_null())
    for f, r, t in bad_period.select("file", "row", "_ptext").iter_rows():
        problems.append(c.make(c.BadPeriod, f, r, col(f, "period"), value="" if t is None else t))
    blank = pl.col("_vtext").is_null() | (pl.col("_vtext") == "")
    bad_value = frame.filter(pl.col("value").is_null() & ~blank)
    for f, r, t in bad_value.select("file", "row", "_vtext").iter_rows():
        problems.append(c.make(c.NonNumericValue, f, r, col(f, "value"), value=t))
    missing = frame.filter(blank)
    for f, r in missing.select("file", "row").iter_rows():
        problems.append(c.make(c.MissingValue, f, r, col(f, "value")))
    status_ok = pl.col("obs_status").is_null() | pl.col("obs_status").is_in(list(tidy.OBS_STATUS))
    bad_status = frame.filter(~status_ok)
    for f, r, t in bad_status.select("file", "row", "obs_status").iter_rows():
        problems.append(c.make(c.BadCode, f, r, col(f, "obs_status"), value=t))
    frame = frame.with_columns(
        pl.when(blank & pl.col("obs_status").is_null()).then(pl.lit("M")).otherwise(pl.col("obs_status")).alias("obs_status"),
        (pl.col("period").is_null() | (pl.col("value").is_null() & ~blank) | ~status_ok).alias("_reject"),
    ).drop("_ptext", "_vtext", "_period", "_year")
    out = tidy.conform(frame)
    return out, problems
