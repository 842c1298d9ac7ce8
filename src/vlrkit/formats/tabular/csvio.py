"""Decoding and splitting CSV bytes into a header and text columns, exactly, without loss, within bounds.

Shared by the readers of every CSV layout.  Bytes are UTF-8 (a BOM is dropped; UTF-16/UTF-32
text was decoded where the bytes came in, :mod:`vlrkit.formats.sources`); old Mac line ends
(bare CR) are accepted.  The result keeps every cell as text: typing is the job of
:mod:`vlrkit.validation.rows`.  Rows whose number of cells differs from the header are returned
separately so that they can be reported (and written untouched to a rejects file).

Bounds (:class:`~vlrkit.formats.limits.Limits`) are checked before the work they guard: the
columns are counted on the header line before any row is split; a row wider than the limit, a
cell longer than ``cell_chars`` or more than ``rows`` rows stop the reading with
:class:`~vlrkit.formats.limits.LimitError`, as does the wall time (checked every few thousand
rows).

Big regular files go through polars' parser (text columns, a fraction of the memory of Python
strings); the careful path (the ``csv`` module) takes small files and the irregular ones (ragged
rows, blank lines, bare CR), and builds its columns in blocks so that its memory stays close to
that of the resulting frame.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl

from vlrkit.formats.limits import DEFAULT, LimitError, Limits
from vlrkit.validation.parsed import RawFile

#: Files from this size on are tried with the fast polars parser first.
FAST_PATH_BYTES = 1024 * 1024
#: Rows the careful path gathers as Python strings before turning them into polars columns.
BLOCK_ROWS = 50_000
#: Rows between two looks at the clock.
CLOCK_ROWS = 8192
#: Bytes checked as UTF-8 at a time (the file is never decoded into one string).
UTF8_CHUNK = 4 * 1024 * 1024


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


def check_utf8(data: bytes) -> None:
    """Raise :class:`EncodingProblem` at the first byte of ``data`` that is not UTF-8 (checked in
    chunks cut before a lead byte, so no copy of the whole text is made)."""
    start = 0
    while start < len(data):
        end = min(start + UTF8_CHUNK, len(data))
        while end < len(data) and end > start and 0x80 <= data[end] < 0xC0:
            end -= 1  # never cut inside a character
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EncodingProblem(start + exc.start) from exc
        start = end


def decode(data: bytes) -> str:
    """UTF-8 text of ``data`` (BOM removed, bare CR line ends made LF); raise EncodingProblem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingProblem(exc.start) from exc
    if "\r" in text and "\r\n" not in text:
        text = text.replace("\r", "\n")
    return text


def check_header(data: bytes, limits: Limits = DEFAULT) -> None:
    """Raise ``LimitError('columns')`` when the header line has more cells than the limit — on
    the bytes of the first line, before anything is split (a quoted comma counts only if the
    rough count by commas is already over the limit, then the line is parsed to be sure)."""
    end = data.find(b"\n")
    line = data if end < 0 else data[:end]
    if line.count(b",") + 1 <= limits.columns:
        return
    try:
        width = len(next(csv.reader([line.decode("utf-8-sig", errors="replace").rstrip("\r")])))
    except (csv.Error, StopIteration):
        width = line.count(b",") + 1
    limits.check("columns", width)


def _rows(text: io.TextIOBase, limits: Limits) -> Iterator[list[str]]:
    """The csv module's records, with its errors for over-long cells made limit errors."""
    reader = csv.reader(text)
    n = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise LimitError("cell_chars", limits.cell_chars, None, row=max(n, 1)) from exc
            raise
        n += 1
        yield cells


