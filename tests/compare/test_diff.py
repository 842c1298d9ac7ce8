"""What changed since the last edition (vlrkit.compare.diff): generated pairs of editions where
each edit is known, so every change must be listed exactly once; an edition against its copy
lists nothing; the assessment changes are exactly where two same-method assessments differ."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import reviews

from vlrkit.assess import assess_review
from vlrkit.compare import diff as df
from vlrkit.demo import build_demo
from vlrkit.review import model as rm

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STRUCTURAL = {"indicator-added", "indicator-dropped", "action", "narrative-added", "narrative-removed",
              "narrative-rewritten"}


@SETTINGS
@given(reviews())
def test_an_edition_against_its_copy_lists_no_change(review):
    copy = replace(review, edition=replace(review.edition, code=review.edition.code + "-copy"))
    result = df.diff(copy, review)
    assert result.changes == ()
    assert len(result.actions) == len(review.actions)  # the follow-up table still lists every action


@SETTINGS
@given(reviews(), st.data())
def test_every_edit_is_listed_exactly_once(old, data):
    codes = [i.code for i in old.indicators]
    dropped = set(data.draw(st.lists(st.sampled_from(codes), unique=True, max_size=len(codes) - 1)))
    added = rm.LocalIndicator("NEW-1", {"en": "A new indicator"}, 11, "%", "higher")
    indicators = (*[i for i in old.indicators if i.code not in dropped], added)
    actions, expected = [], set()
    for a in old.actions:
        what = data.draw(st.sampled_from(["keep", "status", "drop"]))
        if what == "keep":
            actions.append(a)
        elif what == "status":
            status = data.draw(st.sampled_from([s for s in rm.ACTION_STATUSES if s != a.status]))
            actions.append(replace(a, status=status))
            expected.add(("action", a.code))
        else:
            expected.add(("action", a.code))
    narratives = []
    for n in old.narratives:
        what = data.draw(st.sampled_from(["keep", "rewrite", "drop"]))
        blank = not n.text.strip()
        if what == "keep":
            narratives.append(n)
        elif what == "rewrite":
            narratives.append(replace(n, text=n.text + " And one more sentence."))
            expected.add(("narrative-added" if blank else "narrative-rewritten", f"{n.section}/{n.lang}"))
        elif not blank:
            expected.add(("narrative-removed", f"{n.section}/{n.lang}"))
    fresh = next(s for s in rm.SECTIONS if all(n.section != s for n in old.narratives))
    narratives.append(rm.Narrative(fresh, "en", "A section the old edition did not have."))
    expected |= {("narrative-added", f"{fresh}/en"), ("indicator-added", "NEW-1")}
    expected |= {("indicator-dropped", c) for c in dropped}
    new = replace(old, edition=replace(old.edition, code="new"), indicators=indicators,
                  observations=old.observations.filter(~pl.col("indicator").is_in(sorted(dropped))),
                  actions=tuple(actions), narratives=tuple(narratives))
    result = df.diff(new, old)
    listed = Counter((c.kind, c.subject) for c in result.changes)
    assert all(n == 1 for n in listed.values()), listed  # exactly once
    assert {k for k in listed if k[0] in STRUCTURAL} == expected
    for c in result.of("indicator-added") + result.of("indicator-dropped"):
        assert c.note["en"]  # why: the SDG link (or that there is none)


@pytest.fixture(scope="module")
def demo_pair():
    new = build_demo()
    old = replace(new, edition=replace(new.edition, code="LJ-VLR-2021", year=2021, method_edition="sdsn-2019"),
                  observations=new.observations.filter(pl.col("year") <= 2020))
    return new, old


def test_assessment_changes_are_where_two_same_method_assessments_differ(demo_pair):
    new, old = demo_pair
    result = df.diff(new, old)
    assert result.method_edition == new.edition.method_edition and not result.same_method
    a = assess_review(new, result.method, method_edition=result.method_edition)
    b = assess_review(old, result.method, method_edition=result.method_edition)
    bi = {i.code: i for i in b.indicators}
    for kind in ("status", "colour", "trend"):
        expected = {i.code for i in a.indicators if getattr(i, kind) != getattr(bi[i.code], kind)}
        got = {c.subject for c in result.of(kind)}
        assert got == expected, kind
        for c in result.of(kind):
            assert (c.before, c.after) == (getattr(bi[c.subject], kind), getattr(a.indicator(c.subject), kind))
            assert c.after_value and c.after_value[0] > 2020 >= c.before_value[0]  # both values, years shown
    assert result.of("status") and result.of("colour")
    for c in result.of("target-reached"):
        assert c.after in ("achieved", "target_achieved") and c.before not in ("achieved", "target_achieved")


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_the_ge3_section_lists_every_change(demo_pair, lang):
    from vlrkit.compare.blocks import ge3
    from vlrkit.report.build import build_report
    from vlrkit.report.model import Paragraph, Table

    new, old = demo_pair
    result = df.diff(new, old)
    report = build_report(new, lang, extra={"GE-3": ge3(result, lang)})
    part = next(s for s in report.sections if s.id == "GE-3")
    table = next(b for b in part.blocks if isinstance(b, Table) and b.id == "changes-since-last")
    assert len(table.rows) == len([c for c in result.changes if c.kind != "action"])
    outcomes = next(b for b in part.blocks if isinstance(b, Table) and b.id == "follow-up-outcomes")
    assert len(outcomes.rows) == len(new.actions)
    said = " ".join(b.text for b in part.blocks if isinstance(b, Paragraph))
    assert "sdsn-2019" in said  # the earlier edition remembered another method edition: said
