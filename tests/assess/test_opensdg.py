"""Open SDG's progress measure: the branches its documentation names, hand-worked, and how an
indicator's ``progress_calculation_options`` pick its series.  (Every branch, with the
reference code's deviations, is printed by ``bench/progress_opensdg.py``.)"""

from __future__ import annotations

import json
from dataclasses import replace

import polars as pl
import pytest

from vlrkit.assess import opensdg, progress
from vlrkit.assess.opensdg_options import OptionsError, measure, parse, series_panel

OBS = {"entity": pl.String, "indicator": pl.String, "year": pl.Int32, "value": pl.Float64}
SPEC = {"indicator": pl.String, "goal": pl.Int32, "direction": pl.String, "target": pl.Float64}


def one(points, direction, target=None, **spec):  # type: ignore[no-untyped-def]
    data = pl.DataFrame([("c", "x", y, v) for y, v in points.items()], schema=OBS, orient="row")
    s = pl.DataFrame([("x", 1, direction, target)], schema=SPEC, orient="row").with_columns(
        *(pl.lit(v).alias(k) for k, v in spec.items()))
    return opensdg.assess(data, s).table.row(0, named=True)


def test_with_a_target_the_ratio_bands():
    """"R ≥ 95%: On track; 60% ≤ R < 95%: Progress made but acceleration needed; 0% ≤ R < 60%:
    Limited progress; R < 0%: Deterioration" — 100 → 80 against 50 by 2030, lower is better:
    CAGR_o = 0.8^(1/5) − 1 = −4.365 %, CAGR_r = 0.5^(1/15) − 1 = −4.516 %, R = 0.9665."""
    r = one({2015: 100.0, 2020: 80.0}, "lower", 50.0)
    assert r["progress_value"] == pytest.approx(0.966542, abs=1e-6) and r["status"] == "substantial_progress"
    assert r["score"] == pytest.approx(5 * (0.966542 - 0.6) / 0.7, abs=1e-5)  # "130% for a score of +5"
    assert one({2015: 100.0, 2020: 84.0}, "lower", 50.0)["status"] == "moderate_progress"  # R 0.759
    assert one({2015: 100.0, 2020: 95.0}, "lower", 50.0)["status"] == "limited_progress"  # R 0.226
    assert one({2015: 100.0, 2020: 105.0}, "lower", 50.0)["status"] == "deterioration"  # R −0.217


def test_target_met_in_the_base_year_and_missed_now_is_moving_away():
    """"accounting for certain edge cases where the direction to the target differs from the
    desired direction of progress (e.g., some cases where the base value achieves the target)":
    higher is better, target 90 met by 100 in 2015, 85 in 2020 → R = d·CAGR_o/|CAGR_r| < 0.
    (The released sdg-build divides CAGR_o by CAGR_r: both negative, R > 0, "on_track".)"""
    r = one({2015: 100.0, 2020: 85.0}, "higher", 90.0)
    assert r["status"] == "deterioration" and r["progress_value"] < 0 and r["score"] == -5.0


def test_target_achieved_whatever_the_trend():
    """"Indicators that achieve the target are automatically assigned a score of 5 regardless of
    the underlying trend" — even with one year (the reference checks the target first)."""
    r = one({2015: 60.0, 2020: 45.0}, "lower", 50.0)
    assert (r["status"], r["score"]) == ("target_achieved", 5.0)
    assert one({2020: 45.0}, "lower", 50.0)["status"] == "target_achieved"


def test_without_a_target_growth_bands_and_the_limit():
    """"CAGR ≥ 1.5% C: On track … 0% ≤ CAGR < 0.5% C: Limited progress"; near a limit 100 from a
    base of 90, C = 1 − 0.9^4.44 = 0.3736: 90 → 92 (0.4405 % a year) is moderate, not limited."""
    assert one({2015: 100.0, 2020: 110.0}, "higher")["status"] == "substantial_progress"
    assert one({2015: 90.0, 2020: 92.0}, "higher")["status"] == "limited_progress"
    r = one({2015: 90.0, 2020: 92.0}, "higher", limit=100.0)
    assert r["coefficient"] == pytest.approx(1 - 0.9 ** 4.44) and r["status"] == "moderate_progress"
    at = one({2015: 100.0, 2020: 100.0}, "higher", limit=100.0)  # held at the limit: C = 0
    assert (at["status"], at["score"]) == ("substantial_progress", 5.0)


def test_data_the_growth_model_cannot_take_is_not_available():
    """"valid only when all values are positive or all values are negative"; "At least two years
    of data is required"; the direction is never assumed (Open SDG's default is "negative")."""
    assert one({2015: -10.0, 2020: 5.0}, "higher")["status"] == "not_available"
    assert one({2020: 5.0}, "higher")["status"] == "not_available"
    assert one({2012: 5.0, 2014: 6.0}, "higher")["status"] == "not_available"  # nothing from 2015 on
    r = one({2015: 100.0, 2020: 110.0}, None)
    assert r["status"] == "not_available" and "no direction given" in r["rule"]
    neg = one({2015: -10.0, 2020: -5.0}, "higher")  # "the desired direction of progress is flipped"
    assert neg["sign"] == -1.0 and neg["status"] == "substantial_progress"


