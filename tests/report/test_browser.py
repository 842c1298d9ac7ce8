"""The HTML site in a real headless Chromium: charts draw from disk (file://) and when served."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


#: The web app's policy (vlrkit.settings): no eval, no inline scripts or styles.
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; object-src 'none'")


class _StrictHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", STRICT_CSP)
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(sample_out):
    handler = functools.partial(_StrictHandler, directory=str(sample_out.out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _check_chart_page(page, url):
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_selector("#chart-lj-1-1.chart-ready svg", timeout=20_000)
    assert errors == []
    assert all(r.startswith(("file://", "http://127.0.0.1")) for r in requests), requests  # offline
    # the chart draws the series, the baseline marker and the target label
    svg = page.inner_html("#chart-lj-1-1")
    assert "2030: 5.0" in svg
    assert page.is_hidden("#chart-lj-1-1 + .chart-note")  # the JS-needed note goes away
    # hovering a point shows its value (vega-tooltip, styled by our CSS)
    point = page.locator("#chart-lj-1-1 path[aria-roledescription='point']").nth(2)  # not under the baseline diamond
    point.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    assert "2017" in page.inner_text("#vg-tooltip-element")


def test_charts_draw_from_disk(browser, sample_out):
    page = browser.new_page()
    _check_chart_page(page, (sample_out.out / "html" / "en" / "indicator-lj-1-1.html").as_uri())
    page.close()


def test_charts_draw_when_served_under_a_strict_csp_and_keyboard_works(browser, served):
    page = browser.new_page()
    _check_chart_page(page, f"{served}/html/zh-Hans/goal-1.html")  # no CSP violation either
    tile = page.locator(".goal-tile").first
    assert tile.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(229, 36, 59)"  # goal 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.close()
