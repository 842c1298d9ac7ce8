"""Property tests: Open SDG → vlrkit → Open SDG and SDMX → vlrkit → SDMX lose nothing; fuzzing."""

from __future__ import annotations

import csv
import importlib.util
import io
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vlrkit import ingest, tidy
from vlrkit.formats.opensdg.writer import write_repository
from vlrkit.formats.sdmx import writer as sdmx_writer
from vlrkit.formats.sources import Member

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
LABEL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12).map(
    str.strip).filter(bool)
VALUE = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)
PERIOD = st.one_of(st.integers(1990, 2030).map(str), st.sampled_from(["2015/16", "2019-Q3", "2004-2013", "2020-03-01"]))


@st.composite
def opensdg_file(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    extra = draw(st.lists(st.sampled_from(["Crime Type", "Sector", "Revenue Source"]), unique=True, max_size=2))
    header = ["Year", "Gender", "Age", *extra, "Units", "Value"]
    keys = draw(st.lists(st.tuples(PERIOD, st.sampled_from(["", "Female", "Male"]), st.one_of(st.just(""), LABEL),
                                   *[st.one_of(st.just(""), LABEL) for _ in extra],
                                   st.sampled_from(["Percent", "Number", "=rate()", "@per 1,000"])),
                         min_size=1, max_size=25, unique=True))
    rows = [[*k, repr(draw(VALUE))] for k in keys]
    return header, rows


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode()


COLS = ["indicator", "period", "year", "value", "unit", "series", *tidy.DIMENSIONS, "obs_status", "labels"]


@SETTINGS
@given(opensdg_file())
def test_open_sdg_round_trip(tmp_path_factory, data):
    header, rows = data
    root: Path = tmp_path_factory.mktemp("osdg")
    (root / "data").mkdir()
    (root / "data" / "indicator_3-4-1.csv").write_bytes(_csv_bytes(header, rows))
    first = ingest.read(root)
    # the labels' identity decides duplicates; values and periods come through exactly
    got = first.observations.sort("row")
    assert got.height + first.rejected.height == len(rows)  # every row stored or rejected
    assert {p.type for p in first.report.problems if p.severity == "error"} <= {
        "percentage-out-of-range", "implausible-value"}  # the only errors generated data can have
    for rec in got.iter_rows(named=True):
        src = rows[rec["row"] - 1]
        assert rec["value"] == float(src[-1]) and rec["period"] == src[0]
    out: Path = tmp_path_factory.mktemp("out")
    write_repository(out, first.indicators, first.observations)
    second = ingest.read(out)
    a = first.observations.select(COLS).sort(COLS, nulls_last=True)
    b = second.observations.select(COLS).sort(COLS, nulls_last=True)
    assert a.equals(b)


@st.composite
def sdmx_csv(draw: st.DrawFn) -> bytes:
    """A valid SDMX-CSV file: one area (a review holds one place; a file holding several is
    refused as a whole, see tests/formats/test_sdmx_areas.py), keys unique."""
    area = draw(st.sampled_from(["CHN", "156", "LA"]))
    keys = draw(st.lists(st.tuples(
        st.sampled_from(["SI_POV_DAY1", "SH_STA_MORT", "EN_ATM_CO2"]),
        st.one_of(st.integers(2000, 2030).map(str), st.sampled_from(["2020-Q1", "2021-Q4", "2019-06"])),
        st.sampled_from(["F", "M", "_T", ""]),
        st.sampled_from(["Y15T24", "Y25T64", ""]),
        st.sampled_from(["U", "R", ""]),
    ), min_size=1, max_size=30, unique=True))
    lines = ["DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,SEX,AGE,URBANISATION,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS"]
    for series, period, sex, age, urb in keys:
        lines.append(",".join([
            "IAEG-SDGs:DF_SDG_GLH(1.0)", series, area, period, sex, age, urb,
            repr(draw(st.floats(0, 100, allow_nan=False))),  # valid data: counts and percentages
            draw(st.sampled_from(["PT", "NUMBER", "PER_1000"])), draw(st.sampled_from(["0", "3", ""])),
            draw(st.sampled_from(["A", "E", "P", ""]))]))
    return ("\n".join(lines) + "\n").encode()


@SETTINGS
@given(sdmx_csv())
def test_sdmx_round_trip(data):
    first = ingest.read_members([Member("in.csv", data)])
    assert first.report.valid and first.observations.height == data.count(b"\n") - 1
    second = ingest.read_members([Member("out.csv", sdmx_writer.to_csv(first.observations))])
    cols = ["indicator", "series", "entity", "period", "value", "unit", "obs_status", *tidy.DIMENSIONS, "labels"]
    a = first.observations.select(cols).sort(cols, nulls_last=True)
    b = second.observations.select(cols).sort(cols, nulls_last=True)
    assert a.equals(b)
    # and the SDMX text itself comes back the same, cell for cell (obs order aside)
    def cells(raw: bytes) -> set[tuple[str, ...]]:
        rows = list(csv.DictReader(io.StringIO(raw.decode())))
        keep = ("SERIES", "REF_AREA", "TIME_PERIOD", "SEX", "AGE", "URBANISATION", "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS")
        return {(*[r.get(k, "") for k in keep], repr(float(r["OBS_VALUE"]))) for r in rows}
    assert cells(data) == cells(sdmx_writer.to_csv(first.observations))


def test_a_small_fuzz_run_leaves_nothing_uncaught():
    path = Path(__file__).resolve().parents[2] / "bench" / "fuzz_import.py"
    spec = importlib.util.spec_from_file_location("fuzz_import", path)
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    cases, uncaught, kinds = fuzz.run(300)
    assert cases == 300 and uncaught == 0, kinds


def test_tidy_frame_of_the_sdmx_reader_has_the_contract_schema():
    got = ingest.read_members([Member("x.csv", b"SERIES,TIME_PERIOD,OBS_VALUE\nS,2020,1\n")])
    assert list(got.observations.columns[: len(tidy.COLUMNS)]) == list(tidy.COLUMNS)
    assert got.observations.schema["value"] == pl.Float64
