"""SDSN SDG Index and Dashboards: normalised scores, colours, goal scores, index and trends.

The method of Sachs et al. (Sustainable Development Report; ``METHODS.md`` §1), vectorised with
polars over entity × indicator × year: one group-by reduces the panel to each series' latest
value and trend window, every rule after that is a column expression.

Bounds come from the spec (explicit metadata) or, where a bound is empty, from the peers in the
panel: lower bound = 2.5th percentile, optimum by the rule the spec names in its ``optimum``
column (:data:`~vlrkit.assess.rules.OPTIMUM_RULES`: explicit target, leave no one behind,
science-based, top 5 performers) or, with none named, the indicator's explicit target if it has
one (SDSN's first preference), else the mean of the top 5 performers, green/red =
75th/25th percentile (vlrkit's choice; SDSN publishes its thresholds per indicator).  Derived
bounds need at least :data:`MIN_PEERS` entities; a single city must give them in metadata.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from vlrkit.assess import frames
from vlrkit.assess.results import SdsnResult
from vlrkit.assess.rules import (
    LNOB_ACCESS,
    LNOB_DEPRIVATION,
    METHOD_VERSION,
    OPTIMUM_RULES,
    SDSN_GREEN_AT,
    SDSN_GREEN_PERCENTILE,
    SDSN_MIN_GOAL_COVERAGE,
    SDSN_MIN_INDEX_COVERAGE,
    SDSN_MIN_TREND_COVERAGE,
    SDSN_MODERATE_SHARE,
    SDSN_ORANGE_AT,
    SDSN_POSITION_DECIMALS,
    SDSN_RED_PERCENTILE,
    SDSN_TOP_PERFORMERS,
    SDSN_TREND_BANDS,
    SDSN_TREND_HORIZON,
    SDSN_TREND_POINTS,
    SDSN_TREND_START,
    SDSN_WORST_PERCENTILE,
    SDSN_YELLOW_AT,
)

#: Fewest entities from which bounds may be derived.
MIN_PEERS = 5
_KEYS = ["entity", "indicator"]


def score(x: pl.Expr, best: pl.Expr, worst: pl.Expr) -> pl.Expr:
    """``100 · (x − worst) / (best − worst)`` clipped to [0, 100]; null when best = worst."""
    span = best - worst
    raw = pl.when(span != 0).then(100.0 * (x - worst) / span)
    return raw.clip(0.0, 100.0)


def scale03(s: pl.Expr, red_s: pl.Expr, green_s: pl.Expr) -> pl.Expr:
    """Score → 0..3, piecewise linear: lower bound 0, red threshold 1, green 2, optimum 3."""
    return (
        pl.when(s.is_null())
        .then(None)
        .when(s < red_s)
        .then(s / red_s)
        .when(s < green_s)
        .then(1.0 + (s - red_s) / (green_s - red_s))
        .when(green_s >= 100.0)
        .then(3.0)
        .otherwise(2.0 + (s - green_s) / (100.0 - green_s))
    )


def colour(v: pl.Expr) -> pl.Expr:
    """Indicator colour from its 0..3 value; a value on a threshold takes the better colour."""
    return (
        pl.when(v.is_null())
        .then(pl.lit("grey"))
        .when(v >= SDSN_GREEN_AT)
        .then(pl.lit("green"))
        .when(v >= SDSN_YELLOW_AT)
        .then(pl.lit("yellow"))
        .when(v >= SDSN_ORANGE_AT)
        .then(pl.lit("orange"))
        .otherwise(pl.lit("red"))
    )


def derive_bounds(latest: pl.DataFrame, spec: pl.DataFrame) -> pl.DataFrame:
    """Fill empty bounds of ``spec`` from the peers' latest values; record each bound's source."""
    up = pl.col("direction") != "lower"
    peers = latest.join(spec.select("indicator", "direction"), on="indicator").group_by(
        "indicator"
    ).agg(
        pl.len().alias("peers"),
        pl.when(up.first())
        .then(pl.col("value").quantile(SDSN_WORST_PERCENTILE, "linear"))
        .otherwise(pl.col("value").quantile(1 - SDSN_WORST_PERCENTILE, "linear"))
        .alias("p_worst"),
        pl.when(up.first())
        .then(pl.col("value").top_k(SDSN_TOP_PERFORMERS).mean())
        .otherwise(pl.col("value").bottom_k(SDSN_TOP_PERFORMERS).mean())
        .alias("p_best"),
        pl.when(up.first())
        .then(pl.col("value").quantile(SDSN_GREEN_PERCENTILE, "linear"))
        .otherwise(pl.col("value").quantile(1 - SDSN_GREEN_PERCENTILE, "linear"))
        .alias("p_green"),
        pl.when(up.first())
        .then(pl.col("value").quantile(SDSN_RED_PERCENTILE, "linear"))
        .otherwise(pl.col("value").quantile(1 - SDSN_RED_PERCENTILE, "linear"))
        .alias("p_red"),
    )
    out = spec.join(peers, on="indicator", how="left")
    enough = pl.col("peers").fill_null(0) >= MIN_PEERS
    cols = [*_optimum(out, enough)]
    for b in ("worst", "green", "red"):
        given = pl.col(b).is_not_null()
        cols += [
            pl.when(given).then(pl.col(b)).when(enough).then(pl.col(f"p_{b}")).alias(b),
            pl.when(given)
            .then(pl.lit("metadata"))
            .when(enough)
            .then(pl.lit("peers"))
            .otherwise(pl.lit("none"))
            .alias(f"{b}_source"),
        ]
    return out.with_columns(cols).drop("p_best", "p_worst", "p_green", "p_red").with_columns(
        pl.col("peers").fill_null(0)
    )


def _optimum(spec: pl.DataFrame, enough: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """``best``, ``best_source`` and the ``optimum`` rule used (:data:`OPTIMUM_RULES`)."""
    named = spec["optimum"].drop_nulls().unique().to_list()
    bad = sorted(set(named) - set(OPTIMUM_RULES))
    if bad:
        raise ValueError(f"unknown optimum rule(s) {bad}; one of {', '.join(OPTIMUM_RULES)}")
    rule, given = pl.col("optimum"), pl.col("best").is_not_null()
    target = pl.col("target").is_not_null()
    lnob = pl.when(pl.col("direction") == "lower").then(pl.lit(LNOB_DEPRIVATION)).otherwise(pl.lit(LNOB_ACCESS))
    peers = pl.when(enough).then(pl.col("p_best"))
    best = (
        pl.when(given).then(pl.col("best"))
        .when(rule == "target").then(pl.col("target"))
        .when(rule == "lnob").then(lnob)
        .when(rule == "top5").then(peers)
        .when(rule.is_not_null()).then(None)  # science without a value: nothing to go on
        .when(target).then(pl.col("target"))  # no rule named: the target first (SDSN's order)
        .otherwise(peers)
    )
    source = (
        pl.when(given).then(pl.lit("metadata"))
        .when(best.is_null()).then(pl.lit("none"))
        .when(rule == "lnob").then(pl.lit("lnob"))
        .when((rule == "target") | rule.is_null() & target).then(pl.lit("target"))
        .otherwise(pl.lit("peers"))
    )
    used = (
        pl.when(best.is_null()).then(pl.lit("none"))
        .when(rule.is_not_null()).then(rule)
        .when(given).then(pl.lit("metadata"))
        .when(target).then(pl.lit("target"))
        .otherwise(pl.lit("top5"))
    )
    return best.alias("best"), source.alias("best_source"), used.alias("optimum")


def _series(data: pl.DataFrame | frames.Panel, spec: pl.DataFrame, year: int | None,
            trend_start: int) -> pl.DataFrame:
    """Latest point and first point of the trend window of every series of the spec."""
    s = frames.summary(data, start=trend_start, end=year, categorical=True)
    return frames.of_spec(s, spec).select(
        *_KEYS,
        pl.col("y1").alias("year"),
        pl.col("x1").alias("value"),
        pl.col("n_since").alias("n_trend"),
        pl.col("ys").alias("trend_year0"),
        pl.col("xs").alias("trend_value0"),
    )


def assess(
    data: pl.DataFrame | frames.Panel,
    spec: pl.DataFrame,
    *,
    year: int | None = None,
    trend_start: int = SDSN_TREND_START,
    horizon: int = SDSN_TREND_HORIZON,
    not_applicable: pl.DataFrame | None = None,
    regions: pl.DataFrame | None = None,
) -> SdsnResult:
    """Run the SDSN method on a panel (see :mod:`vlrkit.assess.frames`) and an indicator spec.

    ``year`` caps the data used (latest value ≤ year); ``trend_start`` opens the trend window;
    ``not_applicable`` (``entity, indicator``) removes indicators that do not apply to an entity
    from its coverage (e.g. ocean indicators for a landlocked country); ``regions``
    (``entity, region``) fills a goal without data with the mean of its region's ranked
    entities, as SDSN does for countries — leave it None for cities (missing stays missing).
    """
    spec = frames.categorical(frames.spec(spec), "indicator")
    if not_applicable is not None:
        not_applicable = frames.categorical(not_applicable, *_KEYS)
    if regions is not None:
        regions = frames.categorical(regions, "entity")
    series = _series(frames.prepare(data), spec, year, trend_start)
    bounds = derive_bounds(series.select("indicator", "value"), spec)
    b = bounds.select("indicator", "goal", "direction", "best", "worst", "green", "red", "index")
    s_green = score(pl.col("green"), pl.col("best"), pl.col("worst"))
    s_red = score(pl.col("red"), pl.col("best"), pl.col("worst"))
    # one row per series, scored in the streaming engine: in morsels, over both cores, without a
    # full-size frame per step
    scored = series.lazy().join(b.lazy(), on="indicator", maintain_order="left").with_columns(
        score(pl.col("value"), pl.col("best"), pl.col("worst")).alias("score"),
        score(pl.col("trend_value0"), pl.col("best"), pl.col("worst")).alias("trend_score0"),
        s_green.alias("green_score"),
        s_red.alias("red_score"),
    )
    has_thresholds = pl.col("green_score").is_not_null() & pl.col("red_score").is_not_null()
    scored = scored.with_columns(
        pl.when(has_thresholds)
        .then(scale03(pl.col("score"), pl.col("red_score"), pl.col("green_score")).round(SDSN_POSITION_DECIMALS))
        .alias("scale03")
    ).with_columns(colour(pl.col("scale03")).alias("colour"))
    ind = _trends(scored, horizon).collect(engine="streaming")

    expected = _expected(ind.select("entity").unique(), spec, not_applicable)
    goals = _goals(ind, expected)
    index = _index(goals, ind, expected)
    if regions is not None:
        goals, index = _impute(goals, index, regions)
    return SdsnResult(
        indicators=frames.strings(ind),  # in entity, indicator order: see frames.Panel
        goals=frames.strings(goals.sort("entity", "goal")),
        index=frames.strings(index.sort("entity")),
        bounds=frames.strings(bounds.sort("indicator")),
        parameters={"year": year, "trend_start": trend_start, "horizon": horizon},
        method="sdsn",
        version=METHOD_VERSION,
    )


def _trends(ind: pl.LazyFrame, horizon: int) -> pl.LazyFrame:
    """Indicator trend arrows from the normalised score's average annual change."""
    dt = (pl.col("year") - pl.col("trend_year0")).cast(pl.Float64)
    left = pl.max_horizontal(pl.lit(horizon) - pl.col("trend_year0"), pl.lit(1)).cast(pl.Float64)
    ind = ind.with_columns(
        pl.when(dt > 0).then((pl.col("score") - pl.col("trend_score0")) / dt).alias("trend_observed"),
        ((pl.col("green_score") - pl.col("trend_score0")) / left).alias("trend_required"),
    )
    obs, req = pl.col("trend_observed"), pl.col("trend_required")
    trend = (
        pl.when(
            (pl.col("n_trend") < 2) | obs.is_null() | pl.col("green_score").is_null()
            | pl.col("score").is_null()
        )
        .then(pl.lit("insufficient_data"))
        .when(pl.col("score") >= pl.col("green_score"))
        .then(pl.lit("on_track"))  # maintaining achievement
        .when(obs < 0)
        .then(pl.lit("decreasing"))
        .when(obs < SDSN_MODERATE_SHARE * req)
        .then(pl.lit("stagnating"))
        .when(obs < req)
        .then(pl.lit("moderately_improving"))
        .otherwise(pl.lit("on_track"))
    )
    return ind.with_columns(trend.alias("trend"))


