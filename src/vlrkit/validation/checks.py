"""Checks across rows of a tidy observation table, vectorised with polars.

Each check takes the (coerced) tidy frame and returns the problems it finds; :func:`run_all`
runs them and marks rows that carry an error in ``_reject``.  The checks:

- several areas in one file (``entity``, SDMX ``REF_AREA``): a review covers one place and the
  observation key has no area, so such a file is refused as a whole — one error naming the areas
  and their rows; its rows are rejected and not judged further (they would otherwise each be
  reported as a duplicate of another area's row) — error;
- duplicate observation (same key as an earlier row) — error;
- unknown indicator (when the caller says which indicators exist) — error;
- unit mismatch with the indicator's declared unit (tidy/SDMX layouts) — error;
- percentage outside 0–100 (percent units that are not changes/growth rates) — error;
- value outside the plausible range of its unit (negative counts, rates above their base,
  magnitudes beyond :data:`MAX_ABS_VALUE`) — error;
- suspicious jump: a period-to-period change whose robust z-score (median/MAD of the series'
  changes) exceeds :data:`JUMP_Z_LIMIT` and that changes the value by more than
  :data:`JUMP_MIN_RELATIVE` — warning;
- headline vs groups: groups of one dimension adding up to more than the headline, for units
  that are counts (``Number``, ``Persons``…) — warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import polars as pl

from vlrkit import tidy
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.report import PROBLEMS_PER_TYPE, row_problems

#: Columns identifying one observation (the store's unique key, without the entity).
KEY: tuple[str, ...] = tidy.KEY
#: Robust z-score above which a change between consecutive periods is flagged.
JUMP_Z_LIMIT = 6.0
#: A jump must also change the value by at least this share of the previous value.
JUMP_MIN_RELATIVE = 0.25
#: Fewest observations in a series before jumps are judged.
JUMP_MIN_POINTS = 5
#: Scale factor making the MAD a consistent estimator of the standard deviation.
MAD_SCALE = 1.4826
#: The same for the mean absolute deviation (used when the MAD is 0).
MEANAD_SCALE = 1.2533
#: Groups may exceed the headline by this share before the totals are called inconsistent.
TOTAL_TOLERANCE = 0.01
#: Largest magnitude any value may have.
MAX_ABS_VALUE = 1e15
#: Most areas a ``several-areas`` problem names (the rest are counted).
AREAS_NAMED = 10

#: Error types a user may accept after review (``vlr import --accept TYPE``): judgements about
#: plausible values, which a city can know better (e.g. spending at 103 % of the budget).
ACCEPTABLE = frozenset({"percentage-out-of-range", "implausible-value", "unit-mismatch"})
#: The same judgements on data its publisher has already published (an Open SDG repository: a
#: gross enrolment rate of 104.8 %, debt service at 171 % of exports) are warnings: the unit
#: alone cannot prove such a value wrong, and the published figure is the publisher's to stand by.
PUBLISHED_NOTE = {"en": " (published data: check it, it is kept)", "zh-Hans": "（已发布的数据：请核查，已保留）"}

#: Longest text the store keeps per column (the observation table's column sizes).
FIELD_LIMITS: dict[str, int] = {
    "indicator": 64, "period": 80, "obs_status": 4,
    **{d: 128 if d in ("ETHNICITY", "EDUCATION_LEV", "ACTIVITY", "GEO") else 64 for d in tidy.DIMENSIONS},
}

_PERCENT = r"(?i)(percent|%|percentage|\bpct\b|百分比)"
_NOT_LEVEL = r"(?i)(change|growth|difference|increase|decrease|gap|point|rate of|变化|增长)"
_COUNT = r"(?i)^(number|count|persons|people|population|deaths|households|units|total\b|人|户|个)"
#: Unit patterns with a per-base rate: (regex, upper bound).
_RATES: tuple[tuple[str, float], ...] = (
    (r"(?i)per\s*1,?000($|[^,0-9])", 1_000.0),
    (r"(?i)per\s*10,?000($|[^,0-9])", 10_000.0),
    (r"(?i)per\s*100,?000($|[^,0-9])", 100_000.0),
)


def _keyed(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with null key parts filled by "" so that nulls compare equal."""
    return frame.with_columns([pl.col(k).fill_null("") for k in KEY])


