"""Publish: the workflow draft → in review → approved → published, the public site of a
published edition, and a new edition started from a copy of a published one."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from csp.decorators import csp_update
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vlrkit.web import publishing
from vlrkit.web import roles as r
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang
from vlrkit.web.views._common import edition_obj

STEPS = ("draft", "in_review", "approved", "published")


def workflow(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    from vlrkit.web.models import WorkflowEvent, of_edition

    ed = edition_obj(edition)
    user_roles = r.roles_of(request.user, edition)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "transition":
            return _transition(request, edition, ed, request.POST.get("to", ""), user_roles)
        if action == "new_edition":
            return _new_edition(request, edition, ed, user_roles)
        messages.error(request, _("Unknown action."))
        return redirect("web:publish", edition=edition)
    moves = [
        to for (frm, to), who in r.TRANSITIONS.items() if frm == ed.status and who & user_roles
    ]
    blockers = []
    if ed.status != "published":
        blockers = _blockers(edition)
    from vlrkit.web.jobs import runner

    return render(request, "web/publish.html", {
        "steps": STEPS, "status": ed.status, "moves": moves, "blockers": blockers,
        "publishing": runner.active("publish", edition),
        "events": of_edition(WorkflowEvent, edition).select_related("user")[:50],
        "may_copy": ed.status == "published" and bool(user_roles & r.LEADS),
        "formats": publishing.files(edition) if ed.status == "published" else [],
    })


def _blockers(key: EditionKey) -> list[dict[str, object]]:
    """The publish gate's blockers, each in the UI language with the editor page that fixes it."""
    from vlrkit.web.views.narrative import TEXT_LANGS

    ui = current_lang()
    out = []
    for b in publishing.gate(key).blockers:
        lang = b.lang if b.lang in TEXT_LANGS else TEXT_LANGS[0]
        out.append({"kind": b.kind, "section": b.section, "lang": lang, "message": b.message(ui),
                    "fix": reverse("web:narrative_edit", kwargs={"edition": key, "section": b.section,
                                                                 "lang": lang})})
    return out


def _transition(request: HttpRequest, key: EditionKey, ed, to: str, user_roles: frozenset[str]) -> HttpResponse:
    from vlrkit.web.models import WorkflowEvent

    seen = request.POST.get("from")
    if seen and seen != ed.status:
        # someone moved the edition since this page was opened: do not build on a status not seen
        messages.error(request, _("The edition was moved to %(now)s since you opened this page; nothing was "
                                  "changed. Look at it again.") % {"now": publishing.status_label(ed.status)})
        return redirect("web:publish", edition=key)
    allowed = r.TRANSITIONS.get((ed.status, to), r.NOBODY)
    if not allowed & user_roles:
        messages.error(request, _("Your role may not move this edition from %(a)s to %(b)s.") % {"a": ed.status, "b": to})
        return redirect("web:publish", edition=key)
    if to == "published" and (blocked := _blockers(key)):
        messages.error(request, _("The edition cannot be published yet: %(n)s problems block it (listed below).")
                       % {"n": len(blocked)})
        return redirect("web:publish", edition=key)
    if to == "published":  # rendering takes a while: a background job does it, then the step
        from vlrkit.web.jobs import runner

        job = runner.active("publish", key) or runner.start(
            "publish", key, request.user, note=request.POST.get("note", "")[:2000])
        return redirect("web:job", edition=key, pk=job.pk)
    with transaction.atomic():
        WorkflowEvent.objects.create(entity=key.entity, edition=key.code, from_status=ed.status, to_status=to,
                                     user=request.user, note=request.POST.get("note", "")[:2000])
        ed.status = to
        ed.save()
    messages.success(request, _("The edition is now: %(status)s.") % {"status": publishing.status_label(to)})
    return redirect("web:publish", edition=key)


def _new_edition(request: HttpRequest, key: EditionKey, ed, user_roles: frozenset[str]) -> HttpResponse:
    if not user_roles & r.LEADS:
        messages.error(request, _("Only a coordinator starts a new edition."))
        return redirect("web:publish", edition=key)
    code = request.POST.get("code", "").strip()
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    try:
        publishing.copy_edition(key, code, year)
    except publishing.PublishError as exc:
        messages.error(request, str(exc))
        return redirect("web:publish", edition=key)
    messages.success(request, _("Edition %(code)s started from a copy of %(old)s.") % {"code": code, "old": ed.code})
    return redirect("web:dashboard", edition=EditionKey(key.entity, code))


def public(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    """The published review's site, in the visitor's language."""
    ed = edition_obj(edition)
    if ed.status != "published":
        raise Http404(str(edition))
    lang = current_lang()
    available = publishing.languages(edition)
    if lang not in available and available:
        lang = available[0]
    return redirect("web:public_file", edition=edition, name=f"{publishing.SITE}/{lang}/index.html")


#: The generated public site (vlrkit.report's HTML) positions its charts with inline styles and
#: Vega compiles chart expressions at run time: allowed on these pages only.  Its narrative HTML
#: is sanitised (nh3) before it is written, so no script or style comes from user text.
PUBLIC_SITE_CSP = {"style-src": ["'unsafe-inline'"], "script-src": ["'unsafe-eval'"]}


@csp_update(PUBLIC_SITE_CSP)
def public_file(request: HttpRequest, edition: EditionKey, name: str) -> HttpResponse:
    ed = edition_obj(edition)
    if ed.status != "published":
        raise Http404(str(edition))
    path = publishing.public_path(edition, name)
    if path is None:
        raise Http404(name)
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), content_type=ctype)
    if not ctype.startswith(("text/html", "image/", "text/css", "text/javascript", "application/javascript", "text/csv")):
        response["Content-Disposition"] = f'attachment; filename="{Path(name).name}"'
    return response
