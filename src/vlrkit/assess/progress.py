"""Progress towards a target: UNSD (3- and 5-band), Statistics Canada, Eurostat, projection form.

``METHODS.md`` §2.  For every entity × indicator series: base point (``base_year``, else the
rule of :func:`vlrkit.assess.frames.base_and_latest`), latest point, compound annual growth
rates and their ratio, classified by the method's published cut-offs
(:data:`vlrkit.assess.rules.RATIO_BANDS`, :data:`~vlrkit.assess.rules.GROWTH_BANDS`).

Edge rules, in the order they apply:

1. fewer than two points (or base year = latest year) → ``insufficient_data``;
2. latest value meets the target (in the indicator's direction) → ``achieved``, whatever the
   trend; a latest value within 1 point of a 0 or 100 target (a percentage) → ``achieved``;
3. no target → the CAGR itself, sign flipped when lower is better, by the Eurostat or
   Statistics Canada growth bands (UNSD and the projection form need a target: ``no_target``);
4. target met at the base but no longer → the method's worst status (moved away from it);
5. otherwise ratio = CAGR_actual / CAGR_required by the method's bands.

Zeros in the base, latest or target values are replaced by ε = 0.001 (as Statistics Canada does)
so the growth rates exist.  Negative values make a CAGR meaningless; there vlrkit uses linear
annual changes instead (actual ``(x_t − x_0)/(t − t_0)``, required ``(x_T − x_0)/(T − t_0)``;
without a target, the change relative to ``|x_0|``) — vlrkit's rule, marked in ``rule``.

Eurostat is computed for two windows, ``long`` (last 15 years) and ``short`` (last 5 years),
each ending at the series' latest year; the other methods use one window, ``since_base``.

The defaults — base and target year, ε, the tolerance of a 0/100 target, Eurostat's windows —
are a method edition's (:mod:`vlrkit.assess.editions`, the ``progress`` section; ``vlrkit``'s
unless another profile is named).  ``opensdg`` is Open SDG 2.4's measure
(:mod:`vlrkit.assess.opensdg`, its rules the ``opensdg-2.4`` profile's).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from vlrkit.assess import editions, frames
from vlrkit.assess.editions import SdsnEdition
from vlrkit.assess.results import ProgressResult
from vlrkit.assess.rules import (
    GROWTH_BANDS,
    METHOD_VERSION,
    PROGRESS_METHODS,
    RATIO_BANDS,
)

_KEYS = ["entity", "indicator"]


def _bands(x: pl.Expr, method: str) -> pl.Expr:
    bands, last = RATIO_BANDS[method]
    expr: Any = pl.when(x.is_null()).then(pl.lit(last))
    for limit, status in bands:
        expr = expr.when(x >= limit).then(pl.lit(status))
    return expr.otherwise(pl.lit(last))


def _growth_bands(x: pl.Expr, method: str) -> pl.Expr:
    bands, last = GROWTH_BANDS[method]
    expr: Any = pl.when(pl.lit(False)).then(pl.lit(None, pl.String))
    for limit, inclusive, status in bands:
        expr = expr.when(x >= limit if inclusive else x > limit).then(pl.lit(status))
    return expr.otherwise(pl.lit(last))


def classify(points: frames.Frame, method: str, profile: SdsnEdition | str | None = None) -> frames.Frame:
    """Classify prepared rows (``n, y0, x0, y1, x1, target, target_year, direction``); a lazy
    frame gives a lazy frame, every rule a column expression over it.  The rule in words is
    :func:`rules`."""
    if method not in RATIO_BANDS:
        raise ValueError(f"unknown progress method {method!r}; one of {PROGRESS_METHODS}")
    pr = editions.sdsn(profile).progress

    def _nz(x: pl.Expr) -> pl.Expr:
        return pl.when(x == 0).then(pl.lit(pr.epsilon)).otherwise(x)

    d = frames.sign(pl.col("direction"))
    x0, x1, tv = pl.col("x0"), pl.col("x1"), pl.col("target")
    dt = (pl.col("y1") - pl.col("y0")).cast(pl.Float64)
    span = pl.max_horizontal(pl.col("target_year") - pl.col("y0"), pl.lit(1)).cast(pl.Float64)
    negative = (x0 < 0) | (x1 < 0) | (tv.fill_null(0) < 0)
    cagr = pl.when(negative).then((x1 - x0) / dt).otherwise((_nz(x1) / _nz(x0)) ** (1.0 / dt) - 1.0)
    required = pl.when(negative).then((tv - x0) / span).otherwise((_nz(tv) / _nz(x0)) ** (1.0 / span) - 1.0)
    growth = pl.when(negative).then(d * (x1 - x0) / _nz(x0.abs()) / dt).otherwise(d * pl.col("cagr"))
    out = points.with_columns(
        pl.when(dt > 0).then(cagr).alias("cagr"),
        pl.when(dt > 0).then(required).alias("cagr_required"),
        negative.alias("linear"),
    )
    ratio = pl.when(pl.col("cagr_required") != 0).then(pl.col("cagr") / pl.col("cagr_required"))
    ahead = (pl.col("target_year") - pl.col("y1")).cast(pl.Float64)
    projected = pl.when(pl.col("linear")).then(x1 + pl.col("cagr") * ahead).otherwise(
        x1 * (1.0 + pl.col("cagr")) ** ahead
    )
    progress = pl.when(tv != x0).then((pl.col("projected") - x0) / (tv - x0))
    out = out.with_columns(
        growth.alias("growth"),
        ratio.alias("ratio"),
        pl.when(tv.is_not_null()).then(projected).alias("projected"),
    ).with_columns(progress.alias("projection_share"))

    measure = pl.col("projection_share") if method == "projection" else pl.col("ratio")
    met = (d * (x1 - tv) >= 0) | (
        tv.is_in([0.0, 100.0]) & ((x1 - tv).abs() <= pr.percent_tolerance)
    )
    base_met = d * (x0 - tv) >= 0
    no_target = (
        _growth_bands(pl.col("growth"), method) if method in GROWTH_BANDS else pl.lit("no_target")
    )
    worst = RATIO_BANDS[method][1]
    status = (
        pl.when((pl.col("n") < 2) | pl.col("cagr").is_null())
        .then(pl.lit("insufficient_data"))
        .when(tv.is_not_null() & met)
        .then(pl.lit("achieved"))
        .when(tv.is_null())
        .then(no_target)
        .when(base_met)
        .then(pl.lit(worst))
        .otherwise(_bands(measure, method))
    )
    return out.with_columns(status.alias("status"))


def _rule_branches(method: str) -> list[tuple[pl.Expr, pl.Expr]]:
    """The rule in words, one (condition, text) per way a status is reached, in the order of
    :func:`classify`'s edge rules."""
    f, tv = pl.col, pl.col("target")
    branches = [
        (f("status") == "insufficient_data",
         frames.words("fewer than two points since the base year ({} point(s))", f("n"))),
        (f("status") == "achieved", frames.words("latest value {} ({}) meets the target {}", f("x1"), f("y1"), tv)),
    ]
    if method in GROWTH_BANDS:
        branches.append((tv.is_null(), frames.words(
            "no target: growth {} per year in the desired direction ({}–{})", f("growth"), f("y0"), f("y1"))))
    else:
        branches.append((tv.is_null(), pl.lit(f"no target: {method} needs a target value")))
    d = frames.sign(f("direction"))
    branches.append((d * (f("x0") - tv) >= 0, frames.words("target {} met in {} but not in {}: moving away", tv, f("y0"), f("y1"))))
    if method == "projection":
        last = frames.words("projected {} = {}; share of the way to the target P = {}", f("target_year"), f("projected"),
                         f("projection_share"))
    else:
        last = frames.words("CAGR actual {} / required {} = ratio {}", f("cagr"), f("cagr_required"), f("ratio"))
    return [*branches, (pl.lit(True), last)]


