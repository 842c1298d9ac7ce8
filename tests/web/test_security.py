"""Security settings and behaviour: hashing, CSP, CSRF, throttling, sanitising, upload limits.
(Authentication, sessions and the audit log in depth: test_security_auth.py, test_security_audit.py.)"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from tests.web.conftest import DRAFT, ENTITY, PASSWORD


def test_strong_password_hashing_and_validators():
    import vlrkit.settings as s

    assert s.PASSWORD_HASHERS[0].endswith("ScryptPasswordHasher")
    names = {v["NAME"].rsplit(".", 1)[-1] for v in s.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= names


def test_weak_password_refused(db):
    from vlrkit.web.accounts import AccountError, add_user

    with pytest.raises(AccountError):
        add_user("weak", "password", roles=["editor"])
    with pytest.raises(AccountError):
        add_user("norole", PASSWORD, roles=["superhero"])


def _settings_in(env: dict[str, str]) -> dict:
    """Selected settings as a fresh process computes them with ``env``."""
    import json
    import os
    import subprocess
    import sys

    code = ("import json, vlrkit.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
            "('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'DEBUG')}))")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_production_settings(tmp_path):
    env = {"VLRKIT_DB": str(tmp_path / "x.sqlite3"), "VLRKIT_SECRET_KEY": "k" * 50}
    prod = _settings_in({**env, "VLRKIT_PRODUCTION": "1"})
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"] and prod["SECURE_SSL_REDIRECT"]
    assert prod["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert prod["DEBUG"] is False
    dev = _settings_in({**env, "VLRKIT_PRODUCTION": ""})
    assert not dev["SESSION_COOKIE_SECURE"] and not dev["SECURE_HSTS_SECONDS"]


def test_csp_and_headers(review, as_role):
    response = as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_csrf_enforced(review, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["coordinator"])
    response = client.post(f"/review/{ENTITY}/{DRAFT}/actions/", {"code": "A-9", "title": "x", "owner": "y", "status": "planned"})
    assert response.status_code == 403


def test_login_throttled(db, users, settings):
    settings.VLRKIT_LOGIN_FREE_FAILURES = 3  # the back-off starts at the third failure
    client = Client()
    for _ in range(3):
        client.post("/accounts/login/", {"username": "editor", "password": "wrong-password-1"})
    response = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429  # locked even with the right password
    assert "editor" not in client.session.get("_auth_user_id", "")


def test_login_works(db, users):
    client = Client()
    response = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == users["editor"].pk


def test_markdown_sanitised_in_preview(review, as_role):
    text = "**ok**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))"
    response = as_role("editor").post(f"/review/{ENTITY}/{DRAFT}/narrative-preview/", {"section": "GE-1", "lang": "en", "text": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>ok</strong>" in html
    assert "<script>alert" not in html and "onerror" not in html and "href=\"javascript:" not in html


def test_upload_type_and_size_limits(review, as_role, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_role("coordinator")
    exe = SimpleUploadedFile("evil.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(f"/review/{ENTITY}/{DRAFT}/data/", {"file": exe})
    assert response.status_code == 200 and "evil.exe" in response.content.decode()
    settings.VLRKIT_MAX_UPLOAD_BYTES = 10
    huge = client.post(f"/review/{ENTITY}/{DRAFT}/data/", {"file": exe}, CONTENT_LENGTH=str(10 * 1024 * 1024))
    assert huge.status_code == 302  # refused before the body is read
    big = SimpleUploadedFile("data.csv", b"indicator,period,value\n" * 10, content_type="text/csv")
    response = client.post(f"/review/{ENTITY}/{DRAFT}/data/", {"file": big})
    assert response.status_code == 200 and "MB" in response.content.decode()


def test_debug_off_by_default():
    assert settings.DEBUG is False
