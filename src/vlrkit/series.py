"""A *series*: the publisher's series of an indicator in one unit — the unit of everything.

An indicator often holds several series (rough sleepers and statutory homeless households under
11.1.1) and one series may be published in several units (a number and a rate).  vlrkit never
puts two of them in one figure: every baseline, latest value, trend, score, colour, status, gap,
chart line and table row belongs to one series, named by the three columns of :data:`KEY`
(``indicator``, ``series``, ``unit``) of the tidy table (:mod:`vlrkit.tidy`).  ``series`` is the
publisher's own series (Open SDG ``Series``, SDMX ``SERIES``; "" when the indicator has one);
``unit`` is the publisher's unit as written.  Disaggregations are not series: the coded
dimensions (SEX…GEO) and the ``breakdown`` of other columns are groups *within* a series.

The *headline* series of an indicator — the one its goal page leads with — is chosen by
:func:`choose_headline`, in this order, and the choice says which rule made it:

0. ``user``: the series a person chose in vlrkit (the indicator specification's
   ``headline_series`` / ``headline_unit``), when the data holds it;
1. ``publisher``: the series the publisher selects first (Open SDG ``data_start_values``:
   field/value pairs such as ``Series: Rough sleepers``, ``Units: Number``);
2. ``global-unit``: else the series whose unit is the unit of the global SDG indicator it is
   linked to (the caller passes a predicate; see :mod:`vlrkit.sdg.knowledge`);
3. ``most-complete``: else the series with the most years of total values, then the latest
   year, then the most observations, then the first by name.

The other series are shown beside it, never averaged in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from vlrkit import tidy

__all__ = ["KEY", "SeriesInfo", "Headline", "key_hash", "key_hash_column", "label", "summary",
           "choose_headline", "START_FIELDS"]

#: The columns that name one series.
KEY: tuple[str, ...] = ("indicator", "series", "unit")
#: Open SDG ``data_start_values`` fields that select a series, by the tidy column they match.
START_FIELDS: Mapping[str, str] = {"series": "series", "units": "unit", "unit measure": "unit",
                                   "unit_measure": "unit"}
_SEP = "\x1f"


def key_hash(series: str | None, unit: str | None, breakdown: str | None = "") -> str:
    """A stable 32-character key of (series, unit, breakdown) — the store's compact unique key,
    so that long series names and breakdowns need no long index entries."""
    text = _SEP.join((series or "", unit or "", breakdown or ""))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def key_hash_column(frame: pl.DataFrame, name: str = "skey") -> pl.DataFrame:
    """``frame`` with a ``name`` column of :func:`key_hash` over its series, unit and breakdown
    (computed once per distinct triple)."""
    cols = ["series", "unit", "breakdown"]
    base = frame.with_columns([pl.col(c).fill_null("") if c in frame.columns else pl.lit("").alias(c) for c in cols])
    uniq = base.select(cols).unique()
    if uniq.height == 1:  # the common case: one series in one unit, no join needed
        return base.with_columns(pl.lit(key_hash(*uniq.row(0)), dtype=pl.String).alias(name))
    table = uniq.with_columns(pl.Series(name, [key_hash(*r) for r in uniq.iter_rows()], dtype=pl.String))
    return base.join(table, on=cols, how="left", maintain_order="left")


def label(series: str, unit: str, *, lang: str = "en") -> str:
    """How a series is named to a reader: ``Rough sleepers (Number)``; the unit alone when the
    indicator has one unnamed series; "" for neither."""
    if series and unit:
        return f"{series}（{unit}）" if lang.startswith("zh") else f"{series} ({unit})"
    return series or unit


@dataclass(frozen=True)
class SeriesInfo:
    """One series of an indicator and how complete it is."""

    indicator: str
    series: str
    unit: str
    total_years: int  # distinct years with a total (not disaggregated) value
    latest_year: int | None
    observations: int  # every row of the series, groups included
    disaggregated: bool  # it has rows by group

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.indicator, self.series, self.unit)


@dataclass(frozen=True)
class Headline:
    """The headline series of an indicator and the rule that chose it."""

    indicator: str
    series: str
    unit: str
    rule: str  # user | publisher | global-unit | most-complete
    others: tuple[tuple[str, str], ...] = ()  # (series, unit) shown beside it


def summary(observations: pl.DataFrame) -> tuple[SeriesInfo, ...]:
    """Every series of ``observations`` (a tidy table) with its completeness, in key order."""
    if observations.is_empty():
        return ()
    obs = observations.with_columns(pl.col("series").fill_null(""), pl.col("unit").fill_null(""))
    has_value = pl.col("value").is_not_null()
    total = tidy.is_total() if "breakdown" in obs.columns else pl.all_horizontal(
        [pl.col(d).is_null() for d in tidy.DIMENSIONS if d in obs.columns] or [pl.lit(True)])
    stats = (obs.group_by(list(KEY))
             .agg(pl.col("year").filter(total & has_value).n_unique().alias("total_years"),
                  pl.col("year").filter(has_value).max().alias("latest_year"),
                  pl.len().alias("observations"),
                  (~total).any().alias("disaggregated"))
             .sort(list(KEY)))
    return tuple(SeriesInfo(*row) for row in stats.iter_rows())


def _matches(info: SeriesInfo, wanted: Mapping[str, str]) -> bool:
    return all(getattr(info, col) == value for col, value in wanted.items())


def start_values(fields: Iterable[Mapping[str, object]]) -> dict[str, str]:
    """The tidy columns an Open SDG ``data_start_values`` list selects (``[{field: Series,
    value: X}, …]`` → ``{"series": X}``); fields that are disaggregations are left out."""
    out: dict[str, str] = {}
    for item in fields:
        name = str(item.get("field", "")).strip().lower()
        if name in START_FIELDS and item.get("value") is not None:
            out[START_FIELDS[name]] = str(item["value"]).strip()
    return out


def choose_headline(
    infos: Iterable[SeriesInfo],
    *,
    start: Mapping[str, str] | None = None,
    global_unit: Callable[[str], bool] | None = None,
    user: tuple[str, str] | None = None,
) -> Headline | None:
    """The headline of one indicator's series (see the module doc), None without any series;
    ``user`` is the (series, unit) a person chose in vlrkit, which wins when the data has it."""
    pool = list(infos)
    if not pool:
        return None

    def complete(i: SeriesInfo) -> tuple[int, int, int, str, str]:
        return (-i.total_years, -(i.latest_year or 0), -i.observations, i.series, i.unit)

    chosen, rule = None, "most-complete"
    if user is not None:
        chosen = next((i for i in pool if (i.series, i.unit) == user), None)
        rule = "user" if chosen is not None else rule
    if chosen is None and start:
        hits = [i for i in pool if _matches(i, start)]
        if hits:
            chosen, rule = min(hits, key=complete), "publisher"
    if chosen is None and global_unit is not None:
        hits = [i for i in pool if i.unit and global_unit(i.unit)]
        if hits and len(hits) < len(pool):  # the unit tells them apart
            chosen, rule = min(hits, key=complete), "global-unit"
    if chosen is None:
        chosen = min(pool, key=complete)
    others = tuple((i.series, i.unit) for i in sorted(pool, key=complete) if i is not chosen)
    return Headline(chosen.indicator, chosen.series, chosen.unit, rule, others)
