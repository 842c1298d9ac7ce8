"""History: who changed what and when, for data and text, a diff against the previous version,
and restore (the restored version becomes a new entry: nothing is ever lost)."""

from __future__ import annotations

from itertools import islice

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vlrkit.web.conflicts import diff_html
from vlrkit.web.editions import EditionKey
from vlrkit.web.views._common import PAGE_ROWS, edition_obj

#: kind in the URL -> (store model name, lookup from the historical row to the edition id)
KINDS: dict[str, tuple[str, str]] = {
    "narrative": ("Narrative", "edition_id"),
    "indicator": ("LocalIndicator", "edition_id"),
    "link": ("SdgLink", "indicator__edition_id"),
    "target": ("Target", "indicator__edition_id"),
    "thresholds": ("Thresholds", "indicator__edition_id"),
    "observation": ("Observation", "indicator__edition_id"),
    "stakeholder": ("Stakeholder", "edition_id"),
    "engagement": ("Engagement", "edition_id"),
    "contribution": ("Contribution", "edition_id"),
    "action": ("Action", "edition_id"),
    "edition": ("Edition", "id"),
}
#: fields never shown in a diff (bookkeeping)
HIDDEN = {"id", "edition", "indicator", "import_run"}


def _model(kind: str):
    from vlrkit.store import models

    if kind not in KINDS:
        raise Http404(kind)
    return getattr(models, KINDS[kind][0])


def _records(kind: str, edition_id: int):
    model = _model(kind)
    return model.history.filter(**{KINDS[kind][1]: edition_id}).select_related("history_user")


def _label(kind: str, rec) -> str:
    for attr in ("code", "section"):
        if getattr(rec, attr, None):
            extra = f" ({rec.lang})" if kind == "narrative" else ""
            return f"{getattr(rec, attr)}{extra}"
    if kind == "observation":
        return f"{rec.indicator_id}·{rec.period}"
    return f"#{rec.id}"


def history(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    ed = edition_obj(edition)
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in KINDS else list(KINDS)
    rows = []
    for k in kinds:
        for rec in islice(_records(k, ed.id).order_by("-history_date")[:PAGE_ROWS], PAGE_ROWS):
            rows.append({
                "kind": k, "pk": rec.history_id, "label": _label(k, rec), "type": rec.history_type,
                "user": rec.history_user.get_username() if rec.history_user else "—",
                "at": rec.history_date, "reason": rec.history_change_reason or "",
            })
    rows.sort(key=lambda r: r["at"], reverse=True)
    from vlrkit.store.models import Import

    imports = Import.objects.filter(edition=ed).select_related("user").order_by("-started")[:PAGE_ROWS]
    return render(request, "web/history.html", {"rows": rows[:PAGE_ROWS], "kinds": list(KINDS), "kind": kind,
                                                "imports": imports})


@require_http_methods(["GET", "HEAD", "POST"])
def history_item(request: HttpRequest, edition: EditionKey, kind: str, pk: int) -> HttpResponse:
    ed = edition_obj(edition)
    rec = _records(kind, ed.id).filter(history_id=pk).first()
    if rec is None:
        raise Http404(pk)
    model = _model(kind)
    if request.method == "POST":
        from django.db import transaction

        from vlrkit.store import versions

        try:
            expected = int(request.POST.get("version") or 0)
        except ValueError:
            expected = -1
        try:
            with transaction.atomic():
                # restore only over the version the page showed as the current one
                versions.guard(model, expected, pk=rec.id)
                obj = rec.instance
                obj._change_reason = f"restored from history #{rec.history_id}"
                obj.save()
        except versions.Stale as stale:
            who = stale.since[0].history_user if stale.since else None
            messages.error(request, _("Not restored: %(who)s changed it since you opened this page. Look at its "
                                      "history again.") % {"who": who.get_username() if who else "—"})
            return redirect("web:history_item", edition=edition, kind=kind, pk=pk)
        messages.success(request, _("Restored the version of %(when)s.") % {"when": rec.history_date.strftime("%Y-%m-%d %H:%M")})
        return redirect("web:history_item", edition=edition, kind=kind, pk=_model(kind).history.filter(id=rec.id).order_by("-history_date").first().history_id)
    prev = rec.prev_record
    changes = []
    fields = [f.name for f in rec.instance._meta.fields if f.name not in HIDDEN]
    for name in fields:
        new = getattr(rec, name, None)
        old = getattr(prev, name, None) if prev is not None else None
        if prev is None or old != new:
            if isinstance(new, str) and isinstance(old, str) and ("\n" in new or "\n" in old or len(new) > 80):
                changes.append({"field": name, "diff": diff_html(old, new)})
            else:
                changes.append({"field": name, "old": "" if prev is None else old, "new": new})
    from vlrkit.store import versions

    return render(request, "web/history_item.html", {
        "rec": rec, "kind": kind, "label": _label(kind, rec), "changes": changes, "prev": prev,
        "version": versions.version_of(model, rec.id),
        "user": rec.history_user.get_username() if rec.history_user else "—",
    })
