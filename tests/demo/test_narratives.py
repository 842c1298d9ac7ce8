"""The demo's narratives: every section in zh-Hans and en, of report length, covering the checklist."""

from __future__ import annotations

import re

import polars as pl
import pytest

from vlrkit.demo import NARRATIVE_LANGUAGES
from vlrkit.review import SECTIONS

EN_WORDS = (80, 250)
ZH_CHARS = (150, 400)
_MARKUP = re.compile(r"[\s*_#>`-]")


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_has_text_in_both_languages(demo, section):
    for lang in NARRATIVE_LANGUAGES:
        assert demo.narrative(section, lang), (section, lang)


@pytest.fixture(scope="module")
def figures(demo):
    """What the narratives' figure references resolve against: the demo's report model."""
    from vlrkit.assess.review import assess_review
    from vlrkit.report.build import build_report

    return build_report(demo, "en", assess_review(demo))


def test_every_figure_reference_resolves(demo, figures):
    from vlrkit.report import refs

    used = 0
    for n in demo.narratives:
        resolved = refs.resolve(n.text, figures, n.lang)
        assert not resolved.problems, (n.section, n.lang, resolved.problems)
        used += n.text.count("{{")
    assert used >= 8  # the demo shows the feature: figures by reference, not by copy


@pytest.mark.parametrize("section", SECTIONS)
def test_lengths(demo, figures, section):
    from vlrkit.report import refs

    read = refs.resolve_narratives(demo, figures)  # the length a reader sees
    words = len(read.narrative(section, "en").split())
    chars = len(_MARKUP.sub("", read.narrative(section, "zh-Hans")))
    assert EN_WORDS[0] <= words <= EN_WORDS[1], words
    assert ZH_CHARS[0] <= chars <= ZH_CHARS[1], chars


def test_languages_are_not_mixed_up(demo):
    han = re.compile(r"[\u4e00-\u9fff]")
    for n in demo.narratives:
        share = len(han.findall(n.text)) / len(n.text)
        if n.lang == "zh-Hans":
            assert share > 0.5, n.section
        else:
            assert share == 0, n.section


def test_narratives_name_the_city_and_its_figures(demo):
    text_en = " ".join(demo.narrative(s, "en") for s in SECTIONS)
    text_zh = " ".join(demo.narrative(s, "zh-Hans") for s in SECTIONS)
    assert "Lanjiang" in text_en and "澜江" in text_zh
    n = len(demo.indicators)
    assert f"{n} local indicators" in text_en and f"{n}项" in text_zh


def test_completeness_check_finds_every_point(demo):
    from vlrkit.guide import check

    result = check(demo)
    assert result.missing == (), [m.id for m in result.missing]
    narrative_points = [p for p in result.points if p.by == "narrative"]
    assert len(narrative_points) >= 100  # the text, not only the data, covers the checklist


def test_figures_in_the_text_match_the_data(demo, headline):
    """Numbers the narratives quote are recomputed from the review itself."""
    en = {s: demo.narrative(s, "en") for s in SECTIONS}
    zh = {s: demo.narrative(s, "zh-Hans") for s in SECTIONS}
    women = sum(e.groups_reached.get("women", 0) for e in demo.engagements)
    assert f"women ({women:,} reached)" in en["GE-5b"] and f"妇女（覆盖{women}人次）" in zh["GE-5b"]
    people = sum(e.participants for e in demo.engagements)
    assert f"More than {people // 100 * 100:,} people" in en["GE-2"]
    disaggregated = sum(1 for i in demo.indicators if i.dimensions)
    assert f"for {disaggregated} indicators" in en["GE-9a"] and f"共{disaggregated}项指标" in zh["GE-9a"]
    with_2015 = headline.filter(pl.col("year") == 2015)["indicator"].n_unique()
    assert f"for {with_2015} indicators" in en["GE-6"] and f"{with_2015}项指标有2015年基线" in zh["GE-6"]
    assert "2028" in en["GE-8"] and str(demo.edition.next_review) == "2028"
