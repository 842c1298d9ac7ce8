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
    text = ("我们的愿景写入了“十四五”规划，并在各部门年度工作报告中逐项落实，形成了较完整的推进机制。\n\n"
            "We faced a serious challenge when the flood of 2020 closed two hospitals for a month.")
    r = replace(_empty(), narratives=(Narrative("GE-1", "zh-Hans", text),
                                      Narrative("GE-4", "en", "Our vision for the review process is open and shared by all.")))
    points = _by_id(check(r))
    assert points["GE-1.1"].covered and points["GE-1.1"].by == "narrative"
    assert points["GE-1.1"].lang == "zh-Hans" and points["GE-1.1"].line == 1
    assert "愿景写入" in points["GE-1.1"].evidence  # what satisfied it is quoted
    assert points["GE-1.3"].covered and points["GE-1.3"].line == 3  # "challenge" in English
    assert not points["GE-1.2"].covered
    assert not points["GE-3.1"].covered  # GE-4's narrative does not cover GE-3


def test_explicit_markers_cover_a_point_anywhere_when_the_text_beside_them_says_something():
    r = replace(_empty(), narratives=(Narrative("GE-3", "en", (
        "[GE-5d.2] The survey of 2023 asked 4,000 residents which groups they feel are left behind.\n\n"
        "<!-- GE-10.F3 --> Departments report on their actions twice a year to the city council.\n\n"
        "[GE-5e.1]")),))
    points = _by_id(check(r))
    assert points["GE-5d.2"].by == "marker" and points["GE-10.F3"].by == "marker"
    assert not points["GE-5e.1"].covered  # a bare marker says nothing
    assert check(r).covered == 2


def test_not_covered_because_counts_with_its_reason():
    r = replace(_empty(), narratives=(
        Narrative("GE-5f", "en", "Not covered, because the city has no structural reform programme of its own yet."),
        Narrative("GE-3", "zh-Hans", "[GE-3.2] 未涉及，因为本市尚未开展基线调查工作。"),
        Narrative("GE-5e", "en", "Not covered, because."),  # no reason: counts nothing
    ))
    result = check(r)
    points = _by_id(result)
    f = [p for p in result.points if p.element == "GE-5f"]
    assert f and all(p.by == "not_covered" and "structural reform" in p.evidence for p in f)
    assert points["GE-3.2"].by == "not_covered" and "基线调查" in points["GE-3.2"].evidence
    assert not points["GE-3.1"].covered  # one point declared, not the section
    assert not any(p.covered for p in result.points if p.element == "GE-5e")
    assert result.declared == len(f) + 1 == result.covered


def test_a_point_that_asks_for_data_needs_evidence_in_the_text():
    """GE-6.3 (baselines) has a data rule: without the data, text counts only with a figure."""
    words = "The baseline of each indicator is the value of 2015, the first year of the plan period."
    plain = replace(_empty(), narratives=(Narrative("GE-6", "en", words),))
    assert not _by_id(check(plain))["GE-6.3"].covered
    with_ref = replace(_empty(), narratives=(Narrative("GE-6", "en", words + " Poverty: {{ind:P:baseline}}."),))
    point = _by_id(check(with_ref))["GE-6.3"]
    assert point.by == "narrative" and "figure reference" in point.evidence
    table = "| indicator | baseline |\n|---|---|\n| poverty | 7.0 |"
    point = _by_id(check(replace(_empty(), narratives=(Narrative("GE-6", "en", "## Baselines\n\n" + table),))))["GE-6.3"]
    assert point.by == "narrative" and "table" in point.evidence


def _section_points(result, section):
    return {p.id for p in result.points if p.element == section and p.covered}


def _demo_with(section: str, text: str | None):
    from vlrkit.demo import build_demo

    demo = build_demo()
    kept = tuple(n for n in demo.narratives if n.section != section)
    if text is None:
        return replace(demo, narratives=kept)
    return replace(demo, narratives=(*kept, *(Narrative(section, lang, text) for lang in ("en", "zh-Hans"))))


def test_the_demo_emptied_headings_only_and_prompt_pasted_each_drop_the_sections_points():
    """The issue's test: GE-5c (integration into local plans) of the demo emptied, then made of
    its prompts' titles as headings, then of the prompts pasted: each drops exactly the points
    the section's text covered, and nothing else moves."""
    from vlrkit.demo import build_demo
    from vlrkit.guide import guide

    full = check(build_demo())
    section = "GE-5c"
    by_text = {p.id for p in full.points if p.element == section and p.by == "narrative"}
    assert len(by_text) >= 5
    el = guide().element(section)
    headings = "\n\n".join(f"## {p.title('en')}\n\n### {p.title('zh-Hans')}" for p in el.points if p.counted)
    pasted = "\n\n".join(f"- {p.prompt('en')}\n- {p.prompt('zh-Hans')}" for p in el.points if p.counted)
    for variant in (None, headings, pasted):
        result = check(_demo_with(section, variant))
        assert _section_points(result, section) == _section_points(full, section) - by_text, variant
        assert full.covered - result.covered == len(by_text), variant
        others = {p.id: p.by for p in result.points if p.element != section}
        assert others == {p.id: p.by for p in full.points if p.element != section}


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
    assert (result.covered, result.total) == (137, 137)  # README: the demo, measured honestly
    assert sum(p.by == "narrative" for p in result.points) >= 110  # by its own text, quoted
    bare = check(replace(build_demo(), narratives=()))
    assert 0 < bare.covered < result.covered
    assert {p.by for p in bare.points if p.covered} == {"data"}
    assert "GE-5d.2" in {m.id for m in bare.missing}
    data = result.to_dict()
    assert set(data) == {"covered", "total", "share", "declared_not_covered", "points", "missing"}
    assert len(data["points"]) == 137 and data["points"][0]["evidence"]
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
