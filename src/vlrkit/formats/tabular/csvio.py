"""Decoding and splitting CSV bytes into a header and text columns, exactly and without loss.

Shared by the readers of every CSV layout.  Bytes are decoded as UTF-8 (a BOM is dropped); old
Mac line ends (bare CR) are accepted.  The result keeps every cell as text: typing is the job
of :mod:`vlrkit.validation.rows`.  Rows whose number of cells differs from the header are
returned separately so that they can be reported (and written untouched to a rejects file).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import polars as pl

#: Rows above which the fast polars parser is tried first.
FAST_PATH_BYTES = 1024 * 1024


class EncodingProblem(ValueError):
    """The bytes are not UTF-8; ``position`` is the first bad byte."""

    def __init__(self, position: int) -> None:
        super().__init__(f"not UTF-8 at byte {position}")
        self.position = position


@dataclass(frozen=True)
class CsvText:
    """A CSV file as text: header, one text column per header cell, and the ragged rows."""

    header: tuple[str, ...]
    frame: pl.DataFrame  # String columns named c0, c1, … plus "row" (1-based data row)
    ragged: tuple[tuple[int, tuple[str, ...]], ...] = field(default=())  # (row, cells)

    @property
    def rows(self) -> int:
        return self.frame.height + len(self.ragged)

    def column(self, index: int) -> pl.Expr:
        return pl.col(f"c{index}")


def decode(data: bytes) -> str:
    """UTF-8 text of ``data`` (BOM removed, bare CR line ends made LF); raise EncodingProblem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingProblem(exc.start) from exc
    if "\r" in text and "\r\n" not in text:
        text = text.replace("\r", "\n")
    return text


def _slow(text: str) -> CsvText:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return CsvText((), pl.DataFrame({"row": []}, schema={"row": pl.Int64}))
    width = len(header)
    cols: list[list[str | None]] = [[] for _ in range(width)]
    rows: list[int] = []
    ragged: list[tuple[int, tuple[str, ...]]] = []
    for n, cells in enumerate(reader, start=1):
        if not cells:  # a blank line is not data (its number is not reused)
            continue
        if len(cells) != width:
            # trailing empty cells beyond the header are tolerated when they are all empty
            if len(cells) > width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]
            else:
                ragged.append((n, tuple(cells)))
                continue
        rows.append(n)
        for i, cell in enumerate(cells):
            cols[i].append(cell)
    data = {f"c{i}": pl.Series(f"c{i}", col, dtype=pl.String) for i, col in enumerate(cols)}
    data["row"] = pl.Series("row", rows, dtype=pl.Int64)
    return CsvText(tuple(h.strip() for h in header), pl.DataFrame(data), tuple(ragged))


def _fast(data: bytes) -> CsvText | None:
    """polars' parser for big, regular files; None if the file needs the careful path."""
    try:
        frame = pl.read_csv(
            data, infer_schema=False, has_header=True, empty_string_is_null=False,
            truncate_ragged_lines=False, raise_if_empty=True,
        )
    except Exception:  # noqa: BLE001 - any parser complaint: take the careful path
        return None
    # empty cells stay "", so a null means a short (ragged) row: the careful path reports it
    if frame.null_count().sum_horizontal().item():
        return None
    header = tuple(c.strip() for c in frame.columns)
    if len(set(frame.columns)) != len(frame.columns) or any(h.startswith("_duplicated_") for h in frame.columns):
        return None
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)}).with_row_index("row", offset=1)
    return CsvText(header, frame.with_columns(pl.col("row").cast(pl.Int64)))


def parse(data: bytes) -> CsvText:
    """Split CSV ``data`` into header, text columns and ragged rows (see :class:`CsvText`)."""
    if len(data) >= FAST_PATH_BYTES and b"\r" not in data[:FAST_PATH_BYTES] and b"\n\n" not in data and not data.startswith(b"\xef\xbb\xbf"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EncodingProblem(exc.start) from exc
        fast = _fast(data)
        if fast is not None:
            return fast
    return _slow(decode(data))
