"""The guiding elements as data: every id of the seed, strength markers, prompts in zh and en."""

from __future__ import annotations

import re

from vlrkit.guide import guide
from vlrkit.guide.completeness import DATA_RULES
from vlrkit.review import SECTIONS

STRENGTHS = {"may", "encouraged", "strongly_encouraged", "ideally", "should", "should_not",
             "essential", "context"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_all_checklist_points_of_the_seed_are_there_once():
    ids = [p.id for p in guide().points()]
    assert len(ids) == len(set(ids)) == 143
    assert {"GE-1.1", "GE-5d.2", "GE-6.1", "GE-9a.6", "GE-9b.1", "GE-10.F8"} <= set(ids)
    assert sum(not p.counted for p in guide().points()) == 6  # the [context] points


def test_strength_markers_match_the_seed():
    g = guide()
    assert {p.strength for p in g.points()} <= STRENGTHS
    assert g.point("GE-6.1").strength == "strongly_encouraged"  # used once in the seed
    assert g.point("GE-9a.6").strength == "ideally"
    assert g.point("GE-10.5").strength == "essential"
    assert g.point("GE-9a.2").strength == "should_not"
    assert [p.id for p in g.points() if p.strength == "strongly_encouraged"] == ["GE-6.1"]
    assert g.strength_label("encouraged", "zh-Hans") == "鼓励"


def test_every_point_has_prompts_in_both_languages_and_a_way_to_be_covered():
    for p in guide().points():
        assert p.prompt("en") and not CJK.search(p.prompt("en")), p.id
        assert CJK.search(p.prompt("zh-Hans")), p.id
        if p.counted:
            assert any(CJK.search(k) for k in p.keywords), p.id
            assert any(not CJK.search(k) for k in p.keywords), p.id
        if p.data:
            assert p.data in DATA_RULES, p.id


def test_elements_match_the_narrative_sections():
    ids = [e.id for e in guide().elements]
    assert set(ids) == set(SECTIONS)
    assert guide().element("GE-5c").title("zh-Hans") == "融入地方和区域框架"
    assert guide().element("GE-5c").parent == "GE-5"
    assert len(guide().element("GE-4").prompts("en")) == 17


def test_every_point_has_a_short_title_in_both_languages():
    for p in guide().points():
        assert p.title("en") and not CJK.search(p.title("en")), p.id
        assert CJK.search(p.title("zh-Hans")), p.id
        assert len(p.title("en")) < len(p.prompt("en")), p.id
    assert guide().point("GE-6.1").title("zh-Hans") == "全部 17 个目标"
