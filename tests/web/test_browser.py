"""The main flows in a real headless Chromium against ``vlr serve`` on the demo review.

A coordinator logs in, uploads a Los Angeles Open SDG file with a planted error and sees the
error named with its row, fixes it and imports, sees the dashboard change, writes a narrative
in Chinese; a stakeholder submits a contribution and the coordinator moderates it; the
coordinator approves and publishes — validating, importing and publishing are background jobs,
whose page shows a progress bar that moves without reloading — and the public site opens in
zh-Hans and en.
Screenshots go to ``$VLRKIT_SCREENSHOTS`` (``docs/images`` when refreshing the docs) or a
temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from tests.web import browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATA = Path(__file__).parent.parent / "data" / "web"
LA_FILE = "indicator_11-2-1.csv"
PLANTED_ROW = 3  # data row whose value becomes "abc" (not a number, not a missing marker)
PASSWORD = "vlrkit-demo-2025"
PUBLISH_TIMEOUT_MS = 300_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from browser.demo_server(tmp_path_factory.mktemp("web-browser"))


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("VLRKIT_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _planted(tmp: Path) -> tuple[Path, Path]:
    good = tmp / "good" / LA_FILE
    bad = tmp / "bad" / LA_FILE
    good.parent.mkdir()
    bad.parent.mkdir()
    shutil.copy(DATA / LA_FILE, good)
    lines = (DATA / LA_FILE).read_text(encoding="utf-8").splitlines()
    cells = lines[PLANTED_ROW].split(",")
    cells[-1] = "abc"
    lines[PLANTED_ROW] = ",".join(cells)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad, good


def _login(page, base: str, user: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/" not in page.url, f"log-in as {user} failed"


def _goal_total(page, goal: int) -> tuple[int, int]:
    text = page.locator(f".goal-tile[data-goal='{goal}']").inner_text()
    m = re.search(r"(\d+)\D+(\d+)\D*$", text.strip().splitlines()[-1]) or re.search(r"(\d+)\s*/\s*(\d+)", text)
    assert m, text
    return int(m.group(1)), int(m.group(2))


def _upload(page, base: str, edition: str, path: Path) -> None:
    """Upload ``path``: the validation job's page goes on to the report by itself."""
    page.goto(f"{base}/review/{edition}/data/")
    page.set_input_files("input[type=file]", str(path))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/jobs/" in page.url
    page.wait_for_url(re.compile(r"/data/import/\d+/$"))


def _watch_job(page, timeout_s: float) -> list[tuple[str, int]]:
    """Read the job page's status and bar until it says done or failed; returns what it showed."""
    import time

    seen = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            state = page.evaluate("() => { const j = document.getElementById('job'), b = document.getElementById('job-bar');"
                                  " return j && b ? [j.dataset.status, b.value] : null; }")
        except Exception:  # noqa: BLE001 - the page is reloading as the job ends
            state = None
        if state:
            seen.append((state[0], int(state[1])))
            if state[0] in ("done", "failed"):
                return seen
        time.sleep(0.25)
    raise AssertionError(f"the job did not end in {timeout_s} s: {seen[-5:]}")


