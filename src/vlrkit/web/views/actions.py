"""Follow-up: actions with owner, deadline, status and linked targets; overdue ones highlighted."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vlrkit.web import conflicts
from vlrkit.web import forms as f
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang, localised
from vlrkit.web.views._common import edition_obj

OPEN_STATUSES = ("planned", "in_progress")


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    """An open action whose deadline has passed."""
    return deadline is not None and deadline < today and status in OPEN_STATUSES


#: The fields of the action form that are the action's (the code is its key).
FIELDS = ("title", "owner", "deadline", "status", "targets", "indicators")


def _values(row) -> dict[str, object]:
    """The form's fields of an action row, or of one of its history records (whose linked
    indicators are history rows of the link table)."""
    from vlrkit.store.models import LocalIndicator

    ids = [getattr(i, "localindicator_id", i.pk) for i in row.indicators.all()]
    return {"title": localised(row.title), "owner": row.owner, "deadline": row.deadline, "status": row.status,
            "targets": list(row.targets),
            "indicators": sorted(LocalIndicator.objects.filter(pk__in=ids).values_list("code", flat=True))}


def _initial(code: str, values, version: int) -> dict[str, object]:
    """The action form's initial values for an action's ``values`` (:func:`_values`)."""
    return {**values, "code": code, "targets": ", ".join(values["targets"]),
            "indicators": ", ".join(values["indicators"]), "version": version}


def _save(request: HttpRequest, ed, form) -> conflicts.Resolution:
    from vlrkit.store import versions
    from vlrkit.store.models import Action, LocalIndicator

    d = form.cleaned_data
    lookup = {"edition": ed, "code": d["code"]}
    lang = current_lang()

    def write(row, values: dict) -> None:
        title = {**(row.title if row is not None else {}), lang: values["title"]}
        fields = {"title": title, "owner": values["owner"], "deadline": values["deadline"],
                  "status": values["status"], "targets": values["targets"]}
        if row is None:
            row = versions.create(Action, lookup, **fields)
        else:
            for k, v in fields.items():
                setattr(row, k, v)
            row.save()
        row.indicators.set(LocalIndicator.objects.filter(edition=ed, code__in=values["indicators"]))

    mine = {**{k: d[k] for k in FIELDS}, "indicators": sorted(d["indicators"])}
    labels = {name: str(field.label) for name, field in form.fields.items()}
    return conflicts.save(request, Action, lookup, d["version"], mine, _values, labels, write)


def index(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    from vlrkit.store import versions
    from vlrkit.store.models import Action

    ed = edition_obj(edition)
    edit_code = request.GET.get("edit", "")
    form = f.ActionForm()
    conflict, status = None, 200
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
            res = _save(request, ed, form)
            if res.conflict is None:
                messages.success(request, conflicts.kept_message(res) or _("Action %(code)s saved.") % {"code": d["code"]})
                return redirect("web:actions", edition=edition)
            # the form again over the current version: yours where both changed, else merged
            conflict, status = res.conflict, 409
            form = f.ActionForm(initial=_initial(d["code"], conflict.proposal, conflict.version))
            conflict = conflicts.offer(conflict, form, request)
    elif edit_code:
        a = Action.objects.filter(edition=ed, code=edit_code).first()
        if a is not None:
            form = f.ActionForm(initial=_initial(a.code, _values(a), versions.stamp(a)))
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
        "conflict": conflict,
    }, status=status)
