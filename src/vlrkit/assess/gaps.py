"""Data availability and gaps per goal and per SDG target (``METHODS.md`` §4, GE-6, GE-9a).

For every indicator: has data, a baseline (a value in or before the baseline year), a trend (at
least two years), a target, disaggregation (a row with a coded dimension).  Rolled up per goal
and per SDG target; SDG targets with no indicator at all are listed, since a VLR must say what
it will do about them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from vlrkit import tidy
from vlrkit.assess.rules import BASE_YEAR, METHOD_VERSION

FLAGS = ("with_data", "with_baseline", "with_trend", "with_target", "with_disaggregation")


@dataclass(frozen=True)
class Availability:
    """Per indicator flags, their roll-up per goal and per SDG target, and uncovered targets."""

    indicators: pl.DataFrame  # indicator, goal, with_* flags, first_year, last_year, n_years
    goals: pl.DataFrame  # goal, n_indicators, with_* counts, uncovered_targets
    targets: pl.DataFrame  # target, goal, n_indicators, with_* counts
    uncovered_targets: tuple[str, ...] = ()
    base_year: int = BASE_YEAR
    method: str = "availability"
    version: str = METHOD_VERSION
    notes: Mapping[str, str] = field(default_factory=dict)


def availability(
    indicators: pl.DataFrame,
    observations: pl.DataFrame,
    *,
    base_year: int = BASE_YEAR,
    links: pl.DataFrame | None = None,
    sdg_targets: Mapping[int, Sequence[str]] | None = None,
) -> Availability:
    """Data availability of ``indicators`` (``indicator, goal, has_target``) in ``observations``
    (tidy rows: ``indicator, year, value`` and any coded dimension columns).

    ``links`` (``indicator, target``) maps indicators to SDG targets; ``sdg_targets`` (goal →
    target ids, e.g. from :mod:`vlrkit.sdg`) lists every target so uncovered ones can be named.
    """
    obs = observations.filter(pl.col("value").is_not_null())
    dims = [d for d in tidy.DIMENSIONS if d in obs.columns]
    disagg = pl.any_horizontal([pl.col(d).is_not_null() for d in dims]) if dims else pl.lit(False)
    per = obs.group_by("indicator").agg(
        pl.col("year").min().alias("first_year"),
        pl.col("year").max().alias("last_year"),
        pl.col("year").n_unique().alias("n_years"),
        (pl.col("year") <= base_year).any().alias("with_baseline"),
        disagg.any().alias("with_disaggregation"),
    )
    ind = indicators.select(
        pl.col("indicator").cast(pl.String), pl.col("goal").cast(pl.Int32), pl.col("has_target").cast(pl.Boolean)
    ).join(per, on="indicator", how="left")
    ind = ind.with_columns(
        pl.col("n_years").is_not_null().alias("with_data"),
        pl.col("with_baseline").fill_null(False),
        (pl.col("n_years").fill_null(0) >= 2).alias("with_trend"),
        pl.col("has_target").fill_null(False).alias("with_target"),
        pl.col("with_disaggregation").fill_null(False),
    ).select("indicator", "goal", *FLAGS, "first_year", "last_year", "n_years")

    counts = [pl.len().alias("n_indicators")] + [pl.col(f).sum().alias(f) for f in FLAGS]
    goals = ind.group_by("goal").agg(counts)
    if links is not None and links.height:
        lk = links.select(pl.col("indicator").cast(pl.String), pl.col("target").cast(pl.String)).unique()
        tgt = lk.join(ind, on="indicator").group_by("target").agg(
            pl.col("goal").first(), *counts
        )
    else:
        tgt = pl.DataFrame(schema={"target": pl.String, "goal": pl.Int32, "n_indicators": pl.UInt32,
                                   **{f: pl.UInt32 for f in FLAGS}})
    covered = set(tgt["target"].to_list())
    uncovered: list[str] = []
    per_goal: dict[int, list[str]] = {}
    if sdg_targets is not None:
        for goal, ids in sdg_targets.items():
            missing = [t for t in ids if t not in covered]
            per_goal[int(goal)] = missing
            uncovered += missing
        all_goals = pl.DataFrame({"goal": list(per_goal)}, schema={"goal": pl.Int32})
        goals = all_goals.join(goals, on="goal", how="left").with_columns(
            pl.col("n_indicators").fill_null(0), *[pl.col(f).fill_null(0) for f in FLAGS]
        )
    goals = goals.with_columns(
        pl.col("goal").map_elements(lambda g: per_goal.get(g, []), return_dtype=pl.List(pl.String)).alias(
            "uncovered_targets"
        )
    )
    return Availability(
        indicators=ind.sort("goal", "indicator"),
        goals=goals.sort("goal"),
        targets=tgt.sort("target"),
        uncovered_targets=tuple(uncovered),
        base_year=base_year,
    )
