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


# --- against the indicator's record: direction, local target, the thresholds' optimum ---------


@pytest.mark.parametrize(("text", "direction", "target", "best"), [
    ("target", "higher", 90.0, None),  # the target is the optimum
    ("target", "lower", 2.5, 2.5),  # thresholds agreeing with it
    ("science", "higher", None, 85.0),  # the value is the thresholds' optimum
    ("85", "higher", None, None),  # a number written in place is the value
    ("85", "lower", 40.0, 85.0),  # ... equal to the thresholds' optimum
    ("lnob", "higher", None, None), ("lnob", "lower", None, None),
    ("lnob", "higher", None, 100.0), ("lnob", "lower", None, 0.0),
    ("top5", "higher", 50.0, None), ("top5", "lower", None, None),
    ("", "higher", None, 3.0),  # no rule: nothing to contradict
    ("nonsense", "higher", None, 3.0),  # the word alone is verdict's business, not judged twice
])
def test_rules_that_agree_with_the_record_pass(text, direction, target, best):
    assert vopt.against_record(text, direction=direction, target=target, best=best) is None
    assert vopt.check_record(text, direction=direction, target=target, best=best, file="f") == []


@pytest.mark.parametrize(("text", "direction", "target", "best", "en", "zh"), [
    ("target", "higher", None, None, "'target' needs a local target", "需要本地目标值"),
    ("target", "lower", None, 3.0, "'target' needs a local target", "需要本地目标值"),
    ("Target", "higher", 90.0, 95.0, "local target 90, but the thresholds give 95", "本地目标值 90，但阈值给出的最优值是 95"),
    ("science", "higher", None, None, "'science' needs the science-based value", "需要科学依据值"),
    ("science", "lower", 12.0, None, "'science' needs the science-based value", "需要科学依据值"),
    ("85", "higher", None, 90.0, "science-based optimum 85 differs from the optimum 90", "85 与阈值给出的最优值 90 不同"),
    ("lnob", "higher", None, 95.0, "sets the optimum to 100 (universal access, higher is better), but the thresholds give 95",
     "最优值设为 100（普遍享有，越高越好），但阈值给出的最优值是 95"),
    ("lnob", "lower", None, 100.0, "sets the optimum to 0 (zero deprivation, lower is better), but the thresholds give 100",
     "最优值设为 0（零剥夺，越低越好），但阈值给出的最优值是 100"),
    ("top5", "higher", None, 80.0, "'top5' derives the optimum from the peers, but the thresholds give one (80)", "阈值已给出最优值（80）"),
    ("top5", "lower", 3.0, 1.0, "the thresholds give one (1)", "阈值已给出最优值（1）"),
])
def test_rules_that_contradict_the_record_are_named(text, direction, target, best, en, zh):
    why = vopt.against_record(text, direction=direction, target=target, best=best)
    assert why is not None and en in why.en and zh in why.zh
    [p] = vopt.check_record(text, direction=direction, target=target, best=best,
                            file="data/indicators.csv", row=7, column="extra.optimum")
    assert (p.type, p.severity, p.file, p.row, p.column) == ("bad-optimum", "error", "data/indicators.csv", 7, "extra.optimum")
    assert en in p.message["en"] and zh in p.message["zh-Hans"] and f"'{text}'" in p.message["en"]


def test_without_a_source_of_thresholds_only_what_is_known_is_judged():
    # Open SDG metadata carries no thresholds: 'science' may get its value from the review
    assert vopt.against_record("science", thresholds_known=False) is None
    assert vopt.against_record("science", thresholds_known=True) is not None
    # ... but the target lines it does carry
    assert "needs a local target" in vopt.against_record("target", thresholds_known=False).en


def test_the_assessed_target_is_the_latest_local_one():
    from vlrkit.review import Target

    targets = [Target("A", "local", 90.0, 2030), Target("A", "local", 80.0, 2025),
               Target("A", "national", 70.0, 2035), Target("B", "national", 5.0, 2030)]
    assert vopt.assessed_targets(targets) == {"A": 90.0}
