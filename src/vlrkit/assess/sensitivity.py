"""Sensitivity: what every method and method edition says about each indicator and goal, side
by side, and where they disagree.

The same panel and spec are assessed under every SDSN method edition
(:func:`vlrkit.assess.editions.names`: colour and trend arrow of each indicator and goal) and by
every progress method (UNSD, UNSD five bands, Statistics Canada, Eurostat's long window, the
projection form, Open SDG's measure: status towards the target).  Colours and arrows compare as
they are; progress statuses are put on one coarse scale first, since each method words its
bands differently (:data:`CLASSES`: ``ahead`` — achieved or on track; ``moderate``; ``limited``;
``away`` — deterioration or moving away).  An outcome that says nothing (grey, insufficient data,
no target, not available) takes no side.  A row *disagrees* when the methods that take a side do
not all say the same; ``spread`` counts the different things they say.

    >>> from vlrkit.assess import sensitivity
    >>> s = sensitivity.of_review(review)                 # doctest: +SKIP
    >>> s.indicator_table()                               # one row per indicator, wide
    >>> s.goal_table()                                    # one row per goal
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from vlrkit.assess import editions, frames, progress, sdsn

#: The progress methods compared (Eurostat by its long-term window).
PROGRESS = ("unsd", "unsd5", "statcan", "eurostat", "projection", "opensdg")
#: Every progress status on one coarse scale, best first.
CLASSES: dict[str, str] = {
    **dict.fromkeys(("achieved", "target_achieved", "on_track", "target_met_or_almost", "substantial_progress",
                     "significant_progress"), "ahead"),
    **dict.fromkeys(("moderate_progress", "fair_progress", "acceleration_needed"), "moderate"),
    **dict.fromkeys(("limited_progress", "marginal_progress", "insufficient_progress", "stagnation",
                     "stagnation_or_regression"), "limited"),
    **dict.fromkeys(("deterioration", "moving_away", "moderate_movement_away", "significant_movement_away"), "away"),
}
#: Outcomes that take no side.
SILENT = frozenset({"grey", "insufficient_data", "no_target", "not_available"})
_KEYS = ["entity", "indicator"]


@dataclass(frozen=True)
class Sensitivity:
    """Every method's outcome, long: ``indicators`` (entity, indicator, goal, kind, method,
    outcome, side) and ``goals`` (entity, goal, kind, method, outcome, side); ``kind`` is
    ``colour``, ``trend`` (``method`` = the SDSN edition) or ``progress`` (``method`` = the
    progress method; ``side`` its coarse class, :data:`CLASSES`)."""

    indicators: pl.DataFrame
    goals: pl.DataFrame
    editions: tuple[str, ...]
    methods: tuple[str, ...]
    chosen: str = "vlrkit"  # the edition the review is assessed by (editions.DEFAULT)

    def indicator_table(self) -> pl.DataFrame:
        """One row per entity × indicator: ``colour:<edition>``, ``trend:<edition>``,
        ``progress:<method>`` and the flags ``colour_disagree``, ``trend_disagree``,
        ``progress_disagree``, ``disagree`` and ``spread``."""
        return _wide(self.indicators, ["entity", "indicator", "goal"])

    def goal_table(self) -> pl.DataFrame:
        """One row per entity × goal, the same columns (progress: the share of the goal's
        assessed indicators ahead, ``k/n``)."""
        return _wide(self.goals, ["entity", "goal"])

    def indicator(self, code: str, entity: str | None = None) -> list[dict[str, Any]]:
        """One indicator's outcomes, long (what the web page lists)."""
        f = self.indicators.filter(pl.col("indicator") == code)
        if entity is not None:
            f = f.filter(pl.col("entity") == entity)
        return f.to_dicts()


