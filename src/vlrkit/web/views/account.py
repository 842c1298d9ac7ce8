"""Home page, edition list, log in and log out, the old entity-less addresses, and the user's own
account: password, sessions, re-authentication, and password reset (an administrator's one-time
link, or e-mail).

The second factor's pages are :mod:`vlrkit.web.views.twofactor`; the rules behind all of it
live in :mod:`vlrkit.web.security`.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from vlrkit.web import roles
from vlrkit.web.editions import all_editions, by_code
from vlrkit.web.security import audit, reauth, sessions, throttle, twofactor
from vlrkit.web.security.forms import PasswordChange, ReauthForm
from vlrkit.web.security.proxy import client_ip
from vlrkit.web.text import localised


def safe_next(request: HttpRequest, default: str = "web:home") -> str:
    """The ``next`` parameter if it points into this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def throttled(request: HttpRequest, verdict: throttle.Verdict) -> HttpResponse:
    response = render(request, "web/locked.html", {"retry_after": verdict.retry_after, "reason": verdict.reason},
                      status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):  # noqa: ANN001, ANN201
        verdict = getattr(self.request, "vlr_throttled", None)
        if verdict is not None:
            return throttled(self.request, verdict)
        return super().form_invalid(form)

    def form_valid(self, form):  # noqa: ANN001, ANN201
        response = super().form_valid(form)
        need = twofactor.pending(form.get_user())
        if need:
            target = reverse("web:otp_verify" if need == "verify" else "web:otp_enrol")
            return redirect(f"{target}?{urlencode({'next': self.get_success_url()})}")
        return response

    def get_context_data(self, **kwargs):  # noqa: ANN003, ANN201
        return {**super().get_context_data(**kwargs), "email_reset": bool(getattr(settings, "EMAIL_HOST", ""))}


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'  # ASVS 14.3.1
        return response


def _visible(request: HttpRequest) -> list[dict[str, object]]:
    rows = []
    for ed in all_editions():
        effective = roles.effective_roles(request, ed.key, ed.status)
        workspace = roles.allowed(roles.ACCESS["web:dashboard"], effective, "GET", ed.status)
        contribute = ed.status != "published" and bool(effective & {roles.STAKEHOLDER, roles.ADMIN, roles.COORDINATOR})
        if workspace or contribute or roles.READER in effective:
            rows.append(
                {
                    "key": ed.key,
                    "code": ed.code,
                    "entity": localised(ed.entity_names) or ed.key.entity,
                    "year": ed.year,
                    "status": ed.status,
                    "title": localised(getattr(ed, "title", None)) or ed.code,
                    "workspace": workspace,
                    "contribute": contribute,
                }
            )
    return rows


def home(request: HttpRequest) -> HttpResponse:
    """Every edition the visitor may open."""
    return render(request, "web/home.html", {"editions": _visible(request)})


def editions(request: HttpRequest) -> HttpResponse:
    return home(request)


# --- the user's own account ---------------------------------------------------------------------


def account(request: HttpRequest) -> HttpResponse:
    """Password, second factor, backup codes and the user's live sessions."""
    user = request.user
    current = request.session.session_key
    rows = [{"record": r, "current": r.session_key == current} for r in sessions.of_user(user)]
    return render(request, "web/account/account.html", {
        "sessions": rows, "has_device": twofactor.has_device(user), "required": twofactor.required(user),
        "backup_left": twofactor.backup_codes_left(user),
    })


@reauth.required
def session_end(request: HttpRequest) -> HttpResponse:
    """End one of the user's own sessions, or all but this one (after re-authentication)."""
    from vlrkit.web.security.models import SessionRecord

    user, current = request.user, request.session.session_key
    which = request.POST.get("session", "")
    if which == "others":
        n = sessions.end_all(user, keep=current)
        audit.record(request, "session.ended", target=user.get_username(), detail={"which": "others", "count": n})
        messages.success(request, _("Your other sessions were ended."))
    else:
        rec = SessionRecord.objects.filter(user=user, pk=int(which) if which.isdigit() else 0).first()
        if rec is None:
            messages.error(request, _("That session no longer exists."))
        else:
            sessions.end(rec.session_key)
            audit.record(request, "session.ended", target=user.get_username(), detail={"which": "one"})
            if rec.session_key == current:
                return redirect("web:login")
            messages.success(request, _("The session was ended."))
    return redirect("web:account")


def password_change(request: HttpRequest) -> HttpResponse:
    """Change the password: the current one, the new one twice, and the second factor if enrolled."""
    user = request.user
    needs_token = twofactor.has_device(user)
    form = PasswordChange(user, request.POST or None, needs_token=needs_token)
    if request.method == "POST":
        verdict = throttle.check_login(user.get_username(), client_ip(request))
        if not verdict.allowed:
            return throttled(request, verdict)
        valid = form.is_valid()
        if "old_password" in form.errors:
            throttle.login_failed(user.get_username(), client_ip(request))
            audit.record(request, "password.change", outcome="failure", detail={"reason": "current password"})
        elif valid and needs_token and twofactor.verify(user, form.cleaned_data.get("token", "")) is None:
            form.add_error("token", _("The code is not valid."))
            audit.record(request, "password.change", outcome="failure", detail={"reason": "second factor"})
        elif valid:
            form.save()
            old_key = request.session.session_key
            update_session_auth_hash(request, user)  # this session stays, with a new key
            _follow_key(old_key, request.session.session_key)
            ended = sessions.end_all(user, keep=request.session.session_key)
            reauth.mark(request)
            audit.record(request, "password.change", detail={"other_sessions_ended": ended})
            messages.success(request, _("Your password was changed; your other sessions were ended."))
            return redirect("web:account")
    return render(request, "web/account/password_change.html", {"form": form})


