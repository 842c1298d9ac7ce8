"""Bounded parsing: every limit of the one table, each bomb refused with a clear problem naming file
and limit in zh-Hans and en, text encodings read or refused, and real data unaffected."""

from __future__ import annotations

import io
import json
import os
import zipfile

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit import ingest
from vlrkit.formats import encoding, limits, safety, sources
from vlrkit.formats.labels import labels
from vlrkit.formats.limits import DEFAULT, LimitError, Limits
from vlrkit.formats.safety import restore
from vlrkit.formats.sources import Member
from vlrkit.formats.tabular import csvio
from vlrkit.validation import checks

TIDY = "indicator,period,value\nX,2015,1\nX,2016,2\n"
NEW_TYPES = {"limit-exceeded", "not-text", "unsafe-xml"}


def problems(members: list[Member], lim: Limits = DEFAULT) -> list[dict[str, object]]:
    return [p.to_dict() for p in ingest.read_members(members, limits=lim).report.problems]


def only(members: list[Member], slug: str, lim: Limits = DEFAULT) -> dict[str, object]:
    found = [p for p in problems(members, lim) if p["type"] == slug]
    assert len(found) == 1, problems(members, lim)
    assert found[0]["severity"] == "error" and found[0]["message"] and found[0]["message_zh"]
    return found[0]


# --- the table ----------------------------------------------------------------------------------


def test_every_limit_is_named_documented_and_positive():
    docs = (os.path.dirname(__file__) + "/../../docs/limits.md")
    text = open(docs, encoding="utf-8").read()
    for row in limits.table():
        assert row["value"] > 0 and row["en"] and row["zh"] and row["unit"] and row["unit_zh"]
        assert f"`{row['name']}`" in text, f"docs/limits.md lacks {row['name']}"
    assert DEFAULT.parse(["columns=5000", "file-bytes=1e9"]) == Limits(columns=5000, file_bytes=10**9)
    for bad in (["columns"], ["columns=x"], ["nothing=1"], ["rows=-1"], ["rows=0"]):
        with pytest.raises(ValueError, match="/"):  # bilingual
            DEFAULT.parse(bad)


def test_a_limit_error_names_the_limit_in_both_languages():
    err = LimitError("columns", 1000, 1_000_003, row=None)
    p = err.problem("wide.csv").to_dict()
    assert p["type"] == "limit-exceeded" and p["file"] == "wide.csv"
    assert "columns per row" in p["message"] and "1,000,003" in p["message"] and "--limit columns=N" in p["message"]
    assert "每行列数" in p["message_zh"] and "1,000,003" in p["message_zh"] and "--limit columns=N" in p["message_zh"]


# --- CSV ----------------------------------------------------------------------------------------


def test_a_million_columns_are_refused_on_the_header_before_any_row_is_split():
    header = "indicator,period,value," + ",".join(f"c{i}" for i in range(10**6))
    data = (header + "\nX,2015,1" + ",1" * 10**6 + "\n").encode()
    p = only([Member("wide.csv", data)], "limit-exceeded")
    assert p["file"] == "wide.csv" and "1,000,003" in str(p["message"])
    p = only([Member("data/indicator_1-1-1.csv", data.replace(b"indicator,period,value", b"Year,Units,Value"))],
             "limit-exceeded")
    assert p["file"] == "data/indicator_1-1-1.csv"


