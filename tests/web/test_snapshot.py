"""The web's cache invalidates only what depends on the change: per edition and per part (meta,
data, text), across processes through stamp files, and readers are served the previous value
while one request recomputes."""

from __future__ import annotations

import os
import threading
import time

import pytest
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, PUBLISHED

from vlrkit.web import snapshot
from vlrkit.web.editions import EditionKey

A, P = EditionKey(ENTITY, DRAFT), EditionKey(ENTITY, PUBLISHED)


@pytest.fixture
def assessed(monkeypatch):
    """Counts the assessments computed, per edition code."""
    import vlrkit.assess

    calls: list[str] = []
    real = vlrkit.assess.assess_review

    def counting(review, *args, **kwargs):
        calls.append(review.edition.code)
        return real(review, *args, **kwargs)

    monkeypatch.setattr(vlrkit.assess, "assess_review", counting)
    return calls


def test_a_narrative_edit_recomputes_the_completeness_not_the_assessment(review, assessed):
    from vlrkit.store.models import Narrative

    before = snapshot.completeness(A, "en")
    snapshot.assessment(A)
    report = snapshot.report(A, "en")
    assert assessed == [DRAFT]
    n = Narrative.objects.get(edition=review["draft"], section="GE-1", lang="en")
    n.text = "Opening statement. Our long-term vision and five-year plan follow the SDGs; one achievement stands out."
    n.save()
    assert snapshot.review(A).narratives[0].text.startswith("Opening statement. Our long-term vision")
    after = snapshot.completeness(A, "en")
    assert after[0] > before[0] and after[1] == before[1]  # GE-1.1 and GE-1.2 now covered
    assert snapshot.assessment(A) is not None and snapshot.report(A, "en") is report  # untouched
    assert assessed == [DRAFT]


def test_a_data_edit_recomputes_the_assessment_of_its_own_edition_only(review, assessed):
    from vlrkit.store.models import Target

    snapshot.assessment(A), snapshot.assessment(P)
    published_report = snapshot.report(P, "en")
    assert sorted(assessed) == sorted([DRAFT, PUBLISHED])
    ind = review["draft"].indicators.get(code=INDICATOR)
    Target.objects.create(indicator=ind, kind="local", value=90.0, year=2030)
    snapshot.assessment(A), snapshot.assessment(P)
    assert sorted(assessed) == sorted([DRAFT, PUBLISHED, DRAFT])  # the draft's only
    assert snapshot.report(P, "en") is published_report
    assert any(t.value == 90.0 for t in snapshot.review(A).targets)


def test_the_pages_report_has_the_same_goals_as_the_whole_report(review):
    """snapshot.report builds on the review without its text parts: the goal and indicator views
    must not differ from those of the report built on the whole review."""
    from vlrkit.report.build import build_report

    for lang in ("en", "zh-Hans"):
        whole = build_report(snapshot.review(A), lang, snapshot.assessment(A))
        assert snapshot.report(A, lang).goals == whole.goals
        assert snapshot.completeness(A, lang) == whole.completeness


def test_a_change_made_by_another_process_is_seen(review):
    """Stamps are files: another process bumping one (here: its stamp file touched as that
    process's signal would) makes this process load the edition again."""
    from vlrkit.store.models import LocalIndicator

    first = snapshot.data_review(A)
    LocalIndicator.objects.filter(edition=review["draft"], code=INDICATOR).update(unit="per cent")  # no signal
    assert snapshot.data_review(A) is first
    path = snapshot._stamp_path(snapshot.part_name(review["draft"].id, snapshot.DATA))
    later = time.time_ns() + 10_000_000
    os.utime(path, ns=(later, later))
    assert snapshot.data_review(A).indicator(INDICATOR).unit == "per cent"