def key_hash(frame: pl.DataFrame, key: tuple[str, ...] | list[str] = KEY) -> pl.Series:
    """One 64-bit hash per row of its ``key`` columns, null and "" alike (as :func:`_keyed`).

    Built column by column, and columns that are null on every row left out (they are the same
    on every row), so that no filled copy of the whole key is ever held: on a big table that copy
    is many times the file's size.  Equal keys give equal hashes; unequal keys almost never do —
    callers that must be exact compare the rows whose hash repeats."""
    combined = pl.Series("_h", [0] * frame.height, dtype=pl.UInt64)
    for seed, k in enumerate(key):
        if frame[k].null_count() == frame.height:
            continue
        part = frame.select(pl.col(k).fill_null("").hash(seed=seed)).to_series()
        combined = pl.DataFrame({"a": combined, "b": part}).select(pl.struct("a", "b").hash(seed=0)).to_series()
    return combined.alias("_h")


def several_areas(frame: pl.DataFrame, *, place: str | None = None,
                  columns: Mapping[str, str] | None = None) -> list[Problem]:
    """One ``several-areas`` problem per file whose rows name more than one area (``entity``).

    ``place`` is the review's area, if known (named as the one to keep when the file holds it);
    ``columns`` the file's name for the area column (e.g. ``REF_AREA``), default ``entity``.
    Rows without an area are not counted (the caller fills them with the review's area)."""
    counts = (frame.filter(pl.col("entity").is_not_null()).group_by("file", "entity").len()
              .filter(pl.len().over("file") > 1).sort(["file", "len", "entity"], descending=[False, True, False]))
    out = []
    for (file,), areas in counts.group_by("file", maintain_order=True):
        names, rows = areas["entity"].to_list(), areas["len"].to_list()
        more = len(names) - AREAS_NAMED
        listed = list(zip(names[:AREAS_NAMED], rows[:AREAS_NAMED], strict=True))
        en = ", ".join(f"{a} ({n} row{'s' if n != 1 else ''})" for a, n in listed)
        zh = "、".join(f"{a}（{n} 行）" for a, n in listed)
        if more > 0:
            en, zh = f"{en} and {more} more", f"{zh}等（另有 {more} 个）"
        column = (columns or {}).get(str(file), "entity")
        if place is not None and place in names:
            keep = f"to the rows with {column} = {place} (the review's area)"
            keep_zh = f"筛选文件，只保留 {column} = {place}（本评估所属地区）的行"
        else:
            keep = f"on {column} to the rows of the review's area"
            keep_zh = f"按 {column} 筛选文件，只保留本评估所属地区的行"
        out.append(c.make(c.SeveralAreas, str(file), None, column, count=len(names), areas=en, areas_zh=zh,
                          keep=keep, keep_zh=keep_zh))
    return out


def duplicates(frame: pl.DataFrame, per_type: int = PROBLEMS_PER_TYPE) -> list[Problem]:
    # rows whose key hash repeats are the only candidates; they are compared exactly below
    candidates = key_hash(frame).is_duplicated()
    if not candidates.any():
        return []
    frame = frame.filter(candidates).select(*KEY, "file", "row")
    keyed = _keyed(frame).with_columns(pl.struct(list(KEY)).is_first_distinct().alias("_firstk"))
    if keyed["_firstk"].all():
        return []
    dups = keyed.filter(~pl.col("_firstk"))
    # where each duplicated key first occurs (only the few duplicated keys are looked at)
    firsts = keyed.filter(pl.col("_firstk")).join(dups.select(KEY).unique(), on=list(KEY), how="semi")
    dups = dups.join(firsts.select(*KEY, pl.col("file").alias("_ffile"), pl.col("row").alias("_first")),
                     on=list(KEY), how="left", maintain_order="left")
    def one(f: str, r: int, first: int, ffile: str) -> Problem:
        return c.make(c.DuplicateObservation, f, r, None, first=str(first) if ffile == f else f"{ffile}:{first}")

    return row_problems(dups, ["_first", "_ffile"], one, per_type)