@pytest.mark.parametrize("size", [50, 2 * csvio.FAST_PATH_BYTES])  # the careful and the fast path
def test_cells_rows_and_ragged_width_are_bounded_on_both_paths(size):
    filler = "X,2015,1\n" * (size // 9)
    body = TIDY + filler
    p = only([Member("t.csv", (body + "X,2017," + "9" * 200 + "\n").encode())], "limit-exceeded", Limits(cell_chars=100))
    assert "characters in one cell" in str(p["message"]) and p["row"] is not None
    rows = body.count("\n") - 1
    p = only([Member("t.csv", body.encode())], "limit-exceeded", Limits(rows=rows - 1))
    assert "rows per file" in str(p["message"])
    assert not [q for q in problems([Member("t.csv", body.encode())], Limits(rows=rows)) if q["type"] == "limit-exceeded"]
    p = only([Member("t.csv", (body + "X,2018,1" + ",5" * 40 + "\n").encode())], "limit-exceeded", Limits(columns=20))
    assert p["row"] == rows + 1


def test_a_slow_file_is_stopped_by_the_clock():
    data = (TIDY + "X,2015,1\n" * 20_000).encode()  # under 1 MB: the careful path, clock every 8192 rows
    p = only([Member("slow.csv", data)], "limit-exceeded", Limits(seconds_per_file=1e-9))
    assert "wall time" in str(p["message"]) and "秒" in str(p["message_zh"])


@pytest.mark.parametrize("junk", [os.urandom(5000), b"\x00\x01\x02" * 100, b"PK\x03\x04" + bytes(range(256)) * 4])
def test_binary_junk_named_csv_is_not_a_valid_empty_table(junk):
    got = ingest.read_members(sources.from_bytes("junk.csv", junk))
    assert not got.report.valid
    [p] = got.report.problems
    assert (p.type, p.file) == ("not-text", "junk.csv")
    assert "not a text/CSV file" in p.message["en"] and "不是文本/CSV 文件" in p.message["zh-Hans"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"])
def test_unicode_text_from_excel_reads_like_utf8(codec):
    text = "indicator,period,value,note\nX,2015,1,城市\nX,2016,2,é\n"
    want = ingest.read_members(sources.from_bytes("t.csv", text.encode("utf-8")))
    got = ingest.read_members(sources.from_bytes("t.csv", text.encode(codec)))
    assert got.report.to_dict() == want.report.to_dict()
    assert got.observations.drop("labels").equals(want.observations.drop("labels"))
    assert got.observations["labels"].to_list() == want.observations["labels"].to_list() == [
        '{"note": "城市"}', '{"note": "é"}']


def test_broken_utf16_is_refused_and_legacy_8_bit_text_is_a_bad_encoding():
    broken = TIDY.encode("utf-16")[:-1] + b"\x00\xd8"  # a lone surrogate at the end
    assert only(sources.from_bytes("t.csv", broken), "not-text")["file"] == "t.csv"
    gbk = "indicator,period,value,note\nX,2015,1,城市\n".encode("gb18030")
    assert encoding.to_utf8(gbk) == gbk  # text, left to the reader ...
    assert [p["type"] for p in problems(sources.from_bytes("t.csv", gbk))] == ["bad-encoding"]  # ... which names the byte


# --- XML, XLSX, archives ------------------------------------------------------------------------

SDMX = b'<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">'


@pytest.mark.parametrize("dtd", [
    b'<!DOCTYPE x [<!ENTITY % p "<!ENTITY e \'x\'>"> %p;]>',
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY e "&a;&a;&a;">]>',
    b"<!DOCTYPE x [<!-- " + b"x" * 4096 + b" -->]>",  # pushes the SDMX namespace past detection
])
def test_xml_with_a_dtd_is_refused_wherever_it_is(dtd):
    data = b'<?xml version="1.0"?>' + dtd + SDMX + b"&e;</message:GenericData>"
    for name in ("data.xml", "other/notes.xml"):
        p = only([Member(name, data)], "unsafe-xml")
        assert p["file"] == name and "DTD" in str(p["message"]) + str(p["message_zh"])


def test_deep_xml_is_bounded():
    data = b'<?xml version="1.0"?>' + SDMX + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</message:GenericData>"
    assert "nesting depth of an XML" in str(only([Member("d.xml", data)], "limit-exceeded")["message"])
    with pytest.raises(LimitError):
        safety.check_xml(b"<a>" * 11 + b"</a>" * 11, Limits(xml_depth=10))
    safety.check_xml(b"<a>" * 10 + b"</a>" * 10, Limits(xml_depth=10))


def _workbook(patch: bytes = b"") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["indicator", "period", "value"])
    wb.active.append(["X", "2015", 1])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            z.writestr(info.filename, patch + data if info.filename.endswith("sheet1.xml") else data)
    return out.getvalue()


