"""The SDSN optimum rule edited on the indicator form: stored where the assessment reads it,
checked like an import, and shown on the indicator page with the bounds the assessment used."""

from __future__ import annotations

import pytest
from django.utils import translation
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, OTHER_INDICATOR, post_form

from vlrkit.assess import assess_review
from vlrkit.web import roles as r

EDIT = f"/review/{ENTITY}/{DRAFT}/indicators/{INDICATOR}/edit/"
PAGE = f"/review/{ENTITY}/{DRAFT}/indicator/{INDICATOR}/"


def _library(code: str = INDICATOR):
    from vlrkit.store.queries import load_review

    return assess_review(load_review(DRAFT)).indicator(code)


def _extra(code: str = INDICATOR) -> dict:
    from vlrkit.store.models import LocalIndicator

    return LocalIndicator.objects.get(edition__code=DRAFT, code=code).extra


def _unit(code: str = INDICATOR) -> str:
    from vlrkit.store.models import LocalIndicator

    return LocalIndicator.objects.get(edition__code=DRAFT, code=code).unit


@pytest.fixture
def coordinator(review, as_role):
    return as_role(r.COORDINATOR)


def test_the_form_offers_the_rule_with_help_in_the_ui_language(coordinator):
    html = coordinator.get(EDIT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="rule"' in html and 'value="lnob"' in html and "Optimum (SDSN)" in html
    assert "universal access" in html and "top 5" in html
    with translation.override("zh-hans"):
        zh = coordinator.get(EDIT, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "最优值（SDSN）" in zh and "不让任何人掉队" in zh


def test_a_web_edit_changes_the_assessment_s_bounds(coordinator):
    before = _library()
    assert before.optimum == "none" and before.bounds["best"] is None  # one city, no target: no optimum
    resp = post_form(coordinator, EDIT, {"part": "optimum", "rule": "lnob", "value": ""})
    assert resp.status_code == 302
    assert _extra()["optimum"] == "lnob"
    after = _library()
    assert after.optimum == "lnob" and after.bounds["best"] == 100.0
    page = coordinator.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Optimum (SDSN) 100 (leave no one behind: universal access)" in page
    # a science-based number replaces it; the page follows the library
    post_form(coordinator, EDIT, {"part": "optimum", "rule": "science", "value": "85"})
    assert _extra()["optimum"] == "85"
    lib = _library()
    assert (lib.optimum, lib.bounds["best"]) == ("science", 85.0)
    page = coordinator.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Optimum (SDSN) 85 (a science-based target)" in page
    # no rule: back to automatic, the key removed from the metadata
    post_form(coordinator, EDIT, {"part": "optimum", "rule": "", "value": ""})
    assert "optimum" not in _extra() and _library().optimum == "none"


def test_with_thresholds_the_score_follows_the_optimum_the_rule_agrees_with(coordinator):
    post_form(coordinator, EDIT, {"part": "thresholds", "optimum": "100", "lower_bound": "40", "green": "80", "red": "60"})
    assert post_form(coordinator, EDIT, {"part": "optimum", "rule": "lnob", "value": ""}).status_code == 302
    lib = _library()
    assert lib.optimum == "lnob" and lib.bounds == {"best": 100.0, "worst": 40.0, "green": 80.0, "red": 60.0}
    assert lib.score == pytest.approx(100 * (70 - 40) / (100 - 40))  # latest headline value 70 (2021)
    page = coordinator.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ("Optimum (SDSN) 100 (leave no one behind: universal access) · Lower bound 40 · "
            "Green threshold 80 · Red threshold 60") in page


def test_a_target_rule_takes_the_local_target(coordinator):
    resp = post_form(coordinator, EDIT, {"part": "optimum", "rule": "target", "value": ""})
    assert resp.status_code == 200 and "needs a local target" in resp.content.decode()
    post_form(coordinator, EDIT, {"part": "target", "kind": "local", "value": "90", "year": "2030", "baseline_year": ""})
    post_form(coordinator, EDIT, {"part": "optimum", "rule": "target", "value": ""})
    lib = _library()
    assert (lib.optimum, lib.bounds["best"]) == ("target", 90.0)


@pytest.mark.parametrize(("post", "message"), [
    ({"rule": "science", "value": "140"}, "outside the plausible range 0 … 100"),
    ({"rule": "science", "value": ""}, "needs the science-based value"),
    ({"rule": "lnob", "value": "5"}, "only with the rule"),
    ({"rule": "best", "value": ""}, "Select a valid choice"),
])
def test_bad_rules_are_refused_and_nothing_is_stored(coordinator, post, message):
    resp = post_form(coordinator, EDIT, {"part": "optimum", **post}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200 and message in resp.content.decode()
    assert "optimum" not in _extra()


def test_lnob_must_agree_with_the_thresholds_and_needs_a_percentage(coordinator):
    from vlrkit.store.models import LocalIndicator

    post_form(coordinator, EDIT, {"part": "thresholds", "optimum": "95", "lower_bound": "0", "green": "80", "red": "50"})
    resp = post_form(coordinator, EDIT, {"part": "optimum", "rule": "lnob", "value": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert "the thresholds give 95" in resp.content.decode() and "optimum" not in _extra()
    LocalIndicator.objects.filter(edition__code=DRAFT, code=INDICATOR).update(unit="Persons")
    resp = post_form(coordinator, EDIT, {"part": "optimum", "rule": "lnob", "value": ""}, HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert "只适用于百分比指标" in resp.content.decode()


def test_a_data_provider_sets_the_rule_only_on_their_goal(review, as_role):
    provider = as_role(r.DATA_PROVIDER)  # assigned goal 11 only
    assert post_form(provider, EDIT, {"part": "optimum", "rule": "lnob", "value": ""}).status_code == 302
    other = f"/review/{ENTITY}/{DRAFT}/indicators/{OTHER_INDICATOR}/edit/"
    assert post_form(provider, other, {"part": "optimum", "rule": "lnob", "value": ""}).status_code == 403
    assert "optimum" not in _extra(OTHER_INDICATOR)


def test_a_unit_change_must_still_suit_the_rule(coordinator):
    assert post_form(coordinator, EDIT, {"part": "optimum", "rule": "lnob", "value": ""}).status_code == 302
    meta = {"part": "meta", "code": INDICATOR, "name_zh": "公交便利人口比例", "name_en": "Share near transport",
            "goal": "11", "direction": "higher", "source": "", "custodian": "", "coverage": ""}
    resp = post_form(coordinator, EDIT, {**meta, "unit": "Persons"}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200 and "needs a percentage indicator" in resp.content.decode()
    assert _unit() == "%"
    assert post_form(coordinator, EDIT, {**meta, "unit": "Percent of residents"}).status_code == 302
    # the indicator's unit changed; the assessment's figures keep their series' own unit
    assert _unit() == "Percent of residents" and _library().optimum == "lnob" and _library().unit == "%"


THRESHOLDS_90 = {"part": "thresholds", "optimum": "90", "lower_bound": "40", "green": "80", "red": "60"}


@pytest.mark.parametrize(("post", "field", "en", "zh"), [
    ({"rule": "top5", "value": ""}, "rule", "the thresholds give one (90)", "阈值已给出最优值（90）"),
    ({"rule": "science", "value": "85"}, "value", "science-based optimum 85 differs from the optimum 90", "两者必须一致"),
    ({"rule": "target", "value": ""}, "rule", "'target' needs a local target", "需要本地目标值"),
])
def test_the_form_judges_the_rule_against_the_record_like_an_import(coordinator, post, field, en, zh):
    from vlrkit.validation import optimum as vopt

    post_form(coordinator, EDIT, THRESHOLDS_90)
    resp = post_form(coordinator, EDIT, {"part": "optimum", **post}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200 and "optimum" not in _extra()
    errors = resp.context["forms"]["optimum"].errors
    assert en in " ".join(errors[field])  # on the field the user changes
    stored = post["value"] or post["rule"]
    assert errors[field] == [vopt.against_record(stored, target=None, best=90.0).en]  # the one function
    with translation.override("zh-hans"):
        resp = post_form(coordinator, EDIT, {"part": "optimum", **post}, HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert zh in " ".join(resp.context["forms"]["optimum"].errors[field])


def test_the_target_rule_is_compared_with_the_latest_local_target(coordinator):
    post_form(coordinator, EDIT, {"part": "target", "kind": "local", "value": "80", "year": "2025", "baseline_year": ""})
    post_form(coordinator, EDIT, {"part": "target", "kind": "local", "value": "90", "year": "2030", "baseline_year": ""})
    post_form(coordinator, EDIT, THRESHOLDS_90)
    assert post_form(coordinator, EDIT, {"part": "optimum", "rule": "target", "value": ""}).status_code == 302
    lib = _library()
    assert (lib.optimum, lib.bounds["best"]) == ("target", 90.0)  # what the form compared with


def test_a_direction_change_must_still_suit_the_rule(coordinator):
    meta = {"part": "meta", "code": INDICATOR, "name_zh": "公交便利人口比例", "name_en": "Share near transport",
            "goal": "11", "unit": "%", "source": "", "custodian": "", "coverage": ""}
    assert post_form(coordinator, EDIT, {"part": "optimum", "rule": "lnob", "value": ""}).status_code == 302
    # no thresholds: lnob follows the direction (0 % when lower is better)
    assert post_form(coordinator, EDIT, {**meta, "direction": "lower"}).status_code == 302
    assert _library().bounds["best"] == 0.0
    post_form(coordinator, EDIT, {**meta, "direction": "higher"})
    post_form(coordinator, EDIT, {**THRESHOLDS_90, "optimum": "100"})
    resp = post_form(coordinator, EDIT, {**meta, "direction": "lower"}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200
    assert "sets the optimum to 0 (zero deprivation, lower is better), but the thresholds give 100" in " ".join(
        resp.context["forms"]["meta"].errors["direction"])
    assert _library().direction == "higher"