def test_two_people_save_the_same_narrative(server, shots):
    """The conflict page in a real browser: the coordinator and the editor open the same section;
    the coordinator saves first; the editor's save is refused with both changes beside each
    other, and the editor chooses to save theirs over it.  (Runs before the main flows, which
    publish the edition.)"""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        chromium = browser.launch(pw)
        pages = []
        for user in ("coordinator", "editor"):
            page = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
            _login(page, server, user)
            pages.append(page)
        coordinator, editor = pages
        edition = re.search(r'href="/review/([^/]+/[^/]+)/"', coordinator.content()).group(1)
        url = f"{server}/review/{edition}/narrative/GE-2/en/"
        csp_errors: list[str] = []
        editor.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
        for page in pages:
            page.goto(url)
        coordinator.fill("#id_text", "Highlights, as the coordinator wrote them, for everyone who reads the review.")
        with coordinator.expect_navigation():
            coordinator.click("#save")
        editor.fill("#id_text", "Highlights, as the editor wrote them, for everyone who reads the review.")
        with editor.expect_navigation():
            editor.click("#save")
        panel = editor.locator("#conflict")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text("coordinator")
        expect(panel.locator("pre.diff.theirs ins")).to_contain_text("as the coordinator wrote them")
        expect(panel.locator("pre.diff.mine ins")).to_contain_text("as the editor wrote them")
        assert editor.locator("#id_text").input_value() == "Highlights, as the editor wrote them, for everyone who reads the review."
        editor.screenshot(path=str(shots / "conflict.png"), full_page=True)
        with editor.expect_navigation():
            editor.click("#overwrite")
        expect(editor.locator("#conflict")).to_have_count(0)
        coordinator.goto(url)
        assert coordinator.locator("#id_text").input_value() == "Highlights, as the editor wrote them, for everyone who reads the review."
        assert not csp_errors, csp_errors
        chromium.close()


