"""The job page and the job records, in process: who sees a job, what the page shows with and
without JavaScript, in both languages, and what happens to the jobs of a worker that died.
(Real worker processes: test_jobs_live.py; the bar in a browser: test_browser.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.web.conftest import DRAFT, ENTITY, fill_narratives, follow_job

from vlrkit.web.editions import EditionKey

KEY = EditionKey(ENTITY, DRAFT)


def _publish_job(as_role, fake=True):
    from vlrkit.store.models import Edition

    fill_narratives(Edition.objects.get(code=DRAFT))
    Edition.objects.filter(code=DRAFT).update(status="approved")
    client = as_role("coordinator")
    response = client.post(f"/review/{ENTITY}/{DRAFT}/publish/", {"action": "transition", "to": "published"})
    assert response.status_code == 302
    return client, response["Location"]


@pytest.fixture
def fake_render(monkeypatch):
    def render(edition, out, langs, progress=None):
        for k, lang in enumerate(langs, 1):
            (out / "html" / lang).mkdir(parents=True, exist_ok=True)
            (out / "html" / lang / "index.html").write_text(f"site {lang}", encoding="utf-8")
            (out / f"vlr-{lang}.pdf").write_bytes(b"%PDF-1.7")
            if progress is not None:
                progress(k, len(langs), f"pdf {lang}")

    monkeypatch.setattr("vlrkit.web.rendering.render", render)


def test_the_job_page_works_without_javascript_and_in_chinese(review, as_role, fake_render, run_jobs):
    client, url = _publish_job(as_role)
    queued = client.get(url).content.decode()
    assert '<noscript><meta http-equiv="refresh"' in queued  # a page that refreshes itself
    assert 'id="job-bar" max="100" value="0"' in queued and "Waiting for a worker" in queued
    assert client.get(url + "status/").json() == {
        "status": "queued", "status_label": "Waiting for a worker", "step": 0, "steps": 0, "percent": 0,
        "label": "", "error": "", "next": "", "active": True}
    assert run_jobs() == 1
    done = client.get(url).content.decode()
    assert "http-equiv" not in done and 'value="100"' in done
    assert f"/review/{ENTITY}/{DRAFT}/public/vlr-zh-Hans.pdf" in done and "PDF laid out (en)" in done
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": url})
    zh = client.get(url).content.decode()
    assert "正在发布本版本" in zh and "已完成" in zh and "PDF 已排版（en）" in zh


def test_a_job_is_seen_by_its_starter_and_the_leads_only(review, as_role, users, fake_render):
    from vlrkit.web.accounts import add_user

    _client, url = _publish_job(as_role)
    assert as_role("coordinator").get(url).status_code == 200
    assert as_role("admin").get(url + "status/").status_code == 200
    assert as_role("editor").get(url).status_code == 404  # staff, but not theirs
    assert as_role("reader").get(url).status_code == 403
    anonymous = as_role(None).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    other = add_user("other-provider", "correct-horse-battery-staple-9", roles=["data_provider"], goals=[11])
    from django.test import Client

    c = Client()
    c.force_login(other)
    assert c.get(url).status_code == 404


def test_publishing_refuses_an_edition_sent_back_meanwhile(review, as_role, fake_render, run_jobs):
    from vlrkit.store.models import Edition

    client, url = _publish_job(as_role)
    client.post(f"/review/{ENTITY}/{DRAFT}/publish/", {"action": "transition", "to": "draft"})
    assert Edition.objects.get(code=DRAFT).status == "draft"
    run_jobs()
    state = client.get(url + "status/").json()
    assert state["status"] == "failed" and "no longer approved" in state["error"]
    assert Edition.objects.get(code=DRAFT).status == "draft"


def test_an_unreadable_upload_fails_its_job_and_keeps_nothing(review, as_role, tmp_path):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from vlrkit.web.models import Upload

    client = as_role("coordinator")
    page = follow_job(client, client.post(
        f"/review/{ENTITY}/{DRAFT}/data/", {"file": SimpleUploadedFile("repo.zip", b"PK\x03\x04 not really a zip")}, follow=True))
    html = page.content.decode()
    assert 'data-status="failed"' in html and "repo.zip could not be read" in html
    up = Upload.objects.get(name="repo.zip")
    assert up.status == "failed" and not Path(up.path).parent.exists()


def test_the_jobs_of_a_dead_worker_are_marked_failed(review, as_role, users):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from vlrkit.web.jobs import runner
    from vlrkit.web.models import Upload

    up = Upload.objects.create(entity=ENTITY, edition=DRAFT, user=users["coordinator"], name="x.csv", path="/nonexistent/x.csv",
                               status="validating")
    job = runner.start("validate", KEY, users["coordinator"], upload=up.pk)
    task = DBTaskResult.objects.get(id=job.task_id)
    task.claim("host:serve1:1:abc")  # as a worker does, which then dies
    job.__class__.objects.filter(pk=job.pk).update(status="running", worker="host:serve1:1:abc",
                                                   heartbeat=timezone.now())
    other = runner.start("validate", KEY, users["coordinator"], upload=up.pk)
    assert runner.reap("host:serve1:1:abc", "killed by SIGKILL") == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.error_text() == (
        "The worker running this job stopped (killed by SIGKILL) before the job finished. Start it again.")
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    up.refresh_from_db()
    assert up.status == "failed"  # the kind's clean-up ran
    other.refresh_from_db()
    assert other.status == "queued"  # another job is not touched


def test_a_running_job_without_heartbeat_is_marked_failed(review, users):
    from django.utils import timezone

    from vlrkit.web.jobs import runner
    from vlrkit.web.jobs.models import Job

    job = runner.start("publish", KEY, users["coordinator"])
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat=timezone.now() - timedelta(minutes=5))
    fresh = runner.start("publish", EditionKey(ENTITY, "vlr-2021"), users["coordinator"])
    Job.objects.filter(pk=fresh.pk).update(status="running", heartbeat=timezone.now())
    assert runner.reap_stale() == 1
    assert Job.objects.get(pk=job.pk).status == "failed" and Job.objects.get(pk=fresh.pk).status == "running"
