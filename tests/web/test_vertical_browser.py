"""Beside the nation / 与国家对照 in a real headless Chromium against ``vlr serve``: Los Angeles
beside the UK's national Open SDG data (a cut of it: tests/web/vertical_db.py), the gaps shown
and the CSV offered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.web import browser
from tests.web.vertical_db import PASSWORD, USER

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-vertical")
    db = root / "la.sqlite3"
    subprocess.run([sys.executable, "-m", "tests.web.vertical_db", str(db)], check=True, cwd=ROOT,
                   env=browser.env_for(db, root / "published"), capture_output=True, timeout=300)
    proc, base = browser.start_server(db, root / "published", root / "serve.log")
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_los_angeles_beside_the_united_kingdom(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = browser.launch(pw)
        page = chromium.new_page()
        page.goto(server + "/accounts/login/")
        page.fill("#id_username", USER)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto(server + "/review/los-angeles/data/")
        page.click("nav.ws >> text=Beside the nation")
        page.wait_for_selector("#vertical-table")
        assert page.locator("#national").input_value() == "gbr"
        rows = page.locator("#vertical-table tbody tr")
        assert rows.count() >= 10  # 14 on this cut of the UK data (21 on all of it: tests/compare)
        gaps = page.locator("#vertical-table td.gap").all_inner_texts()
        assert sum(1 for g in gaps if g[:1] in "+-") >= 10  # a signed gap with its year
        assert page.locator("#vertical-table td.narrowing", has_text="narrowing").count() >= 1
        assert "GBR" in page.locator("#vertical-warnings").inner_text()  # a US city beside the UK
        assert page.locator("#vertical-left-table tr[data-reason=no-link]").count() >= 1
        with page.expect_download() as dl:
            page.click("#vertical-csv")
        assert dl.value.suggested_filename == "los-angeles-data-beside-gbr.csv"
        chromium.close()
