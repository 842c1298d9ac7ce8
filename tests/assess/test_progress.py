"""Progress towards a target, hand-worked from the published cut-offs (METHODS.md §2)."""

from __future__ import annotations

import math

import polars as pl
import pytest

from vlrkit.assess import progress
from vlrkit.assess.rules import EPSILON

REQ = 2 ** (1 / 15) - 1  # base 100 (2015) → target 200 (2030): 4.729 % a year


def run(series, *, method="unsd", target=200.0, target_year=2030, direction="higher", entity="c"):
    data = pl.DataFrame({"entity": entity, "indicator": "x", "year": [y for y, _ in series],
                         "value": [float(v) for _, v in series]})
    spec = pl.DataFrame({"indicator": ["x"], "goal": [1], "direction": [direction],
                         "target": [target], "target_year": [target_year]},
                        schema_overrides={"target": pl.Float64})
    return progress.assess(data, spec, method=method)


def status(series, **kw):
    rows = run(series, **kw).table
    return rows["status"].to_list()[0] if rows.height == 1 else dict(zip(rows["window"], rows["status"], strict=True))


def at_ratio(k):
    """A 2015 → 2020 series whose CAGR is k times the required one."""
    return [(2015, 100.0), (2018, 105.0), (2020, 100.0 * (1 + k * REQ) ** 5)]


@pytest.mark.parametrize(
    ("k", "unsd", "unsd5", "statcan", "eurostat"),
    [
        (1.00, "on_track", "target_met_or_almost", "on_track", "significant_progress"),
        (0.96, "on_track", "target_met_or_almost", "on_track", "significant_progress"),
        (0.70, "moderate_progress", "moderate_progress", "fair_progress", "moderate_progress"),
        (0.55, "moderate_progress", "moderate_progress", "limited_progress", "insufficient_progress"),
        (0.30, "limited_progress", "marginal_progress", "limited_progress", "insufficient_progress"),
        (0.05, "limited_progress", "stagnation", "limited_progress", "insufficient_progress"),
        (-0.05, "limited_progress", "stagnation", "moving_away", "moving_away"),
        (-0.30, "deterioration", "deterioration", "moving_away", "moving_away"),
    ],
)
def test_ratio_bands_with_a_target(k, unsd, unsd5, statcan, eurostat):
    series = at_ratio(k)
    row = run(series).table.row(0, named=True)
    assert row["ratio"] == pytest.approx(k, abs=1e-9)
    assert row["cagr_required"] == pytest.approx(REQ)
    assert (row["y0"], row["y1"], row["n"]) == (2015, 2020, 3)
    assert status(series, method="unsd") == unsd
    assert status(series, method="unsd5") == unsd5
    assert status(series, method="statcan") == statcan
    assert status(series, method="eurostat") == {"long": eurostat, "short": eurostat}


def test_lower_is_better_with_a_target():
    req = 0.5 ** (1 / 15) - 1  # halve 50 → 25 by 2030
    series = [(2015, 50.0), (2020, 50.0 * (1 + 0.7 * req) ** 5)]
    row = run(series, target=25.0, direction="lower").table.row(0, named=True)
    assert row["ratio"] == pytest.approx(0.7) and row["status"] == "moderate_progress"
    assert status([(2015, 50.0), (2020, 55.0)], target=25.0, direction="lower") == "deterioration"


@pytest.mark.parametrize(
    ("latest", "share", "expected"),
    [(110.0, 33.1 / 50, "acceleration_needed"), (125.0, (125 * 1.25**2 - 100) / 50, "on_track"),
     (101.0, (101 * 1.01**2 - 100) / 50, "stagnation_or_regression")],
)
def test_projection_form(latest, share, expected):
    # x̂_2030 = x_2020 · (1 + CAGR)^10 with CAGR over 2015–2020; P = (x̂ − x0)/(target − x0)
    row = run([(2015, 100.0), (2020, latest)], method="projection", target=150.0).table.row(0, named=True)
    assert row["projection_share"] == pytest.approx(share)
    assert row["status"] == expected


@pytest.mark.parametrize(
    ("growth", "eurostat", "statcan"),
    [(0.02, "significant_progress", "substantial_progress"), (0.012, "significant_progress", "moderate_progress"),
     (0.008, "moderate_progress", "moderate_progress"), (0.002, "moderate_progress", "limited_progress"),
     (-0.005, "moderate_movement_away", "moving_away"), (-0.02, "significant_movement_away", "moving_away")],
)
def test_growth_bands_without_a_target(growth, eurostat, statcan):
    series = [(2015, 100.0), (2020, 100.0 * (1 + growth) ** 5)]
    row = run(series, method="statcan", target=None).table.row(0, named=True)
    assert row["growth"] == pytest.approx(growth)
    assert row["status"] == statcan
    assert status(series, method="eurostat", target=None)["long"] == eurostat
    assert status(series, method="unsd", target=None) == "no_target"
    # lower is better: the same change is the opposite movement
    flipped = run(series, method="statcan", target=None, direction="lower").table.row(0, named=True)
    assert flipped["growth"] == pytest.approx(-growth)


