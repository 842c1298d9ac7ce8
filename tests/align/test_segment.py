"""Segmentation: Chinese sentence and clause boundaries, English sentences, offsets."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit.align.segment import MAX_ZH_CHARS, detect_lang, segment

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_chinese_sentences_split_at_full_stops_and_semicolons():
    text = "加快推进海绵城市建设，新建改造雨水管网120公里。深入实施乡村振兴战略，新建高标准农田5万亩；全面推行垃圾分类，建成厨余垃圾处理厂！"
    parts = [p.text for p in segment(text, "zh-Hans")]
    assert parts == ["加快推进海绵城市建设，新建改造雨水管网120公里。",
                     "深入实施乡村振兴战略，新建高标准农田5万亩；",
                     "全面推行垃圾分类，建成厨余垃圾处理厂！"]


def test_a_long_chinese_sentence_is_cut_at_clause_marks():
    clause = "推进城镇老旧小区改造和城市更新行动，"
    text = clause * 20 + "确保群众满意。"
    parts = segment(text, "zh-Hans")
    assert len(parts) > 1
    assert all(len(p.text) <= MAX_ZH_CHARS for p in parts)
    assert all(p.text.endswith(("，", "。")) for p in parts)
    assert "".join(p.text for p in parts) == text


def test_english_sentences_respect_abbreviations():
    text = ("The council will expand bus rapid transit by 2030. Dr. Smith said, e.g. in the U.S. "
            "plan, fares fall. It will also fund 300 affordable homes for families.")
    parts = [p.text for p in segment(text, "en")]
    assert parts[0] == "The council will expand bus rapid transit by 2030."
    assert parts[1].startswith("Dr. Smith said, e.g. in the U.S. plan")
    assert parts[-1].endswith("homes for families.")


def test_short_fragments_join_the_next_sentence_of_their_paragraph():
    parts = segment("一、总体要求。坚持以人民为中心的发展思想，统筹发展和安全。\n\n第二段内容很长很长很长的说明文字。", "zh-Hans")
    assert parts[0].text.startswith("一、总体要求。坚持")
    assert parts[0].paragraph == 0 and parts[-1].paragraph == 1


def test_offsets_point_back_into_the_source():
    text = "First paragraph has one sentence here.\n\n  Second paragraph starts here. And it goes on a bit longer."
    for p in segment(text):
        assert text[p.start:p.end] == p.text


def test_language_detection():
    assert detect_lang("加快推进海绵城市建设") == "zh-Hans"
    assert detect_lang("The council will fund new homes for the city") == "en"
    assert detect_lang("Assurer l'accès de tous à des services de base et des transports pour la ville") == "fr"
    assert detect_lang("Обеспечить доступ к транспорту") == "ru"
    assert detect_lang("توفير إمكانية وصول الجميع") == "ar"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["加快推进", "海绵城市", "建设", "，", "。", "；", "！", "\n", "\n\n", "2030年", "abc "]),
                max_size=80))
def test_no_chinese_character_is_lost_or_reordered(pieces):
    text = "".join(pieces)
    passages = segment(text, "zh-Hans")
    assert "".join(CJK.findall("".join(p.text for p in passages))) == "".join(CJK.findall(text))
    for p in passages:
        assert text[p.start:p.end] == p.text
