"""A yellow threshold of its own (SDSN's city editions publish one per indicator): given in the
review, it decides yellow against orange under an edition that uses it, and is said when missing;
it travels through the specification table and the store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from vlrkit.assess.review import assess_review
from vlrkit.demo import build_demo
from vlrkit.formats import spec

#: the demo's LJ-01-03: lower is better, green 0.2, red 0.6, latest value 0.43 — past the midpoint
#: of red and green (0.4), so orange without a yellow threshold of its own
CODE = "LJ-01-03"


def _with_yellow(review, value):
    ths = tuple(replace(t, yellow=value) if t.indicator == CODE else t for t in review.thresholds)
    return replace(review, thresholds=ths)


def _colour(assessment):
    ind = assessment.sdsn.indicators
    return ind.filter(ind["indicator"] == CODE)["colour"][0]


def test_a_given_yellow_threshold_moves_the_orange_yellow_cut():
    review = build_demo()
    assert _colour(assess_review(review, method_edition="us-cities-2019")) == "orange"
    given = assess_review(_with_yellow(review, 0.5), method_edition="us-cities-2019")
    assert _colour(given) == "yellow"
    why = given.sdsn.explain(review.entity.code, CODE)
    assert "yellow threshold 0.5 (given)" in why.rule and why.bounds["yellow"] == 0.5


def test_an_edition_without_its_own_yellow_ignores_it_and_a_missing_one_is_said():
    review = build_demo()
    # the global 2018 edition splits yellow and orange at the midpoint: a given yellow changes nothing
    assert _colour(assess_review(_with_yellow(review, 0.5), method_edition="sdsn-2018")) == "orange"
    missing = assess_review(review, method_edition="us-cities-2019")
    assert "no yellow threshold given: the midpoint of red and green is used" in \
        missing.sdsn.explain(review.entity.code, CODE).rule


def test_the_specification_table_carries_and_checks_the_yellow_threshold():
    review = _with_yellow(build_demo(), 0.5)
    rows = spec.rows_of(review)
    assert next(r for r in rows if r["indicator"] == CODE)["yellow"] == 0.5
    known = {i.code: i for i in review.indicators}
    header = ("indicator", "optimum", "lower_bound", "green", "red", "yellow")
    ok = spec.read_rows(header, [(2, (CODE, "0.05", "2", "0.2", "0.6", "0.45"))], "spec.csv", known)
    assert ok.valid and ok.changes[0].values["yellow"] == 0.45
    outside = spec.read_rows(header, [(2, (CODE, "0.05", "2", "0.2", "0.6", "0.9"))], "spec.csv", known)
    assert [(p.row, p.column) for p in outside.problems] == [(2, "yellow")]
    alone = spec.read_rows(("indicator", "yellow"), [(2, (CODE, "0.45"))], "spec.csv", known)
    assert [(p.row, p.column) for p in alone.problems] == [(2, "yellow")]


@pytest.mark.django_db
def test_the_store_keeps_the_yellow_threshold():
    from vlrkit.store.queries import load_review, save_review

    review = _with_yellow(build_demo(), 0.5)
    save_review(review)
    back = load_review(review.edition.code, review.entity.code, text=False)
    assert {t.indicator: t.yellow for t in back.thresholds}[CODE] == 0.5
