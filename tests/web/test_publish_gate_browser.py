"""The publish gate in a real headless Chromium against ``vlr serve`` on the demo review.

For each kind of blocker — a figure reference that does not resolve, a section with no text in
any language, a section of headings only, a section not translated — the coordinator makes it
in the narrative editor, and the publish page names it (with a link to the section's editor)
and does not publish: the button is disabled, and a publication forced past it is refused by
the server.  Fixed again, nothing blocks.
"""

from __future__ import annotations

import re

import pytest
from tests.web import browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "vlrkit-demo-2025"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from browser.demo_server(tmp_path_factory.mktemp("gate-browser"))


def _write(page, base: str, edition: str, section: str, lang: str, text: str) -> None:
    page.goto(f"{base}/review/{edition}/narrative/{section}/{lang}/")
    page.fill("#id_text", text)
    with page.expect_navigation():
        page.click("#save")


def _blockers(page, base: str, edition: str) -> list[tuple[str, str, str]]:
    page.goto(f"{base}/review/{edition}/publish/")
    items = page.locator("#blockers li")
    return [(items.nth(k).get_attribute("data-kind"), items.nth(k).get_attribute("data-section"),
             items.nth(k).inner_text()) for k in range(items.count())]


def test_each_kind_of_blocker_stops_the_publication_and_is_named(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = browser.launch(pw)
        page = chromium.new_context(locale="en-GB").new_page()
        page.on("dialog", lambda d: d.accept())
        page.goto(server + "/accounts/login/")
        page.fill("#id_username", "coordinator")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        edition = re.search(r'href="/review/([^/]+/[^/]+)/"', page.content()).group(1)
        page.goto(f"{server}/review/{edition}/publish/")
        if page.locator("button[value=in_review]").count():
            with page.expect_navigation():
                page.click("button[value=in_review]")
        with page.expect_navigation():
            page.click("button[value=approved]")
        assert _blockers(page, server, edition) == []
        assert page.locator("button[value=published]").is_enabled()

        original = {}
        for section, lang in (("GE-8", "en"), ("GE-5e", "en"), ("GE-5e", "zh-Hans"), ("GE-3", "en"),
                              ("GE-3", "zh-Hans"), ("GE-7", "zh-Hans")):
            page.goto(f"{server}/review/{edition}/narrative/{section}/{lang}/")
            original[section, lang] = page.locator("#id_text").input_value()
        cases = [
            ("unresolved", "GE-8", [("en", original["GE-8", "en"] + "\n\nToday: {{ind:NOPE:latest}}.")],
             "the review has no indicator “NOPE”"),
            ("empty", "GE-5e", [("en", ""), ("zh-Hans", "")], "has no text in any language"),
            ("no_substance", "GE-3", [("en", "## Introduction\n\n### Why a VLR"), ("zh-Hans", "## 导言")],
             "has headings only"),
            ("untranslated", "GE-7", [("zh-Hans", "")], "has no Chinese text although it is written in English"),
        ]
        for kind, section, texts, words in cases:
            for lang, text in texts:
                _write(page, server, edition, section, lang, text)
            found = _blockers(page, server, edition)
            assert [(k, s) for k, s, _t in found if k == kind] and all(s == section for _k, s, _t in found), found
            assert any(words in t for _k, _s, t in found), found
            fix = page.locator(f"#blockers li[data-section='{section}'] a").first.get_attribute("href")
            assert fix.startswith(f"/review/{edition}/narrative/{section}/")
            publish = page.locator("button[value=published]")
            assert publish.is_disabled()
            # forced past the disabled button, the server refuses and the edition stays approved
            page.evaluate("() => { const b = document.querySelector('button[value=published]');"
                          " b.disabled = false; b.removeAttribute('data-confirm'); }")
            with page.expect_navigation():
                publish.click()
            assert "/jobs/" not in page.url
            assert "cannot be published yet" in page.locator("main").inner_text()
            assert page.locator(".steps li.current").inner_text().strip() == "Approved"
            for lang, _text in texts:
                _write(page, server, edition, section, lang, original.get((section, lang), ""))
            assert _blockers(page, server, edition) == [], kind
        page.goto(f"{server}/review/{edition}/publish/")
        assert page.locator("button[value=published]").is_enabled()
        chromium.close()