def test_readers_get_the_previous_value_while_one_recomputes():
    started, release = threading.Event(), threading.Event()
    snapshot._cached("t:x", (1,), lambda: "old")

    def slow():
        started.set()
        release.wait(10)
        return "new"

    worker = threading.Thread(target=lambda: snapshot._cached("t:x", (2,), slow))
    worker.start()
    assert started.wait(10)
    t0 = time.monotonic()
    assert snapshot._cached("t:x", (2,), lambda: pytest.fail("a second computation")) == "old"
    assert time.monotonic() - t0 < 1  # served at once, not queued behind the computation
    release.set()
    worker.join(10)
    assert snapshot._cached("t:x", (2,), lambda: pytest.fail("computed twice")) == "new"


def test_a_value_built_on_a_previous_value_is_built_again_next_time():
    started, release = threading.Event(), threading.Event()
    snapshot._cached("t:dep", (1,), lambda: "dep-1")

    def slow():
        started.set()
        release.wait(10)
        return "dep-2"

    worker = threading.Thread(target=lambda: snapshot._cached("t:dep", (2,), slow))
    worker.start()
    assert started.wait(10)
    outer = snapshot._cached("t:outer", (2,), lambda: "outer of " + snapshot._cached("t:dep", (2,), slow))
    assert outer == "outer of dep-1"
    release.set()
    worker.join(10)
    assert snapshot._cached("t:outer", (2,), lambda: "outer of " + snapshot._cached("t:dep", (2,), slow)) \
        == "outer of dep-2"


def test_a_cold_cache_computes_once_for_many_readers():
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return "v"

    threads = [threading.Thread(target=lambda: snapshot._cached("t:cold", (1,), compute)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(calls) == 1


def test_a_narrative_edit_leaves_the_goal_page_memo_alone(review, as_role, monkeypatch):
    from vlrkit.store.models import Narrative
    from vlrkit.web.views import review as views

    c = as_role("coordinator")
    c.get(f"/review/{ENTITY}/{DRAFT}/goal/11/"), c.get(f"/review/{ENTITY}/{DRAFT}/")
    built = []
    real_goal, real_dash = views._goal, views._dashboard
    monkeypatch.setattr(views, "_goal", lambda *a: built.append("goal") or real_goal(*a))
    monkeypatch.setattr(views, "_dashboard", lambda *a: built.append("dashboard") or real_dash(*a))
    Narrative.objects.filter(edition=review["draft"], section="GE-1", lang="en").get().save()
    assert c.get(f"/review/{ENTITY}/{DRAFT}/goal/11/").status_code == 200
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200
    assert built == ["dashboard"]  # the dashboard shows the completeness; the goal page does not



def test_renaming_an_indicator_leaves_the_assessment_alone(review, assessed):
    from vlrkit.store.models import LocalIndicator

    snapshot.assessment(A)
    ind = LocalIndicator.objects.get(edition=review["draft"], code=INDICATOR)
    ind.names = {**ind.names, "en": "Residents within 500 m of a stop"}
    ind.source = "Transit agency"
    ind.save()
    assert snapshot.data_review(A).indicator(INDICATOR).names["en"] == "Residents within 500 m of a stop"
    assert any(v.name == "Residents within 500 m of a stop" for v in snapshot.report(A, "en").indicators())
    snapshot.assessment(A)
    assert assessed == [DRAFT]  # labels only
    ind.direction = "lower"
    ind.save()
    snapshot.assessment(A)
    assert assessed == [DRAFT, DRAFT]  # the direction is assessed


def test_the_assessment_does_not_read_the_label_fields(review):
    """What lets a label change skip the assessment (snapshot.LABEL_FIELDS): the assessment of a
    review whose indicators' labels all differ is the same."""
    from dataclasses import replace

    from vlrkit.assess import assess_review

    rev = snapshot.data_review(A)
    relabelled = replace(rev, indicators=tuple(
        replace(i, names={"en": "x" + i.code}, source="elsewhere", custodian="someone", coverage="nowhere",
                methodology={"en": "another method"}) for i in rev.indicators))
    assert {f for f in snapshot.LABEL_FIELDS} <= {f.name for f in __import__("dataclasses").fields(rev.indicators[0])}
    assert assess_review(relabelled).to_dict() == assess_review(rev).to_dict()
