"""The SDSN optimum rule of indicator metadata: what is refused, with slug, place and both languages."""

from __future__ import annotations

import pytest

from vlrkit.assess.review import optimum_rule
from vlrkit.review import LocalIndicator
from vlrkit.validation import CATALOGUE
from vlrkit.validation import optimum as vopt


def test_the_type_is_in_the_catalogue_as_an_error():
    cls = CATALOGUE["bad-optimum"]
    assert cls.severity == "error"
    assert set(cls.template) == {"en", "zh-Hans"}


@pytest.mark.parametrize(("text", "unit"), [
    ("target", "Number"), ("LNOB ", "Percentage"), ("lnob", ""), ("science", "t"), ("top5", "Persons"),
    ("0.5", "Percentage"), ("100", "%"), ("37.5", "per 1,000 live births"), ("-4", "index"), ("", "Number"),
])
def test_usable_rules_pass_and_the_library_reads_them(text, unit):
    assert vopt.check(text, unit=unit, file="m.yml") == []
    if text:  # what passes here the assessment understands
        assert optimum_rule(LocalIndicator("X", {"en": "x"}, 1, unit, extra={"optimum": text}))[0] is not None


@pytest.mark.parametrize(("text", "unit", "en", "zh"), [
    ("best", "Percentage", "'best' is not a rule nor a number", "既不是规则也不是数字"),
    ("lnob", "Crude deaths per 100,000", "needs a percentage indicator", "只适用于百分比指标"),
    ("lnob", "Annual change (%)", "needs a percentage indicator", "只适用于百分比指标"),
    ("150", "Percentage", "outside the plausible range 0 … 100", "合理范围 0 … 100"),
    ("1200", "rate per 1,000", "outside the plausible range 0 … 1000", "合理范围 0 … 1000"),
    ("-1", "Persons", "outside the plausible range 0 … ∞", "合理范围 0 … ∞"),
    ("inf", "", "not finite", "不是有限值"),
])
def test_unusable_rules_are_named_with_place_and_allowed_values(text, unit, en, zh):
    [p] = vopt.check(text, unit=unit, file="meta/3-2-1.csv", row=12)
    assert (p.type, p.severity, p.file, p.row, p.column) == ("bad-optimum", "error", "meta/3-2-1.csv", 12, "optimum")
    assert en in p.message["en"] and "target, lnob, science, top5 or a number" in p.message["en"]
    assert zh in p.message["zh-Hans"] and "target、lnob、science、top5 或数字" in p.message["zh-Hans"]
    assert "optimum" in p.message["en"] and "optimum" in p.message["zh-Hans"]


def test_plausible_ranges_follow_the_unit():
    assert vopt.plausible_range("Percentage") == (0.0, 100.0)
    assert vopt.plausible_range("Percentage point change") is None
    assert vopt.plausible_range("per 100,000 population") == (0.0, 100_000.0)
    assert vopt.plausible_range("US dollars") is None
