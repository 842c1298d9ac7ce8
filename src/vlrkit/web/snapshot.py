"""The review as the pages show it, computed by the core and cached per edition and language.

A page never recomputes the assessment: :func:`review`, :func:`assessment` and :func:`report`
load the edition through the store, call ``vlrkit.assess`` and ``vlrkit.report.build`` once,
and keep the frozen results in memory under a *data version* (a file's modification time).  Any save or delete of a
store model bumps the version (signals below); changes made by another process (``vlr import``
while the server runs) are picked up after :data:`MAX_AGE_S` at the latest (imports that
write in bulk send no signal).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

#: Longest time a cached review may lag behind changes made outside this process.
MAX_AGE_S = 60
_lock = threading.RLock()  # one computation at a time: concurrent requests wait, then share it


def _version_file() -> Path:
    from django.conf import settings

    if path := getattr(settings, "VLRKIT_VERSION_FILE", None):
        return Path(path)
    if getattr(settings, "DATABASE_URL", ""):
        import hashlib
        import tempfile

        digest = hashlib.sha256(settings.DATABASE_URL.encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"vlrkit-{digest}.version"
    db = Path(getattr(settings, "DB_PATH", "vlrkit.sqlite3"))
    return db.with_name(db.name + ".version")


def version() -> int:
    """The data version: changes whenever any process changes the store's data.

    Kept as the modification time of a small file beside the database, so every server
    process sees another's changes at once (one ``stat`` per call)."""
    try:
        return _version_file().stat().st_mtime_ns
    except OSError:
        return 0


def bump(*_args: Any, **_kwargs: Any) -> None:
    """Invalidate every cached review in every process (called on any change of the store)."""
    path = _version_file()
    try:
        path.touch()
        os.utime(path, ns=(time.time_ns(), max(time.time_ns(), version() + 1)))
    except OSError:
        # read-only location: fall back to this process's memory
        _memo.clear()


#: In-process memo of computed values: key -> (monotonic time computed, value).  Django's
#: local-memory cache pickles values, which for a whole report model costs more than the page.
_memo: dict[str, tuple[float, Any]] = {}
#: Memo entries kept at most (old versions are dropped first).
MAX_MEMO = 512


def _cached(key: str, compute):
    full = f"vlr:{key}:v{version()}"
    now = time.monotonic()
    hit = _memo.get(full)
    if hit is not None and now - hit[0] < MAX_AGE_S:
        return hit[1]
    with _lock:
        hit = _memo.get(full)
        if hit is not None and now - hit[0] < MAX_AGE_S:
            return hit[1]
        value = compute()
        if len(_memo) >= MAX_MEMO:
            for k in sorted(_memo, key=lambda k: _memo[k][0])[: MAX_MEMO // 2]:
                _memo.pop(k, None)
        _memo[full] = (time.monotonic(), value)
    return value


def review(edition: str):
    """The plain :class:`vlrkit.review.Review` of ``edition``."""
    from vlrkit.store import queries

    return _cached(f"review:{edition}", lambda: queries.load_review(edition))


def assessment(edition: str):
    """``vlrkit.assess``'s result for ``edition``, or ``None`` if the engine is not available."""
    def compute():
        try:
            from vlrkit.assess import assess_review
        except ImportError:
            return False  # cached "no engine"
        return assess_review(review(edition))

    result = _cached(f"assessment:{edition}", compute)
    return None if result is False else result


def sensitivity(edition: str):
    """Every method and method edition's outcome for ``edition``'s indicators and goals
    (:mod:`vlrkit.assess.sensitivity`), or ``None`` if the engine is not available."""
    def compute():
        try:
            from vlrkit.assess import sensitivity as s
        except ImportError:
            return False
        return s.of_review(review(edition))

    result = _cached(f"sensitivity:{edition}", compute)
    return None if result is False else result


def report(edition: str, lang: str):
    """The report model of ``edition`` in ``lang`` (the pages read goal and indicator views)."""
    from vlrkit.report.build import build_report

    return _cached(f"report:{edition}:{lang}", lambda: build_report(review(edition), lang, assessment(edition)))


def goal_views(edition: str, lang: str) -> dict[int, Any]:
    """GoalView by goal number (from the report model)."""
    return {g.number: g for g in report(edition, lang).goals}


def connect() -> None:
    """Bump the data version whenever a store model changes (called from the app's ready())."""
    from django.apps import apps

    for model in apps.get_app_config("store").get_models():
        post_save.connect(bump, sender=model, dispatch_uid=f"vlr-bump-save-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"vlr-bump-del-{model.__name__}")
    m2m_changed.connect(bump, dispatch_uid="vlr-bump-m2m")


def _page_key(request, extra_key: str = "") -> str:
    from django.utils.translation import get_language

    roles = ",".join(sorted(getattr(request, "vlr_roles", ())))
    status = getattr(request, "vlr_edition_status", "")
    if "data_provider" in roles:  # what they may edit depends on their own assignments
        extra_key += f":u{request.user.pk}"
    return f"{request.get_full_path()}:{get_language()}:{roles}:{status}:{extra_key}"


def page_body(request, template: str, context, *, extra_key: str = "") -> str:
    """The rendered ``template`` (a page body without forms) memoised per data version.

    The key holds everything the body depends on: path and query, language, the visitor's
    roles and the edition's status; ``context`` is a callable so a hit costs no computation.
    The page shell (header, CSRF-protected forms) is rendered per request around it.
    """
    from django.template.loader import render_to_string

    key = f"page:{_page_key(request, extra_key)}"
    return _cached(key, lambda: render_to_string(template, context(), request))


#: Stands in for the CSRF token in a memoised page shell; every response gets its own token.
#: Random per process, so no page content can contain it by chance.
CSRF_PLACEHOLDER = "vlrcsrf" + os.urandom(16).hex()


def page(request, shell: str, shell_context: dict[str, Any], body_template: str, context) -> str:
    """A whole page: :func:`page_body` inside ``shell``, the shell memoised too.

    The shell (header with the visitor's name and roles, navigation, language and log-out
    forms) depends on the same things as the body plus the visitor, and on one value that must
    differ per response: the CSRF token.  It is rendered once with :data:`CSRF_PLACEHOLDER`,
    which each response replaces with a fresh token of its own.  A request that has messages
    to show (they are consumed when shown) is rendered in full instead.
    """
    from django.contrib.messages import get_messages
    from django.middleware.csrf import get_token
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    def render(token=None) -> str:
        body = page_body(request, body_template, context)
        ctx = {**shell_context, "body": mark_safe(body)}  # noqa: S308 - our own template output
        if token is not None:
            ctx["csrf_token"] = token
        return render_to_string(shell, ctx, request)

    if len(get_messages(request)):
        return render()
    user = request.user
    who = f"{user.pk}:{user.get_username()}" if user.is_authenticated else "-"
    key = f"shell:{shell}:{_page_key(request)}:{who}"
    html = _cached(key, lambda: render(CSRF_PLACEHOLDER))
    return html.replace(CSRF_PLACEHOLDER, get_token(request))
