"""SDSN trend arrows and goal trends on hand-worked examples (METHODS §1), at the cut-offs.

Indicator arrow: required r = (green − score_t0)/(2030 − t0) points a year; observed = average
annual change of the score; falls → decreasing, < r/2 → stagnating, < r → moderately improving,
≥ r (or staying ≥ green) → on track.  Goal trend (unpublished mapping, vlrkit's choice): arrows
→ 0.5 / 1.5 / 2.5 / 3.5, averaged, bands [0,1) [1,2) [2,3) [3,4].
"""

from __future__ import annotations

import polars as pl
import pytest

from vlrkit.assess import SdsnResult, sdsn
from vlrkit.assess.rules import SDSN_TREND_POINTS

SCHEMA = {"indicator": pl.String, "goal": pl.Int32, "direction": pl.String, "best": pl.Float64,
          "worst": pl.Float64, "green": pl.Float64, "red": pl.Float64}


def run(points: list[tuple[str, int, float]], specs: list[tuple], **kw) -> SdsnResult:
    data = pl.DataFrame([("c", i, y, v) for i, y, v in points], orient="row",
                        schema={"entity": pl.String, "indicator": pl.String, "year": pl.Int32, "value": pl.Float64})
    return sdsn.assess(data, pl.DataFrame(specs, schema=SCHEMA, orient="row"), **kw)


def arrow(res, code: str = "x") -> dict:  # type: ignore[no-untyped-def]
    return res.indicators.filter(pl.col("indicator") == code).row(0, named=True)


# higher is better: best 100, worst 0, green 80 → from 50 in 2015 the pace needed is 30/15 = 2.0
HIGH = ("x", 1, "higher", 100.0, 0.0, 80.0, 50.0)


@pytest.mark.parametrize(("v2020", "observed", "expected"), [
    (60.0, 2.0, "on_track"),              # exactly r
    (59.0, 1.8, "moderately_improving"),
    (55.0, 1.0, "moderately_improving"),  # exactly r/2
    (54.5, 0.9, "stagnating"),
    (50.0, 0.0, "stagnating"),            # no change is not a decrease
    (49.5, -0.1, "decreasing"),
])
def test_arrow_at_the_cut_offs(v2020, observed, expected):
    r = arrow(run([("x", 2015, 50.0), ("x", 2020, v2020)], [HIGH]))
    assert r["trend_required"] == pytest.approx(2.0)
    assert r["trend_observed"] == pytest.approx(observed)
    assert r["trend"] == expected


# lower is better: best 0, worst 100, green 20 (score 80), red 50 (score 50): score = 100 − x
LOW = ("x", 1, "lower", 0.0, 100.0, 20.0, 50.0)


@pytest.mark.parametrize(("v2020", "expected"), [
    (45.0, "on_track"),              # score 40 → 55: 3.0 a year ≥ 40/15 = 2.67
    (50.0, "moderately_improving"),  # 2.0 ≥ 1.33
    (54.0, "stagnating"),            # 1.2 < 1.33
    (61.0, "decreasing"),            # the rate rose: the score fell
    (15.0, "on_track"),              # past the green threshold
])
def test_arrow_lower_is_better(v2020, expected):
    r = arrow(run([("x", 2015, 60.0), ("x", 2020, v2020)], [LOW]))
    assert r["trend_required"] == pytest.approx(40 / 15)
    assert r["trend"] == expected


def test_maintaining_achievement_is_on_track_even_when_falling():
    r = arrow(run([("x", 2015, 95.0), ("x", 2020, 81.0)], [HIGH]))
    assert r["trend_observed"] < 0 and r["trend"] == "on_track"
    r = arrow(run([("x", 2015, 95.0), ("x", 2020, 79.0)], [HIGH]))
    assert r["trend"] == "decreasing"  # fell below green: no longer maintained


def test_the_2018_window_2010_to_2015():
    # SDSN 2018: trends over 2010–2015; the later point is outside the edition's data
    pts = [("x", 2010, 40.0), ("x", 2015, 50.0), ("x", 2017, 20.0)]
    r = arrow(run(pts, [HIGH], trend_start=2010, year=2015))
    assert (r["year"], r["trend_year0"]) == (2015, 2010)
    assert r["trend_required"] == pytest.approx(40 / 20)  # (80 − 40)/(2030 − 2010)
    assert r["trend_observed"] == pytest.approx(2.0) and r["trend"] == "on_track"


ARROW_PAIRS = {  # 2015 → 2020 values giving each arrow under HIGH
    "on_track": (50.0, 62.0), "moderately_improving": (50.0, 56.0),
    "stagnating": (50.0, 52.0), "decreasing": (50.0, 45.0),
}


@pytest.mark.parametrize(("arrows", "points", "expected"), [
    (("decreasing", "stagnating"), 1.0, "stagnating"),                 # the band starts at 1
    (("decreasing", "on_track"), 2.0, "moderately_improving"),         # at 2
    (("moderately_improving", "on_track"), 3.0, "on_track"),           # at 3
    (("decreasing", "decreasing", "stagnating"), 2.5 / 3, "decreasing"),
    (("on_track", "on_track", "on_track", "stagnating"), 12 / 4, "on_track"),
    (("moderately_improving",) * 3, 2.5, "moderately_improving"),      # equal arrows give it back
])
def test_goal_trend_mapping_and_bands(arrows, points, expected):
    specs = [(f"i{k}", 1, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(len(arrows))]
    pts = [(f"i{k}", y, v) for k, a in enumerate(arrows) for y, v in zip((2015, 2020), ARROW_PAIRS[a], strict=True)]
    res = run(pts, specs)
    assert [arrow(res, f"i{k}")["trend"] for k in range(len(arrows))] == list(arrows)
    g = res.goals.row(0, named=True)
    assert g["trend_points"] == pytest.approx(sum(SDSN_TREND_POINTS[a] for a in arrows) / len(arrows))
    assert g["trend_points"] == pytest.approx(points) and g["trend"] == expected


def test_goal_trend_uses_all_indicators_not_the_two_worst():
    arrows = ("decreasing", "on_track", "on_track", "on_track")
    specs = [(f"i{k}", 1, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(4)]
    pts = [(f"i{k}", y, v) for k, a in enumerate(arrows) for y, v in zip((2015, 2020), ARROW_PAIRS[a], strict=True)]
    g = run(pts, specs).goals.row(0, named=True)
    assert g["trend_points"] == pytest.approx((0.5 + 3 * 3.5) / 4) and g["trend"] == "moderately_improving"
