"""Tidy CSV/XLSX, templates, SDMX-CSV/SDMX-ML, safety (formula injection, XML, zip bombs)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import polars as pl
import pytest
from tests.formats.conftest import DATA

from vlrkit import ingest, tidy
from vlrkit.formats import safety, spreadsheet
from vlrkit.formats.sdmx import writer as sdmx_writer
from vlrkit.formats.sources import Member, SourceError, from_bytes, open_source
from vlrkit.formats.tabular import template, writer
from vlrkit.review import LocalIndicator

IND = LocalIndicator(code="11.2.1", names={"en": "Access to transport", "zh-Hans": "公共交通便利"},
                     goal=11, unit="Percent", dimensions=("SEX", "AGE"))


def test_template_xlsx_has_dropdowns_codes_and_bilingual_instructions():
    wb = openpyxl.load_workbook(io.BytesIO(template.to_xlsx(IND)))
    assert wb.sheetnames == ["data", "codes", "instructions"]
    header = [c.value for c in wb["data"][1]]
    assert header == ["indicator", "period", "value", "unit", "series", "SEX", "AGE", "obs_status", "source"]
    formulas = {dv.formula1 for dv in wb["data"].data_validations.dataValidation}
    assert any("codes!$B" in (f or "") for f in formulas)  # SEX drop-down
    codes = [c.value for c in wb["codes"]["B"][1:] if c.value]
    assert set(codes) == set(tidy.DIMENSION_CODES["SEX"])
    text = " ".join(str(c.value) for row in wb["instructions"].iter_rows() for c in row if c.value)
    assert "填写说明" in text and "How to fill in" in text and "11.2.1" in text


def test_a_filled_template_imports_and_bad_cells_are_located():
    wb = openpyxl.load_workbook(io.BytesIO(template.to_xlsx(IND)))
    ws = wb["data"]
    ws.append(["11.2.1", "2020", 12.5, "Percent", "", "F", "Y15T24", "E", "survey"])
    ws.append(["11.2.1", "2021", "n/a", "Percent", "", "X", "", "", ""])
    ws.append(["11.2.1", 2022, 13, "Percent", "", "Female", "", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    got = ingest.read_members([Member("upload.xlsx", buf.getvalue())], known={"11.2.1": IND})
    assert got.observations.select("period", "value", "SEX", "AGE", "obs_status").rows() == [
        ("2020", 12.5, "F", "Y15T24", "E"), ("2022", 13.0, "F", None, None)]
    assert {(p.type, p.row, p.column) for p in got.report.problems if p.severity == "error"} == {
        ("unknown-code", 2, "SEX")}
    # "n/a" is a missing value, not an error: a warning, and the row is kept as missing (it is
    # rejected here only for its unknown SEX code)
    assert ("missing-value", 2) in {(p.type, p.row) for p in got.report.problems}


def test_tidy_csv_unknown_indicator_and_unit_mismatch():
    data = b"indicator,period,value,unit\n11.2.1,2020,1,Percent\n99.9.9,2020,2,Percent\n11.2.1,2021,3,kg\n"
    got = ingest.read_members([Member("x.csv", data)], known={"11.2.1": IND})
    assert {(p.type, p.row) for p in got.report.problems} == {("unknown-indicator", 2), ("unit-mismatch", 3)}
    assert got.observations["row"].to_list() == [1]


def test_an_empty_unit_means_the_indicator_s_unit():
    data = b"indicator,period,value,unit\n11.2.1,2020,1,\n11.2.1,2021,2,Percent\n"
    got = ingest.read_members([Member("x.csv", data)], known={"11.2.1": IND})
    assert got.observations["unit"].to_list() == ["Percent", "Percent"] and got.report.valid


def test_empty_file_missing_column_and_bad_encoding_are_reported():
    got = ingest.read_members([
        Member("empty.csv", b""), Member("cols.csv", b"indicator,period,valu\n1,2015,3\n"),
        Member("latin.csv", "indicator,period,value\nx,2015,ä\n".encode("latin-1")),
    ])
    kinds = {(p.file, p.type) for p in got.report.problems}
    assert kinds == {("latin.csv", "bad-encoding"), ("empty.csv", "empty-file"), ("cols.csv", "missing-column")}
    assert got.observations.height == 0


def test_every_text_cell_we_write_is_neutralised_and_the_escape_reverses():
    for text in ("=HYPERLINK(\"x\")", "+1+2", "-cmd", "@SUM(A1)", "'quoted", "\tx"):
        out = spreadsheet.neutralise(text)
        assert out.startswith("'") and safety.restore(out) == text
    assert spreadsheet.neutralise("-3.5") == "-3.5" and spreadsheet.neutralise("plain") == "plain"
    frame = tidy.conform(pl.DataFrame({"indicator": ["X"], "period": ["2020"], "year": [2020], "value": [-1.0],
                                       "series": ["=evil()"], "AGE": ["@x"]},
                                      schema_overrides={"year": pl.Int32}))
    csv_text = writer.to_csv(frame).decode()
    assert "'=evil()" in csv_text and "'@x" in csv_text and ",-1," in csv_text
    sdmx_text = sdmx_writer.to_csv(frame).decode()
    assert "'=evil()" in sdmx_text
    wb = openpyxl.load_workbook(io.BytesIO(writer.to_xlsx(frame)))
    cells = [c.value for c in wb["data"][2]]
    assert "'=evil()" in cells and -1 in cells
    back = ingest.read_members([Member("x.csv", writer.to_csv(frame))])
    assert back.observations.select("series", "AGE", "value").rows() == [("=evil()", "@x", -1.0)]


def test_xml_with_entities_is_refused_before_parsing():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>'
    with pytest.raises(safety.UnsafeXML):
        safety.check_xml(bomb)
    got = ingest.read_members([Member("d.xml", b'<?xml version="1.0"?><!DOCTYPE GenericData [<!ENTITY a "x">]>'
                                                b'<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">&a;</message:GenericData>')])
    assert [p.type for p in got.report.problems] == ["unsafe-xml"]


def test_zip_bombs_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("data/indicator_1-1-1.csv", b"0" * (5 * 1024 * 1024))
    # in a repository, the bomb is refused and the rest of the archive is read
    members = from_bytes("repo.zip", buf.getvalue())
    assert [(m.name, m.data, m.refused.type if m.refused else None) for m in members] == [
        ("indicator_1-1-1.csv", b"", "too-large")]
    assert [p.type for p in ingest.read_members(members).report.problems] == ["too-large"]
    got = ingest.read_members([Member("bomb.xlsx", buf.getvalue())])
    assert [p.type for p in got.report.problems] == ["too-large"]


def test_archives_with_unsafe_paths_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../etc/indicator_1-1-1.csv", "Year,Value\n2015,1\n")
    with pytest.raises(SourceError, match="unsafe path"):
        from_bytes("evil.zip", buf.getvalue())


def test_a_zipped_repository_reads_like_the_folder(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("city-data-main/data/indicator_11-2-1.csv", "Year,Gender,Value\n2019,,50\n2019,Female,48\n")
        z.writestr("city-data-main/meta/11-2-1.md", "---\nreporting_status: complete\ncomputation_units: Percent\n---\n")
    (tmp_path / "r.zip").write_bytes(buf.getvalue())
    members = open_source(tmp_path / "r.zip")
    assert sorted(m.name for m in members) == ["data/indicator_11-2-1.csv", "meta/11-2-1.md"]
    got = ingest.read(tmp_path / "r.zip")
    assert got.observations.select("SEX", "value", "unit").rows() == [(None, 50.0, "Percent"), ("F", 48.0, "Percent")]


def test_sdmx_ml_generic_data_is_read_through_sdmx1():
    got = ingest.read(DATA / "sdmx" / "generic.xml")
    obs = got.observations.sort("period")
    assert obs.select("indicator", "entity", "period", "value", "SEX", "unit", "obs_status").rows() == [
        ("SI_POV_DAY1", "840", "2015", 3.5, "F", "PT", "E"),
        ("SI_POV_DAY1", "840", "2016", 3.1, "F", "PT", None),
    ]
    assert got.report.valid


def test_sdmx_ml_structure_specific_data_is_read_too():
    got = ingest.read(DATA / "sdmx" / "structure-specific.xml")
    assert got.report.valid
    assert got.observations.select("indicator", "entity", "period", "value", "SEX", "unit", "obs_status").rows() == [
        ("SH_STA_MORT", "156", "2018", 18.3, "_T", "PER_100000_LIVE_BIRTHS", "A"),
        ("SH_STA_MORT", "156", "2019", 17.8, "_T", "PER_100000_LIVE_BIRTHS", "E"),
        ("SH_STA_MORT", "156", "2019", 16.9, "F", "PER_100000_LIVE_BIRTHS", None),
    ]


def test_sdmx_csv_round_trip_keeps_codes_and_attributes():
    src = (b"DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE,SEX,URBANISATION,UNIT_MEASURE,UNIT_MULT,OBS_STATUS\n"
           b"IAEG:DF_SDG(1.0),SI_POV_DAY1,CHN,2019,1.5,F,U,PT,0,A\n"
           b"IAEG:DF_SDG(1.0),SI_POV_DAY1,CHN,2020,1.25,M,R,PT,0,E\n")
    first = ingest.read_members([Member("s.csv", src)])
    out = sdmx_writer.to_csv(first.observations)
    second = ingest.read_members([Member("s.csv", out)])
    cols = ["indicator", "series", "entity", "period", "value", "SEX", "URBANISATION", "unit", "obs_status"]
    assert first.observations.select(cols).equals(second.observations.select(cols))
    assert "UNIT_MULT" in out.decode().splitlines()[0]
    assert second.observations["labels"].to_list() == first.observations["labels"].to_list()
