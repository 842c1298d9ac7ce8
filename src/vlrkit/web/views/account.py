"""Home page, edition list, log in and log out, and the old entity-less addresses."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from vlrkit.web import roles
from vlrkit.web.editions import all_editions, by_code
from vlrkit.web.text import localised


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _visible(request: HttpRequest) -> list[dict[str, object]]:
    rows = []
    for ed in all_editions():
        effective = roles.effective_roles(request, ed.key, ed.status)
        workspace = roles.allowed(roles.ACCESS["web:dashboard"], effective, "GET", ed.status)
        contribute = ed.status != "published" and bool(effective & {roles.STAKEHOLDER, roles.ADMIN, roles.COORDINATOR})
        if workspace or contribute or roles.READER in effective:
            rows.append(
                {
                    "key": ed.key,
                    "code": ed.code,
                    "entity": localised(ed.entity_names) or ed.key.entity,
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


def legacy(request: HttpRequest, code: str, rest: str = "") -> HttpResponse:
    """``/e/<edition>/…``, the addresses from before editions were named with their entity:
    redirect to ``/review/<entity>/<edition>/…`` when one entity has that edition code (307
    keeps a form's POST a POST); when several do, list them; when none does, 404.  The address
    redirected to checks access itself."""
    found = by_code(code)
    if not found:
        raise Http404(code)
    if len(found) > 1:
        # the entities' names only: an unpublished edition's title is not for every visitor
        rows = [{"key": ed.key, "entity": localised(ed.entity_names) or ed.key.entity} for ed in found]
        return render(request, "web/ambiguous.html", {"code": code, "editions": rows}, status=300)
    url = reverse("web:dashboard", kwargs={"edition": found[0].key}) + quote(rest, safe="/~:@!$&'()*+,;=")
    if query := request.META.get("QUERY_STRING"):
        url += "?" + query
    return HttpResponseRedirect(url, status=307 if request.method == "POST" else 302)
