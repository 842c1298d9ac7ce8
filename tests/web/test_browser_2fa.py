"""The second factor in a real headless Chromium against ``vlr serve`` with
``VLRKIT_REQUIRE_2FA=1``: the demo coordinator logs in, is sent to enrolment, reads the key
under the QR code, confirms with a code computed from that key (as a phone's app would),
gets backup codes, reaches the workspace; logs out, logs in again and passes the second step
with a backup code.  Screenshots go to ``$VLRKIT_SCREENSHOTS`` or a temporary folder."""

from __future__ import annotations

import base64
import os
import re
import time
from pathlib import Path

import pytest
from tests.web import browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "vlrkit-demo-2025"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from browser.demo_server(tmp_path_factory.mktemp("web-2fa"), {"VLRKIT_REQUIRE_2FA": "1"})


def _code(secret: str) -> str:
    from django_otp.oath import totp

    if time.time() % 30 > 27:
        time.sleep(3.5)  # not at the end of a step: the server checks the code a moment later
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def _password_step(page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_two_factor_login(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    shots = Path(os.environ.get("VLRKIT_SCREENSHOTS") or tmp_path)
    with sync_playwright() as p:
        chromium = browser.launch(p)
        page = chromium.new_page(locale="en-GB")
        _password_step(page, server)
        assert "/accounts/two-factor/" in page.url, page.url  # required for coordinators: enrol first
        qr = page.locator("#otp-qr")
        expect(qr).to_be_visible()
        assert page.evaluate("document.getElementById('otp-qr').naturalWidth") > 0  # drawn offline, loaded
        page.screenshot(path=str(shots / "two-factor-enrol.png"), full_page=True)
        page.goto(server + "/")
        assert "/accounts/two-factor/" in page.url  # nothing else opens before the second factor
        secret = page.locator("#otp-secret").inner_text()
        page.fill("#id_token", _code(secret))
        with page.expect_navigation():
            page.click("#otp-enrol button[type=submit]")
        codes = page.locator("#backup-codes li").all_inner_texts()
        assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}(-[a-z2-7]{4}){5}", c.strip()) for c in codes)
        page.click("text=Continue")
        edition = re.search(r'href="/review/([^/]+/[^/]+)/"', page.content()).group(1)
        page.goto(f"{server}/review/{edition}/")
        expect(page.locator(".goal-tile").first).to_be_visible()
        with page.expect_navigation():
            page.click("header form[action='/accounts/logout/'] button")
        # the second log-in asks for a code after the password; a backup code serves once
        _password_step(page, server)
        assert "/accounts/verify/" in page.url, page.url
        page.fill("#id_token", "000000")
        with page.expect_navigation():
            page.click("#otp-verify button[type=submit]")
        expect(page.locator(".errorlist")).to_be_visible()
        page.fill("#id_token", codes[0].strip())
        with page.expect_navigation():
            page.click("#otp-verify button[type=submit]")
        assert "/accounts/verify/" not in page.url
        page.goto(f"{server}/accounts/security/")
        expect(page.locator("#two-factor")).to_contain_text("9")
        page.screenshot(path=str(shots / "account-security.png"), full_page=True)
        chromium.close()
