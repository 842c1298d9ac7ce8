"""The classifier: best goal and target, multi-label decisions, evidence, figures on our sets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vlrkit.align import classify

DATA = Path(__file__).parents[1] / "data" / "align"


@pytest.mark.parametrize(("text", "goal", "target"), [
    ("全面推行生活垃圾分类，建成厨余垃圾处理厂。", 11, "11.6"),
    ("加快推进海绵城市建设，整治城市易涝积水点。", 11, "11.5"),
    ("深入实施乡村振兴战略，新建高标准农田5万亩。", 2, None),
    ("优化12345热线接诉即办，推行一件事一次办。", 16, "16.6"),
    ("深化东西部协作和对口支援，落实产业帮扶。", 1, "1.b"),
    ("We will deliver 2,000 social rented homes and end rough sleeping.", 11, "11.1"),
    ("The climate action plan commits the city to net zero emissions by 2040.", 13, "13.2"),
    ("Opioid overdose deaths rose; we will expand naloxone and addiction treatment.", 3, "3.5"),
])
def test_plan_sentences_map_to_their_goal(text, goal, target):
    p = classify(text)
    assert p.goal == goal
    assert goal in p.goals
    if target:
        assert p.target == target
        assert target in p.targets


def test_a_passage_can_serve_several_goals():
    p = classify("推进城乡供水一体化和农村生活污水治理，同时发展光伏和风电等可再生能源，新增装机50万千瓦。")
    assert {6, 7} <= set(p.goals)


def test_text_about_no_goal_gets_no_goal():
    for text in ("Members are asked to note the contents of this report.", "以上议案，请予审议。",
                 "Appendix B: Glossary of terms."):
        assert classify(text).goals == ()


def test_evidence_names_the_term_and_the_target_text():
    p = classify("全面推行生活垃圾分类。", "zh-Hans")
    ev = p.evidence_for(11)
    assert any(e.term == "生活垃圾分类" and e.signal == "lexicon" for e in ev)
    assert all(e.target_text for e in ev)
    assert "城市" in next(e.target_text for e in ev if e.target == "11.6")


def test_scores_are_probabilities_for_all_17_goals():
    p = classify("Expand bus rapid transit and cycling lanes.")
    assert set(p.scores) == set(range(1, 18))
    assert all(0.0 <= s <= 1.0 for s in p.scores.values())
    assert p.scores[11] == max(p.scores.values())


def _top1(name: str) -> float:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["sdg"]]
    return sum(classify(r["text"], r["lang"]).goal in {int(g) for g in r["sdg"].split(";")}
               for r in rows) / len(rows)


@pytest.mark.parametrize("name", ["heldout_zh.csv", "heldout_en.csv", "blind_zh.csv", "blind_en.csv"])
def test_goal_top1_on_our_own_sets_stays_above_the_bar(name):
    # a regression guard on our own (not independent) sets; the acceptance figure is measured
    # by others on theirs
    assert _top1(name) >= 0.88
