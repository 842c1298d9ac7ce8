"""The indicator page says who is left behind: the assessment's leave-no-one-behind comparisons
for the indicator — a single breakdown (sex), each dimension within a combined breakdown (sex ×
age, the other held fixed) and the combined groups as wholes — in the interface language."""

from __future__ import annotations

import html

import pytest
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, OTHER_INDICATOR

from vlrkit.web.editions import EditionKey

# (year, sex, age, value): share of residents near public transport, written for this test
CROSS = [(2015, "F", "Y15T24", 50.0), (2015, "M", "Y15T24", 58.0), (2015, "F", "Y25T64", 60.0),
         (2015, "M", "Y25T64", 63.0), (2021, "F", "Y15T24", 56.0), (2021, "M", "Y15T24", 66.0),
         (2021, "F", "Y25T64", 68.0), (2021, "M", "Y25T64", 70.0)]


@pytest.fixture
def broken_down(review):
    from vlrkit.store.models import LocalIndicator, Observation

    ind = LocalIndicator.objects.get(edition=review["draft"], code=INDICATOR)
    Observation.objects.create(indicator=ind, period="2015", year=2015, value=55.0, unit="%", sex="F")
    for sex, v in (("M", 62.0),):
        Observation.objects.create(indicator=ind, period="2015", year=2015, value=v, unit="%", sex=sex)
        Observation.objects.create(indicator=ind, period="2021", year=2021, value=72.0, unit="%", sex=sex)
    for y, sex, age, v in CROSS:
        Observation.objects.create(indicator=ind, period=str(y), year=y, value=v, unit="%", sex=sex, age=age)
    return review


def _rows(lang: str) -> list[dict]:
    from vlrkit.web import snapshot

    lnob = snapshot.assessment(EditionKey(ENTITY, DRAFT)).lnob
    out = []
    for frame in (lnob.gaps, lnob.within, lnob.intersections):
        if "indicator" in frame.columns:
            out += frame.filter(frame["indicator"] == INDICATOR).to_dicts()
    return out


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_indicator_page_names_the_groups_furthest_behind(broken_down, as_role, lang):
    client = as_role("coordinator")
    client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    page = html.unescape(client.get(f"/review/{ENTITY}/{DRAFT}/indicator/{INDICATOR}/").content.decode())
    table = page.split('id="left-behind"')[1].split("</table>")[0]
    rows = _rows(lang)
    kinds = {"SEX", "SEX×AGE"} | {r["dimension"] for r in rows}
    assert {r["dimension"] for r in rows} == kinds  # single, within and intersection comparisons exist
    assert table.count("<tr class=\"lnob-") == len(rows)
    suffix = "_zh" if lang == "zh-hans" else "_en"
    for r in rows:
        if "furthest_behind" + suffix in r:  # combined breakdowns carry their own labels
            assert r["furthest_behind" + suffix] in table
            assert f"{r['latest_ratio']:.2f}" in table
    # who is furthest behind as a whole group: young women (the lowest share in 2021)
    whole = next(r for r in rows if r["dimension"] == "SEX×AGE")
    assert whole["furthest_behind"] == "SEX:F×AGE:Y15T24"
    assert ("女性 × 15–24岁" if lang == "zh-hans" else "Female × 15–24") in table
    assert ("差距" if lang == "zh-hans" else "Gap ") in table  # the change of the gap in words


def test_no_table_without_breakdowns(review, as_role):
    page = as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/indicator/{OTHER_INDICATOR}/").content.decode()
    assert page.count("<h1>") == 1  # the page itself is there
    assert 'id="left-behind"' not in page  # one group (women) alone: nobody to compare with
