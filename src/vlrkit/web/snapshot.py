"""The review as the pages show it, computed by the core and cached by what it depends on.

A page never recomputes the assessment: :func:`review`, :func:`assessment`, :func:`report` and
:func:`completeness` load an edition through the store, call ``vlrkit.assess`` and
``vlrkit.report.build`` and keep the frozen results in this process's memory.

**What depends on what.**  Each edition has three *parts*, each with its own version stamp:

- ``meta``: the edition's and its entity's own rows (title, status, period, priority goals);
- ``data``: indicators, SDG links, targets, thresholds, observations, code labels, imports;
- ``labels``: an indicator's names, source, custodian, coverage and methodology when nothing
  else of it changed (:data:`LABEL_FIELDS`: words the assessment does not read);
- ``text``: narratives, stakeholders, engagements, contributions, actions.

The assessment reads ``meta`` + ``data``; the report's goal and indicator views read ``labels``
too; the completeness check and the full review read all four.  A save or delete of a store row bumps
only its own edition's part (:data:`PARTS`, signals below): a narrative edit recomputes the
completeness, never the assessment, and a change in one edition leaves every other edition's
cache alone.  Stamps are the modification times of small files in one folder beside the
database (:func:`stamp`), so every server process sees another's change at once (one ``stat``
per part), and changes that another process makes (``vlr import`` while the server runs) too.

**No thundering herd.**  When a stamp moves, the first request that needs the value recomputes
it; requests that come meanwhile are served the previous value (:func:`_cached`) instead of
queueing behind the computation.  A value computed from such a previous dependency is kept
but marked stale, so the next request computes it again.  Only a cold cache makes requests wait.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

if TYPE_CHECKING:
    from vlrkit.web.editions import EditionKey

#: Longest time a cached value is trusted without a change of its stamps (a safety net for
#: writes that send no signal, such as raw SQL).
MAX_AGE_S = 60
META, DATA, LABELS, TEXT = "meta", "data", "labels", "text"
#: Fields of a local indicator that only describe it: the assessment never reads them
#: (``tests/web/test_snapshot.py`` checks), so changing them alone leaves it alone.
LABEL_FIELDS = frozenset({"names", "source", "custodian", "coverage", "methodology"})
#: Store model name -> the part of its edition it belongs to.
PARTS: dict[str, str] = {
    "Edition": META,
    "LocalIndicator": DATA, "SdgLink": DATA, "Target": DATA, "Thresholds": DATA,
    "Observation": DATA, "CodeLabel": DATA, "Import": DATA,
    "Narrative": TEXT, "Stakeholder": TEXT, "Engagement": TEXT, "Contribution": TEXT, "Action": TEXT,
}
#: Models whose rows reach their edition through ``indicator``.
VIA_INDICATOR = frozenset({"SdgLink", "Target", "Thresholds", "Observation"})
#: Stamp of the set of editions (codes, statuses, titles): :mod:`vlrkit.web.editions`' index.
INDEX = "index"
#: Stamp of roles and assignments (memberships cache, data providers' pages).
MEMBERSHIPS = "memberships"
#: Stamp of everything: :func:`bump` (an entity changed, or a caller cannot say what changed).
ALL = "all"


# --- version stamps -------------------------------------------------------------------------


def _version_file() -> Path:
    """The base name of the stamp files (beside the SQLite file, or per PostgreSQL URL)."""
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


def _stamp_path(name: str) -> Path:
    base = _version_file()
    return base.with_name(base.name + ".d") / name


def stamp(name: str) -> int:
    """The version stamp ``name`` (changes whenever any process bumps it; 0 if never)."""
    try:
        return _stamp_path(name).stat().st_mtime_ns
    except OSError:
        return 0


def part_name(edition_id: int, part: str) -> str:
    return f"e{edition_id}.{part}"


def _touch(name: str) -> None:
    path = _stamp_path(name)
    try:
        try:
            old = path.stat().st_mtime_ns
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            old = 0
        path.touch()
        now = time.time_ns()
        os.utime(path, ns=(now, max(now, old + 1)))
    except OSError:
        _memo.clear()  # read-only location: fall back to this process's memory


def _bump_names(*names: str) -> None:
    """Bump stamps now and once more when the transaction commits: the bump now serves this
    process at once, the one after commit makes sure no other process caches the rows as they
    were before the commit under the new stamp."""
    for name in names:
        _touch(name)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: [_touch(n) for n in names])


def changed(edition_id: int | None, part: str) -> None:
    """Say that ``part`` of edition ``edition_id`` changed (``None``: unknown edition → all)."""
    if edition_id is None:
        _bump_names(ALL)
    elif part == META:
        _bump_names(part_name(edition_id, META), INDEX)
    else:
        _bump_names(part_name(edition_id, part))


def bump(*_args: Any, **_kwargs: Any) -> None:
    """Invalidate every cached value of every edition in every process."""
    _bump_names(ALL, INDEX)


def version() -> int:
    """The stamp of everything (kept for callers that cache by one number)."""
    return stamp(ALL)


def versions(edition_id: int, parts: tuple[str, ...]) -> tuple[int, ...]:
    return (stamp(ALL), *(stamp(part_name(edition_id, p)) for p in parts))


# --- the memo: previous values served while one request recomputes --------------------------


@dataclass
class _Entry:
    version: tuple | None  # None: computed from a stale dependency (serve it, recompute next)
    value: Any
    at: float


#: In-process memo: key -> entry.  Django's local-memory cache pickles values, which for a whole
#: report model costs more than the page.
_memo: dict[str, _Entry] = {}
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
_local = threading.local()
#: Memo entries kept at most (the least recently computed half is dropped when full).
MAX_MEMO = 512


def _lock_for(key: str) -> threading.Lock:
    lock = _locks.get(key)
    if lock is None:
        with _locks_guard:
            lock = _locks.setdefault(key, threading.Lock())
    return lock


def _fresh(entry: _Entry | None, version: tuple) -> bool:
    return entry is not None and entry.version == version and time.monotonic() - entry.at < MAX_AGE_S


def _cached(key: str, version: tuple, compute):
    """``compute()`` memoised under ``key`` for ``version``; see the module doc for staleness."""
    entry = _memo.get(key)
    if _fresh(entry, version):
        return entry.value
    lock = _lock_for(key)
    if entry is not None and not lock.acquire(blocking=False):
        _local.stale = True  # another request recomputes it: serve the previous value
        return entry.value
    if entry is None:
        lock.acquire()  # nothing to serve yet: wait for the one computation
    try:
        entry = _memo.get(key)
        if _fresh(entry, version):
            return entry.value
        outer = getattr(_local, "stale", False)
        _local.stale = False
        try:
            value = compute()
            used_stale = _local.stale
        finally:
            _local.stale = outer or getattr(_local, "stale", False)
        if len(_memo) >= MAX_MEMO:
            for k in sorted(_memo, key=lambda k: _memo[k].at)[: MAX_MEMO // 2]:
                _memo.pop(k, None)
        _memo[key] = _Entry(None if used_stale else version, value, time.monotonic())
        return value
    finally:
        lock.release()


def clear() -> None:
    """Forget every memoised value of this process (tests)."""
    _memo.clear()


# --- the review, by edition -------------------------------------------------------------------


def _edition_id(key: EditionKey) -> int:
    from vlrkit.store.queries import EditionNotFound
    from vlrkit.web.editions import lookup

    info = lookup(key)
    if info is None:
        raise EditionNotFound(f"no edition {key}")
    return info.id


def data_review(key: EditionKey):
    """The review without its text parts (narratives, participation, actions): what the
    assessment, the goal and the indicator pages read."""
    from vlrkit.store import queries

    eid = _edition_id(key)
    return _cached(f"data:{eid}", versions(eid, (META, DATA, LABELS)),
                   lambda: queries.load_review(key.code, key.entity, text=False))


def _text(key: EditionKey) -> dict[str, Any]:
    from vlrkit.store import queries

    eid = _edition_id(key)
    return _cached(f"text:{eid}", versions(eid, (TEXT,)), lambda: queries.load_text(key.code, key.entity))


def review(key: EditionKey):
    """The plain :class:`vlrkit.review.Review` of edition ``key``."""
    eid = _edition_id(key)
    return _cached(f"review:{eid}", versions(eid, (META, DATA, LABELS, TEXT)),
                   lambda: replace(data_review(key), **_text(key)))


def assessment(key: EditionKey):
    """``vlrkit.assess``'s result for ``key``, or ``None`` if the engine is not available."""
    def compute():
        try:
            from vlrkit.assess import assess_review
        except ImportError:
            return False  # cached "no engine"
        return assess_review(data_review(key))

    eid = _edition_id(key)
    result = _cached(f"assessment:{eid}", versions(eid, (META, DATA)), compute)
    return None if result is False else result


