"""Fuzz the data-in path: malformed CSV, XLSX, SDMX and YAML inputs must all get a report.

Every generated input goes through :func:`vlrkit.ingest.read_members` (the same path as
``vlr validate`` / ``vlr import``).  An input is *answered* when a report comes back, or when
the documented user error for an unsafe source (``SourceError``) is raised; anything else is an
uncaught exception.  Prints ``fuzz_cases=N uncaught=M`` and exits 1 if M > 0.

    python bench/fuzz_import.py [N]          # default 10000 cases
"""

from __future__ import annotations

import io
import sys
import traceback
import zipfile
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vlrkit import ingest
from vlrkit.formats.sources import Member, SourceError

DEFAULT_CASES = 10_000

HEADERS = ["Year", "Value", "Units", "Series", "GeoCode", "Gender", "Race/ Ethnicity", "Age", "Group",
           "Grade", "Planet", "Fruit", "indicator", "period", "value", "unit", "SEX", "obs_status",
           "TIME_PERIOD", "OBS_VALUE", "SERIES", "REF_AREA", "UNIT_MULT", "", "Value", "=cmd()", "年份"]
CELLS = st.one_of(
    st.sampled_from(["2015", "2015/16", "2020-Q1", "2020-03-01", "1990-1999", "2015-Q9", "", "NaN", "inf",
                     "-0", "1e400", "1,234.5", "12%", "Female", "M", "F", "=1+1", "@SUM(A1)", "'", "\"",
                     "A", "E", "Z", "null", "None", "9" * 40, "-1", "103", "Percent", "per 1,000"]),
    st.text(max_size=12),
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)

GENERIC_XML = (
    b'<?xml version="1.0"?><message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
    b'xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"><message:Header><message:ID>X</message:ID>'
    b'<message:Test>false</message:Test><message:Prepared>2024-01-01T00:00:00</message:Prepared><message:Sender id="S"/>'
    b'</message:Header><message:DataSet><generic:Series><generic:SeriesKey><generic:Value id="SERIES" value="%s"/>'
    b'<generic:Value id="SEX" value="%s"/></generic:SeriesKey><generic:Obs><generic:ObsDimension value="%s"/>'
    b'<generic:ObsValue value="%s"/></generic:Obs></generic:Series></message:DataSet></message:GenericData>'
)
BOMB = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><x>&b;</x>'


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")


@st.composite
def csv_input(draw: st.DrawFn) -> list[Member]:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=7))
    width = max(len(header), 1)
    rows = draw(st.lists(st.lists(CELLS, min_size=max(0, width - 2), max_size=width + 2), max_size=12))
    data = _csv([header, *rows]) if header or rows else b""
    mutation = draw(st.sampled_from(["none", "latin1", "bom", "cr", "truncate", "nul", "quote"]))
    if mutation == "latin1":
        data += b"\xe9\xff"
    elif mutation == "bom":
        data = b"\xef\xbb\xbf" + data
    elif mutation == "cr":
        data = data.replace(b"\n", b"\r")
    elif mutation == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif mutation == "nul":
        data += b"\x00\x00"
    elif mutation == "quote":
        data = b'"' + data
    name = draw(st.sampled_from(["indicator_1-1-1.csv", "data/indicator_11-2-1.csv", "x.csv",
                                 "data/indicator_1-1-1/indicator_1-1-1.csv", "sdmx.csv", "data/demo.csv"]))
    return [Member(name, data)]


@st.composite
def yaml_input(draw: st.DrawFn) -> list[Member]:
    body = draw(st.one_of(
        st.text(max_size=80),
        st.sampled_from(["reporting_status: [", "a: b: c", "- 1\n- 2", "reporting_status: done",
                         "sdg_goal: 99", "graph_target_lines: 5", "graph_target_lines:\n  - value: x",
                         "data_non_statistical: maybe", "!!python/object:os.system x", "&a [*a]",
                         "indicator: 2.2.2", "precision: [{decimals: x}]"]),
    ))
    kind = draw(st.sampled_from(["md", "yml", "cfg", "csv"]))
    data = [Member("data/indicator_1-1-1.csv", b"Year,Value\n2015,1\n2016,2\n")]
    if kind == "md":
        data.append(Member("meta/1-1-1.md", f"---\n{body}\n---\ntext".encode("utf-8", "surrogatepass")))
    elif kind == "yml":
        data.append(Member("meta/1-1-1.yml", body.encode("utf-8", "surrogatepass")))
    elif kind == "cfg":
        data.append(Member("indicator-config/1-1-1.yml", body.encode("utf-8", "surrogatepass")))
    else:
        data.append(Member("meta/1-1-1.csv", f"field,value\n{body}".encode("utf-8", "surrogatepass")))
    return data


