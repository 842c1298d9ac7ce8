"""The Los Angeles Open SDG repository: read whole, nothing lost, real problems located."""

from __future__ import annotations

import json

import polars as pl
import pytest
from tests.formats.conftest import LA, manifest, source_rows

from vlrkit import ingest, tidy
from vlrkit.formats.opensdg import mapping
from vlrkit.formats.opensdg.writer import write_repository

#: MANIFEST "real" files vlrkit does not read as data, and why (both reported, see below).
NOT_DATA = {
    "data/indicator_1-1-1/indicator_1-1-1.csv": "ignored-file",  # stray copy in a sub-folder
    "data/indicator_5-a-2.csv": "non-statistical",  # one row of text, no value
}


def test_every_real_file_is_accounted_for_row_by_row(la_ingest):
    stored = la_ingest.observations.group_by("file").len()
    counts = dict(stored.iter_rows())
    rejected = dict(la_ingest.rejected.group_by("file").len().iter_rows())
    real = [m for m in manifest() if m["classification"] == "real"]
    assert len(real) == 135
    for m in real:
        if m["file"] in NOT_DATA:
            continue
        assert counts.get(m["file"], 0) + rejected.get(m["file"], 0) == int(m["rows"]), m["file"]


def test_every_value_is_identical_to_the_source(la_ingest):
    obs = pl.concat([la_ingest.observations, la_ingest.rejected.drop("reasons")], how="diagonal_relaxed")
    checked = 0
    for (name,), part in obs.partition_by("file", as_dict=True).items():
        rows = source_rows(name)
        for r, value, period in part.select("row", "value", "period").iter_rows():
            src = rows[r - 1]
            text = src[-1].strip()
            assert (value is None and text == "") or value == float(text), (name, r)
            assert period == src[0].strip(), (name, r)
            checked += 1
    assert checked == obs.height > 4500


def test_placeholders_and_demo_fixtures_are_reported_not_imported(la_ingest):
    wanted = {m["file"] for m in manifest() if m["classification"] in ("placeholder_from_starter", "demo_fixture")}
    assert len(wanted) == 114
    reported = {p.file for p in la_ingest.report.of_type("placeholder-data")}
    # data/demo_indicator.csv is not a file of the repository's input (data/*-*.csv): it is
    # reported as not read, as sdg-build does not read it either
    assert reported == wanted - {"data/demo_indicator.csv"}
    assert "data/demo_indicator.csv" in {p.file for p in la_ingest.report.of_type("ignored-file")}
    assert not set(la_ingest.observations["file"].unique().to_list()) & wanted
    assert all(p.severity == "warning" for p in la_ingest.report.of_type("placeholder-data"))


def test_stray_files_are_reported(la_ingest):
    ignored = {p.file for p in la_ingest.report.of_type("ignored-file")}
    assert ignored == {"data/indicator_1-1-1/indicator_1-1-1.csv", "meta/indicator_11-5-2.csv",
                       "meta/indicator_8-2-1.csv", "data/demo_indicator.csv"}
    # the repository's config names meta/*-*.yml, but its metadata is in meta/*.md: read, and said
    unlisted = {p.file for p in la_ingest.report.of_type("metadata-unlisted")}
    assert unlisted == {"meta"}
    (note,) = la_ingest.report.of_type("non-statistical")
    assert note.file == "data/indicator_5-a-2.csv"
    ind = {i.code: i for i in la_ingest.indicators}["5.a.2"]
    assert ind.extra["data_note"] == "This is a non-statistical indicator"


def test_real_problems_are_found_where_they_are(la_ingest):
    dups = {(p.file, p.row) for p in la_ingest.report.of_type("duplicate-observation")}
    assert dups == {("data/indicator_17-6-1.csv", r) for r in (73, 74, 75, 76)} | {
        ("data/indicator_17-8-1.csv", r) for r in (73, 74, 75, 76)} | {
        ("data/indicator_3-3-2.csv", 4), ("data/indicator_4-1-2.csv", 48)}
    # spending at 103 % of the adopted budget is published data: a warning to check, kept
    pct = la_ingest.report.of_type("percentage-out-of-range")
    assert {p.file for p in pct} == {"data/indicator_16-6-1.csv"} and len(pct) == 7
    assert all(p.severity == "warning" and "published data" in p.message["en"] for p in pct)
    assert 103.0 in la_ingest.observations.filter(pl.col("file") == "data/indicator_16-6-1.csv")["value"].to_list()
    # rows with an empty Value are kept as missing observations, with a warning each
    missing = la_ingest.report.of_type("missing-value")
    assert len(missing) == 40 and all(p.column == "Value" for p in missing)
    assert not la_ingest.report.valid and la_ingest.report.errors == 10
    # multi-year and split-year periods are periods, not errors
    assert not la_ingest.report.of_type("bad-period")
    periods = set(la_ingest.observations["period"].to_list())
    assert {"1990-1999", "2004-2013", "2009–2010", "2017-2018"} <= periods


