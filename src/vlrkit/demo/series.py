"""Seeded, vectorised generation of the demo city's observations (the tidy table).

Each indicator's headline series is the straight-line path between its anchor values
(:attr:`~vlrkit.demo.indicators.Spec.anchors`) at the years it has data, with seeded
Gaussian noise, clipped to the indicator's bounds and rounded to its decimals.  Group
values (by sex, age, income quintile, disability, migratory status or district) are the
headline times a group factor that moves linearly from its first to its last value;
the factors are normalised each year so that the population-weighted mean of the
groups equals the headline, which keeps totals and breakdowns consistent.  A few indicators
are also cross-classified (sex × age, sex × district): their cells are raked to the groups'
factors, so they average to the one-dimension breakdowns (see :func:`_cross`).

All draws come from one :class:`numpy.random.Generator` in a fixed order, so the same
seed gives the same table, row for row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import polars as pl

from vlrkit import tidy
from vlrkit.demo.city import DISTRICTS, ENTITY_CODE, SHARES
from vlrkit.demo.indicators import Spec

#: Group values are noisier than the headline (smaller samples): this factor on the noise.
GROUP_NOISE_FACTOR = 1.5

#: Cells of a cross-classification (sex × age) are noisier again: each is a part of a group.
CROSS_NOISE_FACTOR = 2.0

#: Rounds of iterative proportional fitting that make the cells agree with the group factors.
RAKING_ROUNDS = 50

#: Original column name recorded in ``labels`` for district rows (as a source table has it).
DISTRICT_LABEL_COLUMN = "区县"

#: Multiplier that packs (indicator position, year) into one integer key.
_YEAR_KEY = 10_000


@dataclass(frozen=True)
class _Block:
    """Group rows of one indicator as column arrays: the dimension codes they carry (one
    dimension, or two for a cross-classification), indicator position, year and value."""

    codes: dict[str, np.ndarray]
    index: np.ndarray
    year: np.ndarray
    value: np.ndarray


def _headline(specs: tuple[Spec, ...], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Headline rows of all indicators as column arrays."""
    lengths = np.array([len(s.years) for s in specs])
    years = np.concatenate([np.asarray(s.years) for s in specs])
    base = np.concatenate(
        [np.interp(s.years, [a[0] for a in s.anchors], [a[1] for a in s.anchors]) for s in specs]
    )
    noise = np.repeat([s.noise for s in specs], lengths)
    noise_abs = np.repeat([s.noise_abs for s in specs], lengths)
    z = rng.standard_normal(base.size)
    value = np.where(noise_abs > 0, base + noise_abs * z, base * (1.0 + noise * z))
    return {
        "index": np.repeat(np.arange(len(specs)), lengths),
        "year": years,
        "value": value,
    }


