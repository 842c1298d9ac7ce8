"""The demo's narratives: every section in zh-Hans and en, of report length, covering the checklist."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize("section", SECTIONS)
def test_lengths(demo, section):
    words = len(demo.narrative(section, "en").split())
    chars = len(_MARKUP.sub("", demo.narrative(section, "zh-Hans")))
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
