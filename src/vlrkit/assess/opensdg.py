"""Open SDG's progress measure: Statistics Canada's method as Open SDG 2.4 sites compute it.

Per series (``METHODS.md`` §2; the rules are the ``opensdg-2.4`` profile's,
:mod:`vlrkit.assess.editions`): the base year (2015, else the first later year with a value),
the latest year, and

* with a target: ``R = s·d·CAGR_observed / |CAGR_required|`` (d = ±1 the desired direction, s =
  −1 when the base value is negative) against 95 % / 60 % / 0 → substantial, moderate, limited
  progress, deterioration;
* without: ``s·d·CAGR`` against 1.5 % / 0.5 % / 0, the positive thresholds scaled by a factor C
  near a natural ``limit``;
* the latest value meets the target → target achieved (score 5) whatever the trend;
* a score from −5 to 5, linear between the published anchors; an indicator's score is the mean
  of its series' scores (groups of series averaged first), its status read from that score —
  target achieved only when every series meets its target; no score → not available.

Zero base or target values are replaced by 0.001; base and latest values of opposite signs, a
single year, or no value from the base year on give ``not_available``.  The calculation
components (base and current year and value, target, direction, sign, limit, coefficient,
progress value, score, status) are columns of the result, as Open SDG writes them out.

Where sdg-build's reference code departs from its documentation or is wrong, vlrkit follows the
documentation (docs/assess.md, "Open SDG's progress measure"): the direction is never assumed
(the reference takes "negative" when it is not given); a series without a value from the base
year on is not available (the reference fails); the scores use the exact lines through the
published anchors (the reference's rounded coefficients put R in [0.949992, 0.95) and
[0.599994, 0.6) in a better indicator status than the series' own); groups of series are
averaged before the indicator's mean (documented, not implemented by the reference).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from vlrkit.assess import editions, frames
from vlrkit.assess.editions import ProgressEdition
from vlrkit.assess.results import ProgressResult
from vlrkit.assess.rules import METHOD_VERSION

STATUSES = ("target_achieved", "substantial_progress", "moderate_progress", "limited_progress", "deterioration",
            "not_available")
_KEYS = ["entity", "indicator"]


def _line(v: pl.Expr, anchors: list[tuple[Any, float]]) -> pl.Expr:
    """Piecewise-linear score of ``v`` through ``anchors`` (value, score), ascending; flat
    beyond the first and the last."""
    (x0, y0), yn = anchors[0], anchors[-1][1]
    expr: Any = pl.when(v <= x0).then(pl.lit(y0))
    for (xa, ya), (xb, yb) in zip(anchors, anchors[1:], strict=False):
        expr = expr.when(v < xb).then(ya + (yb - ya) * (v - xa) / (xb - xa))
    return expr.otherwise(pl.lit(yn))


def coefficient(base: pl.Expr, limit: pl.Expr, exponent: float) -> pl.Expr:
    """The scaling factor C near a natural limit (1 without one), on absolute values as the
    reference computes it: 1 from twice the limit on, 1 − (y0/ylim)^a up to the limit,
    1 − ((2·ylim − y0)/ylim)^a between."""
    b, lim = base.abs(), limit.abs()
    return (
        pl.when(limit.is_null()).then(pl.lit(1.0))
        .when(b >= 2 * lim).then(pl.lit(1.0))
        .when(b <= lim).then(1.0 - (b / lim) ** exponent)
        .otherwise(1.0 - ((2 * lim - b) / lim) ** exponent)
    )


def classify(points: pl.DataFrame, profile: ProgressEdition | str | None = None) -> pl.DataFrame:
    """Classify prepared series rows (``n, y0, x0, y1, x1, target, target_year, direction,
    limit``; ``direction`` ``higher``/``lower`` or null) by Open SDG's measure."""
    o = editions.progress(profile or "opensdg-2.4").opensdg
    d = pl.when(pl.col("direction") == "higher").then(1.0).when(pl.col("direction") == "lower").then(-1.0)
    tv = pl.when(pl.col("target") == 0).then(pl.lit(o.zero)).otherwise(pl.col("target"))
    x0 = pl.when(pl.col("x0") == 0).then(pl.lit(o.zero)).otherwise(pl.col("x0"))
    x1, y0, y1 = pl.col("x1"), pl.col("y0"), pl.col("y1")
    out = points.with_columns(
        d.alias("d"), tv.alias("target_used"), x0.alias("base_used"),
        pl.when(x0 < 0).then(-1.0).otherwise(1.0).alias("sign"),
        # the limit applies without a target only (the reference ignores it with one)
        pl.when(pl.col("target").is_null()).then(coefficient(pl.col("x0"), pl.col("limit"), o.limit_exponent))
        .otherwise(pl.lit(1.0)).alias("coefficient"),
    )
    f = pl.col
    method2 = f("target").is_not_null()
    achieved = method2 & f("d").is_not_null() & x1.is_not_null() & (f("d") * (x1 - f("target_used")) >= 0)
    cagr = (x1 / f("base_used")) ** (1.0 / (y1 - y0).cast(pl.Float64)) - 1.0
    required = (f("target_used") / f("base_used")) ** (1.0 / (f("target_year") - y0).cast(pl.Float64)) - 1.0
    valid = (
        f("d").is_not_null() & y0.is_not_null() & (y1 - y0 >= 1)
        & ~(((f("base_used") > 0) & (x1 < 0)) | ((f("base_used") < 0) & (x1 > 0)))
    )
    out = out.with_columns(
        achieved.fill_null(False).alias("target_achieved"),
        pl.when(valid).then(cagr).alias("cagr"),
        pl.when(valid & method2).then(required).alias("cagr_required"),
    )
    value = pl.when(method2).then(f("sign") * f("d") * f("cagr") / f("cagr_required").abs()).otherwise(
        f("sign") * f("d") * f("cagr"))
    out = out.with_columns(value.fill_nan(None).alias("progress_value"))
    v, c = f("progress_value"), f("coefficient")
    hi = pl.when(method2).then(pl.lit(o.ratio_high)).otherwise(o.growth_high * c)
    med = pl.when(method2).then(pl.lit(o.ratio_med)).otherwise(o.growth_med * c)
    low = pl.when(method2).then(pl.lit(o.ratio_low)).otherwise(pl.lit(o.growth_low))
    status = (
        pl.when(f("target_achieved")).then(pl.lit("target_achieved"))
        .when(v.is_null()).then(pl.lit("not_available"))
        .when(v >= hi).then(pl.lit("substantial_progress"))
        .when(v >= med).then(pl.lit("moderate_progress"))
        .when(v >= low).then(pl.lit("limited_progress"))
        .otherwise(pl.lit("deterioration"))
    )
    ratio_score = _line(v, [(o.ratio_score_bottom, -5.0), (o.ratio_med, 0.0), (o.ratio_score_top, 5.0)])
    top = o.growth_score_top * c
    growth_score = (
        pl.when((c == 0) & (v >= o.growth_low)).then(pl.lit(5.0))  # held at the limit: on track
        .when(v < o.growth_low).then(_line(v, [(o.growth_score_bottom, -5.0), (o.growth_low, -2.5)]))
        .when(v < o.growth_med * c).then(-2.5 + 2.5 * (v - o.growth_low) / (o.growth_med * c - o.growth_low))
        .when(v < o.growth_high * c).then(2.5 * (v - o.growth_med * c) / ((o.growth_high - o.growth_med) * c))
        .otherwise((2.5 + 2.5 * (v - o.growth_high * c) / (top - o.growth_high * c)).clip(upper_bound=5.0))
    )
    score = (
        pl.when(f("target_achieved")).then(pl.lit(5.0))
        .when(v.is_null()).then(None)
        .when(method2).then(ratio_score)
        .otherwise(growth_score)
    )
    return out.with_columns(status.alias("status"), score.alias("score"))


