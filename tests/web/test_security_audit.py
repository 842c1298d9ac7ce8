"""The audit log (append-only, hash-chained, viewed and exported by administrators), what is
recorded (log-ins, refusals, roles, workflow, imports), and the small items of issue 19:
NUL paths, ``Cache-Control: no-store``, the contribution form's rate limit, security headers,
the password validators."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection
from django.test import Client
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from tests.web.conftest import DRAFT, ENTITY, PASSWORD, PUBLISHED

from vlrkit.web.security import audit
from vlrkit.web.security.models import AppendOnly, AuditEntry


def _entries(n: int) -> None:
    for i in range(n):
        audit.record(None, "test.event", actor=f"user{i}", detail={"i": i})


def _raw(sql: str, params=()) -> None:
    """What someone with the database owner's rights does: drop the guard, then edit."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS vlr_security_auditentry_no_update")
            cur.execute("DROP TRIGGER IF EXISTS vlr_security_auditentry_no_delete")
        else:
            cur.execute("DROP TRIGGER IF EXISTS vlr_security_auditentry_append_only ON vlr_security_auditentry")
        cur.execute(sql, params)


def test_chain_holds_and_entries_cannot_be_changed(db):
    _entries(5)
    check = audit.verify()
    assert check.ok and check.entries == 5 and check.head_seq == 5
    entry = AuditEntry.objects.get(seq=3)
    entry.actor = "someone-else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(seq=3).update(actor="x")
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE vlr_security_auditentry SET actor = 'x' WHERE seq = 3")  # the trigger refuses
    assert AuditEntry.objects.get(seq=3).actor == "user2"


@pytest.mark.parametrize(("tamper", "broken_at", "words"), [
    ("UPDATE vlr_security_auditentry SET actor = 'mallory' WHERE seq = 3", 3, "changed"),
    ("UPDATE vlr_security_auditentry SET detail = '{\"i\":99}' WHERE seq = 2", 2, "changed"),
    ("DELETE FROM vlr_security_auditentry WHERE seq = 3", 3, "missing"),
    ("DELETE FROM vlr_security_auditentry WHERE seq = 5", 5, "removed"),
])
def test_an_edited_or_deleted_entry_breaks_the_chain(db, tamper, broken_at, words):
    _entries(5)
    _raw(tamper)
    check = audit.verify()
    assert not check.ok and check.broken_at == broken_at and words in check.reason


def test_a_rewritten_entry_with_a_fresh_hash_still_breaks_the_chain(db):
    _entries(4)
    row = dict(zip(audit.COLUMNS, AuditEntry.objects.filter(seq=2).values_list(*audit.COLUMNS).get(), strict=True))
    row["actor"] = "mallory"
    forged = audit.entry_hash(row)  # a careful forger recomputes the entry's own hash
    _raw("UPDATE vlr_security_auditentry SET actor = 'mallory', hash = %s WHERE seq = 2", [forged])
    check = audit.verify()
    assert not check.ok and check.broken_at == 3  # the next entry still names the old hash


def test_log_injection_is_neutralised(db):
    audit.record(None, "login.failure", outcome="failure", actor="eve\r\n2026-01-01 login.success admin")
    entry = AuditEntry.objects.get()
    assert "\n" not in entry.actor and "\\x0d\\x0a" in entry.actor


