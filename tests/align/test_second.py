"""The second-goal decision: independent evidence for two goals gives both, a passing touch does not."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from vlrkit.align import classify, second
from vlrkit.align.hits import Hit

DATA = Path(__file__).parents[1] / "data" / "align"


def test_strong_independent_evidence_for_two_goals_gives_both():
    # water and sanitation (6) and deaths from disease (3), each with its own terms
    p = classify("Unsafe drinking water and poor sanitation cause most deaths from diarrhoeal disease "
                 "among young children.")
    assert p.goal == 6 and set(p.goals) == {6, 3}
    p = classify("Child marriage forces many girls to drop out of secondary school before they complete "
                 "their education.")
    assert set(p.goals) == {4, 5}


def test_a_second_goal_touched_in_passing_does_not_pass():
    # "survey" points to 17.18 (data), with one lexicon term: the passage is about transport only
    p = classify("Bus rapid transit corridors cut commuting times for residents of outer districts, "
                 "according to a household survey.")
    assert p.goal == 11 and p.raw[17] >= 1.0
    assert p.goals == (11,)


def test_the_model_weighs_ratio_signals_and_bayes():
    m = second.load()
    raw = {6: 4.0, 3: 2.6, 17: 1.0}
    hits = [Hit("6.1", "drinking water", "lexicon", 1.25), Hit("6.2", "sanitation", "lexicon", 1.0),
            Hit("3.3", "diarrhoeal disease", "lexicon", 1.0), Hit("3.9", "unsafe water death", "text", 0.9),
            Hit("3", "death disease", "bayes", 0.7), Hit("17.18", "survey", "lexicon", 1.0)]
    strong = second.features(raw, hits, 3, 6)
    passing = second.features(raw, hits, 17, 6)
    assert strong[0] == pytest.approx(0.65) and strong[2] == pytest.approx(3 / 6) and strong[3] == pytest.approx(0.7)
    assert passing[3] == 0.0 and passing[2] == pytest.approx(1 / 6)
    assert m.passes(strong) and not m.passes(passing)
    # each feature pushes the same way: more share, more signals, more Bayes posterior → more likely
    assert all(w > 0 for w in m.weights)


def test_model_round_trips_and_rejects_other_features():
    m = second.SecondGoalModel((1.0, 2.0, 3.0, 4.0), -1.5, 0.4, "x.csv")
    assert second.SecondGoalModel.from_json(m.to_json()) == m
    bad = m.to_json().replace('"bayes"', '"other"')
    with pytest.raises(ValueError):
        second.SecondGoalModel.from_json(bad)


def test_packaged_model_is_fitted_on_sets_that_label_two_goals_only():
    m = second.load()
    assert "dev3_en_policy.csv" in m.fitted_on and "dev_zh.csv" in m.fitted_on
    assert "dev2" not in m.fitted_on and "blind" not in m.fitted_on
    assert 0.0 < m.threshold < 1.0


def _scored(truth, best, cands):
    return second.Scored(frozenset(truth), best, True, tuple(cands))


def test_fit_learns_that_a_high_share_means_a_second_goal():
    # candidates with a high share are second goals, low share ones are not
    items = []
    for i in range(40):
        hi = 0.5 + (i % 5) / 10
        lo = 0.1 + (i % 4) / 20
        items.append(_scored({1, 2}, 1, [(2, (hi, 1.0, 0.5, 0.3))]))
        items.append(_scored({3}, 3, [(4, (lo, 0.6, 0.17, 0.0))]))
    m = second.fit({"a": items[:40], "b": items[40:]})
    assert m.weights[0] > 0
    assert second.macro_f1(items, m) == pytest.approx(1.0)
    assert second.macro_f1(items, replace(m, threshold=1.01)) < 1.0


def test_cross_validation_decides_each_passage_with_a_model_not_fitted_on_it():
    items = [_scored({1, 2}, 1, [(2, (0.8, 1.0, 0.5, 0.5))]) for _ in range(10)]
    items += [_scored({3}, 3, [(4, (0.1, 0.5, 0.17, 0.0))]) for _ in range(10)]
    out = second.cross_validate({"s": items}, k=5)
    assert set(out) == {"s"} and out["s"] == pytest.approx(1.0)


def test_scores_do_not_depend_on_the_hash_seed():
    # identical spans of two terms used to be ordered by set iteration (PYTHONHASHSEED)
    code = ("from vlrkit.align import classify\n"
            "for t in ['Local supply chain development will help small manufacturers win contracts.',\n"
            "          'The Office of Immigrant Affairs provides legal services, language access and "
            "citizenship support to immigrants.']:\n"
            "    print(sorted((g, round(v, 6)) for g, v in classify(t).raw.items()))\n")
    outs = set()
    for seed in ("0", "5", "7", "13"):  # seeds under which the old ordering gave 4 different results
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                check=True).stdout)
    assert len(outs) == 1


def test_two_goal_rows_of_dev3_are_about_a_fifth():
    import csv

    for name, lo in (("dev3_en_policy.csv", 255), ("dev3_zh_policy.csv", 170)):
        with open(DATA / name, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        labelled = [r for r in rows if r["sdg"]]
        two = [r for r in labelled if ";" in r["sdg"]]
        assert len(labelled) >= lo
        assert 0.2 <= len(two) / len(labelled) <= 0.27
