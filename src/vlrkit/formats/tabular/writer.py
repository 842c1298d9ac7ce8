"""Write observations in vlrkit's tidy layout (CSV or XLSX), formula-safe.

The columns are those :mod:`vlrkit.formats.tabular.reader` reads: ``indicator``, ``period``,
``value``, ``unit``, ``series``, the dimensions that carry data, ``obs_status``, ``source``.
"""

from __future__ import annotations

import polars as pl

from vlrkit import tidy
from vlrkit.formats import spreadsheet
from vlrkit.formats.sdmx.writer import format_value

BASE = ("indicator", "period", "value", "unit", "series")
TAIL = ("obs_status", "source")


def columns(frame: pl.DataFrame) -> list[str]:
    dims = [d for d in tidy.DIMENSIONS if frame[d].is_not_null().any()]
    return [*BASE, *dims, *TAIL]


def records(frame: pl.DataFrame) -> tuple[list[str], list[list[object]]]:
    frame = tidy.conform(frame)
    header = columns(frame)
    out = []
    for rec in frame.select(header).iter_rows():
        row: list[object] = []
        for name, v in zip(header, rec, strict=True):
            row.append(v if name == "value" else ("" if v is None else str(v)))
        out.append(row)
    return header, out


def to_csv(frame: pl.DataFrame) -> bytes:
    header, rows = records(frame)
    return spreadsheet.csv_bytes(
        header, ([format_value(v) if i == 2 else v for i, v in enumerate(r)] for r in rows))  # type: ignore[arg-type]


def to_xlsx(frame: pl.DataFrame) -> bytes:
    header, rows = records(frame)
    return spreadsheet.xlsx_bytes({"data": (header, rows)})
