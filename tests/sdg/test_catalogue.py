"""The SDG catalogue: every id in every language, repeats modelled once, withdrawn ids marked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from vlrkit import sdg
from vlrkit.sdg.build import DATA_FILE, build, dump

SOURCE = Path(__file__).parents[1] / "data" / "sdg-translations"


def test_shipped_catalogue_is_a_fresh_build_of_the_source():
    assert DATA_FILE.read_text(encoding="utf-8") == dump(build(SOURCE))


def test_counts_match_the_un_framework():
    stats = sdg.stats()
    assert stats["languages"] == ["ar", "en", "es", "fr", "ru", "zh-Hans"]
    assert (stats["goals"], stats["targets"]) == (17, 169)
    assert stats["indicators"] == 231  # unique current indicators
    assert stats["indicator_target_links"] == 247  # entries listed in the framework
    assert stats["repeated_indicators"] == 12
    assert stats["withdrawn"] == 5
    assert stats["missing_titles"] == 0


@pytest.mark.parametrize("lang", sdg.LANGUAGES)
def test_every_id_resolves_in_every_language(lang):
    for g in sdg.goals():
        assert sdg.goal(g.number).title(lang).strip()
        assert g.short_title(lang).strip()
    for t in sdg.targets():
        assert sdg.target(t.code).title(lang).strip()
    for ind in sdg.indicators(withdrawn=True):
        for alias in ind.ids:
            assert sdg.indicator(alias).title(lang) == ind.title(lang) != ""


def test_a_repeated_indicator_is_one_object_with_all_its_targets():
    ind = sdg.indicator("13.1.1")
    assert ind is sdg.indicator("11.5.1") is sdg.indicator("1.5.1")
    assert ind.ids == ("1.5.1", "11.5.1", "13.1.1")
    assert ind.targets == ("1.5", "11.5", "13.1")
    assert ind.goals == (1, 11, 13)
    assert ind in sdg.goal(13).indicators() and ind in sdg.target("11.5").indicators()


def test_withdrawn_ids_are_marked_and_left_out_by_default():
    for code in ("1.a.3", "8.9.2", "11.c.1", "13.3.2", "17.6.2"):
        ind = sdg.indicator(code)
        assert ind.is_withdrawn and "2020" in ind.withdrawn
        assert ind not in sdg.indicators()
    assert not sdg.indicator("17.6.1").is_withdrawn


def test_only_target_11c_lost_its_indicator_in_2020_and_goal_counts_add_up():
    without = [t.code for t in sdg.targets() if not t.indicators()]
    assert without == ["11.c"]  # 11.c.1 was deleted and not replaced
    assert sdg.stats()["targets_without_indicator"] == ["11.c"]
    assert sum(len(g.targets()) for g in sdg.goals()) == 169


@pytest.mark.parametrize("spelling", ["11.2.1", "11-2-1", "indicator_11-2-1", " 11.2.1 "])
def test_id_spellings(spelling):
    assert sdg.indicator(spelling).code == "11.2.1"


@pytest.mark.parametrize("bad", ["99.1", "1.1.99", "x", "", "18"])
def test_unknown_ids_raise_a_clear_error(bad):
    with pytest.raises(sdg.UnknownSdgId, match="not an SDG"):
        sdg.lookup(bad)


def test_language_aliases():
    assert sdg.normalise_lang("zh") == sdg.normalise_lang("ZH-hans") == "zh-Hans"
    with pytest.raises(sdg.UnknownLanguage, match="choose one of"):
        sdg.normalise_lang("de")
    assert sdg.goal(1).title("zh") == sdg.goal(1).title("zh-Hans")


def test_palette_and_contrast():
    assert sdg.goal(1).colour == "#E5243B" and sdg.goal(17).colour == "#19486A"
    assert len(set(sdg.GOAL_COLOURS.values())) == 17
    assert sdg.text_colour("#FCC30B") == "#000000"  # dark text on SDG 7 yellow
    assert sdg.text_colour("#19486A") == "#FFFFFF"


@pytest.mark.parametrize("lang", sdg.LANGUAGES)
def test_icons_are_valid_offline_svg(lang):
    for g in sdg.goals():
        svg = sdg.icon_svg(g.number, lang)
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg") and "http" not in svg.replace(
            'xmlns="http://www.w3.org/2000/svg"', "")
        assert g.colour in svg and g.title(lang).split()[0][:3] in svg


def test_shorten_keeps_words_whole():
    text = sdg.target("11.2").title("en")
    short = sdg.shorten(text, 40)
    assert len(short) <= 40 and short.endswith("…") and text.startswith(short[:-1])
