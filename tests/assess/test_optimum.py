"""Optimum rules (METHODS §1): target, leave no one behind, science-based, top 5 — named in the
spec's ``optimum`` column or a local indicator's metadata, recorded in every explanation."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import polars as pl
import pytest

from vlrkit.assess import TableInputError, assess_review, assess_table, sdsn
from vlrkit.assess.table import read_spec

HEAD = ["indicator", "goal", "direction", "best", "worst", "green", "red", "target", "target_year"]


def write(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def panel(values: dict[str, list[float]]) -> pl.DataFrame:
    rows = [(f"e{i}", code, 2020, v) for code, vs in values.items() for i, v in enumerate(vs)]
    return pl.DataFrame(rows, schema=["entity", "indicator", "year", "value"], orient="row")


def spec(rows: list[dict]) -> pl.DataFrame:
    base = {"goal": 1, "direction": "higher", "best": None, "worst": None, "green": None, "red": None,
            "target": None, "optimum": None}
    return pl.DataFrame([base | r for r in rows], schema_overrides={
        "best": pl.Float64, "worst": pl.Float64, "green": pl.Float64, "red": pl.Float64, "target": pl.Float64,
        "optimum": pl.String})


VALUES = [float(v) for v in range(10, 90, 4)]  # 20 peers, 10…86: the top 5 average 78


def bounds(rows: list[dict]) -> dict[str, dict]:
    data = panel({r["indicator"]: VALUES for r in rows})
    return {r["indicator"]: r for r in sdsn.assess(data, spec(rows)).bounds.iter_rows(named=True)}


def test_each_rule_sets_the_optimum():
    b = bounds([
        {"indicator": "access", "optimum": "lnob"},
        {"indicator": "deprived", "direction": "lower", "optimum": "lnob"},
        {"indicator": "tgt", "target": 95.0, "optimum": "target"},
        {"indicator": "top", "target": 95.0, "optimum": "top5"},
        {"indicator": "sci", "best": 350.0, "optimum": "science"},
        {"indicator": "legacy", "target": 95.0},
        {"indicator": "peers"},
    ])
    assert (b["access"]["best"], b["access"]["optimum"], b["access"]["best_source"]) == (100.0, "lnob", "lnob")
    assert (b["deprived"]["best"], b["deprived"]["optimum"]) == (0.0, "lnob")
    assert (b["tgt"]["best"], b["tgt"]["optimum"], b["tgt"]["best_source"]) == (95.0, "target", "target")
    # top5 named: the peers' top 5 even though a target exists (without the rule the target wins)
    assert b["top"]["best"] == pytest.approx(sum(VALUES[-5:]) / 5) and b["top"]["optimum"] == "top5"
    assert (b["sci"]["best"], b["sci"]["optimum"], b["sci"]["best_source"]) == (350.0, "science", "metadata")
    assert (b["legacy"]["best"], b["legacy"]["optimum"]) == (95.0, "target")
    assert b["peers"]["optimum"] == "top5" and b["peers"]["best_source"] == "peers"


def test_lnob_gives_an_optimum_without_peers():
    one = panel({"x": [40.0]})
    s = spec([{"indicator": "x", "direction": "lower", "optimum": "lnob", "worst": 80.0, "green": 10.0, "red": 30.0}])
    res = sdsn.assess(one, s)
    row = res.indicators.row(0, named=True)
    assert row["score"] == pytest.approx(100 * (40 - 80) / (0 - 80))
    e = res.explain("e0", "x")
    assert e.bounds["optimum"] == "lnob" and "leave no one behind" in e.rule


def test_a_rule_without_what_it_needs_gives_no_optimum():
    b = bounds([{"indicator": "t", "optimum": "target"}, {"indicator": "s", "optimum": "science"}])
    assert b["t"]["best"] is None and b["t"]["optimum"] == "none" and b["t"]["best_source"] == "none"
    assert b["s"]["best"] is None and b["s"]["optimum"] == "none"


def test_unknown_rule_is_a_programmer_error():
    with pytest.raises(ValueError, match="unknown optimum rule"):
        bounds([{"indicator": "x", "optimum": "median"}])


def test_spec_without_the_column_gives_identical_files(tmp_path):
    obs = [["entity", "indicator", "year", "value"]]
    for e in range(8):
        for y in (2015, 2020):
            obs.append([f"c{e}", "pov", y, 30 - 3 * e - (y - 2015) * 0.4])
            obs.append([f"c{e}", "emp", y, 50 + 4 * e + (y - 2015)])
    o = write(tmp_path / "obs.csv", obs)
    rows = [["pov", "1", "lower", "0", "40", "5", "20", "2", "2030"], ["emp", "8", "higher", "", "", "", "", "", ""]]
    old = write(tmp_path / "old.csv", [HEAD, *rows])
    new = write(tmp_path / "new.csv", [[*HEAD, "optimum"], *[[*r, ""] for r in rows]])
    assess_table(o, old, tmp_path / "a")
    assess_table(o, new, tmp_path / "b")
    for name in ("indicator_scores.csv", "goal_scores.csv", "index.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert read_spec(old)["optimum"].null_count() == 2


def test_a_number_is_a_science_based_optimum(tmp_path):
    s = read_spec(write(tmp_path / "s.csv", [[*HEAD, "optimum"], ["co2", "13", "lower", "", "", "", "", "", "", "0.5"]]))
    row = s.row(0, named=True)
    assert (row["best"], row["optimum"]) == (0.5, "science")


@pytest.mark.parametrize(("cells", "why"), [
    (["x", "1", "higher", "", "", "", "", "", "", "median"], "optimum must be"),
    (["x", "1", "higher", "", "", "", "", "", "", "target"], "needs a target value"),
    (["x", "1", "higher", "90", "", "", "", "95", "", "target"], "is not the target"),
    (["x", "1", "higher", "90", "", "", "", "", "", "lnob"], "best = 100"),
    (["x", "1", "lower", "5", "", "", "", "", "", "lnob"], "best = 0"),
    (["x", "1", "higher", "90", "", "", "", "", "", "top5"], "leave best empty"),
    (["x", "1", "higher", "", "", "", "", "", "", "science"], "needs the value"),
    (["x", "1", "higher", "3", "", "", "", "", "", "4"], "contradicts best"),
])
def test_bad_optimum_cells_are_named(tmp_path, cells, why):
    with pytest.raises(TableInputError) as err:
        read_spec(write(tmp_path / "s.csv", [[*HEAD, "optimum"], cells]))
    (p,) = err.value.problems
    assert (p.row, p.column) == (1, "optimum") and why in p.en and p.zh


def test_lnob_needs_percentages(tmp_path):
    s = write(tmp_path / "s.csv", [[*HEAD, "optimum"], ["w", "6", "higher", "", "", "", "", "", "", "lnob"]])
    o = write(tmp_path / "o.csv", [["entity", "indicator", "year", "value"], ["a", "w", "2020", "99"],
                                   ["b", "w", "2020", "130"]])
    with pytest.raises(TableInputError) as err:
        assess_table(o, s, tmp_path / "out")
    (p,) = err.value.problems
    assert (p.file, p.row, p.column) == ("o.csv", 2, "value") and "percentage" in p.en and "百分比" in p.zh


def test_a_review_indicator_names_its_rule_in_metadata(small_review):
    inds = tuple(dataclasses.replace(i, extra={**i.extra, "optimum": "lnob"}) if i.code == "T-1" else i
                 for i in small_review.indicators)
    a = assess_review(dataclasses.replace(small_review, indicators=inds))
    t1 = a.indicator("T-1")
    assert t1.optimum == "lnob" and "leave no one behind" in t1.rule
    assert assess_review(small_review).indicator("T-1").optimum == "metadata"  # thresholds give it, no rule


def test_a_rule_not_understood_is_said_not_dropped(small_review):
    inds = tuple(dataclasses.replace(i, extra={**i.extra, "optimum": "best in class"}) if i.code == "T-1" else i
                 for i in small_review.indicators)
    t1 = assess_review(dataclasses.replace(small_review, indicators=inds)).indicator("T-1")
    assert t1.optimum == "metadata" and "'best in class' not understood" in t1.rule and "无法识别" in t1.rule
