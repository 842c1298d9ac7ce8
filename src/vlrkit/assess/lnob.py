"""Leave no one behind: gaps between population groups (``METHODS.md`` §4, GE-5d, P3/P5).

For every disaggregated indicator, in each year, the best-off and the worst-off group in the
indicator's direction (none when the groups are equal in the latest year: nobody is behind), the gap between them as a difference (best − worst in the desired
direction: never negative, in the indicator's unit) and as a ratio (worst / best), and whether
the difference widened or narrowed from the first to the latest year both were observed (by
more than 1 % of the first gap; otherwise ``stable``).  Totals (``_T``) are never a group.  Ties
are broken by the group code, so the order of the rows never changes who is furthest behind.

Three comparisons, one frame each:

* ``gaps`` — rows broken down by **one** dimension (``SEX``, ``DISABILITY_STATUS``,
  ``INCOME_WEALTH_QUANTILE``, ``GEO``…): its groups compared;
* ``within`` — rows broken down by **two or more** dimensions at once (sex × age, sex ×
  urbanisation): the groups of each dimension compared **holding the others fixed** —
  ``dimension`` = the compared one, ``context`` = the fixed codes (``AGE:Y15T24``);
* ``intersections`` — the same rows as whole cells: ``dimension`` = ``SEX×AGE``, groups =
  ``SEX:F×AGE:Y65T``; its ``furthest_behind`` is the intersection group furthest behind.

``within`` and ``intersections`` carry readable labels in English and Chinese
(``furthest_behind_en``/``_zh``, ``best_off_en``/``_zh``, ``context_en``/``_zh``) from the
``title`` function — :meth:`vlrkit.review.Review.code_title` for a review, else
:func:`vlrkit.tidy.code_title`.  ``goals`` sums everything up per entity and goal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import polars as pl

from vlrkit import tidy
from vlrkit.assess import frames
from vlrkit.assess.rules import LNOB_CHANGE_TOLERANCE, METHOD_VERSION, TOTAL_CODES

#: Joins the dimensions of an intersection (``SEX×AGE``) and its codes (``SEX:F×AGE:Y65T``).
CROSS = "×"
#: Joins a dimension and a code in intersection groups and contexts.
PAIR = ":"
#: How many furthest-behind groups the per-goal summary names.
TOP_BEHIND = 3
LANGS = {"en": "en", "zh": "zh-Hans"}
_BASE = ["entity", "indicator", "series", "year", "value"]
_KEYS = ["entity", "indicator", "series", "dimension", "context", "year"]
_SERIES = ["entity", "indicator", "series", "dimension", "context"]


@dataclass(frozen=True)
class LnobResult:
    """Group gaps per year (``yearly``: best and worst group, difference, ratio, every
    ``groups`` value best first), their trend per indicator × dimension (``gaps``: first and
    latest gap, ``trend``, ``furthest_behind``, ``best_off``, the latest year's ``values``), the
    same for combined breakdowns (``within``, ``intersections``, see the module) and a per-goal
    summary (``goals``)."""

    yearly: pl.DataFrame
    gaps: pl.DataFrame
    goals: pl.DataFrame
    skipped: int = 0  # cross-classified rows that no other group can be compared with
    within: pl.DataFrame = field(default_factory=pl.DataFrame)
    intersections: pl.DataFrame = field(default_factory=pl.DataFrame)
    method: str = "lnob"
    version: str = METHOD_VERSION


def _pairs(dims: Sequence[str]) -> pl.Expr:
    """``D1:c1×D2:c2`` from the columns ``dims``."""
    return pl.concat_str([pl.concat_str([pl.lit(d + PAIR), pl.col(d).cast(pl.String)]) for d in dims],
                         separator=CROSS)


def _breakdowns(obs: pl.DataFrame, dims: list[str]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Long frames (``_BASE`` + dimension, context, group) of the three comparisons."""
    empty = obs.select(_BASE).head(0).with_columns(
        pl.lit("").alias("dimension"), pl.lit("").alias("context"), pl.lit("").alias("group"))
    if not dims:
        return empty, empty, empty
    real = {d: pl.col(d).is_not_null() & ~pl.col(d).cast(pl.String).is_in(list(TOTAL_CODES)) for d in dims}
    obs = obs.with_columns([real[d].alias(f"_r_{d}") for d in dims]).with_columns(
        pl.sum_horizontal([pl.col(f"_r_{d}") for d in dims]).alias("_n"))
    one = obs.filter(pl.col("_n") == 1)
    single = one.select(
        *_BASE,
        pl.coalesce([pl.when(pl.col(f"_r_{d}")).then(pl.lit(d)) for d in dims]).alias("dimension"),
        pl.lit("").alias("context"),
        pl.coalesce([pl.when(pl.col(f"_r_{d}")).then(pl.col(d).cast(pl.String)) for d in dims]).alias("group"),
    )
    multi = obs.filter(pl.col("_n") > 1)
    within, inter = [empty], [empty]
    # one pass per combination of dimensions present (a handful), never per observation
    for sig in multi.select([f"_r_{d}" for d in dims]).unique().rows():
        combo = [d for d, on in zip(dims, sig, strict=True) if on]
        part = multi.filter(pl.all_horizontal([pl.col(f"_r_{d}") == on for d, on in zip(dims, sig, strict=True)]))
        inter.append(part.select(*_BASE, pl.lit(CROSS.join(combo)).alias("dimension"), pl.lit("").alias("context"),
                                 _pairs(combo).alias("group")))
        for d in combo:
            others = [o for o in combo if o != d]
            within.append(part.select(*_BASE, pl.lit(d).alias("dimension"), _pairs(others).alias("context"),
                                      pl.col(d).cast(pl.String).alias("group")))
    return single, pl.concat(within), pl.concat(inter)


def _compare(long: pl.DataFrame, spec: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Yearly best/worst groups and gaps, and their trend per series × dimension × context."""
    one = long.group_by(_KEYS + ["group"]).agg(pl.col("value").mean()).join(
        spec.select("indicator", "goal", "direction"), on="indicator"
    )
    d = frames.sign(pl.col("direction"))
    one = one.with_columns((d * pl.col("value")).alias("_good"))
    best_first = pl.struct("group", "value").sort_by(["_good", "group"], descending=[True, False])
    worst_first = pl.struct("group", "value").sort_by(["_good", "group"], descending=[False, False])
    yearly = one.group_by(_KEYS).agg(
        pl.col("goal").first(),
        pl.col("direction").first(),
        pl.len().alias("n_groups"),
        best_first.first().alias("_best"),
        worst_first.first().alias("_worst"),
        best_first.alias("groups"),
    ).filter(pl.col("n_groups") >= 2)
    yearly = yearly.with_columns(
        pl.col("_best").struct.field("group").alias("best_group"),
        pl.col("_best").struct.field("value").alias("best_value"),
        pl.col("_worst").struct.field("group").alias("worst_group"),
        pl.col("_worst").struct.field("value").alias("worst_value"),
    ).drop("_best", "_worst")
    yearly = yearly.with_columns(
        (d * (pl.col("best_value") - pl.col("worst_value"))).alias("difference"),
        pl.when(pl.col("best_value") != 0).then(pl.col("worst_value") / pl.col("best_value")).alias("ratio"),
    ).select(*_KEYS, "goal", "direction", "n_groups", "best_group", "best_value", "worst_group",
             "worst_value", "groups", "difference", "ratio").sort(_KEYS)
    last, first = pl.col("year").arg_max(), pl.col("year").arg_min()
    gaps = yearly.group_by(_SERIES).agg(
        pl.col("goal").first(),
        pl.col("year").min().alias("first_year"),
        pl.col("year").max().alias("latest_year"),
        pl.col("difference").get(first).alias("first_difference"),
        pl.col("difference").get(last).alias("latest_difference"),
        pl.col("ratio").get(last).alias("latest_ratio"),
        pl.col("worst_group").get(last).alias("furthest_behind"),
        pl.col("best_group").get(last).alias("best_off"),
        pl.col("groups").get(last).alias("values"),
    )
    # no gap in the latest year: nobody is behind, whatever the order of the groups' codes
    no_gap = pl.col("latest_difference") == 0
    gaps = gaps.with_columns(
        pl.when(no_gap).then(None).otherwise(pl.col("furthest_behind")).alias("furthest_behind"),
        pl.when(no_gap).then(None).otherwise(pl.col("best_off")).alias("best_off"),
    )
    change = pl.col("latest_difference") - pl.col("first_difference")
    tol = LNOB_CHANGE_TOLERANCE * pl.max_horizontal(pl.col("first_difference").abs(), pl.lit(1e-12))
    gaps = gaps.with_columns(
        pl.when(pl.col("first_year") == pl.col("latest_year"))
        .then(pl.lit("insufficient_data"))
        .when(change > tol)
        .then(pl.lit("widening"))
        .when(change < -tol)
        .then(pl.lit("narrowing"))
        .otherwise(pl.lit("stable"))
        .alias("trend")
    ).sort(_SERIES)
    return yearly, gaps


def _labelled(frame: pl.DataFrame, title: Callable[[str, str, str], str], columns: Sequence[str]) -> pl.DataFrame:
    """Add ``<column>_en`` and ``<column>_zh`` labels; a lookup per distinct code, not per row."""
    def words(dimension: str, text: str, lang: str) -> str:
        if not text:
            return ""
        if PAIR not in text:
            return title(dimension, text, lang)
        pairs = (part.split(PAIR, 1) for part in text.split(CROSS))
        return " × ".join(title(dim, code, lang) for dim, code in pairs)

    out = []
    for c in columns:
        pairs = frame.select("dimension", c).unique().rows()
        for suffix, lang in LANGS.items():
            table = {f"{dim}\x1f{text}": words(dim, text or "", lang) for dim, text in pairs}
            key = pl.concat_str([pl.col("dimension"), pl.lit("\x1f"), pl.col(c).fill_null("")])
            out.append(key.replace_strict(table, default="", return_dtype=pl.String).alias(f"{c}_{suffix}"))
    return frame.with_columns(out)


def assess(
    observations: pl.DataFrame,
    spec: pl.DataFrame,
    *,
    dimensions: Sequence[str] | None = None,
    title: Callable[[str, str, str], str] | None = None,
) -> LnobResult:
    """Gaps between groups in tidy ``observations`` (``entity, indicator, year, value`` + dims).

    ``dimensions`` names the disaggregation columns (default: the coded
    :data:`vlrkit.tidy.DIMENSIONS` present); ``title(dimension, code, lang)`` names a group
    (default :func:`vlrkit.tidy.code_title`).
    """
    dims = [d for d in (dimensions or tidy.DIMENSIONS) if d in observations.columns]
    spec = frames.spec(spec)
    obs = observations.filter(pl.col("value").is_not_null())
    if "series" not in obs.columns:
        obs = obs.with_columns(pl.lit("").alias("series"))
    obs = obs.with_columns(pl.col("series").fill_null(""))
    single, within_long, inter_long = _breakdowns(obs, dims)
    yearly, gaps = _compare(single, spec)
    _, within = _compare(within_long, spec)
    inter_yearly, inter = _compare(inter_long, spec)
    # a cross-classified row no other cell of its year can be compared with
    compared = inter_yearly.select(_KEYS)
    skipped = inter_long.join(compared, on=_KEYS, how="anti").height
    name = title or tidy.code_title
    within = _labelled(within, name, ("furthest_behind", "best_off", "context"))
    inter = _labelled(inter, name, ("furthest_behind", "best_off")).drop("context")
    return LnobResult(yearly=yearly, gaps=gaps.drop("context"), goals=_goals(gaps, within, inter),
                      skipped=skipped, within=within, intersections=inter)


def _top(frame: pl.DataFrame, who: pl.Expr, name: str) -> pl.DataFrame:
    """The most frequent furthest-behind groups per entity and goal."""
    return (
        frame.with_columns(who.alias("who"))
        .filter(pl.col("who").is_not_null())  # a zero gap has nobody behind
        .group_by("entity", "goal", "who")
        .len()
        .sort(["entity", "goal", "len", "who"], descending=[False, False, True, False])
        .group_by("entity", "goal", maintain_order=True)
        .agg(pl.col("who").head(TOP_BEHIND).alias(name))
    )


def _goals(gaps: pl.DataFrame, within: pl.DataFrame, inter: pl.DataFrame) -> pl.DataFrame:
    """Per entity and goal: single-dimension gap trends, the same for gaps within combined
    breakdowns, and the groups and intersection groups most often furthest behind."""
    keys = ["entity", "goal"]
    counts = [(pl.col("trend") == t).sum().alias(t) for t in ("widening", "narrowing", "stable")]
    parts = [
        gaps.group_by(keys).agg(pl.col("indicator").n_unique().alias("n_indicators"), *counts),
        _top(gaps, pl.concat_str([pl.col("dimension"), pl.lit(PAIR), pl.col("furthest_behind")]), "furthest_behind"),
        within.group_by(keys).agg(
            pl.len().alias("within_gaps"),
            (pl.col("trend") == "widening").sum().alias("within_widening"),
            (pl.col("trend") == "narrowing").sum().alias("within_narrowing"),
        ),
        inter.group_by(keys).agg(pl.len().alias("intersections")),
        _top(inter, pl.col("furthest_behind"), "furthest_behind_intersections"),
    ]
    every = pl.concat([p.select(keys) for p in parts]).unique()
    out = every
    for p in parts:
        out = out.join(p, on=keys, how="left")
    zero = ["n_indicators", "widening", "narrowing", "stable", "within_gaps", "within_widening",
            "within_narrowing", "intersections"]
    return out.with_columns([pl.col(c).fill_null(0) for c in zero]).sort(keys)
