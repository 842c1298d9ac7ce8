"""The ``labels`` of an observation: the original columns a reader did not map, kept verbatim.

Every reader keeps, per row, a JSON object of original column name → original cell text (the
non-empty cells, formula escapes undone), so that an export gives back the file the row came from.
:func:`labels` builds that column with polars expressions — no Python string per cell, which on a
large file cost many times the file's size — and writes exactly what
``json.dumps({name: restore(cell) …}, ensure_ascii=False)`` writes (tested against it).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import polars as pl

from vlrkit.formats.safety import restore_expr

#: Rows built at a time: the intermediate texts of one block only are held (a few MB).
BLOCK_ROWS = 65_536
_WRAP_KEY = "v"
_PREFIX = '{"' + _WRAP_KEY + '":'


def _value(column: str) -> pl.Expr:
    """The JSON text of a cell, escaped by polars' JSON writer (a struct of one field, unwrapped)."""
    encoded = pl.struct(restore_expr(pl.col(column)).alias(_WRAP_KEY)).struct.json_encode()
    return encoded.str.strip_prefix(_PREFIX).str.strip_suffix("}")


def labels(frame: pl.DataFrame, names: Sequence[str], columns: Sequence[str]) -> pl.Series:
    """The ``labels`` column of ``frame``: per row, ``{"<name>": "<cell>", …}`` over the
    ``columns`` (text) whose cell is not empty, named ``names``; ``{}`` when none is."""
    if not columns:
        return pl.Series("labels", ["{}"] * frame.height, dtype=pl.String)
    parts = [
        pl.when(pl.col(col).fill_null("") != "").then(pl.lit(json.dumps(name, ensure_ascii=False) + ": ") + _value(col))
        for name, col in zip(names, columns, strict=True)
    ]
    body = pl.concat_str(parts, separator=", ", ignore_nulls=True).fill_null("")
    expr = (pl.lit("{") + body + pl.lit("}")).alias("labels")
    blocks = [frame.slice(at, BLOCK_ROWS).select(expr).to_series() for at in range(0, frame.height, BLOCK_ROWS)]
    if not blocks:
        return pl.Series("labels", [], dtype=pl.String)
    out = blocks[0]
    for block in blocks[1:]:
        out.append(block)
    return out