def rules(table: pl.DataFrame, method: str) -> pl.Series:
    """The rule behind each row's status, in words with its figures (``rule``), in the chunks
    of ``table`` (:func:`vlrkit.assess.frames.pieces`).

    Formatted only for the way each row took: as one ``when/then`` chain, every branch's words
    would be formatted for every row (numbers to text is the costly part).  The rows are split
    by branch, each part formatted in the streaming engine, and the words put back in row
    order by a gather, piece by piece (a gather of text copies 16-byte views, not the words)."""
    branches = _rule_branches(method)
    taken: Any = pl.when(pl.lit(False)).then(pl.lit(None, pl.UInt8))
    for b, (cond, _) in enumerate(branches):
        taken = taken.when(cond).then(pl.lit(b, pl.UInt8))
    f = pl.col
    linear = f("linear") & (f("status") != "insufficient_data") & (f("status") != "achieved")
    rows = table.lazy().with_row_index("_i").with_columns(taken.alias("_b"))
    parts = pl.concat(pl.collect_all([
        rows.filter(f("_b") == b).select(
            "_i", pl.when(linear).then(pl.concat_str([text, pl.lit(" (negative values: linear annual change)")]))
            .otherwise(text).cast(pl.String).alias("rule"))
        for b, (_, text) in enumerate(branches)
    ], engine="streaming"), rechunk=False)
    # every row took one branch (the last is unconditional): where each row's words are
    where = np.empty(table.height, dtype=np.int64)
    where[parts["_i"].to_numpy()] = np.arange(parts.height)
    words = parts["rule"]
    return pl.concat(
        [words.gather(where[o:o + n]) for o, n in frames.pieces(table)], rechunk=False
    ).alias("rule")


