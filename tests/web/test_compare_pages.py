"""The comparison pages of an edition: "What changed since the last review" (GE-3) and "Beside
the nation" (GE-5a) with its CSV for the VNR team — who may read them, that they show the core's
result, and that a second entity sharing the edition codes never leaks into them."""

from __future__ import annotations

import csv
import io

import pytest
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, OTHER_INDICATOR, PUBLISHED, _edition

OTHER = "OTHERTOWN"
NATIONAL = "natland"


def url(entity: str, code: str, rest: str = "") -> str:
    return f"/review/{entity}/{code}/{rest}"


@pytest.fixture
def editions(review):
    """Testville's 2025 draft follows its 2021 edition, with known edits: data for 2024, an action
    done, a text rewritten, an indicator added; Othertown has the same codes and other content."""
    from vlrkit.store import models as m

    draft, old = review["draft"], review["published"]
    draft.previous = old
    draft.save()
    ind = m.LocalIndicator.objects.get(edition=draft, code=INDICATOR)
    m.Observation.objects.create(indicator=ind, period="2024", year=2024, value=30.0, unit="%")
    m.Action.objects.filter(edition=draft, code="A-1").update(status="done")
    m.Narrative.objects.filter(edition=draft, section="GE-1", lang="en").update(text="A new opening statement.")
    new = m.LocalIndicator.objects.create(edition=draft, code="T-6-1-1", names={"en": "Safe drinking water"},
                                          goal=6, unit="%", direction="higher")
    m.SdgLink.objects.create(indicator=new, target="6.1", sdg_indicator="6.1.1", grade="identical",
                             reason={"en": "the city's own water survey"})
    m.Observation.objects.create(indicator=new, period="2024", year=2024, value=97.0, unit="%")
    town = m.Entity.objects.create(code=OTHER, names={"en": "Othertown"})
    theirs = _edition(town, PUBLISHED, 2021, "published")
    m.Action.objects.create(edition=theirs, code="A-OTHER", title={"en": "Othertown's tram"}, owner="x",
                            status="planned")
    m.LocalIndicator.objects.create(edition=theirs, code="O-9-9-9", names={"en": "Othertown only"}, goal=9, unit="%")
    _edition(town, DRAFT, 2025, "draft")
    return review


@pytest.fixture
def national(editions):
    """Natland (level national) with the global indicator Testville's transport indicator is linked to."""
    from vlrkit.store import models as m

    m.SdgLink.objects.filter(indicator__edition__entity__code=ENTITY, indicator__code=INDICATOR).update(
        sdg_indicator="11.2.1")
    nat = m.Entity.objects.create(code=NATIONAL, names={"en": "Natland", "zh-Hans": "国家甲"}, level="national")
    ed = m.Edition.objects.create(entity=nat, code="data", year=2024, period_start=2015, period_end=2023,
                                  languages=["en"], title={"en": "Natland data"})
    ind = m.LocalIndicator.objects.create(edition=ed, code="11.2.1", names={"en": "Public transport access"},
                                          goal=11, unit="%", direction="higher")
    m.SdgLink.objects.create(indicator=ind, target="11.2", sdg_indicator="11.2.1", grade="identical")
    m.Target.objects.create(indicator=ind, kind="national", value=80.0, year=2030)
    for y, v in ((2015, 40.0), (2018, 48.0), (2021, 55.0)):
        m.Observation.objects.create(indicator=ind, period=str(y), year=y, value=v, unit="%")
    return nat


