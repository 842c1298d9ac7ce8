"""Who holds which session, and when a session ends (ASVS 5.0 V7).

Sessions themselves stay Django's database sessions (read through the memo of
:mod:`vlrkit.web.sessions` under ``vlr serve``).  Beside each logged-in session a
:class:`~.models.SessionRecord` keeps the user, the address and browser it started from, when it
started and when it was last used, so that users list and end their own sessions and
administrators anyone's.

- **Idle timeout** ``VLRKIT_SESSION_IDLE_S`` (default 30 min) and **absolute timeout**
  ``VLRKIT_SESSION_MAX_S`` (default 12 h; also the cookie's age): :func:`check` ends a session
  past either.  Last-seen is remembered per process and written at most every
  ``VLRKIT_SESSION_TOUCH_S`` seconds (no write per request); before ending a session as idle the
  database is read again, since another process may have served it meanwhile.
- At most ``VLRKIT_MAX_SESSIONS`` sessions per account: a new log-in ends the oldest beyond it.
- Ending a session deletes it through the session engine, so every process forgets it at once.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from vlrkit.web.security import setting
from vlrkit.web.security.proxy import client_ip

#: Sessions remembered per process at most (then the memo starts again).
MAX_MEMO = 10_000
_seen: dict[str, list[float]] = {}  # session key -> [created, last seen, last written] (epoch s)
_lock = threading.Lock()


def _store():  # noqa: ANN202
    return import_module(settings.SESSION_ENGINE).SessionStore


def _epoch(dt: datetime) -> float:
    return dt.timestamp()


def started(request, user) -> None:  # noqa: ANN001
    """Record the session a log-in just created, and end the oldest beyond the limit."""
    from vlrkit.web.security.models import SessionRecord

    session = getattr(request, "session", None)
    if session is None:
        return
    if not session.session_key:
        session.save()
    now = timezone.now()
    meta = getattr(request, "META", {})
    SessionRecord.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "created": now, "last_seen": now, "ip": client_ip(request)[:45],
                  "user_agent": meta.get("HTTP_USER_AGENT", "")[:300]})
    with _lock:
        _seen[session.session_key] = [_epoch(now)] * 3
    keep = setting("VLRKIT_MAX_SESSIONS")
    extra = list(SessionRecord.objects.filter(user=user).order_by("-created").values_list("session_key", flat=True)[keep:])
    for key in extra:
        end(key)


def _record(key: str):  # noqa: ANN202
    from vlrkit.web.security.models import SessionRecord

    return SessionRecord.objects.filter(session_key=key).first()


def check(request) -> str:
    """``"idle"`` or ``"absolute"`` if the request's session has timed out, else ``""``;
    also notes the session as used now."""
    key = request.session.session_key
    if not key:
        return ""
    now = time.time()
    idle, most = setting("VLRKIT_SESSION_IDLE_S"), setting("VLRKIT_SESSION_MAX_S")
    memo = _seen.get(key)
    if memo is None or now - memo[1] > idle:
        rec = _record(key)
        if rec is None:  # a session from before the records (or a test's forced log-in)
            started(request, request.user)
            return ""
        memo = [_epoch(rec.created), _epoch(rec.last_seen), _epoch(rec.last_seen)]
        with _lock:
            if len(_seen) >= MAX_MEMO:
                _seen.clear()
            _seen[key] = memo
    if now - memo[0] > most:
        return "absolute"
    if now - memo[1] > idle:
        return "idle"
    memo[1] = now
    if now - memo[2] >= setting("VLRKIT_SESSION_TOUCH_S"):
        from vlrkit.web.security.models import SessionRecord

        memo[2] = now
        SessionRecord.objects.filter(session_key=key).update(last_seen=timezone.now())
    return ""


def end(session_key: str) -> None:
    """End one session everywhere (its data, its record, every process's memo)."""
    from vlrkit.web.security.models import SessionRecord

    _store()().delete(session_key)
    SessionRecord.objects.filter(session_key=session_key).delete()
    with _lock:
        _seen.pop(session_key, None)


def end_all(user, *, keep: str | None = None) -> int:  # noqa: ANN001
    """End every session of ``user`` but ``keep``; returns how many ended."""
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session

    from vlrkit.web.security.models import SessionRecord

    keys = set(SessionRecord.objects.filter(user=user).values_list("session_key", flat=True))
    # sessions without a record (from before the records existed) are found by their content
    for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = s.get_decoded()
        if str(data.get(SESSION_KEY)) == str(user.pk) and HASH_SESSION_KEY in data:
            keys.add(s.session_key)
    keys.discard(keep or "")
    for key in keys:
        end(key)
    return len(keys)


def cycle(request) -> None:  # noqa: ANN001
    """A new session key for the same session (after re-authentication), its record following."""
    from vlrkit.web.security.models import SessionRecord

    old = request.session.session_key
    request.session.cycle_key()
    new = request.session.session_key
    if old and new and old != new:
        SessionRecord.objects.filter(session_key=old).update(session_key=new)
        with _lock:
            memo = _seen.pop(old, None)
            if memo is not None:
                _seen[new] = memo


def of_user(user):  # noqa: ANN001, ANN201 - a list of SessionRecord
    """The live sessions of ``user``, newest use first (records of vanished sessions are dropped)."""
    from django.contrib.sessions.models import Session

    from vlrkit.web.security.models import SessionRecord

    records = list(SessionRecord.objects.filter(user=user).order_by("-last_seen"))
    return _live(records, Session)


def _live(records, session_model):  # noqa: ANN001, ANN202
    from vlrkit.web.security.models import SessionRecord

    alive = set(session_model.objects.filter(session_key__in=[r.session_key for r in records],
                                             expire_date__gt=timezone.now()).values_list("session_key", flat=True))
    gone = [r.pk for r in records if r.session_key not in alive]
    if gone:
        SessionRecord.objects.filter(pk__in=gone).delete()
    return [r for r in records if r.session_key in alive]


def all_live(limit: int = 500):  # noqa: ANN201
    """Every live session (for administrators), newest use first."""
    from django.contrib.sessions.models import Session

    from vlrkit.web.security.models import SessionRecord

    records = list(SessionRecord.objects.select_related("user").order_by("-last_seen")[:limit])
    return _live(records, Session)


def idle_deadline(record) -> datetime:  # noqa: ANN001
    return record.last_seen + timedelta(seconds=setting("VLRKIT_SESSION_IDLE_S"))
