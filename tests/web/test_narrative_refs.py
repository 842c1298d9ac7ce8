"""The narrative editor inserts figures *by reference*: the picker inserts ``{{ind:CODE:field}}``,
the preview and the published site show the figure the assessment holds at the time, the stored
text keeps the reference, and references that do not resolve are listed in the UI language."""

from __future__ import annotations

import html

import pytest
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, fill_narratives

from vlrkit.web.editions import EditionKey

TOKEN = f"{{{{ind:{INDICATOR}:latest}}}}"
TEXT = f"Access to transport reached {TOKEN} in {{{{ind:{INDICATOR}:year}}}}. Also {{{{ind:NOPE-1:latest}}}}."


def _latest(lang: str = "en") -> str:
    """The latest figure of INDICATOR as the report model (the assessment's view) holds it."""
    from vlrkit.web import snapshot

    view = next(i for i in snapshot.report(EditionKey(ENTITY, DRAFT), lang).indicators() if i.code == INDICATOR)
    return f"{view.latest.text} {view.unit}"


def _preview(client, text: str, lang: str = "en") -> str:
    response = client.post(f"/review/{ENTITY}/{DRAFT}/narrative-preview/", {"section": "GE-6", "lang": lang, "text": text})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_picker_offers_references_with_their_current_values(review, as_role):
    page = html.unescape(as_role("editor").get(f"/review/{ENTITY}/{DRAFT}/narrative/GE-6/en/").content.decode())
    assert f'data-insert="{TOKEN}"' in page
    assert f"<b>{_latest()}</b>" in page  # the value shown beside the reference
    assert 'data-insert="{{goal:11:coverage}}"' in page  # goal-level figures
    assert 'data-insert="{{index:goals}}"' in page  # the review as a whole
    # grouped: the indicator's references sit in the details of its goal
    goal11 = page[page.index("data-insert=\"{{goal:11:score}}\""):]
    assert goal11.index(TOKEN) < goal11.index("{{goal:12:score}}")
    assert "**" not in page.split('id="figure-picker"')[1]  # no frozen copy of a value any more


def test_the_preview_resolves_and_lists_what_does_not(review, as_role):
    body = _preview(as_role("editor"), TEXT)
    assert f"Access to transport reached {_latest()} in 2021." in body
    assert "⟦?ind:NOPE-1:latest⟧" in body
    assert 'id="unresolved"' in body and "the review has no indicator “NOPE-1”" in body and "Line 1" in body
    ok = _preview(as_role("editor"), f"Only {TOKEN}.")
    assert 'id="unresolved"' not in ok


def test_unresolved_references_are_listed_in_the_ui_language(review, as_role):
    client = as_role("editor")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    body = _preview(client, TEXT)
    assert "未能解析的数字引用" in body and "本审查中没有指标“NOPE-1”" in body and "第 1 行" in body
    page = client.get(f"/review/{ENTITY}/{DRAFT}/narrative/GE-6/en/").content.decode()
    assert "最新值" in page and "整个审查" in page  # the picker's labels


def test_saving_keeps_the_reference(review, as_role):
    from vlrkit.store.models import Narrative

    response = as_role("editor").post(f"/review/{ENTITY}/{DRAFT}/narrative/GE-6/en/", {"text": TEXT})
    assert response.status_code == 302
    assert Narrative.objects.get(edition__code=DRAFT, section="GE-6", lang="en").text == TEXT
    page = html.unescape(as_role("editor").get(f"/review/{ENTITY}/{DRAFT}/narrative/GE-6/en/").content.decode())
    assert f">{TEXT}</textarea>" in page  # the editor shows the reference, the preview the figure
    assert f"reached {_latest()} in 2021" in page