def test_logins_and_refusals_are_recorded(review, users, as_role):
    c = Client()
    c.post("/accounts/login/", {"username": "editor", "password": "wrong-password-x"},
           REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT="TestBrowser/9")
    c.post("/accounts/login/", {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="198.51.100.20")
    failed = AuditEntry.objects.get(event="login.failure")
    assert (failed.actor, failed.outcome, failed.ip, failed.user_agent) == ("editor", "failure", "198.51.100.20",
                                                                           "TestBrowser/9")
    assert PASSWORD not in failed.detail and "wrong-password-x" not in failed.detail  # no secrets logged
    ok = AuditEntry.objects.get(event="login.success")
    assert ok.actor == "editor" and ok.actor_id == users["editor"].pk and ok.at.tzinfo is not None
    c.post("/accounts/logout/")
    assert AuditEntry.objects.filter(event="logout", actor="editor").exists()
    assert as_role("reader").get(f"/review/{ENTITY}/{DRAFT}/history/").status_code == 403
    denied = AuditEntry.objects.get(event="access.denied")
    assert (denied.actor, denied.outcome, denied.edition, denied.path) == ("reader", "denied", f"{ENTITY}/{DRAFT}",
                                                                           f"/review/{ENTITY}/{DRAFT}/history/")
    assert audit.verify().ok


def test_roles_workflow_and_imports_are_recorded(review, users, as_role, django_capture_on_commit_callbacks):
    from vlrkit.store.models import Import
    from vlrkit.web.models import Membership

    with django_capture_on_commit_callbacks(execute=True):
        m = Membership.objects.create(user=users["reader"], role="editor", edition=DRAFT)
        m.delete()
        as_role("editor").post(f"/review/{ENTITY}/{DRAFT}/publish/", {"action": "transition", "to": "in_review"})
        as_role("coordinator").post(f"/review/{ENTITY}/{DRAFT}/publish/", {"action": "transition", "to": "approved"})
        Import.objects.create(edition=review["draft"], path="/data/la.zip", status="done", user=users["data_provider"],
                              counts={"observations": 12})
    events = list(AuditEntry.objects.order_by("seq").values_list("event", "target", "edition", "actor"))
    local = AuditEntry.objects.get(event="membership.granted").actor  # no request: the local account
    assert local.startswith("local")
    assert ("membership.granted", "reader", DRAFT, local) in events
    assert ("membership.revoked", "reader", DRAFT, local) in events
    assert ("workflow.in_review", "", f"{ENTITY}/{DRAFT}", "editor") in events
    assert ("workflow.approved", "", f"{ENTITY}/{DRAFT}", "coordinator") in events
    imported = AuditEntry.objects.get(event="data.import")
    assert imported.actor == "data_provider" and json.loads(imported.detail)["counts"] == {"observations": 12}
    assert audit.verify().ok


def test_admins_view_filter_and_export(review, users, as_role):
    audit.record(None, "login.failure", outcome="failure", actor="=HYPERLINK(\"http://x\")")
    _entries(120)
    admin = as_role("admin")
    page = admin.get("/security/audit/?event=test.event")
    assert page.status_code == 200 and page.content.count(b"test.event") >= 100
    assert b"Page 1 of 2" in page.content or "第 1".encode() in page.content
    assert admin.get("/security/audit/?event=test.event&page=2").status_code == 200
    assert b"The chain holds" in admin.get("/security/audit/?verify=1").content
    csv_text = b"".join(admin.get("/security/audit/export/?as=csv&outcome=failure").streaming_content).decode()
    lines = csv_text.splitlines()
    assert lines[0].startswith("seq,at,event") and len(lines) == 2
    assert "'=HYPERLINK" in lines[1]  # formula injection neutralised, as every CSV we write
    data = json.loads(b"".join(admin.get("/security/audit/export/?as=json&event=test.").streaming_content))
    assert len(data) == 120 and data[0]["detail"] == {"i": 0} and data[0]["seq"] < data[-1]["seq"]
    assert AuditEntry.objects.filter(event="audit.export", actor="admin").count() == 2
    for role in ("coordinator", "editor", None):
        assert as_role(role).get("/security/audit/").status_code in (302, 403)


# --- the small items of issue 19 ---------------------------------------------------------------


@pytest.mark.parametrize("path", [
    f"/review/{ENTITY}/{PUBLISHED}/public/%00", f"/review/{ENTITY}/{PUBLISHED}/public/html/%00/index.html", f"/review/{ENTITY}/{DRAFT}/indicator/%00/",
    "/accounts/reset/%00/", f"/review/{ENTITY}/{PUBLISHED}/public/{'a' * 5000}",
])
def test_nul_and_impossible_paths_are_not_found(review, as_role, path):
    for role in (None, "coordinator"):
        assert as_role(role).get(path).status_code == 404


def test_nul_in_the_query_is_a_bad_request(review, as_role):
    assert as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/history/?kind=%00").status_code == 400


def test_no_store_on_logged_in_pages(review, as_role):
    for url in (f"/review/{ENTITY}/{DRAFT}/", f"/review/{ENTITY}/{DRAFT}/data/", "/accounts/security/", f"/review/{ENTITY}/{PUBLISHED}/public/html/en/index.html"):
        response = as_role("coordinator").get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    assert Client().get("/accounts/login/")["Cache-Control"] == "no-store"
    public = Client().get(f"/review/{ENTITY}/{PUBLISHED}/public/html/en/index.html")
    assert "no-store" not in public.get("Cache-Control", "")  # the public site may be cached


def test_security_headers(review, as_role):
    response = as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/")
    csp = response["Content-Security-Policy"]
    assert "base-uri 'none'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin" and response["Cross-Origin-Opener-Policy"] == "same-origin"
    logout = as_role("coordinator").post("/accounts/logout/")
    assert "storage" in logout["Clear-Site-Data"]


def test_anonymous_contributions_are_rate_limited(review, users, settings):
    from vlrkit.store.models import Contribution
    from vlrkit.web.security.throttle import RATE_LIMITS

    limit = RATE_LIMITS["web:contribute"].count
    form = {"organisation": "Riverside Youth", "kind": "youth", "text": "More shade on bus stops.", "goals": ["11"],
            "consent": "on"}
    before = Contribution.objects.count()
    c = Client()
    codes = [c.post(f"/review/{ENTITY}/{DRAFT}/contribute/", form, REMOTE_ADDR="203.0.113.77").status_code for _ in range(limit + 2)]
    assert codes[:limit] == [200] * limit and codes[limit:] == [429, 429]
    assert Contribution.objects.count() - before == limit
    assert Client().post(f"/review/{ENTITY}/{DRAFT}/contribute/", form, REMOTE_ADDR="198.51.100.77").status_code == 200
    stakeholder = Client()
    stakeholder.force_login(users["stakeholder"])
    assert stakeholder.post(f"/review/{ENTITY}/{DRAFT}/contribute/", form, REMOTE_ADDR="203.0.113.77").status_code == 200
    assert AuditEntry.objects.filter(event="rate.limited", ip="203.0.113.77").count() == 2


def test_production_cookies_are_host_only(tmp_path):
    import os
    import subprocess
    import sys

    code = ("import json, vlrkit.settings as s; print(json.dumps([getattr(s, 'SESSION_COOKIE_NAME', 'sessionid'), "
            "getattr(s, 'CSRF_COOKIE_NAME', 'csrftoken'), s.VLRKIT_REQUIRE_2FA, getattr(s, 'SESSION_COOKIE_SECURE', False)]))")
    env = {**{k: v for k, v in os.environ.items() if k != "VLRKIT_REQUIRE_2FA"}, "VLRKIT_DB": str(tmp_path / "x.sqlite3"), "VLRKIT_SECRET_KEY": "k" * 50}
    prod = json.loads(subprocess.run([sys.executable, "-c", code], env={**env, "VLRKIT_PRODUCTION": "1"},
                                     capture_output=True, text=True, check=True).stdout)
    assert prod == ["__Host-sessionid", "__Host-csrftoken", True, True]
    demo = json.loads(subprocess.run([sys.executable, "-c", code], env={**env, "VLRKIT_PRODUCTION": ""},
                                     capture_output=True, text=True, check=True).stdout)
    assert demo[2] is False  # the demo's log-ins need no second factor


# --- passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("password", "ok"), [
    ("short-one", False),  # under 15 characters
    ("vlrkit-sdg-2025-review", False),  # context words and digits only
    ("Testville-City-Hall-2026", False),  # the entity's own name
    ("correct-horse-battery-staple-9", True),
    ("长江大桥上的风筝飞得很高很高很高", True),  # any script, no composition rules (ASVS 6.2.5)
    ("x" * 100 + "-long-enough-passphrase", True),  # 64+ characters are allowed (ASVS 6.2.9)
])
def test_password_policy(review, password, ok):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted is ok


