"""Authentication to ASVS 5.0 level 2: log-in throttling (per account, per address), trusted
proxies, the TOTP second factor (real django-otp devices, codes computed from their keys),
backup codes, re-authentication, password change and reset, and sessions (listing, ending,
idle and absolute timeouts).  See docs/security.md for the requirement each test shows."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from tests.web.conftest import DRAFT, ENTITY, PASSWORD

from vlrkit.web.security import proxy, sessions, setting, throttle, twofactor
from vlrkit.web.security.models import AuditEntry, LoginThrottle, SessionRecord

ATTACKER = "203.0.113.66"  # documentation addresses (RFC 5737); no traffic is sent anywhere
OFFICE = "198.51.100.7"
NEW_PASSWORD = "a-brand-new-pass-phrase-for-2026"


def _login(client: Client, user: str, password: str = PASSWORD, ip: str = OFFICE, **extra):
    return client.post("/accounts/login/", {"username": user, "password": password}, REMOTE_ADDR=ip, **extra)


def _logged_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _token(device) -> str:
    """The device's current TOTP code, computed from its key as the phone's app does."""
    if (time.time() - device.t0) % device.step > device.step - 2:
        time.sleep(2.5)  # not at the very end of a 30-second step: the server checks it a moment later
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def _enrol(client: Client) -> tuple[object, list[str]]:
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content  # the QR code, drawn here
    device = twofactor.enrolling(page.wsgi_request.user)
    done = client.post("/accounts/two-factor/", {"token": _token(device)})
    assert done.status_code == 200, done.content[:500]
    codes = re.findall(r"<code>([a-z2-7-]{29})</code>", done.content.decode())
    device.refresh_from_db()
    assert device.confirmed and device.tolerance == twofactor.TOLERANCE
    return device, codes


# --- throttling ---------------------------------------------------------------------------------


def test_backoff_doubles_and_is_capped(settings):
    settings.VLRKIT_LOGIN_FREE_FAILURES, settings.VLRKIT_LOGIN_BACKOFF_MAX_S = 3, 300
    waits = [throttle.backoff_s(n) for n in range(1, 16)]
    assert waits[:2] == [0, 0] and waits[2:7] == [1, 2, 4, 8, 16]
    assert max(waits) == 300 and waits[-1] == 300
    assert all(b >= a for a, b in zip(waits, waits[1:], strict=False))


def test_attacked_account_backs_off_but_another_user_logs_in(db, users, settings):
    settings.VLRKIT_IP_FAILURES = 1000  # this test watches the account signal alone
    attacker = Client()
    for _ in range(3):
        assert _login(attacker, "editor", "wrong-password-x", ATTACKER).status_code == 200
    failures, wait = throttle.account_failures("editor")
    assert (failures, wait) == (3, 1)
    # while the account waits, even the right password is not checked: 429, from any address
    blocked = _login(Client(), "editor", ip=OFFICE)
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) >= 1
    # ... and nobody else is affected: another user logs in from another address
    other = Client()
    assert _login(other, "coordinator", ip=OFFICE).status_code == 302
    assert int(_logged_in_as(other)) == users["coordinator"].pk
    # the wait grows with each failure and stays bounded
    seen = []
    for _ in range(14):
        LoginThrottle.objects.filter(key="account:editor").update(blocked_until=None)  # as if the wait passed
        _login(attacker, "editor", "wrong-password-x", ATTACKER)
        seen.append(throttle.account_failures("editor")[1])
    assert seen == sorted(seen) and seen[0] == 2 and max(seen) <= setting("VLRKIT_LOGIN_BACKOFF_MAX_S")
    assert seen[-1] == throttle.backoff_s(17)
    # once the wait is over the real user gets in, and their count starts again
    LoginThrottle.objects.filter(key="account:editor").update(blocked_until=timezone.now() - timedelta(seconds=1))
    assert _login(Client(), "editor").status_code == 302
    assert throttle.account_failures("editor") == (0, 0)


def test_one_address_failing_often_is_throttled_apart(db, users, settings):
    settings.VLRKIT_IP_FAILURES = 5
    attacker = Client()
    for n in range(5):  # a spray over many accounts: no account reaches its back-off
        _login(attacker, f"nobody-{n}", "guess-guess-guess", ATTACKER)
    assert _login(attacker, "reader", ip=ATTACKER).status_code == 429  # the address waits
    assert _login(Client(), "reader", ip=OFFICE).status_code == 302  # the account does not
    entry = AuditEntry.objects.filter(event="login.failure", actor="reader").first()
    assert entry.ip == ATTACKER and "throttled-address" in entry.detail


def test_throttled_response_is_the_same_for_unknown_accounts(db, users):
    for name in ("editor", "no-such-user"):
        for _ in range(3):
            _login(Client(), name, "wrong-password-x", ATTACKER)
    a, b = _login(Client(), "editor", "x", ATTACKER), _login(Client(), "no-such-user", "x", ATTACKER)
    assert a.status_code == b.status_code == 429
    def page(r) -> bytes:
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content)

    assert page(a) == page(b)


# --- trusted proxies ------------------------------------------------------------------------------


@pytest.mark.parametrize(("peer", "xff", "expected"), [
    ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
    ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the right-most hop the proxy saw
    ("127.0.0.1", "203.0.113.9, 127.0.0.1", "203.0.113.9"),  # trusted hops are skipped
    ("127.0.0.1", "not-an-address", "127.0.0.1"),  # a malformed chain is not believed
    ("198.51.100.2", "203.0.113.9", "198.51.100.2"),  # not from a proxy: the header is ignored
    ("127.0.0.1", "", "127.0.0.1"),
])
def test_client_address(peer, xff, expected):
    assert proxy.client_from(peer, xff, proxy._networks(("127.0.0.0/8",))) == expected


def test_forwarded_for_only_from_trusted_proxies(db, users, settings):
    settings.VLRKIT_TRUSTED_PROXIES = ["127.0.0.1"]
    _login(Client(), "editor", "wrong-password-x", "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert AuditEntry.objects.filter(event="login.failure").first().ip == "203.0.113.50"
    _login(Client(), "editor", "wrong-password-x", "198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.51")
    assert AuditEntry.objects.filter(event="login.failure").first().ip == "198.51.100.9"  # spoofing ignored
    settings.VLRKIT_TRUSTED_PROXIES = []
    r = _login(Client(), "editor", "wrong-password-x", "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.52",
               HTTP_X_FORWARDED_PROTO="https")
    assert AuditEntry.objects.filter(event="login.failure").first().ip == "127.0.0.1"
    assert "HTTP_X_FORWARDED_FOR" not in r.wsgi_request.META and not r.wsgi_request.is_secure()


# --- the second factor ----------------------------------------------------------------------------


def test_totp_required_enrolment_then_verification(review, users, settings):
    settings.VLRKIT_REQUIRE_2FA = True
    c = Client()
    r = _login(c, "coordinator")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/two-factor/")
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 302  # nothing else before the second factor
    assert c.get(f"/review/{ENTITY}/{DRAFT}/")["Location"].startswith("/accounts/two-factor/")
    device, codes = _enrol(c)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200
    # the next log-in asks for a code after the password
    c2 = Client()
    r = _login(c2, "coordinator")
    assert r["Location"].startswith("/accounts/verify/")
    assert c2.get(f"/review/{ENTITY}/{DRAFT}/")["Location"].startswith("/accounts/verify/")
    assert c2.post("/accounts/verify/", {"token": "000000" if _token(device) != "000000" else "111111"}).status_code == 200
    assert AuditEntry.objects.filter(event="login.second_factor", outcome="failure").exists()
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1  # as if the enrolment were a step ago: the code below is new to the device
    device.save()
    token = _token(device)
    assert c2.post("/accounts/verify/", {"token": token}).status_code == 302
    assert c2.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200
    # a code is accepted once (ASVS 6.5.1): replayed in a third session it fails
    c3 = Client()
    _login(c3, "coordinator")
    assert c3.post("/accounts/verify/", {"token": token}).status_code == 200
    assert c3.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 302
    success = AuditEntry.objects.filter(event="login.success", actor="coordinator").first()
    assert '"totp"' in success.detail


def test_roles_outside_the_setting_need_no_second_factor(review, users, settings):
    settings.VLRKIT_REQUIRE_2FA = True
    c = Client()
    assert _login(c, "editor")["Location"] == "/"
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200
    settings.VLRKIT_REQUIRE_2FA = False
    c = Client()
    assert _login(c, "coordinator")["Location"] == "/"  # off (the demo): no enrolment


def test_backup_code_works_once(review, users):
    c = Client()
    _login(c, "editor")
    _device, codes = _enrol(c)  # voluntary: from now on editor's log-ins need a second factor too
    from vlrkit.web.security.models import BackupCode

    assert BackupCode.objects.filter(device__user=users["editor"]).count() == 10
    assert not BackupCode.objects.filter(digest__in=codes).exists()  # only hashes are stored
    c2 = Client()
    _login(c2, "editor")
    assert c2.post("/accounts/verify/", {"token": codes[0].upper().replace("-", " ")}).status_code == 302
    assert c2.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200
    c3 = Client()
    _login(c3, "editor")
    assert c3.post("/accounts/verify/", {"token": codes[0]}).status_code == 200  # used up
    assert twofactor.backup_codes_left(users["editor"]) == 9


def test_admin_resets_a_lost_second_factor(review, users, settings):
    settings.VLRKIT_REQUIRE_2FA = True
    c = Client()
    _login(c, "coordinator")
    _enrol(c)
    settings.VLRKIT_REQUIRE_2FA = False  # (the administrator's own second factor is not this test's)
    admin = Client()
    admin.force_login(users["admin"])
    r = admin.post("/security/users/", {"user": users["coordinator"].pk, "action": "reset_2fa"})
    assert r.status_code == 302 and r["Location"] == "/security/users/"
    settings.VLRKIT_REQUIRE_2FA = True
    assert not twofactor.has_device(users["coordinator"])
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 302  # the coordinator's sessions ended
    again = Client()
    assert _login(again, "coordinator")["Location"].startswith("/accounts/two-factor/")  # enrols anew
    assert AuditEntry.objects.filter(event="otp.reset_by_admin", target="coordinator", actor="admin").exists()


def test_removing_the_second_factor_needs_reauthentication(review, users):
    c = Client()
    _login(c, "editor")
    device, _codes = _enrol(c)
    session = c.session
    session["vlr_auth_at"] = 0  # long ago
    session.save()
    r = c.post("/accounts/two-factor/remove/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/confirm/")
    assert twofactor.has_device(users["editor"])
    bad = c.post("/accounts/confirm/", {"password": PASSWORD, "token": "12345"})
    assert bad.status_code == 200 and twofactor.has_device(users["editor"])
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1
    device.save()
    old_key = c.session.session_key
    ok = c.post("/accounts/confirm/", {"password": PASSWORD, "token": _token(device), "next": "/accounts/security/"})
    assert ok.status_code == 302 and c.session.session_key != old_key  # a new session token (ASVS 7.2.4)
    assert c.post("/accounts/two-factor/remove/").status_code == 302
    assert not twofactor.has_device(users["editor"])


# --- password change and reset ------------------------------------------------------------------


def test_password_change_needs_the_current_password_and_ends_other_sessions(review, users):
    c, other = Client(), Client()
    _login(c, "reader")
    _login(other, "reader", ip=ATTACKER)
    bad = c.post("/accounts/password/", {"old_password": "not-it-at-all-1", "new_password1": NEW_PASSWORD,
                                         "new_password2": NEW_PASSWORD})
    assert bad.status_code == 200 and throttle.account_failures("reader")[0] == 1
    weak = c.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "vlrkit-testville-2026",
                                          "new_password2": "vlrkit-testville-2026"})
    assert weak.status_code == 200 and "tied to this site" in weak.content.decode()
    ok = c.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                        "new_password2": NEW_PASSWORD})
    assert ok.status_code == 302
    assert c.get("/accounts/security/").status_code == 200  # this session stays
    assert other.get("/accounts/security/").status_code == 302  # the other one ended
    assert _login(Client(), "reader", NEW_PASSWORD).status_code == 302


def test_admin_reset_link_is_single_use_and_expires(review, users):
    admin = Client()
    admin.force_login(users["admin"])
    victim_session = Client()
    _login(victim_session, "editor")
    admin.post("/security/users/", {"user": users["editor"].pk, "action": "reset_link"})
    page = admin.get("/security/users/").content.decode()
    link = re.search(r"http://testserver(/accounts/reset/[\w-]+/)", page).group(1)
    assert admin.get("/security/users/").content.decode().count("/accounts/reset/") == 0  # shown once
    c = Client()
    r = c.get(link)
    assert r.status_code == 302 and r["Location"] == "/accounts/reset/set/"  # the token leaves the URL
    assert c.post("/accounts/reset/set/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302
    assert _login(Client(), "editor", NEW_PASSWORD).status_code == 302
    assert victim_session.get("/accounts/security/").status_code == 302  # their sessions ended
    assert b"not valid" in Client().get(link, follow=True).content  # used once
    from vlrkit.web.accounts import issue_reset_link
    from vlrkit.web.security.models import ResetLink

    token = issue_reset_link(users["editor"], issued_by="admin")
    ResetLink.objects.filter(used_at__isnull=True).update(expires=timezone.now() - timedelta(seconds=1))
    assert b"not valid" in Client().get(f"/accounts/reset/{token}/", follow=True).content  # expired
    assert not ResetLink.objects.filter(digest=token).exists()  # only the hash is kept


def test_email_reset_only_where_configured(review, users, settings, mailoutbox):
    settings.EMAIL_HOST = ""
    assert Client().get("/accounts/password-reset/").status_code == 404
    settings.EMAIL_HOST = "mail.example.org"
    users["editor"].email = "editor@example.org"
    users["editor"].save()
    assert Client().post("/accounts/password-reset/", {"email": "editor@example.org"}).status_code == 302
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mailoutbox[0].body).group(1)
    c = Client()
    r = c.get(link, follow=True)
    assert r.status_code == 200
    done = c.post(r.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert _login(Client(), "editor", NEW_PASSWORD).status_code == 302


# --- sessions ---------------------------------------------------------------------------------------


def test_users_see_and_end_their_sessions(review, users):
    phone, laptop = Client(), Client()
    _login(phone, "editor", ip=ATTACKER, HTTP_USER_AGENT="PhoneBrowser/1.0")
    _login(laptop, "editor", ip=OFFICE, HTTP_USER_AGENT="LaptopBrowser/2.0")
    page = laptop.get("/accounts/security/").content.decode()
    assert "PhoneBrowser/1.0" in page and ATTACKER in page and "LaptopBrowser/2.0" in page
    assert phone.session.session_key not in page  # the session id itself is never shown
    rec = SessionRecord.objects.get(session_key=phone.session.session_key)
    assert laptop.post("/accounts/sessions/end/", {"session": rec.pk}).status_code == 302
    assert phone.get("/accounts/security/").status_code == 302
    assert laptop.get("/accounts/security/").status_code == 200
    assert not Session.objects.filter(session_key=rec.session_key).exists()


def test_admins_end_anyones_session(review, users):
    user = Client()
    _login(user, "stakeholder")
    admin = Client()
    admin.force_login(users["admin"])
    page = admin.get("/security/sessions/")
    assert page.status_code == 200 and b"stakeholder" in page.content
    rec = SessionRecord.objects.get(user=users["stakeholder"])
    assert admin.post("/security/sessions/", {"session": rec.pk}).status_code == 302
    assert user.get("/accounts/security/").status_code == 302
    assert Client().get("/security/sessions/").status_code == 302  # not for anyone else
    editor = Client()
    editor.force_login(users["editor"])
    assert editor.get("/security/sessions/").status_code == 403


def _age_session(client: Client, **fields) -> None:
    SessionRecord.objects.filter(session_key=client.session.session_key).update(**fields)
    sessions._seen.clear()  # as a process that has not seen the session lately


def test_idle_timeout(review, users, settings):
    c = Client()
    _login(c, "editor")
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200
    _age_session(c, last_seen=timezone.now() - timedelta(seconds=settings.VLRKIT_SESSION_IDLE_S - 60))
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200  # still within the idle time
    _age_session(c, last_seen=timezone.now() - timedelta(seconds=settings.VLRKIT_SESSION_IDLE_S + 60))
    r = c.get(f"/review/{ENTITY}/{DRAFT}/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert AuditEntry.objects.filter(event="session.timeout", detail__contains="idle").exists()


def test_absolute_timeout_even_when_active(review, users, settings):
    c = Client()
    _login(c, "editor")
    _age_session(c, created=timezone.now() - timedelta(seconds=settings.VLRKIT_SESSION_MAX_S + 1),
                 last_seen=timezone.now())
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 302
    assert settings.SESSION_COOKIE_AGE == settings.VLRKIT_SESSION_MAX_S


def test_last_seen_is_written_at_most_once_a_minute(review, users):
    c = Client()
    _login(c, "editor")
    _age_session(c, last_seen=timezone.now() - timedelta(seconds=120))
    c.get(f"/review/{ENTITY}/{DRAFT}/")
    first = SessionRecord.objects.get(session_key=c.session.session_key).last_seen
    assert timezone.now() - first < timedelta(seconds=5)
    c.get(f"/review/{ENTITY}/{DRAFT}/")
    assert SessionRecord.objects.get(session_key=c.session.session_key).last_seen == first


def test_sessions_per_account_are_bounded(review, users, settings):
    settings.VLRKIT_MAX_SESSIONS = 2
    clients = [Client() for _ in range(3)]
    for c in clients:
        _login(c, "reader")
    assert clients[0].get("/accounts/security/").status_code == 302  # the oldest was ended
    assert all(c.get("/accounts/security/").status_code == 200 for c in clients[1:])


def test_disabling_an_account_ends_its_sessions(review, users):
    c = Client()
    _login(c, "editor")
    admin = Client()
    admin.force_login(users["admin"])
    admin.post("/security/users/", {"user": users["editor"].pk, "action": "disable"})
    assert not SessionRecord.objects.filter(user=users["editor"]).exists()
    assert c.get("/accounts/security/").status_code == 302


def test_a_reset_password_does_not_bypass_the_second_factor(review, users):
    c = Client()
    _login(c, "editor")
    _enrol(c)
    from vlrkit.web.accounts import issue_reset_link

    token = issue_reset_link(users["editor"], issued_by="admin")
    reset = Client()
    reset.get(f"/accounts/reset/{token}/")
    reset.post("/accounts/reset/set/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    after = Client()
    assert _login(after, "editor", NEW_PASSWORD)["Location"].startswith("/accounts/verify/")  # ASVS 6.4.3
    assert after.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 302


def test_email_reset_survives_a_mail_server_that_is_down(review, users, settings):
    from tests.web.browser import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    users["editor"].email = "editor@example.org"
    users["editor"].save()
    r = Client().post("/accounts/password-reset/", {"email": "editor@example.org"}, follow=True)
    assert r.status_code == 200 and b"If an account has this address" in r.content  # no 500, nothing revealed
    assert AuditEntry.objects.filter(event="password.reset_requested").exists()


def test_admin_ends_every_session(review, users):
    others = [Client() for _ in range(3)]
    for c, name in zip(others, ("editor", "reader", "stakeholder"), strict=True):
        _login(c, name)
    admin = Client()
    admin.force_login(users["admin"])
    assert admin.post("/security/sessions/", {"session": "everyone"}).status_code == 302
    assert all(c.get("/accounts/security/").status_code == 302 for c in others)
    assert admin.get("/accounts/security/").status_code == 200


def test_account_pages_in_chinese(review, users):
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    _login(c, "editor")
    page = c.get("/accounts/security/").content.decode()
    assert "账户与安全" in page and "您的会话" in page and "设置身份验证器应用" in page
    assert "扫描此二维码" in c.get("/accounts/two-factor/").content.decode()


def test_the_second_step_returns_to_the_page_asked_for(review, users):
    c = Client()
    _login(c, "editor")
    device, _codes = _enrol(c)
    device.last_t = -1
    device.save()
    c2 = Client()
    target = f"/review/{ENTITY}/{DRAFT}/indicators/?goal=11&lang=en"
    r = c2.post(f"/accounts/login/?next={target.replace('&', '%26').replace('?', '%3F')}",
                {"username": "editor", "password": PASSWORD, "next": target})
    assert r["Location"].startswith("/accounts/verify/?next=")
    r = c2.post(r["Location"], {"token": _token(device), "next": target})
    assert r.status_code == 302 and r["Location"] == target
    assert c2.post("/accounts/verify/", {"token": "1", "next": "https://evil.example/"})["Location"] == "/"  # no open redirect
    assert Client().get("/accounts/verify/?next=https://evil.example/")["Location"].startswith("/accounts/login/")
