"""Home page, edition list, log in and log out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vlrkit.web import roles
from vlrkit.web.editions import all_editions
from vlrkit.web.text import localised


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _visible(request: HttpRequest) -> list[dict[str, object]]:
    rows = []
    for ed in all_editions():
        effective = roles.effective_roles(request, ed.code, ed.status)
        workspace = roles.allowed(roles.ACCESS["web:dashboard"], effective, "GET", ed.status)
        contribute = ed.status != "published" and bool(effective & {roles.STAKEHOLDER, roles.ADMIN, roles.COORDINATOR})
        if workspace or contribute or roles.READER in effective:
            rows.append(
                {
                    "code": ed.code,
                    "year": ed.year,
                    "status": ed.status,
                    "title": localised(getattr(ed, "title", None)) or ed.code,
                    "workspace": workspace,
                    "contribute": contribute,
                }
            )
    return rows


def home(request: HttpRequest) -> HttpResponse:
    """Every edition the visitor may open."""
    return render(request, "web/home.html", {"editions": _visible(request)})


def editions(request: HttpRequest) -> HttpResponse:
    return home(request)
