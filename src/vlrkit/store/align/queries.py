"""Save an :class:`vlrkit.align.Alignment` for an edition, load it back, record decisions.

- :func:`save_alignment` stores documents, passages and the predicted mappings; a document of
  the same name is replaced when its text changed (its decisions go with it) and left as it is
  when the text is the same (so running ``vlr align`` twice changes nothing);
- :func:`load_alignment` returns the plain alignment with every mapping's status;
- :func:`set_status` accepts, rejects or adds one mapping (what the web page calls);
- :func:`mappings` lists the mappings (for review) and :func:`accept_above` accepts every
  proposal whose calibrated score reaches a threshold (what ``vlr align review`` calls).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from vlrkit.align.analysis import Alignment, MappedPassage, SourceInfo
from vlrkit.align.classify import Evidence
from vlrkit.store.align import models as am
from vlrkit.store.queries import get_edition


class MappingNotFound(LookupError):
    """No passage with that document and index in the edition."""


def _evidence(ev: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [{"target": e.target, "term": e.term, "signal": e.signal, "weight": e.weight,
             "target_text": e.target_text} for e in ev]


@transaction.atomic
def save_alignment(al: Alignment, edition: str | None = None, entity: str | None = None) -> dict[str, str]:
    """Store ``al`` for the edition; returns {document name: "added" | "replaced" | "unchanged"}."""
    ed = get_edition(edition, entity)
    outcome: dict[str, str] = {}
    for info in al.sources:
        old = am.AlignmentDocument.objects.filter(edition=ed, name=info.name).first()
        if old is not None and info.digest and old.digest == info.digest:
            outcome[info.name] = "unchanged"
            continue
        if old is not None:
            old.delete()
        doc = am.AlignmentDocument.objects.create(
            edition=ed, name=info.name, kind=info.kind, lang=info.lang, is_budget=info.is_budget,
            total=info.total, unit=info.unit, digest=info.digest)
        mine = [p for p in al.passages if p.document == info.name]
        rows = am.AlignmentPassage.objects.bulk_create([
            am.AlignmentPassage(
                document=doc, index=p.index, text=p.text, lang=p.lang, start=p.start, end=p.end,
                amount=p.amount, department=p.department, programme=p.programme, row=p.row,
                goal=p.goal, target=p.target or "", targets=list(p.targets),
                scores={str(g): s for g, s in p.scores.items() if s > 0},
                evidence=_evidence(p.evidence))
            for p in mine
        ], batch_size=500)
        if rows and rows[0].pk is None:  # backends that do not return keys on bulk insert
            rows = list(doc.passages.order_by("index"))
        mappings = [
            am.AlignmentMapping(passage=row, goal=g, score=p.scores.get(g, 0.0), predicted=True)
            for row, p in zip(rows, mine, strict=True) for g in p.goals
        ]
        bulk_create_with_history(mappings, am.AlignmentMapping, batch_size=500)
        outcome[info.name] = "replaced" if old is not None else "added"
    return outcome


def load_alignment(edition: str | None = None, entity: str | None = None) -> Alignment:
    """The edition's stored alignment, with every mapping's status."""
    ed = get_edition(edition, entity)
    docs = list(am.AlignmentDocument.objects.filter(edition=ed).order_by("id"))
    sources, passages = [], []
    for doc in docs:
        rows = list(doc.passages.order_by("index").prefetch_related("mappings"))
        sources.append(SourceInfo(doc.name, doc.kind, doc.lang, len(rows), doc.is_budget, doc.total,
                                  doc.unit, doc.digest))
        for r in rows:
            maps = list(r.mappings.all())
            passages.append(MappedPassage(
                document=doc.name, index=r.index, text=r.text, lang=r.lang, goal=r.goal,
                target=r.target or None,
                goals=tuple(sorted((m.goal for m in maps if m.predicted), key=lambda g: -r.scores.get(str(g), 0))),
                targets=tuple(r.targets), scores={int(g): s for g, s in r.scores.items()},
                evidence=tuple(Evidence(**e) for e in r.evidence), start=r.start, end=r.end,
                amount=r.amount, department=r.department, programme=r.programme, row=r.row,
                status={m.goal: m.status for m in maps if m.status != "proposed"}))
    return Alignment(tuple(sources), tuple(passages))


@transaction.atomic
def set_status(document: str, index: int, goal: int, status: str, *, user: str = "",
               edition: str | None = None, entity: str | None = None) -> str:
    """Accept, reject or add (a goal the classifier missed) one mapping; returns the status
    stored (accepting a goal the classifier did not propose stores ``"added"``)."""
    if status not in dict(am.STATUSES) or not 1 <= goal <= 17:
        raise ValueError(f"bad status {status!r} or goal {goal!r}")
    ed = get_edition(edition, entity)
    passage = am.AlignmentPassage.objects.filter(document__edition=ed, document__name=document,
                                                 index=index).first()
    if passage is None:
        raise MappingNotFound(f"no passage {index} in document {document!r}")
    mapping, created = am.AlignmentMapping.objects.get_or_create(
        passage=passage, goal=goal,
        defaults={"score": float(passage.scores.get(str(goal), 0.0)), "predicted": False})
    if created and status == "accepted":
        status = "added"
    mapping.status, mapping.decided_by, mapping.decided_at = status, user, timezone.now()
    mapping.save()
    return status


def mappings(status: str | None = "proposed", edition: str | None = None,
             entity: str | None = None) -> list[dict[str, Any]]:
    """The edition's mappings (only those with ``status``; all when ``None``), highest score
    first, as plain dicts: document, index, goal, score, status, text, amount, decided_by."""
    ed = get_edition(edition, entity)
    qs = am.AlignmentMapping.objects.filter(passage__document__edition=ed).select_related("passage__document")
    if status is not None:
        if status not in dict(am.STATUSES):
            raise ValueError(f"bad status {status!r}")
        qs = qs.filter(status=status)
    rows = [{"document": m.passage.document.name, "index": m.passage.index, "goal": m.goal,
             "score": round(m.score, 4), "status": m.status, "text": m.passage.text,
             "amount": m.passage.amount, "decided_by": m.decided_by} for m in qs]
    return sorted(rows, key=lambda r: (-r["score"], r["document"], r["index"], r["goal"]))


@transaction.atomic
def accept_above(threshold: float, *, user: str = "", edition: str | None = None,
                 entity: str | None = None) -> int:
    """Accept every mapping still ``proposed`` whose calibrated score is ≥ ``threshold``
    (0–1); decisions already taken are left alone.  Returns how many were accepted."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold {threshold!r} is not between 0 and 1")
    ed = get_edition(edition, entity)
    chosen = list(am.AlignmentMapping.objects.filter(passage__document__edition=ed, status="proposed",
                                                     score__gte=threshold))
    now = timezone.now()
    for m in chosen:  # one save each, so every decision has its history row
        m.status, m.decided_by, m.decided_at = "accepted", user, now
        m.save()
    return len(chosen)


def documents(edition: str | None = None, entity: str | None = None) -> list[dict[str, Any]]:
    """The edition's aligned documents as plain dicts (for listings)."""
    ed = get_edition(edition, entity)
    return [{"name": d.name, "kind": d.kind, "lang": d.lang, "is_budget": d.is_budget,
             "total": d.total, "unit": d.unit, "passages": d.passages.count()}
            for d in am.AlignmentDocument.objects.filter(edition=ed).order_by("id")]


def report_sections(lang: str, scores: dict[int, float | None] | None = None,
                    edition: str | None = None, entity: str | None = None) -> dict[str, tuple[Any, ...]]:
    """The GE-5c and GE-7 blocks for the edition's report, from accepted mappings only;
    ``{}`` when nothing was aligned for the edition."""
    from vlrkit.align.sections import report_blocks

    al = load_alignment(edition, entity)
    if not al.sources:
        return {}
    return report_blocks(al, lang, scores, only_accepted=True)
