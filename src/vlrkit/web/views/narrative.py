"""Narrative editor: one section per guiding element and language, guidance beside it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vlrkit.web.views._common import edition_obj


def index(request: HttpRequest, edition: str) -> HttpResponse:
    edition_obj(edition)
    return render(request, "web/dashboard.html", {})


def edit(request: HttpRequest, edition: str, section: str, lang: str) -> HttpResponse:
    edition_obj(edition)
    return render(request, "web/dashboard.html", {})


def preview(request: HttpRequest, edition: str) -> HttpResponse:
    edition_obj(edition)
    return render(request, "web/dashboard.html", {})
