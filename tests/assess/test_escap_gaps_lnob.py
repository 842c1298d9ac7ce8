"""ESCAP indices, data availability and leave-no-one-behind gaps on hand-worked examples."""

from __future__ import annotations

import math

import polars as pl
import pytest

from vlrkit import tidy
from vlrkit.assess import escap, gaps, lnob


def _escap(series, target=200.0, direction="higher", target_year=2030):
    data = pl.DataFrame({"entity": "c", "indicator": "x", "year": [y for y, _ in series],
                         "value": [float(v) for _, v in series]})
    spec = pl.DataFrame({"indicator": ["x"], "goal": [3], "direction": [direction], "target": [target],
                         "target_year": [target_year]})
    return escap.assess(data, spec)


def test_current_status_index():
    row = _escap([(2015, 100.0), (2020, 110.0)]).indicators.row(0, named=True)
    assert row["current_status"] == pytest.approx(10 * 10 / 100)  # 10·(110 − 100)/|200 − 100|
    low = _escap([(2015, 50.0), (2020, 40.0)], target=25.0, direction="lower").indicators.row(0, named=True)
    assert low["current_status"] == pytest.approx(10 * 10 / 25)


def test_target_reached_scores_ten():
    row = _escap([(2015, 100.0), (2020, 250.0)]).indicators.row(0, named=True)
    assert row["current_status"] == 10.0 and row["gauge"] == "maintain_progress"


def test_time_weighted_prediction():
    # ratios 1.1 (2016) and 1.0 (2017); weights (2030−2015)/(2030−t): 15/14 and 15/13
    row = _escap([(2015, 100.0), (2016, 110.0), (2017, 110.0)], target=400.0).indicators.row(0, named=True)
    w1, w2 = 15 / 14, 15 / 13
    expected = 110.0 * (1.1**w1 * 1.0**w2) ** (13 / (w1 + w2))
    assert row["predicted"] == pytest.approx(expected)
    assert row["anticipated_progress"] == pytest.approx(10 * (expected - 100) / 300)
    assert row["gauge"] == "accelerate"


def test_recent_years_weigh_more():
    early = _escap([(2015, 100.0), (2016, 120.0), (2017, 120.0)]).indicators["predicted"].item()
    late = _escap([(2015, 100.0), (2016, 100.0), (2017, 120.0)]).indicators["predicted"].item()
    assert late > early


def test_regression_reverses_and_one_point_is_insufficient():
    assert _escap([(2015, 100.0), (2020, 90.0)]).indicators["gauge"].item() == "reverse_trend"
    assert _escap([(2020, 100.0)]).indicators["gauge"].item() == "insufficient_data"


def test_goal_average():
    data = pl.DataFrame({"entity": "c", "indicator": ["a", "a", "b", "b"], "year": [2015, 2020] * 2,
                         "value": [100.0, 110.0, 100.0, 130.0]})
    spec = pl.DataFrame({"indicator": ["a", "b"], "goal": [3, 3], "direction": "higher",
                         "target": [200.0, 200.0], "target_year": [2030, 2030]})
    links = pl.DataFrame({"indicator": ["a", "b", "b"], "target": ["3.1", "3.1", "3.2"]})
    res = escap.assess(data, spec, links=links)
    g = res.goals.row(0, named=True)
    assert g["current_status"] == pytest.approx((1.0 + 3.0) / 2) and g["n_indicators"] == 2
    t = {r["sdg_target"]: r["current_status"] for r in res.targets.iter_rows(named=True)}
    assert t == pytest.approx({"3.1": 2.0, "3.2": 3.0})


def _tidy(rows):
    return tidy.conform(pl.DataFrame(rows, schema_overrides={d: pl.String for d in tidy.DIMENSIONS}))