def test_a_changed_observation_changes_the_preview(review, as_role):
    from vlrkit.store.models import Observation

    client = as_role("editor")
    before = _latest()
    assert f"reached {before}" in _preview(client, TEXT)
    row = Observation.objects.get(indicator__edition__code=DRAFT, indicator__code=INDICATOR, year=2021, sex="")
    row.value = 75.5
    row.save()
    after = _latest()
    assert after != before and after.startswith("75.5")
    assert f"reached {after}" in _preview(client, TEXT)


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_the_published_site_shows_the_figure_at_publishing_time(review, as_role, publish_dir, monkeypatch, lang,
                                                               run_jobs):
    from vlrkit.store.models import Edition, Narrative, Observation

    monkeypatch.setattr("vlrkit.report.FORMATS", ("html", "json"))  # the site; PDF and DOCX are slow
    fill_narratives(review["draft"])
    # in each language its own words (a Chinese page in English words is "untranslated")
    text = TEXT if lang == "en" else TEXT.replace("Access to transport reached", "公共交通便利人口比例在近年持续上升，达到").replace(
        " in ", "，年份为").replace(". Also", "。另有")
    six = Narrative.objects.get(edition=review["draft"], section="GE-6", lang=lang)
    six.text = text
    six.save()
    row = Observation.objects.get(indicator__edition__code=DRAFT, indicator__code=INDICATOR, year=2021, sex="")
    row.value = 81.25
    row.save()
    expected = _latest(lang)
    assert expected.startswith("81.2")
    editor, coordinator = as_role("editor"), as_role("coordinator")
    url = f"/review/{ENTITY}/{DRAFT}/publish/"
    editor.post(url, {"action": "transition", "to": "in_review"})
    coordinator.post(url, {"action": "transition", "to": "approved"})
    # the reference that does not resolve blocks the publication, named with a link to fix it
    refused = coordinator.post(url, {"action": "transition", "to": "published"}, follow=True).content.decode()
    assert "cannot be published yet" in refused and "NOPE-1" in refused
    assert f"/review/{ENTITY}/{DRAFT}/narrative/GE-6/{lang}/" in refused
    assert run_jobs() == 0 and Edition.objects.get(code=DRAFT).status == "approved"
    six.text = text.replace("{{ind:NOPE-1:latest}}", "")
    six.save()
    coordinator.post(url, {"action": "transition", "to": "published"})
    assert run_jobs() == 1  # the publishing job
    assert review["draft"].__class__.objects.get(code=DRAFT).status == "published"
    site = publish_dir / ENTITY / DRAFT / "html" / lang
    pages = [p for p in site.rglob("*.html") if TOKEN not in p.read_text(encoding="utf-8")
             and f"{expected} " in p.read_text(encoding="utf-8")]
    assert pages, "no page of the public site shows the resolved narrative"
    assert not any("⟦?" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    name = pages[0].relative_to(publish_dir / ENTITY / DRAFT).as_posix()
    response = as_role(None).get(f"/review/{ENTITY}/{DRAFT}/public/{name}")
    assert response.status_code == 200
    assert expected in b"".join(response.streaming_content).decode()
    assert TOKEN in Narrative.objects.get(edition__code=DRAFT, section="GE-6", lang=lang).text


def test_the_section_list_names_every_unresolved_reference(review, as_role):
    from vlrkit.store.models import Narrative

    Narrative.objects.create(edition=review["draft"], section="GE-6", lang="zh-Hans", text=f"好 {TOKEN}\n\n{{{{goal:3:nope}}}}")
    Narrative.objects.create(edition=review["draft"], section="GE-2", lang="en", text=TEXT)
    page = html.unescape(as_role("editor").get(f"/review/{ENTITY}/{DRAFT}/narrative/").content.decode())
    listed = page.split('id="unresolved"')[1]
    assert listed.index("GE-2 · English") < listed.index("GE-6 · 中文")  # in report order
    assert "the review has no indicator “NOPE-1”" in listed
    assert "Line 3: {{goal:3:nope}}: unknown field “nope” (use score, colour, trend, coverage" in listed
    assert TOKEN not in listed  # the references that resolve are not listed
    assert f"/review/{ENTITY}/{DRAFT}/narrative/GE-6/zh-Hans/" in listed


def test_the_publish_page_names_unresolved_references_as_blockers(review, as_role):
    from vlrkit.store.models import Narrative

    fill_narratives(review["draft"])
    page = html.unescape(as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/publish/").content.decode())
    assert 'id="blockers"' not in page  # nothing blocks yet
    row = Narrative.objects.get(edition=review["draft"], section="GE-2", lang="en")
    row.text += " " + TEXT
    row.save()
    page = html.unescape(as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/publish/").content.decode())
    listing = page.split('id="blockers"')[1].split("</div>")[0]
    assert "1 problem must be fixed" in listing and 'data-kind="unresolved"' in listing
    assert "the review has no indicator “NOPE-1”" in listing and "line 1" in listing
    assert f"/review/{ENTITY}/{DRAFT}/narrative/GE-2/en/" in listing


def test_my_contributions_is_in_the_stakeholders_menu_only(review, as_role):
    link = f'href="/review/{ENTITY}/{DRAFT}/contributions/mine/"'
    assert link in as_role("stakeholder").get(f"/review/{ENTITY}/{DRAFT}/contribute/").content.decode()
    assert link not in as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/").content.decode()
