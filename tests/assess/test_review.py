"""Assessing a whole review: local and national targets labelled, every goal present."""

from __future__ import annotations

import json

import polars as pl
import pytest

from vlrkit.assess import METHODS, assess_review
from vlrkit.demo import build_demo


@pytest.fixture(scope="module")
def demo():
    return build_demo()


def test_small_review_by_hand(small_review):
    a = assess_review(small_review, "sdsn")
    t1 = a.indicator("T-1")
    # thresholds of T-1: optimum 25, lower bound 5, green 18, red 10; latest 15.5 in 2024
    assert (t1.latest_year, t1.latest_value) == (2024, 15.5)
    assert (t1.baseline_year, t1.baseline_value) == (2015, 10.0)
    assert t1.score == pytest.approx(100 * (15.5 - 5) / 20)
    assert t1.colour == "yellow"  # 0..3 = 1 + (52.5 − 25)/(65 − 25) = 1.6875
    assert t1.disaggregated and t1.n_points == 4
    local, national = t1.target("local"), t1.target("national")
    assert (local.kind, local.target, national.kind, national.target) == ("local", 20.0, "national", 18.0)
    req = (20 / 10) ** (1 / 15) - 1
    assert local.cagr == pytest.approx((15.5 / 10) ** (1 / 9) - 1)
    assert local.ratio == pytest.approx(local.cagr / req)
    assert local.status == "on_track" and national.status == "on_track"
    t2 = a.indicator("T-2")  # one point in 2020: no trend, no target
    assert t2.trend == "insufficient_data" and {p.kind for p in t2.progress} == {"trend"}
    assert {p.status for p in t2.progress} == {"insufficient_data"} and t2.status == "insufficient_data"
    g11 = a.goal(11)
    assert g11.indicators == ("T-1",) and g11.colour == "yellow" and g11.score == pytest.approx(t1.score)
    # 11.2.1's target (convenient access for all, 100 %) reaches T-1 through its adapted link:
    # the units agree (%); the trend (Eurostat's growth bands) is counted beside the targets
    assert g11.status_counts == {"local:on_track": 1, "national:on_track": 1, "sdg:limited_progress": 1,
                                 "trend:significant_progress": 1}
    assert t1.target("sdg").target == 100.0 and t1.target("sdg").source == "SDG target 11.2"
    assert t1.status == "on_track" and t1.status_kind == "local"  # the review's own target first
    assert a.goal(1).colour == "grey" and a.goal(1).score is None  # a city's missing goal stays missing
    assert len(a.goals) == 17


def test_the_series_beside_the_headline_is_not_mixed_in(small_review):
    a = assess_review(small_review)
    assert a.indicator("T-2").series == 'a,b "quoted"'  # the only series is used, and named


@pytest.mark.parametrize("method", METHODS)
def test_every_method_runs_on_the_demo_and_serialises(demo, method):
    a = assess_review(demo, method)
    data = json.loads(json.dumps(a.to_dict(), default=str))
    assert data["method"] == method and len(data["goals"]) == 17
    assert len(data["indicators"]) == len(demo.indicators)
    table = a.indicator_table()
    assert table.height == len(demo.indicators) and {"local_status", "national_status"} <= set(table.columns)
    statuses = {p.status for i in a.indicators for p in i.progress}
    assert len(statuses) > 1  # the demo has series going every way


def test_demo_goals_are_coloured_from_the_city_thresholds(demo):
    a = assess_review(demo)
    coloured = [g for g in a.goals if g.colour != "grey"]
    assert len(coloured) == 17 and a.coverage == 1.0
    sd = a.sdsn.bounds
    assert set(sd["best_source"]) <= {"metadata", "none"}  # one city: no peers
    # every goal's score is the mean of its indicators' scores
    for g in a.goals:
        scores = [i.score for i in a.indicators if i.goal == g.goal and i.score is not None]
        assert g.score == pytest.approx(sum(scores) / len(scores))


def test_availability_and_lnob_are_attached(demo):
    a = assess_review(demo)
    assert a.availability.goals.height == 17
    assert len(a.availability.uncovered_targets) > 0
    assert a.lnob.gaps.height > 0
    assert set(a.lnob.gaps["trend"]) <= {"widening", "narrowing", "stable", "insufficient_data"}


def test_year_caps_the_assessment(demo):
    early = assess_review(demo, year=2019)
    assert max(i.latest_year or 0 for i in early.indicators) <= 2019


def test_eurostat_labels_both_windows(demo):
    a = assess_review(demo, "eurostat")
    windows = {p.window for i in a.indicators for p in i.progress}
    assert windows == {"long", "short"}
    some = next(i for i in a.indicators if i.progress)
    assert some.target(some.progress[0].kind).window == "long"


def test_sub_annual_values_are_averaged_per_year(small_review):
    obs = small_review.observations
    extra = obs.filter((pl.col("indicator") == "T-1") & (pl.col("year") == 2024) & pl.col("SEX").is_null())
    doubled = pl.concat([obs, extra.with_columns(pl.lit(17.5).alias("value"), pl.lit("2024-Q4").alias("period"))])
    from dataclasses import replace

    a = assess_review(replace(small_review, observations=doubled))
    assert a.indicator("T-1").latest_value == pytest.approx((15.5 + 17.5) / 2)


def test_unknown_method(small_review):
    with pytest.raises(ValueError, match="unknown method"):
        assess_review(small_review, "nope")


def test_the_latest_years_target_is_used_whatever_the_order(small_review):
    import dataclasses

    from vlrkit.assess import specs
    from vlrkit.review import Target

    later = Target("T-1", "local", 30.0, 2035)
    for targets in ([later, *small_review.targets], [*small_review.targets, later]):
        review = dataclasses.replace(small_review, targets=tuple(targets))
        assert specs.build(review).headline("T-1").targets["local"][:2] == (30.0, 2035)
        local = assess_review(review, "sdsn").indicator("T-1").target("local")
        assert (local.target, local.target_year) == (30.0, 2035)
