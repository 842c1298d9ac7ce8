"""SDSN rules on hand-worked examples (METHODS.md §1)."""

from __future__ import annotations

import polars as pl
import pytest

from vlrkit.assess import sdsn


def spec(rows):
    return pl.DataFrame(rows, schema={"indicator": pl.String, "goal": pl.Int32, "direction": pl.String,
                                      "best": pl.Float64, "worst": pl.Float64, "green": pl.Float64,
                                      "red": pl.Float64}, orient="row")


def panel(rows):
    return pl.DataFrame(rows, schema={"entity": pl.String, "indicator": pl.String, "year": pl.Int32,
                                      "value": pl.Float64}, orient="row")


def one(res, entity, indicator):
    return res.indicators.filter((pl.col("entity") == entity) & (pl.col("indicator") == indicator)).row(0, named=True)


def goal(res, entity, g):
    return res.goals.filter((pl.col("entity") == entity) & (pl.col("goal") == g)).row(0, named=True)


# best 100, worst 0, green 80, red 50 → 0..3 breakpoints at scores 0, 50, 80, 100
HIGH = ("h", 1, "higher", 100.0, 0.0, 80.0, 50.0)
# lower is better: best 0, worst 40, green 10 (score 75), red 20 (score 50)
LOW = ("l", 1, "lower", 0.0, 40.0, 10.0, 20.0)


@pytest.mark.parametrize(
    ("value", "score", "colour"),
    [(90, 90.0, "green"), (80, 80.0, "green"), (79.9, 79.9, "yellow"), (65, 65.0, "yellow"),
     (64.9, 64.9, "orange"), (50, 50.0, "orange"), (49, 49.0, "red"), (-5, 0.0, "red"), (120, 100.0, "green")],
)
def test_score_and_colour_higher_is_better(value, score, colour):
    res = sdsn.assess(panel([("c", "h", 2020, value)]), spec([HIGH]))
    row = one(res, "c", "h")
    assert row["score"] == pytest.approx(score)
    assert row["colour"] == colour  # a value on a threshold takes the better colour


def test_lower_is_better_uses_the_same_formula():
    res = sdsn.assess(panel([("c", "l", 2020, 10.0), ("d", "l", 2020, 30.0), ("e", "l", 2020, 50.0)]), spec([LOW]))
    assert one(res, "c", "l")["score"] == pytest.approx(75.0) and one(res, "c", "l")["colour"] == "green"
    assert one(res, "d", "l")["score"] == pytest.approx(25.0) and one(res, "d", "l")["colour"] == "red"
    assert one(res, "e", "l")["score"] == 0.0
    assert one(res, "c", "l")["scale03"] == pytest.approx(2.0)


def test_scale03_is_piecewise_linear():
    rows = [("c", "h", 2020, v) for v in (25.0, 65.0, 90.0)]
    res = sdsn.assess(panel([(f"c{i}", *r[1:]) for i, r in enumerate(rows)]), spec([HIGH]))
    assert [one(res, f"c{i}", "h")["scale03"] for i in range(3)] == pytest.approx([0.5, 1.5, 2.5])


