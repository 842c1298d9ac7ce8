"""Every CSV/XLSX cell vlrkit writes goes through one neutralisation (issue 19, item 3).

A property test drives injection payloads through each writer and reads the raw cells back: no
cell starts with a formula trigger unless it is a plain number, and the text is recoverable.  A
guard fails when a new CSV or XLSX writer appears in ``src/`` outside
:mod:`vlrkit.formats.spreadsheet`.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vlrkit import tidy
from vlrkit.formats import spec as spec_io
from vlrkit.formats import spreadsheet
from vlrkit.formats.opensdg import writer as opensdg_writer
from vlrkit.formats.package import package_files, read_package, write_package
from vlrkit.formats.sdmx import writer as sdmx_writer
from vlrkit.formats.tabular import writer as tabular_writer
from vlrkit.review import Edition, Entity, LocalIndicator, Review
from vlrkit.sdg import knowledge

SRC = Path(__file__).resolve().parents[2] / "src" / "vlrkit"

# XLSX (XML 1.0) cannot hold most control characters; tab, LF and CR it can.
_chars = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\t", "\r", "\n", ",", '"', "'"])
payloads = st.one_of(
    st.tuples(st.sampled_from([*spreadsheet.FORMULA_TRIGGERS, spreadsheet.ESCAPE, "''", "'=", ""]),
              st.text(_chars, max_size=20)).map("".join),
    st.sampled_from(['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3",
                     "@SUM(A1:A9)", "=1+1", "-inf", "-", "'", "-3.5", "+2", "-1e-05", "\t=1", "\r@x"]),
).filter(lambda s: s.strip() != "")  # a blank cell is read back as missing by several readers
numbers = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


def _unsafe(cell: object) -> bool:
    return isinstance(cell, str) and cell.startswith(spreadsheet.FORMULA_TRIGGERS) and not spreadsheet.is_number(cell)


def _csv_cells(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text, newline="")))


def _xlsx_cells(data: bytes) -> list[list[object]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row), "a formula cell was written"
            out.append([c.value for c in row])
    return out


def _check(rows: list[list[object]], payloads_: list[str]) -> None:
    flat = [c for r in rows for c in r]
    bad = [c for c in flat if _unsafe(c)]
    assert not bad, f"cells a spreadsheet would run as formulas: {bad!r}"
    restored = {spreadsheet.restore(c) for c in flat if isinstance(c, str)}
    for p in payloads_:
        assert p in restored or (spreadsheet.is_number(p) and float(p) in {c for c in flat if isinstance(c, float)}), p


def _frame(texts: list[str], values: list[float]) -> pl.DataFrame:
    n = len(texts)
    return tidy.conform(pl.DataFrame({
        "indicator": ["X-1"] * n, "period": [str(2000 + i) for i in range(n)],
        "year": [2000 + i for i in range(n)], "value": (values * n)[:n],
        "unit": texts, "series": texts, "source": texts, "AGE": texts,
    }, schema_overrides={"year": pl.Int32}))


cases = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cases
@given(st.lists(payloads, min_size=1, max_size=5), st.lists(numbers, min_size=1, max_size=3))
def test_the_module_writers_neutralise_text_and_keep_numbers(texts, values):
    rows = [[t, v] for t, v in zip(texts, values * len(texts), strict=False)]
    for rendered in (spreadsheet.csv_text(["text", "number"], rows),):
        cells = _csv_cells(rendered)
        _check(cells, texts)
        # numbers stay numbers: the number column is written as Python writes the float, unquoted
        assert [r[1] for r in cells[1:]] == [repr(v) if isinstance(v, float) else str(v) for _, v in rows]
        assert all(f'"{v!r}"' not in rendered for _, v in rows)  # not quoted
    buf = io.StringIO()
    w = spreadsheet.dict_writer(buf, ["text", "number"])
    w.writeheader()
    w.writerows({"text": t, "number": v} for t, v in rows)
    _check(_csv_cells(buf.getvalue()), texts)
    frame = pl.DataFrame({"text": [t for t, _ in rows], "number": [float(v) for _, v in rows]})
    written = _csv_cells(spreadsheet.write_frame_csv(frame) or "")
    _check(written, texts)
    assert [float(r[1]) for r in written[1:]] == [float(v) for _, v in rows]
    xl = _xlsx_cells(spreadsheet.xlsx_bytes({"s": (["text", "number"], rows)}))
    _check(xl, texts)
    assert [r[1] for r in xl[1:]] == pytest.approx([v for _, v in rows], rel=1e-14)  # numeric cells


@cases
@given(st.lists(payloads, min_size=1, max_size=4), st.lists(numbers, min_size=1, max_size=2))
def test_the_observation_writers_neutralise_every_text_cell(texts, values):
    frame = _frame(texts, values)
    _check(_csv_cells(tabular_writer.to_csv(frame)), texts)
    _check(_xlsx_cells(tabular_writer.to_xlsx(frame)), texts)
    _check(_csv_cells(sdmx_writer.to_csv(frame)), texts)
    ind = LocalIndicator("X-1", {"en": "x"}, 1, texts[0], "higher", "src", dimensions=("AGE",))
    _check(_csv_cells(opensdg_writer.data_csv(ind, frame)), [t for t in texts if t.strip()])
    negative = [v for v in frame["value"].to_list() if v < 0]
    for n in negative:  # a negative value stays a number, unquoted
        assert any(re.search(rf"(^|,){re.escape(sdmx_writer.format_value(n))}(,|$)", line)
                   for line in tabular_writer.to_csv(frame).decode().splitlines())


@cases
@given(st.lists(payloads, min_size=1, max_size=3))
def test_the_specification_writers_neutralise_every_text_cell(texts):
    rows = [{"indicator": f"X-{i}", "goal": 1, "name_en": t, "unit": t, "direction": "higher",
             "local_target": -2.5} for i, t in enumerate(texts)]
    _check(_csv_cells(spec_io.to_csv(rows)), texts)
    _check(_xlsx_cells(spec_io.to_xlsx(rows)), texts)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(payloads, min_size=1, max_size=3))
def test_the_review_package_neutralises_and_reads_the_text_back(tmp_path, texts):
    inds = tuple(LocalIndicator(f"X-{i}", {"en": t}, 1, t, "higher", t, custodian=t)
                 for i, t in enumerate(texts))
    obs = _frame(texts, [-1.5]).with_columns(indicator=pl.lit("X-0"))
    review = Review(Entity("C", {"en": "City"}), Edition("E", 2025, 2015, 2024), indicators=inds,
                    observations=obs)
    files = package_files(review)
    for path, data in files.items():
        if path.endswith(".csv"):
            _check(_csv_cells(data), [])
    _check(_csv_cells(files["data/indicators.csv"]), texts)
    back = read_package(write_package(review, tmp_path / f"p{abs(hash(tuple(texts)))}"))
    assert [(i.unit, i.source, i.custodian, i.names["en"]) for i in back.indicators] == [(t, t, t, t) for t in texts]
    assert back.observations["unit"].to_list() == obs["unit"].to_list()


def test_the_knowledge_file_round_trips_through_the_neutralisation(tmp_path):
    rows = knowledge.read()
    assert any(r["target_op"] == "=" for r in rows)  # "=" is a real value of the shipped file
    shipped = knowledge.DATA_FILE.read_text(encoding="utf-8")
    assert ",'=," in shipped and not re.search(r"(^|,)=", shipped, re.M)
    rows[0] = {**rows[0], "title": "=HYPERLINK(\"x\")"}
    knowledge.write(rows, tmp_path / "k.csv")
    assert knowledge.read(tmp_path / "k.csv") == rows


def test_the_published_site_and_data_package_neutralise_a_hostile_unit(tmp_path):
    from vlrkit.report.render import render

    payload = '=HYPERLINK("http://evil.example","x")'
    ind = LocalIndicator("X-1", {"en": "Hostile", "zh-Hans": "恶意"}, 1, payload, "lower", "@owner")
    obs = tidy.conform(pl.DataFrame({
        "indicator": ["X-1"] * 3, "period": ["2015", "2016", "2017"], "year": [2015, 2016, 2017],
        "value": [-1.5, -2.0, 3.0], "unit": [payload] * 3, "source": ["-cmd"] * 3, "entity": ["C"] * 3,
        "file": ["d.csv"] * 3, "row": [1, 2, 3]}, schema_overrides={"year": pl.Int32}))
    review = Review(Entity("C", {"en": "City", "zh-Hans": "城市"}), Edition("E", 2025, 2015, 2024, ("en",)),
                    indicators=(ind,), observations=obs)
    render(review, formats=("html", "datapackage"), langs=("en",), out=tmp_path, workers=1)
    written = [p for p in tmp_path.rglob("*.csv")]
    site = [p for p in written if p.parent.name == "data" and "html" in p.parts]
    assert site and len(written) > len(site)
    for path in written:
        cells = _csv_cells(path.read_bytes())
        assert not [c for r in cells for c in r if _unsafe(c)], path
    series = _csv_cells(site[0].read_bytes())
    assert [r[3] for r in series[1:]] == ["-1.5", "-2.0", "3.0"] and series[1][4] == "'" + payload


# --- the guard: no CSV/XLSX writer outside vlrkit.formats.spreadsheet ------------------------

#: What makes a CSV or XLSX writer without the module.
WRITERS = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bDictWriter\(|\.write_csv\(|\.write_excel\(|"
                     r"\bWorkbook\(|xlsxwriter|from csv import .*writer")
#: The one exception, and why: PostgreSQL's COPY reads the observations as CSV; that stream is
#: database input, never a file a person opens, and must hold the text exactly.
ALLOWED = {"store/imports.py": "COPY … FROM STDIN (FORMAT csv) into PostgreSQL"}


def test_no_csv_or_xlsx_is_written_outside_the_spreadsheet_module():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel == "formats/spreadsheet.py" or rel in ALLOWED:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITERS.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert not found, "write CSV/XLSX through vlrkit.formats.spreadsheet:\n" + "\n".join(found)
    # the allowed exception still exists (else the entry must go)
    for rel in ALLOWED:
        assert WRITERS.search((SRC / rel).read_text(encoding="utf-8")), rel


def test_the_guard_sees_a_writer():
    assert WRITERS.search("w = csv.writer(fh)") and WRITERS.search("frame.write_csv(path)")
    assert WRITERS.search("wb = Workbook(write_only=True)") and not WRITERS.search("csv.reader(fh)")


@pytest.mark.parametrize("text", ["-3.5", "+2", "-1e-05", "0", "-.5", "12."])
def test_a_number_as_text_is_not_touched(text):
    assert spreadsheet.neutralise(text) == text


@pytest.mark.parametrize("text", ["-inf", "-nan", "- 3", "-3 ", "\t3", "-1_000", "-٣"])
def test_what_only_looks_like_a_number_is_escaped(text):
    assert spreadsheet.neutralise(text) == "'" + text and spreadsheet.restore("'" + text) == text


def test_dates_stay_native_in_xlsx():
    cells = _xlsx_cells(spreadsheet.xlsx_bytes({"s": (["d"], [[date(2020, 1, 2)]])}))
    assert cells[1][0].date() == date(2020, 1, 2)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(payloads, min_size=1, max_size=4))
def test_the_rejects_file_neutralises_every_cell_and_keeps_the_rows(tmp_path_factory, texts):
    """The rejects of a --partial import (rows of an unknown indicator), written a batch at a
    time: every cell formula-safe, every rejected row once, its cells recoverable."""
    import json

    from vlrkit import ingest
    from vlrkit.ingest.rejects import write_rejects

    folder = tmp_path_factory.mktemp("rejects")
    src = folder / "obs.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:  # the hostile cells raw, as a user's file has them
        w = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)  # (Python leaves a lone CR unquoted)
        w.writerow(["indicator", "period", "value", "unit"])
        w.writerows(["NO-SUCH", str(2000 + i), "1", t] for i, t in enumerate(texts))
    result = ingest.read(src, known={})
    out = folder / "rejects.csv"
    assert write_rejects(result, out) == len(texts)
    rows = _csv_cells(out.read_text(encoding="utf-8"))
    _check(rows, [])
    assert len(rows) == len(texts) + 1  # the header, then one line per rejected row (a CR inside stays in its cell)
    units = [json.loads(spreadsheet.restore(r[-1]))["unit"] for r in rows[1:]]
    # the record keeps each cell as the file had it (a CR inside a quoted cell is read as a line break)
    assert units == [t.replace("\r\n", "\n").replace("\r", "\n") for t in texts] or units == texts
