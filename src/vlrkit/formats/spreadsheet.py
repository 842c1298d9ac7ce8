"""Every CSV and XLSX file vlrkit writes is written through this module, formula-safe.

A spreadsheet treats a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return as
a formula (OWASP "CSV injection").  Text that reaches our files comes from users — a unit, an
owner, a source, a narrative title — and some of those files are fetched by anonymous visitors
(the report site's per-indicator CSVs, the data package), so every text cell is neutralised here,
in one place:

- :func:`neutralise` prefixes text that could be a formula with an apostrophe.  A number — a
  Python ``int``/``float`` or text that *is* a plain decimal number such as ``-3.5`` or
  ``-1e-05`` (:func:`is_number`) — is never touched: negative numbers stay numbers.
- The escape is reversible: text that already starts with the apostrophe gets one more, and
  :func:`restore` undoes exactly one, so a round trip through our own files is lossless.  The
  readers of our own formats call :func:`restore` / :func:`restore_expr` (re-exported by
  :mod:`vlrkit.formats.safety`).

The writers: :func:`csv_writer` (rows), :func:`dict_writer` (mappings), :func:`csv_bytes`,
:func:`write_frame_csv` (a polars frame, vectorised) and :class:`Book` / :class:`Sheet` (XLSX via
openpyxl).  A test (``tests/formats/test_spreadsheet.py``) fails if any other module in
``src/`` makes a ``csv.writer``, ``csv.DictWriter``, openpyxl ``Workbook`` or calls polars'
``write_csv``/``write_excel`` itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

#: First characters that make a spreadsheet cell a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Our escape character (a spreadsheet shows text after it literally).
ESCAPE = "'"
#: Text that is a plain decimal number (what a spreadsheet reads as a number, not a formula).
NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER = re.compile(NUMBER)


def is_number(text: str) -> bool:
    """Whether ``text`` is a plain decimal number (``-3.5``, ``+2``, ``1e-05``; not ``-inf``)."""
    return _NUMBER.fullmatch(text) is not None


def neutralise(value: object) -> object:
    """``value`` made safe for a spreadsheet cell (only text that could be a formula changes)."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(ESCAPE) or (value.startswith(FORMULA_TRIGGERS) and not is_number(value)):
        return ESCAPE + value
    return value


def restore(value: str) -> str:
    """Undo :func:`neutralise` on text read back from one of our own files."""
    if len(value) > 1 and value[0] == ESCAPE and (value[1] == ESCAPE or value[1] in FORMULA_TRIGGERS):
        return value[1:]
    return value


def restore_expr(column: pl.Expr) -> pl.Expr:
    """:func:`restore` as a polars expression (vectorised)."""
    return column.str.replace(r"^'([=+\-@\t\r'])", "$1")