def _rule(status: pl.Expr) -> pl.Expr:
    """The rule behind each series' status, in words with its figures."""
    f = pl.col
    reason = (
        pl.when(f("d").is_null()).then(pl.lit("no direction given (Open SDG would assume negative; vlrkit does not)"))
        .when(f("y0").is_null()).then(pl.lit("no value from the base year on"))
        .when(f("y1") - f("y0") < 1).then(pl.lit("fewer than two years of data"))
        .otherwise(pl.lit("base and latest values of opposite signs, or a target the growth model cannot reach"))
    )
    measure = pl.when(f("target").is_not_null()).then(frames.words(
        "R = s·d·CAGR/|CAGR required| = {}·{}·{}/|{}| = {}", f("sign"), f("d"), f("cagr"), f("cagr_required"),
        f("progress_value"))).otherwise(frames.words(
            "s·d·CAGR = {}·{}·{} = {} (limit factor C = {})", f("sign"), f("d"), f("cagr"), f("progress_value"),
            f("coefficient")))
    return (
        pl.when(status == "target_achieved").then(frames.words(
            "latest value {} ({}) meets the target {}: score 5", f("x1"), f("y1"), f("target")))
        .when(status == "not_available").then(pl.concat_str([pl.lit("not available: "), reason]))
        .otherwise(pl.concat_str([frames.words("base {} ({}) → latest {} ({}); ", f("x0"), f("y0"), f("x1"), f("y1")),
                                  measure, frames.words(" → {}, score {}", status, f("score"))]))
    )


