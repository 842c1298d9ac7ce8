"""The review, read: dashboard of the 17 goals, goal pages and indicator pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vlrkit.web.views._common import edition_obj


def dashboard(request: HttpRequest, edition: str) -> HttpResponse:
    ed = edition_obj(edition)
    return render(request, "web/dashboard.html", {"edition": ed})


def goal(request: HttpRequest, edition: str, goal: int) -> HttpResponse:
    ed = edition_obj(edition)
    return render(request, "web/dashboard.html", {"edition": ed})


def indicator(request: HttpRequest, edition: str, code: str) -> HttpResponse:
    ed = edition_obj(edition)
    return render(request, "web/dashboard.html", {"edition": ed})