def test_target_met_is_achieved_whatever_the_trend():
    assert status([(2015, 300.0), (2020, 250.0)], target=200.0) == "achieved"
    assert status([(2015, 10.0), (2020, 8.0)], target=9.0, direction="lower") == "achieved"


def test_target_met_at_base_but_lost_is_moving_away():
    assert status([(2015, 210.0), (2020, 190.0)], target=200.0) == "deterioration"
    assert status([(2015, 210.0), (2020, 190.0)], target=200.0, method="statcan") == "moving_away"


def test_within_one_point_of_a_100_or_0_percent_target():
    assert status([(2015, 90.0), (2020, 99.2)], target=100.0) == "achieved"
    assert status([(2015, 90.0), (2020, 98.9)], target=100.0) != "achieved"
    assert status([(2015, 9.0), (2020, 0.8)], target=0.0, direction="lower") == "achieved"


def test_zero_base_and_target_use_epsilon():
    row = run([(2015, 0.0), (2020, 5.0)], target=10.0).table.row(0, named=True)
    assert row["cagr"] == pytest.approx((5 / EPSILON) ** (1 / 5) - 1)
    assert row["cagr_required"] == pytest.approx((10 / EPSILON) ** (1 / 15) - 1)
    lower = run([(2015, 8.0), (2020, 4.0)], target=0.0, direction="lower").table.row(0, named=True)
    assert lower["cagr_required"] == pytest.approx((EPSILON / 8) ** (1 / 15) - 1)
    assert lower["ratio"] == pytest.approx((0.5 ** 0.2 - 1) / ((EPSILON / 8) ** (1 / 15) - 1))


def test_one_point_is_insufficient_data():
    row = run([(2020, 150.0)]).table.row(0, named=True)
    assert row["status"] == "insufficient_data" and "fewer than two points" in row["rule"]


def test_negative_values_use_linear_change():
    row = run([(2015, -10.0), (2020, -5.0)], target=0.0).table.row(0, named=True)
    assert row["linear"] and row["cagr"] == pytest.approx(1.0) and row["cagr_required"] == pytest.approx(10 / 15)
    assert row["status"] == "on_track" and "linear" in row["rule"]


def test_base_year_rules():
    late = run([(2016, 100.0), (2019, 110.0), (2021, 120.0)]).table.row(0, named=True)
    assert (late["y0"], late["y1"]) == (2016, 2021)
    old = run([(2010, 100.0), (2014, 110.0), (2018, 120.0)]).table.row(0, named=True)
    assert (old["y0"], old["y1"], old["n"]) == (2014, 2018, 2)
    assert math.isclose(old["cagr"], (120 / 110) ** (1 / 4) - 1)


def test_eurostat_windows_long_and_short():
    series = [(y, 100.0 + y - 2005) for y in range(2005, 2025)]
    t = run(series, method="eurostat", target=None).table
    w = {r["window"]: r for r in t.iter_rows(named=True)}
    assert (w["long"]["y0"], w["long"]["y1"]) == (2009, 2024)
    assert (w["short"]["y0"], w["short"]["y1"]) == (2019, 2024)


def test_explain_carries_inputs_target_and_rule():
    res = run(at_ratio(0.7))
    e = res.explain("c", "x")
    assert e.method == "unsd" and e.outcome == "moderate_progress"
    assert e.inputs["y0"] == 2015 and e.bounds["target"] == 200.0 and "ratio" in e.rule


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown progress method"):
        run(at_ratio(1), method="magic")


@pytest.mark.parametrize("method", ["unsd", "statcan", "projection"])
def test_rule_words_come_in_the_tables_pieces_and_match_a_plain_chain(method):
    """rules() formats each branch apart and puts the words back: same words as one when/then
    chain over every row, in the chunks of the table (so adding them copies nothing)."""
    series = [[(2015, 100.0), (2020, 100.0 + 7 * i)] for i in range(-3, 4)]
    series += [[(2020, 5.0)], [(2015, -10.0), (2020, -5.0)], [(2015, 250.0), (2020, 150.0)]]
    parts = [run(s, method=method, target=t, entity=f"c{i}").table.drop("rule")
             for i, s in enumerate(series) for t in (200.0, None)]
    # every column in one chunk per part, as the streaming engine gives
    table = pl.DataFrame([pl.concat([p[c] for p in parts], rechunk=False) for c in parts[0].columns])
    assert {tuple(s.chunk_lengths()) for s in table.iter_columns()} == {(1,) * len(parts)}
    got = progress.rules(table, method)
    assert got.chunk_lengths() == [1] * len(parts)
    # columns cut differently are aligned by polars' next expression anyway: the words in one piece
    assert progress.rules(table.with_columns(table["x0"].rechunk()), method).n_chunks() == 1
    chain = pl.when(pl.lit(False)).then(pl.lit(None, pl.String))
    for cond, text in progress._rule_branches(method):
        chain = chain.when(cond).then(text)
    linear = pl.col("linear") & ~pl.col("status").is_in(["insufficient_data", "achieved"])
    want = table.select(pl.when(linear).then(pl.concat_str([chain, pl.lit(" (negative values: linear annual change)")]))
                        .otherwise(chain).alias("rule"))["rule"]
    assert got.to_list() == want.to_list()
    assert len(set(got.to_list())) > 5
