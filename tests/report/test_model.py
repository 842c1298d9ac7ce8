"""The report model: sections in guiding-element order, all 17 goals, figures with provenance."""

from __future__ import annotations

import json

from vlrkit.report import build_report
from vlrkit.report.build import CHAPTERS
from vlrkit.report.progress import GoalProgress, IndicatorProgress, Progress


def test_sections_follow_the_guiding_elements(sample):
    r = build_report(sample, "en")
    assert [s.id for s in r.sections] == [c for c, _ in CHAPTERS]
    assert [s.id for s in r.section("GE-5").subsections] == ["GE-5a", "GE-5b", "GE-5c", "GE-5d", "GE-5e", "GE-5f"]
    assert [s.id for s in r.section("GE-8").subsections] == ["GE-10"]
    zh = build_report(sample, "zh-Hans")
    assert zh.section("GE-5d").title == "不让任何一个人掉队"
    assert zh.section("GE-6").guidance[0].startswith("是否分析了全部 17 个目标")


def test_every_goal_is_reported_even_without_data(sample):
    r = build_report(sample, "en")
    assert [g.number for g in r.goals] == list(range(1, 18))
    assert len(r.dashboard.rows) == 17
    g17 = r.goals[16]
    assert (g17.with_data, g17.total, g17.status) == (0, 1, "grey")
    assert any("ODA received" in gap for gap in g17.gaps)  # the indicator without data is named
    assert any("17.19" in gap for gap in g17.gaps)  # so are SDG targets without a local indicator
    g2 = r.goals[1]
    assert g2.total == 0 and g2.status_label == "Insufficient data"


def test_figures_come_from_the_observations_with_provenance(sample):
    r = build_report(sample, "en")
    pov = next(i for i in r.indicators() if i.code == "LJ-1-1")
    assert (pov.baseline.year, pov.baseline.value) == (2015, 12.0)
    assert (pov.latest.year, pov.latest.value) == (2024, 7.9)
    assert pov.latest.provenance.observations[0].file == "data.csv"
    assert pov.latest.provenance.observations[0].row == 28
    assert (pov.target.value, pov.target.year, pov.target_kind) == (5.0, 2030, "local")
    assert len(pov.series) == 10  # the headline only, not the sex breakdown
    assert pov.dimensions == ("Sex",)
    assert "Age group" in pov.disaggregation_gaps and "Sex" not in pov.disaggregation_gaps
    assert "data.csv#28" in pov.provenance
    water = next(i for i in r.indicators() if i.code == "LJ-6-1")
    assert water.baseline.year == 2016  # no value in 2015: the first one after it
    pm = next(i for i in r.indicators() if i.code == "LJ-11-1")
    assert pm.target_kind == "national"


def test_the_assessment_fills_status_colour_trend_and_rule(sample):
    progress = Progress(
        indicators={"LJ-1-1": IndicatorProgress("LJ-1-1", "on_track", "green", "on_track", 81.5,
                                                "sdsn", "score 81.5 ≥ green", {"best": 0.0})},
        goals={1: GoalProgress(1, 81.5, "green", "on_track", "sdsn", "two worst")},
    )
    r = build_report(sample, "zh-Hans", progress)
    g1 = r.goals[0]
    assert (g1.status, g1.arrow, g1.score) == ("green", "↑", 81.5)
    assert r.dashboard.rows[0][1] == "已实现或进展良好"
    pov = g1.indicators[0]
    assert pov.latest.provenance.method == "sdsn"
    assert ("best", 0.0) in pov.latest.provenance.bounds
    assert "sdsn" in pov.provenance


def test_generated_blocks(sample):
    r = build_report(sample, "en")
    methodology = {b.id: b for b in r.section("GE-4").blocks if b.kind == "table"}
    assert dict(methodology["people-by-group"].rows) == {"Youth": "35", "Women": "20"}
    assert ("Youth", "1") in methodology["stakeholders-by-kind"].rows
    lnob = next(b for b in r.section("GE-5d").blocks if b.kind == "table")
    assert lnob.rows[0][0] == "Poverty rate" and "Female 9.4" in lnob.rows[0][3]
    annex = next(b for b in r.section("GE-9a").blocks if b.kind == "table")
    assert len(annex.rows) == 5
    row = next(r_ for r_ in annex.rows if r_[0].startswith("LJ-1-1"))
    assert row[3] == "2015–2024" and "1.2.1 (adapted)" in row[7]
    contributions = r.section("GE-9b").blocks[0]
    texts = [row[2] for row in contributions.rows]
    assert "More bike lanes, please." in texts
    assert "Rejected input." not in texts  # only accepted contributions reach the annex
    assert contributions.rows[1][0].startswith("Anonymous")  # no consent to be named
    actions = next(b for b in r.section("GE-8").blocks if b.kind == "table")
    assert actions.rows[0][:2] == ("Extend the metro", "Transport Bureau")
    ups = r.section("GE-2").blocks
    assert any(b.kind == "bullets" and any("Poverty rate" in x for x in b.items) for b in ups)


