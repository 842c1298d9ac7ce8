"""Behaviour behind the pages: assignments, the publish workflow, immutability, copies,
moderation, history restore, follow-up highlighting and the upload → report → import flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.web.conftest import (
    CONTRIBUTION,
    DRAFT,
    ENTITY,
    INDICATOR,
    OTHER_INDICATOR,
    PUBLISHED,
    fill_narratives,
    follow_job,
    post_form,
)

from vlrkit.web.editions import EditionKey

DATA = Path(__file__).parent.parent / "data" / "web"


def _status(code: str) -> str:
    from vlrkit.store.models import Edition

    return Edition.objects.get(code=code).status


def test_data_provider_only_assigned(review, as_role):
    client = as_role("data_provider")  # assigned goal 11
    ok = client.post(f"/review/{ENTITY}/{DRAFT}/indicators/{INDICATOR}/edit/", {"part": "thresholds", "optimum": 100,
                                                                      "lower_bound": 0, "green": 80, "red": 40})
    assert ok.status_code == 302
    refused = client.post(f"/review/{ENTITY}/{DRAFT}/indicators/{OTHER_INDICATOR}/edit/", {"part": "thresholds", "optimum": 1,
                                                                             "lower_bound": 0, "green": 1, "red": 0})
    assert refused.status_code == 403
    page = client.get(f"/review/{ENTITY}/{DRAFT}/indicators/").content.decode()
    assert f"/indicators/{INDICATOR}/edit/" in page and f"/indicators/{OTHER_INDICATOR}/edit/" not in page


@pytest.fixture
def fake_render(monkeypatch):
    calls = []

    def render(edition, out, langs, progress=None):
        calls.append(edition)
        for lang in langs:
            (out / "html" / lang).mkdir(parents=True, exist_ok=True)
            (out / "html" / lang / "index.html").write_text(f"site {lang}", encoding="utf-8")

    monkeypatch.setattr("vlrkit.web.rendering.render", render)
    return calls


def test_publish_workflow(review, as_role, fake_render, run_jobs):
    fill_narratives(review["draft"])
    url = f"/review/{ENTITY}/{DRAFT}/publish/"
    editor, coordinator = as_role("editor"), as_role("coordinator")
    editor.post(url, {"action": "transition", "to": "in_review"})
    assert _status(DRAFT) == "in_review"
    editor.post(url, {"action": "transition", "to": "approved"})
    assert _status(DRAFT) == "in_review"  # only a coordinator approves
    coordinator.post(url, {"action": "transition", "to": "published"})
    assert _status(DRAFT) == "in_review"  # no skipping the approval
    coordinator.post(url, {"action": "transition", "to": "approved"})
    started = coordinator.post(url, {"action": "transition", "to": "published", "note": "final"})
    assert started.status_code == 302 and f"/review/{ENTITY}/{DRAFT}/jobs/" in started["Location"]
    assert _status(DRAFT) == "approved" and fake_render == []  # a background job publishes
    again = coordinator.post(url, {"action": "transition", "to": "published"})
    assert again["Location"] == started["Location"]  # one publishing job at a time
    assert run_jobs() == 1
    assert _status(DRAFT) == "published" and fake_render == [EditionKey(ENTITY, DRAFT)]
    from vlrkit.web.models import WorkflowEvent

    steps = [(e.from_status, e.to_status) for e in WorkflowEvent.objects.filter(edition=DRAFT).order_by("at", "id")]
    assert steps == [("draft", "in_review"), ("in_review", "approved"), ("approved", "published")]
    # published: immutable, and readers (even anonymous visitors) see it
    assert coordinator.post(f"/review/{ENTITY}/{DRAFT}/narrative/GE-1/en/", {"text": "changed"}).status_code == 403
    assert coordinator.post(f"/review/{ENTITY}/{DRAFT}/actions/", {}).status_code == 403
    assert as_role(None).get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200
    public = as_role(None).get(f"/review/{ENTITY}/{DRAFT}/public/", follow=True)
    assert public.status_code == 200 and b"site en" in b"".join(public.streaming_content)


def test_new_edition_from_copy(review, as_role):
    from vlrkit.store.models import Edition, Narrative

    response = as_role("coordinator").post(f"/review/{ENTITY}/{PUBLISHED}/publish/", {"action": "new_edition",
                                                                       "code": "vlr-2029", "year": 2029})
    assert response.status_code == 302 and response["Location"].endswith(f"/review/{ENTITY}/vlr-2029/")
    new = Edition.objects.get(code="vlr-2029")
    assert new.status == "draft" and new.previous.code == PUBLISHED
    assert Narrative.objects.get(edition=new, section="GE-1", lang="en").text == "Opening statement."
    assert _status(PUBLISHED) == "published"


def test_contribution_moderated(review, as_role):
    from vlrkit.store.models import Contribution
    from vlrkit.web.models import Moderation

    anonymous = as_role(None)
    response = anonymous.post(f"/review/{ENTITY}/{DRAFT}/contribute/", {"organisation": "River Friends", "kind": "civil_society",
                                                         "text": "Clean the river banks.", "goals": ["6"]})
    assert response.status_code == 200 and b"C-0002" in response.content
    c = Contribution.objects.get(edition__code=DRAFT, code="C-0002")
    assert c.status == "submitted" and c.goals == [6]
    assert as_role("editor").post(f"/review/{ENTITY}/{DRAFT}/contributions/C-0002/moderate/", {"decision": "accepted"}).status_code == 403
    post_form(as_role("coordinator"), f"/review/{ENTITY}/{DRAFT}/contributions/C-0002/moderate/", {"decision": "accepted"}, page=f"/review/{ENTITY}/{DRAFT}/participation/")
    post_form(as_role("coordinator"), f"/review/{ENTITY}/{DRAFT}/contributions/{CONTRIBUTION}/moderate/", {"decision": "rejected"}, page=f"/review/{ENTITY}/{DRAFT}/participation/")
    statuses = dict(Contribution.objects.filter(edition__code=DRAFT).values_list("code", "status"))
    assert statuses == {"C-0001": "rejected", "C-0002": "accepted"}
    assert Moderation.objects.filter(edition=DRAFT).count() == 2


def test_history_diff_and_restore(review, as_role, users):
    from vlrkit.store.models import Narrative

    editor, coordinator = as_role("editor"), as_role("coordinator")
    url = f"/review/{ENTITY}/{DRAFT}/narrative/GE-1/en/"
    post_form(editor, url, {"text": "First line.\nSecond line."})
    post_form(editor, url, {"text": "First line.\nSecond line, changed."})
    row = Narrative.objects.get(edition__code=DRAFT, section="GE-1", lang="en")
    records = list(row.history.order_by("history_date"))
    assert records[-1].history_user == users["editor"]
    diff = coordinator.get(f"/review/{ENTITY}/{DRAFT}/history/narrative/{records[-1].history_id}/").content.decode()
    assert "<del>- Second line.</del>" in diff and "<ins>+ Second line, changed.</ins>" in diff
    listing = coordinator.get(f"/review/{ENTITY}/{DRAFT}/history/").content.decode()
    assert "editor" in listing and "GE-1 (en)" in listing
    post_form(coordinator, f"/review/{ENTITY}/{DRAFT}/history/narrative/{records[1].history_id}/", {})
    row.refresh_from_db()
    assert row.text == "First line.\nSecond line."
    assert row.history.count() == len(records) + 1  # the restore is itself recorded


def test_overdue_actions_highlighted(review, as_role):
    html = as_role("coordinator").get(f"/review/{ENTITY}/{DRAFT}/actions/").content.decode()
    assert 'class="overdue" data-code="A-1"' in html


def test_upload_report_and_import(review, as_role, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vlrkit.store.models import Observation

    client = as_role("coordinator")
    lines = (DATA / "indicator_11-2-1.csv").read_text(encoding="utf-8").splitlines()
    bad = lines.copy()
    bad[3] = ",".join(bad[3].split(",")[:-1] + ["abc"])  # not a number ("n/a" is a missing marker)
    before = Observation.objects.count()
    response = follow_job(client, client.post(
        f"/review/{ENTITY}/{DRAFT}/data/", {"file": SimpleUploadedFile("indicator_11-2-1.csv", "\n".join(bad).encode())},
        follow=True))
    html = response.content.decode()
    assert 'data-valid="0"' in html and 'data-row="3" data-type="non-numeric-value"' in html
    assert "confirm-import" not in html
    pk = response.final_url.rstrip("/").rsplit("/", 1)[-1]
    client.post(f"/review/{ENTITY}/{DRAFT}/data/import/{pk}/", {"action": "import"})
    assert Observation.objects.count() == before  # all or nothing
    response = follow_job(client, client.post(
        f"/review/{ENTITY}/{DRAFT}/data/", {"file": SimpleUploadedFile("indicator_11-2-1.csv", "\n".join(lines).encode())},
        follow=True))
    assert 'data-valid="1"' in response.content.decode()
    pk = response.final_url.rstrip("/").rsplit("/", 1)[-1]
    done = client.post(f"/review/{ENTITY}/{DRAFT}/data/import/{pk}/", {"action": "import"})
    assert done.status_code == 302 and f"/review/{ENTITY}/{DRAFT}/jobs/" in done["Location"]
    assert Observation.objects.count() == before  # not yet: a background job imports
    dashboard = follow_job(client, done)
    assert dashboard.final_url.endswith(f"/review/{ENTITY}/{DRAFT}/")
    assert Observation.objects.count() == before + len(lines) - 1
    dashboard = client.get(f"/review/{ENTITY}/{DRAFT}/").content.decode()
    assert "3 local indicators" in dashboard
    history = client.get(f"/review/{ENTITY}/{DRAFT}/indicator/11.2.1/").content.decode()
    assert ">imported from indicator_11-2-1.csv<" in history and "coordinator" in history


def test_template_download(review, as_role):
    response = as_role("data_provider").get(f"/review/{ENTITY}/{DRAFT}/data/template/{INDICATOR}.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert as_role("data_provider").get(f"/review/{ENTITY}/{DRAFT}/data/template/{OTHER_INDICATOR}.xlsx").status_code == 403


def test_goal_page_six_un_languages(review, as_role):
    html = as_role("reader").get(f"/review/{ENTITY}/{PUBLISHED}/goal/11/").content.decode()
    for title in ("Make cities and human settlements", "建设包容、安全", "Faire en sorte que les villes",
                  "Lograr que las ciudades", "Обеспечение открытости", "جعل المدن"):
        assert title in html
    assert "T-11-2-1" in html  # the local indicator and its chart
    assert "<svg" in html


def test_admin_manages_roles(db, as_role, users):
    page = as_role("admin").get("/admin/web/membership/")
    assert page.status_code == 200 and "coordinator" in page.content.decode() and ENTITY in page.content.decode()


def test_engagement_groups_and_action_links(review, as_role):
    from vlrkit.store.models import Action, Engagement

    client = as_role("coordinator")
    bad = client.post(f"/review/{ENTITY}/{DRAFT}/participation/", {"e-code": "E-1", "e-title": "Youth forum", "e-date": "2025-04-02",
                                                    "e-format": "workshop", "e-participants": 60,
                                                    "e-groups": "youth=45, aliens=3"})
    assert bad.status_code == 200 and "aliens" in bad.content.decode()
    client.post(f"/review/{ENTITY}/{DRAFT}/participation/", {"e-code": "E-1", "e-title": "Youth forum", "e-date": "2025-04-02",
                                              "e-format": "workshop", "e-participants": 60,
                                              "e-groups": "youth=45，women=30"})
    assert Engagement.objects.get(edition__code=DRAFT, code="E-1").groups_reached == {"youth": 45, "women": 30}
    refused = client.post(f"/review/{ENTITY}/{DRAFT}/actions/", {"code": "A-2", "title": "Night buses", "owner": "Transport",
                                                  "status": "planned", "targets": "11.2", "indicators": "NOPE"})
    assert refused.status_code == 200 and not Action.objects.filter(code="A-2").exists()
    client.post(f"/review/{ENTITY}/{DRAFT}/actions/", {"code": "A-2", "title": "Night buses", "owner": "Transport",
                                        "status": "planned", "targets": "11.2, 11.6", "indicators": INDICATOR})
    a = Action.objects.get(edition__code=DRAFT, code="A-2")
    assert a.targets == ["11.2", "11.6"] and [i.code for i in a.indicators.all()] == [INDICATOR]


def test_upload_open_sdg_zip(review, as_role, tmp_path):
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    archive = tmp_path / "repo.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(DATA / "indicator_11-2-1.csv", "data/indicator_11-2-1.csv")
    client = as_role("coordinator")
    response = follow_job(client, client.post(
        f"/review/{ENTITY}/{DRAFT}/data/", {"file": SimpleUploadedFile("repo.zip", archive.read_bytes())}, follow=True))
    html = response.content.decode()
    assert 'data-valid="1"' in html and "confirm-import" in html


def test_private_site_needs_an_account(review, as_role, settings):
    settings.PUBLIC_SITE = False
    anonymous = as_role(None).get(f"/review/{ENTITY}/{PUBLISHED}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert as_role("reader").get(f"/review/{ENTITY}/{PUBLISHED}/").status_code == 200
    assert as_role("reader").get(f"/review/{ENTITY}/{DRAFT}/").status_code == 403  # readers see published content only
    assert as_role("stakeholder").get(f"/review/{ENTITY}/{PUBLISHED}/").status_code == 200  # logged in: may read it