def sensitivity(key: EditionKey):
    """Every method and method edition's outcome for ``key``'s indicators and goals
    (:mod:`vlrkit.assess.sensitivity`), or ``None`` if the engine is not available."""
    def compute():
        try:
            from vlrkit.assess import sensitivity as s
        except ImportError:
            return False
        return s.of_review(data_review(key))

    eid = _edition_id(key)
    result = _cached(f"sensitivity:{eid}", versions(eid, (META, DATA)), compute)
    return None if result is False else result


def full_report(key: EditionKey, lang: str):
    """The whole report model of ``key`` in ``lang``, text included (the publish gate reads its
    sections' unresolved references); rebuilt when the text changes too."""
    from vlrkit.report.build import build_report

    eid = _edition_id(key)
    return _cached(f"full-report:{eid}:{lang}", versions(eid, (META, DATA, LABELS, TEXT)),
                   lambda: build_report(review(key), lang, assessment(key)))


def report(key: EditionKey, lang: str):
    """The report model of ``key`` in ``lang`` for the pages: its goal and indicator views, the
    dashboard and the figures that narrative references resolve against.

    Built from the review *without* its text parts, which only the report's sections and its
    completeness read (a narrative edit leaves it alone); use :func:`completeness` for that and
    :func:`review` + :func:`assessment` to render a whole report (``vlrkit.web.rendering``)."""
    from vlrkit.report.build import build_report

    eid = _edition_id(key)
    return _cached(f"report:{eid}:{lang}", versions(eid, (META, DATA, LABELS)),
                   lambda: build_report(data_review(key), lang, assessment(key)))


