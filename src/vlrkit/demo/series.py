"""Seeded, vectorised generation of the demo city's observations (the tidy table).

Each indicator's headline series is the straight-line path between its anchor values
(:attr:`~vlrkit.demo.indicators.Spec.anchors`) at the years it has data, with seeded
Gaussian noise, clipped to the indicator's bounds and rounded to its decimals.  Group
values (by sex, age, income quintile, disability, migratory status or district) are the
headline times a group factor that moves linearly from its first to its last value;
the factors are normalised each year so that the population-weighted mean of the
groups equals the headline, which keeps totals and breakdowns consistent.

All draws come from one :class:`numpy.random.Generator` in a fixed order, so the same
seed gives the same table, row for row.
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl

from vlrkit import tidy
from vlrkit.demo.city import DISTRICTS, ENTITY_CODE, SHARES
from vlrkit.demo.indicators import Spec

#: Group values are noisier than the headline (smaller samples): this factor on the noise.
GROUP_NOISE_FACTOR = 1.5

#: Original column name recorded in ``labels`` for district rows (as a source table has it).
DISTRICT_LABEL_COLUMN = "区县"

#: Multiplier that packs (indicator position, year) into one integer key.
_YEAR_KEY = 10_000


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


def _groups(
    specs: tuple[Spec, ...], head: dict[str, np.ndarray], rng: np.random.Generator
) -> list[dict[str, np.ndarray | str]]:
    """Disaggregated rows, one block per (indicator, dimension)."""
    blocks: list[dict[str, np.ndarray | str]] = []
    for i, s in enumerate(specs):
        mask = head["index"] == i
        years, headline = head["year"][mask], head["value"][mask]
        first, last = years[0], years[-1]
        span = max(last - first, 1)
        for dim, groups in s.dims.items():
            keep = years >= s.since.get(dim, first)
            yrs, hv = years[keep], headline[keep]
            codes = list(groups)
            f0 = np.array([groups[g][0] for g in codes])[:, None]
            f1 = np.array([groups[g][1] for g in codes])[:, None]
            shares = np.array([SHARES[dim].get(g, 1.0) for g in codes])
            shares = shares / shares.sum()
            factors = f0 + (f1 - f0) * ((yrs - first) / span)[None, :]
            factors = factors / (shares[:, None] * factors).sum(axis=0, keepdims=True)
            z = rng.standard_normal(factors.shape)
            values = hv[None, :] * factors * (1.0 + s.noise * GROUP_NOISE_FACTOR * z)
            blocks.append(
                {
                    "dim": dim,
                    "index": np.full(values.size, i),
                    "year": np.tile(yrs, len(codes)),
                    "value": values.ravel(),
                    "code": np.repeat(np.array(codes, dtype=object), len(yrs)),
                }
            )
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

    index = np.concatenate([head["index"], *[b["index"] for b in blocks]])
    year = np.concatenate([head["year"], *[b["year"] for b in blocks]])
    value = _finish(specs, index, np.concatenate([head["value"], *[b["value"] for b in blocks]]))
    n_head = head["index"].size
    dims: dict[str, np.ndarray] = {}
    offset = n_head
    for b in blocks:
        column = dims.setdefault(str(b["dim"]), np.full(index.size, None, dtype=object))
        size = len(b["index"])
        column[offset : offset + size] = b["code"]
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
