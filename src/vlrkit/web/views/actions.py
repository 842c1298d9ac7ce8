"""Follow-up: actions with owner, deadline, status and linked targets; overdue ones highlighted."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vlrkit.web import forms as f
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang, localised
from vlrkit.web.views._common import edition_obj

OPEN_STATUSES = ("planned", "in_progress")


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    """An open action whose deadline has passed."""
    return deadline is not None and deadline < today and status in OPEN_STATUSES


def index(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    from vlrkit.store.models import Action

    ed = edition_obj(edition)
    edit_code = request.GET.get("edit", "")
    form = f.ActionForm()
    if request.method == "POST":
        form = f.ActionForm(request.POST)
        if form.is_valid():
            from vlrkit.store.models import LocalIndicator

            d = form.cleaned_data
            linked = list(LocalIndicator.objects.filter(edition=ed, code__in=d["indicators"]))
            unknown = sorted(set(d["indicators"]) - {i.code for i in linked})
            if unknown:
                form.add_error("indicators", _("Unknown indicators: %(codes)s") % {"codes": ", ".join(unknown)})
        if form.is_valid():
            existing = Action.objects.filter(edition=ed, code=d["code"]).first()
            title = dict(existing.title) if existing else {}
            title[current_lang()] = d["title"]
            action, _created = Action.objects.update_or_create(
                edition=ed, code=d["code"],
                defaults={"title": title, "owner": d["owner"], "deadline": d["deadline"],
                          "status": d["status"], "targets": d["targets"]},
            )
            action.indicators.set(linked)
            messages.success(request, _("Action %(code)s saved.") % {"code": d["code"]})
            return redirect("web:actions", edition=edition)
    elif edit_code:
        a = Action.objects.filter(edition=ed, code=edit_code).first()
        if a is not None:
            form = f.ActionForm(initial={
                "code": a.code, "title": localised(a.title), "owner": a.owner, "deadline": a.deadline,
                "status": a.status, "targets": ", ".join(a.targets),
                "indicators": ", ".join(i.code for i in a.indicators.all()),
            })
    today = date.today()
    rows = []
    for a in Action.objects.filter(edition=ed).prefetch_related("indicators").order_by("deadline", "code"):
        rows.append({
            "code": a.code, "title": localised(a.title), "owner": a.owner, "deadline": a.deadline,
            "status": a.status, "targets": a.targets, "indicators": [i.code for i in a.indicators.all()],
            "overdue": is_overdue(a.deadline, a.status, today),
        })
    return render(request, "web/actions.html", {
        "actions": rows, "form": form, "overdue": sum(r["overdue"] for r in rows), "today": today,
    })
