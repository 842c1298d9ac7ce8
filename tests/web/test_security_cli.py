"""``vlr user reset-link``, ``vlr user reset-2fa``, ``vlr audit verify`` and ``vlr audit export``
as a separate process on a real database file, as an administrator runs them."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

VLR = str(Path(sys.executable).with_name("vlr"))


def _env(**extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VLRKIT_DATABASE_URL"))}
    return {**env, **extra}  # always the SQLite file given by --db


def _vlr(*args: str, db: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([VLR, *args, "--db", str(db)], capture_output=True, text=True, env=_env(**extra),
                          timeout=120)


def test_recovery_and_audit_commands(tmp_path):
    db = tmp_path / "v.sqlite3"
    env_password = "a-long-pass-phrase-for-ana-1"
    assert _vlr("init", db=db).returncode == 0
    made = _vlr("user", "add", "ana", "--role", "coordinator", db=db, VLRKIT_PASSWORD=env_password)
    assert made.returncode == 0, made.stderr
    link = _vlr("user", "reset-link", "ana", "--base-url", "https://vlr.example.gov", db=db)
    assert link.returncode == 0, link.stderr
    assert re.fullmatch(r"https://vlr\.example\.gov/accounts/reset/[\w-]{43}/\n", link.stdout)
    assert _vlr("user", "reset-2fa", "ana", db=db).returncode == 0
    assert _vlr("user", "reset-link", "nobody", db=db).returncode == 2
    ok = _vlr("audit", "verify", "--json", db=db)
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    out = tmp_path / "audit.json"
    assert _vlr("audit", "export", "--out", str(out), "--format", "json", db=db).returncode == 0
    events = [e["event"] for e in json.loads(out.read_text())]
    assert events[:2] == ["user.created", "membership.granted"]
    assert "password.reset_link_issued" in events and "otp.reset_by_admin" in events
    assert all(e["actor"].startswith("local") for e in json.loads(out.read_text()))
    with sqlite3.connect(db) as con:  # tamper as the database's owner would
        con.execute("DROP TRIGGER vlr_security_auditentry_no_update")
        con.execute("UPDATE vlr_security_auditentry SET target = 'bob' WHERE seq = 1")
    broken = _vlr("audit", "verify", db=db)
    assert broken.returncode == 1 and "entry 1" in broken.stdout