def completeness(key: EditionKey, lang: str) -> tuple[int, int, float]:
    """(points covered, points in all, share) of the guiding elements' checklist, as the report
    shows it (``vlrkit.report.build.completeness_of``)."""
    from vlrkit.report.build import completeness_of

    eid = _edition_id(key)

    def compute():
        comp = completeness_of(review(key), assessment(key), lang)
        return comp.covered, comp.total, comp.share

    return _cached(f"completeness:{eid}:{lang}", versions(eid, (META, DATA, LABELS, TEXT)), compute)


def goal_views(key: EditionKey, lang: str) -> dict[int, Any]:
    """GoalView by goal number (from the report model)."""
    return {g.number: g for g in report(key, lang).goals}


def edition_diff(new: EditionKey, old: EditionKey):
    """What changed from edition ``old`` to ``new`` (:func:`vlrkit.compare.diff.diff`), both
    assessed by the method and method edition ``new`` remembers; rebuilt when either changes."""
    from vlrkit.assess import assess_review
    from vlrkit.compare import diff as df

    nid, oid = _edition_id(new), _edition_id(old)

    def compute():
        n, o = review(new), review(old)
        method, me = n.edition.method or "sdsn", n.edition.method_edition or "vlrkit"
        an = assessment(new) or assess_review(data_review(new), method, method_edition=me)
        same = (o.edition.method, o.edition.method_edition) == (method, me)
        ao = assessment(old) if same else None
        if ao is None:
            ao = assess_review(data_review(old), method, method_edition=me)
        return df.diff(n, o, method=method, method_edition=me, assessments=(an, ao))

    everything = (META, DATA, LABELS, TEXT)
    return _cached(f"diff:{nid}:{oid}", versions(nid, everything) + versions(oid, everything)[1:], compute)


def vertical(local: EditionKey, national: EditionKey):
    """Edition ``local`` beside the national entity's edition ``national``
    (:func:`vlrkit.compare.vertical.compare`); rebuilt when either one's data change."""
    from vlrkit.compare import vertical as vt

    lid, nid = _edition_id(local), _edition_id(national)
    return _cached(f"vertical:{lid}:{nid}", versions(lid, (META, DATA)) + versions(nid, (META, DATA))[1:],
                   lambda: vt.compare(data_review(local), data_review(national)))


# --- signals: which part of which edition a change touches ----------------------------------

#: indicator id -> edition id (ids are never reused), so that a cascade of deletes costs no
#: query per row.
_indicator_edition: dict[int, int] = {}


def _edition_of(instance: Any) -> int | None:
    name = type(instance).__name__
    if name == "Edition":
        return instance.pk
    if name in VIA_INDICATOR:
        ind = instance.indicator_id
        if ind not in _indicator_edition:
            from vlrkit.store.models import LocalIndicator

            found = LocalIndicator.objects.filter(pk=ind).values_list("edition_id", flat=True).first()
            if found is None:
                return None
            _indicator_edition[ind] = found
        return _indicator_edition[ind]
    return getattr(instance, "edition_id", None)


def _before_indicator_save(sender: Any, instance: Any = None, **_kwargs: Any) -> None:
    """Note whether an indicator's save changes only its :data:`LABEL_FIELDS`."""
    if instance.pk is None:
        return
    fields = [f.attname for f in sender._meta.concrete_fields if f.name not in LABEL_FIELDS]
    old = sender.objects.filter(pk=instance.pk).values_list(*fields).first()
    if old is not None and tuple(getattr(instance, f) for f in fields) == tuple(old):
        instance._vlr_part = LABELS


def _on_change(sender: Any, instance: Any = None, **_kwargs: Any) -> None:
    part = getattr(instance, "__dict__", {}).pop("_vlr_part", None) or PARTS.get(sender.__name__)
    if part is None:
        if sender.__name__ == "Entity":
            bump()
        return  # historical records and other tables: nothing cached reads them
    changed(_edition_of(instance), part)


