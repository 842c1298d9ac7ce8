"""Applies the security package to every request (it stands after Django's authentication and
django-otp's middleware, before :class:`vlrkit.web.roles.AccessMiddleware`):

1. a path holding NUL is not found (404), a query string holding NUL is a bad request (400) —
   before any view, file system call or database query sees it;
2. a logged-in session past its idle or absolute timeout ends (:mod:`.sessions`);
3. a session whose second factor is still due reaches only :data:`GATE_OPEN`
   (:mod:`.twofactor`);
4. POSTs to the forms of :data:`.throttle.RATE_LIMITS` are counted per address (429 past it);
5. responses to logged-in users, and the account pages, carry ``Cache-Control: no-store``
   (ASVS 14.3.2), and every response a ``Permissions-Policy``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from vlrkit.web.security import audit, sessions, throttle, twofactor
from vlrkit.web.security.proxy import client_ip

#: What a session whose second factor is due may still open.
GATE_OPEN = frozenset({"web:otp_verify", "web:otp_enrol", "web:logout", "web:set_language", "web:favicon"})
#: Pages never stored by a browser or proxy, even for visitors who are not logged in.
NO_STORE = frozenset({"web:login", "web:otp_verify", "web:otp_enrol", "web:reauth", "web:reset_link",
                      "web:password_reset", "web:password_reset_confirm", "web:account"})
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class BadQuery(SuspiciousOperation):
    """A query string holding a NUL character."""


def _url_name(request) -> str:  # noqa: ANN001
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return ""
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


class SecurityMiddleware:
    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001, ANN204
        if "\x00" in request.path_info:
            raise Http404("NUL in path")
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            raise BadQuery("NUL in query string")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = sessions.check(request)
            if reason:
                audit.record(request, "session.timeout", detail={"reason": reason})
                sessions.end(request.session.session_key)
                request.session.flush()
                request.user = AnonymousUser()
                messages.info(request, _("Your session has ended; please log in again."))
        response = self.get_response(request)
        if (getattr(request, "user", None) is not None and request.user.is_authenticated) \
                or _url_name(request) in NO_STORE:
            response["Cache-Control"] = "no-store"
            if "Expires" in response:
                del response["Expires"]
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):  # noqa: ANN001, ANN201
        name = _url_name(request)
        need = twofactor.pending(request.user)
        if need and name not in GATE_OPEN:
            target = reverse("web:otp_verify" if need == "verify" else "web:otp_enrol")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        limit = throttle.RATE_LIMITS.get(name)
        if limit is not None and request.method == "POST" and not (limit.anonymous_only and request.user.is_authenticated):
            verdict = throttle.hit(name, client_ip(request))
            if not verdict.allowed:
                audit.record(request, "rate.limited", outcome="denied", detail={"form": name})
                response = render(request, "web/security/limited.html", {"retry_after": verdict.retry_after},
                                  status=429)
                response["Retry-After"] = str(verdict.retry_after)
                return response
        return None


def denied(request, exception=None):  # noqa: ANN001, ANN201
    """``handler403``: record the refusal, then Django's 403 page."""
    from django.views.defaults import permission_denied

    audit.record(request, "access.denied", outcome="denied",
                 edition=str((getattr(request, "resolver_match", None) and request.resolver_match.kwargs.get("edition")) or ""),
                 detail={"view": _url_name(request), "reason": str(exception or "")[:200]})
    return permission_denied(request, exception)


def csrf_failure(request, reason: str = ""):  # noqa: ANN001, ANN201
    """``CSRF_FAILURE_VIEW``: record the refused forgery, then Django's page."""
    from django.views.csrf import csrf_failure as django_csrf_failure

    audit.record(request, "csrf.failure", outcome="denied", detail={"reason": reason[:200]})
    return django_csrf_failure(request, reason)
