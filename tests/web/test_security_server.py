"""Behind a reverse proxy, through the real server: ``vlr serve`` (waitress) with
``VLRKIT_TRUSTED_PROXIES`` passes ``X-Forwarded-For`` on from the proxy's address, and the audit
log records the client's address, not the proxy's.  The test plays the proxy on 127.0.0.1."""

from __future__ import annotations

import http.cookiejar
import json
import re
import subprocess
import urllib.parse
import urllib.request

import pytest
from tests.web import browser

pytestmark = pytest.mark.slow
CLIENT = "203.0.113.40"  # a documentation address, only ever written in a header


def test_forwarded_client_address_through_waitress(tmp_path):
    db = tmp_path / "p.sqlite3"
    assert subprocess.run([browser.VLR, "init", "--db", str(db)], capture_output=True,
                          env=browser.env_for(db, tmp_path / "pub"), timeout=120).returncode == 0
    proc, base = browser.start_server(db, tmp_path / "pub", tmp_path / "serve.log",
                                      {"VLRKIT_TRUSTED_PROXIES": "127.0.0.1"})
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "nobody",
                                       "password": "not-the-password-1"}).encode()
        req = urllib.request.Request(base + "/accounts/login/", data=body,
                                     headers={"X-Forwarded-For": f"198.51.100.3, {CLIENT}"})
        assert opener.open(req, timeout=30).status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    out = subprocess.run([browser.VLR, "audit", "export", "--db", str(db), "--out", "-", "--format", "json",
                          "--event", "login.failure"], capture_output=True, text=True,
                         env=browser.env_for(db, tmp_path / "pub"), timeout=120)
    entries = json.loads(out.stdout)
    assert [e["ip"] for e in entries] == [CLIENT]  # the right-most address the proxy appended
