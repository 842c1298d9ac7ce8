"""Alignment / 政策对标: upload plans and budget files for an edition, see the document × goal
heat map and the attention gap against the edition's assessment, drill down into one cell (the
passages and their evidence) and accept or reject each mapping.

Reading and mapping is :mod:`vlrkit.align`'s; storing and the decisions are
:mod:`vlrkit.store.align.queries`'.  Accepted (and added) mappings feed the GE-5c and GE-7
report sections through :func:`vlrkit.store.align.queries.report_sections`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vlrkit.store import versions
from vlrkit.web import roles as r
from vlrkit.web import snapshot
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang
from vlrkit.web.views._common import edition_obj, roles
from vlrkit.web.views.data import _too_large

#: File types a plan or a budget may have (the readers of :mod:`vlrkit.align.documents`).
ALLOWED = (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm", ".csv", ".xlsx")
#: Heat-map shades: a cell's count is put in one of this many levels relative to the largest.
HEAT_LEVELS = 5
#: Passages listed in one drill-down, at most (the count always covers all of them).
MAX_PASSAGES = 200
#: Goal pairs listed in the interlinkage table, at most (the most frequent first).
MAX_LINKS = 30
#: The drill-down "goal" that lists the passages mapped to no goal (for adding one by hand).
NO_GOAL = 0
#: Decisions a person can take on a mapping from the page.
DECISIONS = ("accepted", "rejected")


class AlignUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Plan, strategy or report (PDF, DOCX, TXT, Markdown, HTML) or budget (CSV, XLSX)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(ALLOWED):
            raise forms.ValidationError(
                gettext_lazy("%(name)s: only PDF, DOCX, TXT, Markdown, HTML, CSV or XLSX files are accepted."),
                params={"name": f.name})
        if f.size > settings.VLRKIT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext_lazy("%(name)s is larger than the limit of %(mb)s MB."),
                params={"name": f.name, "mb": settings.VLRKIT_MAX_UPLOAD_BYTES // (1024 * 1024)})
        return f


def _flag_labels() -> dict[str, str]:
    return {
        "neglected": _("attention gap"), "addressed": _("poor, addressed"),
        "low-attention": _("little attention"), "reverse": _("good, much attention"),
        "unassessed": _("not assessed"), "": "",
    }


def _signal_labels() -> dict[str, str]:
    return {"lexicon": _("lexicon term"), "aurora": _("Aurora query"), "osdg": _("OSDG keyword"),
            "profile": _("goal vocabulary"), "text": _("target text"),
            "bayes": _("word-statistics model")}


def _status_labels() -> dict[str, str]:
    return {"proposed": _("proposed"), "accepted": _("accepted"), "rejected": _("rejected"),
            "added": _("added")}


def _link_labels() -> dict[str, str]:
    return {"synergy": _("possible synergy"), "trade-off": _("possible trade-off")}


def _goal_title(goal: int) -> str:
    from vlrkit import sdg

    try:
        return sdg.goal(goal).title(current_lang())
    except Exception:  # noqa: BLE001 - a catalogue gap must not break the page
        return str(goal)


def _can_write(request: HttpRequest) -> bool:
    """Whether the visitor may upload and decide here (the access table's rule for decisions)."""
    rule = r.ACCESS["web:alignment_decide"]
    return r.allowed(rule, roles(request), "POST", getattr(request, "vlr_edition_status", None))


def _load(edition: EditionKey):
    from vlrkit.store.align.queries import load_alignment

    return load_alignment(edition.code, edition.entity)


def _scores(edition: EditionKey) -> dict[int, float | None]:
    assessment = snapshot.assessment(edition)
    if assessment is None:
        return {}
    return {g.goal: g.score for g in assessment.goals}


def _store_upload(request: HttpRequest, edition: EditionKey, file) -> HttpResponse:
    """Keep the uploaded file and queue the job that reads, maps and stores it
    (:func:`vlrkit.web.uploads.store_plan`; no cached page reads the alignment, so nothing is
    invalidated); the user follows it on the job page."""
    import uuid
    from pathlib import Path

    from vlrkit.web.jobs import runner
    from vlrkit.web.views.data import SAFE_NAME, uploads_root

    folder = uploads_root() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / (SAFE_NAME.sub("_", Path(file.name).name) or "upload")
    with path.open("wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    job = runner.start("align", edition, request.user, path=str(path), name=file.name)
    return redirect("web:job", edition=edition, pk=job.pk)


def _job_outcome(request: HttpRequest, edition: EditionKey) -> None:
    """Show what the mapping job named in ``?job=`` did (the job page leads back here)."""
    from vlrkit.web.jobs.models import Job

    pk = _int_or_none(request.GET.get("job"))
    job = Job.objects.filter(pk=pk, entity=edition.entity, edition=edition.code, kind="align", status="done",
                             user_id=request.user.id).first()
    for line in job.result.get("lines", []) if job else ():
        messages.success(request, line)


@dataclass(frozen=True)
class HeatCell:
    goal: int
    count: int
    level: int  # 0 (none) … HEAT_LEVELS
    url: str


def _heat(edition: EditionKey, al) -> list[dict[str, object]]:
    from vlrkit.align import coverage

    matrix = coverage(al)
    accepted = coverage(al, only_accepted=True)
    top = max((v for row in matrix.values for v in row), default=0)
    unmapped = Counter(p.document for p in al.passages if not p.effective_goals())
    base = reverse("web:alignment_cell", kwargs={"edition": edition, "goal": 1})[:-2]
    rows = []
    for name, values, acc in zip(matrix.rows, matrix.values, accepted.values, strict=True):
        cells = []
        for col, v in zip(matrix.columns, values, strict=True):
            level = 0 if not v else max(1, -(-v * HEAT_LEVELS // top))
            cells.append(HeatCell(int(col), v, level, f"{base}{col}/?{urlencode({'document': name})}"))
        info = next(s for s in al.sources if s.name == name)
        rows.append({"name": name, "info": info, "cells": cells, "total": sum(values),
                     "accepted": sum(acc), "unmapped": unmapped[name],
                     "unmapped_url": f"{base}{NO_GOAL}/?{urlencode({'document': name})}"})
    return rows


def _cell_url(edition: EditionKey, goal: int, **query: str) -> str:
    url = reverse("web:alignment_cell", kwargs={"edition": edition, "goal": goal})
    return f"{url}?{urlencode(query)}" if query else url


def _target_rows(edition: EditionKey, al) -> list[dict[str, object]]:
    """Targets × documents: the targets (among each passage's three best, within its goals) that
    at least one passage serves; a cell links to those passages."""
    from vlrkit import sdg
    from vlrkit.align import coverage

    matrix = coverage(al, level="target")
    lang = current_lang()
    rows = []
    for j, code in enumerate(matrix.columns):
        counts = [row[j] for row in matrix.values]
        if not any(counts):
            continue
        goal = int(code.split(".")[0])
        cells = [{"count": n, "url": _cell_url(edition, goal, document=doc, target=code)}
                 for doc, n in zip(matrix.rows, counts, strict=True)]
        rows.append({"code": code, "goal": goal, "title": sdg.target(code).title(lang), "cells": cells,
                     "total": sum(counts)})
    return rows


def _link_rows(edition: EditionKey, al) -> list[dict[str, object]]:
    """Goal pairs that plans treat together, with synergies and trade-offs flagged for the writer."""
    from vlrkit.align import interlinkages

    zh = current_lang().startswith("zh")
    labels = _link_labels()
    rows = []
    for link in interlinkages(al)[:MAX_LINKS]:
        a, b = link.goals
        rows.append({"a": a, "b": b, "a_title": _goal_title(a), "b_title": _goal_title(b),
                     "passages": link.passages, "lift": link.lift,
                     "flags": [(f, labels.get(f, f)) for f in link.flags],
                     "reasons": link.reasons_zh if zh else link.reasons_en,
                     "url": _cell_url(edition, a, also=str(b))})
    return rows


def index(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    """The upload form, the heat map and the attention gap."""
    from vlrkit.align import attention, attention_gap

    edition_obj(edition)
    if request.method == "POST" and _too_large(request):
        messages.error(request, _("The upload is larger than the limit of %(mb)s MB.") % {
            "mb": settings.VLRKIT_MAX_UPLOAD_BYTES // (1024 * 1024)})
        return redirect("web:alignment", edition=edition)
    form = AlignUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _store_upload(request, edition, form.cleaned_data["file"])
    if "job" in request.GET:
        _job_outcome(request, edition)
    al = _load(edition)
    lang = current_lang()
    gap, att = [], []
    if al.sources:
        att = attention(al)
        flags = _flag_labels()
        for row in attention_gap(att, _scores(edition)):
            gap.append({"row": row, "title": _goal_title(row.goal), "flag": flags.get(row.flag, row.flag),
                        "pct": f"{row.attention:.1%}",
                        "note": row.note_zh if lang.startswith("zh") else row.note_en})
    return render(request, "web/alignment.html", {
        "form": form, "sources": al.sources, "heat": _heat(edition, al) if al.sources else [],
        "targets": _target_rows(edition, al) if al.sources else [],
        "links": _link_rows(edition, al) if al.sources else [],
        "goals": [(g, _goal_title(g)) for g in range(1, 18)], "gap": gap,
        "assessed": bool(_scores(edition)), "levels": range(1, HEAT_LEVELS + 1),
        "max_mb": settings.VLRKIT_MAX_UPLOAD_BYTES // (1024 * 1024), "can_write": _can_write(request),
    })


def _evidence_of(p, goal: int) -> list[dict[str, object]]:
    """The evidence behind ``goal`` only, with the signal's name in the visitor's language."""
    prefix, names = f"{goal}.", _signal_labels()
    return [{"term": e.term, "signal": names.get(e.signal, e.signal), "target": e.target,
             "target_text": e.target_text}
            for e in p.evidence if e.target == str(goal) or e.target.startswith(prefix)]


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def cell(request: HttpRequest, edition: EditionKey, goal: int) -> HttpResponse:
    """The passages behind one heat-map cell (one document × one goal), with their evidence.

    Narrower views of the same cell: ``target`` (passages whose three best targets include it),
    ``also`` (passages that serve a second goal too: one interlinkage).  Goal 0 lists the
    passages mapped to no goal, so that a person can add the goal the classifier missed.
    """
    from vlrkit.align import passages_for

    edition_obj(edition)
    if not (goal == NO_GOAL or 1 <= goal <= 17):
        from django.http import Http404

        raise Http404(goal)
    document = request.GET.get("document") or None
    target = request.GET.get("target") or None
    also = _int_or_none(request.GET.get("also"))
    al = _load(edition)
    if document is not None and document not in {s.name for s in al.sources}:
        messages.error(request, _("No aligned document is called %(name)s.") % {"name": document})
        document = None
    if goal == NO_GOAL:
        shown = [p for p in passages_for(al, document) if not p.effective_goals()]
        rejected = []
    else:
        shown = list(passages_for(al, document, goal))
        if target is not None:
            shown = [p for p in shown if target in p.targets]
        if also is not None:
            shown = [p for p in shown if also in p.effective_goals()]
        rejected = [p for p in al.passages if p.status.get(goal) == "rejected"
                    and (document is None or p.document == document)
                    and target is None and also is None]
    labels = _status_labels()
    items = []
    stamps = _mapping_versions(edition, goal) if goal != NO_GOAL else {}
    for p in (shown + rejected)[:MAX_PASSAGES]:
        status = p.status.get(goal, "proposed")
        served = set(p.effective_goals())
        items.append({"p": p, "score": p.scores.get(goal, 0.0), "status": status,
                      "version": stamps.get((p.document, p.index), 0),
                      "status_label": labels.get(status, status),
                      "evidence": _evidence_of(p, goal) if goal != NO_GOAL else [],
                      "addable": [(g, _goal_title(g)) for g in range(1, 18) if g not in served and g != goal]})
    return render(request, "web/alignment_cell.html", {
        "goal": goal, "goal_title": _goal_title(goal) if goal != NO_GOAL else _("Passages mapped to no goal"),
        "no_goal": goal == NO_GOAL, "document": document, "items": items,
        "target": target, "target_title": _target_title(target) if target else "",
        "also": also, "also_title": _goal_title(also) if also else "",
        "count": len(shown), "rejected": len(rejected), "limit": MAX_PASSAGES,
        "documents": [s.name for s in al.sources], "can_write": _can_write(request),
    })


def _target_title(code: str) -> str:
    from vlrkit import sdg

    try:
        return sdg.target(code).title(current_lang())
    except Exception:  # noqa: BLE001 - an unknown code in the address: show the code alone
        return ""


def _mapping_versions(edition: EditionKey, goal: int) -> dict[tuple[str, int], int]:
    """(document, passage index) -> the version of its mapping to ``goal`` (one query each way)."""
    from django.db.models import Max

    from vlrkit.store.align.models import AlignmentMapping

    rows = AlignmentMapping.objects.filter(passage__document__edition__entity__code=edition.entity,
                                           passage__document__edition__code=edition.code, goal=goal)
    where = {pk: (name, index) for pk, name, index in rows.values_list("pk", "passage__document__name", "passage__index")}
    latest = AlignmentMapping.history.filter(id__in=list(where)).values("id").annotate(v=Max("history_id"))
    return {where[r["id"]]: r["v"] for r in latest}


def _guard(edition: EditionKey, document: str, index: int, goal: int, version: str | None) -> None:
    """Lock the mapping decided on and check it is still as the page showed it."""
    from vlrkit.store.align.models import AlignmentMapping

    try:
        expected = int(version or 0)
    except ValueError:
        expected = -1
    versions.guard(AlignmentMapping, expected, passage__document__edition__entity__code=edition.entity,
                   passage__document__edition__code=edition.code, passage__document__name=document,
                   passage__index=index, goal=goal)


def decide(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    """Accept or reject one mapping (POST: document, index, goal, status)."""
    from vlrkit.store.align.queries import MappingNotFound, set_status

    edition_obj(edition)
    document = request.POST.get("document", "")
    try:
        index, goal = int(request.POST.get("index", "")), int(request.POST.get("goal", ""))
    except ValueError:
        messages.error(request, _("The decision is incomplete; nothing was changed."))
        return redirect("web:alignment", edition=edition)
    status = request.POST.get("status", "")
    if status not in DECISIONS or not 1 <= goal <= 17:
        messages.error(request, _("The decision is incomplete; nothing was changed."))
        return redirect("web:alignment", edition=edition)
    try:
        with transaction.atomic():
            if "version" in request.POST:  # a decision on a mapping shown (adding a goal carries none)
                _guard(edition, document, index, goal, request.POST.get("version"))
            stored = set_status(document, index, goal, status, user=request.user.get_username(),
                                edition=edition.code, entity=edition.entity)
    except versions.Stale as stale:
        who = stale.since[0].history_user if stale.since else None
        now = stale.current.status if stale.current is not None else "proposed"
        messages.error(request, _("This mapping was decided by %(who)s since you opened the page (it is now: "
                                  "%(now)s); your decision was not saved.") % {
            "who": who.get_username() if who else (stale.current.decided_by if stale.current else "—"),
            "now": _status_labels().get(now, now)})
        url = reverse("web:alignment_cell", kwargs={"edition": edition, "goal": goal})
        return redirect(f"{url}?{urlencode({'document': document})}#p{index}")
    except MappingNotFound:
        messages.error(request, _("No passage %(index)s in %(name)s.") % {"index": index, "name": document})
        return redirect("web:alignment", edition=edition)
    messages.success(request, _("Passage %(index)s of %(name)s, goal %(goal)s: %(status)s.") % {
        "index": index + 1, "name": document, "goal": goal, "status": _status_labels().get(stored, stored)})
    url = reverse("web:alignment_cell", kwargs={"edition": edition, "goal": goal})
    return redirect(f"{url}?{urlencode({'document': document})}#p{index}")