def test_changes_page_lists_each_change_against_the_previous_edition(editions, as_role):
    page = as_role("editor").get(url(ENTITY, DRAFT, "changes/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{PUBLISHED}" selected' in html  # the recorded previous edition is the default
    assert 'id="kind-indicator-added"' in html and 'data-subject="T-6-1-1"' in html
    assert "SDG 6.1.1 (identical): the city&#x27;s own water survey" in html  # why it was added
    assert 'id="kind-narrative-rewritten"' in html and 'data-subject="GE-1/en"' in html
    # the action of the earlier review with its outcome, changed from planned to done
    assert '<tr data-code="A-1" class="problem"><th scope="row">A-1</th><td>Bus lanes</td><td>planned</td><td>done</td>' in html
    assert "Both editions remember this method and method edition." in html
    # the fall to 30 in 2024: a status change with both latest values (the 2021 edition ends in 2020)
    status = html[html.index('data-kind="status"'):]
    status = status[status.index(f'data-subject="{INDICATOR}"'):]
    status = status[:status.index("</tr>")]
    assert "64 (2018)" in status and "30 (2024)" in status
    goal = html[html.index('data-subject="goal 11"'):]
    assert 'st-green">' in goal[:goal.index("</tr>")] and 'st-red">' in goal[:goal.index("</tr>")]
    # nothing of Othertown's editions with the same codes
    assert "A-OTHER" not in html and "O-9-9-9" not in html and "Othertown" not in html


def test_changes_page_says_when_one_method_was_applied_to_both(editions, as_role):
    old = editions["published"]
    old.method_edition = "sdsn-2019"
    old.save()
    html = as_role("coordinator").get(url(ENTITY, DRAFT, "changes/")).content.decode()
    assert 'id="changes-method-differs"' in html and f"{PUBLISHED}: sdsn / " in html


def test_changes_page_offers_only_editions_the_visitor_may_read(editions, as_role):
    reader = as_role("reader")
    assert reader.get(url(ENTITY, DRAFT, "changes/")).status_code == 403  # a draft: not a reader's
    html = reader.get(url(ENTITY, PUBLISHED, "changes/") + f"?against={DRAFT}").content.decode()
    assert f'value="{DRAFT}"' not in html and "There is no edition" in html and 'id="changes-none"' in html
    assert as_role("stakeholder").get(url(ENTITY, DRAFT, "changes/")).status_code == 403
    assert as_role(None).get(url(ENTITY, DRAFT, "changes/")).status_code == 302  # to the log-in page


def test_the_navigation_links_both_pages(editions, as_role):
    html = as_role("editor").get(url(ENTITY, DRAFT)).content.decode()
    assert f'href="{url(ENTITY, DRAFT, "changes/")}"' in html and f'href="{url(ENTITY, DRAFT, "vertical/")}"' in html


def test_vertical_page_without_a_national_entity_says_how_to_import_one(editions, as_role):
    page = as_role("editor").get(url(ENTITY, DRAFT, "vertical/"))
    assert page.status_code == 200
    assert "vlr import-national" in page.content.decode()
    assert as_role("editor").get(url(ENTITY, DRAFT, "vertical.csv")).status_code == 404


def test_vertical_page_shows_the_gap_and_whether_it_narrows(national, as_role):
    html = as_role("data_provider").get(url(ENTITY, DRAFT, "vertical/")).content.decode()
    assert 'value="natland" selected' in html
    row = html[html.index(f'data-local="{INDICATOR}"'):]
    row = row[:row.index("</tr>")]
    # 2021 is the latest year both have: 70 − 55; it was 60 − 40 in 2015, so the gap narrows
    assert "+15 (2021)" in row and "was +20 in 2015" in row and "narrowing" in row
    assert "80 (2030)" in row  # the national target beside the local one
    assert 'data-reason="no-link"' in html and OTHER_INDICATOR in html  # left out, with why
    assert "the country of the local or the national entity is not set" in html
    assert OTHER not in html


def test_vertical_csv_for_the_vnr_team(national, as_role):
    from vlrkit.store import models as m

    # a series name a spreadsheet would run as a formula
    m.Observation.objects.filter(indicator__edition__entity__code=ENTITY, indicator__code=INDICATOR).update(
        series="=HYPERLINK(1)")
    response = as_role("editor").get(url(ENTITY, DRAFT, "vertical.csv") + f"?national={NATIONAL}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    pair = next(r for r in rows if r["local_indicator"] == INDICATOR)
    assert float(pair["gap"]) == 15 and pair["narrowing"] == "True" and pair["local_series"] == "'=HYPERLINK(1)"
    assert next(r for r in rows if r["local_indicator"] == OTHER_INDICATOR)["left_out"] == "no-link"


def test_vertical_pages_refuse_who_may_not_read_the_edition(national, as_role):
    for role, code in (("stakeholder", 403), (None, 302)):
        assert as_role(role).get(url(ENTITY, DRAFT, "vertical/")).status_code == code
        assert as_role(role).get(url(ENTITY, DRAFT, "vertical.csv")).status_code == code
    # Othertown is an entity of level city: never offered as the nation, even when named
    html = as_role("editor").get(url(ENTITY, DRAFT, "vertical/") + f"?national={OTHER}").content.decode()
    assert "There is no national entity" in html and 'id="vertical-table"' not in html


def test_pages_in_chinese(national, as_role):
    from django.conf import settings

    client = as_role("editor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "自上次评估以来的变化" in client.get(url(ENTITY, DRAFT, "changes/")).content.decode()
    assert "与国家对照" in client.get(url(ENTITY, DRAFT, "vertical/")).content.decode()

