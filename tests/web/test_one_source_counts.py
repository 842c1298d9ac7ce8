"""One source for every count: the CLI, the web dashboard and the report state the same numbers
for the same review (a real city's, Los Angeles'), read from the assessment's ``counts()``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.web.conftest import DRAFT, ENTITY

from vlrkit.web import roles as r

LA = Path(__file__).resolve().parents[1] / "data" / "la"


@pytest.mark.django_db
def test_cli_web_and_report_agree_on_every_count(review, as_role):
    from vlrkit import ingest
    from vlrkit.assess import assess_review
    from vlrkit.cli.assess import goal_table
    from vlrkit.report.build import build_report
    from vlrkit.store.imports import store_ingest
    from vlrkit.store.queries import load_review

    store_ingest(ingest.read(LA, entity="TESTVILLE"), edition=DRAFT, partial=True)
    rev = load_review(DRAFT)
    a = assess_review(rev)
    counts = a.counts()
    assert counts.indicators == len(rev.indicators) and counts.goals_assessed + counts.goals_grey == 17
    assert json.loads(json.dumps(a.to_dict(), default=str))["counts"]["with_data"] == counts.with_data
    report = build_report(rev, "en", a)
    assert report.counts["indicators"] == counts.indicators and report.counts["with_data"] == counts.with_data
    html = as_role(r.COORDINATOR).get(f"/review/{ENTITY}/{DRAFT}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    m = re.search(r"(\d+) local indicators, (\d+) with data", html)
    assert m and (int(m.group(1)), int(m.group(2))) == (counts.indicators, counts.with_data)
    assert f"Goals with data: {counts.goals_with_data} of 17." in html
    # per goal: the tile, the report's goal view and the CLI table say the same
    from rich.console import Console

    console = Console(width=250, record=True)
    console.print(goal_table(a, "t", "en"))
    text = console.export_text()
    for g, view in zip(a.goals, report.goals, strict=True):
        colour, _rule = g.display_colour(a.method)
        assert (view.with_data, view.total, view.status) == (g.n_with_data, g.n_indicators, colour)
        assert f'data-goal="{g.goal}" data-status="{colour}"' in html
        assert re.search(rf"│\s+{g.goal}\s+│\s+{g.n_with_data}/{g.n_indicators}\s+│", text)
