"""The SDSN optimum rule in indicator metadata: read from Open SDG metadata, checked at import,
kept verbatim in ``extra`` through Open SDG and review-package round trips."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from pathlib import Path

import pytest

from vlrkit import ingest
from vlrkit.assess.review import optimum_rule
from vlrkit.formats.opensdg.writer import write_repository
from vlrkit.formats.package import PackageError, package_files, read_package, write_package

LA = Path(__file__).resolve().parents[1] / "data" / "la"
#: 1-2-1: unit Percentage (poverty rate); 3-2-1: Crude deaths per 100,000.
IDS = ("1-2-1", "3-2-1")


def _repo(tmp_path: Path, optimum: dict[str, str], more: dict[str, str] | None = None) -> Path:
    """A copy of two real LA indicators, with an ``optimum`` line (and the YAML lines ``more``)
    added to their metadata."""
    (tmp_path / "data").mkdir()
    (tmp_path / "meta").mkdir()
    for oid in IDS:
        shutil.copy(LA / "data" / f"indicator_{oid}.csv", tmp_path / "data")
        text = (LA / "meta" / f"{oid}.md").read_text(encoding="utf-8")
        assert text.startswith("---\n")
        if oid in (more or {}):
            text = f"---\n{more[oid]}\n" + text[4:]  # type: ignore[index]
        if oid in optimum:
            text = f"---\noptimum: {optimum[oid]}\n" + text[4:]
        (tmp_path / "meta" / f"{oid}.md").write_text(text, encoding="utf-8")
    return tmp_path


def test_usable_rules_are_read_into_the_indicator_and_understood(tmp_path):
    got = ingest.read(_repo(tmp_path, {"1-2-1": "lnob", "3-2-1": "12.5"}))
    assert not got.report.of_type("bad-optimum")
    inds = {i.code: i for i in got.indicators}
    assert inds["1.2.1"].extra["optimum"] == "lnob" and optimum_rule(inds["1.2.1"]) == ("lnob", None)
    assert optimum_rule(inds["3.2.1"]) == ("science", 12.5)


def test_unusable_rules_are_errors_naming_file_and_field(tmp_path):
    got = ingest.read(_repo(tmp_path, {"1-2-1": "120", "3-2-1": "lnob"}))
    found = {p.file: p for p in got.report.of_type("bad-optimum")}
    assert set(found) == {"meta/1-2-1.md", "meta/3-2-1.md"}
    assert all(p.severity == "error" and p.column == "optimum" for p in found.values())
    assert "0 … 100" in found["meta/1-2-1.md"].message["en"]
    assert "percentage" in found["meta/3-2-1.md"].message["en"]
    assert "百分比" in found["meta/3-2-1.md"].message["zh-Hans"]
    assert not got.report.valid  # an all-or-nothing import stops


def test_an_unknown_word_is_an_error(tmp_path):
    got = ingest.read(_repo(tmp_path, {"3-2-1": "best in class"}))
    [p] = got.report.of_type("bad-optimum")
    assert p.file == "meta/3-2-1.md" and "'best in class'" in p.message["en"]


def test_the_rule_survives_an_open_sdg_round_trip(tmp_path):
    (tmp_path / "a").mkdir()
    first = ingest.read(_repo(tmp_path / "a", {"1-2-1": "top5"}))
    out = tmp_path / "b"
    write_repository(out, first.indicators, first.observations, first.targets)
    again = ingest.read(out)
    assert {i.code: i.extra.get("optimum") for i in again.indicators} == {"1.2.1": "top5", "3.2.1": None}


@pytest.fixture
def demo_review():
    from vlrkit.demo import build_demo

    return build_demo()


def _with_optimum(review, code: str, value: str):
    inds = tuple(dataclasses.replace(i, extra={**i.extra, "optimum": value}) if i.code == code else i
                 for i in review.indicators)
    return dataclasses.replace(review, indicators=inds)


def test_the_review_package_round_trip_keeps_the_rule_byte_identical(demo_review, tmp_path):
    ind = next(i for i in demo_review.indicators if "%" in i.unit or "percent" in i.unit.lower())
    review = _with_optimum(demo_review, ind.code, "lnob")
    first = package_files(review)
    back = read_package(write_package(review, tmp_path / "p"))
    assert back.indicator(ind.code).extra["optimum"] == "lnob"
    assert package_files(back) == first


def test_a_package_with_an_unusable_rule_is_refused_with_row_and_column(demo_review, tmp_path):
    ind = next(i for i in demo_review.indicators if "%" in i.unit or "percent" in i.unit.lower())
    folder = write_package(_with_optimum(demo_review, ind.code, "250"), tmp_path / "p")
    with pytest.raises(PackageError) as err:
        read_package(folder)
    msg = str(err.value)
    rows = list(csv.DictReader(io.StringIO((folder / "data" / "indicators.csv").read_text(encoding="utf-8"))))
    row = 2 + next(n for n, r in enumerate(rows) if r["code"] == ind.code)  # header is row 1
    assert msg.startswith(f"data/indicators.csv, row {row}, ") and "column extra (optimum)" in msg
    assert "bad-optimum" in msg and "0 … 100" in msg and "合理范围" in msg


def test_a_key_value_csv_names_the_row_and_a_later_form_wins():
    from vlrkit.formats.sources import Member

    members = [
        Member("data/indicator_11-6-1.csv", b"Year,Units,Value\n2019,Percent,10\n2020,Percent,9\n"),
        Member("meta/11-6-1.md", b"---\noptimum: nonsense\ncomputation_units: Percent\n---\n"),
        Member("meta/11-6-1.csv", b"field,value\nnational_geographical_coverage,Lanjiang\noptimum,101\n"),
    ]
    got = ingest.read_members(members)
    [p] = got.report.of_type("bad-optimum")  # the .md value was overridden: only the CSV's is judged
    assert (p.file, p.row, p.column) == ("meta/11-6-1.csv", 2, "optimum")
    assert "'101'" in p.message["en"] and "0 … 100" in p.message["en"]


# --- the rule against the rest of the record ---------------------------------------------------

TARGET_LINE = "graph_target_lines:\n  - value: 5\n    year: 2030\n    label_content: Local target"
LOWER = "progress_calculation_options:\n  - direction: negative"


def test_open_sdg_target_rule_needs_a_target_line(tmp_path):
    got = ingest.read(_repo(tmp_path, {"1-2-1": "target", "3-2-1": "target"}, {"3-2-1": TARGET_LINE}))
    [p] = got.report.of_type("bad-optimum")  # 3-2-1 has its target line: only 1-2-1 is refused
    assert (p.file, p.row, p.column, p.severity) == ("meta/1-2-1.md", None, "optimum", "error")
    assert "'target' needs a local target" in p.message["en"] and "需要本地目标值" in p.message["zh-Hans"]
    assert not got.report.valid
    # nothing else is lost: the indicators, the target line and the rows are all still read
    assert {i.code for i in got.indicators} == {"1.2.1", "3.2.1"}
    assert [(t.indicator, t.kind, t.value, t.year) for t in got.targets] == [("3.2.1", "local", 5.0, 2030)]
    assert got.observations.height + got.rejected.height > 0


def test_open_sdg_rules_that_need_thresholds_are_left_to_the_review(tmp_path):
    # Open SDG metadata has no thresholds: 'science' may take its value from the review's
    # thresholds, so it is not refused here; lnob for a lower-is-better % indicator is fine
    got = ingest.read(_repo(tmp_path, {"1-2-1": "lnob", "3-2-1": "science"}, {"1-2-1": LOWER}))
    assert not got.report.of_type("bad-optimum")
    inds = {i.code: i for i in got.indicators}
    assert inds["1.2.1"].direction == "lower" and optimum_rule(inds["3.2.1"]) == ("science", None)


def test_open_sdg_key_value_csv_names_the_row_of_a_target_rule_without_a_target():
    from vlrkit.formats.sources import Member

    members = [
        Member("data/indicator_11-6-1.csv", b"Year,Units,Value\n2019,Percent,10\n2020,Percent,9\n"),
        Member("meta/11-6-1.csv", b"field,value\ncomputation_units,Percent\noptimum,target\n"),
    ]
    [p] = ingest.read_members(members).report.of_type("bad-optimum")
    assert (p.file, p.row, p.column) == ("meta/11-6-1.csv", 2, "optimum")  # data rows, as above
    assert "needs a local target" in p.message["en"]


def _record(review, code: str, optimum: str, *, target: float | None = None, best: float | None = None):
    """``review`` with indicator ``code`` given the rule ``optimum``, only the local target
    ``target`` (dated 2030) and thresholds with optimum ``best`` (None: none)."""
    from vlrkit.review import Target, Thresholds

    review = _with_optimum(review, code, optimum)
    targets = tuple(t for t in review.targets if t.indicator != code)
    if target is not None:
        targets += (Target(code, "local", target, 2030),)
    thresholds = tuple(t for t in review.thresholds if t.indicator != code)
    if best is not None:
        thresholds += (Thresholds(code, best, best - 50, best - 10, best - 30),)
    return dataclasses.replace(review, targets=targets, thresholds=thresholds)


def _row_of(folder: Path, code: str) -> int:
    rows = list(csv.DictReader(io.StringIO((folder / "data" / "indicators.csv").read_text(encoding="utf-8"))))
    return 2 + next(n for n, r in enumerate(rows) if r["code"] == code)  # header is row 1


@pytest.mark.parametrize(("optimum", "target", "best", "en", "zh"), [
    ("target", None, None, "'target' needs a local target", "需要本地目标值"),
    ("target", None, 90.0, "'target' needs a local target", "需要本地目标值"),
    ("target", 80.0, 90.0, "local target 80, but the thresholds give 90", "但阈值给出的最优值是 90"),
    ("science", None, None, "'science' needs the science-based value", "需要科学依据值"),
    ("science", 80.0, None, "'science' needs the science-based value", "需要科学依据值"),
    ("85", None, 90.0, "science-based optimum 85 differs from the optimum 90", "两者必须一致"),
    ("lnob", None, 90.0, "sets the optimum to 100", "但阈值给出的最优值是 90"),
    ("top5", None, 90.0, "'top5' derives the optimum from the peers", "阈值已给出最优值"),
])
def test_a_package_whose_rule_contradicts_the_record_is_refused(demo_review, tmp_path, optimum, target, best, en, zh):
    code = next(i.code for i in demo_review.indicators if i.unit == "%" and i.direction == "higher")
    folder = write_package(_record(demo_review, code, optimum, target=target, best=best), tmp_path / "p")
    with pytest.raises(PackageError) as err:
        read_package(folder)
    msg = str(err.value)
    assert msg.startswith(f"data/indicators.csv, row {_row_of(folder, code)}, column extra (optimum): bad-optimum: ")
    assert f"'{optimum}'" in msg and en in msg and zh in msg


@pytest.mark.parametrize(("optimum", "target", "best"), [
    ("target", 90.0, None), ("target", 90.0, 90.0),
    ("science", None, 90.0), ("85", None, None), ("90", 80.0, 90.0),
    ("lnob", None, None), ("lnob", 95.0, 100.0),
    ("top5", None, None), ("top5", 80.0, None),
])
def test_a_package_whose_rule_agrees_with_the_record_is_read_whole(demo_review, tmp_path, optimum, target, best):
    code = next(i.code for i in demo_review.indicators if i.unit == "%" and i.direction == "higher")
    review = _record(demo_review, code, optimum, target=target, best=best)
    back = read_package(write_package(review, tmp_path / "p"))
    assert back.indicator(code).extra["optimum"] == optimum
    assert package_files(back) == package_files(review)  # nothing else lost or changed


def test_a_package_compares_the_target_the_assessment_uses_the_latest_year(demo_review, tmp_path):
    from vlrkit.assess import specs
    from vlrkit.review import Target

    code = next(i.code for i in demo_review.indicators if i.unit == "%" and i.direction == "higher")
    review = _record(demo_review, code, "target", target=90.0, best=90.0)
    review = dataclasses.replace(review, targets=(*review.targets, Target(code, "local", 70.0, 2025)))
    back = read_package(write_package(review, tmp_path / "p"))  # 2030's 90 is the optimum: agrees
    assert specs.build(back).headline(code).targets["local"][0] == 90.0
