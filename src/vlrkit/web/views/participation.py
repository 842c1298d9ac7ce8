"""Participation: stakeholders, engagements and contributions; the public contribution form, the
moderation that decides whether a contribution reaches the stakeholder annex (GE-9b), and a
stakeholder's own contributions with their moderation status."""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vlrkit.web import conflicts
from vlrkit.web import forms as f
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang, localised
from vlrkit.web.views._common import edition_obj

DECISIONS = ("accepted", "rejected")
#: A contribution's moderation status as its author sees it (store status -> label).
MY_STATUS = {
    "submitted": gettext_lazy("Pending moderation"),
    "accepted": gettext_lazy("Accepted: it appears in the stakeholder annex"),
    "rejected": gettext_lazy("Not accepted"),
}


def _names(data: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in (("zh-Hans", data.get("name_zh", "")), ("en", data.get("name_en", ""))) if v}


def _stakeholder_of(row) -> dict[str, object]:
    names = row.names or {}
    return {"name_zh": names.get("zh-Hans", ""), "name_en": names.get("en", ""), "kind": row.kind,
            "groups": sorted(row.groups), "consent": row.consent}


def _engagement_of(row) -> dict[str, object]:
    return {"title": localised(row.title), "date": row.date, "format": row.format,
            "participants": row.participants, "groups": dict(row.groups_reached)}


def _labels(form) -> dict[str, str]:
    return {name: str(field.label) for name, field in form.fields.items()}


def _save_stakeholder(request: HttpRequest, ed, form) -> conflicts.Resolution:
    from vlrkit.store import versions
    from vlrkit.store.models import Stakeholder

    d = form.cleaned_data
    lookup = {"edition": ed, "code": d["code"]}

    def write(row, v: dict) -> None:
        fields = {"names": _names(v), "kind": v["kind"], "groups": v["groups"], "consent": v["consent"]}
        if row is None:
            versions.create(Stakeholder, lookup, **fields)
            return
        for k, value in fields.items():
            setattr(row, k, value)
        row.save()

    mine = {**{k: d[k] for k in ("name_zh", "name_en", "kind", "consent")}, "groups": sorted(d["groups"])}
    return conflicts.save(request, Stakeholder, lookup, d["version"], mine, _stakeholder_of, _labels(form), write)


def _save_engagement(request: HttpRequest, ed, form) -> conflicts.Resolution:
    from vlrkit.store import versions
    from vlrkit.store.models import Engagement

    d = form.cleaned_data
    lookup = {"edition": ed, "code": d["code"]}
    lang = current_lang()

    def write(row, v: dict) -> None:
        fields = {"title": {**(row.title if row is not None else {}), lang: v["title"]}, "date": v["date"],
                  "format": v["format"], "participants": v["participants"], "groups_reached": v["groups"]}
        if row is None:
            versions.create(Engagement, lookup, **fields)
            return
        for k, value in fields.items():
            setattr(row, k, value)
        row.save()

    mine = {k: d[k] for k in ("title", "date", "format", "participants", "groups")}
    return conflicts.save(request, Engagement, lookup, d["version"], mine, _engagement_of, _labels(form), write)


