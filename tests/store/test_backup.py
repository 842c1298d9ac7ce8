"""``vlr backup`` / ``vlr restore`` on the engine of this test run (SQLite, or PostgreSQL when
``VLRKIT_DATABASE_URL`` is set, as ``make test``'s second run does): a round trip gives the same
review, a backup taken while another process writes holds whole transactions only, and restore
refuses a mismatched schema, another engine and a database that holds data unless forced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest

VLR = str(Path(sys.executable).with_name("vlr"))
PG = os.environ.get("VLRKIT_DATABASE_URL", "")
ENGINE = "postgresql" if PG else "sqlite"

#: Writes, in one transaction each, a stakeholder, a contribution of theirs and the count so far:
#: in a consistent copy the three always agree.
WRITER = r"""
import os, sys
from datetime import date
from vlrkit.store import setup
setup(os.environ.get("VLRKIT_DB"))
from django.db import transaction
from vlrkit.store import models as m
ed = m.Edition.objects.get()
counter, _ = m.Narrative.objects.get_or_create(edition=ed, section="GE-1", lang="en", defaults={"text": "0"})
n = 0
open(sys.argv[1], "w").close()
while not os.path.exists(sys.argv[2]):
    n += 1
    with transaction.atomic():
        s = m.Stakeholder.objects.create(edition=ed, code=f"S{n}", names={"en": f"Group {n}"}, kind="youth")
        m.Contribution.objects.create(edition=ed, code=f"C{n}", stakeholder=s, date=date.today(), lang="en", text="x")
        m.Narrative.objects.filter(pk=counter.pk).update(text=str(n))
print(n)
"""
#: What a restored copy holds, and proof that it takes new rows (its id sequences were reset).
CHECK = r"""
import json, os
from datetime import date
from vlrkit.store import setup
setup(os.environ.get("VLRKIT_DB"), migrate=False)
from vlrkit.store import models as m
ed = m.Edition.objects.get()
out = {"stakeholders": m.Stakeholder.objects.count(), "contributions": m.Contribution.objects.count(),
       "counter": int(m.Narrative.objects.get(edition=ed, section="GE-1", lang="en").text)}
