"""Database sessions with an in-process memo that every process drops on any session change.

Django's database sessions cost one query per request; a per-process cache alone would keep a
session alive in the other server processes after a log-out.  Here each process keeps the
sessions it has read, valid while the *session version* is unchanged: the modification time of
a small file beside the data version file (:mod:`vlrkit.web.snapshot`).  Every save or delete of
any session (log-in, log-out, key cycling, flush) in any process touches that file, so the next
request in every process reads the database again.  Expiry is checked on every use.

Use it as ``SESSION_ENGINE = "vlrkit.web.sessions"`` (``vlr serve`` does).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from django.contrib.sessions.backends import db
from django.utils import timezone

#: Sessions remembered per process at most (the oldest half is dropped when full).
MAX_SESSIONS = 4096
_memo: dict[str, tuple[int, object, dict]] = {}  # key -> (session version, expiry, data)
_lock = threading.Lock()


def _version_file() -> Path:
    from vlrkit.web.snapshot import _version_file as data_file

    path = data_file()
    return path.with_name(path.name + ".sessions")


def version() -> int:
    """The session version (changes whenever any process writes or deletes a session)."""
    try:
        return _version_file().stat().st_mtime_ns
    except OSError:
        return 0


def bump() -> None:
    """Make every process read sessions from the database again."""
    path = _version_file()
    try:
        path.touch()
        os.utime(path, ns=(time.time_ns(), max(time.time_ns(), version() + 1)))
    except OSError:
        pass
    with _lock:
        _memo.clear()


class SessionStore(db.SessionStore):
    """:class:`django.contrib.sessions.backends.db.SessionStore`, read through the memo."""

    def load(self) -> dict:
        key, current = self.session_key, version()
        hit = _memo.get(key) if key else None
        if hit is not None and hit[0] == current and hit[1] > timezone.now():
            return dict(hit[2])
        s = self._get_session_from_db()
        if s is None:
            self._session_key = None
            return {}
        data = self.decode(s.session_data)
        with _lock:
            if len(_memo) >= MAX_SESSIONS:
                for k in list(_memo)[: MAX_SESSIONS // 2]:
                    _memo.pop(k, None)
            _memo[s.session_key] = (current, s.expire_date, dict(data))
        return data

    def save(self, must_create: bool = False) -> None:
        super().save(must_create)
        bump()

    def delete(self, session_key: str | None = None) -> None:
        super().delete(session_key)
        bump()
