"""``vlr user add`` and ``vlr serve``'s argument checks, run as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

VLR = str(Path(sys.executable).with_name("vlr"))


def _vlr(*args: str, password: str | None = None, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VLRKIT_"))}
    if password is not None:
        env["VLRKIT_PASSWORD"] = password
    env["COLUMNS"] = "200"
    return subprocess.run([VLR, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_user_add(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    assert _vlr("init", "--db", db, cwd=tmp_path).returncode == 0
    weak = _vlr("user", "add", "ana", "--role", "editor", "--db", db, password="12345", cwd=tmp_path)
    assert weak.returncode == 2 and "too short" in weak.stderr and "Traceback" not in weak.stderr
    bad = _vlr("user", "add", "ana", "--role", "wizard", "--db", db, password="a-long-pass-phrase-1", cwd=tmp_path)
    assert bad.returncode == 2 and "未知角色" in bad.stderr
    ok = _vlr("user", "add", "ana", "--role", "data_provider", "--goal", "11", "--db", db,
              password="a-long-pass-phrase-1", cwd=tmp_path)
    assert ok.returncode == 0 and "created ana: data_provider" in ok.stdout
    again = _vlr("user", "add", "ana", "--role", "editor", "--db", db, cwd=tmp_path)
    assert again.returncode == 0 and "updated ana" in again.stdout


def test_serve_checks_arguments(tmp_path):
    missing = _vlr("serve", "--db", str(tmp_path / "none.sqlite3"), cwd=tmp_path)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    port = _vlr("serve", "--db", str(tmp_path / "none.sqlite3"), "--port", "70000", cwd=tmp_path)
    assert port.returncode == 2 and "--port 70000" in port.stderr
