"""Leave no one behind: gaps between population groups (``METHODS.md`` §4, GE-5d, P3/P5).

For every disaggregated indicator and every coded dimension (``SEX``, ``DISABILITY_STATUS``,
``INCOME_WEALTH_QUANTILE``, ``GEO``…): in each year, the best-off and the worst-off group in the
indicator's direction, the gap between them as a difference (best − worst, positive = the
worst-off group is behind, in the indicator's unit) and as a ratio (worst / best), and whether
the difference widened or narrowed from the first to the latest year both groups were observed
(by more than 1 % of the first gap; otherwise ``stable``).  Rows broken down by a single
dimension are compared; cross-classified rows (e.g. sex × age) are counted in ``skipped`` and
not compared.  Totals (``_T``) are never a group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from vlrkit import tidy
from vlrkit.assess import frames
from vlrkit.assess.rules import LNOB_CHANGE_TOLERANCE, METHOD_VERSION, TOTAL_CODES


@dataclass(frozen=True)
class LnobResult:
    """Group gaps per year (``yearly``: best and worst group, difference, ratio, every
    ``groups`` value best first), their trend per indicator × dimension (``gaps``: first and
    latest gap, ``trend``, ``furthest_behind``, ``best_off``, the latest year's ``values``) and a
    per-goal summary (``goals``)."""

    yearly: pl.DataFrame
    gaps: pl.DataFrame
    goals: pl.DataFrame
    skipped: int = 0  # cross-classified rows not compared
    method: str = "lnob"
    version: str = METHOD_VERSION


def _single_dimension(obs: pl.DataFrame, dims: list[str]) -> tuple[pl.DataFrame, int]:
    if not dims:
        return obs.head(0).with_columns(pl.lit("").alias("dimension"), pl.lit("").alias("group")), 0
    real = [pl.col(d).is_not_null() & ~pl.col(d).is_in(list(TOTAL_CODES)) for d in dims]
    obs = obs.with_columns(pl.sum_horizontal(real).alias("_ndims"))
    skipped = obs.filter(pl.col("_ndims") > 1).height
    one = obs.filter(pl.col("_ndims") == 1)
    dim = pl.coalesce([pl.when(r).then(pl.lit(d)) for d, r in zip(dims, real, strict=True)])
    grp = pl.coalesce([pl.when(r).then(pl.col(d)) for d, r in zip(dims, real, strict=True)])
    return one.with_columns(dim.alias("dimension"), grp.alias("group")).drop("_ndims"), skipped


def assess(
    observations: pl.DataFrame, spec: pl.DataFrame, *, dimensions: Sequence[str] | None = None
) -> LnobResult:
    """Gaps between groups in tidy ``observations`` (``entity, indicator, year, value`` + dims).

    ``dimensions`` names the disaggregation columns (default: the coded
    :data:`vlrkit.tidy.DIMENSIONS` present).
    """
    dims = [d for d in (dimensions or tidy.DIMENSIONS) if d in observations.columns]
    spec = frames.spec(spec)
    obs = observations.filter(pl.col("value").is_not_null())
    if "series" not in obs.columns:
        obs = obs.with_columns(pl.lit("").alias("series"))
    obs = obs.with_columns(pl.col("series").fill_null(""))
    one, skipped = _single_dimension(obs, dims)
    keys = ["entity", "indicator", "series", "dimension", "year"]
    one = one.with_columns(pl.col("group").cast(pl.String)).group_by(keys + ["group"]).agg(pl.col("value").mean()).join(
        spec.select("indicator", "goal", "direction"), on="indicator"
    )
    d = frames.sign(pl.col("direction"))
    one = one.with_columns((d * pl.col("value")).alias("_good"))
    yearly = one.group_by(keys).agg(
        pl.col("goal").first(),
        pl.col("direction").first(),
        pl.len().alias("n_groups"),
        pl.col("group").get(pl.col("_good").arg_max()).alias("best_group"),
        pl.col("value").get(pl.col("_good").arg_max()).alias("best_value"),
        pl.col("group").get(pl.col("_good").arg_min()).alias("worst_group"),
        pl.col("value").get(pl.col("_good").arg_min()).alias("worst_value"),
        pl.struct("group", "value").sort_by("_good", descending=True).alias("groups"),
    ).filter(pl.col("n_groups") >= 2)
    yearly = yearly.with_columns(
        (d * (pl.col("best_value") - pl.col("worst_value"))).alias("difference"),
        pl.when(pl.col("best_value") != 0).then(pl.col("worst_value") / pl.col("best_value")).alias("ratio"),
    ).sort(keys)
    k = ["entity", "indicator", "series", "dimension"]
    gaps = yearly.group_by(k).agg(
        pl.col("goal").first(),
        pl.col("year").min().alias("first_year"),
        pl.col("year").max().alias("latest_year"),
        pl.col("difference").get(pl.col("year").arg_min()).alias("first_difference"),
        pl.col("difference").get(pl.col("year").arg_max()).alias("latest_difference"),
        pl.col("ratio").get(pl.col("year").arg_max()).alias("latest_ratio"),
        pl.col("worst_group").get(pl.col("year").arg_max()).alias("furthest_behind"),
        pl.col("best_group").get(pl.col("year").arg_max()).alias("best_off"),
        pl.col("groups").get(pl.col("year").arg_max()).alias("values"),
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
    ).sort(k)
    goals = gaps.group_by("entity", "goal").agg(
        pl.col("indicator").n_unique().alias("n_indicators"),
        (pl.col("trend") == "widening").sum().alias("widening"),
        (pl.col("trend") == "narrowing").sum().alias("narrowing"),
        (pl.col("trend") == "stable").sum().alias("stable"),
    )
    behind = (
        gaps.with_columns(pl.concat_str([pl.col("dimension"), pl.lit(":"), pl.col("furthest_behind")]).alias("who"))
        .group_by("entity", "goal", "who")
        .len()
        .sort(["entity", "goal", "len", "who"], descending=[False, False, True, False])
        .group_by("entity", "goal", maintain_order=True)
        .agg(pl.col("who").head(3).alias("furthest_behind"))
    )
    goals = goals.join(behind, on=["entity", "goal"], how="left").sort("entity", "goal")
    return LnobResult(yearly=yearly, gaps=gaps, goals=goals, skipped=skipped)