def _factors(
    s: Spec, dim: str, yrs: np.ndarray, first: int, span: int
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Group codes, population shares (summing to 1) and group factors (group × year) of one
    dimension, normalised each year so that the population-weighted mean factor is 1."""
    groups = s.dims[dim]
    codes = list(groups)
    f0 = np.array([groups[g][0] for g in codes])[:, None]
    f1 = np.array([groups[g][1] for g in codes])[:, None]
    shares = np.array([SHARES[dim].get(g, 1.0) for g in codes])
    shares = shares / shares.sum()
    factors = f0 + (f1 - f0) * ((yrs - first) / span)[None, :]
    factors = factors / (shares[:, None] * factors).sum(axis=0, keepdims=True)
    return codes, shares, factors


def _groups(
    specs: tuple[Spec, ...], head: dict[str, np.ndarray], rng: np.random.Generator
) -> list[_Block]:
    """Disaggregated rows, one block per (indicator, dimension)."""
    blocks: list[_Block] = []
    for i, s in enumerate(specs):
        mask = head["index"] == i
        years, headline = head["year"][mask], head["value"][mask]
        first, last = years[0], years[-1]
        span = max(last - first, 1)
        for dim in s.dims:
            keep = years >= s.since.get(dim, first)
            yrs, hv = years[keep], headline[keep]
            codes, _, factors = _factors(s, dim, yrs, first, span)
            z = rng.standard_normal(factors.shape)
            values = hv[None, :] * factors * (1.0 + s.noise * GROUP_NOISE_FACTOR * z)
            blocks.append(_Block(
                codes={dim: np.repeat(np.array(codes, dtype=object), len(yrs))},
                index=np.full(values.size, i),
                year=np.tile(yrs, len(codes)),
                value=values.ravel(),
            ))
    return blocks


def _rake(cells: np.ndarray, fa: np.ndarray, wa: np.ndarray, fb: np.ndarray, wb: np.ndarray) -> np.ndarray:
    """Iterative proportional fitting: scale the cells (a × b × year) until, every year, their
    ``wb``-weighted mean over b is ``fa`` and their ``wa``-weighted mean over a is ``fb``."""
    for _ in range(RAKING_ROUNDS):
        cells = cells * (fa / np.einsum("j,ijy->iy", wb, cells))[:, None, :]
        cells = cells * (fb / np.einsum("i,ijy->jy", wa, cells))[None, :, :]
    return cells


def _cross(
    specs: tuple[Spec, ...], head: dict[str, np.ndarray], rng: np.random.Generator
) -> list[_Block]:
    """Cross-classified rows (e.g. sex × age), one block per (indicator, cross-classification).

    A cell's factor starts as the product of its groups' factors times the catalogue's
    ``tilt`` (the interaction: who is worse off than the two breakdowns alone suggest), and is
    then raked so that each group's cells average (population-weighted, the dimensions taken as
    independent) to the group's own factor: the cells agree with the one-dimension breakdowns
    and, through them, with the headline.  Drawn after every other series, so adding a
    cross-classification leaves the rest of the table unchanged.
    """
    blocks: list[_Block] = []
    for i, s in enumerate(specs):
        if not s.cross:
            continue
        mask = head["index"] == i
        years, headline = head["year"][mask], head["value"][mask]
        first, last = years[0], years[-1]
        span = max(last - first, 1)
        for c in s.cross:
            a, b = c.dims
            start = max(s.since.get(a, first), s.since.get(b, first), c.since or first)
            keep = years >= start
            yrs, hv = years[keep], headline[keep]
            ca, wa, fa = _factors(s, a, yrs, first, span)
            cb, wb, fb = _factors(s, b, yrs, first, span)
            t = ((yrs - first) / span)[None, None, :]
            t0 = np.array([[c.tilt.get((x, y), (1.0, 1.0))[0] for y in cb] for x in ca])[:, :, None]
            t1 = np.array([[c.tilt.get((x, y), (1.0, 1.0))[1] for y in cb] for x in ca])[:, :, None]
            cells = _rake(fa[:, None, :] * fb[None, :, :] * (t0 + (t1 - t0) * t), fa, wa, fb, wb)
            z = rng.standard_normal(cells.shape)
            noise = s.noise * GROUP_NOISE_FACTOR * CROSS_NOISE_FACTOR
            values = hv[None, None, :] * cells * (1.0 + noise * z)
            n = len(yrs)
            blocks.append(_Block(
                codes={
                    a: np.repeat(np.array(ca, dtype=object), len(cb) * n),
                    b: np.tile(np.repeat(np.array(cb, dtype=object), n), len(ca)),
                },
                index=np.full(values.size, i),
                year=np.tile(yrs, len(ca) * len(cb)),
                value=values.ravel(),
            ))
    return blocks


def _finish(specs: tuple[Spec, ...], index: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Clip to each indicator's bounds and round to its decimals, vectorised."""
    lo = np.array([s.bounds[0] for s in specs])[index]
    hi = np.array([s.bounds[1] for s in specs])[index]
    scale = 10.0 ** np.array([s.decimals for s in specs])[index]
    # + 0.0 turns -0.0 into 0.0, which is what a database gives back
    return np.round(np.clip(value, lo, hi) * scale) / scale + 0.0


def observations(specs: tuple[Spec, ...], seed: int) -> pl.DataFrame:
    """The tidy observation table of the demo city for ``seed``."""
    rng = np.random.default_rng(seed)
    head = _headline(specs, rng)
    blocks = _groups(specs, head, rng)
    blocks += _cross(specs, head, rng)  # drawn last: the other rows do not depend on them

    index = np.concatenate([head["index"], *[b.index for b in blocks]])
    year = np.concatenate([head["year"], *[b.year for b in blocks]])
    value = _finish(specs, index, np.concatenate([head["value"], *[b.value for b in blocks]]))
    n_head = head["index"].size
    dims: dict[str, np.ndarray] = {}
    offset = n_head
    for b in blocks:
        size = len(b.index)
        for dim, codes_of in b.codes.items():
            column = dims.setdefault(dim, np.full(index.size, None, dtype=object))
            column[offset : offset + size] = codes_of
        offset += size

    codes = np.array([s.code for s in specs], dtype=object)
    units = np.array([s.unit for s in specs], dtype=object)
    sources = np.array([s.source_text for s in specs], dtype=object)
    last_year = np.array([s.years[-1] for s in specs])
    provisional = np.array([s.provisional for s in specs])
    # (indicator, year) pairs flagged as estimates, matched as one integer key per row
    estimated = [i * _YEAR_KEY + y for i, s in enumerate(specs) for y in s.estimated]
    is_estimated = np.isin(index * _YEAR_KEY + year, estimated)
    status = np.where(
        provisional[index] & (year == last_year[index]), "P", np.where(is_estimated, "E", "A")
    )
    labels = np.full(index.size, "{}", dtype=object)
    if "GEO" in dims:
        geo = dims["GEO"]
        for code, names in DISTRICTS.items():
            label = json.dumps({DISTRICT_LABEL_COLUMN: names["zh-Hans"]}, ensure_ascii=False)
            labels[geo == code] = label

    columns = {
        "entity": np.full(index.size, ENTITY_CODE, dtype=object),
        "indicator": codes[index],
        "period": year.astype(str).astype(object),
        "year": year,
        "value": value,
        "unit": units[index],
        "series": np.full(index.size, "", dtype=object),
        **dims,
        "obs_status": status.astype(object),
        "source": sources[index],
        "labels": labels,
    }
    frame = pl.DataFrame(
        [pl.Series(name, col.tolist(), dtype=tidy.SCHEMA[name]) for name, col in columns.items()]
    )
    frame = tidy.conform(frame)
    return frame.sort(["indicator", "year", *tidy.DIMENSIONS], nulls_last=False)