def _goal_of(values):
    inds = [(f"i{k}", 3, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(len(values))]
    data = [("c", f"i{k}", 2020, v) for k, v in enumerate(values) if v is not None]
    return goal(sdsn.assess(panel(data), spec(inds)), "c", 3)


def test_goal_colour_averages_the_two_worst():
    # two worst: 30 → 0.6 and 90 → 2.5; mean 1.55 → yellow (the best indicator 95 is ignored)
    g = _goal_of([95, 90, 30])
    assert g["worst1"] == pytest.approx(0.6) and g["worst2"] == pytest.approx(2.5)
    assert g["colour"] == "yellow"
    assert _goal_of([95, 60, 30])["colour"] == "orange"  # 0.6 and 1.333 → 0.967 < 1, not both red


def test_green_only_if_both_worst_are_green():
    # 78 → 1.933 (yellow), 100 → 3: mean 2.47 ≥ 2 but one worst is not green → yellow
    assert _goal_of([78, 100, 100])["colour"] == "yellow"
    assert _goal_of([80, 100, 100])["colour"] == "green"


def test_red_only_if_both_worst_are_red():
    # 10 → 0.2 (red) and 55 → 1.1667 (orange): mean 0.68 < 1 but not both red → orange
    assert _goal_of([10, 55, 100])["colour"] == "orange"
    assert _goal_of([10, 45, 100])["colour"] == "red"


def test_one_indicator_alone_sets_the_colour():
    assert _goal_of([70])["colour"] == "yellow"
    assert _goal_of([60])["colour"] == "orange"


def test_grey_below_half_of_the_goal_indicators():
    assert _goal_of([90, None, None])["colour"] == "grey"  # 1 of 3 < 50 %
    assert _goal_of([90, 95, None, None])["colour"] == "green"  # 2 of 4 = 50 %


def test_goal_score_is_the_mean_and_missing_stays_missing_for_a_city():
    g = _goal_of([90, 60, None])
    assert g["score"] == pytest.approx(75.0) and not g["imputed"]
    inds = [("a", 1, "higher", 100.0, 0.0, 80.0, 50.0), ("b", 2, "higher", 100.0, 0.0, 80.0, 50.0)]
    res = sdsn.assess(panel([("c", "a", 2020, 40.0)]), spec(inds))
    assert goal(res, "c", 2)["score"] is None
    idx = res.index.row(0, named=True)
    assert idx["score"] == pytest.approx(40.0) and idx["coverage"] == 0.5 and not idx["ranked"]


def test_peer_derived_bounds():
    values = [float(v) for v in range(1, 101)]  # 100 entities, values 1..100
    data = panel([(f"e{i}", "x", 2020, v) for i, v in enumerate(values)])
    res = sdsn.assess(data, spec([("x", 1, "higher", None, None, None, None)]))
    b = res.bounds.row(0, named=True)
    assert b["worst"] == pytest.approx(pl.Series(values).quantile(0.025, "linear"))
    assert b["best"] == pytest.approx((100 + 99 + 98 + 97 + 96) / 5)
    assert b["green"] == pytest.approx(75.25) and b["red"] == pytest.approx(25.75)
    assert {b["best_source"], b["worst_source"], b["green_source"]} == {"peers"}
    low = sdsn.assess(data, spec([("x", 1, "lower", None, None, None, None)])).bounds.row(0, named=True)
    assert low["best"] == pytest.approx(3.0) and low["worst"] == pytest.approx(pl.Series(values).quantile(0.975, "linear"))


def test_an_explicit_target_is_the_preferred_optimum():
    data = panel([(f"e{i}", "x", 2020, float(v)) for i, v in enumerate(range(1, 101))])
    s = spec([("x", 1, "higher", None, None, None, None)]).with_columns(pl.lit(90.0).alias("target"))
    b = sdsn.assess(data, s).bounds.row(0, named=True)
    assert b["best"] == 90.0 and b["best_source"] == "target" and b["worst_source"] == "peers"


def test_too_few_peers_leaves_bounds_empty():
    res = sdsn.assess(panel([("c", "x", 2020, 5.0)]), spec([("x", 1, "higher", None, None, None, None)]))
    assert res.bounds["best_source"].item() == "none"
    row = one(res, "c", "x")
    assert row["score"] is None and row["colour"] == "grey"


def test_ranking_needs_80_percent_of_indicators():
    inds = [(f"i{k}", k % 17 + 1, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(10)]
    full = [("a", f"i{k}", 2020, 60.0) for k in range(10)]
    eight = [("b", f"i{k}", 2020, 90.0) for k in range(8)]
    seven = [("c", f"i{k}", 2020, 95.0) for k in range(7)]
    idx = sdsn.assess(panel(full + eight + seven), spec(inds)).index
    ranks = dict(zip(idx["entity"], idx["rank"], strict=True))
    assert ranks == {"a": 2, "b": 1, "c": None}


def _trend(v0, v1, y0=2015, y1=2020, green=80.0):
    data = panel([("c", "h", y0, v0), ("c", "h", y1, v1)])
    return one(sdsn.assess(data, spec([("h", 1, "higher", 100.0, 0.0, green, 50.0)]), trend_start=2015), "c", "h")


def test_trend_arrows_from_the_required_pace():
    # from 50 in 2015 the green threshold 80 needs 30/15 = 2 points a year
    assert _trend(50, 61)["trend"] == "on_track"  # 2.2 ≥ 2
    assert _trend(50, 55)["trend"] == "moderately_improving"  # 1.0 ≥ 50 % of 2
    assert _trend(50, 54.9)["trend"] == "stagnating"  # 0.98 < 1
    assert _trend(50, 49)["trend"] == "decreasing"
    assert _trend(85, 82)["trend"] == "on_track"  # maintaining achievement (stays ≥ green)
    r = _trend(50, 61)
    assert r["trend_observed"] == pytest.approx(2.2) and r["trend_required"] == pytest.approx(2.0)


def test_trend_needs_two_points_in_the_window():
    data = panel([("c", "h", 2012, 40.0), ("c", "h", 2020, 60.0)])
    row = one(sdsn.assess(data, spec([HIGH]), trend_start=2015), "c", "h")
    assert row["trend"] == "insufficient_data" and row["value"] == 60.0


def test_goal_trend_averages_arrows_and_needs_75_percent():
    inds = [(f"i{k}", 1, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(4)]
    # arrows: on_track (3.5), on_track (3.5), decreasing (0.5), stagnating (1.5) → mean 2.25
    pairs = [(50, 61), (50, 70), (50, 40), (50, 50)]
    data = panel([r for k, (a, b) in enumerate(pairs) for r in (("c", f"i{k}", 2015, a), ("c", f"i{k}", 2020, b))])
    g = goal(sdsn.assess(data, spec(inds)), "c", 1)
    assert g["trend_points"] == pytest.approx(2.25) and g["trend"] == "moderately_improving"
    three = data.filter(~((pl.col("indicator") == "i3") & (pl.col("year") == 2015)))
    assert goal(sdsn.assess(three, spec(inds)), "c", 1)["trend"] == "moderately_improving"  # 3/4 = 75 %
    two = three.filter(~((pl.col("indicator") == "i2") & (pl.col("year") == 2015)))
    assert goal(sdsn.assess(two, spec(inds)), "c", 1)["trend"] == "insufficient_data"


def test_year_caps_the_data_used():
    data = panel([("c", "h", 2018, 40.0), ("c", "h", 2022, 90.0)])
    assert one(sdsn.assess(data, spec([HIGH]), year=2020), "c", "h")["value"] == 40.0


def test_dashboard_only_indicators_colour_but_do_not_score():
    s = spec([("a", 1, "higher", 100.0, 0.0, 80.0, 50.0), ("b", 1, "higher", 100.0, 0.0, 80.0, 50.0)])
    s = s.with_columns(pl.Series("index", [True, False]))
    g = goal(sdsn.assess(panel([("c", "a", 2020, 90.0), ("c", "b", 2020, 10.0)]), s), "c", 1)
    assert g["score"] == pytest.approx(90.0) and g["colour"] == "orange"


def test_explain_names_inputs_bounds_and_rule():
    res = sdsn.assess(panel([("c", "h", 2015, 50.0), ("c", "h", 2020, 61.0)]), spec([HIGH]))
    e = res.explain("c", "h")
    assert e.method == "sdsn" and e.inputs["value"] == 61.0 and e.bounds["green"] == 80.0
    assert e.bounds["best_source"] == "metadata" and "on_track" in e.rule and e.outcome == "orange"
    assert "two worst" in res.explain_goal("c", 1).rule
