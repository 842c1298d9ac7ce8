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


def duplicates(frame: pl.DataFrame) -> list[Problem]:
    keyed = _keyed(frame).with_columns(pl.struct(list(KEY)).is_first_distinct().alias("_firstk"))
    if keyed["_firstk"].all():
        return []
    dups = keyed.filter(~pl.col("_firstk"))
    # where each duplicated key first occurs (only the few duplicated keys are looked at)
    firsts = keyed.filter(pl.col("_firstk")).join(dups.select(KEY).unique(), on=list(KEY), how="semi")
    dups = dups.join(firsts.select(*KEY, pl.col("file").alias("_ffile"), pl.col("row").alias("_first")),
                     on=list(KEY), how="left", maintain_order="left")
    out = []
    for f, r, first, ffile in dups.select("file", "row", "_first", "_ffile").iter_rows():
        where = str(first) if ffile == f else f"{ffile}:{first}"
        out.append(c.make(c.DuplicateObservation, f, r, None, first=where))
    return out


def lengths(frame: pl.DataFrame) -> list[Problem]:
    out = []
    for col, limit in FIELD_LIMITS.items():
        bad = frame.filter(pl.col(col).str.len_chars() > limit)
        out += [c.make(c.TooLong, f, r, col, value=v[:40] + "…", limit=limit)
                for f, r, v in bad.select("file", "row", col).iter_rows()]
    return out


def unknown_indicators(frame: pl.DataFrame, known: set[str]) -> list[Problem]:
    bad = frame.filter(~pl.col("indicator").is_in(list(known)))
    return [c.make(c.UnknownIndicator, f, r, "indicator", value=i)
            for f, r, i in bad.select("file", "row", "indicator").iter_rows()]


def unit_mismatch(frame: pl.DataFrame, units: Mapping[str, str]) -> list[Problem]:
    declared = pl.DataFrame({"indicator": list(units), "_unit": list(units.values())},
                            schema={"indicator": pl.String, "_unit": pl.String})
    bad = frame.join(declared, on="indicator", how="inner").filter(
        (pl.col("_unit") != "") & pl.col("unit").is_not_null() & (pl.col("unit") != "")
        & (pl.col("unit").str.to_lowercase() != pl.col("_unit").str.to_lowercase())
    )
    return [c.make(c.UnitMismatch, f, r, "unit", value=u, expected=e)
            for f, r, u, e in bad.select("file", "row", "unit", "_unit").iter_rows()]


def ranges(frame: pl.DataFrame) -> list[Problem]:
    unit = pl.col("unit").fill_null("")
    # a change, growth rate or gap may be negative or above 100 %: the unit or the series says so
    described = pl.concat_str([unit, pl.col("series").fill_null("")], separator=" ")
    value = pl.col("value")
    out = []
    pct = frame.filter(unit.str.contains(_PERCENT) & ~described.str.contains(_NOT_LEVEL)
                       & ((value < 0) | (value > 100)))
    for f, r, v, u in pct.select("file", "row", "value", "unit").iter_rows():
        out.append(c.make(c.PercentageOutOfRange, f, r, "value", value=v, unit=u))
    negative_count = frame.filter(unit.str.contains(_COUNT) & (value < 0))
    for f, r, v, u in negative_count.select("file", "row", "value", "unit").iter_rows():
        out.append(c.make(c.ImplausibleValue, f, r, "value", value=v, unit=u, low=0, high="∞"))
    for pattern, high in _RATES:
        bad = frame.filter(unit.str.contains(pattern) & ((value < 0) | (value > high)))
        for f, r, v, u in bad.select("file", "row", "value", "unit").iter_rows():
            out.append(c.make(c.ImplausibleValue, f, r, "value", value=v, unit=u, low=0, high=high))
    huge = frame.filter(value.abs() > MAX_ABS_VALUE)
    for f, r, v, u in huge.select("file", "row", "value", "unit").iter_rows():
        out.append(c.make(c.ImplausibleValue, f, r, "value", value=v, unit=u or "",
                          low=-MAX_ABS_VALUE, high=MAX_ABS_VALUE))
    return out


