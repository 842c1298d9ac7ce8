"""Leave no one behind across combined breakdowns (sex × age, sex × district): gaps within each
dimension holding the others fixed, the furthest-behind intersection group, labels, summary."""

from __future__ import annotations

import dataclasses
import random

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit import tidy
from vlrkit.assess import assess_review, lnob

SPEC = pl.DataFrame({"indicator": ["emp"], "goal": [8], "direction": ["higher"]})


def _tidy(rows: list[dict]) -> pl.DataFrame:
    return tidy.conform(pl.DataFrame(rows, schema_overrides={d: pl.String for d in tidy.DIMENSIONS}))


def sex_by_age() -> pl.DataFrame:
    values = {  # (sex, age): 2015, 2020 — employment rate, higher is better
        ("F", "Y15T24"): (40.0, 42.0), ("M", "Y15T24"): (50.0, 56.0),
        ("F", "Y25T64"): (70.0, 71.0), ("M", "Y25T64"): (72.0, 72.0),
    }
    rows = [{"entity": "c", "indicator": "emp", "year": y, "value": v[k], "SEX": s, "AGE": a}
            for (s, a), v in values.items() for k, y in enumerate((2015, 2020))]
    rows += [{"entity": "c", "indicator": "emp", "year": 2020, "value": 60.0}]  # the total: never a group
    return _tidy(rows)


def test_gaps_within_each_dimension_holding_the_others_fixed():
    r = lnob.assess(sex_by_age(), SPEC)
    w = {(x["dimension"], x["context"]): x for x in r.within.iter_rows(named=True)}
    assert set(w) == {("SEX", "AGE:Y15T24"), ("SEX", "AGE:Y25T64"), ("AGE", "SEX:F"), ("AGE", "SEX:M")}
    young = w[("SEX", "AGE:Y15T24")]
    assert (young["furthest_behind"], young["best_off"]) == ("F", "M")
    assert (young["first_difference"], young["latest_difference"], young["trend"]) == (10.0, 14.0, "widening")
    assert young["latest_ratio"] == pytest.approx(42 / 56)
    adults = w[("SEX", "AGE:Y25T64")]
    assert (adults["first_difference"], adults["latest_difference"], adults["trend"]) == (2.0, 1.0, "narrowing")
    women = w[("AGE", "SEX:F")]
    assert (women["furthest_behind"], women["latest_difference"]) == ("Y15T24", 29.0)
    assert (young["context_en"], young["context_zh"]) == ("15–24", "15–24岁")
    assert (young["furthest_behind_en"], young["furthest_behind_zh"]) == ("Female", "女性")
    assert r.gaps.height == 0  # no row is broken down by one dimension only


def test_the_furthest_behind_intersection_group():
    r = lnob.assess(sex_by_age(), SPEC)
    (x,) = r.intersections.iter_rows(named=True)
    assert x["dimension"] == "SEX×AGE"
    assert (x["furthest_behind"], x["best_off"]) == ("SEX:F×AGE:Y15T24", "SEX:M×AGE:Y25T64")
    assert (x["first_difference"], x["latest_difference"], x["trend"]) == (32.0, 30.0, "narrowing")
    assert (x["furthest_behind_en"], x["furthest_behind_zh"]) == ("Female × 15–24", "女性 × 15–24岁")
    assert [v["group"] for v in x["values"]] == ["SEX:M×AGE:Y25T64", "SEX:F×AGE:Y25T64",
                                                 "SEX:M×AGE:Y15T24", "SEX:F×AGE:Y15T24"]
    assert r.skipped == 0


def test_per_goal_summary_counts_the_combined_breakdowns():
    r = lnob.assess(sex_by_age(), SPEC)
    (g,) = r.goals.iter_rows(named=True)
    assert (g["goal"], g["within_gaps"], g["within_widening"], g["within_narrowing"]) == (8, 4, 1, 3)
    assert g["intersections"] == 1 and g["furthest_behind_intersections"] == ["SEX:F×AGE:Y15T24"]
    assert g["n_indicators"] == 0 and g["furthest_behind"] is None  # nothing by one dimension alone


def test_a_lone_cross_classified_cell_is_counted_as_skipped():
    rows = [{"entity": "c", "indicator": "emp", "year": 2020, "value": 9.0, "SEX": "F", "AGE": "Y15T24"},
            {"entity": "c", "indicator": "emp", "year": 2021, "value": 9.0, "SEX": "M", "AGE": "Y15T24"}]
    r = lnob.assess(_tidy(rows), SPEC)
    assert r.skipped == 2 and r.intersections.height == 0 and r.within.height == 0


