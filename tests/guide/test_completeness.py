"""The completeness check: narrative phrases, explicit markers and data decide each point."""

from __future__ import annotations

from dataclasses import replace

from vlrkit.guide import check
from vlrkit.review import Edition, Entity, Narrative, Review


def _by_id(result):
    return {p.id: p for p in result.points}


def _empty() -> Review:
    return Review(entity=Entity("X", {"en": "X"}), edition=Edition("E", 2025, 2015, 2024))


def test_an_empty_review_covers_nothing_and_gets_all_guidance():
    result = check(_empty())
    assert (result.covered, result.total, result.share) == (0, 137, 0.0)
    assert len(result.missing) == 137
    assert result.missing[0].id == "GE-1.1" and "vision" in result.missing[0].guidance
    zh = check(_empty(), lang="zh-Hans")
    assert "愿景" in zh.missing[0].guidance
    assert "GE-1.4" not in {m.id for m in result.missing}  # context points are not counted


def test_narrative_phrases_cover_points_of_their_own_element_only():
    text = "我们的愿景写入了“十四五”规划。We faced a serious challenge."
    r = replace(_empty(), narratives=(Narrative("GE-1", "zh-Hans", text),
                                      Narrative("GE-4", "en", "Our vision.")))
    points = _by_id(check(r))
    assert points["GE-1.1"].covered and points["GE-1.1"].by == "narrative"
    assert points["GE-1.3"].covered  # "challenge" in English
    assert not points["GE-1.2"].covered
    assert not points["GE-3.1"].covered  # GE-4's narrative does not cover GE-3


def test_explicit_markers_cover_a_point_anywhere():
    r = replace(_empty(), narratives=(Narrative("GE-3", "en", "See annex. [GE-5d.2] <!-- GE-10.F3 -->"),))
    points = _by_id(check(r))
    assert points["GE-5d.2"].by == "marker" and points["GE-10.F3"].by == "marker"
    assert check(r).covered == 2


def test_data_decides_points(small_review):
    points = _by_id(check(small_review))
    assert points["GE-8.6"].by == "data" and "2028" in points["GE-8.6"].evidence
    assert points["GE-9b.1"].by == "data"  # one accepted contribution
    assert points["GE-4.9"].by == "data"  # stakeholders listed
    assert points["GE-5b.6"].by == "data" and "women" in points["GE-5b.6"].evidence
    assert points["GE-4.5"].by == "data"  # priority goals set
    assert not points["GE-6.1"].covered  # two goals with data, not 17
    no_next = replace(small_review, edition=replace(small_review.edition, next_review=None),
                      contributions=tuple(replace(c, status="rejected") for c in small_review.contributions))
    points = _by_id(check(no_next))
    assert not points["GE-8.6"].covered and not points["GE-9b.1"].covered


def test_the_demo_covers_all_17_goals():
    from vlrkit.demo import build_demo

    result = check(build_demo())
    points = _by_id(result)
    assert points["GE-6.1"].covered and points["GE-6.1"].by == "data"
    assert result.covered / result.total >= 0.9  # the demo's narratives follow the seed
    bare = check(replace(build_demo(), narratives=()))
    assert 0 < bare.covered < result.covered
    assert {p.by for p in bare.points if p.covered} == {"data"}
    assert "GE-5d.2" in {m.id for m in bare.missing}
    data = result.to_dict()
    assert set(data) == {"covered", "total", "share", "missing"}
    assert data["share"] == round(result.covered / 137, 4)
    assert all(set(m) == {"id", "guidance"} for m in data["missing"])


def test_the_assessment_decides_goals_and_trends(small_review):
    from types import SimpleNamespace as NS

    goals = tuple(NS(goal=g, n_with_data=1) for g in range(1, 18))
    flat = (NS(code="T-1", trend="insufficient_data"),)
    points = _by_id(check(small_review, NS(goals=goals, indicators=flat)))
    assert points["GE-6.1"].by == "data" and "assessed" in points["GE-6.1"].evidence
    assert not points["GE-6.9"].covered or points["GE-6.9"].by == "narrative"
    moving = (NS(code="T-1", trend="on_track"),)
    points = _by_id(check(small_review, NS(goals=goals[:3], indicators=moving)))
    assert not points["GE-6.1"].covered
    assert points["GE-6.9"].evidence == "1 indicators with an assessed trend"