def test_availability_per_goal_and_target():
    obs = _tidy([
        {"entity": "c", "indicator": "a", "year": 2014, "value": 1.0},
        {"entity": "c", "indicator": "a", "year": 2020, "value": 2.0},
        {"entity": "c", "indicator": "a", "year": 2020, "value": 3.0, "SEX": "F"},
        {"entity": "c", "indicator": "b", "year": 2021, "value": 5.0},
        {"entity": "c", "indicator": "c", "year": 2021, "value": None},
    ])
    inds = pl.DataFrame({"indicator": ["a", "b", "c"], "goal": [5, 5, 6], "has_target": [True, False, False]})
    links = pl.DataFrame({"indicator": ["a", "b"], "target": ["5.1", "5.1"]})
    a = gaps.availability(inds, obs, links=links, sdg_targets={5: ["5.1", "5.2"], 6: ["6.1"]})
    flags = {r["indicator"]: r for r in a.indicators.iter_rows(named=True)}
    assert flags["a"]["with_baseline"] and flags["a"]["with_trend"] and flags["a"]["with_disaggregation"]
    assert flags["b"]["with_data"] and not flags["b"]["with_baseline"] and not flags["b"]["with_trend"]
    assert not flags["c"]["with_data"]  # a null value is no data
    g5 = a.goals.filter(pl.col("goal") == 5).row(0, named=True)
    assert (g5["n_indicators"], g5["with_data"], g5["with_target"], g5["uncovered_targets"]) == (2, 2, 1, ["5.2"])
    assert a.uncovered_targets == ("5.2", "6.1")
    t = a.targets.row(0, named=True)
    assert (t["target"], t["n_indicators"], t["with_trend"]) == ("5.1", 2, 1)


def test_lnob_gaps_trend_and_furthest_behind():
    rows = []
    for year, f, m in ((2015, 60.0, 70.0), (2020, 62.0, 75.0)):
        rows += [{"entity": "c", "indicator": "emp", "year": year, "value": f, "SEX": "F"},
                 {"entity": "c", "indicator": "emp", "year": year, "value": m, "SEX": "M"},
                 {"entity": "c", "indicator": "emp", "year": year, "value": (f + m) / 2}]
    rows += [{"entity": "c", "indicator": "pov", "year": y, "value": v, "INCOME_WEALTH_QUANTILE": q}
             for y in (2015, 2020) for q, v in (("Q1", 30.0 if y == 2015 else 20.0), ("Q5", 5.0))]
    rows += [{"entity": "c", "indicator": "pov", "year": 2020, "value": 9.0, "INCOME_WEALTH_QUANTILE": "Q1",
              "SEX": "F"}]
    spec = pl.DataFrame({"indicator": ["emp", "pov"], "goal": [8, 1], "direction": ["higher", "lower"]})
    r = lnob.assess(_tidy(rows), spec)
    g = {(x["indicator"]): x for x in r.gaps.iter_rows(named=True)}
    assert g["emp"]["furthest_behind"] == "F" and g["emp"]["best_off"] == "M"
    assert (g["emp"]["first_difference"], g["emp"]["latest_difference"]) == (10.0, 13.0)
    assert g["emp"]["trend"] == "widening" and g["emp"]["latest_ratio"] == pytest.approx(62 / 75)
    assert g["emp"]["values"] == [{"group": "M", "value": 75.0}, {"group": "F", "value": 62.0}]
    assert g["pov"]["furthest_behind"] == "Q1" and g["pov"]["trend"] == "narrowing"
    assert g["pov"]["latest_difference"] == 15.0  # lower is better: Q1 20 % vs Q5 5 %
    assert r.skipped == 1  # the sex × quintile row is counted, not compared
    goals = {x["goal"]: x for x in r.goals.iter_rows(named=True)}
    assert goals[8]["widening"] == 1 and goals[1]["narrowing"] == 1
    assert goals[8]["furthest_behind"] == ["SEX:F"]


def test_lnob_total_codes_are_not_groups():
    rows = [{"entity": "c", "indicator": "x", "year": 2020, "value": v, "SEX": s}
            for s, v in (("_T", 50.0), ("F", 40.0), ("M", 60.0))]
    r = lnob.assess(_tidy(rows), pl.DataFrame({"indicator": ["x"], "goal": [5], "direction": ["higher"]}))
    y = r.yearly.row(0, named=True)
    assert y["n_groups"] == 2 and y["worst_group"] == "F" and math.isclose(y["difference"], 20.0)
