"""The method page: coordinators choose the method edition, the edition remembers it, the
dashboard names it, the assessment follows it; the indicator page shows the indicator under
every method and edition with the disagreement flag."""

from __future__ import annotations

import html

import polars as pl
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, PUBLISHED

from vlrkit.web.editions import EditionKey

KEY = EditionKey(ENTITY, DRAFT)


def test_the_coordinator_chooses_the_edition_and_the_review_remembers_it(review, as_role):
    from vlrkit.store.models import Edition
    from vlrkit.web import snapshot

    client = as_role("coordinator")
    page = client.get(f"/review/{ENTITY}/{DRAFT}/method/").content.decode()
    assert 'id="method-form"' in page and 'id="edition-us-cities-2019"' in page
    assert snapshot.assessment(KEY).method_edition == "vlrkit"
    r = client.post(f"/review/{ENTITY}/{DRAFT}/method/", {"method": "statcan", "method_edition": "us-cities-2019"})
    assert r.status_code == 302
    ed = Edition.objects.get(code=DRAFT)
    assert (ed.method, ed.method_edition) == ("statcan", "us-cities-2019")
    a = snapshot.assessment(KEY)  # the save bumped the data version: recomputed
    assert (a.method_edition, a.progress_method) == ("us-cities-2019", "statcan")
    assert a.sdsn.edition == "us-cities-2019"
    dash = html.unescape(client.get(f"/review/{ENTITY}/{DRAFT}/").content.decode())
    assert "Assessed by SDSN US Cities SDG Index 2019" in dash.split('id="method-line"')[1][:200]


def test_only_leads_choose_and_not_once_published(review, as_role):
    from vlrkit.store.models import Edition

    for role in ("editor", "data_provider"):
        r = as_role(role).post(f"/review/{ENTITY}/{DRAFT}/method/", {"method": "sdsn", "method_edition": "sdsn-2018"})
        assert r.status_code == 403
    assert as_role("editor").get(f"/review/{ENTITY}/{DRAFT}/method/").status_code == 200  # the rules are for everyone to read
    r = as_role("coordinator").post(f"/review/{ENTITY}/{PUBLISHED}/method/", {"method": "sdsn", "method_edition": "sdsn-2018"})
    assert r.status_code == 403
    assert Edition.objects.get(code=PUBLISHED).method_edition == "vlrkit"
    r = as_role("coordinator").post(f"/review/{ENTITY}/{DRAFT}/method/", {"method": "sdsn", "method_edition": "no-such"})
    assert r.status_code == 200 and Edition.objects.get(code=DRAFT).method_edition == "vlrkit"


def test_the_indicator_page_shows_every_edition_and_method(review, as_role):
    from vlrkit.web import snapshot

    page = html.unescape(as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/indicator/{INDICATOR}/").content.decode())
    part = page.split('id="sensitivity"')[1].split("</table>\n</div></div>")[0]
    s = snapshot.sensitivity(KEY)
    flags = s.indicator_table().filter(pl.col("indicator") == INDICATOR).row(0, named=True)
    for name in s.editions:
        assert f'title="{name}"' in part
    for m in ("unsd", "statcan", "opensdg"):
        assert f'<th scope="row">{m}</th>' in part
    agree = "The methods disagree on this indicator." if flags["disagree"] else "The methods agree on this indicator."
    assert agree in page


def test_the_method_page_and_line_in_chinese(review, as_role):
    client = as_role("coordinator")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    dash = html.unescape(client.get(f"/review/{ENTITY}/{DRAFT}/").content.decode())
    assert "评估依据：vlrkit 默认（SDSN 方法，vlrkit 1.0）" in dash and "方法与规则" in dash
    page = html.unescape(client.get(f"/review/{ENTITY}/{DRAFT}/method/").content.decode())
    assert "本评估采用 <strong>vlrkit 默认" in page and "由公布结果推定" in page
    ind = html.unescape(client.get(f"/review/{ENTITY}/{DRAFT}/indicator/{INDICATOR}/").content.decode())
    assert "各方法下的结果" in ind and "SDSN 2018 年可持续发展目标指数与仪表板（全球）" in ind