class _Columns:
    """Text columns gathered block by block (Python strings only for one block at a time)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.block: list[list[str]] = [[] for _ in range(width)]
        self.rows: list[int] = []
        self.parts: list[pl.DataFrame] = []

    def add(self, n: int, cells: list[str]) -> None:
        self.rows.append(n)
        for i, cell in enumerate(cells):
            self.block[i].append(cell)
        if len(self.rows) >= BLOCK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows and self.parts:
            return
        data = {f"c{i}": pl.Series(f"c{i}", col, dtype=pl.String) for i, col in enumerate(self.block)}
        data["row"] = pl.Series("row", self.rows, dtype=pl.Int64)
        self.parts.append(pl.DataFrame(data))
        self.block = [[] for _ in range(self.width)]
        self.rows = []

    def frame(self) -> pl.DataFrame:
        self.flush()
        return pl.concat(self.parts, rechunk=True) if len(self.parts) > 1 else self.parts[0]


def _slow(data: bytes, limits: Limits) -> CsvText:
    check_utf8(data)
    bare_cr = b"\r" in data and b"\r\n" not in data
    # newline=None turns bare CRs into line feeds (there is no CRLF to spoil); otherwise the csv
    # module sees the line ends as they are
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=None if bare_cr else "")
    deadline = limits.deadline()
    previous = csv.field_size_limit(limits.cell_chars)
    try:
        reader = _rows(text, limits)
        header = next(reader, None)
        if header is None:
            return CsvText((), pl.DataFrame({"row": []}, schema={"row": pl.Int64}))
        limits.check("columns", len(header))
        width = len(header)
        cols = _Columns(width)
        ragged: list[tuple[int, tuple[str, ...]]] = []
        count = 0
        for n, cells in enumerate(reader, start=1):
            if not cells:  # a blank line is not data (its number is not reused)
                continue
            count += 1
            if count % CLOCK_ROWS == 0:
                deadline.check(row=n)
            if count > limits.rows:
                raise LimitError("rows", limits.rows, None)
            if len(cells) != width:
                # trailing empty cells beyond the header are tolerated when they are all empty
                if len(cells) > width and not any(c.strip() for c in cells[width:]):
                    cells = cells[:width]
                else:
                    limits.check("columns", len(cells), row=n)
                    ragged.append((n, tuple(cells)))
                    continue
            cols.add(n, cells)
    finally:
        csv.field_size_limit(previous)
    return CsvText(tuple(h.strip() for h in header), cols.frame(), tuple(ragged))


def _check_cells(frame: pl.DataFrame, limits: Limits) -> None:
    """Raise ``LimitError('cell_chars')`` naming the first row with a cell over the limit."""
    text = [c for c in frame.columns if c != "row"]
    if not text:
        return
    longest = frame.select(pl.max_horizontal(pl.col(text).str.len_chars()).max()).item()
    if longest is not None and longest > limits.cell_chars:
        over = frame.filter(pl.max_horizontal(pl.col(text).str.len_chars()) > limits.cell_chars)
        raise LimitError("cell_chars", limits.cell_chars, longest, row=over["row"][0])


def _fast(data: bytes, limits: Limits) -> CsvText | None:
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
    limits.check("rows", frame.height)
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)}).with_row_index("row", offset=1)
    frame = frame.with_columns(pl.col("row").cast(pl.Int64))
    _check_cells(frame, limits)
    return CsvText(header, frame)


def _regular(data: bytes) -> bool:
    """Whether polars reads ``data`` as the careful path would: no bare CR line ends, no blank
    lines (the careful path skips them without reusing their numbers)."""
    head = data[:FAST_PATH_BYTES]
    if b"\r" in head and b"\r\n" not in head:
        return False
    return b"\n\n" not in data and b"\n\r\n" not in data


def raw_file(table: CsvText, data: bytes, limits: Limits = DEFAULT) -> RawFile:
    """The :class:`RawFile` of a parsed CSV: header and ragged rows held, the cells read again
    from ``data`` when asked for (the text columns are not kept alive for the whole import)."""
    return RawFile(table.header, None, table.ragged, load=lambda: parse(data, limits).frame)


def parse(data: bytes, limits: Limits = DEFAULT) -> CsvText:
    """Split CSV ``data`` into header, text columns and ragged rows (see :class:`CsvText`).

    Raises :class:`EncodingProblem` (not UTF-8) and :class:`~vlrkit.formats.limits.LimitError`.
    """
    check_header(data, limits)
    if len(data) >= FAST_PATH_BYTES and _regular(data):
        check_utf8(data)
        fast = _fast(data, limits)
        if fast is not None:
            return fast
    return _slow(data, limits)
