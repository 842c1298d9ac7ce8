"""The two frames every method reads: the *panel* of values and the indicator *spec*.

Panel — one headline value per entity, indicator and year:

============  =======  ====================================================
``entity``    str      entity code (a city, a country…)
``indicator`` str      indicator code
``year``      Int32    calendar year
``value``     Float64  the value (rows with a null value are ignored)
============  =======  ====================================================

Spec — one row per indicator (the columns of ``SPEC.csv``):

===============  =======  ==========================================================
``indicator``    str      indicator code
``goal``         Int32    the SDG it counts towards
``direction``    str      ``higher`` or ``lower`` is better
``best``         Float64  SDSN optimum (null: derived from the peers)
``worst``        Float64  SDSN lower bound (null: 2.5th percentile of the peers)
``green``        Float64  green threshold (null: derived from the peers)
``red``          Float64  red threshold (null: derived from the peers)
``target``       Float64  target value (null: no target)
``target_year``  Int32    year of the target (null: 2030)
``index``        Boolean  counts in goal scores and the index (null: true); false for a
                          *dashboard-only* indicator that colours the goal but is not scored
===============  =======  ==========================================================

:func:`endpoints` reduces the panel to the first and last points of each series in a window
in one vectorised pass; every method builds on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from vlrkit.assess.rules import TARGET_YEAR

_KEYS = ["entity", "indicator"]

PANEL_SCHEMA: dict[str, pl.DataType] = {
    "entity": pl.String(),
    "indicator": pl.String(),
    "year": pl.Int32(),
    "value": pl.Float64(),
}

SPEC_SCHEMA: dict[str, pl.DataType] = {
    "indicator": pl.String(),
    "goal": pl.Int32(),
    "direction": pl.String(),
    "best": pl.Float64(),
    "worst": pl.Float64(),
    "green": pl.Float64(),
    "red": pl.Float64(),
    "target": pl.Float64(),
    "target_year": pl.Int32(),
    "index": pl.Boolean(),
}


@dataclass(frozen=True)
class Panel:
    """A checked panel: cast, null values dropped, one value per year, sorted by year.

    Build it once with :func:`prepare` and hand it to several methods: the per-series summary
    (:func:`summary`) is computed once per window and cached.
    """

    frame: pl.DataFrame
    averaged: int = 0  # entity × indicator × year cells that held several values (averaged)
    _cache: dict = field(default_factory=dict, compare=False, repr=False)


def prepare(frame: pl.DataFrame | Panel) -> Panel:
    """Cast ``frame`` to the panel schema, drop null values, average several values in one year.

    Several rows in one year (quarters, months) are averaged into the year's value; the count of
    such cells is kept in :attr:`Panel.averaged` so the caller can report it.
    """
    if isinstance(frame, Panel):
        return frame
    missing = [c for c in PANEL_SCHEMA if c not in frame.columns]
    if missing:
        raise ValueError(f"panel lacks columns {missing}")
    out = frame.select([pl.col(c).cast(t) for c, t in PANEL_SCHEMA.items()]).filter(
        pl.col("value").is_not_null() & pl.col("value").is_finite() & pl.col("year").is_not_null()
    )
    return Panel(out.sort("year"))


def panel(frame: pl.DataFrame | Panel) -> pl.DataFrame:
    """The frame of :func:`prepare` with one value per year (sorted by year)."""
    p = prepare(frame)
    if "dedup" in p._cache:
        return p._cache["dedup"].frame
    counts = p.frame.group_by(_KEYS).agg(pl.len().alias("n"), pl.col("year").n_unique().alias("u"))
    return (p if counts.filter(pl.col("n") != pl.col("u")).is_empty() else _average(p)).frame


def _average(p: Panel) -> Panel:
    """Average several values of one entity, indicator and year (quarters, months…)."""
    if "dedup" not in p._cache:
        frame = p.frame.group_by(_KEYS + ["year"]).agg(pl.col("value").mean(), pl.len().alias("_k"))
        averaged = frame.filter(pl.col("_k") > 1).height
        q = Panel(frame.drop("_k").sort("year"), averaged)
        q._cache["dedup"] = q
        p._cache["dedup"] = q
    return p._cache["dedup"]


def summary(data: pl.DataFrame | Panel, *, start: int, end: int | None = None) -> pl.DataFrame:
    """One row per entity × indicator series: everything the methods need, in two group-bys.

    ``n_all`` points up to ``end``; latest point ``y1, x1``; ``n_since`` points from ``start`` on
    and the first of them ``ys, xs``; the last point before ``start`` ``yb, xb``.  Several values
    in one year are detected in the same pass and averaged (:func:`_average`) before summarising.
    """
    p = prepare(data)
    p = p._cache.get("dedup", p)
    key = ("summary", start, end)
    if key in p._cache:
        return p._cache[key]
    frame = p.frame if end is None else p.frame.filter(pl.col("year") <= end)
    since = frame.filter(pl.col("year") >= start).group_by(_KEYS).agg(
        pl.len().cast(pl.Int32).alias("n_since"),
        pl.col("year").first().alias("ys"),
        pl.col("value").first().alias("xs"),
        pl.col("year").last().alias("y1"),
        pl.col("value").last().alias("x1"),
        pl.col("year").n_unique().cast(pl.Int32).alias("_u"),
    )
    before = frame.filter(pl.col("year") < start).group_by(_KEYS).agg(
        pl.len().cast(pl.Int32).alias("n_before"),
        pl.col("year").last().alias("yb"),
        pl.col("value").last().alias("xb"),
        pl.col("year").n_unique().cast(pl.Int32).alias("_ub"),
    )
    if "dedup" not in p._cache:
        if (
            since.filter(pl.col("_u") != pl.col("n_since")).is_empty()
            and before.filter(pl.col("_ub") != pl.col("n_before")).is_empty()
        ):
            p._cache["dedup"] = p
        else:
            return summary(_average(p), start=start, end=end)
    out = since.drop("_u").join(before.drop("_ub"), on=_KEYS, how="full", coalesce=True).with_columns(
        pl.col("n_since").fill_null(0),
        pl.col("n_before").fill_null(0),
        pl.coalesce("y1", "yb").alias("y1"),
        pl.coalesce("x1", "xb").alias("x1"),
    ).with_columns((pl.col("n_since") + pl.col("n_before")).alias("n_all"))
    p._cache[key] = out
    return out


def spec(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast ``frame`` to the spec schema (missing optional columns become null)."""
    cols = []
    for c, t in SPEC_SCHEMA.items():
        cols.append(pl.col(c).cast(t) if c in frame.columns else pl.lit(None, dtype=t).alias(c))
    out = frame.select(cols)
    return out.with_columns(pl.col("target_year").fill_null(TARGET_YEAR), pl.col("index").fill_null(True))


