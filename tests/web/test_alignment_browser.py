"""Alignment / 政策对标 in a real headless Chromium against ``vlr serve`` on the demo review:
a coordinator uploads a Chinese plan, an English plan and a budget, reads the heat map and the
attention gap, opens one cell and accepts a mapping.  The heat-map screenshot goes to
``$VLRKIT_SCREENSHOTS/web-alignment.png`` (``docs/images`` when refreshing the docs)."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest
from tests.web import browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ALIGN_DATA = Path(__file__).parent.parent / "data" / "align"
PASSWORD = "vlrkit-demo-2025"
#: Passages taken from our own development sets to make each plan (every goal appears).
PLAN_PASSAGES = 90
BUDGET = """\
项目名称,预算金额（万元）,部门,功能分类
生活垃圾分类收运体系建设,1200,城市管理局,城乡社区支出
城乡居民最低生活保障资金,3400,民政局,社会保障和就业支出
黑臭水体整治工程,800,生态环境局,节能环保支出
公立医院综合改革补助,2600,卫生健康委,卫生健康支出
义务教育薄弱环节改善,1900,教育局,教育支出
"""


def _plan(src: str, out: Path, sep: str) -> Path:
    with (ALIGN_DATA / src).open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["sdg"] not in ("", "0")]
    rows.sort(key=lambda r: r["id"])
    n = min(PLAN_PASSAGES, len(rows))
    texts = [rows[i * len(rows) // n]["text"] for i in range(n)]  # evenly over the goals
    out.write_text("\n\n".join(sep.join(texts[i:i + 3]) for i in range(0, len(texts), 3)), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from browser.demo_server(tmp_path_factory.mktemp("web-align"))


def test_alignment_page(server, tmp_path, tmp_path_factory):
    from playwright.sync_api import expect, sync_playwright

    shots = Path(os.environ.get("VLRKIT_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    shots.mkdir(parents=True, exist_ok=True)
    files = [_plan("dev_zh.csv", tmp_path / "十四五规划纲要（节选）.txt", ""),
             _plan("dev_en.csv", tmp_path / "city-plan-2030.md", " ")]
    budget = tmp_path / "2025年部门预算.csv"
    budget.write_text(BUDGET, encoding="utf-8")
    files.append(budget)
    with sync_playwright() as pw:
        chromium = browser.launch(pw)
        context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        csp_errors: list[str] = []
        page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(server + "/accounts/login/")
        page.fill("#id_username", "coordinator")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        edition = re.search(r'href="/review/([^/]+/[^/]+)/"', page.content()).group(1)
        page.goto(f"{server}/review/{edition}/")
        page.select_option("#lang-select", "zh-hans")
        page.wait_for_load_state()
        page.click("nav.ws >> text=政策对标")
        for f in files:
            page.set_input_files("input[type=file]", str(f))
            with page.expect_navigation():
                page.click("main form button[type=submit]")
            assert "/jobs/" in page.url  # a background job maps the file; its page leads back
            page.wait_for_url(re.compile(r"/alignment/\?job=\d+$"), timeout=120_000)
            expect(page.locator(".messages li.success").first).to_contain_text(f.name)
        heat = page.locator("#goal-heat")
        expect(heat).to_be_visible()
        assert heat.locator("tbody tr").count() == 3
        assert page.locator("table.gap tbody tr").count() == 17
        # the targets table and the interlinkage table (three real plans serve many pairs)
        expect(page.locator("table.heat.targets tbody tr").first).to_be_attached()
        expect(page.locator("table.links tbody tr").first).to_be_visible()
        page.screenshot(path=str(shots / "web-alignment.png"), full_page=True)

        # drill down into the budget's busiest cell and accept the first mapping
        row = heat.locator("tbody tr", has_text=budget.name)
        row.locator("td a").first.click()
        page.wait_for_load_state()
        expect(page.locator("article.passage").first).to_be_visible()
        expect(page.locator("article.passage mark").first).to_be_visible()
        with page.expect_navigation():
            page.locator("article.passage button[value=accepted]").first.click()
        expect(page.locator(".messages li.success")).to_contain_text("已采纳")
        expect(page.locator("article.passage.status-accepted").first).to_be_visible()
        page.click("text=← 热力图")
        page.wait_for_load_state()
        accepted = page.locator("#goal-heat tbody tr", has_text=budget.name).locator("td").last
        expect(accepted).to_have_text("1")
        assert not csp_errors, csp_errors
        chromium.close()