def _on_m2m(sender: Any, instance: Any = None, action: str = "", **_kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    # Action.indicators and Engagement.stakeholders: participation and follow-up, the text part
    changed(_edition_of(instance), TEXT)


def _on_roles(*_args: Any, **_kwargs: Any) -> None:
    _bump_names(MEMBERSHIPS)


def connect() -> None:
    """Bump the right stamps whenever a store row or a role changes (from the app's ready())."""
    from django.apps import apps

    for model in apps.get_app_config("store").get_models():
        post_save.connect(_on_change, sender=model, dispatch_uid=f"vlr-part-save-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"vlr-part-del-{model.__name__}")
    m2m_changed.connect(_on_m2m, dispatch_uid="vlr-part-m2m")
    pre_save.connect(_before_indicator_save, sender=apps.get_model("store", "LocalIndicator"),
                     dispatch_uid="vlr-part-labels")
    for name in ("Membership", "Assignment"):
        model = apps.get_model("web", name)
        post_save.connect(_on_roles, sender=model, dispatch_uid=f"vlr-roles-save-{name}")
        post_delete.connect(_on_roles, sender=model, dispatch_uid=f"vlr-roles-del-{name}")


# --- memoised pages -------------------------------------------------------------------------


def _page_key(request, edition: EditionKey | None, depends: tuple[str, ...], extra_key: str = "") -> tuple[str, tuple]:
    from django.utils.translation import get_language

    roles = ",".join(sorted(getattr(request, "vlr_roles", ())))
    status = getattr(request, "vlr_edition_status", "")
    if "data_provider" in roles:  # what they may edit depends on their own assignments
        extra_key += f":u{request.user.pk}"
    version: tuple = (stamp(ALL), stamp(MEMBERSHIPS))
    if edition is not None:
        version += versions(_edition_id(edition), depends)[1:]
    return f"{request.get_full_path()}:{get_language()}:{roles}:{status}:{extra_key}", version


def page_body(request, template: str, context, *, edition: EditionKey | None,
              depends: tuple[str, ...] = (META, DATA, LABELS, TEXT), extra_key: str = "") -> str:
    """The rendered ``template`` (a page body without forms), memoised until a part of
    ``edition`` that it ``depends`` on changes.

    The key holds everything else the body depends on: path and query, language, the
    visitor's roles and the edition's status; ``context`` is a callable so a hit costs no
    computation.  The page shell (header, CSRF-protected forms) is rendered per request around it.
    """
    from django.template.loader import render_to_string

    key, version = _page_key(request, edition, depends, extra_key)
    return _cached(f"page:{key}", version, lambda: render_to_string(template, context(), request))


#: Stand in for the CSRF token and for the body in a memoised page shell; every response gets
#: its own token and the body's current memo.  Random per process, so no page content can
#: contain them by chance.
CSRF_PLACEHOLDER = "vlrcsrf" + os.urandom(16).hex()
BODY_PLACEHOLDER = "vlrbody" + os.urandom(16).hex()


def page(request, shell: str, shell_context: dict[str, Any], body_template: str, context, *,
         edition: EditionKey | None, depends: tuple[str, ...] = (META, DATA, LABELS, TEXT)) -> str:
    """A whole page: :func:`page_body` inside ``shell``, the shell memoised too.

    The shell (header with the visitor's name and roles, navigation, language and log-out
    forms) depends on the visitor, the edition's own row (``meta``) and the shell's context, not
    on what the body depends on: it is memoised per visitor with placeholders for the body and
    for the one value that must differ per response, the CSRF token, so that a write which
    changes a body re-renders that body once, not one shell per visitor.  A request that has
    messages to show (they are consumed when shown) is rendered in full instead.
    """
    from django.contrib.messages import get_messages
    from django.middleware.csrf import get_token
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    def render(body: str, token=None) -> str:
        ctx = {**shell_context, "body": mark_safe(body)}  # noqa: S308 - our own template output
        if token is not None:
            ctx["csrf_token"] = token
        return render_to_string(shell, ctx, request)

    body = page_body(request, body_template, context, edition=edition, depends=depends)
    if len(get_messages(request)):
        return render(body)
    user = request.user
    who = f"{user.pk}:{user.get_username()}" if user.is_authenticated else "-"
    key, version = _page_key(request, edition, (META,))
    context_key = repr(sorted((k, str(v)) for k, v in shell_context.items()))
    html = _cached(f"shell:{shell}:{key}:{who}:{context_key}", version,
                   lambda: render(BODY_PLACEHOLDER, CSRF_PLACEHOLDER))
    head, _sep, tail = html.replace(CSRF_PLACEHOLDER, get_token(request)).partition(BODY_PLACEHOLDER)
    return head + body + tail
