"""The rejects file: every rejected row, untouched, with its reasons (``--partial`` imports).

Built and written in batches by polars (:func:`rejects_batches`): a file whose every row is
rejected (a whole upload of unknown indicators) has as many rejects as rows, and a Python tuple,
dict and JSON string per row would cost many times the file's size.  Only the rare rows that are
not table rows (ragged rows, whole files refused) are made one by one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from vlrkit.formats import spreadsheet

if TYPE_CHECKING:
    from vlrkit.ingest import Ingest
    from vlrkit.validation.parsed import RawFile

REJECTS_HEADER = ("file", "row", "reasons", "record")
SCHEMA = {"file": pl.String, "row": pl.Int64, "reasons": pl.String, "record": pl.String}
#: Rejected rows made and written at a time.
BATCH = 100_000


def _json_text(column: pl.Expr) -> pl.Expr:
    """A text column as JSON string literals (``"…"``, escaped as JSON requires; null → ``null``)."""
    return pl.struct(column.alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")


def _records(raw: RawFile, rows: pl.Series) -> pl.DataFrame:
    """``row`` and ``record`` (the row's original cells as a JSON object, header → cell, as
    :func:`json.dumps` writes it) for ``rows`` of ``raw``."""
    last = {h: i for i, h in enumerate(raw.header)}  # a repeated header: its last cell, at its first place
    cells = raw.frame.filter(pl.col("row").is_in(rows.implode()))
    if not last:
        return cells.select("row", pl.lit("{}").alias("record"))
    parts: list[pl.Expr | str] = []
    for n, (h, i) in enumerate(last.items()):
        parts += [("{" if n == 0 else ", ") + json.dumps(h, ensure_ascii=False) + ": ", _json_text(pl.col(f"c{i}"))]
    exprs = [pl.lit(p) if isinstance(p, str) else p for p in parts]
    return cells.select("row", pl.concat_str([*exprs, pl.lit("}")]).alias("record"))


def _ragged(raw: RawFile | None) -> dict[int, tuple[str, ...]]:
    return dict(raw.ragged) if raw is not None else {}


def _cells(cells: tuple[str, ...]) -> str:
    return json.dumps({"_cells": list(cells)}, ensure_ascii=False)


def rejects_batches(ingest: Ingest, batch: int = BATCH) -> Iterator[pl.DataFrame]:
    """The rejects (see :func:`rejects_frame`) a bounded batch at a time, in file and row order."""
    reasons = (ingest.rejected.select("file", "row", pl.col("reasons").fill_null(""))
               .unique(["file", "row"], keep="first", maintain_order=True))
    for (f,), part in reasons.group_by("file", maintain_order=True):
        part = part.sort("row")
        raw = ingest.raw.get(str(f))
        ragged = _ragged(raw)
        for start in range(0, part.height, batch):
            chunk = part.slice(start, batch)
            if raw is None:
                yield chunk.with_columns(pl.lit("{}").alias("record"))
                continue
            joined = chunk.join(_records(raw, chunk["row"]), on="row", how="left", maintain_order="left")
            if ragged:
                extra = {r: _cells(ragged[r]) for r in chunk["row"].to_list() if r in ragged}
                if extra:
                    joined = joined.with_columns(pl.col("record").fill_null(
                        pl.col("row").replace_strict(extra, default=None, return_dtype=pl.String)))
            yield joined.with_columns(pl.col("record").fill_null("{}")).select(list(SCHEMA))
    seen = set(reasons.filter(pl.col("file").is_in(list(ingest.raw))).select("file", "row").iter_rows())
    # ragged rows never became tidy rows: they are rejected from the raw table directly
    out: list[tuple[str, int | None, str, str]] = []
    for f, raw in ingest.raw.items():
        for n, cells in raw.ragged:
            if (f, n) not in seen:
                out.append((f, n, "ragged-row", _cells(cells)))
    for p in ingest.report.problems:
        if p.row is None and p.file in ingest.rejected_files and p.severity == "error":
            out.append((p.file, None, f"{p.type}: {p.message['en']} / {p.message['zh-Hans']}", "{}"))
    if out:
        yield pl.DataFrame(out, schema=SCHEMA, orient="row")


def rejects_frame(ingest: Ingest) -> pl.DataFrame:
    """Rejected rows: file, row, reasons, and the original cells as a JSON object (untouched).

    Whole files rejected (bad encoding, missing column…) appear with row = null and their
    file-level problem as the reason.
    """
    parts = list(rejects_batches(ingest))
    return pl.concat(parts) if parts else pl.DataFrame(schema=SCHEMA)


def rejects_count(ingest: Ingest) -> int:
    """How many lines :func:`write_rejects` writes (without making them)."""
    keys = ingest.rejected.select("file", "row").unique()
    seen = set(keys.filter(pl.col("file").is_in(list(ingest.raw))).iter_rows())
    ragged = sum(1 for f, raw in ingest.raw.items() for n, _ in raw.ragged if (f, n) not in seen)
    whole = sum(1 for p in ingest.report.problems
                if p.row is None and p.file in ingest.rejected_files and p.severity == "error")
    return keys.height + ragged + whole


def write_rejects(ingest: Ingest, path: Path | str) -> int:
    """Write the rejects CSV a batch at a time, through the one formula-safe writer
    (:mod:`vlrkit.formats.spreadsheet`); return the number of rows written."""
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(spreadsheet.csv_text(REJECTS_HEADER, ()))
        for part in rejects_batches(ingest):
            fh.write(spreadsheet.write_frame_csv(part, None, include_header=False, quote_style="necessary",
                                                 line_terminator="\n") or "")
            written += part.height
    return written