def test_as_a_progress_method_beside_unsd():
    data = pl.DataFrame([("c", "x", 2015, 100.0), ("c", "x", 2020, 80.0)], schema=OBS, orient="row")
    spec = pl.DataFrame([("x", 1, "lower", 50.0)], schema=SPEC, orient="row")
    res = progress.assess(data, spec, method="opensdg")
    assert res.method == "opensdg" and res.edition == "opensdg-2.4"
    assert res.explain("c", "x").outcome == "substantial_progress"


OPTIONS = [
    {"series": "Fatality claims", "disaggregation": [{"field": "Gender", "value": "Male"}], "direction": "negative"},
    {"group": [{"series": "Lost time", "direction": "negative", "target": 85},
               {"series": "Lost time rate", "unit": "per 1,000", "direction": "negative"}]},
]


def test_options_are_parsed_and_checked():
    opts = parse(json.dumps(OPTIONS))  # as the importer keeps them in extra (JSON text)
    assert [o.path for o in opts] == [(0,), (1, 0), (1, 1)]
    assert opts[0].disaggregation == (("Gender", "Male"),) and opts[0].direction == "lower"
    assert (opts[1].target, opts[2].unit) == (85.0, "per 1,000")
    assert parse("") == parse(None) == parse([{}])  # the headline, nothing set
    assert parse("- direction: positive\n  target: 5\n")[0].direction == "higher"  # YAML too
    for bad, why in (([{"direction": "up"}], "positive or negative"), ([{"colour": 1}], "unknown option"),
                     ([{"target": "lots"}], "not a number"), ({"a": 1}, "must be a list"),
                     ([{"group": []}], "non-empty list")):
        with pytest.raises(OptionsError, match=why) as exc:
            parse(bad)
        assert exc.value.zh


def _obs() -> pl.DataFrame:
    rows = []
    for y, m, f, lt, lt_rate in ((2015, 10.0, 6.0, 100.0, 5.0), (2020, 8.0, 6.5, 90.0, 4.0)):
        rows += [
            ("Fatality claims", "", json.dumps({"Series": "Fatality claims", "Gender": "Male"}), "M", m),
            ("Fatality claims", "", json.dumps({"Series": "Fatality claims", "Gender": "Female"}), "F", f),
            ("Lost time", "", json.dumps({"Series": "Lost time"}), None, lt),
            ("Lost time rate", "per 1,000", json.dumps({"Series": "Lost time rate", "Units": "per 1,000"}), None,
             lt_rate),
        ]
        rows = [(*r, y) if len(r) == 5 else r for r in rows]
    return pl.DataFrame(
        [{"entity": "c", "indicator": "8.8.1", "period": str(r[5]), "year": r[5], "value": r[4], "unit": r[1],
          "series": r[0], "SEX": r[3], "labels": r[2]} for r in rows])


def test_the_options_pick_the_series_and_the_groups_average_first():
    panel, spec, groups = series_panel("8.8.1", _obs(), parse(OPTIONS), "c")
    values = dict(panel.filter(pl.col("year") == 2020).select("indicator", "value").iter_rows())
    assert values == {"8.8.1#0": 8.0, "8.8.1#1.0": 90.0, "8.8.1#1.1": 4.0}  # male only; headline; the rate
    res = opensdg.assess(panel, spec)
    scores = dict(res.table.select("indicator", "score").iter_rows())
    (agg,) = opensdg.indicators(res.table, groups)
    # the group's two series count as one: (s0 + (s10 + s11)/2)/2, not the flat mean of three
    assert agg.score == pytest.approx((scores["8.8.1#0"] + (scores["8.8.1#1.0"] + scores["8.8.1#1.1"]) / 2) / 2)
    assert agg.status == opensdg.status_of_score(agg.score, False)
    # options that do not single out one series leave none: not available (Open SDG stops the build)
    panel, spec, groups = series_panel("8.8.1", _obs(), parse([{"direction": "negative"}]), "c")
    assert panel.height == 0


def test_a_review_migrating_from_open_sdg_gets_its_statuses():
    from vlrkit.demo import build_demo

    review = build_demo()
    ind = review.indicators[0]
    code = ind.code
    obs = review.observations.filter(pl.col("indicator") == code)
    on = replace(ind, extra={**dict(ind.extra or {}), "auto_progress_calculation": "true",
                             "progress_calculation_options": json.dumps([{"direction": "positive"}])})
    off = [replace(i, extra={}) for i in review.indicators[1:]]
    got = measure(replace(review, indicators=(on, *off)))
    assert [g.indicator for g in got] == [code]
    head = obs.filter(pl.all_horizontal(pl.col(d).is_null() for d in ("SEX", "AGE", "GEO"))).sort("year")
    assert got[0].status in opensdg.STATUSES and got[0].n_series == (1 if head.height >= 2 else 0)


def test_every_open_sdg_status_has_points_and_labels():
    """A goal's status colour and the report read every status Open SDG's measure can give."""
    from vlrkit.assess.rules import STATUS_POINTS, label
    from vlrkit.report import i18n

    said = [s for s in opensdg.STATUSES if s != "not_available"]
    assert [STATUS_POINTS[s] for s in said] == [3, 3, 2, 1, 0]
    for s in opensdg.STATUSES:
        for lang in ("en", "zh-Hans"):
            assert i18n.pick(i18n.STATUS_LABELS, s, lang) != s and label(s, lang) != s
