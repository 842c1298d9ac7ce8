"""``vlr check`` and ``vlr report`` against a demo database, end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

VLR = [sys.executable, "-m", "vlrkit.cli.main"]


def vlr(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VLRKIT_DATABASE_URL"}
    env["COLUMNS"] = "200"
    return subprocess.run([*VLR, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    result = vlr("demo", "--db", "demo.sqlite3", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "demo.sqlite3"


def test_check_json(demo_db):
    result = vlr("check", "--db", str(demo_db), "--json", cwd=demo_db.parent)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"covered", "total", "share", "missing"}
    assert data["total"] == 137 and data["covered"] == 137 - len(data["missing"])
    human = vlr("check", "--db", str(demo_db), "--lang", "zh-Hans", cwd=demo_db.parent)
    assert "不让任何一个人掉队" in human.stdout


def test_report_writes_the_formats_asked_for(demo_db, tmp_path):
    out = tmp_path / "out"
    result = vlr("report", "--db", str(demo_db), "--format", "json,datapackage", "--lang", "en",
                 "--out", str(out), cwd=demo_db.parent)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["datapackage", "vlr-en.json"]
    model = json.loads((out / "vlr-en.json").read_text(encoding="utf-8"))
    assert model["entity"] == "Lanjiang" and len(model["goals"]) == 17


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--format", "tex"], "unknown format tex"),
        (["report", "--lang", "fr"], "unknown language fr"),
        (["check", "--edition", "NOPE"], "NOPE"),
    ],
)
def test_user_errors_are_one_clean_line(demo_db, args, message):
    result = vlr(*args, "--db", str(demo_db), cwd=demo_db.parent)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_check_lists_missing_points_with_title_and_guidance(monkeypatch):
    from typer.testing import CliRunner

    import vlrkit.cli.report as cli_report
    from vlrkit.cli.main import app
    from vlrkit.review import Edition, Entity, Narrative, Review

    bare = Review(entity=Entity("X", {"en": "X"}), edition=Edition("E", 2025, 2015, 2024),
                  narratives=(Narrative("GE-1", "en", "Our vision."),))
    monkeypatch.setattr(cli_report, "_load", lambda db, edition, entity=None: bare)
    result = CliRunner().invoke(app, ["check", "--lang", "zh-Hans"])
    assert result.exit_code == 0, result.output
    assert "1/137" in result.output
    assert "GE-5d.2" in result.output and "识别最落后群体" in result.output
    assert "GE-1.1 " not in result.output  # covered by "vision"
