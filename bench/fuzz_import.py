"""Fuzz the data-in path through the ``vlr`` command and the web's upload jobs: every input
must get an answer.

Two sets of inputs, each through ``vlr validate --json`` in processes of its own (so that a
crash shows as an exit status and memory is measured per input; see ``bench/_probe.py``):

- the **structural bombs** of issue 19, each in a fresh ``vlr`` process: YAML nested 50,000 deep
  (front matter, ``indicator-config``, the mapping file in the repository and ``--mapping``),
  billion laughs (9 anchors × 9 references), a merge-key bomb, a recursive alias, a CSV of 10⁶
  columns, a 5 MB cell, rows over the limit, binary junk named ``.csv``, UTF-16/UTF-32 CSVs (with
  and without a mark), XML with parameter entities, entity expansion, an external entity and
  100,000 levels, an XLSX part with a DTD, an XLSX claiming 16,384 × 1,048,576 cells, zip bombs
  (a repository member and a workbook), an archive of too many files;
- **generated inputs** (hypothesis): malformed CSV, XLSX, SDMX and YAML, and the same bombs at
  drawn sizes (nesting depth, anchors × references, columns, cell length, encodings), run by
  worker processes that each go through many inputs.

Then the **web half** (``bench/_jobs_probe.py``): every structural bomb and a sample of the
generated inputs (``VLRKIT_FUZZ_WEB``, default 1,000; 0 skips it) are uploaded as the data page
does it — an upload record whose validation is queued with ``vlrkit.web.jobs.runner.start`` —
and validated by a real ``vlr worker``, each job in a child process within the job limits
(2,048 MB, 120 s here).  A job that fails as unreadable must be an input the command refused as
a whole too (else it counts as uncaught); a job over its limits or whose process died is a
crashed worker.

An input is *answered* when a report comes back (exit 0 or 1) or the clean one-line user error
(exit 2, e.g. an archive of too many files); *uncaught* is a traceback, *crashed* a process killed
by a signal (a worker that dies is replaced and counted).  Prints
``cases=… uncaught=… crashed_workers=… max_rss_mb=… max_seconds=…`` (targets 0, 0, ≤ 2048,
≤ 30) and exits 1 if a target is missed.

    python bench/fuzz_import.py [N]          # N generated inputs, default 10000
    VLRKIT_FUZZ_WEB=0 python bench/fuzz_import.py 500    # the command-line half only
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import traceback
import zipfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _probe import Outcome, run_batch, run_cli  # noqa: E402
from vlrkit.formats.sources import Member  # noqa: E402

TARGET_RSS_MB = 2048
TARGET_SECONDS = 30.0

DEFAULT_CASES = 10_000
#: Generated inputs also sent through the web's upload jobs (every structural bomb is).
WEB_CASES = int(os.environ.get("VLRKIT_FUZZ_WEB", "1000"))

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




# --- the bombs, at drawn sizes ----------------------------------------------------------------

YAML_PLACES = ["meta/1-1-1.md", "meta/1-1-1.yml", "indicator-config/1-1-1.yml", "vlrkit-mapping.yml"]
DATA = Member("data/indicator_1-1-1.csv", b"Year,Value\n2015,1\n2016,2\n")


def nested_yaml(depth: int, kind: str) -> str:
    """A YAML value nested ``depth`` deep: flow ``[``/``{``, or block sequences/mappings."""
    if kind == "flow-seq":
        return "x: " + "[" * depth + "]" * depth
    if kind == "flow-map":
        return "x: " + "{a: " * depth + "1" + "}" * depth
    if kind == "block-seq":
        return "x:\n" + "".join(" " * (i + 1) + "-\n" for i in range(depth)) + " " * (depth + 1) + "- 1"
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v: 1"


def laughs(anchors: int, refs: int, scalar: str = "lol") -> str:
    """Billion laughs: ``anchors`` levels, each ``refs`` references to the one before."""
    lines = [f"a0: &a0 [{', '.join([scalar] * refs)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * refs)}]" for i in range(1, anchors)]
    return "\n".join(lines)


def merge_bomb(levels: int) -> str:
    lines = ["b0: &b0 {x: 1}"]
    lines += [f"b{i}: &b{i} {{<<: [{', '.join([f'*b{i - 1}'] * 9)}], y{i}: 1}}" for i in range(1, levels)]
    return "\n".join(lines)


def yaml_member(place: str, body: str) -> Member:
    text = f"---\n{body}\n---\npage\n" if place.endswith(".md") else body
    if place == "vlrkit-mapping.yml":
        text = body.replace("x:", "columns:", 1) if body.startswith("x:") else body
    return Member(place, text.encode("utf-8"))


@st.composite
def yaml_bomb(draw: st.DrawFn) -> list[Member]:
    place = draw(st.sampled_from(YAML_PLACES))
    kind = draw(st.sampled_from(["nested", "laughs", "merge", "recursive"]))
    if kind == "nested":
        body = nested_yaml(draw(st.sampled_from([8, 63, 64, 65, 300, 3000, 50000])),
                           draw(st.sampled_from(["flow-seq", "flow-map", "block-seq", "block-map"])))
    elif kind == "laughs":
        body = laughs(draw(st.integers(1, 9)), draw(st.integers(1, 9)), "x" * draw(st.sampled_from([1, 3, 1000])))
    elif kind == "merge":
        body = merge_bomb(draw(st.integers(2, 9)))
    else:
        body = draw(st.sampled_from(["x: &a [*a]", "x: &a {k: *a}", "&a [1, [2, *a]]"]))
    return [DATA, yaml_member(place, body)]


WIDE_LAYOUTS = {
    "tidy": ("x.csv", ["indicator", "period", "value"], ["X", "2015", "1"]),
    "opensdg": ("data/indicator_1-1-1.csv", ["Year", "Value"], ["2015", "1"]),
    "sdmx": ("sdmx.csv", ["SERIES", "TIME_PERIOD", "OBS_VALUE"], ["X", "2015", "1"]),
}


@st.composite
def table_bomb(draw: st.DrawFn) -> list[Member]:
    name, header, row = WIDE_LAYOUTS[draw(st.sampled_from(sorted(WIDE_LAYOUTS)))]
    kind = draw(st.sampled_from(["wide", "wide-row", "long-cell", "junk", "encoding"]))
    if kind == "wide":
        n = draw(st.sampled_from([10, 997, 998, 1000, 5000, 100_000]))
        data = _csv([header + [f"c{i}" for i in range(n)], row + ["1"] * n])
    elif kind == "wide-row":  # a data row much wider than its header
        data = _csv([header, row + [""] * draw(st.sampled_from([5, 2000, 100_000])) + ["1"]])
    elif kind == "long-cell":
        data = _csv([header + ["note"], row + ["9" * draw(st.sampled_from([1000, 100_000, 100_001, 2_000_000]))]])
    elif kind == "junk":
        data = draw(st.binary(min_size=1, max_size=4096))
        if draw(st.booleans()):
            data = os.urandom(draw(st.sampled_from([16, 70_000])))
    else:
        text = _csv([header, row, row[:-1] + [draw(CELLS)]]).decode("utf-8", "replace")
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]))
        data = text.encode(codec, "surrogatepass")
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]  # cut inside a code unit, perhaps
    return [Member(name, data)]


SDMX_NS = b'xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'


@st.composite
def xml_bomb(draw: st.DrawFn) -> list[Member]:
    kind = draw(st.sampled_from(["parameter", "laughs", "external", "deep", "dtd-late"]))
    body = b"<message:GenericData " + SDMX_NS + b">&e;</message:GenericData>"
    if kind == "parameter":
        dtd = b'<!DOCTYPE x [<!ENTITY % p "<!ENTITY e \'x\'>"> %p;]>'
    elif kind == "laughs":
        n = draw(st.integers(1, 9))
        ents = b'<!ENTITY e0 "lol">' + b"".join(b'<!ENTITY e%d "%s">' % (i, b"&e%d;" % (i - 1) * 9) for i in range(1, n))
        dtd = b"<!DOCTYPE x [" + ents + b'<!ENTITY e "&e%d;">]>' % (n - 1)
    elif kind == "external":
        dtd = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    elif kind == "deep":
        depth = draw(st.sampled_from([50, 100, 101, 100_000]))
        return [Member("data.xml", b'<?xml version="1.0"?><message:GenericData ' + SDMX_NS + b">"
                       + b"<a>" * depth + b"</a>" * depth + b"</message:GenericData>")]
    else:  # the SDMX namespace pushed beyond what the format detection looks at
        dtd = b"<!DOCTYPE x [" + b"<!-- " + b"x" * 4096 + b" -->" + b'<!ENTITY e "x">]>'
    return [Member(draw(st.sampled_from(["data.xml", "meta/1-1-1.xml"])), b'<?xml version="1.0"?>' + dtd + body)]


@st.composite
def zip_bomb(draw: st.DrawFn) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("repo/data/indicator_1-1-1.csv", b"Year,Value\n2015,1\n")
        size = draw(st.sampled_from([1, 2, 8]))
        z.writestr(draw(st.sampled_from(["repo/data/indicator_2-1-1.csv", "repo/meta/2-1-1.md", "repo/x.xml"])),
                   b"0" * (size * 1024 * 1024))
    return out.getvalue()


INPUTS = st.one_of(csv_input(), yaml_input(), xlsx_input(), sdmx_input(), yaml_bomb(), table_bomb(), xml_bomb(),
                   zip_bomb())


# --- the structural bombs of the issue, each in a fresh `vlr` ---------------------------------


def _write(case: Path, members: list[Member]) -> Path:
    """A folder holding the members (the source the CLI reads)."""
    for m in members:
        target = case / m.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(m.data)
    return case


def _zip(path: Path, files: dict[str, bytes | int], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A zip of ``files``; an int is that many zero bytes, written in pieces (never held)."""
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name, data in files.items():
            if isinstance(data, int):
                with z.open(name, "w", force_zip64=True) as fh:
                    for _ in range(data // (1 << 20)):
                        fh.write(bytes(1 << 20))
            else:
                z.writestr(name, data)
    return path


def _xlsx(dtd: bool = False, huge: bool = False) -> bytes:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 1, 1)
    ws = wb.active
    for row in (["indicator", "period", "value"], ["X", "2015", 1]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    files = {i.filename: src.read(i) for i in src.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    if dtd:
        files[sheet] = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>' + files[sheet]
    if huge:  # one cell at the far corner: a reader that fills the gaps walks 17 billion cells
        files[sheet] = files[sheet].replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>').replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def structural(tmp: Path) -> list[tuple[str, list[str]]]:
    """(name, vlr arguments) of each structural bomb, its files written under ``tmp``."""
    cases: list[tuple[str, list[str]]] = []

    def repo(name: str, members: list[Member]) -> Path:
        return _write(tmp / name, [DATA, *members])

    def validate(name: str, path: Path, *extra: str) -> None:
        cases.append((name, ["validate", "--json", str(path), *extra]))

    validate("yaml-front-matter-50000-brackets", repo("deep-md", [yaml_member("meta/1-1-1.md", nested_yaml(50_000, "flow-seq"))]))
    validate("yaml-config-50000-braces", repo("deep-cfg", [yaml_member("indicator-config/1-1-1.yml", nested_yaml(50_000, "flow-map"))]))
    validate("yaml-block-mapping-3000-deep", repo("deep-block", [yaml_member("meta/1-1-1.yml", nested_yaml(3000, "block-map"))]))
    validate("yaml-billion-laughs-9x9", repo("laughs", [yaml_member("meta/1-1-1.md", laughs(9, 9))]))
    validate("yaml-merge-key-bomb", repo("merge", [yaml_member("meta/1-1-1.yml", merge_bomb(9))]))
    validate("yaml-recursive-alias", repo("recursive", [yaml_member("meta/1-1-1.md", "x: &a [*a]")]))
    validate("yaml-mapping-file-in-repository", repo("deep-mapping", [yaml_member("vlrkit-mapping.yml", nested_yaml(50_000, "flow-map"))]))
    deep_map = tmp / "deep-mapping.yml"
    deep_map.write_text("columns: " + "{a: " * 50_000 + "1" + "}" * 50_000)
    validate("yaml-deep-mapping-option", tmp / "deep-cfg", "--mapping", str(deep_map))
    laughs_map = tmp / "laughs-mapping.yml"
    laughs_map.write_text(laughs(9, 9))
    validate("yaml-laughs-mapping-option", tmp / "deep-cfg", "--mapping", str(laughs_map))
    wide = tmp / "wide.csv"
    wide.write_bytes(_csv([["indicator", "period", "value"] + [f"c{i}" for i in range(10**6)],
                           ["X", "2015", "1"] + ["1"] * 10**6]))
    validate("csv-1000000-columns", wide)
    wide_osdg = _write(tmp / "wide-osdg", [Member("data/indicator_1-1-1.csv", _csv(
        [["Year"] + [f"c{i}" for i in range(10**6)] + ["Value"], ["2015"] + ["1"] * 10**6 + ["1"]]))])
    validate("opensdg-csv-1000000-columns", wide_osdg)
    long_cell = tmp / "long-cell.csv"
    long_cell.write_bytes(_csv([["indicator", "period", "value", "note"], ["X", "2015", "1", "9" * 5_000_000]]))
    validate("csv-5-mb-cell", long_cell)
    rows = tmp / "rows.csv"
    rows.write_bytes(b"indicator,period,value\n" + b"X,2015,1\n" * 200_001)
    validate("csv-rows-over-the-limit", rows, "--limit", "rows=200000")
    junk = tmp / "junk.csv"
    junk.write_bytes(os.urandom(1_000_000))
    validate("binary-junk-named-csv", junk)
    text = "indicator,period,value\nX,2015,1\nX,2016,2\n"
    for codec in ("utf-16", "utf-16-be", "utf-32", "utf-32-le"):
        path = tmp / f"{codec}.csv"
        path.write_bytes(text.encode(codec))
        validate(f"csv-{codec}{'-with-bom' if codec in ('utf-16', 'utf-32') else '-no-bom'}", path)
    for member in xml_cases():
        path = tmp / f"{member[0]}.xml"
        path.write_bytes(member[1])
        validate(f"xml-{member[0]}", path)
    for name, data in (("xlsx-part-with-dtd", _xlsx(dtd=True)), ("xlsx-16384-by-1048576-cells", _xlsx(huge=True))):
        path = tmp / f"{name}.xlsx"
        path.write_bytes(data)
        validate(name, path)
    validate("zip-bomb-repository-member", _zip(tmp / "bomb.zip", {
        "repo/data/indicator_1-1-1.csv": b"Year,Value\n2015,1\n", "repo/data/indicator_2-1-1.csv": 200 << 20}))
    validate("zip-declaring-4-gb", _zip(tmp / "bomb4.zip", {f"repo/data/indicator_{i}-1-1.csv": 1 << 30 for i in (2, 3, 4, 5)}))
    validate("zip-bomb-workbook", _zip(tmp / "bomb.xlsx", {"xl/worksheets/sheet1.xml": 512 << 20}))
    validate("zip-of-200000-files", _zip(tmp / "many.zip", {f"meta/{i}.md": b"" for i in range(200_000)},
                                         zipfile.ZIP_STORED))
    return cases


def xml_cases() -> list[tuple[str, bytes]]:
    def doc(dtd: bytes, body: bytes = b"&e;") -> bytes:
        return (b'<?xml version="1.0"?>' + dtd + b"<message:GenericData " + SDMX_NS + b">" + body
                + b"</message:GenericData>")

    ents = b'<!ENTITY e0 "lol">' + b"".join(b'<!ENTITY e%d "%s">' % (i, b"&e%d;" % (i - 1) * 9) for i in range(1, 10))
    return [
        ("parameter-entities", doc(b'<!DOCTYPE x [<!ENTITY % p "<!ENTITY e \'x\'>"> %p;]>')),
        ("billion-laughs", doc(b"<!DOCTYPE x [" + ents + b'<!ENTITY e "&e9;">]>')),
        ("external-entity", doc(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>')),
        ("dtd-hiding-the-namespace", doc(b"<!DOCTYPE x [<!-- " + b"x" * 4096 + b' --><!ENTITY e "x">]>')),
        ("100000-levels", doc(b"", b"<a>" * 100_000 + b"</a>" * 100_000)),
    ]


# --- running ----------------------------------------------------------------------------------


def generate(cases: int, into: Path) -> list[Path]:
    """``cases`` generated inputs written under ``into`` (a folder each; a zip for zip bombs)."""
    paths: list[Path] = []

    @settings(max_examples=cases, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(INPUTS)
    def collect(case: list[Member] | bytes) -> None:
        n = len(paths)
        if isinstance(case, bytes):
            path = into / f"case-{n:05d}.zip"
            path.write_bytes(case)
        else:
            path = _write(into / f"case-{n:05d}", case)
            path.mkdir(exist_ok=True)
        paths.append(path)

    collect()
    return paths


def run(cases: int) -> tuple[int, int, Counter[str]]:
    """The generated inputs in this process, through :func:`vlrkit.ingest.read_members` (the quick
    form for the tests): (cases, uncaught, uncaught exception types).  The documented refusals of
    a whole source (:class:`~vlrkit.formats.sources.SourceError`, a mapping file that cannot be
    used: :class:`~vlrkit.formats.opensdg.mapping.MappingError`) are answers, as on the command
    line (exit 2, one ``Error:`` line)."""
    from vlrkit import ingest
    from vlrkit.formats.opensdg.mapping import MappingError
    from vlrkit.formats.sources import SourceError

    seen = {"n": 0, "bad": 0}
    kinds: Counter[str] = Counter()
    tmp = Path(tempfile.mkdtemp(prefix="vlrkit-fuzz-"))

    @settings(max_examples=cases, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(INPUTS)
    def feed(case: list[Member] | bytes) -> None:
        seen["n"] += 1
        try:
            if isinstance(case, bytes):
                path = tmp / f"case-{seen['n']}.zip"
                path.write_bytes(case)
                result = ingest.read(path)
            else:
                result = ingest.read_members(case)
            assert result.report.files >= 0  # a report came back
        except (SourceError, MappingError):
            pass
        except Exception as exc:  # noqa: BLE001 - counting what escaped is the point
            seen["bad"] += 1
            kinds[type(exc).__name__] += 1
            if seen["bad"] <= 3:
                traceback.print_exc(file=sys.stderr)

    try:
        feed()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return seen["n"], seen["bad"], kinds


def web_half(tmp: Path, bombs: list[tuple[Path, str]], generated: list[Path], cli: dict[str, Outcome]) -> list[Outcome]:
    """The bombs and a sample of the generated inputs as web uploads (see the module doc)."""
    from _jobs_probe import run_uploads

    step = max(1, len(generated) // WEB_CASES)
    seen: set[Path] = set()
    inputs: list[tuple[str, Path]] = []
    for path, name in [*bombs, *((p, p.name) for p in generated[::step][:WEB_CASES])]:
        if path not in seen and path.exists():
            seen.add(path)
            inputs.append((name, path))
    web = run_uploads(inputs, tmp / "web", time_limit_s=TARGET_SECONDS * 4)
    out = []
    for o in web:
        name = o.name.removeprefix("web:")
        if o.status == "refused" and cli.get(name, o).status != "refused":
            # the command answered it with a report: the job's "could not be read" hid an exception
            o = Outcome(o.name, "uncaught", None, o.rss_mb, o.seconds, o.detail)
        out.append(o)
        if o.name.removeprefix("web:") in {n for _p, n in bombs}:
            print(f"web_bomb={name} status={o.status} rss_mb={o.rss_mb:.0f} seconds={o.seconds:.2f}")
    web_counts = Counter(o.status for o in out)
    print(f"web_cases={len(out)} web_answered={web_counts['answered']} web_refused={web_counts['refused']} "
          f"web_uncaught={web_counts['uncaught']} web_crashed={web_counts['crashed'] + web_counts['timeout']} "
          f"web_max_rss_mb={max((o.rss_mb for o in out), default=0):.0f} "
          f"web_max_seconds={max((o.seconds for o in out), default=0):.2f}")
    return out


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CASES
    tmp = Path(tempfile.mkdtemp(prefix="vlrkit-fuzz-"))
    outcomes: list[Outcome] = []
    try:
        bomb_cases = structural(tmp / "structural")
        for name, args in bomb_cases:
            out = run_cli(args, name=name, timeout=TARGET_SECONDS * 4)
            outcomes.append(out)
            print(f"bomb={name} status={out.status} exit={out.returncode} rss_mb={out.rss_mb:.0f} "
                  f"seconds={out.seconds:.2f} problems={out.detail}")
        generated = tmp / "generated"
        generated.mkdir()
        paths = generate(n, generated)
        print(f"generated={len(paths)}")
        batch = list(run_batch(paths, timeout=TARGET_SECONDS * 4))
        outcomes += batch
        cli = {o.name: o for o in outcomes}
        bombs = [(Path(args[2]), name) for name, args in bomb_cases]
        if WEB_CASES:
            outcomes += web_half(tmp, bombs, paths, cli)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    counts = Counter(o.status for o in outcomes)
    uncaught = counts["uncaught"]
    crashed = counts["crashed"] + counts["timeout"]
    max_rss = max(o.rss_mb for o in outcomes)
    max_seconds = max(o.seconds for o in outcomes)
    for o in outcomes:
        if not o.ok:
            print(f"failed={o.name} status={o.status} detail={o.detail}", file=sys.stderr)
    slowest = max(outcomes, key=lambda o: o.seconds)
    largest = max(outcomes, key=lambda o: o.rss_mb)
    print(f"answered={counts['answered']} refused={counts['refused']} slowest={slowest.name} largest={largest.name}")
    print(f"cases={len(outcomes)} uncaught={uncaught} crashed_workers={crashed} max_rss_mb={max_rss:.0f} "
          f"max_seconds={max_seconds:.2f}")
    ok = uncaught == 0 and crashed == 0 and max_rss <= TARGET_RSS_MB and max_seconds <= TARGET_SECONDS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
