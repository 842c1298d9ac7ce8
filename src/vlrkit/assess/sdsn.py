"""SDSN SDG Index and Dashboards: normalised scores, colours, goal scores, index and trends.

The method of Sachs et al. (Sustainable Development Report; ``METHODS.md`` §1), vectorised with
polars over entity × indicator × year: the panel is reduced to each series' latest value and
trend window by position, every rule after that is a column expression.  Every rule comes from
a *method edition* (:mod:`vlrkit.assess.editions`: ``vlrkit``'s defaults unless another profile
is named — ``sdsn-2018``, ``sdr-2026``, ``us-cities-2019``…): the bounds' percentiles, the
yellow threshold, whether an indicator is coloured on its score or its raw value, the goal
colour rule (two worst, or the mean of the indicators' colours with a red-share rule) and its
grey rule, the trend window and its fallback, the goal trend, the index and its imputation.

Bounds come from the spec (explicit metadata) or, where a bound is empty, from the peers in the
panel: lower bound = the edition's percentile (2.5th), optimum by the rule the spec names in its
``optimum`` column (:data:`~vlrkit.assess.rules.OPTIMUM_RULES`: explicit target, leave no one
behind, science-based, top 5 performers) or, with none named, the indicator's explicit target if
it has one (SDSN's first preference), else the mean of the top 5 performers, green/red =
75th/25th percentile (vlrkit's choice; SDSN publishes its thresholds per indicator).  Derived
bounds need at least the edition's ``min_peers`` entities; a single city must give them in
metadata.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from vlrkit.assess import editions, frames
from vlrkit.assess.editions import SdsnEdition
from vlrkit.assess.results import SdsnResult
from vlrkit.assess.rules import (
    LNOB_ACCESS,
    LNOB_DEPRIVATION,
    METHOD_VERSION,
    OPTIMUM_RULES,
)

#: Fewest entities from which bounds may be derived (the ``vlrkit`` edition's).
MIN_PEERS = editions.sdsn().normalisation.min_peers
_KEYS = ["entity", "indicator"]
#: The 0..3 scale: lower bound 0, red threshold 1, yellow 1.5, green 2, optimum 3 — and so the
#: indicator colour cuts.  Fixed by construction of the positions; the goal's cuts are the
#: edition's.
RED_AT, YELLOW_AT, GREEN_AT = 1.0, 1.5, 2.0


def score(x: pl.Expr, best: pl.Expr, worst: pl.Expr, clip: bool = True) -> pl.Expr:
    """``100 · (x − worst) / (best − worst)`` clipped to [0, 100]; null when best = worst."""
    span = best - worst
    raw = pl.when(span != 0).then(100.0 * (x - worst) / span)
    return raw.clip(0.0, 100.0) if clip else raw


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


def scale03_yellow(s: pl.Expr, red_s: pl.Expr, yellow_s: pl.Expr, green_s: pl.Expr) -> pl.Expr:
    """Score → 0..3 with a yellow threshold of its own at 1.5 (editions that publish one)."""
    return (
        pl.when(s.is_null()).then(None)
        .when(s < red_s).then(s / red_s)
        .when(s < yellow_s).then(1.0 + 0.5 * (s - red_s) / (yellow_s - red_s))
        .when(s < green_s).then(1.5 + 0.5 * (s - yellow_s) / (green_s - yellow_s))
        .when(green_s >= 100.0).then(3.0)
        .otherwise(2.0 + (s - green_s) / (100.0 - green_s))
    )


def position_of_value(d: pl.Expr, x: pl.Expr, worst: pl.Expr, red: pl.Expr, yellow: pl.Expr,
                      green: pl.Expr, best: pl.Expr) -> pl.Expr:
    """Raw value → 0..3 (editions that colour the raw value): the same piecewise line through
    worst 0, red 1, yellow 1.5, green 2 and best 3, on the values in the desired direction
    (``d`` = ±1), so a threshold beyond the worst or the best keeps its meaning."""
    u, uw, ur, uy, ug, ub = (d * c for c in (x, worst, red, yellow, green, best))
    return (
        pl.when(u.is_null() | ur.is_null() | ug.is_null()).then(None)
        .when(u >= ug).then(pl.when(ub > ug).then(2.0 + ((u - ug) / (ub - ug)).clip(upper_bound=1.0))
                            .otherwise(3.0))
        .when(u >= uy).then(1.5 + 0.5 * (u - uy) / (ug - uy))
        .when(u >= ur).then(1.0 + 0.5 * (u - ur) / (uy - ur))
        .when(ur > uw).then(((u - uw) / (ur - uw)).clip(lower_bound=0.0))
        .otherwise(0.0)
    )


def colour(v: pl.Expr, colours: int = 4) -> pl.Expr:
    """Indicator colour from its 0..3 value; a value on a threshold takes the better colour.
    With three colours there is no orange: below the yellow threshold is red."""
    expr = pl.when(v.is_null()).then(pl.lit("grey")).when(v >= GREEN_AT).then(pl.lit("green"))
    if colours == 3:
        return expr.when(v >= RED_AT).then(pl.lit("yellow")).otherwise(pl.lit("red"))
    return (
        expr.when(v >= YELLOW_AT).then(pl.lit("yellow"))
        .when(v >= RED_AT).then(pl.lit("orange"))
        .otherwise(pl.lit("red"))
    )


def derive_bounds(latest: pl.DataFrame, spec: pl.DataFrame,
                  profile: SdsnEdition | str | None = None) -> pl.DataFrame:
    """Fill empty bounds of ``spec`` from the peers' latest values; record each bound's source."""
    n = editions.sdsn(profile).normalisation
    up = pl.col("direction") != "lower"
    peers = latest.join(spec.select("indicator", "direction"), on="indicator").group_by(
        "indicator"
    ).agg(
        pl.len().alias("peers"),
        pl.when(up.first())
        .then(pl.col("value").quantile(n.worst_percentile, "linear"))
        .otherwise(pl.col("value").quantile(1 - n.worst_percentile, "linear"))
        .alias("p_worst"),
        pl.when(up.first())
        .then(pl.col("value").top_k(n.top_performers).mean())
        .otherwise(pl.col("value").bottom_k(n.top_performers).mean())
        .alias("p_best"),
        pl.when(up.first())
        .then(pl.col("value").quantile(n.green_percentile, "linear"))
        .otherwise(pl.col("value").quantile(1 - n.green_percentile, "linear"))
        .alias("p_green"),
        pl.when(up.first())
        .then(pl.col("value").quantile(n.red_percentile, "linear"))
        .otherwise(pl.col("value").quantile(1 - n.red_percentile, "linear"))
        .alias("p_red"),
    )
    out = spec.join(peers, on="indicator", how="left")
    enough = pl.col("peers").fill_null(0) >= n.min_peers
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
            trend_start: int, ed: SdsnEdition) -> pl.DataFrame:
    """Latest point and the trend window of every series of the spec.

    The window starts at ``trend_start`` — or, without a value that year, at the first later
    year (fallback ``next``) or at the year nearest to it from the edition's ``earliest`` on
    (``nearest``; a tie takes the earlier year) — and ends at the latest value or, when the
    edition sets an ``end`` year, at the last value up to it (``trend_year1``,
    ``trend_value1``)."""
    t = ed.trend
    latest = frames.of_spec(frames.summary(data, start=trend_start, end=year, categorical=True), spec)
    out = latest.select(*_KEYS, pl.col("y1").alias("year"), pl.col("x1").alias("value"))
    if t.end is None:
        w = latest
    else:  # the window ends before the latest value (2018: 2010–2015)
        end = t.end if year is None else min(year, t.end)
        w = frames.of_spec(frames.summary(data, start=trend_start, end=end, categorical=True), spec)
    n, y0, x0 = pl.col("n_since"), pl.col("ys"), pl.col("xs")
    if t.fallback == "nearest":
        # the last value before the start year, no earlier than ``earliest`` and before the
        # window's end, when it is nearer the start year than the first value from it on, or
        # the first value is the window's last
        yb = pl.col("yb")
        ok = yb.is_not_null() & (yb >= (trend_start if t.earliest is None else t.earliest)) & (yb < pl.col("y1"))
        before = ok & (y0.is_null() | (n < 2) | ((trend_start - yb) <= (y0 - trend_start)))
        n, y0, x0 = (pl.when(before).then(a).otherwise(b) for a, b in (
            (n + 1, n), (yb, y0), (pl.col("xb"), x0)))
    window = w.select(
        *([] if t.end is None else _KEYS), n.alias("n_trend"), y0.alias("trend_year0"), x0.alias("trend_value0"),
        *([] if t.end is None else [pl.col("y1").alias("trend_year1"), pl.col("x1").alias("trend_value1")]),
    )
    if t.end is None:  # the same rows in the same order
        return out.with_columns(window)
    return out.join(window, on=_KEYS, how="left", maintain_order="left").with_columns(
        pl.col("n_trend").fill_null(0))


def assess(
    data: pl.DataFrame | frames.Panel,
    spec: pl.DataFrame,
    *,
    profile: SdsnEdition | str | None = None,
    year: int | None = None,
    trend_start: int | None = None,
    horizon: int | None = None,
    not_applicable: pl.DataFrame | None = None,
    regions: pl.DataFrame | None = None,
) -> SdsnResult:
    """Run the SDSN method on a panel (see :mod:`vlrkit.assess.frames`) and an indicator spec.

    ``profile`` is the method edition (:mod:`vlrkit.assess.editions`; its name or the object;
    None: ``vlrkit``'s defaults) whose rules are applied.  ``year`` caps the data used (latest
    value ≤ year); ``trend_start`` and ``horizon`` override the edition's trend window start and
    horizon; ``not_applicable`` (``entity, indicator``) removes indicators that do not apply to
    an entity from its coverage (e.g. ocean indicators for a landlocked country); ``regions``
    (``entity, region``) fills a goal without data with the mean of its region's ranked
    entities, as SDSN does for countries, when the edition imputes — leave it None for cities
    (missing stays missing).
    """
    ed = editions.sdsn(profile)
    trend_start = ed.trend.start if trend_start is None else trend_start
    horizon = ed.trend.horizon if horizon is None else horizon
    spec = frames.categorical(frames.spec(spec), "indicator")
    if not_applicable is not None:
        not_applicable = frames.categorical(not_applicable, *_KEYS)
    if regions is not None and ed.index.impute == "regional_mean":
        regions = frames.categorical(regions, "entity")
    else:
        regions = None
    series = _series(frames.prepare(data), spec, year, trend_start, ed)
    bounds = derive_bounds(series.select("indicator", "value"), spec, ed)
    b = bounds.select("indicator", "goal", "direction", "best", "worst", "green", "red", "yellow", "index")
    clip = ed.normalisation.clip
    given_yellow = ed.colouring.yellow == "given"
    yellow = pl.col("yellow") if given_yellow else pl.lit(None, pl.Float64)
    s_green = score(pl.col("green"), pl.col("best"), pl.col("worst"), clip)
    s_red = score(pl.col("red"), pl.col("best"), pl.col("worst"), clip)
    s_yellow = pl.coalesce(score(yellow, pl.col("best"), pl.col("worst"), clip), (s_green + s_red) / 2)
    # one row per series, scored in the streaming engine: in morsels, over both cores, without a
    # full-size frame per step
    scored = series.lazy().join(b.lazy(), on="indicator", maintain_order="left").with_columns(
        score(pl.col("value"), pl.col("best"), pl.col("worst"), clip).alias("score"),
        score(pl.col("trend_value0"), pl.col("best"), pl.col("worst"), clip).alias("trend_score0"),
        *([score(pl.col("trend_value1"), pl.col("best"), pl.col("worst"), clip).alias("trend_score1")]
          if ed.trend.end is not None else []),
        s_green.alias("green_score"),
        s_red.alias("red_score"),
        *([s_yellow.alias("yellow_score")] if given_yellow else []),
    )
    has_thresholds = pl.col("green_score").is_not_null() & pl.col("red_score").is_not_null()
    if ed.colouring.on == "value":
        y_raw = pl.coalesce(yellow, (pl.col("green") + pl.col("red")) / 2)
        position = position_of_value(frames.sign(pl.col("direction")), pl.col("value"), pl.col("worst"),
                                     pl.col("red"), y_raw, pl.col("green"), pl.col("best"))
    elif given_yellow:
        position = scale03_yellow(pl.col("score"), pl.col("red_score"), pl.col("yellow_score"), pl.col("green_score"))
    else:
        position = scale03(pl.col("score"), pl.col("red_score"), pl.col("green_score"))
    scored = scored.with_columns(
        pl.when(has_thresholds).then(position.round(ed.colouring.position_decimals)).alias("scale03")
    ).with_columns(colour(pl.col("scale03"), ed.colouring.colours).alias("colour"))
    if given_yellow:
        scored = scored.drop("yellow_score")
    trended = _trends(scored, horizon, ed)
    if ed.trend.end is not None:
        trended = trended.drop("trend_year1", "trend_value1", "trend_score1")
    ind = trended.collect(engine="streaming")

    expected = _expected(ind.select("entity").unique(), spec, not_applicable)
    goals = _goals(ind, expected, ed)
    index = _index(goals, ind, expected, ed)
    if regions is not None:
        goals, index = _impute(goals, index, regions)
    return SdsnResult(
        indicators=frames.strings(ind),  # in entity, indicator order: see frames.Panel
        goals=frames.strings(goals.sort("entity", "goal")),
        index=frames.strings(index.sort("entity")),
        bounds=frames.strings(bounds.sort("indicator")),
        parameters={"year": year, "trend_start": trend_start, "horizon": horizon, "edition": ed.name},
        method="sdsn",
        version=METHOD_VERSION,
        edition=ed.name,
    )


def _trends(ind: pl.LazyFrame, horizon: int, ed: SdsnEdition) -> pl.LazyFrame:
    """Indicator trend arrows from the normalised score's average annual change over the window
    (to the latest value, or to the edition's ``end`` year)."""
    y1, s1 = (("trend_year1", "trend_score1") if ed.trend.end is not None else ("year", "score"))
    dt = (pl.col(y1) - pl.col("trend_year0")).cast(pl.Float64)
    left = pl.max_horizontal(pl.lit(horizon) - pl.col("trend_year0"), pl.lit(1)).cast(pl.Float64)
    ind = ind.with_columns(
        pl.when(dt > 0).then((pl.col(s1) - pl.col("trend_score0")) / dt).alias("trend_observed"),
        ((pl.col("green_score") - pl.col("trend_score0")) / left).alias("trend_required"),
    )
    obs, req, last = pl.col("trend_observed"), pl.col("trend_required"), pl.col(s1)
    trend = (
        pl.when(
            (pl.col("n_trend") < 2) | obs.is_null() | pl.col("green_score").is_null()
            | last.is_null()
        )
        .then(pl.lit("insufficient_data"))
        .when(last >= pl.col("green_score"))
        .then(pl.lit("on_track"))  # maintaining achievement
        .when(obs < 0)
        .then(pl.lit("decreasing"))
        .when(obs < ed.trend.moderate_share * req)
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


def _goals(ind: pl.DataFrame, expected: pl.DataFrame, ed: SdsnEdition) -> pl.DataFrame:
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
        pl.col("trend").replace_strict(dict(ed.trend.goal_points), default=None,
                                       return_dtype=pl.Float64).fill_null(np.nan),
    )
    mean_colour = ed.goal_colour.rule == "mean_colour"  # the colours' points only where the rule reads them
    if mean_colour:
        rows = rows.with_columns(ind.select(
            pl.col("colour").replace_strict(dict(ed.goal_colour.points), default=None,
                                            return_dtype=pl.Float64).fill_null(np.nan).alias("points"),
            (pl.col("colour") == "red").fill_null(False).alias("is_red")))
    entities = ind.filter(new_entity).select("entity").with_row_index("_e")
    cells = entities.height * span
    cell, x, score, index, rated, points, *by_colour = (rows.to_series(c).to_numpy() for c in range(rows.width))

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
    if mean_colour:
        colour_points, is_red = by_colour
        g = g.with_columns(
            column("colour_points", mean(~np.isnan(colour_points), colour_points)),
            column("n_red", total(is_red).astype(np.int64), pl.Int32()),
            column("n_coloured", total(~np.isnan(colour_points)).astype(np.int64), pl.Int32()),
        )
    else:
        g = g.with_columns(pl.lit(None, pl.Float64).alias("colour_points"), pl.lit(None, pl.Int32).alias("n_red"),
                           pl.lit(None, pl.Int32).alias("n_coloured"))
    gc = ed.goal_colour
    coverage = pl.col("n_indicators") / pl.col("n_expected")
    grey = (pl.col("n_expected") == 0) | (coverage < gc.min_coverage) | pl.col("worst1").is_null()
    col = pl.when(grey).then(pl.lit("grey")).otherwise(goal_colour(gc))
    t = pl.col("trend_points")
    bands = ed.trend.goal_bands
    trend = (
        pl.when(
            (pl.col("n_trend") < ed.trend.goal_min_coverage * pl.col("n_expected")) | t.is_null()
        )
        .then(pl.lit("insufficient_data"))
        .when(t < bands[0])
        .then(pl.lit("decreasing"))
        .when(t < bands[1])
        .then(pl.lit("stagnating"))
        .when(t < bands[2])
        .then(pl.lit("moderately_improving"))
        .otherwise(pl.lit("on_track"))
    )
    return g.with_columns(
        col.alias("colour"), trend.alias("trend"), pl.lit(False).alias("imputed")
    ).select(
        "entity", "goal", "score", "colour", "trend", "n_indicators", "n_expected", "worst1",
        "worst2", "colour_points", "n_red", "n_coloured", "trend_points", "n_trend", "imputed",
    )


def goal_colour(gc: Any) -> pl.Expr:
    """A goal's colour (not grey) by the edition's rule, from its figures ``worst1``, ``worst2``
    (the two worst 0..3 positions), ``colour_points`` (the mean of its indicators' colour
    points), ``n_red`` and ``n_coloured`` (its red and its coloured indicators).

    ``two_worst``: the mean of the two worst against ``green_at`` / ``yellow_at`` /
    ``orange_at``, green only if both are green and red only if both are red (where the edition
    says so).  ``mean_colour``: the mean of the colours' points rounded to the nearest colour
    (halves up), red when more than ``red_share`` of the coloured indicators are red."""
    if gc.rule == "mean_colour":
        p = gc.points
        cuts = sorted(((p[c] + p[b]) / 2, c) for c, b in (("green", "yellow"), ("yellow", "orange"),
                                                           ("orange", "red")))
        m = pl.col("colour_points")
        expr: Any = pl.when(pl.lit(False)).then(pl.lit(None, pl.String))
        if gc.red_share is not None:
            expr = expr.when(pl.col("n_red") > gc.red_share * pl.col("n_coloured")).then(pl.lit("red"))
        for cut, c in reversed(cuts):
            expr = expr.when(m >= cut).then(pl.lit(c))
        return expr.otherwise(pl.lit("red"))
    mean2 = (pl.col("worst1") + pl.col("worst2")) / 2
    # worst1 ≤ worst2, so "both green" is worst1 green, "both red" worst2 red
    green = pl.when(pl.col("worst1") >= gc.green_at).then(pl.lit("green")).otherwise(pl.lit("yellow")) \
        if gc.both_green else pl.lit("green")
    red = pl.when(pl.col("worst2") < gc.orange_at).then(pl.lit("red")).otherwise(pl.lit("orange")) \
        if gc.both_red else pl.lit("red")
    return (
        pl.when(mean2 >= gc.green_at).then(green)
        .when(mean2 >= gc.yellow_at).then(pl.lit("yellow"))
        .when(mean2 >= gc.orange_at).then(pl.lit("orange"))
        .otherwise(red)
    )


def _index(goals: pl.DataFrame, ind: pl.DataFrame, expected: pl.DataFrame, ed: SdsnEdition) -> pl.DataFrame:
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
        (pl.col("coverage") >= ed.index.min_coverage).alias("ranked")
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