@st.composite
def xlsx_input(draw: st.DrawFn) -> list[Member]:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    # fixed timestamps: the bytes (and so the draws that depend on their length) must not vary
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 1, 1)
    ws = wb.active
    header = draw(st.lists(st.sampled_from(HEADERS), max_size=6))
    try:
        ws.append(header)
    except Exception:  # noqa: BLE001
        pass
    for row in draw(st.lists(st.lists(st.one_of(CELLS, st.integers(-10**6, 10**6), st.floats(allow_nan=False)),
                                      max_size=7), max_size=8)):
        try:
            ws.append(row)
        except Exception:  # noqa: BLE001 - openpyxl refuses illegal characters: skip the row
            pass
    buf = io.BytesIO()
    try:
        wb.save(buf)
    except Exception:  # noqa: BLE001 - openpyxl may refuse a generated cell at save time
        buf = io.BytesIO(b"PK\x03\x04")
    data = buf.getvalue()
    mutation = draw(st.sampled_from(["none", "flip", "truncate", "zip-garbage", "bomb"]))
    where = draw(st.integers(0, 10**9))  # a position drawn independently of the bytes' length
    if mutation == "flip" and data:
        pos = where % len(data)
        data = data[:pos] + bytes([data[pos] ^ 0xFF]) + data[pos + 1:]
    elif mutation == "truncate":
        data = data[: where % (len(data) + 1)]
    elif mutation == "zip-garbage":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("xl/workbook.xml", draw(st.binary(max_size=64)))
        data = out.getvalue()
    elif mutation == "bomb":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * 1024 * 1024))
        data = out.getvalue()
    return [Member("upload.xlsx", data)]


@st.composite
def sdmx_input(draw: st.DrawFn) -> list[Member]:
    kind = draw(st.sampled_from(["xml", "xml-mutated", "bomb", "csv"]))
    if kind == "bomb":
        return [Member("data.xml", BOMB)]
    if kind == "csv":
        header = ["DATAFLOW", "SERIES", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", *draw(st.lists(st.sampled_from(HEADERS), max_size=3))]
        rows = draw(st.lists(st.lists(CELLS, min_size=len(header) - 1, max_size=len(header) + 1), max_size=8))
        return [Member("sdmx.csv", _csv([header, *rows]))]
    cells = [draw(CELLS).replace('"', "").encode("utf-8", "surrogatepass") for _ in range(4)]
    cells = [c.replace(b"<", b"").replace(b"&", b"") for c in cells]
    data = GENERIC_XML % tuple(cells)
    if kind == "xml-mutated":
        pos = draw(st.integers(0, len(data) - 1))
        data = data[:pos] + draw(st.binary(max_size=4)) + data[pos + draw(st.integers(0, 8)):]
    return [Member("data.xml", data)]


INPUTS = st.one_of(csv_input(), yaml_input(), xlsx_input(), sdmx_input())


def run(cases: int) -> tuple[int, int, Counter[str]]:
    """Feed ``cases`` generated inputs; return (cases, uncaught, uncaught exception types)."""
    seen = {"n": 0, "bad": 0}
    kinds: Counter[str] = Counter()

    @settings(max_examples=cases, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(INPUTS)
    def feed(members: list[Member]) -> None:
        seen["n"] += 1
        try:
            result = ingest.read_members(members)
            assert result.report.files >= 0  # a report came back
        except SourceError:
            pass  # the documented refusal of an unsafe source (zip bomb, too large)
        except Exception as exc:  # noqa: BLE001 - counting what escaped is the point
            seen["bad"] += 1
            kinds[type(exc).__name__] += 1
            if seen["bad"] <= 3:
                traceback.print_exc(file=sys.stderr)

    feed()
    return seen["n"], seen["bad"], kinds


def main() -> int:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CASES
    n, bad, kinds = run(cases)
    print(f"fuzz_cases={n} uncaught={bad}")
    if kinds:
        print("uncaught_types=" + ",".join(f"{k}:{v}" for k, v in kinds.most_common()))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
