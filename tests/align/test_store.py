"""Storing an alignment for an edition, loading it back, and the accept/reject decisions."""

from __future__ import annotations

import pytest

from vlrkit.align import align, attention
from vlrkit.align.documents import Document
from vlrkit.align.documents.budget import Budget, BudgetLine

pytestmark = pytest.mark.django_db


@pytest.fixture()
def edition():
    from vlrkit.store import models as m

    ent = m.Entity.objects.create(code="tiny", names={"en": "Tiny"})
    return m.Edition.objects.create(entity=ent, code="2025", year=2025, period_start=2015, period_end=2024)


def sources():
    doc = Document("plan.txt", "text", "全面推行生活垃圾分类，建成厨余垃圾处理厂。\n\n新建公办幼儿园18所，学前三年毛入园率达到95%。")
    bud = Budget("budget.csv", "csv", (BudgetLine(1, "农村生活污水治理项目", 1500.0, "生态环境局"),
                                       BudgetLine(2, "会议费", 20.0)), "万元")
    return [doc, bud]


def test_save_and_load_round_trip(edition):
    from vlrkit.store.align.queries import documents, load_alignment, save_alignment

    al = align(sources())
    assert save_alignment(al, "2025") == {"plan.txt": "added", "budget.csv": "added"}
    back = load_alignment("2025")
    assert [s.name for s in back.sources] == ["plan.txt", "budget.csv"]
    assert back.sources[1].unit == "万元" and back.sources[1].total == 1520.0
    assert [(p.document, p.index, p.goals, p.amount) for p in back.passages] == \
           [(p.document, p.index, p.goals, p.amount) for p in al.passages]
    assert back.passages[0].evidence == al.passages[0].evidence
    assert attention(back) == attention(al)
    assert documents("2025")[0]["passages"] == 2


def test_same_text_is_left_alone_and_changed_text_replaced(edition):
    from vlrkit.store.align.queries import load_alignment, save_alignment, set_status

    save_alignment(align(sources()), "2025")
    set_status("plan.txt", 0, 11, "accepted", user="amy")
    assert save_alignment(align(sources()), "2025") == {"plan.txt": "unchanged", "budget.csv": "unchanged"}
    assert load_alignment("2025").passages[0].status == {11: "accepted"}  # decision kept
    changed = [Document("plan.txt", "text", "发展光伏和风电。"), sources()[1]]
    assert save_alignment(align(changed), "2025")["plan.txt"] == "replaced"
    assert load_alignment("2025").passages[0].status == {}


def test_decisions_are_stored_with_history(edition):
    from vlrkit.store.align import models as am
    from vlrkit.store.align.queries import (
        MappingNotFound,
        load_alignment,
        save_alignment,
        set_status,
    )

    save_alignment(align(sources()), "2025")
    set_status("plan.txt", 0, 11, "rejected", user="amy")
    set_status("plan.txt", 0, 12, "accepted", user="amy")  # a goal the classifier did not give
    set_status("plan.txt", 0, 11, "accepted", user="bo")
    p = load_alignment("2025").passages[0]
    assert p.status == {11: "accepted", 12: "added"}
    assert set(p.effective_goals(only_accepted=True)) == {11, 12}
    mapping = am.AlignmentMapping.objects.get(passage__index=0, passage__document__name="plan.txt", goal=11)
    assert [h.status for h in mapping.history.order_by("history_date")] == ["proposed", "rejected", "accepted"]
    with pytest.raises(MappingNotFound):
        set_status("plan.txt", 99, 11, "accepted")
    with pytest.raises(ValueError):
        set_status("plan.txt", 0, 18, "accepted")


def test_report_sections_use_accepted_mappings(edition):
    from vlrkit.store.align.queries import report_sections, save_alignment, set_status

    assert report_sections("en", edition="2025") == {}
    save_alignment(align(sources()), "2025")
    set_status("plan.txt", 0, 11, "accepted")
    blocks = report_sections("zh-Hans", {11: 40.0}, edition="2025")
    cov = next(b for b in blocks["GE-5c"] if b.kind == "table" and b.id == "align-coverage")
    assert [r[0] for r in cov.rows] == ["plan.txt", "budget.csv"]
    assert sum(int(c) for r in cov.rows for c in r[1:]) == 1


def test_review_lists_accepts_above_a_confidence_and_the_report_labels_proposals(edition):
    from vlrkit.store.align.queries import (
        accept_above,
        mappings,
        report_sections,
        save_alignment,
        set_status,
    )

    save_alignment(align(sources()), "2025")
    proposed = mappings(edition="2025")
    assert proposed and all(r["status"] == "proposed" for r in proposed)
    assert [r["score"] for r in proposed] == sorted((r["score"] for r in proposed), reverse=True)
    before = report_sections("en", {11: 40.0}, edition="2025")["GE-5c"]
    waiting = next(b for b in before if b.kind == "paragraph" and "not yet reviewed" in b.text)
    assert waiting.text.startswith(f"{len(proposed)} mapping")
    table = next(b for b in before if b.kind == "table" and b.id == "align-proposed")
    assert sum(int(r[1]) for r in table.rows) == len(proposed)  # every proposal, under its goal
    assert "proposed, not yet reviewed" in table.caption
    ge7 = report_sections("en", edition="2025")["GE-7"]
    assert any("Counting also the mappings proposed" in b.text for b in ge7 if b.kind == "paragraph")
    top, low = proposed[0], proposed[-1]
    set_status(low["document"], low["index"], low["goal"], "rejected", user="amy")
    threshold = top["score"]
    n = accept_above(threshold, user="bob", edition="2025")
    assert n == sum(1 for r in proposed if r["score"] >= threshold and r is not low)
    assert all(r["decided_by"] == "bob" for r in mappings("accepted", edition="2025"))
    assert mappings("rejected", edition="2025")[0]["decided_by"] == "amy"  # a decision is not overridden
    assert len(mappings(None, edition="2025")) == len(proposed)
    with pytest.raises(ValueError):
        accept_above(1.5, edition="2025")
    if not mappings(edition="2025"):  # nothing waits: the report says nothing about proposals
        after = report_sections("en", edition="2025")["GE-5c"]
        assert not any(b.kind == "table" and b.id == "align-proposed" for b in after)