def index(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    from vlrkit.store import versions
    from vlrkit.store.models import Contribution, Engagement, Stakeholder

    ed = edition_obj(edition)
    stakeholder_form = f.StakeholderForm(prefix="s")
    engagement_form = f.EngagementForm(prefix="e")
    conflict, status = None, 200
    if request.method == "POST":
        # both forms add a row, or replace the one with the same code (saved over its version)
        if "s-code" in request.POST:
            stakeholder_form = f.StakeholderForm(request.POST, prefix="s")
            if stakeholder_form.is_valid():
                res = _save_stakeholder(request, ed, stakeholder_form)
                code = stakeholder_form.cleaned_data["code"]
                if res.conflict is None:
                    messages.success(request, conflicts.kept_message(res) or _("Stakeholder %(code)s saved.") % {"code": code})
                    return redirect("web:participation", edition=edition)
                conflict, status = res.conflict, 409
                stakeholder_form = f.StakeholderForm(
                    prefix="s", initial={**conflict.proposal, "code": code, "version": conflict.version})
                conflict = conflicts.offer(conflict, stakeholder_form, request)
        else:
            engagement_form = f.EngagementForm(request.POST, prefix="e")
            if engagement_form.is_valid():
                res = _save_engagement(request, ed, engagement_form)
                code = engagement_form.cleaned_data["code"]
                if res.conflict is None:
                    messages.success(request, conflicts.kept_message(res) or _("Engagement %(code)s saved.") % {"code": code})
                    return redirect("web:participation", edition=edition)
                conflict, status = res.conflict, 409
                groups = ", ".join(f"{g}={n}" for g, n in sorted(conflict.proposal["groups"].items()))
                engagement_form = f.EngagementForm(
                    prefix="e", initial={**conflict.proposal, "groups": groups, "code": code, "version": conflict.version})
                conflict = conflicts.offer(conflict, engagement_form, request)
    stakeholders = [
        {"code": s.code, "name": localised(s.names), "kind": s.kind, "groups": s.groups, "consent": s.consent}
        for s in Stakeholder.objects.filter(edition=ed).order_by("code")
    ]
    engagements = [
        {"code": e.code, "title": localised(e.title), "date": e.date, "format": e.format,
         "participants": e.participants,
         "groups": [f"{g} {n}" if n else g for g, n in sorted(e.groups_reached.items())]}
        for e in Engagement.objects.filter(edition=ed).order_by("date", "code")
    ]
    contributions = list(
        Contribution.objects.filter(edition=ed).select_related("stakeholder").order_by("status", "-date", "code")
    )
    for c in contributions:
        c.stakeholder_name = localised(c.stakeholder.names) or c.stakeholder.code
        c.version = versions.stamp(c) if c.status == "submitted" else 0
    return render(request, "web/participation.html", {
        "stakeholders": stakeholders, "engagements": engagements, "contributions": contributions,
        "stakeholder_form": stakeholder_form, "engagement_form": engagement_form,
        "pending": sum(c.status == "submitted" for c in contributions), "conflict": conflict,
    }, status=status)


def _stakeholder_code(name: str) -> str:
    return "S-" + hashlib.sha1(name.strip().casefold().encode()).hexdigest()[:10]


def contribute(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    """The public form: anyone may submit; nothing reaches the annex before a coordinator accepts it."""
    from vlrkit.store.models import Contribution, Stakeholder

    ed = edition_obj(edition)
    if ed.status == "published":
        return render(request, "web/contribute.html", {"closed": True})
    form = f.ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            holder, _created = Stakeholder.objects.get_or_create(
                edition=ed, code=_stakeholder_code(d["organisation"]),
                defaults={"names": {current_lang(): d["organisation"]}, "kind": d["kind"], "consent": d["consent"]},
            )
            n = Contribution.objects.filter(edition=ed).count() + 1
            code = f"C-{n:04d}"
            while Contribution.objects.filter(edition=ed, code=code).exists():
                n += 1
                code = f"C-{n:04d}"
            Contribution.objects.create(
                edition=ed, code=code, stakeholder=holder, date=date.today(), lang=current_lang(),
                text=d["text"], goals=sorted(d["goals"]), status="submitted",
                submitted_by=request.user if request.user.is_authenticated else None,
            )
        return render(request, "web/contribute.html", {"thanks": code, "mine": _sees_own(request)})
    return render(request, "web/contribute.html", {"form": form, "mine": _sees_own(request)})


def _sees_own(request: HttpRequest) -> bool:
    """Whether the visitor may open "My contributions" (its rule in ``roles.ACCESS``)."""
    from vlrkit.web import roles

    return roles.allowed(roles.ACCESS["web:my_contributions"], getattr(request, "vlr_roles", frozenset()),
                         "GET", getattr(request, "vlr_edition_status", None))


def mine(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    """The contributions the logged-in stakeholder sent through the form, with their status."""
    from vlrkit.store.models import Contribution

    ed = edition_obj(edition)
    rows = Contribution.objects.filter(edition=ed, submitted_by=request.user).order_by("-date", "-code")
    items = [{"code": c.code, "date": c.date, "goals": c.goals, "text": c.text, "status": c.status,
              "status_label": MY_STATUS.get(c.status, c.status)} for c in rows]
    return render(request, "web/my_contributions.html", {
        "contributions": items, "pending": sum(c["status"] == "submitted" for c in items),
        "closed": ed.status == "published",
    })


@require_POST
def moderate(request: HttpRequest, edition: EditionKey, code: str) -> HttpResponse:
    from vlrkit.store import versions
    from vlrkit.store.models import Contribution
    from vlrkit.web.models import Moderation

    ed = edition_obj(edition)
    get_object_or_404(Contribution, edition=ed, code=code)
    decision = request.POST.get("decision", "")
    if decision not in DECISIONS:
        messages.error(request, _("Unknown decision."))
        return redirect("web:participation", edition=edition)
    try:
        version = int(request.POST.get("version") or 0)
    except ValueError:
        version = -1
    try:
        with transaction.atomic():
            contribution = versions.guard(Contribution, version, edition=ed, code=code)
            contribution.status = decision
            contribution.save()
            Moderation.objects.create(entity=edition.entity, edition=edition.code, contribution=code,
                                      decision=decision, user=request.user, note=request.POST.get("note", "")[:2000])
    except versions.Stale as stale:
        who = stale.since[0].history_user if stale.since else None
        now = stale.current.status if stale.current is not None else "—"
        messages.error(request, _("Contribution %(code)s was changed by %(who)s since you opened the page (it is "
                                  "now: %(now)s); your decision was not saved.") % {
            "code": code, "who": who.get_username() if who else "—", "now": MY_STATUS.get(now, now)})
        return redirect("web:participation", edition=edition)
    if decision == "accepted":
        messages.success(request, _("Contribution %(code)s accepted: it will appear in the stakeholder annex.") % {"code": code})
    else:
        messages.success(request, _("Contribution %(code)s rejected.") % {"code": code})
    return redirect("web:participation", edition=edition)
