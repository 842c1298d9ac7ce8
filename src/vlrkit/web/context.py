"""Template context for every page: the current edition, the user's roles and the navigation."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vlrkit.web import roles
from vlrkit.web.editions import EditionKey

#: Navigation of an edition's workspace: URL name and label; shown when the user's roles allow it.
NAV: tuple[tuple[str, object], ...] = (
    ("dashboard", _("Dashboard")),
    ("indicators", _("Indicators")),
    ("data", _("Data")),
    ("narrative", _("Narrative")),
    ("alignment", _("Alignment")),
    ("participation", _("Participation")),
    ("my_contributions", _("My contributions")),
    ("actions", _("Follow-up")),
    ("changes", _("Changes")),
    ("vertical", _("Beside the nation")),
    ("publish", _("Publish")),
    ("history", _("History")),
    ("public", _("Public site")),
)


#: Navigation bars already built: (edition, roles, status, active page, language) -> items.
_NAV_CACHE: dict[tuple, list[dict[str, object]]] = {}
NAV_CACHE_SIZE = 2048


def _nav(edition: EditionKey, user_roles: frozenset[str], status: str | None, active: str | None) -> list[dict[str, object]]:
    from django.utils.translation import get_language

    key = (edition, user_roles, status, active, get_language())
    nav = _NAV_CACHE.get(key)
    if nav is None:
        nav = []
        for name, label in NAV:
            rule = roles.ACCESS[f"web:{name}"]
            if roles.allowed(rule, user_roles, "GET", status):
                nav.append(
                    {
                        "url": reverse(f"web:{name}", kwargs={"edition": edition}),
                        "label": str(label),
                        "active": active == name,
                    }
                )
        if len(_NAV_CACHE) >= NAV_CACHE_SIZE:
            _NAV_CACHE.clear()
        _NAV_CACHE[key] = nav
    return nav


def workspace(request: HttpRequest) -> dict[str, object]:
    match = getattr(request, "resolver_match", None)
    edition = match.kwargs.get("edition") if match else None
    user_roles = getattr(request, "vlr_roles", frozenset())
    status = getattr(request, "vlr_edition_status", None)
    nav = _nav(edition, user_roles, status, match.url_name) if edition else []
    return {
        # the EditionKey (entity and edition code) that {% url … edition=edition_code %} takes
        "edition_code": edition,
        "edition_status": status,
        "roles": sorted(user_roles - {roles.ANYONE}),
        "nav": nav,
    }
