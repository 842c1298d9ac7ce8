"""The rejects file: every rejected row, untouched, with its reasons (``--partial`` imports)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from vlrkit.formats import spreadsheet

if TYPE_CHECKING:
    from vlrkit.ingest import Ingest

REJECTS_HEADER = ("file", "row", "reasons", "record")


def rejects_frame(ingest: Ingest) -> pl.DataFrame:
    """Rejected rows: file, row, reasons, and the original cells as a JSON object (untouched).

    Whole files rejected (bad encoding, missing column…) appear with row = null and their
    file-level problem as the reason.
    """
    out: list[tuple[str, int | None, str, str]] = []
    reasons = {(f, r): why for f, r, why in ingest.rejected.select("file", "row", "reasons").iter_rows()}
    by_file: dict[str, list[int]] = {}
    for f, r in reasons:
        by_file.setdefault(f, []).append(r)
    for f, rows in by_file.items():
        raw = ingest.raw.get(f)
        wanted = set(rows)
        cells: dict[int, dict[str, str]] = {}
        if raw is not None:
            sel = raw.frame.filter(pl.col("row").is_in(list(wanted)))
            cols = [f"c{i}" for i in range(len(raw.header))]
            for rec in sel.select("row", *cols).iter_rows():
                cells[rec[0]] = dict(zip(raw.header, rec[1:], strict=True))
            for n, ragged in raw.ragged:
                if n in wanted:
                    cells[n] = {"_cells": list(ragged)}  # type: ignore[dict-item]
        for r in sorted(rows):
            out.append((f, r, reasons[(f, r)] or "", json.dumps(cells.get(r, {}), ensure_ascii=False)))
    # ragged rows never became tidy rows: they are rejected from the raw table directly
    for f, raw in ingest.raw.items():
        for n, ragged in raw.ragged:
            if (f, n) not in reasons:
                out.append((f, n, "ragged-row", json.dumps({"_cells": list(ragged)}, ensure_ascii=False)))
    for p in ingest.report.problems:
        if p.row is None and p.file in ingest.rejected_files and p.severity == "error":
            out.append((p.file, None, f"{p.type}: {p.message['en']} / {p.message['zh-Hans']}", "{}"))
    return pl.DataFrame(out, schema={"file": pl.String, "row": pl.Int64, "reasons": pl.String, "record": pl.String}, orient="row")


def write_rejects(ingest: Ingest, path: Path | str) -> int:
    """Write the rejects CSV (formula-safe); return the number of rejected rows written."""
    frame = rejects_frame(ingest)
    Path(path).write_text(spreadsheet.csv_text(REJECTS_HEADER, frame.iter_rows()), encoding="utf-8")
    return frame.height
