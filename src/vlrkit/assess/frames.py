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

import polars as pl

from vlrkit.assess.rules import TARGET_YEAR

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


def panel(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast ``frame`` to the panel schema, drop null values, keep one row per entity/indicator/year.

    Several rows in one year (quarters, months) are averaged into the year's value.
    """
    missing = [c for c in PANEL_SCHEMA if c not in frame.columns]
    if missing:
        raise ValueError(f"panel lacks columns {missing}")
    out = frame.select([pl.col(c).cast(t) for c, t in PANEL_SCHEMA.items()]).filter(
        pl.col("value").is_not_null() & pl.col("value").is_finite() & pl.col("year").is_not_null()
    )
    if out.select(pl.struct("entity", "indicator", "year").is_duplicated().any()).item():
        out = out.group_by("entity", "indicator", "year").agg(pl.col("value").mean())
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


def base_and_latest(data: pl.DataFrame, *, base_year: int, end: int | None = None) -> pl.DataFrame:
    """Base and latest points for progress since ``base_year``.

    The base is ``base_year`` when observed, else the first later year that still leaves a
    later point; when fewer than two points lie from ``base_year`` on, the last point before
    ``base_year`` is the base (so a series 2010, 2014, 2018 runs 2014 → 2018).
    """
    frame = data if end is None else data.filter(pl.col("year") <= end)
    since = endpoints(frame, start=base_year)
    before = (
        frame.filter(pl.col("year") < base_year)
        .sort("year")
        .group_by("entity", "indicator")
        .agg(pl.col("year").last().alias("yb"), pl.col("value").last().alias("xb"))
    )
    last = endpoints(frame)
    out = last.select("entity", "indicator", "y1", "x1", pl.col("n").alias("n_all")).join(
        since.select("entity", "indicator", pl.col("n").alias("n_since"), "y0", "x0"),
        on=["entity", "indicator"],
        how="left",
    )
    out = out.join(before, on=["entity", "indicator"], how="left")
    use_before = pl.col("n_since").fill_null(0) < 2
    return out.select(
        "entity",
        "indicator",
        pl.when(use_before & pl.col("yb").is_not_null())
        .then(pl.col("n_since").fill_null(0) + 1)
        .otherwise(pl.col("n_since").fill_null(0))
        .alias("n"),
        pl.when(use_before).then(pl.col("yb")).otherwise(pl.col("y0")).alias("y0"),
        pl.when(use_before).then(pl.col("xb")).otherwise(pl.col("x0")).alias("x0"),
        "y1",
        "x1",
    )