def _follow_key(old: str | None, new: str | None) -> None:
    from vlrkit.web.security.models import SessionRecord

    if old and new and old != new:
        SessionRecord.objects.filter(session_key=old).update(session_key=new)


def reauth_view(request: HttpRequest) -> HttpResponse:
    """Confirm it is you: the password, and the second factor when enrolled."""
    user = request.user
    needs_token = twofactor.has_device(user)
    form = ReauthForm(request.POST or None)
    if not needs_token:
        del form.fields["token"]
    if request.method == "POST" and form.is_valid():
        checked = authenticate(request, username=user.get_username(), password=form.cleaned_data["password"])
        verdict = getattr(request, "vlr_throttled", None)
        if verdict is not None:
            return throttled(request, verdict)
        if checked is None or checked.pk != user.pk:
            form.add_error("password", _("The password is not correct."))
        elif needs_token and twofactor.verify(user, form.cleaned_data.get("token", "")) is None:
            form.add_error("token", _("The code is not valid."))
            audit.record(request, "reauth", outcome="failure", detail={"reason": "second factor"})
        else:
            sessions.cycle(request)  # ASVS 7.2.4: a new session token on re-authentication
            reauth.mark(request)
            audit.record(request, "reauth", detail={"factors": ["password", *(["second_factor"] if needs_token else [])]})
            return redirect(safe_next(request, "web:account"))
    return render(request, "web/account/reauth.html", {"form": form, "next": safe_next(request, "web:account")})


# --- password reset -----------------------------------------------------------------------------

RESET_SESSION_KEY = "vlr_reset_digest"
RESET_SET = "set"


def reset_link(request: HttpRequest, token: str) -> HttpResponse:
    """An administrator's one-time link: the token moves into the session, then a new password."""
    import hashlib

    from vlrkit.web import accounts
    from vlrkit.web.security.models import ResetLink

    if token != RESET_SET:
        link = accounts.reset_link_for(token)
        if link is None:
            audit.record(request, "password.reset", outcome="failure", detail={"reason": "invalid link"})
            return render(request, "web/account/reset_invalid.html")
        request.session[RESET_SESSION_KEY] = hashlib.sha256(token.encode()).hexdigest()
        return redirect("web:reset_link", token=RESET_SET)  # the token leaves the address bar
    from django.utils import timezone

    digest = request.session.get(RESET_SESSION_KEY, "")
    link = ResetLink.objects.select_related("user").filter(
        digest=digest, used_at__isnull=True, expires__gt=timezone.now(), user__is_active=True).first() if digest else None
    if link is None:
        return render(request, "web/account/reset_invalid.html")
    form = SetPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        updated = ResetLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now())
        if not updated:  # used meanwhile by another request
            return render(request, "web/account/reset_invalid.html")
        form.save()
        request.session.pop(RESET_SESSION_KEY, None)
        ended = sessions.end_all(link.user, keep=request.session.session_key)
        audit.record(request, "password.reset", actor=link.user.get_username(), actor_id=link.user.pk,
                     target=link.user.get_username(),
                     detail={"by": "link", "issued_by": link.issued_by, "sessions_ended": ended})
        messages.success(request, _("Your password was set. Log in with it now."))
        return redirect("web:login")
    return render(request, "web/account/reset_set.html", {"form": form, "user_name": link.user.get_username()})


def _email_configured() -> None:
    if not getattr(settings, "EMAIL_HOST", ""):
        raise Http404("password reset by e-mail is not configured")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, where ``VLRKIT_EMAIL_HOST`` is set (else 404)."""

    template_name = "web/account/password_reset.html"
    email_template_name = "web/account/password_reset_email.txt"
    subject_template_name = "web/account/password_reset_subject.txt"
    success_url = reverse_lazy("web:login")

    def dispatch(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        _email_configured()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):  # noqa: ANN001, ANN201
        response = super().form_valid(form)  # Django logs (and survives) a mail server that is down
        audit.record(self.request, "password.reset_requested", detail={"by": "email"})
        messages.info(self.request, _("If an account has this address, a reset link was sent to it."))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "web/account/reset_set.html"
    success_url = reverse_lazy("web:login")

    def dispatch(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        _email_configured()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):  # noqa: ANN001, ANN201
        response = super().form_valid(form)
        ended = sessions.end_all(form.user)
        audit.record(self.request, "password.reset", actor=form.user.get_username(), actor_id=form.user.pk,
                     target=form.user.get_username(), detail={"by": "email", "sessions_ended": ended})
        messages.success(self.request, _("Your password was set. Log in with it now."))
        return response


def legacy(request: HttpRequest, code: str, rest: str = "") -> HttpResponse:
    """``/e/<edition>/…``, the addresses from before editions were named with their entity:
    redirect to ``/review/<entity>/<edition>/…`` when one entity has that edition code (307
    keeps a form's POST a POST); when several do, list them; when none does, 404.  The address
    redirected to checks access itself."""
    found = by_code(code)
    if not found:
        raise Http404(code)
    if len(found) > 1:
        # the entities' names only: an unpublished edition's title is not for every visitor
        rows = [{"key": ed.key, "entity": localised(ed.entity_names) or ed.key.entity} for ed in found]
        return render(request, "web/ambiguous.html", {"code": code, "editions": rows}, status=300)
    url = reverse("web:dashboard", kwargs={"edition": found[0].key}) + quote(rest, safe="/~:@!$&'()*+,;=")
    if query := request.META.get("QUERY_STRING"):
        url += "?" + query
    return HttpResponseRedirect(url, status=307 if request.method == "POST" else 302)
