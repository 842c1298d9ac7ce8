"""Row-level coercion of a raw (all-text) observation table into the tidy table, vectorised.

Readers hand over a frame whose ``period``, ``value`` and ``obs_status`` columns are still text
as found in the file, plus ``file`` and ``row`` (and ``labels``, the original cells).
:func:`coerce` parses

- periods, each distinct text once with :func:`vlrkit.tidy.parse_period` (the canonical text is
  stored; when the file wrote it otherwise — ``1993 01``, ``2020/21 [Note 5]`` — the original
  cell is kept in ``labels``);
- values with polars casts: numbers (thousands separators and a trailing ``%`` allowed); an
  empty cell or a missing-value marker (``n/a``, ``..``, ``x``…: :data:`vlrkit.tidy.MISSING_MARKERS`)
  is a *missing observation* — value null, status ``M`` unless the file gave a missing code, the
  marker kept in ``labels`` — never a rejected row; any other text is a non-numeric value (error);
- statuses: codes or labels (``Normal value`` → ``A``) through :func:`vlrkit.tidy.obs_status_code`;
  a text that names no status (``Undefined``, a note) leaves the status empty and is kept in
  ``labels``.

It returns the tidy frame with a boolean ``_reject`` column marking rows that carry an error,
plus the problems found.
"""

from __future__ import annotations

import json
import re

import polars as pl

from vlrkit import tidy
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.report import PROBLEMS_PER_TYPE, row_problems

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


def _status_table(texts: pl.Series) -> pl.DataFrame:
    uniq = texts.drop_nulls().unique().to_list()
    return pl.DataFrame({"_stext": uniq, "_scode": [tidy.obs_status_code(t) for t in uniq]},
                        schema={"_stext": pl.String, "_scode": pl.String})


def keep_original(frame: pl.DataFrame, text: str, wanted: pl.Expr, column_of: dict[str, str]) -> pl.DataFrame:
    """Add ``{<the file's column name>: <cell text>}`` to ``labels`` on the rows where ``wanted``
    holds and the labels do not already carry that column (the reader may have kept it)."""
    need = frame.filter(wanted).select("file", text).unique()
    if need.is_empty():
        return frame
    frags = pl.DataFrame(
        {"file": need["file"], text: need[text],
         "_frag": [json.dumps(column_of.get(f, text), ensure_ascii=False) + ":" + json.dumps(v, ensure_ascii=False)
                   for f, v in need.iter_rows()],
         "_key": [json.dumps(column_of.get(f, text), ensure_ascii=False) + ":" for f, _ in need.iter_rows()]},
        schema={"file": pl.String, text: pl.String, "_frag": pl.String, "_key": pl.String},
    )
    labels = pl.col("labels").fill_null("{}")
    splice = (pl.when(labels == "{}").then(pl.concat_str(pl.lit("{"), pl.col("_frag"), pl.lit("}")))
              .otherwise(pl.concat_str(labels.str.strip_suffix("}"), pl.lit(","), pl.col("_frag"), pl.lit("}"))))
    has = labels.str.contains(pl.col("_key"), literal=True)
    return (frame.join(frags, on=["file", text], how="left", maintain_order="left", nulls_equal=True)
            .with_columns(pl.when(pl.col("_frag").is_not_null() & ~has.fill_null(False))
                          .then(splice).otherwise(pl.col("labels")).alias("labels"))
            .drop("_frag", "_key"))


def coerce(
    raw: pl.DataFrame, names: dict[str, dict[str, str]] | None = None, per_type: int = PROBLEMS_PER_TYPE
) -> tuple[pl.DataFrame, list[Problem]]:
    """Typed tidy frame (with ``_reject``) and the row problems of ``raw`` (see module doc).

    ``names`` maps file → tidy column name → the column's name in that file, for the problems
    and for the original cells kept in ``labels``.  Past ``per_type`` rows of one file with the
    same problem, the others are counted on one line (:func:`~vlrkit.validation.report.row_problems`).
    """
    names = names or {}

    def col(file: str, tidy_name: str) -> str:
        return names.get(file, {}).get(tidy_name, tidy_name)

    def column_of(tidy_name: str) -> dict[str, str]:
        return {f: n[tidy_name] for f, n in names.items() if tidy_name in n}

    problems: list[Problem] = []
    for name in ("obs_status", "labels"):
        if name not in raw.columns:
            raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    ptable = period_table(raw["period"])
    stable = _status_table(raw["obs_status"])
    # each distinct text looked up (not joined: a join would copy every column of the frame)
    ptext, stext = pl.col("_ptext"), pl.col("_stext")
    frame = raw.rename({"period": "_ptext", "value": "_vtext", "obs_status": "_stext"}).with_columns(
        ptext.replace_strict(ptable["_ptext"], ptable["_period"], default=None, return_dtype=pl.String).alias("_period"),
        ptext.replace_strict(ptable["_ptext"], ptable["_year"], default=None, return_dtype=pl.Int32).alias("_year"),
        stext.replace_strict(stable["_stext"], stable["_scode"], default=None, return_dtype=pl.String).alias("_scode"),
        pl.col("_vtext").str.strip_chars().alias("_vtext"),
    )
    frame = frame.with_columns(
        parse_values(frame["_vtext"]).alias("value"),
        pl.col("_period").alias("period"),
        pl.col("_year").alias("year"),
    )
    problems += row_problems(
        frame.filter(pl.col("period").is_null()), ["_ptext"],
        lambda f, r, t: c.make(c.BadPeriod, f, r, col(f, "period"), value="" if t is None else t), per_type)
    markers = list(tidy.MISSING_MARKERS)
    marker = pl.col("_vtext").is_null() | pl.col("_vtext").str.to_lowercase().is_in(markers)
    problems += row_problems(frame.filter(pl.col("value").is_null() & ~marker), ["_vtext"],
                             lambda f, r, t: c.make(c.NonNumericValue, f, r, col(f, "value"), value=t), per_type)
    problems += row_problems(frame.filter(pl.col("value").is_null() & marker), [],
                             lambda f, r: c.make(c.MissingValue, f, r, col(f, "value")), per_type)
    # originals the canonical table would otherwise lose: a period written another way, a
    # missing marker, a status label that is not a code
    frame = keep_original(frame, "_ptext", pl.col("_period").is_not_null() & (pl.col("_ptext") != pl.col("_period")),
                          column_of("period"))
    frame = keep_original(frame, "_vtext", pl.col("value").is_null() & marker & pl.col("_vtext").is_not_null()
                          & (pl.col("_vtext") != ""), column_of("value"))
    frame = keep_original(frame, "_stext", pl.col("_stext").is_not_null() & (pl.col("_stext") != "")
                          & (pl.col("_scode").is_null() | (pl.col("_scode") != pl.col("_stext"))),
                          column_of("obs_status"))
    is_missing = pl.col("value").is_null() & marker
    frame = frame.with_columns(
        pl.when(is_missing & ~pl.col("_scode").fill_null("").is_in(list(tidy.MISSING_STATUS)))
        .then(pl.lit("M")).otherwise(pl.col("_scode")).alias("obs_status"),
        (pl.col("period").is_null() | (pl.col("value").is_null() & ~marker)).alias("_reject"),
    ).drop("_ptext", "_vtext", "_stext", "_scode", "_period", "_year")
    out = tidy.conform(frame)
    return out, problems
