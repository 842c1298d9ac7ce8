"""The memoised page shell of the dashboard, goal and indicator pages: same content as a full
render, a CSRF token of its own per response, the visitor's own name, messages still shown,
and a change of the data seen at once."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.test import RequestFactory
from django.urls import resolve
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, PASSWORD

from vlrkit.web import snapshot
from vlrkit.web.editions import EditionKey

PAGES = (f"/review/{ENTITY}/{DRAFT}/", f"/review/{ENTITY}/{DRAFT}/goal/11/", f"/review/{ENTITY}/{DRAFT}/indicator/{INDICATOR}/")
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _tokens(html: bytes) -> set[bytes]:
    return set(TOKEN.findall(html))


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_cached_page_equals_full_render_but_for_the_token(review, as_role, path):
    c = as_role("coordinator")
    first, second = c.get(path), c.get(path)
    assert first.status_code == second.status_code == 200
    assert snapshot.CSRF_PLACEHOLDER.encode() not in second.content
    t1, t2 = _tokens(first.content), _tokens(second.content)
    assert len(t1) == len(t2) == 1 and t1 != t2  # a fresh masked token per response
    assert TOKEN.sub(b"", first.content) == TOKEN.sub(b"", second.content)


@pytest.mark.django_db
def test_token_of_a_cached_page_is_accepted(review, users):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(users["coordinator"])
    c.get(PAGES[0])
    page = c.get(PAGES[0]).content  # from the memo
    token = TOKEN.search(page).group(1).decode()
    r = c.post("/i18n/setlang/", {"language": "en", "next": PAGES[0], "csrfmiddlewaretoken": token})
    assert r.status_code == 302
    bad = c.post("/i18n/setlang/", {"language": "en", "next": PAGES[0], "csrfmiddlewaretoken": "x" * 64})
    assert bad.status_code == 403


@pytest.mark.django_db
def test_each_visitor_sees_their_own_name(review, as_role):
    from django.test import Client
    from tests.web.conftest import PASSWORD

    from vlrkit.web.accounts import add_user

    other = Client()
    other.force_login(add_user("coordinator-two", PASSWORD, roles=["coordinator"]))  # same roles
    a = as_role("coordinator").get(PAGES[1]).content.decode()
    b = other.get(PAGES[1]).content.decode()
    again = as_role("coordinator").get(PAGES[1]).content.decode()
    assert "<span>coordinator <" in a and "<span>coordinator <" in again
    assert "<span>coordinator-two <" in b and "<span>coordinator <" not in b


@pytest.mark.django_db
def test_messages_are_shown_on_a_cached_page(review, users):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from vlrkit.web.views import review as views

    factory = RequestFactory()

    def request():
        req = factory.get(PAGES[0])
        req.resolver_match = resolve(PAGES[0])
        req.user = users["coordinator"]
        req.session = SessionStore()
        req._messages = FallbackStorage(req)
        req.vlr_roles = frozenset({"coordinator", "anyone"})
        req.vlr_edition_status = "draft"
        return req

    views.dashboard(request(), EditionKey(ENTITY, DRAFT))  # fills the memo
    req = request()
    messages.info(req, "Imported 12 rows.")
    assert "Imported 12 rows." in views.dashboard(req, EditionKey(ENTITY, DRAFT)).content.decode()
    assert "Imported 12 rows." not in views.dashboard(request(), EditionKey(ENTITY, DRAFT)).content.decode()


@pytest.mark.django_db
def test_a_change_of_the_data_shows_at_once(review, as_role):
    from vlrkit.store import models as m

    c = as_role("coordinator")
    assert "Bus corridor" not in c.get(PAGES[2]).content.decode()
    ind = m.LocalIndicator.objects.get(edition=review["draft"], code=INDICATOR)
    ind.names = {**ind.names, "en": "Bus corridor coverage"}
    ind.save()
    assert "Bus corridor coverage" in c.get(PAGES[2]).content.decode()


@pytest.mark.django_db
def test_a_write_rerenders_the_body_once_not_a_shell_per_visitor(review, as_role, monkeypatch):
    """Shells are memoised per visitor, bodies are shared: a narrative edit (the dashboard's
    text part) renders the dashboard's body again once, and no visitor's shell, which shows no
    narrative; a change of the edition's own row renders the shells again."""
    import django.template.loader as loader
    from django.test import Client

    from vlrkit.store.models import Narrative
    from vlrkit.web.accounts import add_user

    visitors = []
    for name in ("coordinator-1", "coordinator-2", "coordinator-3"):  # same role: one shared body
        c = Client()
        c.force_login(add_user(name, PASSWORD, roles=["coordinator"], entity=ENTITY))
        visitors.append(c)
    dashboard = f"/review/{ENTITY}/{DRAFT}/"
    for c in visitors:
        assert c.get(dashboard).status_code == 200
    rendered: list[str] = []
    real = loader.render_to_string
    monkeypatch.setattr(loader, "render_to_string", lambda name, *a, **k: rendered.append(name) or real(name, *a, **k))
    narrative = Narrative.objects.get(edition=review["draft"], section="GE-1", lang="en")
    narrative.text = "A new opening statement."
    narrative.save()
    pages = [c.get(dashboard).content.decode() for c in visitors]
    assert rendered == ["web/_dashboard_body.html"]
    assert all(f"coordinator-{k}" in p for k, p in enumerate(pages, 1))  # each their own shell
    rendered.clear()
    review["draft"].title = {**review["draft"].title, "en": "Renamed review"}
    review["draft"].save()
    for c in visitors:
        c.get(dashboard)
    assert rendered.count("web/page.html") == len(visitors)