def test_main_flows(server, shots, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    bad, good = _planted(tmp_path)
    with sync_playwright() as pw:
        chromium = browser.launch(pw)
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        csp_errors: list[str] = []
        page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

        # log in as coordinator; find the edition in the workspace list
        _login(page, server, "coordinator")
        edition = re.search(r'href="/review/([^/]+/[^/]+)/"', page.content()).group(1)
        page.goto(f"{server}/review/{edition}/")
        before = _goal_total(page, 11)
        page.screenshot(path=str(shots / "dashboard.png"))

        # upload the LA file with a planted error: the error is named with its row
        _upload(page, server, edition, bad)
        assert page.locator("#report-summary").get_attribute("data-valid") == "0"
        row = page.locator(f"#problems tr[data-row='{PLANTED_ROW}'][data-type='non-numeric-value']")
        assert row.count() == 1
        assert "abc" in row.inner_text()
        assert page.locator("#confirm-import").count() == 0  # all or nothing: no import offered
        page.screenshot(path=str(shots / "import-report.png"), full_page=True)

        # fix and import: the dashboard changes (goal 11 gains the LA indicator)
        _upload(page, server, edition, good)
        assert page.locator("#report-summary").get_attribute("data-valid") == "1"
        with page.expect_navigation():
            page.click("#confirm-import")
        page.wait_for_url(re.compile(rf"/review/{re.escape(edition)}/$"))  # the import job leads there
        after = _goal_total(page, 11)
        assert after[1] == before[1] + 1, (before, after)
        page.goto(f"{server}/review/{edition}/goal/11/")
        assert page.locator("svg.chart").count() == after[1]  # one chart per indicator, the new one too
        page.screenshot(path=str(shots / "goal.png"))
        links = [a.get_attribute("href") for a in page.locator("h3 a[href*='/indicator/']").all()]
        for href in links:  # the first indicator of goal 11 with disaggregated data
            page.goto(server + href)
            if page.locator("#dim option").count() > 1:
                break
        with page.expect_navigation():
            page.select_option("#dim", index=1)  # a disaggregation: one line per group
        assert page.locator("svg.chart path[stroke]").count() >= 2
        page.screenshot(path=str(shots / "indicator.png"), full_page=True)

        # write a narrative in Chinese: the preview and completeness follow as one types
        text = "## 开篇\n\n澜江市把可持续发展目标纳入城市总体规划。[GE-1.1]"
        page.goto(f"{server}/review/{edition}/narrative/GE-1/zh-Hans/")
        page.fill("#id_text", "")
        page.locator("#id_text").type(text, delay=5)
        expect(page.locator("#preview-body")).to_contain_text("澜江市把可持续发展目标")
        assert page.locator("#preview-body h2").inner_text() == "开篇"
        # a figure inserted by reference: the text gets the reference, the preview the figure
        picker = page.locator("#figure-picker > details.figures").first
        picker.locator("summary").first.click()
        button = picker.locator("button[data-insert='{{goal:1:score}}']")
        value = button.locator("xpath=..").locator("b").inner_text()
        button.click()
        assert page.locator("#id_text").input_value().endswith("{{goal:1:score}}")
        expect(page.locator("#preview-body")).to_contain_text(f"[GE-1.1]{value}")
        page.screenshot(path=str(shots / "narrative.png"))
        with page.expect_navigation():
            page.click("#save")
        assert page.locator("#id_text").input_value().startswith("## 开篇")

        # a stakeholder submits a contribution; the coordinator moderates it
        stakeholder = chromium.new_context(locale="zh-CN").new_page()
        _login(stakeholder, server, "stakeholder")
        stakeholder.goto(f"{server}/review/{edition}/contribute/")
        stakeholder.fill("#id_organisation", "澜江青年志愿者协会")
        stakeholder.fill("#id_text", "建议增加夜间公交线路，方便青年上下班。")
        stakeholder.check("#id_goals_10")  # goal 11
        with stakeholder.expect_navigation():
            stakeholder.click("main form button[type=submit]")
        code = re.search(r"C-\d{4}", stakeholder.locator("#thanks").inner_text()).group(0)
        assert stakeholder.goto(f"{server}/review/{edition}/participation/").status == 403
        page.goto(f"{server}/review/{edition}/participation/")
        row = page.locator(f"#contribution-{code}")
        assert row.get_attribute("data-status") == "submitted"
        with page.expect_navigation():
            row.locator("button[value=accepted]").click()
        assert page.locator(f"#contribution-{code}").get_attribute("data-status") == "accepted"
        page.screenshot(path=str(shots / "participation.png"))

        # approve and publish (only a coordinator may); the edition then refuses changes
        page.goto(f"{server}/review/{edition}/publish/")
        page.on("dialog", lambda d: d.accept())
        with page.expect_navigation():
            page.click("button[value=approved]")
        with page.expect_navigation():
            page.click("button[value=published]")
        assert "/jobs/" in page.url  # at once: a background job publishes
        page.screenshot(path=str(shots / "publish-progress.png"))
        seen = _watch_job(page, PUBLISH_TIMEOUT_MS / 1000)
        assert seen[-1] == ("done", 100), seen
        assert any(0 < value < 100 for _status, value in seen), seen  # the bar moved in between
        assert page.locator("#job-state").inner_text().strip() == "Done"
        assert page.locator("#job-result a[href$='vlr-zh-Hans.pdf']").count() == 1
        page.goto(f"{server}/review/{edition}/publish/")
        assert page.locator(".steps li.current").inner_text().strip() == "Published"
        page.screenshot(path=str(shots / "publish.png"))

        # the public site, in zh-Hans and in en, for a visitor who is not logged in
        visitor = chromium.new_context(locale="en-GB").new_page()
        visitor_errors: list[str] = []
        visitor.on("console", lambda m: visitor_errors.append(m.text) if m.type == "error" else None)
        visitor.on("response", lambda r: visitor_errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        for lang, marker in (("zh-hans", "可持续发展"), ("en", "Sustainable")):
            visitor.goto(server + "/")
            with visitor.expect_navigation():
                visitor.select_option("#lang-select", lang)
            response = visitor.goto(f"{server}/review/{edition}/public/")
            assert response.status == 200
            assert marker in visitor.content()
            visitor.screenshot(path=str(shots / f"public-{lang}.png"))

        # the workspace in Chinese
        with page.expect_navigation():
            page.select_option("#lang-select", "zh-hans")
        page.goto(f"{server}/review/{edition}/")
        assert "仪表板" in page.locator("nav.ws").inner_text()
        page.screenshot(path=str(shots / "dashboard-zh-hans.png"))

        # a published edition is immutable: the narrative editor no longer saves
        page.goto(f"{server}/review/{edition}/narrative/GE-1/en/")
        assert page.locator("#save").count() == 0
        page.goto(f"{server}/review/{edition}/history/")
        page.screenshot(path=str(shots / "history.png"))
        assert not csp_errors, csp_errors
        assert not visitor_errors, visitor_errors
        chromium.close()
