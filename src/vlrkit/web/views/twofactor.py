"""The second factor's pages: verification at log-in, enrolment (QR code drawn here), new backup
codes and removal.  The rules are :mod:`vlrkit.web.security.twofactor`'s."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vlrkit.web.security import audit, reauth, sessions, twofactor
from vlrkit.web.security.forms import EnrolForm, TokenForm
from vlrkit.web.views.account import safe_next


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of log-in: a code from the authenticator app or a backup code."""
    user = request.user
    need = twofactor.pending(user)
    if need == "enrol":
        return redirect("web:otp_enrol")
    if not need:
        return redirect(safe_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            sessions.cycle(request)
            reauth.mark(request)
            method = twofactor.method_of(device)
            audit.record(request, "login.success", detail={"factors": ["password", method]})
            if method == "backup_code":
                messages.warning(request, _("You used a backup code; %(n)s are left.") % {
                    "n": twofactor.backup_codes_left(user)})
            return redirect(safe_next(request))
        audit.record(request, "login.second_factor", outcome="failure")
        wait = twofactor.throttled_for(user)
        form.add_error("token", _("Too many wrong codes: try again in %(s)s seconds.") % {"s": wait} if wait
                       else _("The code is not valid."))
    return render(request, "web/account/verify.html", {"form": form, "next": safe_next(request)})


@reauth.required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with one code."""
    user = request.user
    if twofactor.pending(user) == "verify":
        return redirect("web:otp_verify")
    device = twofactor.enrolling(user) or twofactor.start_enrolment(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm_enrolment(device, form.cleaned_data["token"]):
            django_otp.login(request, device)
            codes = twofactor.new_backup_codes(user)
            audit.record(request, "otp.enrolled", target=user.get_username())
            return render(request, "web/account/backup_codes.html", {"codes": codes, "enrolled": True,
                                                                     "next": safe_next(request)})
        audit.record(request, "otp.enrolled", outcome="failure", target=user.get_username())
        form.add_error("token", _("The code is not valid. Check the time on your phone and try again."))
    return render(request, "web/account/enrol.html", {
        "form": form, "qr": twofactor.qr_data_uri(device), "secret": twofactor.secret_text(device),
        "replacing": twofactor.has_device(user), "required": twofactor.required(user), "next": safe_next(request),
    })


@reauth.required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working); shown once."""
    user = request.user
    if request.method == "POST":
        if not twofactor.has_device(user):
            messages.error(request, _("Set up an authenticator app first."))
            return redirect("web:account")
        codes = twofactor.new_backup_codes(user)
        audit.record(request, "otp.backup_codes", target=user.get_username())
        return render(request, "web/account/backup_codes.html", {"codes": codes, "enrolled": False})
    return render(request, "web/account/backup_codes.html", {"left": twofactor.backup_codes_left(user)})


@reauth.required
def remove(request: HttpRequest) -> HttpResponse:
    """Remove the second factor (not allowed where it is required)."""
    user = request.user
    if twofactor.required(user):
        messages.error(request, _("Your role requires a second factor; set up a new app instead of removing it."))
        return redirect("web:account")
    if twofactor.remove_all(user):
        audit.record(request, "otp.removed", target=user.get_username())
        messages.success(request, _("The second factor was removed."))
    return redirect("web:account")
