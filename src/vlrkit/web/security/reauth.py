"""Confirm it is you (ASVS 5.0 7.5.1, 7.5.2): a sensitive change — the second factor, ending
sessions, an administrator's account actions — needs the password (and the second factor when
enrolled) entered within the last :data:`VLRKIT_REAUTH_S` seconds.  Logging in counts."""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from vlrkit.web.security import setting

SESSION_KEY = "vlr_auth_at"


def mark(request) -> None:  # noqa: ANN001
    request.session[SESSION_KEY] = int(time.time())


def fresh(request) -> bool:  # noqa: ANN001
    at = request.session.get(SESSION_KEY, 0)
    return isinstance(at, int) and 0 <= time.time() - at <= setting("VLRKIT_REAUTH_S")


def confirm_url(next_url: str) -> str:
    return reverse("web:reauth") + "?" + urlencode({"next": next_url})


def required(view):  # noqa: ANN001, ANN201
    """Send the user to the confirmation page first unless they authenticated recently."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if request.user.is_authenticated and not fresh(request):
            return redirect(confirm_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped
