"""``vlr assess-table`` and ``vlr assess``: files in, files out, clean bilingual errors."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from vlrkit.assess import TableInputError, assess_table

VLR = [sys.executable, "-m", "vlrkit.cli.main"]


def vlr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VLRKIT_DATABASE_URL"}
    env["COLUMNS"] = "200"
    return subprocess.run([*VLR, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def write(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


SPEC = [["indicator", "goal", "direction", "best", "worst", "green", "red", "target", "target_year"],
        ["pov", "1", "lower", "0", "40", "5", "20", "2", "2030"],
        ["emp", "8", "higher", "", "", "", "", "", ""]]


def observations(tmp: Path) -> Path:
    rows = [["entity", "indicator", "year", "value", "sex"]]
    for e in range(8):
        for y in (2015, 2020):
            rows.append([f"city{e}", "pov", y, 30 - e * 3 - (y - 2015) * 0.5, ""])
            rows.append([f"city{e}", "emp", y, 50 + e * 4 + (y - 2015), ""])
            rows.append([f"city{e}", "emp", y, 45 + e * 4, "F"])
            rows.append([f"city{e}", "emp", y, 55 + e * 4 + (y - 2015) * 2, "M"])
    return write(tmp / "obs.csv", rows)


def test_assess_table_writes_the_three_files(tmp_path):
    out = tmp_path / "out"
    written = assess_table(observations(tmp_path), write(tmp_path / "spec.csv", SPEC), out)
    assert written["indicator_scores.csv"] == 16 and written["goal_scores.csv"] == 16 and written["index.csv"] == 8
    ind = pl.read_csv(out / "indicator_scores.csv")
    assert ind.columns == ["entity", "indicator", "year", "value", "score", "colour", "trend"]
    assert set(ind["colour"]) <= {"green", "yellow", "orange", "red", "grey"}
    assert set(ind["trend"]) <= {"on_track", "moderately_improving", "stagnating", "decreasing", "insufficient_data"}
    pov0 = ind.filter((pl.col("entity") == "city0") & (pl.col("indicator") == "pov")).row(0, named=True)
    assert pov0["score"] == pytest.approx(100 * (27.5 - 40) / (0 - 40))
    goals = pl.read_csv(out / "goal_scores.csv")
    assert goals.columns == ["entity", "goal", "score", "colour", "trend"]
    index = pl.read_csv(out / "index.csv")
    assert index.columns == ["entity", "score", "rank"] and sorted(index["rank"].to_list()) == list(range(1, 9))
    lnob = pl.read_csv(out / "lnob.csv")
    assert set(lnob["furthest_behind"]) == {"F"} and set(lnob["trend"]) == {"widening"}
    assert lnob.filter(pl.col("entity") == "city0")["values"].item() == "M=65.0;F=45.0"


def test_assess_table_progress_method(tmp_path):
    out = tmp_path / "out"
    assess_table(observations(tmp_path), write(tmp_path / "spec.csv", SPEC), out, method="unsd")
    prog = pl.read_csv(out / "progress.csv")
    assert set(prog.filter(pl.col("indicator") == "emp")["status"]) == {"no_target"}
    assert prog.filter(pl.col("indicator") == "pov")["status"].n_unique() >= 1


def test_bad_cells_are_all_reported_with_row_and_column(tmp_path):
    spec = write(tmp_path / "spec.csv", SPEC[:2] + [["emp", "18", "up", "x", "", "", "", "", "20x"]])
    with pytest.raises(TableInputError) as err:
        assess_table(observations(tmp_path), spec, tmp_path / "out")
    where = {(p.file, p.row, p.column) for p in err.value.problems}
    assert where == {("spec.csv", 2, "goal"), ("spec.csv", 2, "direction"), ("spec.csv", 2, "best"),
                     ("spec.csv", 2, "target_year")}
    assert "目标须为" in str(err.value) and "goal must be 1–17" in str(err.value)


def test_bad_observations(tmp_path):
    obs = write(tmp_path / "obs.csv", [["entity", "indicator", "year", "value"], ["a", "pov", "2015", "1"],
                                        ["a", "pov", "2015", "2"], ["a", "zzz", "20x5", "n/a"]])
    with pytest.raises(TableInputError) as err:
        assess_table(obs, write(tmp_path / "spec.csv", SPEC), tmp_path / "out")
    where = {(p.row, p.column) for p in err.value.problems}
    assert where == {(2, "year"), (3, "indicator"), (3, "year"), (3, "value")}


def test_cli_assess_table(tmp_path):
    r = vlr("assess-table", "--observations", str(observations(tmp_path)), "--indicators",
            str(write(tmp_path / "spec.csv", SPEC)), "--method", "sdsn", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "index.csv").exists() and "index.csv: 8 rows" in r.stdout


def test_cli_assess_table_error_is_one_clean_message(tmp_path):
    spec = write(tmp_path / "spec.csv", [["indicator", "goal"], ["x", "1"]])
    r = vlr("assess-table", "--observations", str(observations(tmp_path)), "--indicators", str(spec),
            "--out", str(tmp_path / "out"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "column direction" in r.stderr and "缺少必需的列" in r.stderr


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("assess") / "demo.sqlite3"
    r = vlr("demo", "--db", str(db))
    assert r.returncode == 0, r.stderr
    return db


def test_cli_assess_goal_table_json_and_csv(demo_db, tmp_path):
    r = vlr("assess", "--db", str(demo_db))
    assert r.returncode == 0, r.stderr
    assert "Index" in r.stdout and "17" in r.stdout
    assert "Progress (local target)" in r.stdout and "Progress (national target)" in r.stdout
    zh = vlr("assess", "--db", str(demo_db), "--lang", "zh", "--method", "statcan", "--indicators")
    assert zh.returncode == 0 and "进展（国家目标）" in zh.stdout and "地方目标" in zh.stdout
    j = vlr("assess", "--db", str(demo_db), "--json", "--method", "escap", "--csv", str(tmp_path / "i.csv"))
    data = json.loads(j.stdout)
    assert data["method"] == "escap" and len(data["goals"]) == 17
    assert pl.read_csv(tmp_path / "i.csv").height == len(data["indicators"])


def test_cli_assess_errors(demo_db, tmp_path):
    r = vlr("assess", "--db", str(demo_db), "--method", "magic")
    assert r.returncode == 2 and "unknown method" in r.stderr and "未知方法" in r.stderr
    r = vlr("assess", "--db", str(demo_db), "--edition", "nope")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = vlr("assess", "--db", str(tmp_path / "missing.sqlite3"))
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_cli_assess_by_a_method_edition(demo_db, tmp_path):
    """``vlr assess --method sdsn --method-edition us-cities-2019``: the edition's rules, named in
    the JSON and the table's title; an unknown edition is a clean bilingual error."""
    j = json.loads(vlr("assess", "--db", str(demo_db), "--json", "--method", "sdsn", "--method-edition",
                       "us-cities-2019").stdout)
    base = json.loads(vlr("assess", "--db", str(demo_db), "--json").stdout)
    assert j["method_edition"] == "us-cities-2019" and base["method_edition"] == "vlrkit"
    # the city edition colours a goal with any data: no goal with data is grey under it
    assert all(g["colour"] != "grey" for g in j["goals"] if g["n_with_data"])
    r = vlr("assess", "--db", str(demo_db), "--method-edition", "sdr-2026")
    assert r.returncode == 0 and "SDSN Sustainable Development Report 2026" in r.stdout
    r = vlr("assess", "--db", str(demo_db), "--method-edition", "us-cities-2099")
    assert r.returncode == 2 and "unknown method edition" in r.stderr and "未知方法版本" in r.stderr
    assert "Traceback" not in r.stderr


