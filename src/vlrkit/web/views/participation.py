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


def index(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    from vlrkit.store.models import Contribution, Engagement, Stakeholder

    ed = edition_obj(edition)
    stakeholder_form = f.StakeholderForm(prefix="s")
    engagement_form = f.EngagementForm(prefix="e")
    if request.method == "POST":
        if "s-code" in request.POST:
            stakeholder_form = f.StakeholderForm(request.POST, prefix="s")
            if stakeholder_form.is_valid():
                d = stakeholder_form.cleaned_data
                Stakeholder.objects.update_or_create(
                    edition=ed, code=d["code"],
                    defaults={"names": _names(d), "kind": d["kind"], "groups": d["groups"], "consent": d["consent"]},
                )
                messages.success(request, _("Stakeholder %(code)s saved.") % {"code": d["code"]})
                return redirect("web:participation", edition=edition)
        else:
            engagement_form = f.EngagementForm(request.POST, prefix="e")
            if engagement_form.is_valid():
                d = engagement_form.cleaned_data
                reached = d["groups"]
                Engagement.objects.update_or_create(
                    edition=ed, code=d["code"],
                    defaults={"title": {current_lang(): d["title"]}, "date": d["date"], "format": d["format"],
                              "participants": d["participants"], "groups_reached": reached},
                )
                messages.success(request, _("Engagement %(code)s saved.") % {"code": d["code"]})
                return redirect("web:participation", edition=edition)
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
    return render(request, "web/participation.html", {
        "stakeholders": stakeholders, "engagements": engagements, "contributions": contributions,
        "stakeholder_form": stakeholder_form, "engagement_form": engagement_form,
        "pending": sum(c.status == "submitted" for c in contributions),
    })


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
    from vlrkit.store.models import Contribution
    from vlrkit.web.models import Moderation

    ed = edition_obj(edition)
    contribution = get_object_or_404(Contribution, edition=ed, code=code)
    decision = request.POST.get("decision", "")
    if decision not in DECISIONS:
        messages.error(request, _("Unknown decision."))
        return redirect("web:participation", edition=edition)
    with transaction.atomic():
        contribution.status = decision
        contribution.save()
        Moderation.objects.create(entity=edition.entity, edition=edition.code, contribution=code, decision=decision, user=request.user,
                                  note=request.POST.get("note", "")[:2000])
    if decision == "accepted":
        messages.success(request, _("Contribution %(code)s accepted: it will appear in the stakeholder annex.") % {"code": code})
    else:
        messages.success(request, _("Contribution %(code)s rejected.") % {"code": code})
    return redirect("web:participation", edition=edition)
