"""UN ESCAP: current status index and anticipated progress (``METHODS.md`` §3).

Only series with a quantitative target and at least two points are assessed.

* Current status index ``CS = 10 · d · (I_now − I_base) / |TV − I_base|`` (d = +1 when higher is
  better, −1 when lower), 10 once the target is reached (capped at 10).
* Anticipated progress ``AP``: the same on the value predicted for the target year by the
  time-weighted growth that favours recent years, ``w_i = (T − t_min) / (T − t_i)``,
  ``Î_T = I_n · [Π (I_i / I_{i−1})^{w_i}] ^ ((T − t_n) / Σ w_i)``.  With gaps between years the
  ratio is annualised first (``(I_i / I_{i−1})^{1/(t_i − t_{i−1})}``, vlrkit's choice); with a
  zero or negative value the prediction uses the same weights on annual differences.
* Gauge (cut-offs unpublished; vlrkit's choice): AP ≥ 10 maintain progress, 0 < AP < 10
  accelerate, AP ≤ 0 reverse the trend.

Goal figures are simple averages of the indicators' indices.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from vlrkit.assess import editions, frames
from vlrkit.assess.editions import SdsnEdition
from vlrkit.assess.results import EscapResult
from vlrkit.assess.rules import (
    ESCAP_GAUGE,
    ESCAP_GAUGE_LAST,
    ESCAP_SCALE,
    METHOD_VERSION,
)

_KEYS = ["entity", "indicator"]


def predict(rows: pl.LazyFrame) -> pl.LazyFrame:
    """Time-weighted prediction ``Î_T`` of every series from its rows ``k, year, value, y0,
    target_year`` (the points from the base year ``y0`` on, in series and year order, as a
    :class:`~vlrkit.assess.frames.Panel` holds them: each row's predecessor is the row before)."""
    k = pl.col("k")
    d = rows.with_columns(
        (pl.col("year") - pl.col("year").shift(1)).cast(pl.Float64).alias("gap"),
        pl.when(k == k.shift(1)).then(pl.col("value").shift(1)).alias("prev"),
    )
    span = (pl.col("target_year") - pl.col("y0")).cast(pl.Float64)  # from the first point
    left = pl.max_horizontal(pl.col("target_year") - pl.col("year"), pl.lit(1)).cast(pl.Float64)
    d = d.filter(pl.col("prev").is_not_null()).with_columns(
        (span / left).alias("w"),
        pl.when((pl.col("value") > 0) & (pl.col("prev") > 0))
        .then((pl.col("value") / pl.col("prev")).log() / pl.col("gap"))
        .alias("logratio"),
        ((pl.col("value") - pl.col("prev")) / pl.col("gap")).alias("diff"),
    )
    agg = d.group_by("k", maintain_order=True).agg(
        pl.col("year").last().alias("t_n"),
        pl.col("value").last().alias("i_n"),
        pl.col("target_year").first(),
        pl.col("w").sum().alias("sum_w"),
        (pl.col("w") * pl.col("logratio")).sum().alias("wlog"),
        pl.col("logratio").is_null().any().alias("nonpositive"),
        (pl.col("w") * pl.col("diff")).sum().alias("wdiff"),
    )
    ahead = (pl.col("target_year") - pl.col("t_n")).cast(pl.Float64)
    return agg.with_columns(
        pl.when(pl.col("nonpositive"))
        .then(pl.col("i_n") + ahead * pl.col("wdiff") / pl.col("sum_w"))
        .otherwise(pl.col("i_n") * (ahead * pl.col("wlog") / pl.col("sum_w")).exp())
        .alias("predicted")
    ).select("k", "predicted", "nonpositive")


def _index(value: pl.Expr, d: pl.Expr, x0: pl.Expr, tv: pl.Expr) -> pl.Expr:
    reached = d * (value - tv) >= 0
    raw = pl.when(tv != x0).then(ESCAP_SCALE * d * (value - x0) / (tv - x0).abs())
    return pl.when(reached).then(pl.lit(ESCAP_SCALE)).otherwise(raw.clip(upper_bound=ESCAP_SCALE))


def assess(
    data: pl.DataFrame | frames.Panel,
    spec: pl.DataFrame,
    *,
    base_year: int | None = None,
    year: int | None = None,
    links: pl.DataFrame | None = None,
    profile: SdsnEdition | str | None = None,
) -> EscapResult:
    """ESCAP current status and anticipated progress per series, averaged per SDG target (through
    ``links``: ``indicator, target``) and per goal.  ``base_year`` and the default target year
    are the method edition's (``profile``; ``vlrkit``: 2015 and 2030)."""
    pr = editions.sdsn(profile).progress
    base_year = pr.base_year if base_year is None else base_year
    p = frames.prepare(data)
    spec = frames.categorical(frames.spec(spec, target_year=pr.target_year).filter(pl.col("target").is_not_null()),
                              "indicator")
    # on the panel's integer series keys, in its series order (no string keys, no sort)
    points = frames.of_spec(frames.base_and_latest(p, base_year=base_year, end=year, categorical=True, key=True), spec)
    t = points.join(spec.select("indicator", "goal", "direction", "target", "target_year"), on="indicator",
                    maintain_order="left")
    work = p.work.lazy() if year is None else p.work.lazy().filter(pl.col("year") <= year)
    since = work.join(t.lazy().select("k", "y0", "target_year"), on="k", maintain_order="left").filter(
        pl.col("year") >= pl.col("y0"))
    t = t.join(predict(since).collect(), on="k", how="left", maintain_order="left").drop("k")
    d = frames.sign(pl.col("direction"))
    enough = (pl.col("n") >= 2) & (pl.col("y1") > pl.col("y0"))
    t = t.with_columns(
        pl.when(enough).then(_index(pl.col("x1"), d, pl.col("x0"), pl.col("target"))).alias("current_status"),
        pl.when(enough).then(_index(pl.col("predicted"), d, pl.col("x0"), pl.col("target"))).alias(
            "anticipated_progress"
        ),
    )
    ap = pl.col("anticipated_progress")
    gauge: Any = pl.when(ap.is_null()).then(pl.lit("insufficient_data"))
    for limit, slug in ESCAP_GAUGE:
        gauge = gauge.when(ap >= limit if limit == ESCAP_SCALE else ap > limit).then(pl.lit(slug))
    t = t.with_columns(gauge.otherwise(pl.lit(ESCAP_GAUGE_LAST)).alias("gauge"))
    t = t.with_columns(
        pl.when(pl.col("gauge") == "insufficient_data")
        .then(frames.words("{} point(s) since {}: needs two", pl.col("n"), pl.lit(base_year)))
        .otherwise(
            frames.words(
                "CS = 10·d·({} − {})/|{} − {}| = {}; predicted {} = {} → AP = {}",
                pl.col("x1"), pl.col("x0"), pl.col("target"), pl.col("x0"), pl.col("current_status"),
                pl.col("target_year"), pl.col("predicted"), ap,
            )
        )
        .alias("rule")
    )
    goals = t.filter(pl.col("current_status").is_not_null()).group_by("entity", "goal").agg(
        pl.col("current_status").mean(), pl.col("anticipated_progress").mean(), pl.len().alias("n_indicators")
    )
    targets = None
    if links is not None and links.height:
        targets = (
            t.filter(pl.col("current_status").is_not_null())
            .join(frames.categorical(links.select("indicator", pl.col("target").alias("sdg_target")).unique(),
                                     "indicator"), on="indicator")
            .group_by("entity", "sdg_target")
            .agg(pl.col("current_status").mean(), pl.col("anticipated_progress").mean(),
                 pl.len().alias("n_indicators"))
            .pipe(frames.strings)
            .sort("entity", "sdg_target")
        )
    return EscapResult(
        indicators=frames.strings(t),  # in entity, indicator order: see frames.Panel
        goals=frames.strings(goals).sort("entity", "goal"),
        targets=targets,
        parameters={"base_year": base_year, "year": year},
        version=METHOD_VERSION,
    )
