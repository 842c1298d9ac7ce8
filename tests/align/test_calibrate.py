"""Calibration: logistic fit, threshold choice, the packaged parameters."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from vlrkit.align import calibrate


def test_fit_logistic_learns_the_direction_of_the_evidence():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] + 0.5 * x[:, 2] + rng.normal(scale=0.3, size=400) > 0).astype(float)
    w = calibrate.fit_logistic(x, y)
    assert w[0] > 1 and w[2] > 0.3 and abs(w[1]) < 0.5


def test_best_threshold_separates_a_clean_split():
    probs = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1]
    labels = [1, 1, 1, 0, 0, 0]
    t = calibrate.best_threshold(probs, labels)
    assert 0.3 < t < 0.7


def test_calibration_round_trips_through_json():
    cal = calibrate.Calibration({"zh": (1.0, 2.0, 3.0, -4.0), "en": (0.5, 0.5, 0.5, -1.0)},
                                {"zh": 0.6, "en": 0.3}, "x.csv")
    assert calibrate.Calibration.from_json(cal.to_json()) == cal


def test_packaged_calibration_has_both_language_families():
    cal = calibrate.load()
    assert set(cal.params) == {"zh", "en"}
    assert 0 < cal.cut("zh-Hans") < 1 and 0 < cal.cut("fr") < 1
    assert "dev_zh.csv" in cal.fitted_on and "heldout" not in cal.fitted_on


@given(st.floats(0, 30), st.floats(0, 30))
def test_probability_grows_with_the_raw_score(a, b):
    cal = calibrate.load()
    lo, hi = sorted((a, b))
    f_lo = calibrate.goal_features({1: lo, 2: 5.0})[1]
    f_hi = calibrate.goal_features({1: hi, 2: 5.0})[1]
    assert cal.probability("en", f_hi) >= cal.probability("en", f_lo) - 1e-12
    assert 0.0 <= cal.probability("zh", f_hi) <= 1.0


def test_fit_on_a_few_rows_gives_usable_parameters():
    rows = [
        {"lang": "en", "sdg": "11", "text": "Expand bus rapid transit and protected bike lanes."},
        {"lang": "en", "sdg": "3", "text": "Reduce waiting times for GP appointments and hospital care."},
        {"lang": "en", "sdg": "", "text": "Members are asked to note the report."},
        {"lang": "zh-Hans", "sdg": "11", "text": "全面推行生活垃圾分类，建成厨余垃圾处理厂。"},
        {"lang": "zh-Hans", "sdg": "4", "text": "新建公办幼儿园18所，学前三年毛入园率达到95%。"},
    ]
    cal = calibrate.fit(rows)
    raw_good = calibrate.goal_features({11: 4.0})[11]
    raw_none = calibrate.goal_features({11: 0.0, 3: 4.0})[11]
    assert cal.probability("en", raw_good) > cal.probability("en", raw_none)
