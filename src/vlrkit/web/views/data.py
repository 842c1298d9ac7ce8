"""Data in: upload a file or an Open SDG repository (zip), see the validation report, import."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vlrkit.web.views._common import edition_obj


def upload(request: HttpRequest, edition: str) -> HttpResponse:
    edition_obj(edition)
    return render(request, "web/dashboard.html", {})


def import_report(request: HttpRequest, edition: str, pk: int) -> HttpResponse:
    edition_obj(edition)
    return render(request, "web/dashboard.html", {})


def template(request: HttpRequest, edition: str, code: str) -> HttpResponse:
    edition_obj(edition)
    return render(request, "web/dashboard.html", {})
