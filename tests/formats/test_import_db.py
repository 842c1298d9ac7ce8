"""Imports into the store: all-or-nothing, --partial, idempotent, history, provenance."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.formats.conftest import LA

from vlrkit import ingest
from vlrkit.store import imports as store_imports
from vlrkit.store import models as m
from vlrkit.store.imports import ImportRefused, store_ingest

VLR = [sys.executable, "-c", "from vlrkit.cli.main import run; run()"]


@pytest.fixture
def edition(db):
    entity = m.Entity.objects.create(code="la", names={"en": "Los Angeles"})
    return m.Edition.objects.create(entity=entity, code="2024", year=2024, period_start=2015, period_end=2023)


def _counts():
    return (m.Observation.objects.count(), m.LocalIndicator.objects.count(), m.Import.objects.count(),
            m.Observation.history.count())


@pytest.mark.django_db
def test_all_or_nothing_refuses_data_with_errors_and_writes_nothing(edition, la_ingest):
    with pytest.raises(ImportRefused):
        store_ingest(la_ingest, edition="2024")
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_partial_import_stores_valid_rows_with_provenance(edition, la_ingest):
    res = store_ingest(la_ingest, edition="2024", partial=True, path="la")
    assert res.status == "partial"
    assert res.counts["created"] == la_ingest.observations.height == 4591
    assert res.counts["rejected"] == 10 and res.counts["placeholders"] == 114
    assert m.LocalIndicator.objects.filter(edition=edition).count() == 247
    run = m.Import.objects.get(code=res.code)
    assert run.partial and run.finished is not None and run.counts["created"] == 4591
    assert not m.Observation.objects.filter(import_run__isnull=True).exists()
    assert not m.Observation.objects.filter(row__isnull=True).exists()
    one = m.Observation.objects.get(indicator__code="1.1.1", file="data/indicator_1-1-1.csv", row=2)
    assert (one.period, one.value, one.age, one.sex, one.unit) == ("2012", 13.8, "Under 18 years", "", "Percent by Age")
    assert one.labels == {"Age": "Under 18 years", "Units": "Percent by Age"}


@pytest.mark.django_db
def test_importing_the_same_data_twice_adds_nothing(edition, la_ingest):
    store_ingest(la_ingest, edition="2024", partial=True)
    before = _counts()
    again = store_ingest(la_ingest, edition="2024", partial=True)
    assert again.status == "unchanged" and again.counts["unchanged"] == 4591 and again.counts["created"] == 0
    assert _counts() == before


@pytest.mark.django_db
def test_a_changed_value_updates_the_observation_and_history_keeps_the_old(edition, tmp_path):
    (tmp_path / "data").mkdir()
    csv = tmp_path / "data" / "indicator_11-2-1.csv"
    csv.write_text("Year,Gender,Value\n2019,,50\n2019,Female,48\n", encoding="utf-8")
    store_ingest(ingest.read(tmp_path), edition="2024")
    csv.write_text("Year,Gender,Value\n2019,,50\n2019,Female,47.5\n2020,,51\n", encoding="utf-8")
    res = store_ingest(ingest.read(tmp_path), edition="2024")
    assert (res.counts["created"], res.counts["updated"], res.counts["unchanged"]) == (1, 1, 1)
    obs = m.Observation.objects.get(period="2019", sex="F")
    assert obs.value == 47.5 and obs.import_run.code == res.code
    old = [h.value for h in obs.history.order_by("history_date")]
    assert old[0] == 48.0 and old[-1] == 47.5


@pytest.mark.django_db
def test_a_failure_inside_the_transaction_rolls_everything_back(edition, la_ingest, monkeypatch):
    def boom(frame):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_imports, "_insert", boom)
    with pytest.raises(RuntimeError):
        store_ingest(la_ingest, edition="2024", partial=True)
    assert _counts() == (0, 0, 0, 0)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_failed_import_leaves_the_sqlite_file_byte_identical(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("VLRKIT_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    db = tmp_path / "review.sqlite3"
    subprocess.run([*VLR, "init", "--db", str(db), "--entity", "la", "--edition", "2024", "--period", "2015-2023"],
                   check=True, env=env, cwd=tmp_path, capture_output=True)
    good = tmp_path / "good"
    (good / "data").mkdir(parents=True)
    shutil.copy(LA / "data" / "indicator_1-1-1.csv", good / "data")
    subprocess.run([*VLR, "import", str(good), "--db", str(db)], check=True, env=env, cwd=tmp_path, capture_output=True)
    before = _sha(db)
    for bad in (LA,):
        out = subprocess.run([*VLR, "import", str(bad), "--db", str(db)], env=env, cwd=tmp_path, capture_output=True, text=True)
        assert out.returncode == 2 and "nothing was imported" in out.stderr and "Traceback" not in out.stderr
        assert _sha(db) == before
    # and the same data again (idempotent) does not change the file either
    subprocess.run([*VLR, "import", str(good), "--db", str(db)], check=True, env=env, cwd=tmp_path, capture_output=True)
    assert _sha(db) == before
