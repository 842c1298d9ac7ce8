"""Tenancy by entity: two entities with the same edition codes never see or change each other's
review, roles are granted per entity or per edition of an entity, the old entity-less addresses
redirect where they are unambiguous, and the data migration keeps what it can tell apart."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, PASSWORD, PUBLISHED, _edition, post_form

from vlrkit.web.editions import EditionKey

OTHER = "OTHERTOWN"
A, B = EditionKey(ENTITY, DRAFT), EditionKey(OTHER, DRAFT)


def url(key: EditionKey, rest: str = "") -> str:
    return f"/review/{key.entity}/{key.code}/{rest}"


@pytest.fixture
def other(review):
    """Othertown, with a draft and a published edition of the same codes as Testville's."""
    from vlrkit.store import models as m

    town = m.Entity.objects.create(code=OTHER, names={"en": "Othertown"})
    draft = _edition(town, DRAFT, 2025, "draft")
    draft.title = {"en": "Othertown review"}
    draft.save()
    return {"draft": draft, "published": _edition(town, PUBLISHED, 2021, "published")}


def _text(entity: str) -> str:
    from vlrkit.store.models import Narrative

    return Narrative.objects.get(edition__entity__code=entity, edition__code=DRAFT, section="GE-1", lang="en").text


def test_an_edition_code_is_unique_within_its_entity_only(review, other):
    from vlrkit.store import models as m

    assert m.Edition.objects.filter(code=DRAFT).count() == 2  # one per entity
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Edition.objects.create(entity=other["draft"].entity, code=DRAFT, year=2026, period_start=2015,
                                 period_end=2025)


def test_a_coordinator_writes_into_their_own_entity_only(other, as_role):
    coordinator = as_role("coordinator")  # coordinator of Testville
    ok = post_form(coordinator, url(A, "narrative/GE-1/en/"), {"text": "Testville's own words."})
    assert ok.status_code == 302
    assert _text(ENTITY) == "Testville's own words." and _text(OTHER) == "Opening statement."
    refused = coordinator.post(url(B, "narrative/GE-1/en/"), {"text": "Written into Othertown."})
    assert refused.status_code == 403 and _text(OTHER) == "Opening statement."
    assert coordinator.get(url(B, "narrative/")).status_code == 403


def test_the_other_entity_writes_into_its_edition_not_into_the_first_one(other, client):
    """The old bug: the view took the first edition with the code, whichever entity it had."""
    from vlrkit.web.accounts import add_user

    client.force_login(add_user("their-coordinator", PASSWORD, roles=["coordinator"], entity=OTHER))
    assert post_form(client, url(B, "narrative/GE-1/en/"), {"text": "Othertown's words."}).status_code == 302
    assert _text(OTHER) == "Othertown's words." and _text(ENTITY) == "Opening statement."
    assert client.post(url(A, "narrative/GE-1/en/"), {"text": "x"}).status_code == 403


def test_pages_of_a_shared_code_show_each_entitys_own_review(other, as_role, client):
    from vlrkit.web.accounts import add_user

    mine = as_role("coordinator").get(url(A)).content.decode()
    client.force_login(add_user("their-reader", PASSWORD, roles=["coordinator"], entity=OTHER))
    theirs = client.get(url(B)).content.decode()
    assert "Testville VLR 2025" in mine and "Othertown review" not in mine
    assert "Othertown review" in theirs and "Testville VLR 2025" not in theirs
    home = client.get("/").content.decode()
    assert url(B) in home and url(A) not in home  # Testville's draft is not theirs to see


def test_a_membership_for_one_edition_of_one_entity(other, client):
    from vlrkit.web.accounts import AccountError, add_user

    client.force_login(add_user("one-edition", PASSWORD, roles=["editor"], entity=ENTITY, edition=DRAFT))
    assert client.get(url(A, "narrative/")).status_code == 200
    assert client.get(url(B, "narrative/")).status_code == 403  # same code, other entity
    with pytest.raises(AccountError):
        add_user("no-entity", PASSWORD, roles=["editor"], edition=DRAFT)  # ambiguous: refused


def test_a_data_provider_edits_assigned_indicators_of_their_entity_only(other, as_role):
    provider = as_role("data_provider")  # goal 11 in Testville
    assert provider.get(url(A, f"indicators/{INDICATOR}/edit/")).status_code == 200
    assert provider.get(url(B, f"indicators/{INDICATOR}/edit/")).status_code == 403
    body = {"part": "meta", "code": INDICATOR, "name_en": "Renamed", "goal": 11, "unit": "%", "direction": "higher"}
    assert provider.post(url(B, f"indicators/{INDICATOR}/edit/"), body).status_code == 403
    from vlrkit.store.models import LocalIndicator

    assert LocalIndicator.objects.get(edition=other["draft"], code=INDICATOR).names["en"] != "Renamed"