m.Stakeholder.objects.create(edition=ed, code="after-restore", names={}, kind="youth")
print(json.dumps(out))
"""


class Databases:
    """Fresh, empty databases of this run's engine, dropped afterwards."""

    def __init__(self, tmp: Path) -> None:
        self.tmp, self.made = tmp, []

    def new(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VLRKIT_"))}
        if not PG:
            env["VLRKIT_DB"] = str(self.tmp / f"db-{len(self.made)}.sqlite3")
            self.made.append(env["VLRKIT_DB"])
            return env
        import psycopg

        name = f"vlrbk_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        env["VLRKIT_DATABASE_URL"] = PG.rsplit("/", 1)[0] + "/" + name
        return env

    def drop(self) -> None:
        if not PG:
            return
        import psycopg

        with psycopg.connect(PG, autocommit=True) as conn:
            for name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def dbs(tmp_path):
    made = Databases(tmp_path)
    yield made
    made.drop()


def vlr(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``vlr`` on the database of ``env`` (``--db`` for SQLite; the URL in ``env`` otherwise)."""
    db = ["--db", env["VLRKIT_DB"]] if "VLRKIT_DB" in env else []
    return subprocess.run([VLR, *args, *db], env={**env, "COLUMNS": "200"}, cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def _python(env: dict[str, str], code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_round_trip_gives_the_same_review_and_refuses_to_overwrite(dbs, tmp_path):
    src, dst = dbs.new(), dbs.new()
    assert vlr(src, "demo", cwd=tmp_path).returncode == 0
    made = vlr(src, "backup", "--out", "b.vlrbackup", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(tmp_path / "b.vlrbackup") as z:
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["engine"] == ENGINE and ["web", "0004_entity_scope"] in manifest["migrations"]
    done = vlr(dst, "restore", "b.vlrbackup", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for env, out in ((src, "src.zip"), (dst, "dst.zip")):
        assert vlr(env, "export", "--out", out, cwd=tmp_path).returncode == 0
    assert (tmp_path / "src.zip").read_bytes() == (tmp_path / "dst.zip").read_bytes()
    again = vlr(dst, "restore", "b.vlrbackup", cwd=tmp_path)
    assert again.returncode == 2 and "holds data" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr
    assert vlr(dst, "restore", "b.vlrbackup", "--force", cwd=tmp_path).returncode == 0


def test_a_backup_taken_while_another_process_writes_is_consistent(dbs, tmp_path):
    src = dbs.new()
    assert vlr(src, "init", "--entity", "riverton", "--edition", "2025", "--period", "2015-2024",
               cwd=tmp_path).returncode == 0
    ready, stop = tmp_path / "ready", tmp_path / "stop"
    writer = _python(src, WRITER, str(ready), str(stop))
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline and writer.poll() is None:
            time.sleep(0.05)
        time.sleep(0.5)
        for name in ("b1.vlrbackup", "b2.vlrbackup"):
            made = vlr(src, "backup", "--out", name, cwd=tmp_path)
            assert made.returncode == 0, made.stderr
            time.sleep(0.3)
    finally:
        stop.touch()
        written = int(writer.communicate(timeout=60)[0].strip() or 0)
    seen = []
    for name in ("b1.vlrbackup", "b2.vlrbackup"):
        dst = dbs.new()
        assert vlr(dst, "restore", name, cwd=tmp_path).returncode == 0
        check = _python(dst, CHECK)
        out, err = check.communicate(timeout=120)
        assert check.returncode == 0, err
        got = json.loads(out)
        assert got["stakeholders"] == got["contributions"] == got["counter"], got  # whole transactions only
        seen.append(got["counter"])
    assert 0 < seen[0] < seen[1] < written  # both taken while the writer went on


def test_restore_refuses_another_schema_and_another_engine(dbs, tmp_path):
    src, dst = dbs.new(), dbs.new()
    assert vlr(src, "init", "--entity", "riverton", cwd=tmp_path).returncode == 0
    assert vlr(src, "backup", "--out", "b.vlrbackup", cwd=tmp_path).returncode == 0
    original = tmp_path / "b.vlrbackup"

    def tampered(name: str, change) -> str:
        with zipfile.ZipFile(original) as z:
            members = {i.filename: z.read(i.filename) for i in z.infolist()}
        manifest = json.loads(members["manifest.json"])
        change(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()
        with zipfile.ZipFile(tmp_path / name, "w") as z:
            for member, data in members.items():
                z.writestr(member, data)
        return name

    older = tampered("older.vlrbackup", lambda m: m["migrations"].remove(["web", "0004_entity_scope"]))
    refused = vlr(dst, "restore", older, cwd=tmp_path)
    assert refused.returncode == 2 and "web.0004_entity_scope" in refused.stderr and "schema" in refused.stderr
    newer = tampered("newer.vlrbackup", lambda m: m["migrations"].append(["store", "0999_future"]))
    refused = vlr(dst, "restore", newer, cwd=tmp_path)
    assert refused.returncode == 2 and "store.0999_future" in refused.stderr
    other = tampered("other.vlrbackup", lambda m: m.update(engine="sqlite" if PG else "postgresql"))
    refused = vlr(dst, "restore", other, cwd=tmp_path)
    assert refused.returncode == 2 and "the target is " + ENGINE in refused.stderr
    (tmp_path / "junk.vlrbackup").write_bytes(b"not a zip")
    junk = vlr(dst, "restore", "junk.vlrbackup", cwd=tmp_path)
    assert junk.returncode == 2 and "not a vlrkit backup" in junk.stderr and "Traceback" not in junk.stderr
    assert vlr(dst, "restore", "b.vlrbackup", cwd=tmp_path).returncode == 0  # the untouched one is fine


def _audit(env: dict[str, str], cwd: Path) -> list[dict]:
    got = vlr(env, "audit", "export", "--out", "-", "--format", "json", cwd=cwd)
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout)


def test_restore_over_a_database_with_audit_entries_logs_itself_and_the_chain_verifies(dbs, tmp_path):
    import hashlib

    src, dst = dbs.new(), dbs.new()
    for env, exports in ((src, 2), (dst, 1)):
        assert vlr(env, "init", "--entity", "riverton", "--edition", "2025", "--period", "2015-2024",
                   cwd=tmp_path).returncode == 0
        for n in range(exports):  # each export is an audit entry of its own database
            assert vlr(env, "audit", "export", "--out", f"a{n}.csv", cwd=tmp_path).returncode == 0
    backed = [(e["seq"], e["hash"]) for e in _audit(src, tmp_path)]
    replaced = json.loads(vlr(dst, "audit", "verify", "--json", cwd=tmp_path).stdout)
    assert len(backed) == 2 and replaced["head_seq"] == 1
    assert vlr(src, "backup", "--out", "b.vlrbackup", cwd=tmp_path).returncode == 0
    done = vlr(dst, "restore", "b.vlrbackup", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    check = vlr(dst, "audit", "verify", "--json", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["ok"] is True
    log = _audit(dst, tmp_path)
    # the backup's chain, then the restore: the replaced database's entries are gone, and the
    # restore entry says which file replaced which chain head, who and when
    assert [(e["seq"], e["hash"]) for e in log[:-1]] == backed
    entry = log[-1]
    assert entry["event"] == "backup.restore" and entry["seq"] == backed[-1][0] + 1
    assert entry["prev_hash"] == backed[-1][1] and entry["target"] == "b.vlrbackup"
    assert entry["actor"].startswith("local") and entry["at"]
    detail = entry["detail"]
    assert detail["sha256"] == hashlib.sha256((tmp_path / "b.vlrbackup").read_bytes()).hexdigest()
    assert detail["file"].endswith("b.vlrbackup") and detail["forced"] is True and detail["engine"] == ENGINE
    assert detail["replaced_head"] == {"seq": replaced["head_seq"], "hash": replaced["head_hash"]}
