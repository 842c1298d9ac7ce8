"""``vlr diff``: the demo's 2025 edition against an earlier one imported as a review package."""

from __future__ import annotations

import json
from dataclasses import replace

import polars as pl
from tests.cli.test_cli import vlr

from vlrkit.demo import build_demo
from vlrkit.formats.package import write_package


def test_diff_between_two_editions_on_the_command_line(tmp_path):
    new = build_demo()
    old = replace(new, edition=replace(new.edition, code="LJ-VLR-2021", year=2021),
                  observations=new.observations.filter(pl.col("year") <= 2020),
                  actions=tuple(replace(a, status="planned") for a in new.actions))
    write_package(old, tmp_path / "old.zip")
    assert vlr("demo", "--db", "d.sqlite3", cwd=tmp_path).returncode == 0
    r = vlr("import-package", "old.zip", "--db", "d.sqlite3", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = vlr("diff", "--db", "d.sqlite3", "--edition", new.edition.code, cwd=tmp_path)
    assert r.returncode == 2 and "--against" in r.stderr  # the demo names no previous edition
    r = vlr("diff", "--db", "d.sqlite3", "--edition", new.edition.code, "--against", "LJ-VLR-2021",
            "--entity", new.entity.code, "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["old"] == "LJ-VLR-2021" and out["new"] == new.edition.code and out["same_method"]
    assert out["counts"].get("status", 0) > 0 and out["counts"].get("colour", 0) > 0
    changed = {a.code for a in new.actions if a.status != "planned"}
    assert {c["subject"] for c in out["changes"] if c["kind"] == "action"} == changed
    assert len(out["actions"]) == len(new.actions)
    r = vlr("report", "--db", "d.sqlite3", "--edition", new.edition.code, "--entity", new.entity.code,
            "--format", "json", "--lang", "en", "--since", "LJ-VLR-2021", "--out", "rep", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    report = (tmp_path / "rep" / "vlr-en.json").read_text(encoding="utf-8")
    assert "changes-since-last" in report and "follow-up-outcomes" in report