def test_records_of_one_entity_are_not_reached_through_the_other(other, as_role):
    from vlrkit.store.models import Narrative
    from vlrkit.web.models import Upload

    up = Upload.objects.create(entity=ENTITY, edition=DRAFT, name="x.csv", path="/nonexistent/x.csv",
                               report={"valid": False})
    coordinator = as_role("admin")  # an admin of Testville
    assert coordinator.get(url(A, f"data/import/{up.pk}/")).status_code == 200
    history = Narrative.history.filter(edition=other["draft"].__class__.objects.get(
        entity__code=ENTITY, code=DRAFT)).first().history_id
    assert coordinator.get(url(A, f"history/narrative/{history}/")).status_code == 200
    from vlrkit.web.accounts import add_user

    coordinator.force_login(add_user("their-admin", PASSWORD, roles=["admin"], entity=OTHER))
    assert coordinator.get(url(B, f"data/import/{up.pk}/")).status_code == 404
    assert coordinator.get(url(B, f"history/narrative/{history}/")).status_code == 404
    assert coordinator.post(url(B, f"history/narrative/{history}/")).status_code == 404


def test_a_background_job_belongs_to_one_entitys_edition(other, as_role, client, run_jobs, monkeypatch):
    """Othertown's coordinator publishes Othertown's edition of the shared code: the job is
    Othertown's, it publishes that edition only, and it is not reached through Testville's
    address (nor Testville's job through Othertown's)."""
    from vlrkit.store.models import Edition
    from vlrkit.web.accounts import add_user
    from vlrkit.web.models import Job

    rendered = []

    def render(edition, out, langs, progress=None):
        rendered.append(edition)
        for lang in langs:
            (out / "html" / lang).mkdir(parents=True, exist_ok=True)
            (out / "html" / lang / "index.html").write_text(f"site {lang}", encoding="utf-8")

    monkeypatch.setattr("vlrkit.web.rendering.render", render)
    from tests.web.conftest import fill_narratives

    for ed in Edition.objects.filter(code=DRAFT):  # both entities' drafts, nothing blocking them
        fill_narratives(ed)
    Edition.objects.filter(code=DRAFT).update(status="approved")
    client.force_login(add_user("their-coordinator", PASSWORD, roles=["coordinator"], entity=OTHER))
    started = client.post(url(B, "publish/"), {"action": "transition", "to": "published"})
    assert started.status_code == 302 and started["Location"].startswith(url(B, "jobs/"))
    job = Job.objects.get()
    assert job.key == B
    mine = as_role("coordinator").post(url(A, "publish/"), {"action": "transition", "to": "published"})
    assert mine["Location"] != started["Location"]  # not "already being published": another edition
    assert run_jobs() == 2 and sorted(rendered) == sorted([A, B])
    assert {e.entity.code: e.status for e in Edition.objects.filter(code=DRAFT)} == {
        ENTITY: "published", OTHER: "published"}
    theirs, ours = job.pk, Job.objects.exclude(pk=job.pk).get().pk
    assert client.get(url(B, f"jobs/{theirs}/")).status_code == 200
    assert client.get(url(B, f"jobs/{ours}/")).status_code == 404  # Testville's job, Othertown's address
    assert client.get(url(B, f"jobs/{ours}/status/")).status_code == 404
    assert as_role("coordinator").get(url(A, f"jobs/{theirs}/")).status_code == 404
    assert as_role("coordinator").get(url(B, f"jobs/{theirs}/")).status_code == 403  # no role there


def test_old_addresses_redirect_where_the_code_is_unambiguous(review, other, as_role):
    from vlrkit.store import models as m

    m.Edition.objects.create(entity=review["draft"].entity, code="vlr-2030", year=2030, period_start=2015,
                             period_end=2029)
    visitor = as_role("coordinator")
    moved = visitor.get("/e/vlr-2030/goal/11/?status=red")
    assert moved.status_code == 302 and moved["Location"] == f"/review/{ENTITY}/vlr-2030/goal/11/?status=red"
    assert visitor.post("/e/vlr-2030/narrative/GE-1/en/", {"text": "t"}).status_code == 307  # a POST stays one
    ambiguous = visitor.get(f"/e/{DRAFT}/")
    assert ambiguous.status_code == 300
    page = ambiguous.content.decode()
    assert url(A) in page and url(B) in page and "Testville" in page and "Othertown" in page
    assert visitor.get("/e/no-such-edition/").status_code == 404