def neutralise_expr(column: pl.Expr) -> pl.Expr:
    """:func:`neutralise` as a polars expression on a text column (vectorised)."""
    import polars as pl

    risky = column.str.starts_with(ESCAPE) | (
        column.str.contains(r"^[=+\-@\t\r]") & ~column.str.contains(f"^{NUMBER}$"))
    return pl.when(risky).then(pl.lit(ESCAPE) + column).otherwise(column)


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text column neutralised (numbers, dates and nulls untouched)."""
    import polars as pl

    text = [name for name, dtype in frame.schema.items()
            if dtype == pl.String or dtype == pl.Categorical or isinstance(dtype, pl.Enum)]
    if not text:
        return frame
    return frame.with_columns(neutralise_expr(pl.col(n).cast(pl.String)).alias(n) for n in text)


# --- CSV --------------------------------------------------------------------------------------


def _is_numeric(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def csv_cell(value: object) -> object:
    """One CSV cell: numbers as numbers, ``None`` as empty, everything else as neutralised text."""
    if value is None:
        return ""
    if _is_numeric(value):
        return value
    return neutralise(value if isinstance(value, str) else str(value))


class CSVWriter:
    """:func:`csv.writer` whose every cell goes through :func:`csv_cell`.

    Python's writer quotes a field only for the characters of *its* line terminator, so with
    ``"\n"`` a bare carriage return inside text went out unquoted and split the row for every
    reader; rows are therefore formatted with ``"\r\n"`` (which quotes both) and ended with the
    terminator asked for."""

    def __init__(self, fh: IO[str], *, lineterminator: str = "\r\n", **fmt: Any) -> None:
        self._fh, self._end = fh, lineterminator
        self._buf = io.StringIO()
        self._writer = csv.writer(self._buf, lineterminator="\r\n", **fmt)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_cell(v) for v in row])
        line = self._buf.getvalue()
        self._buf.seek(0)
        self._buf.truncate()
        self._fh.write(line[:-2] + self._end)

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class DictCSVWriter:
    """:class:`csv.DictWriter` whose every cell (and header) goes through :func:`csv_cell`."""

    def __init__(self, fh: IO[str], fieldnames: Sequence[str], **fmt: Any) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = CSVWriter(fh, **fmt)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, object]) -> None:
        extra = set(row) - set(self.fieldnames)
        if extra:
            raise ValueError(f"fields not in fieldnames: {', '.join(sorted(extra))}")
        self._writer.writerow([row.get(k) for k in self.fieldnames])

    def writerows(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(fh: IO[str], *, lineterminator: str = "\n", **fmt: Any) -> CSVWriter:
    """A formula-safe CSV writer on the text stream ``fh`` (open it with ``newline=""``)."""
    return CSVWriter(fh, lineterminator=lineterminator, **fmt)


def dict_writer(fh: IO[str], fieldnames: Sequence[str], *, lineterminator: str = "\n",
                **fmt: Any) -> DictCSVWriter:
    """A formula-safe :class:`csv.DictWriter` equivalent on ``fh``."""
    return DictCSVWriter(fh, fieldnames, lineterminator=lineterminator, **fmt)


def csv_text(header: Sequence[object], rows: Iterable[Iterable[object]]) -> str:
    """A whole CSV file as text: ``header`` then ``rows``."""
    buf = io.StringIO()
    w = csv_writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def csv_bytes(header: Sequence[object], rows: Iterable[Iterable[object]]) -> bytes:
    """:func:`csv_text` as UTF-8 bytes."""
    return csv_text(header, rows).encode("utf-8")


def write_frame_csv(frame: pl.DataFrame, path: Path | str | None = None, **options: Any) -> str | None:
    """``frame`` written as CSV to ``path`` (or returned as text), its text columns neutralised;
    ``options`` go to polars' ``write_csv``."""
    return neutralise_frame(frame).write_csv(path, **options)


# --- XLSX -------------------------------------------------------------------------------------

_XLSX_NATIVE = (int, float, dt.datetime, dt.date, dt.time)


def xlsx_cell(value: object) -> object:
    """One XLSX cell: numbers, dates and ``None`` as they are, everything else as neutralised
    text (openpyxl would otherwise store text starting with ``=`` as a formula)."""
    if value is None or (isinstance(value, _XLSX_NATIVE) and not isinstance(value, bool)):
        return value
    return neutralise(value if isinstance(value, str) else str(value))


class Sheet:
    """An openpyxl worksheet whose cells are written through :func:`xlsx_cell`; ``raw`` is the
    worksheet itself, for what holds no user text (data validation, column widths)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def append(self, row: Iterable[object]) -> None:
        self.raw.append([xlsx_cell(v) for v in row])

    def cell(self, row: int, column: int, value: object) -> None:
        self.raw.cell(row=row, column=column, value=xlsx_cell(value))


class Book:
    """An XLSX workbook (openpyxl) handing out formula-safe :class:`Sheet` objects."""

    def __init__(self, *, write_only: bool = False) -> None:
        from openpyxl import Workbook

        self.raw = Workbook(write_only=write_only)
        self._fresh = None if write_only else self.raw.active

    def sheet(self, title: str) -> Sheet:
        """A new sheet called ``title`` (the first one reuses the workbook's initial sheet)."""
        if self._fresh is not None:
            ws, self._fresh = self._fresh, None
            ws.title = title
            return Sheet(ws)
        return Sheet(self.raw.create_sheet(title))

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.raw.save(buf)
        return buf.getvalue()


def xlsx_bytes(sheets: Mapping[str, tuple[Sequence[object], Iterable[Iterable[object]]]]) -> bytes:
    """A workbook of one sheet per entry (title → (header, rows)), as bytes."""
    book = Book(write_only=True)
    for title, (header, rows) in sheets.items():
        ws = book.sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
    return book.to_bytes()
