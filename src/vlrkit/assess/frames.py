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
``yellow``       Float64  yellow threshold, for editions that publish one (null: the
                          midpoint of red and green; see :mod:`vlrkit.assess.editions`)
``target``       Float64  target value (null: no target)
``target_year``  Int32    year of the target (null: 2030)
``optimum``      str      how ``best`` is set: ``target``, ``lnob``, ``science``, ``top5``
                          (null: the given best, else the target, else the top 5 — see
                          :data:`vlrkit.assess.rules.OPTIMUM_RULES`)
``index``        Boolean  counts in goal scores and the index (null: true); false for a
                          *dashboard-only* indicator that colours the goal but is not scored
===============  =======  ==========================================================

:func:`prepare` checks the panel once and lays it out by series; :func:`summary` (from a start
year) and :func:`trailing` (a window ending at each series' latest year) reduce it to the points
every method reads, by position in that layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import polars as pl

from vlrkit.assess.rules import TARGET_YEAR

_KEYS = ["entity", "indicator"]
Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)
#: Rows in no order are placed on the grid of series × years (linear) rather than sorted when
#: the grid has at most this many cells per row (else the grid would cost more than the sort).
DENSE = 2
_WORK = {"k": pl.UInt64(), "year": pl.Int32(), "value": pl.Float64()}

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
    "yellow": pl.Float64(),
    "target": pl.Float64(),
    "target_year": pl.Int32(),
    "index": pl.Boolean(),
    "optimum": pl.String(),
}


