"""The statistical annex names the method edition and every rule it applied, and carries the
sensitivity tables: each indicator and goal under every method edition and progress method."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest

from vlrkit.assess import editions, sensitivity
from vlrkit.report import build_report


@pytest.fixture(scope="module")
def city(demo):
    """The demo review remembering the US Cities 2019 edition."""
    return replace(demo, edition=replace(demo.edition, method_edition="us-cities-2019"))


def _tables(report) -> dict:
    return {b.id: b for b in report.section("GE-9a").blocks if b.kind == "table"}


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_the_annex_names_the_edition_and_every_choice(city, lang):
    from vlrkit.assess import assess_review

    a = assess_review(city)
    assert a.method_edition == "us-cities-2019"
    t = _tables(build_report(city, lang, a))["method-edition"]
    e = editions.get("us-cities-2019")
    assert e.label(lang) in t.caption
    assert [r[0] for r in t.rows] == [c.key for c in e.choices]
    rule = next(r for r in t.rows if r[0] == "goal_colour.rule")
    assert rule[1] == "mean_colour" and rule[2] == ("据报告（基于公布结果测定）" if lang == "zh-Hans" else
                                                    "reported (measured on published results)")


def test_the_sensitivity_tables_are_the_sensitivity_frames(city):
    from vlrkit.assess import assess_review

    tables = _tables(build_report(city, "en", assess_review(city)))
    s = sensitivity.of_review(city)
    wide = s.indicator_table()
    ed = tables["sensitivity-editions"]
    assert ed.header[1:-1] == s.editions and len(ed.rows) == wide.height
    pr = tables["sensitivity-progress"]
    assert pr.header[1:-1] == s.methods
    flagged = {r[0].split(" ")[0] for r in ed.rows if r[-1] == "yes"}
    assert flagged == set(wide.filter(pl.col("colour_disagree") | pl.col("trend_disagree"))["indicator"])
    assert len(tables["sensitivity-goals"].rows) == s.goal_table().height


def test_no_method_annex_without_an_assessment(demo):
    assert "method-edition" not in _tables(build_report(demo, "en"))