def test_disaggregations_are_coded_and_labels_kept(la_ingest):
    obs = la_ingest.observations.filter(pl.col("indicator") == "1.1.1")
    assert set(obs["SEX"].drop_nulls().unique().to_list()) == {"F", "M"}
    assert obs["ETHNICITY"].drop_nulls().n_unique() > 3
    assert obs["EDUCATION_LEV"].drop_nulls().n_unique() > 2
    female = obs.filter(pl.col("SEX") == "F").row(0, named=True)
    assert json.loads(female["labels"])["Gender"] == "Female"
    ind = {i.code: i for i in la_ingest.indicators}["1.1.1"]
    assert ind.dimensions == ("SEX", "AGE", "ETHNICITY", "EDUCATION_LEV", "ACTIVITY")
    assert ind.unit == "Percentage" and ind.reporting_status == "complete"
    assert ind.names["en"].startswith("Proportion of population earning less than 50 percent")


def test_unmapped_columns_are_kept_as_breakdown_so_rows_stay_distinct(la_ingest):
    rev = la_ingest.observations.filter(pl.col("indicator") == "17.1.1")
    assert {json.loads(b)["Revenue Source"] for b in rev["breakdown"].to_list() if b} >= {"Property Tax"}
    assert set(rev["series"].to_list()) <= {None, ""}  # the publisher gave no Series: none invented
    assert rev.select(["period", "unit", "breakdown"]).is_unique().all()


def test_metadata_gives_indicators_links_and_status(la_ingest):
    inds = {i.code: i for i in la_ingest.indicators}
    assert len(inds) == 247
    statuses = {i.reporting_status for i in inds.values()}
    assert statuses == {"complete", "notstarted", "notapplicable"}
    links = {lk.indicator: lk for lk in la_ingest.links}
    assert links["11.2.1"].sdg_indicator == "11.2.1" and links["11.2.1"].target == "11.2"
    # LA measures Metro ridership under 11.2.1 (access to public transport): not identical
    assert links["11.2.1"].grade == "adapted" and "to review" in links["11.2.1"].reason["en"]
    assert links["5.5.2a"].sdg_indicator == "5.5.2" and links["5.5.2a"].grade == "adapted"
    assert "10.x.1" not in links  # a city-only indicator has no SDG link


def test_open_sdg_round_trip_is_lossless(la_ingest, tmp_path):
    write_repository(tmp_path, la_ingest.indicators, la_ingest.observations, la_ingest.targets)
    again = ingest.read(tmp_path)
    cols = ["indicator", "period", "year", "value", "unit", "series", *tidy.DIMENSIONS, "obs_status", "labels"]
    a = la_ingest.observations.select(cols).sort(cols, nulls_last=True)
    b = again.observations.select(cols).sort(cols, nulls_last=True)
    assert a.equals(b)
    assert {i.code: i for i in again.indicators} == {i.code: i for i in la_ingest.indicators}
    assert again.report.errors == 0


def test_user_mapping_extends_the_defaults():
    custom = mapping.load("columns:\n  Victim Gender: SEX\ncodes:\n  SEX:\n    Mujer: F\n")
    assert custom.dimension("Victim Gender") == "SEX" and custom.code_table("SEX")["mujer"] == "F"
    assert mapping.DEFAULT.dimension("Victim Gender") is None
    with pytest.raises(mapping.MappingError):
        mapping.load("columns:\n  X: NOT_A_DIMENSION\n")


def test_mapping_file_in_the_repository_is_used(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "indicator_16-1-1.csv").write_text(
        "Year,Victim Gender,Value\n2019,,10\n2019,Mujer,4\n2019,Hombre,6\n", encoding="utf-8")
    (tmp_path / "vlrkit-mapping.yml").write_text(
        "columns:\n  Victim Gender: SEX\ncodes:\n  SEX:\n    Mujer: F\n    Hombre: M\n", encoding="utf-8")
    got = ingest.read(tmp_path)
    assert got.observations["SEX"].to_list() == [None, "F", "M"]


def test_every_manifest_file_is_in_the_copy_with_its_row_count():
    for m in manifest():
        assert len(source_rows(m["file"])) == int(m["rows"]), m["file"]


def test_a_reviewed_error_type_can_be_accepted():
    got = ingest.read(LA, accept=frozenset({"percentage-out-of-range"}))
    assert got.report.errors == 10  # the duplicates remain errors
    pct = got.report.of_type("percentage-out-of-range")
    assert len(pct) == 7 and all(p.severity == "warning" for p in pct)
    kept = got.observations.filter(pl.col("file") == "data/indicator_16-6-1.csv")
    assert 103.0 in kept["value"].to_list()
    with pytest.raises(ValueError):
        ingest.read(LA, accept=frozenset({"duplicate-observation"}))
