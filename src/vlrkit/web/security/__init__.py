"""Authentication, sessions and the audit log of the web application (OWASP ASVS 5.0 level 2).

One module per concept; ``docs/security.md`` maps every ASVS requirement to them:

- :mod:`.audit` — the append-only, hash-chained audit log: :func:`.audit.record`,
  :func:`.audit.verify`, CSV and JSON export.
- :mod:`.throttle` — log-in back-off per account (exponential, capped), failures per address
  (a separate signal), and the rate limits of anonymous forms (:data:`.throttle.RATE_LIMITS`).
- :mod:`.proxy` — the client's address: ``X-Forwarded-For`` only from a trusted proxy.
- :mod:`.backends` — the authentication backend that refuses throttled log-ins.
- :mod:`.twofactor` — TOTP (django-otp) and hashed backup codes; who must use them.
- :mod:`.reauth` — "confirm it is you" before a sensitive change.
- :mod:`.sessions` — who holds which session, idle and absolute timeouts, ending sessions.
- :mod:`.passwords` — password validators: context words and an offline breached-password file.
- :mod:`.middleware` — applies all of it to every request (and ``Cache-Control``, NUL paths).
- :mod:`.signals` — what is recorded without the callers knowing: log-ins, roles, workflow,
  imports.

Settings (all in one block of :mod:`vlrkit.settings`) are read through :func:`setting`.
"""

from __future__ import annotations

from typing import Any

#: Defaults of every setting of this package (``vlrkit.settings`` may override each one).
DEFAULTS: dict[str, Any] = {
    # log-in throttling
    "VLRKIT_LOGIN_FREE_FAILURES": 3,  # failures before the back-off starts
    "VLRKIT_LOGIN_BACKOFF_BASE_S": 1,  # first wait; doubles with each further failure
    "VLRKIT_LOGIN_BACKOFF_MAX_S": 300,  # the longest wait an attacker can impose on an account
    "VLRKIT_LOGIN_FAILURE_MEMORY_S": 24 * 3600,  # failures older than this are forgotten
    "VLRKIT_IP_FAILURES": 30,  # failed log-ins from one address per window
    "VLRKIT_IP_WINDOW_S": 15 * 60,
    "VLRKIT_TRUSTED_PROXIES": (),
    # second factor
    "VLRKIT_REQUIRE_2FA": False,
    "VLRKIT_2FA_ROLES": ("admin", "coordinator"),
    "VLRKIT_BACKUP_CODES": 10,
    # sessions
    "VLRKIT_SESSION_IDLE_S": 30 * 60,
    "VLRKIT_SESSION_MAX_S": 12 * 3600,
    "VLRKIT_MAX_SESSIONS": 10,
    "VLRKIT_SESSION_TOUCH_S": 60,  # last-seen is written at most this often per session
    "VLRKIT_REAUTH_S": 5 * 60,
    # password reset
    "VLRKIT_RESET_LINK_S": 30 * 60,
    "VLRKIT_BREACHED_PASSWORDS_FILE": "",
}


def setting(name: str) -> Any:
    """A setting of this package: ``django.conf.settings`` if set there, else :data:`DEFAULTS`."""
    from django.conf import settings

    return getattr(settings, name, DEFAULTS[name])
