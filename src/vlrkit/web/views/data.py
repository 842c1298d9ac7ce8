"""Data in: upload a file or an Open SDG repository (zip) → the validation report, translated,
with the problem rows → confirm the import (all or nothing); download fill-in templates.

Reading and validating is :func:`vlrkit.ingest.read`'s; storing is
:func:`vlrkit.store.imports.store_ingest`'s.  This module keeps the uploaded file between the
two steps and checks that a data provider imports only the indicators assigned to them.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from vlrkit.web import forms as f
from vlrkit.web import publishing, snapshot
from vlrkit.web import roles as r
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang
from vlrkit.web.views._common import edition_obj, indicator_obj

#: Problems listed on the report page, at most (the counts always cover all of them).
MAX_PROBLEMS = 500
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


def _known(edition: EditionKey) -> dict:
    review = snapshot.review(edition)
    return {i.code: i for i in review.indicators}


def _ingest(edition: EditionKey, path: Path):
    from vlrkit.ingest import read

    return read(path, known=_known(edition), entity=snapshot.review(edition).entity.code)


def _problem_rows(ingest, problems) -> dict[str, dict[int, list[str]]]:
    """Original cells of the rows named by problems: file -> row -> cells."""
    import polars as pl

    wanted: dict[str, set[int]] = {}
    for p in problems:
        if p.row is not None:
            wanted.setdefault(p.file, set()).add(p.row)
    out: dict[str, dict[int, list[str]]] = {}
    for file, rows in wanted.items():
        raw = ingest.raw.get(file)
        if raw is None:
            continue
        sel = raw.frame.filter(pl.col("row").is_in(sorted(rows)))
        cols = [c for c in sel.columns if c != "row"]
        out[file] = {"header": list(raw.header), "rows": {
            str(rec["row"]): ["" if rec[c] is None else str(rec[c]) for c in cols] for rec in sel.to_dicts()
        }}
    return out


def _indicators_in(ingest) -> set[str]:
    codes = {i.code for i in ingest.indicators}
    if ingest.observations.height:
        codes |= set(ingest.observations.get_column("indicator").unique().to_list())
    return codes


def _not_assigned(request: HttpRequest, edition: EditionKey, ingest) -> list[str]:
    """Indicators of the upload the user may not change (data providers: not assigned)."""
    known = _known(edition)
    out = []
    for code in sorted(_indicators_in(ingest)):
        goal = known[code].goal if code in known else next((i.goal for i in ingest.indicators if i.code == code), 0)
        if not r.may_edit_indicator(request, edition, code, goal):
            out.append(code)
    return out


def upload(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    from vlrkit.store.models import Import
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
        try:
            ingest = _ingest(edition, path)
        except Exception as exc:  # noqa: BLE001 - unreadable or unsafe source: tell the user, keep nothing
            shutil.rmtree(folder, ignore_errors=True)
            messages.error(request, _("%(name)s could not be read: %(why)s") % {"name": file.name, "why": exc})
            return redirect("web:data", edition=edition)
        report = ingest.report.to_dict()
        from vlrkit.validation import sort_problems

        problems = sort_problems(ingest.report.problems)
        report["problems"] = [
            {**p.to_dict(), "message": p.message} for p in problems[:MAX_PROBLEMS]
        ]
        report["rows_of"] = _problem_rows(ingest, problems[:MAX_PROBLEMS])
        report["summary"] = ingest.summary()
        report["not_assigned"] = _not_assigned(request, edition, ingest)
        up = Upload.objects.create(entity=edition.entity, edition=edition.code, user=request.user, name=file.name, path=str(path), report=report)
        return redirect("web:import_report", edition=edition, pk=up.pk)
    imports = Import.objects.filter(edition=ed).select_related("user").order_by("-started")[:20]
    pending = of_edition(Upload, edition).filter(status="pending")[:20]
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
        "can_import": up.status == "pending" and rep.get("valid") and not rep.get("not_assigned"),
    })


def _confirm(request: HttpRequest, edition: EditionKey, up) -> HttpResponse:
    from vlrkit.store.imports import ImportRefused, store_ingest

    if request.POST.get("action") == "discard" or up.status != "pending":
        if up.status == "pending":
            up.status = "discarded"
            up.save()
            shutil.rmtree(Path(up.path).parent, ignore_errors=True)
            messages.success(request, _("The upload was discarded; nothing was imported."))
        return redirect("web:data", edition=edition)
    path = Path(up.path)
    if not path.is_file():
        messages.error(request, _("The uploaded file is no longer there; upload it again."))
        return redirect("web:data", edition=edition)
    ingest = _ingest(edition, path)
    refused = _not_assigned(request, edition, ingest)
    if refused:
        messages.error(request, _("You are not assigned to these indicators: %(codes)s") % {"codes": ", ".join(refused)})
        return redirect("web:import_report", edition=edition, pk=up.pk)
    try:
        result = store_ingest(ingest, edition=edition.code, entity=edition.entity, path=up.name, user=request.user)
    except ImportRefused:
        messages.error(request, _("The data has errors; nothing was imported. Fix the file and upload it again."))
        return redirect("web:import_report", edition=edition, pk=up.pk)
    up.status = "imported"
    up.result = {"code": result.code, "status": result.status, "counts": result.counts}
    up.save()
    shutil.rmtree(path.parent, ignore_errors=True)
    messages.success(request, _("Imported %(name)s: %(counts)s") % {
        "name": up.name, "counts": ", ".join(f"{k} {v}" for k, v in result.counts.items())})
    return redirect("web:dashboard", edition=edition)


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