def test_breached_password_file(db, tmp_path, settings):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    breached = ["correct-horse-battery-staple-9", "Tr0ub4dor&3-and-more-words"]
    digests = sorted({hashlib.sha1(p.encode()).hexdigest().upper() for p in breached}
                     | {hashlib.sha1(str(i).encode()).hexdigest().upper() for i in range(5000)})
    path = tmp_path / "pwned.txt"
    path.write_text("".join(f"{d}:{i + 1}\r\n" for i, d in enumerate(digests)))
    settings.VLRKIT_BREACHED_PASSWORDS_FILE = str(path)
    with pytest.raises(ValidationError):
        validate_password("correct-horse-battery-staple-9")
    validate_password("a-password-nobody-has-leaked-yet-9")


@hsettings(max_examples=60, deadline=None)
@given(st.sets(st.binary(min_size=1, max_size=8), min_size=0, max_size=60), st.binary(min_size=1, max_size=8))
def test_sorted_file_lookup_finds_exactly_the_members(tmp_path_factory, members, probe):
    from vlrkit.web.security.passwords import in_sorted_file

    digests = sorted(hashlib.sha1(m).hexdigest().upper() for m in members)
    path = tmp_path_factory.mktemp("pwned") / "list.txt"
    path.write_text("".join(f"{d}:1\n" for d in digests))
    for m in list(members)[:5] + [probe]:
        assert in_sorted_file(str(path), hashlib.sha1(m).hexdigest()) == (m in members)


def test_the_django_admin_never_shows_second_factor_keys(review, as_role):
    from django.contrib import admin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert as_role("admin").get("/admin/otp_totp/totpdevice/").status_code == 404
