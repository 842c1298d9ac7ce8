"""The publish gate: each kind of blocker, and the statements that lift it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from vlrkit.report import build_report
from vlrkit.report.gates import gate
from vlrkit.review import Narrative

EN = "The city council adopted its climate plan in 2022 and reports on it to residents every year."
ZH = "市人大常委会于2022年通过气候行动计划，并每年向市民报告其执行情况和下一步安排。"


@pytest.fixture(scope="module")
def base(demo):
    return demo


def _with(demo, section: str, **texts: str):
    kept = tuple(n for n in demo.narratives if n.section != section)
    added = tuple(Narrative(section, lang.replace("_", "-"), t) for lang, t in texts.items())
    return replace(demo, narratives=(*kept, *added))


def _blockers(review):
    return {(b.kind, b.section, b.lang, b.detail) for b in gate(review, [build_report(review, lang) for lang in
                                                                          ("zh-Hans", "en")]).blockers}


def test_the_demo_may_be_published(base):
    assert _blockers(base) == set()


@pytest.mark.parametrize(("texts", "expected"), [
    ({}, {("empty", "GE-5e", "zh-Hans", "")}),
    ({"en": "## Institutional mechanisms\n\n### Who leads", "zh_Hans": "## 体制机制"},
     {("no_substance", "GE-5e", "en", "headings"), ("no_substance", "GE-5e", "zh-Hans", "headings")}),
    ({"en": "PROMPTS", "zh_Hans": ZH},
     {("no_substance", "GE-5e", "en", "prompt")}),
    ({"en": "To be written.", "zh_Hans": ZH}, {("no_substance", "GE-5e", "en", "short")}),
    ({"en": EN}, {("untranslated", "GE-5e", "zh-Hans", "missing")}),
    ({"en": EN, "zh_Hans": EN}, {("untranslated", "GE-5e", "zh-Hans", "same")}),
    ({"en": ZH, "zh_Hans": ZH + "另加一句。"}, {("untranslated", "GE-5e", "en", "script")}),
])
def test_each_kind_of_blocker(base, texts, expected):
    from vlrkit.guide import guide

    if texts.get("en") == "PROMPTS":  # the section's writing guidance pasted as its text
        texts = {**texts, "en": "\n".join(f"- {p}" for p in guide().element("GE-5e").prompts("en"))}
    assert _blockers(_with(base, "GE-5e", **texts)) == expected


def test_the_writers_statements_lift_the_blockers_and_show_in_the_report(base):
    declared = _with(base, "GE-5e", en="Not covered, because the city has no SDG body of its own yet.",
                     zh_Hans="未涉及，因为本市尚未设立专门的可持续发展协调机构。")
    assert _blockers(declared) == set()
    left = _with(base, "GE-5e", en=EN, zh_Hans="未翻译，因为该部分由市人大以英文提交，原文照登。")
    assert _blockers(left) == set()
    zh = build_report(left, "zh-Hans").section("GE-5e").narrative_html
    assert "未翻译，因为该部分由市人大以英文提交" in zh and "climate plan" in zh  # the reason, then the original
    no_reason = _with(base, "GE-5e", en=EN, zh_Hans="未翻译，因为。")
    assert ("no_substance", "GE-5e", "zh-Hans", "short") in _blockers(no_reason)


def test_generated_sections_may_go_without_narrative(base):
    none = replace(base, narratives=tuple(n for n in base.narratives if n.section not in ("GE-6", "GE-9a", "GE-9b")))
    assert _blockers(none) == set()


def test_unresolved_references_block_once_per_language_of_their_text(base):
    text = EN + " Today {{ind:NOPE:latest}}."
    review = _with(base, "GE-5e", en=text, zh_Hans=ZH)
    got = gate(review, [build_report(review, lang) for lang in ("zh-Hans", "en")]).blockers
    assert [(b.kind, b.lang, b.line) for b in got] == [("unresolved", "en", 1)]
    assert "NOPE" in got[0].message("en") and "本审查中没有指标" in got[0].message("zh-Hans")
