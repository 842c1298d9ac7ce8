"""Write an Open SDG data repository: ``data/indicator_<id>.csv`` + ``meta/<id>.md``.

Rows that came from Open SDG keep their original columns and labels (from ``labels`` and the
indicator's ``opensdg_columns``), so a repository read by vlrkit and written back gives the
same observations when read again.  Other rows get ``Year``, one column per dimension (its
English title), ``Units``/``Series`` when used, and ``Value``.  Text cells are neutralised
against formula injection.  Metadata is written as YAML front matter; the page body is
``page_content``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from vlrkit import tidy
from vlrkit.formats import spreadsheet
from vlrkit.formats.opensdg import columns
from vlrkit.formats.opensdg import mapping as mp
from vlrkit.formats.sdmx.writer import format_value
from vlrkit.review import LocalIndicator, Target

#: Metadata keys vlrkit adds for itself and does not write back as fields.
INTERNAL_KEYS = ("opensdg_columns", "page_content")


def file_id(code: str) -> str:
    """The Open SDG id for a local indicator code: ``11.2.1`` → ``11-2-1`` (other codes slugged)."""
    return re.sub(r"[^0-9A-Za-z]+", "-", code).strip("-")


def _header(ind: LocalIndicator, rows: pl.DataFrame) -> list[str]:
    cols = ind.extra.get("opensdg_columns")
    if cols:
        return cols.split("|")
    header = ["Year"]
    header += [tidy.DIMENSION_TITLES[d]["en"] for d in tidy.DIMENSIONS if rows[d].is_not_null().any()]
    kept: dict[str, None] = {}
    for text in rows["breakdown"].drop_nulls().unique().sort().to_list():
        kept.update(dict.fromkeys(tidy.breakdown_of(text)))
    header += list(kept)
    if rows["unit"].fill_null("").ne("").any():
        header.append("Units")
    if rows["series"].fill_null("").ne("").any():
        header.append("Series")
    return [*header, "Value"]


def _cell(col: str, rec: dict[str, Any], labels: dict[str, str], titles: dict[str, str]) -> str:
    if labels:
        return labels.get(col, "")
    role = columns.role(col)
    if role == "unit":
        return rec["unit"] or ""
    if role == "series":
        return rec["series"] or ""
    kept = tidy.breakdown_of(rec.get("breakdown"))
    if col in kept:
        return kept[col]
    dim = titles.get(col) or mp.DEFAULT.dimension(col)
    return (rec.get(dim) or "") if dim else ""


def data_csv(ind: LocalIndicator, rows: pl.DataFrame) -> bytes:
    """One indicator's Open SDG data file."""
    header = _header(ind, rows)
    titles = {tidy.DIMENSION_TITLES[d]["en"]: d for d in tidy.DIMENSIONS}
    out = io.StringIO()
    writer = spreadsheet.csv_writer(out)
    writer.writerow(header)
    rows = rows.sort("file", "row", "period", nulls_last=True, maintain_order=True)
    for rec in rows.iter_rows(named=True):
        labels = json.loads(rec["labels"]) if rec["labels"] else {}
        cells = []
        for i, col in enumerate(header):
            # the year and value as the file wrote them, when the tidy table keeps the original
            # in labels (a period spelled "1993 01", a missing value's "n/a"): nothing is lost
            if i == 0:
                cells.append(labels.get(col) or rec["period"])
            elif i == len(header) - 1:
                cells.append(format_value(rec["value"]) if rec["value"] is not None else labels.get(col, ""))
            else:
                cells.append(_cell(col, rec, labels, titles))
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


def _value(text: str) -> Any:
    """Metadata kept as text goes back to YAML as what it was (JSON-encoded non-strings)."""
    if text and text[0] in "[{" or text in ("true", "false", "null"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def meta_md(ind: LocalIndicator, targets: Iterable[Target] = ()) -> bytes:
    """One indicator's ``meta/<id>.md`` (YAML front matter + page body)."""
    fields: dict[str, Any] = {k: _value(v) for k, v in ind.extra.items() if k not in INTERNAL_KEYS}
    fields.setdefault("indicator", ind.code)
    fields.setdefault("sdg_goal", str(ind.goal))
    if not any(k in fields for k in ("graph_title", "national_indicator_available", "indicator_name")):
        fields["graph_title"] = ind.names.get("en", ind.code)
    fields["reporting_status"] = ind.reporting_status
    if ind.unit and "computation_units" not in fields:
        fields["computation_units"] = ind.unit
    lines = [{"value": t.value, "year": t.year, **({"label_content": t.note["en"]} if t.note.get("en") else {})}
             for t in targets if t.kind == "local"]
    if lines and "graph_target_lines" not in fields:
        fields["graph_target_lines"] = lines
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    body = ind.extra.get("page_content", "")
    return f"---\n{front}---\n{body}".encode()


def write_repository(
    out: Path | str,
    indicators: Iterable[LocalIndicator],
    observations: pl.DataFrame,
    targets: Iterable[Target] = (),
) -> dict[str, int]:
    """Write the repository under ``out``; return counts of files and rows written."""
    out = Path(out)
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "meta").mkdir(parents=True, exist_ok=True)
    obs = tidy.conform(observations)
    parts = obs.partition_by("indicator", as_dict=True) if obs.height else {}
    by_ind: dict[str, pl.DataFrame] = {str(k[0]): v for k, v in parts.items()}
    targets = list(targets)
    files = rows = 0
    for ind in indicators:
        oid = file_id(ind.code)
        (out / "meta" / f"{oid}.md").write_bytes(meta_md(ind, [t for t in targets if t.indicator == ind.code]))
        data = by_ind.get(ind.code)
        if data is not None and data.height:
            (out / "data" / f"indicator_{oid}.csv").write_bytes(data_csv(ind, data))
            files += 1
            rows += data.height
    return {"data_files": files, "rows": rows}
