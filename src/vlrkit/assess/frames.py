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
``optimum``      str      how ``best`` is set: ``target``, ``lnob``, ``science``, ``top5``
                          (null: the given best, else the target, else the top 5 — see
                          :data:`vlrkit.assess.rules.OPTIMUM_RULES`)
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
_WORK = {"k": pl.UInt64(), "year": pl.Int32(), "value": pl.Float64()}
_KEYS_SCHEMA = {"k": pl.UInt64(), "entity": pl.String(), "indicator": pl.String()}

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
    "optimum": pl.String(),
}


@dataclass(frozen=True)
class Panel:
    """A checked panel, laid out for speed: build it once with :func:`prepare`, hand it to
    several methods.

    ``work`` holds one row per observation as numbers only — series key ``k`` (UInt64), ``year``,
    ``value`` — sorted by series and year, so every per-series reduction is a sorted group-by
    (linear in the rows); ``keys`` maps ``k`` back to ``entity, indicator``.  Several values of
    one series in one year (quarters, months) are averaged; :attr:`averaged` counts such years.
    Per-window summaries (:func:`summary`) are cached.
    """

    work: pl.DataFrame
    keys: pl.DataFrame
    averaged: int = 0
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def frame(self) -> pl.DataFrame:
        """``entity, indicator, year, value`` (sorted by series and year)."""
        if "frame" not in self._cache:
            self._cache["frame"] = self.work.join(self.keys, on="k").select(*PANEL_SCHEMA)
        return self._cache["frame"]


def _dense(codes: pl.Series) -> pl.Series:
    """Dense codes 0..n−1 of categorical physical codes, in the codes' order: a lookup table
    indexed by code and one gather — linear in the rows (a binary search per row, as before,
    grew faster than the data)."""
    present = codes.unique().sort()
    table = pl.zeros(int(present[-1]) + 1, dtype=pl.UInt64, eager=True)
    return table.scatter(present, pl.int_range(present.len(), dtype=pl.UInt64, eager=True)).gather(codes)


def prepare(frame: pl.DataFrame | Panel) -> Panel:
    """Check and lay out ``frame`` (columns ``entity, indicator, year, value``) as a :class:`Panel`."""
    if isinstance(frame, Panel):
        return frame
    missing = [c for c in PANEL_SCHEMA if c not in frame.columns]
    if missing:
        raise ValueError(f"panel lacks columns {missing}")
    out = frame.select([pl.col(c).cast(t) for c, t in PANEL_SCHEMA.items()]).filter(
        pl.col("value").is_not_null() & pl.col("value").is_finite() & pl.col("year").is_not_null()
        & pl.col("entity").is_not_null() & pl.col("indicator").is_not_null()
    )
    if out.is_empty():
        return Panel(pl.DataFrame(schema=_WORK), pl.DataFrame(schema=_KEYS_SCHEMA))
    ids = out.select(pl.col("entity", "indicator").cast(pl.Categorical).to_physical())
    dense = {c[0]: _dense(ids[c]) for c in ids.columns}
    codes = pl.DataFrame(dense).with_columns(
        out["year"], out["value"], pl.int_range(pl.len(), dtype=pl.UInt32).alias("row")
    )
    n_ind, y_min, y_max = codes.select(
        pl.col("i").max() + 1, pl.col("year").min().alias("lo"), pl.col("year").max().alias("hi")
    ).row(0)
    n_years = y_max - y_min + 1
    key = pl.col("e") * n_ind + pl.col("i")
    order = (key * n_years + (pl.col("year") - y_min).cast(pl.UInt64)).alias("c")
    work = codes.select(key.alias("k"), "year", "value", "row", order).sort("c")
    first = work.filter(pl.col("k").diff().fill_null(1) != 0)
    keys = pl.DataFrame({
        "k": first["k"],
        "entity": out["entity"].gather(first["row"]),
        "indicator": out["indicator"].gather(first["row"]),
    })
    averaged = 0
    if (work["c"].diff() == 0).any():  # several values in one year: average them
        work = work.group_by("k", "year").agg(pl.col("value").mean(), pl.len().alias("_n"))
        averaged = work.filter(pl.col("_n") > 1).height
        work = work.drop("_n").sort("k", "year")
    work = work.select(pl.col("k").set_sorted(), "year", "value")
    return Panel(work, keys, averaged)


def panel(frame: pl.DataFrame | Panel) -> pl.DataFrame:
    """``entity, indicator, year, value`` with one value per year, sorted by series and year."""
    return prepare(frame).frame


def summary(data: pl.DataFrame | Panel, *, start: int, end: int | None = None) -> pl.DataFrame:
    """One row per entity × indicator series: everything the methods need, in two group-bys.

    ``n_all`` points up to ``end``; latest point ``y1, x1``; ``n_since`` points from ``start`` on
    and the first of them ``ys, xs``; the last point before ``start`` ``yb, xb``.
    """
    p = prepare(data)
    key = ("summary", start, end)
    if key in p._cache:
        return p._cache[key]
    work = p.work if end is None else p.work.filter(pl.col("year") <= end)
    since = work.filter(pl.col("year") >= start).group_by("k").agg(
        pl.len().cast(pl.Int32).alias("n_since"),
        pl.col("year").first().alias("ys"),
        pl.col("value").first().alias("xs"),
        pl.col("year").last().alias("y1"),
        pl.col("value").last().alias("x1"),
    )
    before = work.filter(pl.col("year") < start).group_by("k").agg(
        pl.len().cast(pl.Int32).alias("n_before"),
        pl.col("year").last().alias("yb"),
        pl.col("value").last().alias("xb"),
    )
    out = since.join(before, on="k", how="full", coalesce=True).with_columns(
        pl.col("n_since").fill_null(0),
        pl.col("n_before").fill_null(0),
        pl.coalesce("y1", "yb").alias("y1"),
        pl.coalesce("x1", "xb").alias("x1"),
    ).with_columns((pl.col("n_since") + pl.col("n_before")).alias("n_all"))
    out = out.join(p.keys, on="k").drop("k").select(*_KEYS, pl.exclude(_KEYS))
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
