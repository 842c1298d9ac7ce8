"""SDMX data in: SDMX-CSV (1.0 and 2.0) and SDMX-ML 2.1 data messages (via the sdmx1 library).

Concepts of the UN SDG data structure map onto the tidy table:

=====================  =========================================================================
SDMX concept           tidy column
=====================  =========================================================================
``INDICATOR``          ``indicator`` (vlrkit extension; without it ``SERIES`` is the indicator)
``SERIES``             ``series`` when ``INDICATOR`` is present (and differs), else ``indicator``
``REF_AREA``           ``entity``
``TIME_PERIOD``        ``period``
``OBS_VALUE``          ``value``
``SEX``, ``AGE``, …    the dimensions of the same name (:data:`vlrkit.tidy.DIMENSIONS`)
``UNIT_MEASURE``       ``unit``
``OBS_STATUS``         ``obs_status``
``SOURCE_DETAIL``      ``source``
anything else          kept verbatim in ``labels`` (``UNIT_MULT``, ``FREQ``, ``DATAFLOW``…)
=====================  =========================================================================

XML is checked with defusedxml before sdmx1 parses it.
"""

from __future__ import annotations

import contextlib
import io
import logging

import polars as pl

from vlrkit import tidy
from vlrkit.formats.labels import labels as labels_of
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits, Refusal
from vlrkit.formats.safety import check_xml, restore, restore_expr
from vlrkit.formats.sources import Member
from vlrkit.formats.tabular import csvio
from vlrkit.validation import catalogue as c
from vlrkit.validation import rows as vrows
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.parsed import Parsed, RawFile
from vlrkit.validation.report import row_problems

CONCEPTS = {
    "TIME_PERIOD": "period",
    "OBS_VALUE": "value",
    "REF_AREA": "entity",
    "UNIT_MEASURE": "unit",
    "OBS_STATUS": "obs_status",
    "SOURCE_DETAIL": "source",
}
#: SDMX-CSV columns that describe the structure, not the observation (2.0 and 1.0).
STRUCTURE_COLUMNS = ("STRUCTURE", "STRUCTURE_ID", "ACTION", "DATAFLOW")
#: Attributes of the SDG data structure (and SDMX-CSV's structure columns): kept in labels,
#: never a disaggregation.
ATTRIBUTES = frozenset({*STRUCTURE_COLUMNS, "UNIT_MULT", "NATURE", "TIME_DETAIL", "COMMENT_OBS", "COMMENT_TS",
                        "TIME_COVERAGE", "UPPER_BOUND", "LOWER_BOUND", "BASE_PER", "GEO_INFO_URL", "GEO_INFO_TYPE",
                        "CUST_BREAKDOWN_LB", "DATA_LAST_UPDATE", "FREQ", "REPORTING_TYPE", "OBS_CONF"})


def looks_sdmx_csv(header: tuple[str, ...]) -> bool:
    up = {h.strip().upper() for h in header}
    return {"TIME_PERIOD", "OBS_VALUE"} <= up


def is_sdmx_xml(data: bytes) -> bool:
    head = data[:2048]
    return b"sdmx.org/resources/sdmxml" in head or b"GenericData" in head or b"StructureSpecificData" in head


def _concept(h: str) -> str:
    """SDMX-CSV 2.0 headers may be ``SEX: Sex``; the id is before the colon."""
    return h.split(":", 1)[0].strip().upper()


def _frame(name: str, table: csvio.CsvText) -> tuple[pl.DataFrame, dict[str, str]]:
    ids = [_concept(h) for h in table.header]

    def text(i: int) -> pl.Expr:
        e = restore_expr(pl.col(f"c{i}")).str.strip_chars()
        return pl.when(e == "").then(None).otherwise(e)

    exprs = [pl.lit(name).alias("file"), pl.col("row")]
    used: set[int] = set()
    for i, cid in enumerate(ids):
        target = CONCEPTS.get(cid) or (cid if cid in tidy.DIMENSIONS else None)
        if target:
            exprs.append(text(i).alias(target))
            used.add(i)
    has_indicator = "INDICATOR" in ids
    if "SERIES" in ids:
        s = text(ids.index("SERIES"))
        used.add(ids.index("SERIES"))
        if has_indicator:
            ind = text(ids.index("INDICATOR"))
            used.add(ids.index("INDICATOR"))
            exprs += [ind.alias("indicator"), pl.when(s == ind).then(pl.lit("")).otherwise(s.fill_null("")).alias("series")]
        else:
            exprs += [s.alias("indicator"), pl.lit("").alias("series")]
    elif has_indicator:
        used.add(ids.index("INDICATOR"))
        exprs += [text(ids.index("INDICATOR")).alias("indicator"), pl.lit("").alias("series")]
    frame = table.frame.select(exprs)
    # a column that is neither a known concept nor an SDMX attribute is a disaggregation of its
    # own (the breakdown), so rows that differ only there stay apart; attributes go to labels
    groups = [i for i in range(len(ids)) if i not in used and ids[i] not in ATTRIBUTES]
    if groups:
        names_ = [table.header[i].split(":", 1)[0].strip() for i in groups]
        cells = [table.frame[f"c{i}"].to_list() for i in groups]
        frame = frame.with_columns(pl.Series("breakdown", [
            tidy.breakdown_text({k: restore(v).strip() for k, v in zip(names_, row, strict=True) if v and v.strip()})
            for row in zip(*cells, strict=True)], dtype=pl.String))
    extra = [i for i in range(len(ids)) if i not in used]
    if extra:
        frame = frame.with_columns(labels_of(table.frame, [ids[i] for i in extra], [f"c{i}" for i in extra]))
    names = {"period": "TIME_PERIOD", "value": "OBS_VALUE", "obs_status": "OBS_STATUS", "indicator": "SERIES"}
    return frame, names