def _flags(long: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    said = long.filter(pl.col("side").is_not_null())
    per = said.group_by([*keys, "kind"]).agg(pl.col("side").n_unique().alias("n"))
    wide = per.pivot(on="kind", index=keys, values="n")
    out = long.select(keys).unique()
    out = out.join(wide, on=keys, how="left") if wide.height else out
    cols = []
    for kind in ("colour", "trend", "progress"):
        n = pl.col(kind).fill_null(0) if kind in out.columns else pl.lit(0)
        cols.append((n > 1).alias(f"{kind}_disagree"))
    out = out.with_columns(cols)
    spread = pl.max_horizontal(*[pl.col(k).fill_null(0) for k in ("colour", "trend", "progress") if k in out.columns],
                               pl.lit(0)).cast(pl.Int32)
    return out.with_columns(
        pl.any_horizontal("colour_disagree", "trend_disagree", "progress_disagree").alias("disagree"),
        spread.alias("spread"),
    ).select(*keys, "colour_disagree", "trend_disagree", "progress_disagree", "disagree", "spread")


def _wide(long: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    if long.height == 0:
        return pl.DataFrame(schema={k: long.schema[k] for k in keys})
    named = long.with_columns((pl.col("kind") + ":" + pl.col("method")).alias("column"))
    order = list(dict.fromkeys(named["column"].to_list()))
    wide = named.pivot(on="column", index=keys, values="outcome", aggregate_function="first")
    return wide.select(*keys, *order).join(_flags(long, keys), on=keys, how="left").sort(keys)


def compute(panel: pl.DataFrame | frames.Panel, spec: pl.DataFrame, *, year: int | None = None,
            base_year: int | None = None, sdsn_editions: Sequence[str] | None = None,
            methods: Sequence[str] = PROGRESS, chosen: str | None = None) -> Sensitivity:
    """Assess ``panel`` against ``spec`` under every SDSN edition and progress method."""
    eds = tuple(sdsn_editions) if sdsn_editions is not None else editions.names("sdsn")
    checked = frames.prepare(panel)
    ind_rows: list[pl.DataFrame] = []
    goal_rows: list[pl.DataFrame] = []
    for name in eds:
        res = sdsn.assess(checked, spec, profile=name, year=year, trend_start=base_year)
        for kind, col in (("colour", "colour"), ("trend", "trend")):
            ind_rows.append(res.indicators.select(
                *_KEYS, "goal", pl.lit(kind).alias("kind"), pl.lit(name).alias("method"),
                pl.col(col).alias("outcome")))
            goal_rows.append(res.goals.select(
                "entity", "goal", pl.lit(kind).alias("kind"), pl.lit(name).alias("method"),
                pl.col(col).alias("outcome")))
    for m in methods:
        t = progress.assess(checked, spec, method=m, base_year=base_year, year=year).table
        if "window" in t.columns:
            t = t.filter(pl.col("window") != "short")
        if "goal" not in t.columns:  # no indicator with a target: nothing to say under this method
            continue
        rows = t.select(*_KEYS, "goal", pl.lit("progress").alias("kind"), pl.lit(m).alias("method"),
                        pl.col("status").alias("outcome"))
        ind_rows.append(rows)
        side = pl.col("outcome").replace_strict(CLASSES, default=None, return_dtype=pl.String)
        goal_rows.append(rows.with_columns(side.alias("side")).group_by("entity", "goal").agg(
            (pl.col("side") == "ahead").sum().alias("k"), pl.col("side").is_not_null().sum().alias("n"),
        ).select("entity", "goal", pl.lit("progress").alias("kind"), pl.lit(m).alias("method"),
                 pl.when(pl.col("n") > 0).then(pl.format("{}/{}", "k", "n")).alias("outcome"),
                 pl.when(pl.col("n") > 0).then((pl.col("k") / pl.col("n")).round(2).cast(pl.String)).alias("side")))
    inds = pl.concat([r.with_columns(pl.col("goal").cast(pl.Int32)) for r in ind_rows], how="vertical_relaxed")
    side = pl.when(pl.col("kind") == "progress").then(
        pl.col("outcome").replace_strict(CLASSES, default=None, return_dtype=pl.String)).otherwise(
        pl.when(pl.col("outcome").is_in(list(SILENT))).then(None).otherwise(pl.col("outcome")))
    inds = inds.with_columns(side.alias("side"))
    goals = pl.concat([g if "side" in g.columns else g.with_columns(
        pl.when(pl.col("outcome").is_in(list(SILENT))).then(None).otherwise(pl.col("outcome")).alias("side"))
        for g in (x.with_columns(pl.col("goal").cast(pl.Int32)) for x in goal_rows)], how="diagonal_relaxed")
    return Sensitivity(inds, goals.select("entity", "goal", "kind", "method", "outcome", "side"), eds,
                       tuple(methods), chosen or editions.DEFAULT)


def of_review(review: Any, *, year: int | None = None, base_year: int | None = None) -> Sensitivity:
    """The sensitivity of one review: its headline series whose direction is known, with their
    local targets, as :func:`vlrkit.assess.review.assess_review` builds them
    (:mod:`vlrkit.assess.specs`), under every edition and method."""
    from vlrkit.assess import specs as specs_mod
    from vlrkit.assess.review import optimum_rule

    year = review.edition.period_end if year is None else year
    chosen = getattr(review.edition, "method_edition", None)
    start = editions.sdsn(chosen).progress.base_year if base_year is None else base_year
    sp = specs_mod.build(review, base_year=start, year=year)
    keys = [s.key for s in sp.series if s.headline and s.claims_allowed]
    spec = specs_mod.spec_frame(sp, "local", headline_only=True,
                                optimum_of={i.code: optimum_rule(i) for i in review.indicators})
    panel = sp.rows.filter(pl.col("indicator").is_in(keys))
    return compute(panel, spec, year=year, base_year=base_year, chosen=chosen)