def assess(
    data: pl.DataFrame | frames.Panel,
    spec: pl.DataFrame,
    *,
    profile: ProgressEdition | str | None = None,
    base_year: int | None = None,
    year: int | None = None,
) -> ProgressResult:
    """Open SDG's measure for every series of ``data`` (a panel) against ``spec`` (its
    ``direction``, ``target``, ``target_year``, and optional ``base_year`` and ``limit``
    columns per indicator); one row per series, as :func:`vlrkit.assess.progress.assess`
    gives, with the calculation components and the ``score``."""
    ed = editions.progress(profile or "opensdg-2.4")
    o = ed.opensdg
    base_year = o.base_year if base_year is None else base_year
    extra = [c for c in ("base_year", "limit") if c in spec.columns]
    own = spec.select("indicator", *[pl.col(c).cast(pl.Float64 if c == "limit" else pl.Int32) for c in extra])
    s = frames.spec(spec, target_year=o.target_year).join(own, on="indicator", how="left")
    for c, dtype in (("base_year", pl.Int32), ("limit", pl.Float64)):
        if c not in s.columns:
            s = s.with_columns(pl.lit(None, dtype).alias(c))
    s = frames.categorical(s.with_columns(pl.col("base_year").fill_null(base_year)), "indicator")
    panel = frames.prepare(data)
    parts = []
    for (b,), group in s.partition_by("base_year", as_dict=True).items():
        summ = frames.of_spec(frames.summary(panel, start=int(b), end=year, categorical=True), group)
        parts.append(summ.join(group, on="indicator", how="inner").select(
            *_KEYS, "goal", "direction", pl.col("n_since").alias("n"),
            pl.when(pl.col("n_since") > 0).then(pl.col("ys")).alias("y0"),
            pl.when(pl.col("n_since") > 0).then(pl.col("xs")).alias("x0"),
            "y1", "x1", "target", "target_year", "base_year", "limit"))
    points = pl.concat(parts) if parts else pl.DataFrame(schema={**{k: pl.String for k in _KEYS}})
    if not parts:
        return ProgressResult(table=points, method="opensdg", parameters={"base_year": base_year, "year": year},
                              version=METHOD_VERSION, edition=ed.name)
    t = classify(points.sort(_KEYS), ed)
    t = t.with_columns(_rule(pl.col("status")).alias("rule"))
    table = frames.strings(t.select(
        *_KEYS, "goal", pl.lit("since_base").alias("window"), "direction", "n", "y0", "x0", "y1", "x1", "target",
        "target_year", "cagr", "cagr_required", pl.when(pl.col("target").is_not_null()).then(
            pl.col("progress_value")).alias("ratio"),
        pl.when(pl.col("target").is_null()).then(pl.col("progress_value")).alias("growth"),
        pl.lit(None, pl.Float64).alias("projected"), pl.lit(None, pl.Float64).alias("projection_share"),
        pl.lit(False).alias("linear"), "status", "base_year", "limit", "sign", "d", "coefficient",
        "progress_value", "score", "target_achieved", "rule",
    ))
    return ProgressResult(table=table, method="opensdg", parameters={"base_year": base_year, "year": year},
                          version=METHOD_VERSION, edition=ed.name)


