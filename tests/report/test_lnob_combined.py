"""GE-5d across combined breakdowns: the report's tables are the assessment's
``lnob.intersections`` and ``lnob.within`` frames, row for row, in zh-Hans and en, and reach
the HTML site, the PDF, the DOCX and the JSON model."""

from __future__ import annotations

import json
import subprocess
from html import escape

import docx
import polars as pl
import pytest

from vlrkit.report import build_report
from vlrkit.report.i18n import fmt, label

SUFFIX = {"en": "en", "zh-Hans": "zh"}


@pytest.fixture(scope="module")
def assessed(demo):
    from vlrkit.assess import assess_review

    return assess_review(demo)


def _tables(report) -> dict:
    return {b.id: b for b in report.section("GE-5d").blocks if b.kind == "table"}


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_intersection_table_is_the_assessment_frame(demo, assessed, lang):
    frame = assessed.lnob.intersections
    assert frame.height >= 2  # the demo's sex × age and sex × district series
    table = _tables(build_report(demo, lang, assessed))["lnob-intersections"]
    assert len(table.rows) == frame.height
    names = {i.code: i.names[lang] for i in demo.indicators}
    s = SUFFIX[lang]
    for row, r in zip(table.rows, frame.iter_rows(named=True), strict=True):
        assert row[0] == names[r["indicator"]]
        assert row[2] == str(r["latest_year"])
        assert f"{fmt(r['latest_difference'])}" in row[3] and f"{fmt(r['latest_ratio'], 2)}" in row[3]
        assert row[4] == label("vs", lang, a=r[f"furthest_behind_{s}"], b=r[f"best_off_{s}"])
        assert label(r["trend"] if r["trend"] in ("widening", "narrowing") else "steady", lang) in row[3]


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_goal_table_sums_up_the_assessment_per_goal(demo, assessed, lang):
    """GE-5d's per-goal summary is the assessment's ``lnob.goals``: counts of gaps widening and
    narrowing, alone and within combined breakdowns, and the groups most often behind, named."""
    frame = assessed.lnob.goals.filter(
        (pl.col("n_indicators") + pl.col("within_gaps") + pl.col("intersections")) > 0).sort("goal")
    table = _tables(build_report(demo, lang, assessed))["lnob-goals"]
    assert len(table.rows) == frame.height > 0
    inter = {r["furthest_behind"]: r[f"furthest_behind_{SUFFIX[lang]}"]
             for r in assessed.lnob.intersections.iter_rows(named=True)}
    for row, r in zip(table.rows, frame.iter_rows(named=True), strict=True):
        assert row[0] == label("goal_n", lang, n=r["goal"])
        assert row[1] == str(r["n_indicators"])
        assert row[2] == label("widening_narrowing", lang, w=r["widening"], n=r["narrowing"])
        if r["within_gaps"]:
            assert row[3] == label("widening_narrowing", lang, w=r["within_widening"], n=r["within_narrowing"])
        for code in r["furthest_behind_intersections"] or ():
            assert inter[code] in row[4]
        assert ":" not in row[4]  # every group named, no raw DIM:code left
    with_combined = frame.filter(pl.col("intersections") > 0)
    assert with_combined.height > 0  # the demo's cross-classified series show up per goal


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_within_table_names_the_group_held_fixed(demo, assessed, lang):
    frame = assessed.lnob.within
    table = _tables(build_report(demo, lang, assessed))["lnob-within"]
    assert len(table.rows) == frame.height > 0
    s = SUFFIX[lang]
    for row, r in zip(table.rows, frame.iter_rows(named=True), strict=True):
        assert row[2] == r[f"context_{s}"] and row[2]
        assert row[3] == str(r["latest_year"])
        assert fmt(r["latest_difference"]) in row[4]
        if r["furthest_behind"] is None:  # no gap: nobody behind, no group named
            assert row[5] == "—" and r["latest_difference"] == 0
        else:
            assert row[5] == label("vs", lang, a=r[f"furthest_behind_{s}"], b=r[f"best_off_{s}"])


def test_the_furthest_behind_cell_is_the_assessments(demo, assessed):
    """The young men of the unemployment series, as the assessment finds them, in both languages."""
    r = assessed.lnob.intersections.filter(indicator="LJ-08-02").row(0, named=True)
    for lang, s in SUFFIX.items():
        row = next(x for x in _tables(build_report(demo, lang, assessed))["lnob-intersections"].rows
                   if x[0] == demo.indicator("LJ-08-02").names[lang])
        assert row[4].startswith(r[f"furthest_behind_{s}"])
    assert "×" in r["furthest_behind_zh"] and r["furthest_behind_zh"] != r["furthest_behind_en"]


def test_no_combined_tables_without_combined_breakdowns(sample):
    from vlrkit.assess import assess_review

    report = build_report(sample, "en", assess_review(sample))
    assert not {"lnob-intersections", "lnob-within"} & set(_tables(report))
    assert label("lnob_combined_text", "en") not in [getattr(b, "text", "") for b in report.section("GE-5d").blocks]


@pytest.mark.slow
def test_combined_tables_reach_every_format(demo_out):
    out = demo_out.out
    for report in demo_out.reports:
        lang = report.lang
        tables = _tables(report)
        inter, within = tables["lnob-intersections"], tables["lnob-within"]
        wanted = [inter.caption, within.caption, inter.rows[-1][4], within.rows[0][2]]
        # JSON: the model's blocks as they are
        data = json.loads((out / f"vlr-{lang}.json").read_text("utf-8"))
        blocks = [b for s in data["sections"] for sub in s["subsections"] if sub["id"] == "GE-5d"
                  for b in sub["blocks"]]
        assert [b["rows"] for b in blocks if b.get("id") == "lnob-intersections"] == [
            [list(row) for row in inter.rows]]
        # HTML site
        site = "".join(p.read_text("utf-8") for p in (out / "html" / lang).rglob("*.html"))
        for text in wanted:
            assert escape(text, quote=False) in site, text
        # DOCX
        doc = docx.Document(out / f"vlr-{lang}.docx")
        cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
        assert inter.rows[-1][4] in cells and within.rows[0][2] in cells
        assert any(p.text == inter.caption for p in doc.paragraphs) or inter.caption in cells
        # PDF (text flows across table cells: compare without white space)
        text = subprocess.run(["pdftotext", str(out / f"vlr-{lang}.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = "".join(text.split())
        for text_ in (inter.caption, within.caption):
            assert "".join(text_.split()) in flat, text_


def test_without_assessment_the_cells_latest_values_are_shown(demo):
    """No assessment: every cell of a combined breakdown is listed with its latest value, as the
    one-dimension groups are; none is dropped."""
    import polars as pl

    from vlrkit import tidy

    n = pl.sum_horizontal([pl.col(d).is_not_null().cast(pl.Int8) for d in tidy.DIMENSIONS])
    cells = demo.observations.filter(n == 2)
    latest = cells.filter(pl.col("year") == pl.col("year").max().over("indicator"))
    for lang in ("en", "zh-Hans"):
        report = build_report(demo, lang)
        assert set(_tables(report)) == {"lnob"}
        rows = [r for r in _tables(report)["lnob"].rows if " × " in r[1]]
        assert len(rows) == cells["indicator"].n_unique()
        for (code,), part in latest.group_by("indicator"):
            row = next(r for r in rows if r[0] == demo.indicator(code).names[lang])
            assert row[2] == str(part["year"][0])
            assert row[3].count("; ") == part.height - 1
            for value in part["value"]:
                assert f" {fmt(value)}" in row[3]
