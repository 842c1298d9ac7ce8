"""The naive Bayes second opinion: deterministic rebuild, what it learns, how it enters a score."""

from __future__ import annotations

from pathlib import Path

import pytest

from vlrkit.align import bayes, signals

DATA = Path(__file__).resolve().parent.parent / "data" / "align"
TRAINING = [DATA / f"{split}_{lang}.csv" for lang in ("zh", "en") for split in ("dev", "dev2")]


def test_rebuilding_from_our_sets_gives_the_committed_model_byte_for_byte():
    built = bayes.build(TRAINING)
    for fam in bayes.FAMILIES:
        committed = bayes.model_path(fam).read_text(encoding="utf-8")
        assert built[fam] == committed, f"run: python -m vlrkit.align.bayes {' '.join(map(str, TRAINING))}"
        assert len(committed.encode()) < 3_000_000  # a few MB at most


def test_each_training_set_changes_the_model():
    built = bayes.build([DATA / "dev_en.csv"])
    assert built["en"] != bayes.model_path("en").read_text(encoding="utf-8")  # dev2 counts


@pytest.mark.parametrize(("text", "fam", "goal"), [
    ("Council homes on the estate will be refurbished and new homes for social rent built on the car park.", "en", 11),
    ("Inshore boats will land their catch at the harbour under the new quota.", "en", 14),
    ("渔民在禁渔期内不得出海捕捞，渔政部门加强巡查。", "zh", 14),
    ("新建公办幼儿园，增加普惠性学位。", "zh", 4),
])
def test_the_posterior_favours_the_goal_of_context_words(text, fam, goal):
    model = bayes.naive_bayes(fam)
    assert model is not None
    post, words = model.posterior(bayes.passage_features(text, fam))
    assert abs(sum(post.values()) - 1) < 1e-9
    best = max(post, key=lambda g: post[g])
    assert best == goal and post[best] > 0.5, (best, post[best], words[best])


def test_administrative_prose_goes_to_the_no_goal_class_and_gets_no_hit():
    model = bayes.naive_bayes("en")
    assert model is not None
    text = "The minutes of the previous meeting were approved as a correct record."
    post, _ = model.posterior(bayes.passage_features(text, "en"))
    assert max(post, key=lambda g: post[g]) == bayes.NO_GOAL
    assert all(h.goal != bayes.NO_GOAL for h in model.hits(text, "en"))


def test_bayes_hits_only_goals_another_signal_points_to(monkeypatch):
    text = "Inshore boats will land their catch at the harbour under the new quota."
    with_bayes = signals.passage_hits(text, "en")
    goals_other = {h.goal for h in with_bayes if h.signal != "bayes"}
    mine = [h for h in with_bayes if h.signal == "bayes"]
    assert mine and {h.goal for h in mine} <= goals_other
    assert all(0 < h.weight <= bayes.W_BAYES for h in mine)
    monkeypatch.setattr(signals, "USE_BAYES", False)
    assert not [h for h in signals.passage_hits(text, "en") if h.signal == "bayes"]


def test_a_missing_model_file_switches_the_signal_off(monkeypatch, tmp_path):
    monkeypatch.setattr(bayes, "HERE", tmp_path)
    bayes.naive_bayes.cache_clear()
    try:
        assert bayes.naive_bayes("en") is None
        assert all(h.signal != "bayes" for h in signals.passage_hits("Council homes for social rent.", "en"))
    finally:
        monkeypatch.undo()
        bayes.naive_bayes.cache_clear()
