"""Figure references in narratives (``{{ind:CODE:latest}}``): resolved at render time against the
assessment, never stale, never silently dropped (vlrkit.report.refs)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import replace

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit.report import build_report, i18n, refs
from vlrkit.report.i18n import fmt
from vlrkit.review import Narrative

CODE = "LJ-03-01"  # maternal mortality in the demo: data, a local target, an SDSN colour


@pytest.fixture(scope="module")
def assessed(demo):
    from vlrkit.assess import assess_review

    return assess_review(demo)


@pytest.fixture(scope="module")
def report_en(demo, assessed):
    return build_report(demo, "en", assessed)


def _one(text: str, source, lang: str = "en") -> str:
    done = refs.resolve(text, source, lang)
    assert done.problems == (), done.problems
    return done.text


def test_indicator_references_show_the_assessments_figures(demo, assessed, report_en):
    a = assessed.indicator(CODE)
    ind = next(i for i in demo.indicators if i.code == CODE)
    assert _one(f"{{{{ind:{CODE}:value}}}}", report_en) == fmt(a.latest_value, ind.decimals)
    assert _one(f"{{{{ind:{CODE}:latest}}}}", report_en) == f"{fmt(a.latest_value, ind.decimals)} {ind.unit}"
    assert _one(f"{{{{ind:{CODE}:year}}}}", report_en) == str(a.latest_year)
    assert _one(f"{{{{ind:{CODE}:score}}}}", report_en) == fmt(a.score, 1)
    assert _one(f"{{{{ind:{CODE}:colour}}}}", report_en) == i18n.STATUS_LABELS[a.colour]["en"]
    assert _one(f"{{{{ind:{CODE}:trend}}}}", report_en) == i18n.TREND_LABELS[a.trend]["en"]
    target = next(t for t in demo.targets if t.indicator == CODE and t.kind == "local")
    assert _one(f"{{{{ind:{CODE}:target}}}}", report_en) == f"{fmt(target.value, ind.decimals)} {ind.unit}"
    assert _one(f"{{{{ind:{CODE}:target_year}}}}", report_en) == str(target.year)
    progress = a.target("local")
    status = _one(f"{{{{ind:{CODE}:status}}}}", report_en)
    assert i18n.STATUS_LABELS[a.colour]["en"] in status
    assert i18n.STATUS_LABELS[progress.status]["en"] in status
    # the same words the report itself prints beside the indicator
    view = next(i for i in report_en.indicators() if i.code == CODE)
    assert status == view.status_label
    assert _one(f"{{{{ind:{CODE}:baseline}}}}", report_en) == f"{view.baseline.text} {ind.unit}"
    # codes are matched exactly, else ignoring case
    assert _one(f"{{{{ind:{CODE.lower()}:year}}}}", report_en) == str(a.latest_year)


def test_goal_and_index_references(assessed, report_en):
    g = assessed.goal(3)
    assert _one("{{goal:3:score}}", report_en) == fmt(g.score, 1)
    assert _one("{{goal:3:colour}}", report_en) == i18n.STATUS_LABELS[g.colour]["en"]
    assert _one("{{goal:3:Color}}", report_en) == _one("{{goal:3:colour}}", report_en)  # spelling, case
    assert _one("{{goal:3:trend}}", report_en) == i18n.TREND_LABELS[g.trend]["en"]
    assert _one("{{ goal : 3 : coverage }}", report_en) == f"{g.n_with_data} of {g.n_indicators} indicators with data"
    assert _one("{{goal:3:indicators}}", report_en) == str(g.n_indicators)
    assert _one("{{index:score}}", report_en) == fmt(assessed.index_score, 1)
    with_data = sum(1 for x in assessed.goals if x.n_with_data)
    assert _one("{{index:goals}}", report_en) == str(with_data)


def test_the_language_switches_words_not_numbers(assessed, report_en):
    text = "Goal 3: {{goal:3:score}}, {{goal:3:colour}}, {{goal:3:trend}}."
    en, zh = refs.resolve(text, report_en, "en").text, refs.resolve(text, report_en, "zh-Hans").text
    g = assessed.goal(3)
    assert i18n.STATUS_LABELS[g.colour]["zh-Hans"] in zh and i18n.STATUS_LABELS[g.colour]["en"] in en
    assert i18n.TREND_LABELS[g.trend]["zh-Hans"] in zh
    assert fmt(g.score, 1) in zh and fmt(g.score, 1) in en
    assert _one("{{goal:3:coverage}}", report_en, "zh-Hans") == f"{g.n_indicators} 项指标中 {g.n_with_data} 项有数据"


@pytest.mark.parametrize(("token", "reason", "subject"), [
    ("{{ind:NOPE-1:latest}}", "unknown_indicator", "NOPE-1"),
    (f"{{{{ind:{CODE}:colr}}}}", "unknown_field", "colr"),
    ("{{goal:18:score}}", "unknown_goal", "18"),
    ("{{goal:three:score}}", "unknown_goal", "three"),
    ("{{idx:3:score}}", "unknown_kind", "idx"),
    ("{{goal:3}}", "syntax", ""),
    ("{{hello}}", "syntax", ""),
])
def test_unresolvable_references_stay_visible_and_are_reported(report_en, token, reason, subject):
    done = refs.resolve(f"Before.\n\nThe figure is {token} here.", report_en, "en")
    assert done.text == f"Before.\n\nThe figure is ⟦?{token[2:-2].strip()}⟧ here."
    (problem,) = done.problems
    assert (problem.token, problem.reason, problem.subject, problem.line) == (token, reason, subject, 3)
    assert token in refs.describe(problem, "en") and token in refs.describe(problem, "zh-Hans")
    assert refs.describe(problem, "en") != refs.describe(problem, "zh-Hans")


def test_no_data_is_reported(sample):
    report = build_report(sample, "en")
    done = refs.resolve("ODA: {{ind:LJ-17-1:latest}}; {{ind:LJ-1-1:latest}}", report, "en")
    assert done.text == "ODA: ⟦?ind:LJ-17-1:latest⟧; 7.9 %"
    assert [p.reason for p in done.problems] == ["no_data"]


def test_code_spans_and_code_blocks_are_left_alone(report_en):
    text = ("Use `{{goal:3:score}}` or ``a ` {{goal:3:score}}`` to write one.\n\n"
            "```\n{{goal:3:score}}\n```\n\n    {{goal:3:score}}\n\nNow {{goal:3:score}}.\n")
    done = refs.resolve(text, report_en, "en")
    assert done.problems == ()
    assert done.text.count("{{goal:3:score}}") == 4
    assert done.text.endswith(f"Now {_one('{{goal:3:score}}', report_en)}.\n")


def test_a_backslash_writes_literal_braces(report_en):
    from vlrkit.report.markdown import to_html

    done = refs.resolve(r"Type \{{goal:3:score}} to get {{goal:3:score}}.", report_en, "en")
    assert done.problems == ()
    score = _one("{{goal:3:score}}", report_en)
    assert to_html(done.text) == f"<p>Type {{{{goal:3:score}}}} to get {score}.</p>\n"
    # an escaped backslash is not an escape of the braces
    assert refs.resolve(r"\\{{goal:3:score}}", report_en, "en").text == "\\\\" + score


def test_figures_cannot_inject_markdown(sample):
    # the unit a figure shows is its series' (the observations'): the injection is planted there
    odd = replace(sample, indicators=tuple(replace(i, unit="<b>*x*</b>") if i.code == "LJ-1-1" else i
                                           for i in sample.indicators),
                  observations=sample.observations.with_columns(
                      pl.when(pl.col("indicator") == "LJ-1-1").then(pl.lit("<b>*x*</b>"))
                      .otherwise(pl.col("unit")).alias("unit")))
    report = build_report(odd, "en")
    from vlrkit.report.markdown import to_html

    html = to_html(refs.resolve("{{ind:LJ-1-1:latest}}", report, "en").text)
    assert html == "<p>7.9 &lt;b&gt;*x*&lt;/b&gt;</p>\n"


def test_the_report_resolves_at_render_time_and_follows_the_data(sample):
    text = "Poverty fell to {{ind:LJ-1-1:latest}} in {{ind:LJ-1-1:year}}; see {{ind:XX-9:latest}}."
    review = replace(sample, narratives=(*sample.narratives, Narrative("GE-2", "en", text)))
    before = build_report(review, "en").section("GE-2")
    assert "Poverty fell to 7.9 % in 2024" in before.narrative_html
    assert "⟦?ind:XX-9:latest⟧" in before.narrative_html
    assert [(p.token, p.line) for p in before.unresolved] == [("{{ind:XX-9:latest}}", 1)]
    # a corrected observation: the same stored text now shows the new figure
    obs = review.observations.with_columns(
        pl.when((pl.col("indicator") == "LJ-1-1") & (pl.col("year") == 2024) & pl.col("SEX").is_null())
        .then(pl.lit(6.4)).otherwise(pl.col("value")).alias("value"))
    after = build_report(replace(review, observations=obs), "en")
    assert "Poverty fell to 6.4 % in 2024" in after.section("GE-2").narrative_html
    assert [(sid, p.reason) for sid, p in after.unresolved()] == [("GE-2", "unknown_indicator")]
    assert review.narrative("GE-2", "en") == text  # the review keeps the references
    # a narrative shown in the other language resolves in the reader's language too
    zh = build_report(review, "zh-Hans").section("GE-2")
    assert "7.9 %" in zh.narrative_html and zh.unresolved


def test_every_format_shows_the_resolved_figures(sample, tmp_path):
    """HTML site, PDF, DOCX and JSON all read the report model: figure resolved, mark kept."""
    from docx import Document

    from vlrkit.report import render

    text = {"en": "Poverty {{ind:LJ-1-1:latest}}; bad {{ind:XX:latest}}.",
            "zh-Hans": "贫困 {{ind:LJ-1-1:latest}}；错误 {{ind:XX:latest}}。"}
    review = replace(sample, narratives=(*sample.narratives,
                                         *(Narrative("GE-2", lang, t) for lang, t in text.items())))
    done = render(review, ["html", "pdf", "docx", "json"], ["en", "zh-Hans"], tmp_path, workers=1)
    for lang, expected in (("en", "Poverty 7.9 %; bad ⟦?ind:XX:latest⟧."), ("zh-Hans", "贫困 7.9 %；错误 ⟦?ind:XX:latest⟧。")):
        pdf = subprocess.run(["pdftotext", str(tmp_path / f"vlr-{lang}.pdf"), "-"], capture_output=True,
                             text=True, check=True).stdout
        assert expected in pdf
        docx = "\n".join(p.text for p in Document(str(tmp_path / f"vlr-{lang}.docx")).paragraphs)
        assert expected in docx
        assert expected in (tmp_path / f"vlr-{lang}.json").read_text(encoding="utf-8")
        site = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "html" / lang).rglob("*.html"))
        assert expected in site and "{{ind:LJ-1-1:latest}}" not in site
    assert [(r.lang, [(sid, p.token) for sid, p in r.unresolved()]) for r in done.reports] == [
        ("en", [("GE-2", "{{ind:XX:latest}}")]), ("zh-Hans", [("GE-2", "{{ind:XX:latest}}")])]


def test_the_completeness_check_reads_references_as_evidence(demo, assessed):
    """The check reads narratives as stored: a figure reference is the evidence a point that
    asks for data needs (GE-6.3, baselines) — and the report's figure is the check's."""
    from vlrkit.guide import check

    text = ("Each indicator is measured against its baseline, the value of the first year of the "
            "plan period, shown here for fine particles: {{ind:LJ-11-04:baseline}}.")
    no_data = replace(demo, indicators=(), observations=demo.observations.clear(),
                      narratives=(Narrative("GE-6", "en", text),))
    point = next(p for p in check(no_data, None).points if p.id == "GE-6.3")
    assert point.by == "narrative" and "figure reference" in point.evidence
    words_only = replace(no_data, narratives=(Narrative("GE-6", "en", text.split(":")[0] + "."),))
    assert not next(p for p in check(words_only, None).points if p.id == "GE-6.3").covered
    review = replace(demo, narratives=(Narrative("GE-1", "en", "Health: {{goal:3:colour}}."),))
    assert build_report(review, "en", assessed).completeness[0] == check(review, assessed).covered
    assert review.narratives[0].text == "Health: {{goal:3:colour}}."  # the review keeps the reference


def test_the_review_package_keeps_the_references(sample, tmp_path):
    from vlrkit.formats.package import package_files, read_package, write_package

    text = "Water: {{ind:LJ-6-1:latest}} \\{{literal}} `{{code}}`"
    review = replace(sample, narratives=(Narrative("GE-6", "en", text),))
    first = package_files(review)
    again = read_package(write_package(review, tmp_path / "p"))
    assert again.narrative("GE-6", "en") == text and package_files(again) == first


def test_choices_list_every_figure_with_its_current_value(report_en, assessed):
    found = {c.token: c for c in refs.choices(report_en, "en")}
    assert found["{{goal:3:score}}"].value == fmt(assessed.goal(3).score, 1)
    assert found[f"{{{{ind:{CODE}:year}}}}"].value == str(assessed.indicator(CODE).latest_year)
    assert found[f"{{{{ind:{CODE}:year}}}}"].goal == 3
    assert len([c for c in found.values() if c.indicator is None and c.goal == 3]) == len(refs.GOAL_FIELDS)
    for c in found.values():  # every offered token resolves to the value shown
        done = refs.resolve(c.token, report_en, "en")
        assert (done.text if not done.problems else None) == c.value


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_resolve_never_raises_and_leaves_plain_text_alone(report_en_hyp, text):
    done = refs.resolve(text, report_en_hyp, "en")
    if "{{" not in text:
        assert done.text == text and done.problems == ()
    assert len(done.problems) <= text.count("{{")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["{{", "}}", "`", "``", "\n", "\n\n", "    ", "```\n", "\\", ":", "goal",
                                 "ind", "3", "LJ-03-01", "score", "latest", " ", "x", "index", "\r"]),
                max_size=30).map("".join))
def test_resolve_on_reference_like_text(report_en_hyp, text):
    done = refs.resolve(text, report_en_hyp, "en")
    assert "{{" not in text or done.text is not None
    for p in done.problems:  # every problem is visible in the output
        assert f"⟦?{p.token[2:-2].strip()}⟧" in done.text


@pytest.fixture(scope="module")
def report_en_hyp(demo):
    from vlrkit.assess import assess_review

    return build_report(demo, "en", assess_review(demo))


def test_vlr_report_warns_about_unresolved_references(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "VLRKIT_DATABASE_URL"} | {"COLUMNS": "200"}
    vlr = [sys.executable, "-m", "vlrkit.cli.main"]
    made = subprocess.run([*vlr, "demo", "--db", "d.sqlite3"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(tmp_path / "d.sqlite3") as db:
        db.execute("UPDATE store_narrative SET text = ? WHERE section = 'GE-6'",
                   ("Goal 3 scores {{goal:3:score}}; {{ind:NOPE:latest}} is unknown.",))
    out = tmp_path / "out"
    result = subprocess.run([*vlr, "report", "--db", "d.sqlite3", "--format", "json", "--out", str(out)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "{{ind:NOPE:latest}}" in line]
    assert len(lines) == 2  # one per language
    assert any("GE-6 (en)" in line and "no indicator" in line and "没有指标" in line for line in lines)
    assert any("GE-6（zh-Hans）" in line for line in lines)
    model = (out / "vlr-en.json").read_text(encoding="utf-8")
    assert "⟦?ind:NOPE:latest⟧" in model and "{{goal:3:score}}" not in model