@dataclass(frozen=True)
class Panel:
    """A checked panel, laid out for speed: build it once with :func:`prepare`, hand it to
    several methods.

    ``work`` holds one row per observation as numbers only — series key ``k`` (UInt32, or UInt64
    for a grid of more than 2³² cells), ``year``, ``value`` — sorted by series and year, so a
    series' rows are consecutive and every per-series figure is found by position (linear in the
    rows).  ``k`` numbers the series in the grid of ``entities`` × ``indicators`` (both sorted):
    ``k = entity position × len(indicators) + indicator position``, so the series are in
    ``entity, indicator`` order and :meth:`named` maps ``k`` back to the codes by position.  The
    cell ``(series, year)`` is numbered ``k × years + (year − first_year)`` (:func:`cell`), in
    the same order as the rows.  Several values of one series in one year (quarters, months)
    are averaged; :attr:`averaged` counts such years.  Summaries (:func:`summary`) are cached.
    """

    work: pl.DataFrame
    entities: pl.Series
    indicators: pl.Series
    averaged: int = 0
    first_year: int = 0
    years: int = 1
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def named(self, frame: pl.DataFrame, *, categorical: bool = False, key: bool = False) -> pl.DataFrame:
        """``frame`` (with a column ``k``) with ``entity, indicator`` in its place, first.

        ``categorical`` gives them as :class:`polars.Categorical` (4 bytes a row rather than a
        string's 16): for the methods' internal frames of one row per series, which are joined
        and sorted many times; results go out as strings.  ``key`` keeps ``k`` too (last), to
        join back to :attr:`work`.
        """
        k, n = frame["k"], max(self.indicators.len(), 1)
        ent, ind = self.entities, self.indicators
        if categorical:
            ent, ind = ent.cast(pl.Categorical), ind.cast(pl.Categorical)
        return frame.select(
            ent.gather(k // n).alias("entity"),
            ind.gather(k % n).alias("indicator"),
            pl.exclude("k"),
            *([pl.col("k")] if key else []),
        )

    @property
    def frame(self) -> pl.DataFrame:
        """``entity, indicator, year, value`` (sorted by series and year)."""
        if "frame" not in self._cache:
            self._cache["frame"] = self.named(self.work)
        return self._cache["frame"]


def cell(first_year: int, years: int, dtype: type[pl.DataType] = pl.Int64) -> pl.Expr:
    """The number of each row's cell ``(series, year)`` in a panel's grid: increasing along the
    rows of a panel in order, equal for two values of one series in one year."""
    return pl.col("k").cast(dtype) * years + (pl.col("year") - first_year).cast(dtype)


def _last_rows() -> pl.Expr:
    """The position of each series' last row (its rows are consecutive)."""
    k = pl.col("k")
    return pl.arg_where(k.ne_missing(k.shift(-1)))


def _up_to(p: Panel, end: int | None) -> pl.DataFrame:
    """The panel's rows up to the year ``end`` (all of them for None), still in order."""
    return p.work if end is None else p.work.filter(pl.col("year") <= end)


def _empty() -> Panel:
    return Panel(pl.DataFrame(schema=_WORK), pl.Series("entity", [], pl.String),
                 pl.Series("indicator", [], pl.String))


def prepare(frame: pl.DataFrame | Panel) -> Panel:
    """Check and lay out ``frame`` (columns ``entity, indicator, year, value``) as a :class:`Panel`.

    Streaming passes, in morsels: the first codes each row's entity and indicator (the one pass
    over the text); the second finds the codes present and the span of years; the third gives
    each row its series key (the position of its entity and indicator in the sorted grid), and
    the fourth checks, on the cell number ``(series, year)``, that the rows come in order and
    hold one value per cell.  Rows in order (a store or an export ordered by series) need
    nothing more, and the panel stays in the streaming engine's chunks, which the allocator
    recycles.  Rows out of order are placed in their cells when the
    grid is dense (:func:`_place`, linear), else sorted on the one integer; cells holding
    several values are averaged.
    """
    if isinstance(frame, Panel):
        return frame
    missing = [c for c in PANEL_SCHEMA if c not in frame.columns]
    if missing:
        raise ValueError(f"panel lacks columns {missing}")
    rows = frame.lazy().select([pl.col(c).cast(t) for c, t in PANEL_SCHEMA.items()]).filter(
        pl.col("value").is_not_null() & pl.col("value").is_finite() & pl.col("year").is_not_null()
        & pl.col("entity").is_not_null() & pl.col("indicator").is_not_null()
    )
    # one pass hashes each row's entity and indicator to a code (the process's categorical
    # numbering); the codes, not the strings, are then counted, sorted and turned into positions
    coded = rows.select(pl.col("entity").cast(pl.Categorical), pl.col("indicator").cast(pl.Categorical),
                        "year", "value").collect(engine="streaming")
    ent, ind, span = pl.collect_all([
        coded.lazy().select(pl.col("entity").unique()),
        coded.lazy().select(pl.col("indicator").unique()),
        coded.lazy().select(pl.col("year").min().alias("lo"), pl.col("year").max().alias("hi")),
    ], engine="streaming")
    lo, hi = span.row(0)
    if lo is None:
        return _empty()
    (entities, e_at), (indicators, i_at) = _positions(ent.to_series()), _positions(ind.to_series())
    n_ind, n_years = indicators.len(), hi - lo + 1
    # the narrowest key that numbers every cell of the grid: half the memory of 64 bits
    key = pl.UInt32 if entities.len() * n_ind * n_years < 2**32 else pl.UInt64
    e = pl.lit(e_at.cast(key)).gather(pl.col("entity").to_physical())
    i = pl.lit(i_at.cast(key)).gather(pl.col("indicator").to_physical())
    # one pass over the codes: each row's series key, in the streaming engine's chunks, which
    # the allocator recycles (one contiguous column of this size would be handed back to the
    # system when freed, and faulted in again for the next)
    work = coded.lazy().select((e * n_ind + i).alias("k"), "year", "value").collect(engine="streaming")
    del coded
    # in order, and one value per series and year?  One more pass over the cell numbers
    step = cell(lo, n_years).diff()
    unsorted, repeated = work.lazy().select((step < 0).any().alias("u"), (step == 0).any().alias("r")).collect(
        engine="streaming").row(0)
    averaged = 0
    if unsorted:  # rows that arrive in series order (a store, an ordered export) need no sort
        n_cells = entities.len() * n_ind * n_years
        placed = _place(work, n_cells, lo, n_years, key) if n_cells <= DENSE * work.height else None
        if placed is not None:
            work, repeated = placed, False
        else:  # a sparse grid, or several values in a cell: sort on the one integer key
            work = work.lazy().sort(cell(lo, n_years, key), maintain_order=True).collect(engine="streaming")
            repeated = work.lazy().select((step == 0).any()).collect(engine="streaming").item()
    if repeated:
        # several values in one year (quarters, months): average them
        work = work.group_by("k", "year").agg(pl.col("value").mean(), pl.len().alias("_n"))
        averaged = work.filter(pl.col("_n") > 1).height
        work = work.sort("k", "year").select("k", "year", "value")
    return Panel(work, entities, indicators, averaged, lo, n_years)


def _positions(present: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The distinct values of a categorical column as text, sorted (the panel's list of entities
    or indicators), and, at each categorical code, the value's position in that list."""
    text = present.cast(pl.String)
    order = text.arg_sort()
    codes = present.to_physical().to_numpy()
    at = np.zeros(int(codes.max()) + 1, dtype=np.uint32)
    at[codes[order.to_numpy()]] = np.arange(len(codes), dtype=np.uint32)
    return text.gather(order), pl.Series(at)


def _place(work: pl.DataFrame, n_cells: int, lo: int, n_years: int,
           key: type[pl.DataType]) -> pl.DataFrame | None:
    """Rows in no order put in order without a sort: each value is written into its cell of the
    grid of series × years, and the filled cells read back in order (linear in the rows and the
    cells, where a sort is n log n and touches more memory).  None when a cell holds several
    values (they are averaged after a sort).  The values are finite, so NaN marks an empty cell."""
    at = work.select(cell(lo, n_years, key)).to_series().to_numpy()
    grid = np.full(n_cells, np.nan)
    grid[at] = work["value"].to_numpy()
    filled = np.flatnonzero(~np.isnan(grid))
    if filled.size < at.size:
        return None
    c = pl.col("c")
    return pl.DataFrame({"c": filled, "value": grid[filled]}).select(
        (c // n_years).cast(key).alias("k"), (c % n_years + lo).cast(pl.Int32).alias("year"), "value"
    )


def summary(
    data: pl.DataFrame | Panel, *, start: int, end: int | None = None, categorical: bool = False,
    key: bool = False,
) -> pl.DataFrame:
    """One row per entity × indicator series: everything the methods need, found by position.

    ``n_all`` points up to ``end``; latest point ``y1, x1``; ``n_since`` points from ``start`` on
    and the first of them ``ys, xs``; the last point before ``start`` ``yb, xb``.
    """
    p = prepare(data)
    cached = ("summary", start, end)
    if cached not in p._cache:
        p._cache[cached] = _summary(p, start, end)
    return p.named(p._cache[cached], categorical=categorical, key=key)


def _summary(p: Panel, start: int, end: int | None) -> pl.DataFrame:
    """Positions instead of a group-by.  A series' rows are consecutive and in year order, so
    its rows from ``start`` on are a suffix of it, present exactly when its last year is
    ``start`` or later.  Two passes find the last row of each series and the first row from
    ``start`` on; every figure is then a difference of positions or a gather at one (linear in
    the rows; the arithmetic runs on one small array per series)."""
    work = _up_to(p, end)
    k, since = pl.col("k"), pl.col("year") >= start
    last, first_since = (f.to_series() for f in pl.collect_all([  # the two passes side by side
        work.lazy().select(_last_rows()),
        work.lazy().select(pl.arg_where(since & (k.ne_missing(k.shift(1)) | since.shift(1).not_()))),
    ]))
    year, value = work["year"], work["value"]
    y1 = year.gather(last)
    e = last.to_numpy().astype(np.int64)  # the last row of each series
    b = np.concatenate(([0], e[:-1] + 1))  # its first row
    f = e + 1  # its first row from ``start`` on; one past the end where there is none
    f[(y1 >= start).to_numpy()] = first_since.to_numpy()
    n_since, n_before = e + 1 - f, f - b
    at_since, before = np.minimum(f, e), np.maximum(f - 1, b)  # valid rows, masked below
    out = pl.DataFrame({
        "k": work["k"].gather(e), "n_since": n_since.astype(np.int32), "ys": year.gather(at_since),
        "xs": value.gather(at_since), "y1": y1, "x1": value.gather(e),
        "n_before": n_before.astype(np.int32), "yb": year.gather(before), "xb": value.gather(before),
        "n_all": (e + 1 - b).astype(np.int32),
    })
    return out.with_columns(
        pl.when(pl.col("n_since") > 0).then(pl.col(c)).alias(c) for c in ("ys", "xs")
    ).with_columns(pl.when(pl.col("n_before") > 0).then(pl.col(c)).alias(c) for c in ("yb", "xb"))


def trailing(
    data: pl.DataFrame | Panel, *, length: int, end: int | None = None, categorical: bool = False
) -> pl.DataFrame:
    """First and last point of each series within its last ``length`` years: the window
    ``[latest − length, latest]`` that ends at the series' own latest year (up to ``end``).

    Returns ``entity, indicator, n, y0, x0, y1, x1`` (``n`` = points in the window), in series
    order.  By position, like :func:`summary`: the cells ``(series, year)`` are sorted, so each
    window's first row is one binary search for its first cell."""
    p = prepare(data)
    work = _up_to(p, end)
    e = work.select(_last_rows()).to_series()
    cells = work.select(cell(p.first_year, p.years)).to_series()
    last = cells.gather(e)
    # the first cell of the window: the series' own first cell at the earliest
    first = pl.select(pl.max_horizontal(last - last % p.years, last - length)).to_series()
    f = cells.search_sorted(first, side="left")
    out = pl.DataFrame({
        "k": work["k"].gather(e), "n": (e.cast(pl.Int64) + 1 - f.cast(pl.Int64)).cast(pl.UInt32),
        "y0": work["year"].gather(f), "x0": work["value"].gather(f),
        "y1": work["year"].gather(e), "x1": work["value"].gather(e),
    })
    return p.named(out, categorical=categorical)


def of_spec(frame: pl.DataFrame, spec: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``frame`` whose indicator is in ``spec``, in their order (a filter, and none
    when every indicator is: no copy of the frame)."""
    wanted = spec["indicator"].implode()
    if frame["indicator"].unique().is_in(wanted).all():
        return frame
    return frame.filter(pl.col("indicator").is_in(wanted))


def categorical(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """``frame`` with ``columns`` as :class:`polars.Categorical`, to join the methods' internal
    frames (see :meth:`Panel.named`)."""
    return frame.with_columns(pl.col(c).cast(pl.String).cast(pl.Categorical) for c in columns)


def strings(frame: Frame) -> Frame:
    """``frame`` with its categorical key columns back as strings (results go out as strings);
    lazy for a lazy frame, so the cast can run in the query that makes the frame."""
    return frame.with_columns(pl.col(c).cast(pl.String) for c in _KEYS if c in frame.collect_schema())


def pieces(frame: pl.DataFrame) -> list[tuple[int, int]]:
    """``(offset, length)`` of each chunk of ``frame``'s columns (one for a frame in one piece).

    A frame from the streaming engine comes in chunks.  A column added in one piece beside
    them makes the next expression over the frame copy *every* column into one piece first
    (polars aligns the chunks): a full-size allocation per column, which the allocator hands
    back to the system and faults in again.  A column built in the same pieces is added at no
    cost.  A frame whose columns are cut differently is aligned by the next expression anyway:
    one piece then."""
    layouts = {tuple(s.chunk_lengths()) for s in frame.iter_columns()} if frame.height else set()
    lengths = list(layouts.pop()) if len(layouts) == 1 else [frame.height]
    offsets = np.cumsum([0, *lengths[:-1]])
    return [(int(o), int(n)) for o, n in zip(offsets, lengths, strict=True)]


def spec(frame: pl.DataFrame, *, target_year: int = TARGET_YEAR) -> pl.DataFrame:
    """Cast ``frame`` to the spec schema (missing optional columns become null; an empty
    ``target_year`` is ``target_year``, the edition's default target year)."""
    cols = []
    for c, t in SPEC_SCHEMA.items():
        cols.append(pl.col(c).cast(t) if c in frame.columns else pl.lit(None, dtype=t).alias(c))
    out = frame.select(cols)
    return out.with_columns(pl.col("target_year").fill_null(target_year), pl.col("index").fill_null(True))


def words(template: str, *figures: pl.Expr) -> pl.Expr:
    """``template`` with each ``{}`` replaced by the next of ``figures`` as text (null where one
    is null), like :func:`polars.format`.  Written as the concatenation it stands for because
    polars 2.1's ``format`` panics in the streaming engine on a morsel that a filter emptied
    (pola-rs/polars#25187); :func:`polars.concat_str` does not."""
    texts = template.split("{}")
    if len(texts) != len(figures) + 1:
        raise ValueError(f"{template!r} has {len(texts) - 1} placeholder(s) for {len(figures)} figure(s)")
    out: list[pl.Expr] = [pl.lit(texts[0])]
    for figure, text in zip(figures, texts[1:], strict=True):
        out += [figure, pl.lit(text)]
    return pl.concat_str(out)


def sign(direction: pl.Expr) -> pl.Expr:
    """+1 when higher is better, −1 when lower is better."""
    return pl.when(direction == "lower").then(pl.lit(-1.0)).otherwise(pl.lit(1.0))


def base_and_latest(
    data: pl.DataFrame | Panel, *, base_year: int, end: int | None = None, categorical: bool = False,
    key: bool = False,
) -> pl.DataFrame:
    """Base and latest points for progress since ``base_year``.

    The base is ``base_year`` when observed, else the first later year; when fewer than two
    points lie from ``base_year`` on, the last point before ``base_year`` is the base (so a
    series 2010, 2014, 2018 runs 2014 → 2018).  Returns ``entity, indicator, n, y0, x0, y1, x1``.
    """
    s = summary(data, start=base_year, end=end, categorical=categorical, key=key)
    use_before = (pl.col("n_since") < 2) & (pl.col("n_before") > 0)
    return s.select(
        "entity",
        "indicator",
        pl.when(use_before).then(pl.col("n_since") + 1).otherwise(pl.col("n_since")).alias("n"),
        pl.when(use_before).then(pl.col("yb")).otherwise(pl.col("ys")).alias("y0"),
        pl.when(use_before).then(pl.col("xb")).otherwise(pl.col("xs")).alias("x0"),
        "y1",
        "x1",
        *(["k"] if key else []),
    )
