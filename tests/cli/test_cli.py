"""The ``vlr`` command: help everywhere, clean errors (exit 2, no traceback), real round trips."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from vlrkit.cli.main import app

ROOT = Path(__file__).parents[2]
VLR = [sys.executable, "-m", "vlrkit.cli.main"]


def vlr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VLRKIT_DATABASE_URL"}
    env["COLUMNS"] = "200"
    return subprocess.run([*VLR, *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=300)


def vlr_in_process(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    """Run ``vlr`` in this process (fast); returns exit status, stdout, stderr."""
    from vlrkit.cli.main import run

    monkeypatch.setattr(sys, "argv", ["vlr", *args])
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("VLRKIT_DATABASE_URL", raising=False)
    code = 0
    try:
        run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def _commands(group, prefix=()):
    for name, cmd in sorted(getattr(group, "commands", {}).items()):
        path = (*prefix, name)
        yield path
        yield from _commands(cmd, path)


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_the_spine_commands_exist():
    names = {" ".join(c) for c in COMMANDS}
    assert {"sdg show", "sdg stats", "init", "demo", "export", "import-package"} <= names


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_and_is_documented(command, capsys, monkeypatch):
    code, out, err = vlr_in_process(capsys, monkeypatch, *command, "--help")
    assert code == 0, err
    assert "Usage:" in out
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    name = " ".join(command)
    assert re.search(rf"`vlr {re.escape(name)}(?![\w-])", docs), f"docs/cli.md lacks vlr {name}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sdg", "show", "99.1"], "'99.1' is not an SDG target"),
        (["sdg", "show", "1.1", "--lang", "xx"], "unknown language 'xx'"),
        (["export", "--db", "missing.sqlite3", "--out", "x"], "missing.sqlite3 does not exist"),
        (["import-package", "nothing-here.zip", "--db", "x.sqlite3"], "does not exist"),
        (["init", "--db", "x.sqlite3", "--entity", "c", "--level", "town"], "--level must be one of"),
        (["init", "--db", "x.sqlite3", "--entity", "c", "--edition", "1", "--period", "soon"],
         "--period must look like"),
        (["no-such-command"], "No such command"),
    ],
)
def test_user_errors_are_one_clean_line(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = vlr_in_process(capsys, monkeypatch, *args)
    assert code == 2
    assert message in " ".join(err.split())
    assert "Traceback" not in err + out


def test_a_user_error_from_the_installed_command_has_no_traceback(tmp_path):
    """The real process: exit status 2 and one line, for an error raised deep in the core."""
    result = vlr("sdg", "show", "99.1", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: '99.1' is not an SDG target"


def test_sdg_stats_json_and_show_in_chinese(capsys, monkeypatch):
    stats = json.loads(vlr_in_process(capsys, monkeypatch, "sdg", "stats", "--json")[1])
    assert stats["languages"] == ["ar", "en", "es", "fr", "ru", "zh-Hans"]
    assert (stats["goals"], stats["targets"], stats["indicators"]) == (17, 169, 231)
    assert stats["missing_titles"] == 0 and stats["withdrawn"] == 5
    shown = vlr_in_process(capsys, monkeypatch, "sdg", "show", "11.2.1", "--lang", "zh", "--json")
    assert json.loads(shown[1])["title"].startswith("可便利使用公共交通的人口比例")


@pytest.mark.slow
def test_demo_export_import_export_on_the_command_line(tmp_path):
    demo = vlr("demo", "--db", "a.sqlite3", "--json", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    info = json.loads(demo.stdout)
    assert info["goals_covered"] == 17 and info["indicators"] >= 60
    assert vlr("export", "--db", "a.sqlite3", "--out", "one.zip", cwd=tmp_path).returncode == 0
    assert vlr("export", "--db", "a.sqlite3", "--out", "folder", cwd=tmp_path).returncode == 0
    again = vlr("import-package", "one.zip", "--db", "b.sqlite3", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    twice = vlr("import-package", "one.zip", "--db", "b.sqlite3", cwd=tmp_path)
    assert twice.returncode == 2 and "already in the database" in twice.stderr
    assert vlr("export", "--db", "b.sqlite3", "--out", "two.zip", cwd=tmp_path).returncode == 0
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    check = subprocess.run([str(Path(sys.executable).with_name("frictionless")), "validate",
                            "datapackage.json"], cwd=tmp_path / "folder", capture_output=True,
                           text=True, timeout=300)
    assert check.returncode == 0, check.stdout[-2000:]
    listing = vlr("editions", "--db", "b.sqlite3", "--json", cwd=tmp_path)
    assert json.loads(listing.stdout)[0]["entity"] == info["entity"]


def test_init_creates_entity_and_edition(tmp_path):
    result = vlr("init", "--db", "n.sqlite3", "--entity", "river", "--name-en", "River City",
                 "--name-zh", "河城", "--country", "CHN", "--edition", "2026", "--period",
                 "2015-2025", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listing = json.loads(vlr("editions", "--db", "n.sqlite3", "--json", cwd=tmp_path).stdout)
    assert listing == [{"code": "2026", "entity": "river", "year": 2026, "status": "draft"}]


def test_validate_fails_on_invalid_data_and_import_json_lists_every_problem(tmp_path):
    """A publisher's CI can gate on `vlr validate`; a successful import still says what it skipped."""
    repo = ROOT / "tests" / "data" / "opensdg" / "rwanda"
    bad = vlr("validate", str(repo), "--json")
    assert bad.returncode == 1 and json.loads(bad.stdout)["valid"] is False
    db = tmp_path / "rw.sqlite3"
    assert vlr("init", "--db", str(db), "--entity", "RW", "--name-en", "Rwanda", "--level", "region",
               "--edition", "2025", "--period", "2015-2024").returncode == 0
    done = vlr("import", str(repo), "--db", str(db), "--partial", "--json", "--rejects", str(tmp_path / "r.csv"))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    kinds = {p["type"] for p in out["report"]["problems"]}
    assert {"unknown-series", "ignored-file"} <= kinds  # errors set aside and the file no input reads
    assert out["created"] == out["observations"] > 2000
