"""Log-in throttling and the rate limits of anonymous forms (ASVS 5.0 6.1.1, 6.3.1, 2.4.1).

Two signals, counted apart in the database (so every server process sees them):

- **per account** — after :data:`VLRKIT_LOGIN_FREE_FAILURES` failures, each further failure makes
  the account wait 1 s, 2 s, 4 s … at most :data:`VLRKIT_LOGIN_BACKOFF_MAX_S` before the next
  attempt is even checked.  The wait is bounded on purpose: an attacker can slow a person's
  log-in by minutes, never lock them out; the count is forgotten after a day without failures
  and cleared by a successful log-in.
- **per address** — more than :data:`VLRKIT_IP_FAILURES` failures from one client address in
  :data:`VLRKIT_IP_WINDOW_S` refuse further attempts from that address (any account) until the
  window ends.  The address is the client's, not a proxy's (:mod:`.proxy`).

A refused attempt is not checked and not counted, and answers the same whether the account
exists or not.  :data:`RATE_LIMITS` bounds anonymous forms (the public contribution form) per
address in the same table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from vlrkit.web.security import setting


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may go ahead; if not, for how long and why."""

    allowed: bool
    retry_after: int = 0
    reason: str = ""  # "account" | "address" | "rate"


ALLOWED = Verdict(True)


@dataclass(frozen=True)
class RateLimit:
    """At most ``count`` submissions per ``window_s`` seconds from one address."""

    count: int
    window_s: int
    anonymous_only: bool = True


#: Rate limits by URL name, applied to POST requests by :mod:`.middleware`.
RATE_LIMITS: dict[str, RateLimit] = {
    "web:contribute": RateLimit(10, 3600),
    "web:password_reset": RateLimit(5, 3600),
    "web:reset_link": RateLimit(20, 3600),
}


def account_key(username: str) -> str:
    return "account:" + (username or "").strip().lower()[:150]


def address_key(ip: str) -> str:
    return "ip:" + (ip or "unknown")


def backoff_s(failures: int) -> int:
    """The wait after ``failures`` consecutive failures of one account (0 before the back-off)."""
    free = setting("VLRKIT_LOGIN_FREE_FAILURES")
    if failures < free:
        return 0
    base, cap = setting("VLRKIT_LOGIN_BACKOFF_BASE_S"), setting("VLRKIT_LOGIN_BACKOFF_MAX_S")
    return int(min(cap, base * 2 ** min(failures - free, 32)))


def _remaining(until, now) -> int:  # noqa: ANN001
    return max(1, math.ceil((until - now).total_seconds()))


def check_login(username: str, ip: str) -> Verdict:
    """Whether a log-in attempt for ``username`` from ``ip`` may be checked now."""
    from vlrkit.web.security.models import LoginThrottle

    now = timezone.now()
    rows = {r.key: r for r in LoginThrottle.objects.filter(key__in=[account_key(username), address_key(ip)])}
    account = rows.get(account_key(username))
    if account is not None and account.blocked_until and account.blocked_until > now:
        return Verdict(False, _remaining(account.blocked_until, now), "account")
    address = rows.get(address_key(ip))
    if address is not None and address.blocked_until and address.blocked_until > now:
        return Verdict(False, _remaining(address.blocked_until, now), "address")
    return ALLOWED


def _locked(key: str, now):  # noqa: ANN001, ANN202
    from vlrkit.web.security.models import LoginThrottle

    row = LoginThrottle.objects.select_for_update().filter(key=key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return LoginThrottle.objects.create(key=key, failures=0, first_at=now, last_at=now)
    except IntegrityError:  # another process created it first
        return LoginThrottle.objects.select_for_update().get(key=key)


def login_failed(username: str, ip: str) -> None:
    """Count one failed log-in against the account and against the address."""
    from vlrkit.web.security.models import LoginThrottle

    now = timezone.now()
    memory = timedelta(seconds=setting("VLRKIT_LOGIN_FAILURE_MEMORY_S"))
    window = timedelta(seconds=setting("VLRKIT_IP_WINDOW_S"))
    with transaction.atomic():
        account = _locked(account_key(username), now)
        if now - account.last_at > memory:
            account.failures, account.first_at = 0, now
        account.failures += 1
        account.last_at = now
        wait = backoff_s(account.failures)
        account.blocked_until = now + timedelta(seconds=wait) if wait else None
        account.save()
        address = _locked(address_key(ip), now)
        if now - address.first_at > window:
            address.failures, address.first_at = 0, now
        address.failures += 1
        address.last_at = now
        if address.failures >= setting("VLRKIT_IP_FAILURES"):
            address.blocked_until = address.first_at + window
        address.save()
        LoginThrottle.objects.filter(last_at__lt=now - max(memory, window)).delete()


def login_succeeded(username: str) -> None:
    """A correct password clears the account's failures (not the address's)."""
    from vlrkit.web.security.models import LoginThrottle

    LoginThrottle.objects.filter(key=account_key(username)).delete()


def account_failures(username: str) -> tuple[int, int]:
    """(consecutive failures, seconds still to wait) of one account, for the admin page and tests."""
    from vlrkit.web.security.models import LoginThrottle

    row = LoginThrottle.objects.filter(key=account_key(username)).first()
    if row is None:
        return 0, 0
    now = timezone.now()
    wait = _remaining(row.blocked_until, now) if row.blocked_until and row.blocked_until > now else 0
    return row.failures, wait


def hit(name: str, ip: str) -> Verdict:
    """Count one submission of the form ``name`` from ``ip`` against its :data:`RATE_LIMITS`."""
    limit = RATE_LIMITS[name]
    now = timezone.now()
    window = timedelta(seconds=limit.window_s)
    with transaction.atomic():
        row = _locked(f"rate:{name}:{ip or 'unknown'}", now)
        if now - row.first_at > window:
            row.failures, row.first_at, row.blocked_until = 0, now, None
        if row.failures >= limit.count:
            row.blocked_until = row.first_at + window
            row.save()
            return Verdict(False, _remaining(row.blocked_until, now), "rate")
        row.failures += 1
        row.last_at = now
        row.save()
    return ALLOWED