def _expected(entities: pl.DataFrame, spec: pl.DataFrame, na: pl.DataFrame | None) -> pl.DataFrame:
    """Number of applicable indicators per entity and goal: the spec's count for the goal, less
    the entity's indicators that do not apply (one row per entity and goal, not per indicator)."""
    per_goal = spec.group_by("goal").agg(
        pl.len().cast(pl.Int32).alias("n_expected"), pl.col("index").sum().cast(pl.Int32).alias("n_index")
    )
    # every goal of the spec gets a row, even where none of its indicators applies (it may be imputed)
    every = entities.join(per_goal, how="cross")
    if na is None or not na.height:
        return every
    gone = (
        na.select(_KEYS).unique().join(spec.select("indicator", "goal", "index"), on="indicator")
        .group_by("entity", "goal")
        .agg(pl.len().cast(pl.Int32).alias("_na"), pl.col("index").sum().cast(pl.Int32).alias("_na_index"))
    )
    return every.join(gone, on=["entity", "goal"], how="left").select(
        "entity", "goal",
        (pl.col("n_expected") - pl.col("_na").fill_null(0)).alias("n_expected"),
        (pl.col("n_index") - pl.col("_na_index").fill_null(0)).alias("n_index"),
    )


def _goals(ind: pl.DataFrame, expected: pl.DataFrame) -> pl.DataFrame:
    # Per entity × goal, on dense arrays rather than a hash group-by: ``ind`` holds each entity's
    # rows together, so the entity's number is a running count and (entity, goal) numbers a cell
    # of a small array that every figure is summed or minimised into (one sequential pass per
    # figure, the array stays in cache).  The second-worst position without a sort per goal: the
    # worst again where it occurs twice, else the least position above it, else (one
    # indicator) the worst.  Rows without a score have no position either.
    lo, hi = expected.select(pl.col("goal").min().fill_null(0).alias("lo"), pl.col("goal").max().fill_null(0).alias("hi")).row(0)
    span = hi - lo + 1
    new_entity = pl.col("entity").ne_missing(pl.col("entity").shift())
    rows = ind.select(
        ((new_entity.cum_sum() - 1).cast(pl.Int64) * span + (pl.col("goal") - lo).cast(pl.Int64)).alias("cell"),
        pl.col("scale03").fill_null(np.nan),
        pl.col("score").fill_null(np.nan),
        pl.col("index").fill_null(False),
        (pl.col("trend") != "insufficient_data").fill_null(False).alias("rated"),
        pl.col("trend").replace_strict(SDSN_TREND_POINTS, default=None, return_dtype=pl.Float64).fill_null(np.nan),
    )
    entities = ind.filter(new_entity).select("entity").with_row_index("_e")
    cells = entities.height * span
    cell, x, score, index, rated, points = (rows.to_series(c).to_numpy() for c in range(rows.width))

    def total(where: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        # weights in place of a masked copy: one pass over every row
        w = where if weights is None else np.where(where, weights, 0.0)
        return np.bincount(cell, w, minlength=cells)

    def least(where: np.ndarray) -> np.ndarray:
        out = np.full(cells, np.inf)
        np.minimum.at(out, cell, np.where(where, x, np.inf))
        return out

    def mean(where: np.ndarray, values: np.ndarray) -> np.ndarray:
        n = total(where)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, total(where, values) / n, np.nan)

    has_x = ~np.isnan(x)  # NaN for null: the positions and scores are finite
    worst1 = least(has_x)
    twice = total(x == worst1[cell]) >= 2
    above = least(x > worst1[cell])
    worst2 = np.where(twice | np.isinf(above), worst1, above)
    at = (
        expected.lazy().join(entities.lazy(), on="entity", how="left", maintain_order="left")
        .select((pl.col("_e").cast(pl.Int64) * span + (pl.col("goal") - lo).cast(pl.Int64)).alias("cell"))
        .collect().to_series()
    )
    known = at.is_not_null().to_numpy()  # an entity of ``expected`` without rows has no cell
    pick = at.fill_null(0).to_numpy()

    def column(name: str, values: np.ndarray, dtype: pl.DataType = pl.Float64()) -> pl.Series:
        v = values[pick]
        out = pl.Series(name, np.where(known, v, np.nan) if v.dtype.kind == "f" else np.where(known, v, 0))
        return out.fill_nan(None).cast(dtype) if v.dtype.kind == "f" else out.cast(dtype)

    worst1[np.isinf(worst1)] = np.nan
    worst2[np.isinf(worst2)] = np.nan
    g = expected.with_columns(
        column("score", mean(index & ~np.isnan(score), score)),
        column("n_indicators", total(~np.isnan(score)).astype(np.int64), pl.Int32()),
        column("worst1", worst1),
        column("worst2", worst2),
        column("trend_points", mean(rated & ~np.isnan(points), points)),
        column("n_trend", total(rated).astype(np.int64), pl.Int32()),
    )
    mean2 = (pl.col("worst1") + pl.col("worst2")) / 2
    # green only if both worst are green (worst1 ≤ worst2, so worst1 decides); red only if both red
    both_red = pl.col("worst2") < SDSN_ORANGE_AT
    coverage = pl.col("n_indicators") / pl.col("n_expected")
    col = (
        pl.when(
            (pl.col("n_expected") == 0) | (coverage < SDSN_MIN_GOAL_COVERAGE) | pl.col("worst1").is_null()
        )
        .then(pl.lit("grey"))
        .when(mean2 >= SDSN_GREEN_AT)
        .then(pl.when(pl.col("worst1") >= SDSN_GREEN_AT).then(pl.lit("green")).otherwise(pl.lit("yellow")))
        .when(mean2 >= SDSN_YELLOW_AT)
        .then(pl.lit("yellow"))
        .when(mean2 >= SDSN_ORANGE_AT)
        .then(pl.lit("orange"))
        .when(both_red)
        .then(pl.lit("red"))
        .otherwise(pl.lit("orange"))
    )
    t = pl.col("trend_points")
    trend = (
        pl.when(
            (pl.col("n_trend") < SDSN_MIN_TREND_COVERAGE * pl.col("n_expected")) | t.is_null()
        )
        .then(pl.lit("insufficient_data"))
        .when(t < SDSN_TREND_BANDS[0])
        .then(pl.lit("decreasing"))
        .when(t < SDSN_TREND_BANDS[1])
        .then(pl.lit("stagnating"))
        .when(t < SDSN_TREND_BANDS[2])
        .then(pl.lit("moderately_improving"))
        .otherwise(pl.lit("on_track"))
    )
    return g.with_columns(
        col.alias("colour"), trend.alias("trend"), pl.lit(False).alias("imputed")
    ).select(
        "entity", "goal", "score", "colour", "trend", "n_indicators", "n_expected", "worst1",
        "worst2", "trend_points", "n_trend", "imputed",
    )