# --- indicators: the mean of their series' scores ------------------------------------------------


def status_of_score(score: float | None, achieved: bool, profile: ProgressEdition | str | None = None) -> str:
    """An indicator's status from its mean score: target achieved when every series meets its
    target, else the score's band; no score → not available."""
    o = editions.progress(profile or "opensdg-2.4").opensdg
    if achieved:
        return "target_achieved"
    if score is None:
        return "not_available"
    if score >= o.score_substantial:
        return "substantial_progress"
    if score >= o.score_moderate:
        return "moderate_progress"
    if score >= o.score_limited:
        return "limited_progress"
    return "deterioration"


@dataclass(frozen=True)
class IndicatorScore:
    """An indicator's aggregate: the mean score of its series (groups averaged first)."""

    entity: str
    indicator: str
    score: float | None
    status: str
    n_series: int  # series with a score
    target_achieved: bool


def _mean_tree(items: Iterable[tuple[tuple[int, ...], float | None, bool]]) -> tuple[float | None, list[bool]]:
    """The mean score over the top level of ``items`` (path, score, achieved): a path of length
    > 1 belongs to a group, whose members are averaged into one item first."""
    top: dict[int, list[tuple[tuple[int, ...], float | None, bool]]] = {}
    for path, score, ok in items:
        top.setdefault(path[0], []).append((path[1:], score, ok))
    scores: list[float] = []
    achieved: list[bool] = []
    for members in top.values():
        if len(members) == 1 and not members[0][0]:
            _, score, ok = members[0]
            if score is not None:
                scores.append(score)
                achieved.append(ok)
            continue
        score, oks = _mean_tree(members)
        if score is not None:
            scores.append(score)
            achieved += oks
    return (sum(scores) / len(scores) if scores else None), achieved


def indicators(table: pl.DataFrame, groups: Mapping[str, tuple[str, tuple[int, ...]]] | None = None,
               profile: ProgressEdition | str | None = None) -> tuple[IndicatorScore, ...]:
    """The indicators' scores and statuses from the series rows of :func:`assess`.

    ``groups`` maps a series (the panel's ``indicator``) to (its indicator, its path in the
    indicator's ``progress_calculation_options``: ``(2,)`` the third item, ``(1, 0)`` the first
    series of the second item, a group); without it every series is its own indicator."""
    rows: dict[tuple[str, str], list[tuple[tuple[int, ...], float | None, bool]]] = {}
    for r in table.select("entity", "indicator", "score", "target_achieved").iter_rows():
        entity, series, score, ok = r
        code, path = (groups or {}).get(series, (series, (0,)))
        rows.setdefault((entity, code), []).append((path, score, bool(ok)))
    out = []
    for (entity, code), items in sorted(rows.items()):
        score, achieved = _mean_tree(items)
        done = bool(achieved) and all(achieved)
        out.append(IndicatorScore(entity, code, score, status_of_score(score, done, profile), len(achieved), done))
    return tuple(out)