def test_review_labels_come_from_the_review(small_review):
    obs = small_review.observations
    extra = pl.DataFrame([
        {"entity": "tiny", "indicator": "T-1", "year": y, "value": v, "SEX": s, "GEO": g}
        for y in (2018, 2024) for s, g, v in (("F", "D1", 8.0), ("M", "D1", 11.0), ("F", "D2", 12.0), ("M", "D2", 13.0))
    ], schema_overrides={"year": pl.Int32})
    review = dataclasses.replace(small_review, observations=pl.concat([obs, tidy.conform(extra)], how="diagonal_relaxed"))
    a = assess_review(review)
    w = a.lnob.within.filter((pl.col("dimension") == "SEX") & (pl.col("context") == "GEO:D1")).row(0, named=True)
    assert (w["context_en"], w["context_zh"]) == ("Old Town", "老城区")  # the review's CodeLabel
    x = a.lnob.intersections.row(0, named=True)
    assert x["furthest_behind"] == "SEX:F×GEO:D1" and x["furthest_behind_zh"] == "女性 × 老城区"
    assert a.to_dict()["lnob_intersections"][0]["furthest_behind_en"] == "Female × Old Town"


# --- properties --------------------------------------------------------------------------

AGES = ("Y0T14", "Y15T24", "Y25T64", "Y65T")
cells = st.lists(st.floats(0.5, 1000.0, allow_nan=False), min_size=2 * len(AGES), max_size=2 * len(AGES))


def frame(values: list[float], order: list[int]) -> pl.DataFrame:
    keys = [(s, a) for s in ("F", "M") for a in AGES]
    rows = [{"entity": "c", "indicator": "x", "year": 2020, "value": values[i], "SEX": keys[i][0], "AGE": keys[i][1]}
            for i in order]
    return _tidy(rows)


@settings(max_examples=40, deadline=None)
@given(values=cells, direction=st.sampled_from(["higher", "lower"]), seed=st.integers(0, 10_000))
def test_gap_signs_follow_the_direction_and_row_order_does_not_matter(values, direction, seed):
    spec = pl.DataFrame({"indicator": ["x"], "goal": [1], "direction": [direction]})
    order = list(range(len(values)))
    a = lnob.assess(frame(values, order), spec)
    random.Random(seed).shuffle(order)
    b = lnob.assess(frame(values, order), spec)
    for res in (a, b):
        for f in (res.within, res.intersections):
            assert (f["latest_difference"] >= 0).all()  # best − worst in the desired direction
            ratio = f["latest_ratio"]
            assert ((ratio <= 1.0) if direction == "higher" else (ratio >= 1.0)).all()  # worst / best
    key = ["dimension", "context"]
    for fa, fb in ((a.within, b.within), (a.intersections.with_columns(pl.lit("").alias("context")),
                                          b.intersections.with_columns(pl.lit("").alias("context")))):
        left = fa.sort(key).select(*key, "furthest_behind", "best_off")
        right = fb.sort(key).select(*key, "furthest_behind", "best_off")
        assert left.equals(right)
    worst = min(range(len(values)), key=lambda i: (values[i] if direction == "higher" else -values[i],
                                                   f"SEX:{'FM'[i // len(AGES)]}×AGE:{AGES[i % len(AGES)]}"))
    expected = f"SEX:{'FM'[worst // len(AGES)]}×AGE:{AGES[worst % len(AGES)]}"
    if max(values) == min(values):
        expected = None  # every group equal: nobody is behind
    assert a.intersections["furthest_behind"].item() == expected


def test_assess_table_writes_the_combined_breakdowns(tmp_path):
    from vlrkit.assess import assess_table

    obs = tmp_path / "obs.csv"
    obs.write_text("entity,indicator,year,value,SEX,AGE\n" + "".join(
        f"c{e},emp,{y},{50 + e + (5 if s == 'M' else 0) + (10 if a == 'Y25T64' else 0)},{s},{a}\n"
        for e in range(6) for y in (2015, 2020) for s in ("F", "M") for a in ("Y15T24", "Y25T64")
    ), encoding="utf-8")
    spec = tmp_path / "spec.csv"
    spec.write_text("indicator,goal,direction\nemp,8,higher\n", encoding="utf-8")
    written = assess_table(obs, spec, tmp_path / "out")
    assert written["lnob_intersections.csv"] == 6 and written["lnob_within.csv"] == 6 * 4
    x = pl.read_csv(tmp_path / "out" / "lnob_intersections.csv")
    assert set(x["furthest_behind"]) == {"SEX:F×AGE:Y15T24"} and set(x["latest_difference"]) == {15.0}


def test_equal_groups_leave_nobody_behind():
    """A zero gap names no group (the tie-break by code must not accuse anyone)."""
    spec = pl.DataFrame({"indicator": ["x"], "goal": [1], "direction": ["lower"]})
    res = lnob.assess(frame([5.0] * (2 * len(AGES)), list(range(2 * len(AGES)))), spec)
    assert res.intersections["latest_difference"].item() == 0
    assert res.intersections["furthest_behind"].item() is None and res.intersections["best_off"].item() is None
    assert (res.within["furthest_behind"].is_null()).all()
    assert res.goals["furthest_behind_intersections"].to_list() in ([None], [[]])
