"""Roles and the access rules of every view, as one table.

Six roles (the issue's): ``admin``, ``coordinator``, ``editor`` (narratives), ``data_provider``
(only the indicators or goals assigned to them), ``stakeholder`` (contributions only) and
``reader`` (published content).  Roles are granted by a :class:`vlrkit.web.models.Membership`
for one entity (all its editions), for one edition of one entity, or installation-wide; never
by an edition code alone, since two entities may use the same code
(:mod:`vlrkit.web.editions`).  A superuser is an admin everywhere.  Two pseudo-roles
complete the table: :data:`ANYONE` is every visitor, logged in or not, and readers are every
visitor of a *published* edition while the public site is on (``settings.PUBLIC_SITE``).

:data:`ACCESS` maps each URL name to a :class:`Rule`: who may read (GET/HEAD) and who may write
(POST).  :class:`AccessMiddleware` enforces it before any view runs; a URL name without a rule is
refused to everyone (fail closed), and ``tests/web/test_access_matrix.py`` fails for it.
Object-level limits (a data provider's assignments) are checked by :func:`may_edit_indicator`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vlrkit.web.editions import EditionKey

ADMIN = "admin"
COORDINATOR = "coordinator"
EDITOR = "editor"
DATA_PROVIDER = "data_provider"
STAKEHOLDER = "stakeholder"
READER = "reader"
ROLES: tuple[str, ...] = (ADMIN, COORDINATOR, EDITOR, DATA_PROVIDER, STAKEHOLDER, READER)
ANYONE = "anyone"

#: Roles that work inside an unpublished edition.
STAFF = frozenset({ADMIN, COORDINATOR, EDITOR, DATA_PROVIDER})
#: Everyone who may see an edition's content (readers only once it is published).
VIEWERS = STAFF | {READER}
LEADS = frozenset({ADMIN, COORDINATOR})
DATA = LEADS | {DATA_PROVIDER}
TEXT = LEADS | {EDITOR}
NOBODY: frozenset[str] = frozenset()
#: Memberships are cached this long at most (and dropped at once when one changes here).
MEMBERSHIP_CACHE_S = 60


@dataclass(frozen=True)
class Rule:
    """Who may read (GET, HEAD) and who may write (POST) through one view."""

    read: frozenset[str]
    write: frozenset[str] = NOBODY
    #: a write that is still allowed once the edition is published (e.g. starting a new edition)
    write_published: bool = False


def _r(read: frozenset[str] | set[str], write: frozenset[str] | set[str] = NOBODY, **kw: bool) -> Rule:
    return Rule(frozenset(read), frozenset(write), **kw)


#: Every logged-in user who holds a role (their own account pages).
ACCOUNT = frozenset(ROLES)

#: The access rules of every view, by URL name (namespace ``web``; ``admin`` is Django's admin).
ACCESS: dict[str, Rule] = {
    # public pages and account
    "web:home": _r({ANYONE}),
    "web:login": _r({ANYONE}, {ANYONE}),
    "web:logout": _r(NOBODY, {ANYONE}),
    "web:set_language": _r(NOBODY, {ANYONE}),
    "web:editions": _r({ANYONE}),
    "web:favicon": _r({ANYONE}),
    # the old addresses without the entity: a redirect where the code is unambiguous; the
    # address it leads to has its own rule
    "web:legacy": _r({ANYONE}, {ANYONE}),
    # the user's own account and second factor; password reset; administrators' security pages
    # (vlrkit.web.security; those views also require a global administrator, is_superuser)
    "web:account": _r(ACCOUNT),
    "web:password_change": _r(ACCOUNT, ACCOUNT),
    "web:reauth": _r(ACCOUNT, ACCOUNT),
    "web:session_end": _r(NOBODY, ACCOUNT),
    "web:otp_verify": _r(ACCOUNT, ACCOUNT),
    "web:otp_enrol": _r(ACCOUNT, ACCOUNT),
    "web:otp_backup": _r(ACCOUNT, ACCOUNT),
    "web:otp_remove": _r(NOBODY, ACCOUNT),
    "web:reset_link": _r({ANYONE}, {ANYONE}),
    "web:password_reset": _r({ANYONE}, {ANYONE}),
    "web:password_reset_confirm": _r({ANYONE}, {ANYONE}),
    "web:audit": _r({ADMIN}),
    "web:audit_export": _r({ADMIN}),
    "web:security_users": _r({ADMIN}, {ADMIN}),
    "web:security_sessions": _r({ADMIN}, {ADMIN}),
    # the review, read
    "web:dashboard": _r(VIEWERS),
    "web:goal": _r(VIEWERS),
    "web:indicator": _r(VIEWERS),
    # how the review is assessed: everyone who sees it may read the rules, leads choose
    "web:method": _r(VIEWERS, LEADS),
    "web:history": _r(LEADS),
    # comparisons: what changed since an earlier edition the visitor may read (checked in the
    # view), and the review beside a national entity's public statistics (vlr import-national)
    "web:changes": _r(VIEWERS),
    "web:vertical": _r(VIEWERS),
    "web:vertical_csv": _r(VIEWERS),
    "web:history_item": _r(LEADS, LEADS),
    # data in
    "web:data": _r(DATA, DATA),
    "web:import_report": _r(DATA, DATA),
    "web:data_template": _r(DATA),
    # policy alignment (plans and budgets mapped to the goals): leads and editors decide
    "web:alignment": _r(STAFF, TEXT),
    "web:alignment_cell": _r(STAFF),
    "web:alignment_decide": _r(NOBODY, TEXT),
    # indicators, links, targets, thresholds
    "web:indicators": _r(STAFF),
    "web:indicator_new": _r(LEADS, LEADS),
    "web:indicator_spec": _r(DATA, LEADS),
    "web:indicator_edit": _r(DATA, DATA),
    # narrative
    "web:narrative": _r(STAFF),
    "web:narrative_edit": _r(TEXT, TEXT),
    "web:narrative_preview": _r(NOBODY, TEXT),
    # participation
    "web:participation": _r(LEADS | {EDITOR}, LEADS),
    "web:contribute": _r({ANYONE}, {ANYONE}),
    "web:my_contributions": _r({STAKEHOLDER}),  # their own submissions and moderation status
    "web:moderate": _r(NOBODY, LEADS),
    # follow-up
    "web:actions": _r(STAFF, LEADS),
    # publishing
    "web:publish": _r(STAFF, STAFF, write_published=True),
    "web:public": _r(VIEWERS),
    "web:public_file": _r(VIEWERS),
    # background jobs (publishing, uploads): their starter and the leads (checked in the view)
    "web:job": _r(STAFF),
    "web:job_status": _r(STAFF),
    # Django's admin (user accounts, memberships): admins only, and Django asks is_staff too
    "admin:*": _r({ADMIN}, {ADMIN}),
}

#: Which roles may move an edition from one status to the next (publish workflow).
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("draft", "in_review"): STAFF,
    ("in_review", "draft"): LEADS,
    ("in_review", "approved"): LEADS,  # only a coordinator (or admin) approves
    ("approved", "draft"): LEADS,
    ("approved", "published"): LEADS,
}


def rule_for(namespace: str, url_name: str | None) -> Rule | None:
    """The rule of a resolved URL, or ``None`` when it has none."""
    if namespace == "admin":
        return ACCESS.get("admin:*")
    return ACCESS.get(f"{namespace}:{url_name}")


def holds(scope_entity: str, scope_edition: str, key: EditionKey | None) -> bool:
    """Whether a membership or assignment scoped to (``scope_entity``, ``scope_edition``) covers
    edition ``key`` (``None``: "some edition", for installation-wide questions).

    ``("", "")`` is installation-wide; ``(entity, "")`` every edition of that entity;
    ``(entity, edition)`` that one edition.  ``("", edition)`` covers nothing: an edition code
    without its entity is what the data migration leaves where it could not tell which entity
    was meant (``web/migrations/0003``), and it must not grant anything anywhere."""
    if not scope_entity:
        return not scope_edition
    if key is None:
        return True
    return scope_entity == key.entity and scope_edition in ("", key.code)


def roles_of(user, key: EditionKey | None) -> frozenset[str]:
    """The roles ``user`` holds in edition ``key`` (in some edition when it is ``None``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    if user.is_superuser:
        return frozenset({ADMIN})
    from vlrkit.web.models import Membership

    held = getattr(user, "_vlr_memberships", None)
    if held is None:
        from vlrkit.web.snapshot import MEMBERSHIPS, stamp

        cache_key = f"vlr:memberships:{user.pk}:v{stamp(MEMBERSHIPS)}"
        held = cache.get(cache_key)
        if held is None:
            held = tuple(Membership.objects.filter(user=user).values_list("role", "entity", "edition"))
            cache.set(cache_key, held, MEMBERSHIP_CACHE_S)
        user._vlr_memberships = held
    return frozenset(role for role, entity, edition in held if holds(entity, edition, key))


def effective_roles(request: HttpRequest, key: EditionKey | None, edition_status: str | None) -> frozenset[str]:
    """Roles plus pseudo-roles: everyone is ``anyone``; everyone reads published editions."""
    roles = set(roles_of(request.user, key)) | {ANYONE}
    if READER in roles and edition_status not in (None, "published"):
        roles.discard(READER)  # a reader sees published content only
    if edition_status == "published" and (public_site() or request.user.is_authenticated):
        roles.add(READER)
    return frozenset(roles)


def public_site() -> bool:
    """Whether published editions are open to visitors who are not logged in."""
    return bool(getattr(settings, "PUBLIC_SITE", True))


def allowed(rule: Rule, roles: frozenset[str], method: str, edition_status: str | None) -> bool:
    """Whether ``roles`` may use a view with ``rule`` by ``method`` on an edition in ``edition_status``."""
    if method in ("GET", "HEAD", "OPTIONS"):
        return bool(rule.read & roles)
    if edition_status == "published" and not rule.write_published:
        return False  # published editions are immutable
    return bool(rule.write & roles)


def may_edit_indicator(request: HttpRequest, key: EditionKey, indicator_code: str, goal: int) -> bool:
    """Whether the user may change data or metadata of one indicator (data providers: assigned only)."""
    roles = roles_of(request.user, key)
    if roles & LEADS:
        return True
    if DATA_PROVIDER not in roles:
        return False
    from vlrkit.web.models import Assignment

    return Assignment.objects.for_user(request.user, key).covers(indicator_code, goal)


def require_indicator(request: HttpRequest, key: EditionKey, indicator_code: str, goal: int) -> None:
    """Raise ``PermissionDenied`` unless :func:`may_edit_indicator`."""
    if not may_edit_indicator(request, key, indicator_code, goal):
        raise PermissionDenied("not assigned to this indicator")


class AccessMiddleware:
    """Enforce :data:`ACCESS` on every request before its view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return None
        rule = rule_for(match.namespace, match.url_name)
        key = view_kwargs.get("edition")
        status = None
        if key is not None:
            from vlrkit.web.editions import edition_status

            status = edition_status(key)
            if status is None:
                from django.http import Http404

                raise Http404(str(key))
        request.vlr_edition_status = status
        roles = effective_roles(request, key, status)
        request.vlr_roles = roles
        if rule is not None and allowed(rule, roles, request.method or "GET", status):
            return None
        if not request.user.is_authenticated and rule is not None and request.method == "GET":
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("no access rule allows this")