def test_a_workbook_part_with_a_dtd_is_refused_before_openpyxl():
    assert problems([Member("w.xlsx", _workbook())]) == []
    p = only([Member("w.xlsx", _workbook(b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e "x">]>'))], "unsafe-xml")
    assert "sheet1.xml" in str(p["message"])
    assert "sheet1.xml" in str(only([Member("w.xlsx", _workbook("<!DOCTYPE w>".encode("utf-16-le")))], "unsafe-xml")["message"])


def test_a_zip_bomb_member_is_refused_alone_and_the_archive_read():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("repo/data/indicator_1-1-1.csv", "Year,Value\n2015,1\n")
        z.writestr("repo/data/indicator_2-1-1.csv", b"0" * (3 * 1024 * 1024))
    got = ingest.read_members(sources.from_bytes("repo.zip", buf.getvalue()))
    assert [(p.type, p.file) for p in got.report.problems if p.severity == "error"] == [
        ("too-large", "data/indicator_2-1-1.csv")]
    assert got.observations["indicator"].to_list() == ["1.1.1"]
    assert got.report.files == 2


def test_source_sizes_come_from_the_one_table(tmp_path):
    (tmp_path / "big.csv").write_text(TIDY + "X,2017,3\n" * 100)
    small = Limits(file_bytes=100)
    [m] = sources.open_source(tmp_path / "big.csv", small)
    assert m.data == b"" and m.refused is not None and m.refused.type == "limit-exceeded"
    assert "size of one file" in m.refused.message["en"]
    with pytest.raises(sources.SourceError, match="too large"):
        sources.open_source(tmp_path, Limits(total_bytes=100))
    (tmp_path / "other.csv").write_text(TIDY)
    with pytest.raises(sources.SourceError, match="too many"):
        sources.open_source(tmp_path, Limits(members=1))


def test_a_repository_s_configuration_translations_dsd_and_sdmx_message_are_checked_too():
    bomb = "a: " + "[" * 50_000 + "]" * 50_000
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>'
    config = ("inputs:\n  - class: InputSdmxMl_Multiple\n    path_pattern: sdmx-data/*.xml\n"
              "    dsd: dsd.xml\n  - class: InputCsvData\n    path_pattern: data/*.csv\n")
    members = [Member("config_data.yml", config.encode()), Member("dsd.xml", dtd),
               Member("sdmx-data/data.xml", dtd), Member("translations/en/global_goals.yml", bomb.encode()),
               Member("data/indicator_1-1-1.csv", b"Year,Value\n2015,1\n")]
    found = {(p["file"], p["type"]) for p in problems(members)}
    assert {("dsd.xml", "unsafe-xml"), ("translations/en/global_goals.yml", "limit-exceeded")} <= found
    # a broken configuration is reported and the defaults read the rest
    got = problems([Member("config_data.yml", bomb.encode()), Member("data/indicator_1-1-1.csv", b"Year,Value\n2015,1\n")])
    assert any(p["file"] == "config_data.yml" and p["type"] == "limit-exceeded" for p in got)
    message = [Member("config_data.yml", config.replace("    dsd: dsd.xml\n", "").encode()),
               Member("sdmx-data/data.xml", dtd)]
    assert ("sdmx-data/data.xml", "unsafe-xml") in {(p["file"], p["type"]) for p in problems(message)}


# --- the report -----------------------------------------------------------------------------------


def test_a_file_whose_every_row_is_wrong_gives_a_bounded_report_that_counts_every_row():
    body = "indicator,period,value\n" + "".join(f"X,20x{i},{i}\n" for i in range(25)) + "X,2015,oops\n"
    result = ingest.read_members([Member("bad.csv", body.encode())], limits=Limits(problems_per_type=10))
    report = result.report
    bad = report.of_type("bad-period")
    assert len(bad) == 11 and [p.count for p in bad] == [1] * 10 + [15]
    more = bad[-1].to_dict()
    assert more["count"] == 15 and more["row"] == 25 and "rows 11–25" in more["message"]
    assert "15" in more["message_zh"] and "第 11–25 行" in more["message_zh"]
    assert report.by_type()["bad-period"] == 25 and report.by_type()["non-numeric-value"] == 1
    assert report.errors == 26 and len(report.to_dict()["problems"]) == 12
    # the rejects file still has every rejected row, with its cells; a listed row has its own
    # message, a counted one its problem type and title (both languages)
    rejects = ingest.rejects_frame(result).sort("row")
    assert rejects.height == 26 and rejects["row"].to_list() == list(range(1, 27))
    assert "'20x3'" in rejects["reasons"][3] and "20x3" in rejects["record"][3]
    assert rejects["reasons"][24] == "bad-period: Bad period / 期间格式错误" and "20x24" in rejects["record"][24]
    assert "non-numeric-value: 'oops'" in rejects["reasons"][25]


def test_rows_counted_by_a_check_are_rejected_like_the_listed_ones():
    body = "indicator,period,value\n" + "X,2015,1\n" * 30 + "X,2016,2\n"
    result = ingest.read_members([Member("dups.csv", body.encode())], limits=Limits(problems_per_type=5))
    dups = result.report.of_type("duplicate-observation")
    assert [p.count for p in dups] == [1] * 5 + [24] and result.report.errors == 29
    assert result.observations.height == 2 and result.rejected.height == 29
    assert sorted(result.rejected["row"].to_list()) == list(range(2, 31))


# --- real data is unaffected ----------------------------------------------------------------------


def test_los_angeles_reads_as_before(la_ingest):
    # the counts of tests/formats/test_opensdg.py and bench/ingest.py: no row lost, no new problem
    assert not NEW_TYPES & set(la_ingest.report.by_type())
    assert la_ingest.observations.height + la_ingest.rejected.height > 4500
    assert la_ingest.report.errors == 10  # as tests/formats/test_opensdg.py says


# --- the cheaper implementations say exactly what the simple ones said ------------------------------

cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6) | st.sampled_from(["", "'=1", "''", "\"", "\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=4), min_size=0, max_size=4, unique=True),
       st.data())
def test_labels_are_json_dumps_of_the_non_empty_cells(names, data):
    rows = data.draw(st.lists(st.lists(cell, min_size=len(names), max_size=len(names)), min_size=1, max_size=5))
    frame = pl.DataFrame({f"c{i}": [r[i] for r in rows] for i in range(len(names))},
                         schema={f"c{i}": pl.String for i in range(len(names))}) if names else pl.DataFrame({"x": rows})
    got = labels(frame, names, [f"c{i}" for i in range(len(names))]).to_list()
    assert got == [json.dumps({k: restore(v) for k, v in zip(names, r, strict=True) if v}, ensure_ascii=False)
                   for r in rows]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(["2015", "2016"]),
                          st.sampled_from([None, "", "x"]), st.sampled_from([None, "F"])), max_size=30))
