"""Every view × every role, reading and writing, on a draft and on a published edition of two
entities that use the same edition codes.

The visitors hold their roles in Testville; Othertown has editions with the very same codes.
Every URL is asked for both entities' editions: what a role may do in Testville it may not do in
Othertown (there it is a visitor like any other), and no page answers 500.

The matrix is generated from the URL configuration, so a new view without a rule in
``vlrkit.web.roles.ACCESS`` fails ``test_every_url_has_a_rule`` (and is refused to everyone by
the middleware, which ``test_view_without_rule_is_refused`` checks).
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from tests.web.conftest import CONTRIBUTION, DRAFT, ENTITY, INDICATOR, PUBLISHED, _edition

from vlrkit.web import roles as r
from vlrkit.web.editions import EditionKey

OTHER = "OTHERTOWN"

VISITORS = (*r.ROLES, None)  # None: not logged in


def _web_names() -> list[tuple[str, list[str]]]:
    """(URL name, its parameters) for every pattern in the ``web`` namespace."""
    out = []
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "web":
            for p in entry.url_patterns:
                assert isinstance(p, URLPattern)
                out.append((p.name, list(p.pattern.converters)))
    return out


WEB_NAMES = _web_names()


def test_every_url_has_a_rule():
    names = {f"web:{n}" for n, _ in WEB_NAMES}
    assert all(n for n, _ in WEB_NAMES), "every URL pattern needs a name"
    missing = names - set(r.ACCESS)
    assert not missing, f"views without an access rule: {sorted(missing)}"
    stale = set(r.ACCESS) - names - {"admin:*"}
    assert not stale, f"rules for views that do not exist: {sorted(stale)}"


def _kwargs(name: str, params: list[str], edition: EditionKey | None, pks: dict[str, int]) -> dict[str, object]:
    values = {
        "edition": edition, "goal": 11, "section": "GE-1", "lang": "en", "kind": "narrative",
        "pk": pks.get(name, pks["history"]), "name": "html/en/index.html",
        "code": CONTRIBUTION if name == "moderate" else DRAFT if name == "legacy" else INDICATOR,
        "rest": "goal/11/",
        "token": "not-a-token", "uidb64": "MQ",
    }
    return {p: values[p] for p in params}


def _expected(role: str | None, rule: r.Rule, method: str, status: str | None, own: bool) -> bool:
    """Whether ``role`` may do ``method`` through ``rule`` on an edition of Testville (``own``) or
    of Othertown: every role is held in Testville only, and counts for nothing in Othertown,
    except the admin's, who administers the installation (tests/web/test_tenancy.py has an
    admin of one entity)."""
    held = {r.ANYONE} | ({role} if role and (own or role == r.ADMIN) else set())
    if role == r.READER and status not in (None, "published"):  # as roles.effective_roles
        held.discard(r.READER)
    if status == "published":
        held.add(r.READER)  # the public site is on by default
    return r.allowed(rule, frozenset(held), method, status)


def _is_refused(response) -> bool:
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


EDITIONS = ((ENTITY, DRAFT), (ENTITY, PUBLISHED), (OTHER, DRAFT), (OTHER, PUBLISHED))


def _cases(params: list[str]):
    editions = [EditionKey(*e) for e in EDITIONS] if "edition" in params else [None]
    for edition in editions:
        for method in ("GET", "POST"):
            for role in VISITORS:
                yield edition, method, role


@pytest.fixture
def two_entities(review, publish_dir):
    """Testville's editions (``review``) and Othertown's with the same codes."""
    from vlrkit.store import models as m

    other = m.Entity.objects.create(code=OTHER, names={"en": "Othertown", "zh-Hans": "他镇"})
    for lang in ("en", "zh-Hans"):
        site = publish_dir / OTHER / PUBLISHED / "html" / lang
        site.mkdir(parents=True)
        (site / "index.html").write_text("<html><body>othertown</body></html>", encoding="utf-8")
    return {
        EditionKey(ENTITY, DRAFT): review["draft"], EditionKey(ENTITY, PUBLISHED): review["published"],
        EditionKey(OTHER, DRAFT): _edition(other, DRAFT, 2025, "draft"),
        EditionKey(OTHER, PUBLISHED): _edition(other, PUBLISHED, 2021, "published"),
    }


@pytest.mark.parametrize(("name", "params"), WEB_NAMES, ids=[n for n, _ in WEB_NAMES])
def test_matrix(name, params, two_entities, as_role):
    from vlrkit.store.models import Narrative
    from vlrkit.web.models import Job, Upload

    rule = r.ACCESS[f"web:{name}"]
    for edition, method, role in _cases(params):
        status = None if edition is None else ("published" if edition.code == PUBLISHED else "draft")
        ed = two_entities[edition or EditionKey(ENTITY, DRAFT)]
        history_pk = Narrative.history.filter(edition_id=ed.id).first().history_id
        upload = Upload.objects.filter(entity=ed.entity.code, edition=ed.code).first() or Upload.objects.create(
            entity=ed.entity.code, edition=ed.code, name="x.csv", path="/nonexistent/x.csv", report={"valid": False})
        job = Job.objects.filter(entity=ed.entity.code, edition=ed.code).first() or Job.objects.create(
            kind="publish", entity=ed.entity.code, edition=ed.code, status="done")
        pks = {"history": history_pk, "import_report": upload.pk, "job": job.pk, "job_status": job.pk}
        url = reverse(f"web:{name}", kwargs=_kwargs(name, params, edition, pks))
        client = as_role(role)
        response = client.get(url) if method == "GET" else client.post(url, {})
        expected = _expected(role, rule, method, status, own=edition is None or edition.entity == ENTITY)
        refused = _is_refused(response)
        assert refused != expected, (
            f"{method} {url} as {role or 'anonymous'}: status {response.status_code}, "
            f"expected {'allowed' if expected else 'refused'}"
        )
        assert response.status_code < 500


@pytest.mark.parametrize("role", VISITORS)
def test_django_admin_only_for_admins(role, db, as_role, users):
    response = as_role(role).get("/admin/")
    if role == r.ADMIN:
        assert response.status_code == 200
    else:
        assert _is_refused(response)


def test_django_admin_refuses_an_entitys_admin(db, client):
    """Django's admin holds every entity's accounts and roles: an admin of one entity (not a
    superuser) is refused (by Django's admin itself: its own log-in page)."""
    from tests.web.conftest import PASSWORD

    from vlrkit.web.accounts import add_user

    client.force_login(add_user("town-admin", PASSWORD, roles=[r.ADMIN], entity=ENTITY))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# A URL configuration with one view that has no rule: the middleware must refuse it.
def _unruled(request):
    from django.http import HttpResponse

    return HttpResponse("should never be seen")


from django.urls import include, path  # noqa: E402

from vlrkit.web.urls import web_patterns  # noqa: E402

urlpatterns = [path("", include(([*web_patterns, path("unruled/", _unruled, name="unruled")], "web")))]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("role", VISITORS)
def test_view_without_rule_is_refused(role, as_role):
    response = as_role(role).get("/unruled/")
    assert response.status_code == 403
    assert b"should never be seen" not in response.content
