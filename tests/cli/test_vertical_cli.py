"""``vlr import-national`` then ``vlr vertical``: the demo city beside Rwanda's national Open SDG
data stored as a second entity of level national (the real corpus' smallest national repository)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.cli.test_cli import vlr

RWANDA = Path(__file__).resolve().parents[1] / "data" / "opensdg" / "rwanda"


def test_import_national_then_vertical_table_for_the_vnr_team(tmp_path):
    assert vlr("demo", "--db", "d.sqlite3", cwd=tmp_path).returncode == 0
    r = vlr("import-national", str(RWANDA), "--db", "d.sqlite3", "--code", "rwa", "--name-en", "Rwanda",
            "--country", "RWA", "--ref-area", "646", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = vlr("vertical", "rwa", "--db", "d.sqlite3", "--json", "--csv", "vnr.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["national"] == "rwa" and out["local"] != "rwa"  # the national entity is never the local one
    assert out["counts"]["pairs"] > 0
    assert any("RWA" in w and "CHN" in w for w in out["warnings"])  # a Chinese city beside Rwanda is flagged
    with (tmp_path / "vnr.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == out["counts"]["pairs"] + out["counts"]["left_out"]
    assert all(r["reason"] for r in rows if r["left_out"])
    paired = [r for r in rows if not r["left_out"]]
    assert all(r["unit"] and r["national_value"] and r["local_value"] for r in paired)
    r = vlr("report", "--db", "d.sqlite3", "--format", "json", "--lang", "zh-Hans", "--national", "rwa",
            "--out", "rep", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    report = (tmp_path / "rep" / "vlr-zh-Hans.json").read_text(encoding="utf-8")
    assert "vertical-coherence" in report and "地方与国家数值对照" in report
    r = vlr("vertical", "nowhere", "--db", "d.sqlite3", cwd=tmp_path)
    assert r.returncode == 2 and "neither a national entity" in r.stderr and "Traceback" not in r.stderr
    # the same country from its SDMX file in the SDG data structure: refused without the
    # country's area (the file holds 36), then stored and compared
    sdmx = RWANDA / "sdmx-data" / "2025_RWA-SDG_Data.xml"
    r = vlr("import-national", str(sdmx), "--db", "d.sqlite3", "--code", "rwa-sdmx", cwd=tmp_path)
    assert r.returncode == 2 and "36 areas in REF_AREA" in r.stderr and "Traceback" not in r.stderr
    r = vlr("import-national", str(sdmx), "--db", "d.sqlite3", "--code", "rwa-sdmx", "--country", "RWA",
            "--area", "RW", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = vlr("vertical", "rwa-sdmx", "--db", "d.sqlite3", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["counts"]["pairs"] > 10
    # and "how we compare" beside a peer (Rwanda's Open SDG repository read as a review)
    r = vlr("report", "--db", "d.sqlite3", "--format", "json", "--lang", "en", "--peer", str(RWANDA),
            "--out", "peers", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    report = (tmp_path / "peers" / "vlr-en.json").read_text(encoding="utf-8")
    assert "peer-comparison" in report and "How we compare" in report and "Not compared" in report