def test_published_sites_live_per_entity(other, as_role, publish_dir):
    for lang in ("en", "zh-Hans"):
        site = publish_dir / OTHER / PUBLISHED / "html" / lang
        site.mkdir(parents=True)
        (site / "index.html").write_text(f"othertown {lang}", encoding="utf-8")
    visitor = as_role(None)
    ours = visitor.get(url(EditionKey(ENTITY, PUBLISHED), "public/html/en/index.html"))
    theirs = visitor.get(url(EditionKey(OTHER, PUBLISHED), "public/html/en/index.html"))
    assert b"published en" in b"".join(ours.streaming_content)
    assert b"othertown en" in b"".join(theirs.streaming_content)


def test_a_site_published_before_entities_named_folders_is_still_served(review, as_role, publish_dir):
    """``<folder>/<edition>/`` from before: served while only one entity has the code."""
    import shutil

    shutil.move(publish_dir / ENTITY / PUBLISHED, publish_dir / PUBLISHED)
    page = as_role(None).get(url(EditionKey(ENTITY, PUBLISHED), "public/html/en/index.html"))
    assert page.status_code == 200 and b"published en" in b"".join(page.streaming_content)


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_unambiguous_memberships_and_reports_the_others(capsys):
    """web.0004 on rows written before it: codes held by one entity move to it; the others are
    left granting nothing and named in the migration's output."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("web", "0003_job")]
    executor.migrate(before)
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "web"]
    old = executor.loader.project_state(before + others).apps
    entity, edition = old.get_model("store", "Entity"), old.get_model("store", "Edition")
    user = old.get_model("auth", "User").objects.create(username="legacy")
    for code, owners in (("only-here", ("T1",)), ("shared", ("T1", "T2"))):
        for owner in owners:
            ent, _ = entity.objects.get_or_create(code=owner, defaults={"names": {}})
            edition.objects.create(entity=ent, code=code, year=2025, period_start=2015, period_end=2024)
    membership = old.get_model("web", "Membership")
    membership.objects.create(user=user, role="coordinator", edition="only-here")
    membership.objects.create(user=user, role="editor", edition="shared")
    membership.objects.create(user=user, role="reader", edition="")
    old.get_model("web", "WorkflowEvent").objects.create(edition="only-here", from_status="draft", to_status="in_review")
    old.get_model("web", "Job").objects.create(kind="publish", edition="only-here", status="done")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from vlrkit.web.models import Job, Membership, WorkflowEvent
    from vlrkit.web.roles import roles_of

    rows = {m.role: (m.entity, m.edition) for m in Membership.objects.filter(user__username="legacy")}
    assert rows == {"coordinator": ("T1", "only-here"), "editor": ("", "shared"), "reader": ("", "")}
    assert WorkflowEvent.objects.get().entity == "T1" and Job.objects.get().key == EditionKey("T1", "only-here")
    out = capsys.readouterr().out
    assert "Membership" in out and "'legacy'" in out and "editor" in out and "T1, T2" in out
    assert "coordinator" not in out  # the resolved one is not reported
    from django.contrib.auth import get_user_model

    legacy = get_user_model().objects.get(username="legacy")
    assert roles_of(legacy, EditionKey("T2", "shared")) == {"reader"}  # the ambiguous editor grants nothing
    assert roles_of(legacy, EditionKey("T1", "only-here")) == {"coordinator", "reader"}


def test_vlr_user_add_names_the_entity(tmp_path):
    from tests.web.test_cli import _vlr

    db = str(tmp_path / "r.sqlite3")
    assert _vlr("init", "--db", db, "--entity", "riverton", "--edition", "2025", "--period", "2015-2024",
                cwd=tmp_path).returncode == 0
    no_entity = _vlr("user", "add", "ana", "--role", "editor", "--edition", "2025", "--db", db,
                     password="a-long-pass-phrase-1", cwd=tmp_path)
    assert no_entity.returncode == 2 and "--edition needs --entity" in no_entity.stderr
    unknown = _vlr("user", "add", "ana", "--role", "editor", "--entity", "nowhere", "--db", db,
                   password="a-long-pass-phrase-1", cwd=tmp_path)
    assert unknown.returncode == 2 and "no entity 'nowhere'" in unknown.stderr
    ok = _vlr("user", "add", "ana", "--role", "editor", "--entity", "riverton", "--edition", "2025", "--db", db,
              password="a-long-pass-phrase-1", cwd=tmp_path)
    assert ok.returncode == 0 and "in riverton/2025" in ok.stdout