def _index(goals: pl.DataFrame, ind: pl.DataFrame, expected: pl.DataFrame) -> pl.DataFrame:
    cov = (
        expected.group_by("entity")
        .agg(pl.col("n_index").sum())
        .join(
            ind.lazy().filter(pl.col("score").is_not_null() & pl.col("index")).group_by("entity").agg(
                pl.len().alias("n_indicators")
            ).collect(),
            on="entity",
            how="left",
        )
        .with_columns((pl.col("n_indicators").fill_null(0) / pl.col("n_index")).alias("coverage"))
    )
    idx = goals.group_by("entity").agg(
        pl.col("score").mean().alias("score"), pl.col("score").is_not_null().sum().alias("goals_scored")
    )
    out = idx.join(cov.select("entity", "coverage"), on="entity").with_columns(
        (pl.col("coverage") >= SDSN_MIN_INDEX_COVERAGE).alias("ranked")
    )
    return _rank(out).select("entity", "score", "goals_scored", "coverage", "ranked", "rank")


def _rank(index: pl.DataFrame) -> pl.DataFrame:
    rank = pl.when(pl.col("ranked") & pl.col("score").is_not_null()).then(pl.col("score"))
    return index.with_columns(rank.rank("min", descending=True).cast(pl.Int32).alias("rank"))


def _impute(
    goals: pl.DataFrame, index: pl.DataFrame, regions: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Fill goals without data with the mean goal score of the region's ranked entities."""
    reg = regions.select("entity", pl.col("region").cast(pl.String))
    g = goals.join(reg, on="entity", how="left").join(
        index.select("entity", "ranked"), on="entity", how="left"
    )
    means = (
        g.filter(pl.col("ranked") & pl.col("score").is_not_null())
        .group_by("region", "goal")
        .agg(pl.col("score").mean().alias("regional"))
    )
    g = g.join(means, on=["region", "goal"], how="left")
    fill = pl.col("score").is_null() & pl.col("regional").is_not_null()
    goals = g.with_columns(
        pl.when(fill).then(pl.col("regional")).otherwise(pl.col("score")).alias("score"),
        fill.alias("imputed"),
    ).select(goals.columns)
    idx = goals.group_by("entity").agg(
        pl.col("score").mean().alias("score"), pl.col("score").is_not_null().sum().alias("goals_scored")
    )
    index = _rank(index.drop("score", "goals_scored", "rank").join(idx, on="entity"))
    return goals, index.select("entity", "score", "goals_scored", "coverage", "ranked", "rank")