def jumps(frame: pl.DataFrame) -> list[Problem]:
    series_key = [k for k in KEY if k != "period"]
    # one integer per series (a hash of its key) keeps the window functions cheap on big tables;
    # a collision could only merge two series' changes into one (a spurious warning at worst)
    data = (
        _keyed(frame.filter(pl.col("value").is_not_null()))
        .with_columns(pl.struct(series_key).hash(seed=0).alias("_g"))
        .sort(["_g", "year", "period"])
    )
    g = "_g"
    data = data.with_columns(
        pl.col("value").diff().over(g).alias("_d"),
        pl.col("value").shift(1).over(g).alias("_prev"),
        pl.col("period").shift(1).over(g).alias("_pprev"),
        pl.len().over(g).alias("_n"),
    ).with_columns(
        pl.col("_d").median().over(g).alias("_med"),
    ).with_columns(
        ((pl.col("_d") - pl.col("_med")).abs().median().over(g) * MAD_SCALE).alias("_madv"),
        ((pl.col("_d") - pl.col("_med")).abs().mean().over(g) * MEANAD_SCALE).alias("_meanad"),
    ).with_columns(
        # when most changes are equal the MAD is 0: fall back to the mean absolute deviation
        pl.when(pl.col("_madv") > 0).then(pl.col("_madv")).otherwise(pl.col("_meanad")).alias("_mad"),
    ).with_columns(((pl.col("_d") - pl.col("_med")).abs() / pl.col("_mad")).alias("_z"))
    bad = data.filter((pl.col("_n") >= JUMP_MIN_POINTS) & (pl.col("_mad") > 0) & (pl.col("_z") > JUMP_Z_LIMIT)
                       & (pl.col("_d").abs() > JUMP_MIN_RELATIVE * pl.col("_prev").abs()))
    return [
        c.make(c.SuspiciousJump, f, r, "value", value=v, previous=p, previous_period=pp,
               z=round(z, 1), limit=JUMP_Z_LIMIT)
        for f, r, v, p, pp, z in bad.select("file", "row", "value", "_prev", "_pprev", "_z").iter_rows()
    ]


def totals(frame: pl.DataFrame) -> list[Problem]:
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
    counts = _keyed(counts.with_columns(pl.sum_horizontal(nulls).alias("_nulls")))
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
        for f, r, v, s in bad.select("file", "row", "value", "_sum").iter_rows():
            out.append(c.make(c.InconsistentTotal, f, r, "value", value=v, total=round(s, 6),
                              group=tidy.DIMENSION_TITLES[d]["en"],
                              group_zh=tidy.DIMENSION_TITLES[d]["zh-Hans"]))
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
) -> tuple[pl.DataFrame, list[Problem]]:
    """Run every check on the rows not yet rejected; return the frame with ``_reject`` updated.

    ``known``: the indicator codes that exist (None: do not check); ``units``: declared unit per
    indicator, checked on the rows of ``unit_files`` (all rows if None); ``accept``: slugs of
    :data:`ACCEPTABLE` types the user has reviewed and accepts — reported as warnings and the
    rows kept; ``place``: the review's area and ``area_columns`` each file's name for the area
    column (see :func:`several_areas`); ``published``: files of data its publisher has published
    (Open SDG repositories), whose judgements are warnings (:data:`PUBLISHED_NOTE`).
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
    ok = frame.filter(~pl.col("_reject"))
    problems += duplicates(ok)
    problems += lengths(ok)
    if known is not None:
        problems += unknown_indicators(ok, known)
    if units:
        scope = ok if unit_files is None else ok.filter(pl.col("file").is_in(list(unit_files)))
        problems += unit_mismatch(scope, units)
    problems += ranges(ok)
    problems += jumps(ok)
    problems += totals(ok)
    if accept:
        problems = [replace(p, severity=c.WARNING) if p.type in accept else p for p in problems]
    if published:
        problems = [replace(p, severity=c.WARNING, message={k: v + PUBLISHED_NOTE.get(k, "") for k, v in p.message.items()})
                    if p.type in ACCEPTABLE and p.severity == c.ERROR and p.file in published else p
                    for p in problems]
    errors = pl.DataFrame(
        [(p.file, p.row) for p in problems if p.severity == c.ERROR and p.row is not None],
        schema={"file": pl.String, "row": pl.Int64}, orient="row",
    ).unique().with_columns(pl.lit(True).alias("_err"))
    frame = frame.join(errors, on=["file", "row"], how="left", maintain_order="left").with_columns(
        (pl.col("_reject") | pl.col("_err").fill_null(False)).alias("_reject")
    ).drop("_err")
    return frame, problems
