"""Invariants of the demo that hold for every seed (hypothesis over seeds)."""

from __future__ import annotations

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit import tidy
from vlrkit.demo import build_demo
from vlrkit.demo.indicators import catalogue

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS)
def test_values_respect_bounds_and_decimals(seed):
    obs = build_demo(seed).observations
    for spec in catalogue():
        values = obs.filter(pl.col("indicator") == spec.code)["value"]
        lo, hi = spec.bounds
        assert values.min() >= lo and values.max() <= hi, spec.code
        scaled = values * 10**spec.decimals
        assert ((scaled - scaled.round()).abs() < 1e-6).all(), spec.code
    assert not any(math.copysign(1.0, v) < 0 for v in obs["value"] if v == 0)  # no -0.0


@settings(max_examples=10, deadline=None)
@given(seed=SEEDS)
def test_structure_does_not_depend_on_the_seed(seed, demo):
    obs = build_demo(seed).observations
    keys = ["indicator", "year", *tidy.DIMENSIONS, "obs_status", "labels"]
    assert obs.select(keys).equals(demo.observations.select(keys))