def sign(direction: pl.Expr) -> pl.Expr:
    """+1 when higher is better, −1 when lower is better."""
    return pl.when(direction == "lower").then(pl.lit(-1.0)).otherwise(pl.lit(1.0))


def endpoints(
    data: pl.DataFrame, *, start: int | None = None, end: int | None = None
) -> pl.DataFrame:
    """First and last observation of each entity × indicator series inside [start, end].

    Returns ``entity, indicator, n, y0, x0, y1, x1`` (``n`` = points in the window).  ``start``
    None means from the first observation; the window's first point is the base.
    """
    frame = data
    if start is not None:
        frame = frame.filter(pl.col("year") >= start)
    if end is not None:
        frame = frame.filter(pl.col("year") <= end)
    return (
        frame.sort("year")
        .group_by("entity", "indicator")
        .agg(
            pl.len().alias("n"),
            pl.col("year").first().alias("y0"),
            pl.col("value").first().alias("x0"),
            pl.col("year").last().alias("y1"),
            pl.col("value").last().alias("x1"),
        )
    )


def base_and_latest(
    data: pl.DataFrame | Panel, *, base_year: int, end: int | None = None
) -> pl.DataFrame:
    """Base and latest points for progress since ``base_year``.

    The base is ``base_year`` when observed, else the first later year; when fewer than two
    points lie from ``base_year`` on, the last point before ``base_year`` is the base (so a
    series 2010, 2014, 2018 runs 2014 → 2018).  Returns ``entity, indicator, n, y0, x0, y1, x1``.
    """
    s = summary(data, start=base_year, end=end)
    use_before = (pl.col("n_since") < 2) & (pl.col("n_before") > 0)
    return s.select(
        "entity",
        "indicator",
        pl.when(use_before).then(pl.col("n_since") + 1).otherwise(pl.col("n_since")).alias("n"),
        pl.when(use_before).then(pl.col("yb")).otherwise(pl.col("ys")).alias("y0"),
        pl.when(use_before).then(pl.col("xb")).otherwise(pl.col("xs")).alias("x0"),
        "y1",
        "x1",
    )
