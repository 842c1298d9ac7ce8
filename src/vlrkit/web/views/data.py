"""Data in: upload a file or an Open SDG repository (zip) → the validation report, translated,
with the problem rows → confirm the import (all or nothing); download fill-in templates.

Validating and importing run as background jobs (:mod:`vlrkit.web.uploads` is their work), so
the request only stores the file and queues the job; the user watches it on the job page, which
leads on to the report (after validation) or to the dashboard (after the import).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from vlrkit.web import forms as f
from vlrkit.web import publishing, snapshot, uploads
from vlrkit.web import roles as r
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang
from vlrkit.web.views._common import edition_obj, indicator_obj

#: Room for the form fields and multipart boundaries around the file itself.
UPLOAD_OVERHEAD_BYTES = 64 * 1024
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _too_large(request: HttpRequest) -> bool:
    """Refuse an oversized body before reading it (the form checks the file again)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.VLRKIT_MAX_UPLOAD_BYTES + UPLOAD_OVERHEAD_BYTES


def uploads_root() -> Path:
    return publishing.root().with_name(publishing.root().name.replace(".published", "") + ".uploads")


def upload(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    from vlrkit.store.models import Import
    from vlrkit.web.jobs import runner
    from vlrkit.web.models import Upload, of_edition

    ed = edition_obj(edition)
    if request.method == "POST" and _too_large(request):
        messages.error(request, _("The upload is larger than the limit of %(mb)s MB.") % {
            "mb": settings.VLRKIT_MAX_UPLOAD_BYTES // (1024 * 1024)})
        return redirect("web:data", edition=edition)
    form = f.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        folder = uploads_root() / uuid.uuid4().hex
        folder.mkdir(parents=True)
        path = folder / (SAFE_NAME.sub("_", Path(file.name).name) or "upload")
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        up = Upload.objects.create(entity=edition.entity, edition=edition.code, user=request.user, name=file.name,
                                   path=str(path), status=uploads.VALIDATING)
        job = runner.start("validate", edition, request.user, upload=up.pk)
        return redirect("web:job", edition=edition, pk=job.pk)
    imports = Import.objects.filter(edition=ed).select_related("user").order_by("-started")[:20]
    pending = of_edition(Upload, edition).filter(status=uploads.PENDING)[:20]
    templates = []
    for i in snapshot.review(edition).indicators:
        if r.may_edit_indicator(request, edition, i.code, i.goal):
            templates.append(i.code)
    return render(request, "web/data.html", {"form": form, "imports": imports, "pending": pending,
                                             "templates": templates})


def _title(slug: str, lang: str) -> str:
    from vlrkit.validation.catalogue import CATALOGUE

    cls = CATALOGUE.get(slug)
    return cls.title.get(lang, cls.title["en"]) if cls else slug


def import_report(request: HttpRequest, edition: EditionKey, pk: int) -> HttpResponse:
    from vlrkit.web.models import Upload, of_edition

    edition_obj(edition)
    up = get_object_or_404(of_edition(Upload, edition), pk=pk)
    if up.user_id != request.user.id and not r.roles_of(request.user, edition) & r.LEADS:
        return redirect("web:data", edition=edition)
    if request.method == "POST":
        return _confirm(request, edition, up)
    if up.status in (uploads.VALIDATING, uploads.IMPORTING):  # a job is on it: show its progress
        from vlrkit.web.jobs import runner

        kind = "validate" if up.status == uploads.VALIDATING else "import"
        if job := runner.active(kind, edition, upload=up.pk):
            return redirect("web:job", edition=edition, pk=job.pk)
    lang = current_lang()
    rep = up.report
    problems = []
    for p in rep.get("problems", []):
        cells = rep.get("rows_of", {}).get(p["file"], {})
        problems.append({
            **p, "title": _title(p["type"], lang), "text": p["message"].get(lang) or p["message"].get("en", ""),
            "cells": cells.get("rows", {}).get(str(p["row"])) if p["row"] is not None else None,
            "header": cells.get("header", []),
        })
    return render(request, "web/import_report.html", {
        "upload": up, "report": rep, "problems": problems, "summary": rep.get("summary", {}),
        "not_assigned": rep.get("not_assigned", []),
        "can_import": up.status == uploads.PENDING and rep.get("valid") and not rep.get("not_assigned"),
    })


def _confirm(request: HttpRequest, edition: EditionKey, up) -> HttpResponse:
    from vlrkit.web.jobs import runner

    if request.POST.get("action") == "discard" or up.status != uploads.PENDING:
        if up.status == uploads.PENDING:
            uploads.discard_file(up)
            messages.success(request, _("The upload was discarded; nothing was imported."))
        elif job := runner.active("import", edition, upload=up.pk):
            return redirect("web:job", edition=edition, pk=job.pk)
        return redirect("web:data", edition=edition)
    if not Path(up.path).is_file():
        messages.error(request, _("The uploaded file is no longer there; upload it again."))
        return redirect("web:data", edition=edition)
    if not up.report.get("valid") or up.report.get("not_assigned"):
        messages.error(request, _("The data has errors; nothing was imported. Fix the file and upload it again."))
        return redirect("web:import_report", edition=edition, pk=up.pk)
    up.status = uploads.IMPORTING
    up.save(update_fields=["status"])
    job = runner.start("import", edition, request.user, upload=up.pk)
    return redirect("web:job", edition=edition, pk=job.pk)


def template(request: HttpRequest, edition: EditionKey, code: str) -> HttpResponse:
    from vlrkit.formats.tabular.template import to_xlsx

    ed = edition_obj(edition)
    ind = indicator_obj(ed, code)
    r.require_indicator(request, edition, ind.code, ind.goal)
    meta = snapshot.review(edition).indicator(code)
    response = HttpResponse(
        to_xlsx(meta), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{SAFE_NAME.sub("_", code)}.xlsx"'
    return response