def assess(
    data: pl.DataFrame | frames.Panel,
    spec: pl.DataFrame,
    *,
    method: str = "unsd",
    base_year: int | None = None,
    year: int | None = None,
    profile: SdsnEdition | str | None = None,
) -> ProgressResult:
    """Progress of every series of ``data`` (a panel) towards the ``target`` of ``spec``.

    ``base_year`` defaults to the edition's (``profile``; ``vlrkit``: 2015), ``year`` caps the
    data.  ``method="opensdg"`` is Open SDG's measure (its own profile, ``opensdg-2.4``)."""
    if method not in PROGRESS_METHODS:
        raise ValueError(f"unknown progress method {method!r}; one of {PROGRESS_METHODS}")
    if method == "opensdg":
        from vlrkit.assess import opensdg

        return opensdg.assess(data, spec, base_year=base_year, year=year)
    ed = editions.sdsn(profile)
    pr = ed.progress
    base_year = pr.base_year if base_year is None else base_year
    spec = frames.categorical(frames.spec(spec, target_year=pr.target_year), "indicator")
    panel = frames.prepare(data)
    if method == "eurostat":
        # two windows, each ending at the series' latest year, so every series has both: the two
        # parts hold the same series in the same order and are interleaved (long, short, …)
        long, short = (
            frames.of_spec(frames.trailing(panel, length=length, end=year, categorical=True), spec).with_columns(
                pl.lit(window).alias("window"))
            for window, length in (("long", pr.eurostat_long), ("short", pr.eurostat_short))
        )
        n = long.height
        points = pl.concat([long, short]).gather(np.arange(2 * n).reshape(2, n).T.ravel())
    else:
        points = frames.of_spec(frames.base_and_latest(
            panel, base_year=base_year, end=year, categorical=True
        ), spec).with_columns(pl.lit("since_base").alias("window"))
    # one row per series (and window), classified in the streaming engine: in morsels, over both
    # cores, without a full-size frame per step
    rows = points.lazy().join(
        spec.select("indicator", "goal", "direction", "target", "target_year").lazy(),
        on="indicator", maintain_order="left",
    )
    table = frames.strings(classify(rows, method, ed).select(
        "entity", "indicator", "goal", "window", "direction", "n", "y0", "x0", "y1", "x1",
        "target", "target_year", "cagr", "cagr_required", "ratio", "growth", "projected",
        "projection_share", "linear", "status",
    )).collect(engine="streaming")
    return ProgressResult(
        # in entity, indicator (, window) order: see frames.Panel
        table=table.with_columns(rules(table, method)),
        method=method,
        parameters={"base_year": base_year, "year": year, "edition": ed.name},
        version=METHOD_VERSION,
        edition=ed.name,
    )