def lengths(frame: pl.DataFrame, per_type: int = PROBLEMS_PER_TYPE) -> list[Problem]:
    out = []
    for col, limit in FIELD_LIMITS.items():
        out += row_problems(frame.filter(pl.col(col).str.len_chars() > limit), [col],
                            lambda f, r, v, col=col, limit=limit: c.make(c.TooLong, f, r, col, value=v[:40] + "…",
                                                                         limit=limit), per_type)
    return out


def unknown_indicators(frame: pl.DataFrame, known: set[str], per_type: int = PROBLEMS_PER_TYPE) -> list[Problem]:
    bad = frame.filter(~pl.col("indicator").is_in(list(known)))
    return row_problems(bad, ["indicator"], lambda f, r, i: c.make(c.UnknownIndicator, f, r, "indicator", value=i),
                        per_type)


def unit_mismatch(frame: pl.DataFrame, units: Mapping[str, str], per_type: int = PROBLEMS_PER_TYPE) -> list[Problem]:
    declared = pl.DataFrame({"indicator": list(units), "_unit": list(units.values())},
                            schema={"indicator": pl.String, "_unit": pl.String})
    bad = frame.join(declared, on="indicator", how="inner").filter(
        (pl.col("_unit") != "") & pl.col("unit").is_not_null() & (pl.col("unit") != "")
        & (pl.col("unit").str.to_lowercase() != pl.col("_unit").str.to_lowercase())
    )
    return row_problems(bad, ["unit", "_unit"],
                        lambda f, r, u, e: c.make(c.UnitMismatch, f, r, "unit", value=u, expected=e), per_type)


def ranges(frame: pl.DataFrame, per_type: int = PROBLEMS_PER_TYPE) -> list[Problem]:
    unit = pl.col("unit").fill_null("")
    # a change, growth rate or gap may be negative or above 100 %: the unit or the series says so
    described = pl.concat_str([unit, pl.col("series").fill_null("")], separator=" ")
    value = pl.col("value")
    out = []
    pct = frame.filter(unit.str.contains(_PERCENT) & ~described.str.contains(_NOT_LEVEL)
                       & ((value < 0) | (value > 100)))
    fields = ["value", "unit"]
    out += row_problems(pct, fields, lambda f, r, v, u: c.make(c.PercentageOutOfRange, f, r, "value", value=v, unit=u),
                        per_type)
    negative_count = frame.filter(unit.str.contains(_COUNT) & (value < 0))
    out += row_problems(negative_count, fields, lambda f, r, v, u: c.make(c.ImplausibleValue, f, r, "value", value=v,
                                                                          unit=u, low=0, high="∞"), per_type)
    for pattern, high in _RATES:
        bad = frame.filter(unit.str.contains(pattern) & ((value < 0) | (value > high)))
        out += row_problems(bad, fields, lambda f, r, v, u, high=high: c.make(c.ImplausibleValue, f, r, "value",
                                                                              value=v, unit=u, low=0, high=high),
                            per_type)
    huge = frame.filter(value.abs() > MAX_ABS_VALUE)
    out += row_problems(huge, fields, lambda f, r, v, u: c.make(c.ImplausibleValue, f, r, "value", value=v, unit=u or "",
                                                                low=-MAX_ABS_VALUE, high=MAX_ABS_VALUE), per_type)
    return out


