"""vlrkit's own tidy layout in CSV or XLSX: one row per observation.

Columns (names are case-insensitive; order is free):

==================  ========  ===============================================================
column              required  meaning
==================  ========  ===============================================================
``indicator``       yes       local indicator code
``period``          yes       ``2015``, ``2015/16``, ``2020-Q1``, ``2020-03``, ``2020-03-01``
``value``           yes       the number (empty = missing observation)
``unit``            no        unit of measure
``series``          no        series within the indicator
``SEX`` … ``GEO``   no        coded dimensions (:data:`vlrkit.tidy.DIMENSIONS`); empty = total;
                              Open SDG spellings (``Gender``…) are accepted too
``obs_status``      no        SDMX OBS_STATUS code
``source``          no        where the value comes from
``entity``          no        code of the city/region
==================  ========  ===============================================================

Other columns are kept verbatim in ``labels``.  Closed dimensions (SEX, URBANISATION…) must
hold one of their codes (or a label the mapping knows, such as ``Female``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from vlrkit import tidy
from vlrkit.formats import safety
from vlrkit.formats.labels import labels as labels_of
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits, Refusal
from vlrkit.formats.opensdg import mapping as mp
from vlrkit.formats.safety import restore_expr
from vlrkit.formats.sources import Member, SourceError, check_zip
from vlrkit.formats.tabular import csvio
from vlrkit.validation import catalogue as c
from vlrkit.validation import rows as vrows
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.parsed import Parsed, RawFile
from vlrkit.validation.report import PROBLEMS_PER_TYPE, row_problems

REQUIRED = ("indicator", "period", "value")
OPTIONAL = ("unit", "series", "obs_status", "source", "entity")
#: Sheets of a workbook that are not data (the template's own instruction and code sheets).
NON_DATA_SHEETS = {"instructions", "说明", "codes", "代码"}


def looks_tabular(header: tuple[str, ...]) -> bool:
    low = {h.strip().lower() for h in header}
    return set(REQUIRED) <= low


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def xlsx_table(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> csvio.CsvText:
    """The data sheet of a workbook as text cells (like a CSV); zip-bomb guarded, parts with a
    DTD refused, columns, rows and time within ``limits``."""
    with check_zip(data, name, max_total=limits.xlsx_bytes, limits=limits) as archive:
        safety.check_ooxml(archive)
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = [ws for ws in wb.worksheets if ws.title.strip().lower() not in NON_DATA_SHEETS]
        if not sheets:
            return csvio.CsvText((), pl.DataFrame({"row": []}, schema={"row": pl.Int64}))
        it = sheets[0].iter_rows(values_only=True)
        header_cells = next(it, None)
        if header_cells is None:
            return csvio.CsvText((), pl.DataFrame({"row": []}, schema={"row": pl.Int64}))
        header = [_cell_text(h) or "" for h in header_cells]
        while header and header[-1] == "":
            header.pop()
        limits.check("columns", len(header))
        width = len(header)
        deadline = limits.deadline()
        cols: list[list[str | None]] = [[] for _ in range(width)]
        rows: list[int] = []
        ragged = []
        for n, cells in enumerate(it, start=1):
            if n % csvio.CLOCK_ROWS == 0:
                deadline.check(row=n)
            limits.check("rows", n)
            limits.check("columns", len(cells), row=n)
            texts = [_cell_text(v) for v in cells]
            if not any(t not in (None, "") for t in texts):
                continue
            if len(texts) > width and any(t not in (None, "") for t in texts[width:]):
                ragged.append((n, tuple(t or "" for t in texts)))
                continue
            texts = (texts + [None] * width)[:width]
            rows.append(n)
            for i, t in enumerate(texts):
                cols[i].append("" if t is None else t)
    finally:
        wb.close()
    frame = pl.DataFrame({**{f"c{i}": pl.Series(col, dtype=pl.String) for i, col in enumerate(cols)},
                          "row": pl.Series(rows, dtype=pl.Int64)})
    return csvio.CsvText(tuple(h.strip() for h in header), frame, tuple(ragged))


def _raw_rows(name: str, table: csvio.CsvText, mapping: mp.Mapping_,
              per_type: int = PROBLEMS_PER_TYPE) -> tuple[pl.DataFrame, list[Problem], dict[str, str]]:
    problems: list[Problem] = []
    header = table.header
    where: dict[str, int] = {}
    extra: list[int] = []
    for i, h in enumerate(header):
        low = h.strip().lower()
        upper = h.strip().upper()
        if low in REQUIRED or low in OPTIONAL:
            key = low
        elif upper in tidy.DIMENSIONS:
            key = upper
        else:
            key = mapping.dimension(h) or ""
        if key and key not in where:
            where[key] = i
        else:
            extra.append(i)

    def text(i: int) -> pl.Expr:
        e = pl.col(f"c{i}")
        if table.frame[f"c{i}"].str.starts_with("'").any():  # the regex only where it can matter
            e = restore_expr(e)
        e = e.str.strip_chars()
        return pl.when(e == "").then(None).otherwise(e)

    exprs = [pl.lit(name).alias("file"), pl.col("row")]
    for key in ("indicator", "period", "value", *OPTIONAL, *tidy.DIMENSIONS):
        if key in where:
            exprs.append(text(where[key]).alias(key))
    frame = table.frame.select(exprs)
    for dim, codes in tidy.DIMENSION_CODES.items():
        if dim not in where:
            continue
        known = mapping.code_table(dim)
        norm = mp.normalise_expr(pl.col(dim))
        frame = frame.with_columns(
            pl.when(pl.col(dim).is_in(list(codes))).then(pl.col(dim))
            .otherwise(norm.replace_strict(dict(known), default=None, return_dtype=pl.String)
                       if known else pl.lit(None, dtype=pl.String))
            .alias("_code")
        )
        bad = frame.filter(pl.col(dim).is_not_null() & pl.col("_code").is_null())
        allowed, column = ", ".join(codes), header[where[dim]]
        problems += row_problems(bad, [dim], lambda f, r, v, column=column, allowed=allowed: c.make(
            c.UnknownCode, f, r, column, value=v, known=allowed), per_type)
        frame = frame.with_columns(
            pl.when(pl.col("_code").is_null() & pl.col(dim).is_not_null()).then(pl.lit(True)).otherwise(pl.lit(False)).alias(f"_bad_{dim}"),
            pl.coalesce("_code", dim).alias(dim),
        ).drop("_code")
    if extra:
        frame = frame.with_columns(labels_of(table.frame, [header[i] for i in extra], [f"c{i}" for i in extra]))
    if "series" not in frame.columns:
        frame = frame.with_columns(pl.lit("").alias("series"))
    else:
        frame = frame.with_columns(pl.col("series").fill_null(""))
    names_map = {k: header[i] for k, i in where.items()}
    return frame, problems, names_map


def read(members: list[Member], mapping: mp.Mapping_ | None = None, limits: Limits = DEFAULT_LIMITS) -> Parsed:
    """Read every tidy CSV/XLSX member (see the module doc), within ``limits``."""
    mapping = mapping or mp.DEFAULT
    problems: list[Problem] = []
    frames: list[pl.DataFrame] = []
    raw: dict[str, RawFile] = {}
    rejected_files: dict[str, int] = {}
    names_of: dict[str, dict[str, str]] = {}
    files = rows = 0
    for m in members:
        if m.suffix not in (".csv", ".xlsx"):
            continue
        files += 1
        try:
            table = xlsx_table(m.data, m.name, limits) if m.suffix == ".xlsx" else csvio.parse(m.data, limits)
        except csvio.EncodingProblem as exc:
            problems.append(c.make(c.BadEncoding, m.name, position=exc.position))
            rejected_files[m.name] = m.data.count(b"\n")
            continue
        except SourceError as exc:
            problems.append(c.make(c.TooLarge, m.name, detail=exc.en, detail_zh=exc.zh, limit=limits.xlsx_bytes))
            rejected_files[m.name] = 0
            continue
        except Refusal as exc:  # a bound of limits crossed, a DTD in a workbook part
            problems.append(exc.problem(m.name))
            rejected_files[m.name] = 0
            continue
        except Exception as exc:  # noqa: BLE001 - a corrupt workbook is a reported problem
            problems.append(c.make(c.UnreadableFile, m.name, format="XLSX", detail=f"{type(exc).__name__}: {exc}"[:200]))
            rejected_files[m.name] = 0
            continue
        rows += table.rows
        raw[m.name] = (RawFile(table.header, table.frame, table.ragged) if m.suffix == ".xlsx"
                       else csvio.raw_file(table, m.data, limits))
        if not table.header or table.rows == 0:
            problems.append(c.make(c.EmptyFile, m.name))
            rejected_files[m.name] = table.rows
            continue
        low = [h.lower() for h in table.header]
        missing = [k for k in REQUIRED if k not in low]
        dup = sorted({h for h in table.header if table.header.count(h) > 1 and h})
        if missing or dup:
            problems += [c.make(c.MissingColumn, m.name, None, k) for k in missing]
            problems += [c.make(c.DuplicateColumn, m.name, None, h) for h in dup]
            rejected_files[m.name] = table.rows
            continue
        for n, cells in table.ragged:
            problems.append(c.make(c.RaggedRow, m.name, n, None, found=len(cells), expected=len(table.header)))
        frame, code_problems, names = _raw_rows(m.name, table, mapping, limits.problems_per_type)
        problems += code_problems
        names_of[m.name] = names
        frames.append(frame)
    table = None  # type: ignore[assignment]  # free the last file's text columns before the checks
    if not frames:
        return Parsed(problems=tuple(problems), files=files, rows=rows, raw=raw, rejected_files=rejected_files, format="tabular")
    combined = pl.concat(frames, how="diagonal_relaxed")
    bad_cols = [col for col in combined.columns if col.startswith("_bad_")]
    typed, coerced = vrows.coerce(combined.drop(bad_cols), names_of, limits.problems_per_type)
    if bad_cols:
        typed = typed.with_columns(
            (pl.col("_reject") | pl.any_horizontal([combined[b].fill_null(False) for b in bad_cols])).alias("_reject")
        )
    missing_ind = typed.filter(pl.col("indicator").is_null())
    coerced += row_problems(missing_ind, [], lambda f, r: c.make(
        c.UnknownIndicator, f, r, names_of.get(f, {}).get("indicator", "indicator"), value=""), limits.problems_per_type)
    typed = typed.with_columns((pl.col("_reject") | pl.col("indicator").is_null()).alias("_reject"))
    return Parsed(observations=typed, problems=tuple(problems + coerced), files=files, rows=rows,
                  raw=raw, rejected_files=rejected_files, format="tabular")
