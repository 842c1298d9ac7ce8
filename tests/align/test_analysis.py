"""Coverage, attention, the attention gap, interlinkages and people's decisions."""

from __future__ import annotations

import pytest

from vlrkit.align.analysis import (
    Alignment,
    GoalAttention,
    MappedPassage,
    SourceInfo,
    attention,
    attention_gap,
    coverage,
    passages_for,
)
from vlrkit.align.links import interlinkages


def passage(doc, i, goals, text="x", amount=None, scores=None):
    scores = scores or {g: 0.9 for g in goals}
    return MappedPassage(doc, i, text, "en", goals[0] if goals else None, None, tuple(goals), (),
                         {g: scores.get(g, 0.0) for g in range(1, 18)}, amount=amount)


@pytest.fixture()
def al():
    return Alignment(
        (SourceInfo("plan", "text", "en", 4), SourceInfo("budget", "csv", "en", 3, True, 600.0)),
        (passage("plan", 0, [11]), passage("plan", 1, [11, 13]), passage("plan", 2, [3]),
         passage("plan", 3, []),
         passage("budget", 0, [11], amount=100.0),
         passage("budget", 1, [6, 7], amount=300.0, scores={6: 0.9, 7: 0.3}),
         passage("budget", 2, [], amount=200.0)),
    )


def test_coverage_matrix_counts_passages_per_document_and_goal(al):
    cov = coverage(al)
    assert cov.rows == ("plan", "budget")
    assert cov.cell("plan", "11") == 2 and cov.cell("plan", "13") == 1 and cov.cell("budget", "6") == 1
    assert sum(cov.values[0]) == 4


def test_attention_shares_and_budget(al):
    att = {a.goal: a for a in attention(al)}
    assert att[11].passages == 2 and att[11].share == pytest.approx(2 / 3)
    assert att[6].amount == 300 and att[7].amount == 300  # tagged: full amount under each goal
    assert att[6].amount_weighted == pytest.approx(225) and att[7].amount_weighted == pytest.approx(75)
    assert sum(a.amount_weighted for a in att.values()) == pytest.approx(400)  # untagged 200 left out
    assert sum(a.budget_share for a in att.values()) == pytest.approx(1.0)


def test_decisions_change_what_counts(al):
    decided = al.with_status({("plan", 0, 11): "rejected", ("plan", 3, 16): "accepted",
                              ("plan", 1, 13): "accepted"})
    att = {a.goal: a for a in attention(decided)}
    assert att[11].passages == 1 and att[16].passages == 1
    only = {a.goal: a for a in attention(decided, only_accepted=True)}
    assert only[13].passages == 1 and only[16].passages == 1 and only[11].passages == 0
    assert decided.passages[3].effective_goals() == (16,)


def _att(goal, share, budget_share=0.0, lines=0):
    return GoalAttention(goal, 1 if share else 0, share, lines, 0.0, 0.0, budget_share)


def test_attention_gap_flags_poor_goals_with_little_attention_first():
    att = [_att(g, 1 / 17) for g in range(1, 18)]
    att[12] = _att(13, 0.005)  # goal 13: little attention
    att[3] = _att(4, 0.20)  # goal 4: much attention
    att[5] = _att(6, 0.005)  # goal 6: little attention but a good score
    scores = {g: 60.0 for g in range(1, 18)} | {13: 35.0, 4: 85.0, 6: 80.0, 9: 40.0, 17: None}
    rows = attention_gap(att, scores)
    flags = {r.goal: r.flag for r in rows}
    assert rows[0].goal == 13 and rows[0].flag == "neglected"
    assert "attention gap" in rows[0].note_en and "关注缺口" in rows[0].note_zh
    assert flags[4] == "reverse" and flags[9] == "addressed" and flags[6] == "low-attention"
    assert flags[17] == "unassessed" and flags[1] == ""


def test_attention_gap_uses_the_budget_when_there_is_one():
    att = [_att(g, 1 / 17, 1 / 17, 1) for g in range(1, 18)]
    att[0] = _att(1, 0.04, 0.0, 0)  # goal 1: talked about a little, not funded
    rows = {r.goal: r for r in attention_gap(att, {1: 30.0})}
    assert rows[1].attention == pytest.approx(0.02)  # mean of text share and budget share
    assert rows[1].flag == "neglected"
    text_only = {r.goal: r for r in attention_gap([_att(1, 0.04)], {1: 30.0})}
    assert text_only[1].flag == "addressed"  # 4% of passages is not "little" without the budget


def test_interlinkages_count_pairs_and_flag_known_interactions():
    al = Alignment((SourceInfo("p", "text", "zh-Hans", 4),), (
        passage("p", 0, [7, 13], "发展光伏和风电，推动碳达峰。"),
        passage("p", 1, [7, 13], "节能降碳。"),
        passage("p", 2, [11, 15], "城市扩张必须兼顾生态保护。"),
        passage("p", 3, [4, 16], "普法教育进校园，协同推进。"),
    ))
    links = {lk.goals: lk for lk in interlinkages(al)}
    assert links[(7, 13)].passages == 2 and "synergy" in links[(7, 13)].flags
    assert "trade-off" in links[(11, 15)].flags
    assert links[(4, 16)].flags == ("synergy",)  # from the cue 协同, not a known pair
    assert links[(4, 16)].reasons_zh == ("文本表述两者协同推进",)
    assert interlinkages(al)[0].goals == (7, 13)
    assert links[(7, 13)].examples == (("p", 0), ("p", 1))


def test_the_passages_behind_a_heat_map_cell(al):
    cell = passages_for(al, "plan", 11)
    assert [p.index for p in cell] == [0, 1]
    assert [p.index for p in passages_for(al, goal=11)] == [0, 1, 0]
    assert len(passages_for(al, "budget")) == 3
    assert passages_for(al.with_status({("plan", 0, 11): "rejected"}), "plan", 11)[0].index == 1