def test_cli_assess_table_by_a_method_edition(tmp_path):
    out = tmp_path / "out"
    spec = write(tmp_path / "spec.csv", [[*SPEC[0], "yellow"], [*SPEC[1], "12"], [*SPEC[2], ""]])
    r = vlr("assess-table", "--observations", str(observations(tmp_path)), "--indicators", str(spec),
            "--method-edition", "us-cities-2019", "--out", str(out))
    assert r.returncode == 0, r.stderr
    ind = pl.read_csv(out / "indicator_scores.csv")
    # pov (lower is better, best 0, worst 40, green 5, yellow 12, red 20): city0's 27.5 is red; city5's
    # 12.5, between the yellow 12 and the red 20, orange — the midpoint (5 + 20)/2 = 12.5 makes it yellow
    cities = dict(ind.filter(pl.col("indicator") == "pov").select("entity", "colour").iter_rows())
    assert (cities["city0"], cities["city5"], cities["city6"]) == ("red", "orange", "yellow")
    assess_table(observations(tmp_path), spec, tmp_path / "v")
    midpoint = pl.read_csv(tmp_path / "v" / "indicator_scores.csv")
    assert midpoint.filter((pl.col("indicator") == "pov") & (pl.col("entity") == "city5"))["colour"][0] == "yellow"
    r = vlr("assess-table", "--observations", str(observations(tmp_path)), "--indicators", str(spec),
            "--method", "opensdg", "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    prog = pl.read_csv(tmp_path / "o" / "progress.csv")
    assert {"score", "progress_value", "coefficient"} <= set(prog.columns)
    assert set(prog["status"]) <= {"target_achieved", "substantial_progress", "moderate_progress",
                                   "limited_progress", "deterioration", "not_available"}


def test_cli_method_editions(tmp_path):
    r = vlr("method-editions")
    assert r.returncode == 0 and "us-cities-2019" in r.stdout and "opensdg-2.4" in r.stdout
    r = vlr("method-editions", "eu-cities-2019", "--json")
    data = json.loads(r.stdout)
    assert data["name"] == "eu-cities-2019" and data["goal_colour"]["rule"] == "two_worst"
    assert any(c["key"] == "goal_colour.rule" and c["basis"] == "inferred" for c in data["choices"])
    zh = vlr("method-editions", "vlrkit", "--lang", "zh-Hans")
    assert zh.returncode == 0 and "依据" in zh.stdout
    r = vlr("method-editions", "nope")
    assert r.returncode == 2 and "unknown method edition" in r.stderr
