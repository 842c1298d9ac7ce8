"""The authentication backend that refuses throttled log-ins before any password is checked.

It stands first in ``AUTHENTICATION_BACKENDS``, before Django's ``ModelBackend``, and only ever
refuses: raising ``PermissionDenied`` stops Django from asking the next backend, so every path
that authenticates by user name and password (the log-in page, the admin) is throttled.
It has no ``get_user``, so sessions keep naming ``ModelBackend``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from vlrkit.web.security import throttle
from vlrkit.web.security.proxy import client_ip


class ThrottleBackend:
    def authenticate(self, request, username=None, password=None, **kwargs):  # noqa: ANN001, ANN003, ANN201
        if request is None or username is None:
            return None
        verdict = throttle.check_login(username, client_ip(request))
        if not verdict.allowed:
            request.vlr_throttled = verdict
            raise PermissionDenied(verdict.reason)
        return None