def jumps(frame: pl.DataFrame) -> list[Problem]:
    series_key = [k for k in KEY if k != "period"]
    g = "_g"
    # one integer per series (a hash of its key) keeps the work cheap on big tables; a collision
    # could only merge two series' changes into one (a spurious warning at worst).  Only numbers
    # are sorted (the row's position stands for its file, row and period) and each series'
    # statistics are computed once per series, not spread over every row
    data = (
        frame.select(key_hash(frame, series_key).alias(g), "year", "period", "value",
                     pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"))
        .filter(pl.col("value").is_not_null())
        .sort([g, "year", "period"])
        .drop("period")
    )
    same = pl.col(g) == pl.col(g).shift(1)
    data = data.with_columns(
        pl.when(same).then(pl.col("value").diff()).alias("_d"),
        pl.when(same).then(pl.col("value").shift(1)).alias("_prev"),
        pl.when(same).then(pl.col("_i").shift(1)).alias("_pi"),
    )
    dev = (pl.col("_d") - pl.col("_d").median()).abs()
    stats = (
        data.group_by(g).agg(pl.len().alias("_n"), pl.col("_d").median().alias("_med"),
                             (dev.median() * MAD_SCALE).alias("_madv"), (dev.mean() * MEANAD_SCALE).alias("_meanad"))
        .filter(pl.col("_n") >= JUMP_MIN_POINTS)
        # when most changes are equal the MAD is 0: fall back to the mean absolute deviation
        .with_columns(pl.when(pl.col("_madv") > 0).then(pl.col("_madv")).otherwise(pl.col("_meanad")).alias("_mad"))
        .filter(pl.col("_mad") > 0)
    )
    if stats.is_empty():
        return []
    med = pl.col(g).replace_strict(stats[g], stats["_med"], default=None, return_dtype=pl.Float64)
    mad = pl.col(g).replace_strict(stats[g], stats["_mad"], default=None, return_dtype=pl.Float64)
    z = (pl.col("_d") - med).abs() / mad
    bad = data.filter(med.is_not_null() & (z > JUMP_Z_LIMIT)
                      & (pl.col("_d").abs() > JUMP_MIN_RELATIVE * pl.col("_prev").abs())).with_columns(z.alias("_z"))
    if bad.is_empty():
        return []
    where = frame.select("file", "row", "period")
    at, before = where[bad["_i"].to_list()], where[bad["_pi"].to_list()]
    return [
        c.make(c.SuspiciousJump, f, r, "value", value=v, previous=p, previous_period=pp,
               z=round(zz, 1), limit=JUMP_Z_LIMIT)
        for f, r, pp, v, p, zz in zip(at["file"], at["row"], before["period"], bad["value"], bad["_prev"], bad["_z"],
                                      strict=True)
    ]


def totals(frame: pl.DataFrame, per_type: int = PROBLEMS_PER_TYPE) -> list[Problem]:
    unit = pl.col("unit").fill_null("")
    # only counts add up: the unit must say so (rates, shares and averages do not)
    counts = frame.filter(pl.col("value").is_not_null() & unit.str.contains(_COUNT)
                          & ~unit.str.contains(_PERCENT)
                          & ~unit.str.contains(r"(?i)(rate|ratio|per |average|mean|median|index|share)"))
    if counts.is_empty():
        return []
    dims = list(tidy.DIMENSIONS)
    base = ["indicator", "period", "series", "unit"]
    nulls = [pl.col(d).is_null().cast(pl.Int32) for d in dims]
    # groups of one coded dimension against the total; rows of an uncoded breakdown are left
    # alone (their groups' relation to the total is unknown)
    counts = counts.filter(pl.col("breakdown").is_null() | (pl.col("breakdown") == ""))
    counts = _keyed(counts.select(*KEY, "file", "row", "value").with_columns(pl.sum_horizontal(nulls).alias("_nulls")))
    headline = counts.filter(pl.col("_nulls") == len(dims)).select(*base, "file", "row", "value")
    out = []
    for d in dims:
        groups = counts.filter((pl.col("_nulls") == len(dims) - 1) & (pl.col(d) != ""))
        if groups.is_empty():
            continue
        sums = groups.group_by(base).agg(pl.col("value").sum().alias("_sum"), pl.len().alias("_k"))
        bad = headline.join(sums, on=base).filter(
            (pl.col("_k") > 1) & (pl.col("_sum") > pl.col("value").abs() * (1 + TOTAL_TOLERANCE) + 1e-9)
        )
        out += row_problems(bad, ["value", "_sum"], lambda f, r, v, s, d=d: c.make(
            c.InconsistentTotal, f, r, "value", value=v, total=round(s, 6), group=tidy.DIMENSION_TITLES[d]["en"],
            group_zh=tidy.DIMENSION_TITLES[d]["zh-Hans"]), per_type)
    return out


def run_all(
    frame: pl.DataFrame,
    *,
    known: set[str] | None = None,
    units: Mapping[str, str] | None = None,
    unit_files: set[str] | None = None,
    accept: frozenset[str] = frozenset(),
    place: str | None = None,
    area_columns: Mapping[str, str] | None = None,
    published: set[str] | None = None,
    per_type: int = PROBLEMS_PER_TYPE,
) -> tuple[pl.DataFrame, list[Problem]]:
    """Run every check on the rows not yet rejected; return the frame with ``_reject`` updated.

    ``known``: the indicator codes that exist (None: do not check); ``units``: declared unit per
    indicator, checked on the rows of ``unit_files`` (all rows if None); ``accept``: slugs of
    :data:`ACCEPTABLE` types the user has reviewed and accepts — reported as warnings and the
    rows kept; ``place``: the review's area and ``area_columns`` each file's name for the area
    column (see :func:`several_areas`); ``published``: files of data its publisher has published
    (Open SDG repositories), whose judgements are warnings (:data:`PUBLISHED_NOTE`);
    ``per_type``: row problems of one type made per file, the others counted on one line each
    (:func:`~vlrkit.validation.report.row_problems`; their rows are rejected all the same).
    """
    unknown = set(accept) - ACCEPTABLE
    if unknown:
        raise ValueError(f"cannot accept {', '.join(sorted(unknown))}: only {', '.join(sorted(ACCEPTABLE))}")
    if "_reject" not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias("_reject"))
    problems: list[Problem] = several_areas(frame, place=place, columns=area_columns)
    if problems:  # refused as a whole: every row rejected, none judged further
        files = [p.file for p in problems]
        frame = frame.with_columns((pl.col("_reject") | pl.col("file").is_in(files)).alias("_reject"))
    ok = frame.filter(~pl.col("_reject")) if frame["_reject"].any() else frame  # no copy when none is
    problems += duplicates(ok, per_type)
    problems += lengths(ok, per_type)
    if known is not None:
        problems += unknown_indicators(ok, known, per_type)
    if units:
        scope = ok if unit_files is None else ok.filter(pl.col("file").is_in(list(unit_files)))
        problems += unit_mismatch(scope, units, per_type)
    problems += ranges(ok, per_type)
    problems += jumps(ok)
    problems += totals(ok, per_type)
    if accept:
        problems = [replace(p, severity=c.WARNING) if p.type in accept else p for p in problems]
    if published:
        problems = [replace(p, severity=c.WARNING, message={k: v + PUBLISHED_NOTE.get(k, "") for k, v in p.message.items()})
                    if p.type in ACCEPTABLE and p.severity == c.ERROR and p.file in published else p
                    for p in problems]
    return reject_rows(frame, problems), problems


def reject_rows(frame: pl.DataFrame, problems: list[Problem]) -> pl.DataFrame:
    """``frame`` with ``_reject`` set on every row an error names (counted lines: all their rows)."""
    rows_of: dict[str, list[pl.Series]] = {}
    single: dict[str, set[int]] = {}
    for p in problems:
        if p.severity != c.ERROR or p.row is None:
            continue
        if p.rows is not None:
            rows_of.setdefault(p.file, []).append(p.rows)
        else:
            single.setdefault(p.file, set()).add(p.row)
    if not rows_of and not single:
        return frame
    masks = []
    for f in dict.fromkeys([*rows_of, *single]):
        rows = pl.concat([*(r.cast(pl.Int64) for r in rows_of.get(f, [])),
                          pl.Series(sorted(single.get(f, ())), dtype=pl.Int64)])
        masks.append((pl.col("file") == f) & pl.col("row").is_in(rows.unique().implode()))
    # a mask per file with errors (a join would copy every column of the frame)
    return frame.with_columns((pl.col("_reject") | pl.any_horizontal(masks)).alias("_reject"))
