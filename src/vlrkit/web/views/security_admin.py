"""Administrators' security pages: the audit log (filter, page, export as CSV or JSON, chain
check), the users (roles, second factor, failed log-ins; issue a reset link, reset the second
factor, end sessions, disable) and every live session.  Global administrators only
(``is_superuser``), on top of the access table's rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vlrkit.web.security import audit, reauth, sessions, throttle, twofactor

#: Audit entries per page.
PAGE_SIZE = 100
FILTERS = ("event", "actor", "outcome", "ip", "edition", "since", "until")


def _global_admin(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied("global administrators only")


def audit_log(request: HttpRequest) -> HttpResponse:
    _global_admin(request)
    qs = audit.filtered(request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: request.GET.get(k, "") for k in FILTERS}
    check = audit.verify() if request.GET.get("verify") else None
    return render(request, "web/security/audit.html", {
        "page": page, "filters": query, "check": check,
        "query": "&".join(f"{k}={v}" for k, v in query.items() if v),
        "events": sorted(set(audit.filtered({}).values_list("event", flat=True).distinct()[:200])),
    })


def audit_export(request: HttpRequest) -> HttpResponse:
    _global_admin(request)
    kind = request.GET.get("as", "csv")
    entries = audit.filtered(request.GET).order_by("seq").iterator(chunk_size=2000)
    audit.record(request, "audit.export", detail={"as": kind, **{k: request.GET.get(k) for k in FILTERS if request.GET.get(k)}})
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if kind == "json":
        response = StreamingHttpResponse(audit.json_chunks(entries), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="vlrkit-audit-{stamp}.json"'
    else:
        response = StreamingHttpResponse(audit.csv_chunks(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="vlrkit-audit-{stamp}.csv"'
    return response


def users(request: HttpRequest) -> HttpResponse:
    """Every account with its roles and second factor; POST: one account action (re-authenticated)."""
    _global_admin(request)
    if request.method == "POST":
        return _user_action(request)
    from vlrkit.web.models import Membership

    held: dict[int, list[str]] = {}
    for uid, role, entity, edition in Membership.objects.values_list("user_id", "role", "entity", "edition"):
        scope = f"{entity}/{edition}" if entity and edition else entity or (f"?/{edition}" if edition else "")
        held.setdefault(uid, []).append(f"{role}{'@' + scope if scope else ''}")
    rows = []
    for u in get_user_model().objects.order_by("username"):
        failures, wait = throttle.account_failures(u.get_username())
        rows.append({"user": u, "roles": held.get(u.pk, []), "has_device": twofactor.has_device(u),
                     "required": twofactor.required(u), "failures": failures, "wait": wait,
                     "sessions": len(sessions.of_user(u))})
    return render(request, "web/security/users.html", {"rows": rows, "link": request.session.pop("vlr_issued_link", None)})


@reauth.required
def _user_action(request: HttpRequest) -> HttpResponse:
    from vlrkit.web import accounts

    action = request.POST.get("action", "")
    pk = request.POST.get("user", "")
    target = get_user_model().objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if target is None or action not in ("reset_link", "reset_2fa", "end_sessions", "disable", "enable"):
        messages.error(request, _("Choose a user and an action."))
        return redirect("web:security_users")
    name = target.get_username()
    if action == "reset_link":
        token = accounts.issue_reset_link(target, issued_by=request.user.get_username())
        url = request.build_absolute_uri(reverse("web:reset_link", kwargs={"token": token}))
        request.session["vlr_issued_link"] = {"user": name, "url": url}
        audit.record(request, "password.reset_link_issued", target=name)
    elif action == "reset_2fa":
        removed = accounts.reset_second_factor(target)
        audit.record(request, "otp.reset_by_admin", target=name, detail={"devices_removed": removed})
        messages.success(request, _("The second factor of %(user)s was removed; they set up a new one at their next log-in.") % {"user": name})
    elif action == "end_sessions":
        n = sessions.end_all(target, keep=request.session.session_key)
        audit.record(request, "session.ended", target=name, detail={"which": "all", "count": n, "by": "admin"})
        messages.success(request, _("%(n)s sessions of %(user)s were ended.") % {"n": n, "user": name})
    elif target.pk == request.user.pk:
        messages.error(request, _("You cannot disable or enable your own account here."))
    else:
        target.is_active = action == "enable"
        target.save(update_fields=["is_active"])  # disabling ends the account's sessions (signals)
        messages.success(request, (_("%(user)s was disabled.") if action == "disable" else _("%(user)s was enabled.")) % {"user": name})
    return redirect("web:security_users")


def all_sessions(request: HttpRequest) -> HttpResponse:
    """Every live session; POST ends one (re-authenticated)."""
    _global_admin(request)
    if request.method == "POST":
        return _end_one(request)
    return render(request, "web/security/sessions.html", {"rows": sessions.all_live(),
                                                          "current": request.session.session_key})


@reauth.required
def _end_one(request: HttpRequest) -> HttpResponse:
    from vlrkit.web.security.models import SessionRecord

    pk = request.POST.get("session", "")
    if pk == "everyone":  # ASVS 7.4.5: every session of every user, but this one
        keys = list(SessionRecord.objects.exclude(session_key=request.session.session_key)
                    .values_list("session_key", flat=True))
        for key in keys:
            sessions.end(key)
        audit.record(request, "session.ended", detail={"which": "everyone", "count": len(keys), "by": "admin"})
        messages.success(request, _("%(n)s sessions were ended.") % {"n": len(keys)})
        return redirect("web:security_sessions")
    rec = SessionRecord.objects.select_related("user").filter(pk=int(pk) if pk.isdigit() else 0).first()
    if rec is None:
        messages.error(request, _("That session no longer exists."))
    else:
        sessions.end(rec.session_key)
        audit.record(request, "session.ended", target=rec.user.get_username(), detail={"which": "one", "by": "admin"})
        messages.success(request, _("The session was ended."))
    return redirect("web:security_sessions")
