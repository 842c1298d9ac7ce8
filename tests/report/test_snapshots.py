"""Snapshot tests of rendered fragments; refresh with ``make snapshots`` after an intended change."""

from __future__ import annotations

import re

import pytest

from vlrkit.report import build_report
from vlrkit.report.html.render import _env, render_fragment


def _stable(html: str) -> str:
    return re.sub(r"\d{4}-\d{2}-\d{2}", "YYYY-MM-DD", html)


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_snapshot_dashboard_table(sample, snapshot, lang):
    r = build_report(sample, lang)
    macro = _env(lang).get_template("macros.html").module.dashboard
    snapshot(f"dashboard.{lang}.html", _stable(str(macro(r, r.labels))))


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_snapshot_goal_page(sample, snapshot, lang):
    from vlrkit.report.html.render import _spec_json
    from vlrkit.report.i18n import label

    r = build_report(sample, lang)
    g = r.goals[0]
    html = render_fragment(
        r, "goal.html", filename="goal-1.html", page_title="goal", g=g, charts=True,
        specs={i.code: _spec_json(i, lang, "#1F4E79") for i in g.indicators if i.series},
        progress_slug="ge-6", progress_title=r.section("GE-6").title,
        coverage=label("coverage_n", lang, n=g.with_data, m=g.total),
    )
    snapshot(f"goal-1.{lang}.html", _stable(html))


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_snapshot_lnob_combined(demo, snapshot, lang):
    """The GE-5d tables across combined breakdowns of the demo (sex × age, sex × district)."""
    from vlrkit.assess import assess_review

    r = build_report(demo, lang, assess_review(demo))
    combined = [b for b in r.section("GE-5d").blocks if b.kind != "table" or b.id != "lnob"]
    macro = _env(lang).get_template("macros.html").module.blocks
    snapshot(f"lnob-combined.{lang}.html", _stable(str(macro(combined))))
