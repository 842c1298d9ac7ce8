"""The demo's cross-classified series (sex × age, sex × district): consistent with the
one-dimension breakdowns and the totals, deterministic, and what the LNOB frames read."""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl

from vlrkit import tidy
from vlrkit.assess import assess_review
from vlrkit.demo import DEFAULT_SEED
from vlrkit.demo.city import SHARES
from vlrkit.demo.indicators import catalogue
from vlrkit.demo.series import _rake, observations

N_DIMS = pl.sum_horizontal([pl.col(d).is_not_null().cast(pl.Int8) for d in tidy.DIMENSIONS])


def _cells(obs: pl.DataFrame) -> pl.DataFrame:
    return obs.filter(N_DIMS == 2)


def test_two_indicators_are_cross_classified(demo):
    cells = _cells(demo.observations)
    combos = {
        (code, tuple(d for d in tidy.DIMENSIONS if part[d].null_count() == 0))
        for (code,), part in cells.group_by("indicator")
    }
    assert ("LJ-08-02", ("SEX", "AGE")) in combos
    assert ("LJ-01-01", ("SEX", "GEO")) in combos
    # every cell of every year: 2 sexes × 3 ages × 7 years, 2 sexes × 6 districts × 2016–2024
    assert cells.filter(pl.col("indicator") == "LJ-08-02").height == 2 * 3 * 7
    assert cells.filter(pl.col("indicator") == "LJ-01-01").height == 2 * 6 * 9
    assert cells.filter(pl.col("indicator") == "LJ-01-01")["year"].min() == 2016


def test_cells_average_to_the_one_dimension_groups(demo):
    """Population-weighted over the other dimension, a group's cells equal the group's own row
    (both carry sampling noise: close, not equal)."""
    obs = demo.observations
    errors = []
    for spec in catalogue():
        for cross in spec.cross:
            cells = _cells(obs.filter(pl.col("indicator") == spec.code))
            for dim, other in (cross.dims, cross.dims[::-1]):
                share = pl.col(other).replace_strict(SHARES[other], default=None)
                mean = cells.group_by("year", dim).agg(
                    ((pl.col("value") * share).sum() / share.sum()).alias("mean"))
                single = obs.filter(pl.col("indicator") == spec.code, N_DIMS == 1,
                                    pl.col(dim).is_not_null()).select("year", dim, "value")
                joined = mean.join(single, on=["year", dim])
                assert joined.height == mean.height
                errors.append(joined.select(((pl.col("mean") - pl.col("value")).abs() / pl.col("value")).alias("e")))
    err = pl.concat(errors)["e"]
    assert err.median() < 0.03, err.describe()
    # a cell carries twice a group's sampling noise (6 % for a 2 %-noise series): allow 4 sd
    assert err.max() < 0.25


def test_raking_makes_cells_average_exactly_to_the_group_factors():
    """Before noise, the cells' weighted means over each dimension are the groups' factors,
    whatever the tilt; the weighted mean of all cells is 1 (the headline)."""
    rng = np.random.default_rng(7)
    fa, fb = rng.uniform(0.5, 2.0, (3, 4)), rng.uniform(0.5, 2.0, (5, 4))
    wa, wb = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(5))
    fa, fb = fa / (wa[:, None] * fa).sum(axis=0), fb / (wb[:, None] * fb).sum(axis=0)
    tilt = rng.uniform(0.7, 1.4, (3, 5, 4))
    cells = _rake(fa[:, None, :] * fb[None, :, :] * tilt, fa, wa, fb, wb)
    assert np.allclose(np.einsum("j,ijy->iy", wb, cells), fa, atol=1e-9)
    assert np.allclose(np.einsum("i,ijy->jy", wa, cells), fb, atol=1e-9)
    assert np.allclose(np.einsum("i,j,ijy->y", wa, wb, cells), 1.0, atol=1e-9)
    assert not np.allclose(cells, fa[:, None, :] * fb[None, :, :])  # the tilt survives


def test_cross_classification_leaves_the_other_rows_unchanged(demo):
    """The cells are drawn last: without them the rest of the table is the same, row for row."""
    plain = tuple(dataclasses.replace(s, cross=()) for s in catalogue())
    without = observations(plain, DEFAULT_SEED)
    assert demo.observations.filter(N_DIMS <= 1).equals(without)


def test_lnob_frames_read_the_cells(demo):
    lnob = assess_review(demo).lnob
    inter = lnob.intersections
    assert set(inter["dimension"]) == {"SEX×AGE", "SEX×GEO"}
    jobs = inter.filter(pl.col("indicator") == "LJ-08-02").row(0, named=True)
    # young men: the tilt of the catalogue makes them the furthest behind cell
    assert jobs["furthest_behind"] == "SEX:M×AGE:Y16T24"
    assert jobs["latest_year"] == 2024
    within = lnob.within
    assert set(within.filter(pl.col("indicator") == "LJ-08-02")["context"]) == {
        "AGE:Y16T24", "AGE:Y25T29", "AGE:Y30T59", "SEX:F", "SEX:M"}
    assert lnob.skipped == 0