def test_duplicates_by_hash_are_the_exact_duplicates(rows):
    from vlrkit import tidy

    frame = tidy.conform(pl.DataFrame(
        {"indicator": [r[0] for r in rows], "period": [r[1] for r in rows], "series": [r[2] for r in rows],
         "SEX": [r[3] for r in rows], "file": ["f"] * len(rows), "row": list(range(1, len(rows) + 1))},
        schema={"indicator": pl.String, "period": pl.String, "series": pl.String, "SEX": pl.String,
                "file": pl.String, "row": pl.Int64}))
    seen: dict[tuple[str, ...], int] = {}
    want = []
    for n, r in enumerate(rows, start=1):
        key = (r[0], r[1], r[2] or "", r[3] or "")
        if key in seen:
            want.append((n, str(seen[key])))
        else:
            seen[key] = n
    assert sorted((p.row, p.message["en"].split()[-1]) for p in checks.duplicates(frame)) == want


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell.filter(lambda c: "\r" not in c), min_size=3, max_size=3), min_size=1, max_size=20),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_the_fast_and_the_careful_csv_paths_agree(rows, eol, bom):
    import csv

    buf = io.StringIO()
    csv.writer(buf, lineterminator=eol).writerows([["a", "b", "c"], *rows])
    data = (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode()
    fast = csvio._fast(data, DEFAULT)
    slow = csvio._slow(data, DEFAULT)
    if fast is not None:
        assert fast.header == slow.header and fast.frame.select(slow.frame.columns).equals(slow.frame)
