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
    assert set(data) == {"covered", "total", "share", "declared_not_covered", "points", "missing", "gate"}
    assert data["total"] == 137 and data["covered"] == 137 - len(data["missing"])
    assert data["gate"] == {"open": True, "languages": ["zh-Hans", "en"], "blockers": []}
    human = vlr("check", "--db", str(demo_db), "--lang", "zh-Hans", cwd=demo_db.parent)
    assert "不让任何一个人掉队" in human.stdout


def test_report_writes_the_formats_asked_for(demo_db, tmp_path):
    out = tmp_path / "out"
    result = vlr("report", "--db", str(demo_db), "--format", "json,datapackage", "--lang", "en",
                 "--out", str(out), cwd=demo_db.parent)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["datapackage", "vlr-en.json"]
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


def test_check_lists_missing_points_with_title_and_guidance_and_blocks(monkeypatch):
    from typer.testing import CliRunner

    import vlrkit.cli.report as cli_report
    from vlrkit.cli.main import app
    from vlrkit.review import Edition, Entity, Narrative, Review

    text = "Our vision for 2035 is written into the five-year plan of every department of the city."
    bare = Review(entity=Entity("X", {"en": "X"}), edition=Edition("E", 2025, 2015, 2024, ("en",)),
                  narratives=(Narrative("GE-1", "en", text),))
    monkeypatch.setattr(cli_report, "_load", lambda db, edition, entity=None: bare)
    result = CliRunner().invoke(app, ["check", "--lang", "zh-Hans", "--points"])
    assert result.exit_code == 1, result.output  # empty sections block the publication
    assert "1/137" in result.output
    assert "GE-5d.2" in result.output and "识别最落后群体" in result.output
    assert "GE-1.1    " not in result.output.split("缺少的要点")[1]  # covered by "vision"…
    assert "five-year plan" in result.output  # …and the point list quotes what satisfied it
    assert "不能发布" in result.output and "GE-3 导言 在所有语言中都没有正文" in result.output


def test_check_exit_status_follows_the_blockers(monkeypatch):
    """`vlr check` exits 0 with nothing to block, 1 with a blocker of each kind, each named."""
    from dataclasses import replace

    from typer.testing import CliRunner

    import vlrkit.cli.report as cli_report
    from vlrkit.cli.main import app
    from vlrkit.demo import build_demo
    from vlrkit.review import Narrative

    demo = build_demo()
    monkeypatch.setattr(cli_report, "_load", lambda db, edition, entity=None: demo)
    assert CliRunner().invoke(app, ["check"]).exit_code == 0
    kept = tuple(n for n in demo.narratives if n.section not in ("GE-3", "GE-7"))
    kept = tuple(replace(n, text=n.text + " {{ind:NOPE:latest}}") if (n.section, n.lang) == ("GE-8", "en") else n
                 for n in kept)
    broken = replace(demo, narratives=(*kept, Narrative("GE-3", "en", "## Introduction"),
                                       Narrative("GE-3", "zh-Hans", "## 导言"),
                                       Narrative("GE-7", "en", demo.narrative("GE-7", "en"))))
    monkeypatch.setattr(cli_report, "_load", lambda db, edition, entity=None: broken)
    result = CliRunner().invoke(app, ["check", "--json"])
    assert result.exit_code == 1
    gate = json.loads(result.stdout)["gate"]
    kinds = {(b["kind"], b["section"], b["lang"]) for b in gate["blockers"]}
    assert kinds == {("no_substance", "GE-3", "en"), ("no_substance", "GE-3", "zh-Hans"),
                     ("untranslated", "GE-7", "zh-Hans"), ("unresolved", "GE-8", "en")}