def xml_table(data: bytes, limits: Limits = DEFAULT_LIMITS) -> csvio.CsvText:
    """An SDMX-ML data message as text cells, one row per observation (XML checked first:
    no DTD or entities, depth within ``limits``; rows and time within ``limits``)."""
    check_xml(data, limits)
    deadline = limits.deadline()
    import sdmx

    # sdmx1 dumps its parser state to stdout when a message is broken, and warns when a
    # structure-specific message comes without its structure (we map concepts by id, so it
    # needs none); keep our output clean
    logging.getLogger("sdmx").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        msg = sdmx.read_sdmx(io.BytesIO(data))
    records: list[dict[str, str]] = []
    for ds in getattr(msg, "data", []) or []:
        for obs in ds.obs:
            if len(records) % csvio.CLOCK_ROWS == 0:
                deadline.check(row=len(records))
            limits.check("rows", len(records) + 1)
            rec = {k: str(v.value) for k, v in obs.key.values.items()}
            rec.update({k: str(v.value) for k, v in obs.attrib.items()})
            rec["OBS_VALUE"] = "" if obs.value is None else repr(obs.value) if isinstance(obs.value, float) else str(obs.value)
            records.append(rec)
    seen: dict[str, None] = {}
    for rec in records:
        seen.update(dict.fromkeys(rec))
    header = list(seen)
    limits.check("columns", len(header))
    cols = {f"c{i}": pl.Series([rec.get(h, "") for rec in records], dtype=pl.String) for i, h in enumerate(header)}
    cols["row"] = pl.Series(range(1, len(records) + 1), dtype=pl.Int64)
    return csvio.CsvText(tuple(header), pl.DataFrame(cols))


def read(members: list[Member], limits: Limits = DEFAULT_LIMITS) -> Parsed:
    """Read every SDMX-CSV or SDMX-ML member, within ``limits``."""
    problems: list[Problem] = []
    frames: list[pl.DataFrame] = []
    raw: dict[str, RawFile] = {}
    rejected: dict[str, int] = {}
    names_of: dict[str, dict[str, str]] = {}
    files = rows = 0
    for m in members:
        files += 1
        try:
            table = xml_table(m.data, limits) if m.suffix == ".xml" else csvio.parse(m.data, limits)
        except csvio.EncodingProblem as exc:
            problems.append(c.make(c.BadEncoding, m.name, position=exc.position))
            rejected[m.name] = 0
            continue
        except Refusal as exc:  # a DTD or entities, a bound of limits crossed
            problems.append(exc.problem(m.name))
            rejected[m.name] = 0
            continue
        except Exception as exc:  # noqa: BLE001 - sdmx1 raises many types on bad messages
            problems.append(c.make(c.UnreadableFile, m.name, format="SDMX", detail=f"{type(exc).__name__}: {exc}"[:200]))
            rejected[m.name] = 0
            continue
        rows += table.rows
        raw[m.name] = (RawFile(table.header, table.frame, table.ragged) if m.suffix == ".xml"
                       else csvio.raw_file(table, m.data, limits))
        if not table.header or table.rows == 0:
            problems.append(c.make(c.EmptyFile, m.name))
            rejected[m.name] = table.rows
            continue
        ids = [_concept(h) for h in table.header]
        missing = [k for k in ("TIME_PERIOD", "OBS_VALUE") if k not in ids]
        if "SERIES" not in ids and "INDICATOR" not in ids:
            missing.append("SERIES")
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if missing or dup:
            problems += [c.make(c.MissingColumn, m.name, None, k) for k in missing]
            problems += [c.make(c.DuplicateColumn, m.name, None, k) for k in dup]
            rejected[m.name] = table.rows
            continue
        for n, cells in table.ragged:
            problems.append(c.make(c.RaggedRow, m.name, n, None, found=len(cells), expected=len(table.header)))
        frame, names = _frame(m.name, table)
        names_of[m.name] = names
        frames.append(frame)
    table = None  # type: ignore[assignment]  # free the last file's text columns before the checks
    if not frames:
        return Parsed(problems=tuple(problems), files=files, rows=rows, raw=raw, rejected_files=rejected, format="sdmx")
    typed, coerced = vrows.coerce(pl.concat(frames, how="diagonal_relaxed"), names_of, limits.problems_per_type)
    missing_ind = typed.filter(pl.col("indicator").is_null())
    coerced += row_problems(missing_ind, [], lambda f, r: c.make(c.UnknownIndicator, f, r, "SERIES", value=""),
                                 limits.problems_per_type)
    typed = typed.with_columns((pl.col("_reject") | pl.col("indicator").is_null()).alias("_reject"))
    return Parsed(observations=typed, problems=tuple(problems + coerced), files=files, rows=rows,
                  raw=raw, rejected_files=rejected, format="sdmx")
