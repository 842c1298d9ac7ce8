"""Method invariants, checked with hypothesis on vectorised batches."""

from __future__ import annotations

import math

import polars as pl
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vlrkit.assess import progress, sdsn

SETTINGS = settings(max_examples=60, deadline=None)
value = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(0.5, 1e4, allow_nan=False, allow_infinity=False)
scale = st.floats(1e-3, 1e3, allow_nan=False, allow_infinity=False)


def _scores(values, best, worst, green=None, red=None, direction="higher"):
    data = pl.DataFrame({"entity": [f"e{i}" for i in range(len(values))], "indicator": "x",
                         "year": 2020, "value": [float(v) for v in values]})
    spec = pl.DataFrame({"indicator": ["x"], "goal": [1], "direction": [direction], "best": [best],
                         "worst": [worst], "green": [green], "red": [red]},
                        schema_overrides={c: pl.Float64 for c in ("best", "worst", "green", "red")})
    res = sdsn.assess(data, spec).indicators.sort(pl.col("entity").str.slice(1).cast(pl.Int64))
    return res


@SETTINGS
@given(st.lists(value, min_size=1, max_size=30), value, value)
def test_scores_lie_in_0_100(values, best, worst):
    assume(abs(best - worst) > 1e-6)
    scores = _scores(values, best, worst)["score"].to_list()
    assert all(0.0 <= s <= 100.0 for s in scores)


@SETTINGS
@given(st.lists(value, min_size=2, max_size=30), value, value)
def test_scores_are_monotone_in_the_value_by_direction(values, best, worst):
    assume(abs(best - worst) > 1e-6)
    res = _scores(values, best, worst)
    pairs = sorted(zip(res["value"].to_list(), res["score"].to_list(), strict=True))
    ordered = [s for _, s in pairs]
    if best > worst:  # higher is better: non-decreasing
        assert all(a <= b + 1e-9 for a, b in zip(ordered, ordered[1:], strict=False))
    else:
        assert all(a + 1e-9 >= b for a, b in zip(ordered, ordered[1:], strict=False))


@SETTINGS
@given(st.lists(value, min_size=1, max_size=30), value, value)
def test_swapping_direction_mirrors_the_score(values, best, worst):
    assume(abs(best - worst) > 1e-3)
    up = _scores(values, best, worst)["score"].to_list()
    down = _scores(values, worst, best, direction="lower")["score"].to_list()
    assert all(math.isclose(a, 100.0 - b, abs_tol=1e-7) for a, b in zip(up, down, strict=True))


@SETTINGS
@given(st.lists(positive, min_size=1, max_size=20), st.floats(0.0, 30.0), st.floats(31.0, 69.0),
       st.floats(70.0, 100.0), scale)
def test_colours_are_stable_under_unit_rescaling(values, worst_s, red_s, green_s, c):
    lo, hi = min(values), max(values) + 1.0
    at = lambda s: lo + s / 100 * (hi - lo)  # noqa: E731 - thresholds inside the range
    base = _scores(values, hi, lo, at(green_s), at(red_s))
    scaled = _scores([v * c for v in values], hi * c, lo * c, at(green_s) * c, at(red_s) * c)
    # scores may differ in the last bits; a colour can only flip on a threshold itself
    for a, b, s in zip(base["colour"], scaled["colour"], base["scale03"], strict=True):
        assert a == b or min(abs(s - k) for k in (1.0, 1.5, 2.0)) < 1e-9


def _progress(series_list, target, method, direction="higher"):
    rows = [(f"e{i}", y, v) for i, series in enumerate(series_list) for y, v in series]
    data = pl.DataFrame(rows, schema={"entity": pl.String, "year": pl.Int32, "value": pl.Float64},
                        orient="row").with_columns(pl.lit("x").alias("indicator"))
    spec = pl.DataFrame({"indicator": ["x"], "goal": [1], "direction": [direction], "target": [target],
                         "target_year": [2030]}, schema_overrides={"target": pl.Float64})
    return progress.assess(data, spec, method=method).table.sort(pl.col("entity").str.slice(1).cast(pl.Int64))


series = st.lists(st.tuples(st.integers(2015, 2024), positive), min_size=1, max_size=6,
                  unique_by=lambda t: t[0])


@SETTINGS
@given(st.lists(series, min_size=1, max_size=10), positive, scale,
       st.sampled_from(["unsd", "unsd5", "statcan", "eurostat", "projection"]),
       st.sampled_from(["higher", "lower"]))
def test_progress_classes_are_stable_under_unit_rescaling(batch, target, c, method, direction):
    assume(target not in (0.0, 100.0) and target * c not in (0.0, 100.0))
    near_pct = [abs(v - 100) <= 1 or abs(v * c - 100) <= 1 for s in batch for _, v in s]
    assume(not any(near_pct))  # the 1-point rule for percentage targets is unit-bound on purpose
    a = _progress(batch, target, method, direction)
    b = _progress([[(y, v * c) for y, v in s] for s in batch], target * c, method, direction)
    for ra, rb in zip(a.iter_rows(named=True), b.iter_rows(named=True), strict=True):
        if ra["ratio"] is not None and any(abs(ra["ratio"] - k) < 1e-6 for k in (0.95, 0.6, 0.5, 0.1, 0.0, -0.1)):
            continue  # exactly on a cut-off, rounding may tip it either way
        if ra["projection_share"] is not None and any(abs(ra["projection_share"] - k) < 1e-6 for k in (0.95, 0.1)):
            continue
        assert ra["status"] == rb["status"], (ra, rb)


@SETTINGS
@given(st.lists(positive, min_size=2, max_size=8), positive)
def test_cagr_matches_its_formula(values, target):
    s = list(zip(range(2015, 2015 + len(values)), values, strict=True))
    row = _progress([s], target, "unsd").row(0, named=True)
    t = len(values) - 1
    assert math.isclose(row["cagr"], (values[-1] / values[0]) ** (1 / t) - 1, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(row["cagr_required"], (target / values[0]) ** (1 / 15) - 1, rel_tol=1e-9, abs_tol=1e-12)


@SETTINGS
@given(positive, st.integers(2015, 2024))
def test_one_point_is_always_insufficient(v, year):
    for method in ("unsd", "statcan", "eurostat", "projection"):
        assert set(_progress([[(year, v)]], 50.0, method)["status"]) == {"insufficient_data"}


@SETTINGS
@given(*[st.one_of(st.just(0.0), st.floats(1e-3, 1e3))] * 3)
def test_zeros_never_break_the_cagr(x0, x1, target):
    row = _progress([[(2015, x0), (2020, x1)]], target, "statcan").row(0, named=True)
    assert row["cagr"] is not None and math.isfinite(row["cagr"])
    assert row["status"] != "insufficient_data"
