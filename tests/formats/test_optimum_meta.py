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


def _repo(tmp_path: Path, optimum: dict[str, str]) -> Path:
    """A copy of two real LA indicators, with an ``optimum`` line added to their metadata."""
    (tmp_path / "data").mkdir()
    (tmp_path / "meta").mkdir()
    for oid in IDS:
        shutil.copy(LA / "data" / f"indicator_{oid}.csv", tmp_path / "data")
        text = (LA / "meta" / f"{oid}.md").read_text(encoding="utf-8")
        if oid in optimum:
            assert text.startswith("---\n")
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
