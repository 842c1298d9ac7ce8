"""The history pages read as a person expects: the History page's title is text (not the imports
table), and an import's row in an indicator's "History of the data" shows the periods it brought
and how many rows — not the file name as a period and ``None`` as a value."""

from __future__ import annotations

import re

from tests.web.conftest import DRAFT, ENTITY, INDICATOR


def test_the_history_page_title_is_plain_text(review, as_role):
    html = as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/history/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and "History of changes" in title
    assert html.count("<h2>Imports</h2>") == 1  # the imports table once, in the page


def test_an_import_row_shows_its_periods_and_row_count(review, as_role):
    from vlrkit.store import models as m

    run = m.Import.objects.create(edition=review["draft"], path="/uploads/2025/transport.csv", status="done")
    m.Observation.objects.filter(indicator__edition=review["draft"], indicator__code=INDICATOR,
                                 sex="").update(import_run=run)
    html = as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/indicator/{INDICATOR}/").content.decode()
    section = html[html.index("History of the data"):]
    row = re.search(r"<tr><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td><td class=\"num\">([^<]*)</td><td>"
                    r"imported from ([^<]*)</td></tr>", section)
    assert row is not None, section[:2000]
    assert row.groups() == ("2015–2021", "3 rows", "transport.csv")
    assert "None" not in section[:section.index("</table>")]