def test_the_model_is_json(sample):
    r = build_report(sample, "en")
    data = json.loads(json.dumps(r.to_dict()))
    assert data["goals"][0]["indicators"][0]["code"] == "LJ-1-1"
    assert data["completeness"][1] == 137


def test_the_demo_assessment_reaches_the_report(demo):
    from vlrkit.assess import assess_review

    a = assess_review(demo)
    r = build_report(demo, "en", a)
    g = r.goals[0]
    assert g.status == a.goal(1).colour and g.score == a.goal(1).score
    code = a.indicators[0].code
    view = next(i for i in r.indicators() if i.code == code)
    assert view.colour == a.indicators[0].colour and view.score == a.indicators[0].score
    assert a.indicators[0].rule in view.latest.provenance.rule  # the SDSN explanation travels along
    lnob = next(b for b in r.section("GE-5d").blocks if b.kind == "table")
    assert lnob.header[3] == "Gap" and len(lnob.rows) == a.lnob.gaps.height


def test_group_codes_are_named(sample):
    """Group names come from Review.code_title: the review's own labels, else tidy's names."""
    from dataclasses import replace

    import polars as pl

    from vlrkit import tidy
    from vlrkit.report.blocks import geo_names as _geo_names
    from vlrkit.report.blocks import group_label as _group
    from vlrkit.review import CodeLabel

    review = replace(sample, code_labels=(CodeLabel("GEO", "D3", {"en": "East", "zh-Hans": "东区"}),
                                          CodeLabel("SEX", "F", {"en": "Women", "zh-Hans": "妇女"})))
    for lang in ("en", "zh-Hans"):
        assert _group(sample, "AGE", "Y15T24", lang) == tidy.code_title("AGE", "Y15T24", lang)
    assert _group(sample, "AGE", "Y15T24", "en") == "15–24"
    assert _group(sample, "AGE", "Y_GE60", "zh-Hans") == "60岁及以上"
    assert _group(sample, "SEX", "F", "zh-Hans") == "女性"
    assert _group(review, "SEX", "F", "zh-Hans") == "妇女"  # the review's own label wins
    assert _group(sample, "SEX", None, "en") == "—"

    obs = tidy.conform(pl.DataFrame({"indicator": ["X", "X"], "GEO": ["D1", "D2"], "value": [1.0, 2.0],
                                     "labels": ['{"District": "North"}', "{}"]}))
    geo = _geo_names(obs)
    assert geo == {"D1": "North"}
    assert _group(sample, "GEO", "D1", "en", geo) == "North (D1)"
    assert _group(sample, "GEO", "D2", "en", geo) == "D2"
    assert _group(review, "GEO", "D3", "zh-Hans", geo) == "东区 (D3)"


def test_indicator_pages_get_distinct_names(sample):
    from dataclasses import replace

    from vlrkit.review import LocalIndicator

    extra = LocalIndicator("LJ.1.1", {"en": "Look-alike code"}, 1)
    r = build_report(replace(sample, indicators=(*sample.indicators, extra)), "en")
    slugs = [i.slug for i in r.indicators()]
    assert len(slugs) == len(set(slugs)) and "lj-1-1-2" in slugs


def test_a_narrative_written_in_one_language_shows_in_the_other_with_a_note(sample):
    from dataclasses import replace

    from vlrkit.review import Narrative

    only_en = replace(sample, narratives=(Narrative("GE-7", "en", "We need **green finance**."),))
    zh = build_report(only_en, "zh-Hans").section("GE-7").narrative_html
    assert zh.startswith('<p class="note">尚未翻译，以下为英文原文。</p>')
    assert "<strong>green finance</strong>" in zh
    assert build_report(only_en, "en").section("GE-7").narrative_html.startswith("<p>We need")


def test_numbers_are_formatted_for_readers():
    from vlrkit.report.i18n import fmt

    assert [fmt(1234.5), fmt(12.34), fmt(0.123), fmt(None)] == ["1,234", "12.3", "0.12", "—"]
    assert fmt(-0.001) == "0.00" and fmt(-0.006, 2) == "-0.01" and fmt(7.0, 0) == "7"
