"""Safety for what we read and write.

- **Formula injection**: a spreadsheet treats a cell starting with ``=``, ``+``, ``-``, ``@``
  (or tab/carriage return) as a formula.  Every text cell vlrkit writes to CSV or XLSX goes
  through :func:`neutralise`, which prefixes such text with an apostrophe.  Numbers are written
  as numbers and never touched (``-3.5`` stays a number).  The escape is reversible: text that
  already starts with an apostrophe gets one more, and :func:`restore` undoes exactly one, so
  a round trip through our own files is lossless.
- **XML**: :func:`check_xml` parses XML with defusedxml first, refusing entity expansion,
  external entities and DTDs, before any other XML library sees the bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

#: First characters that make a spreadsheet cell a formula (plus our own escape character).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise(value: object) -> object:
    """``value`` made safe for a spreadsheet cell (only text that could be a formula changes)."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(ESCAPE) or (value.startswith(FORMULA_TRIGGERS) and not _is_number(value)):
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


class UnsafeXML(ValueError):
    """The XML uses entity declarations, external entities or a DTD, or is malformed."""


def check_xml(data: bytes) -> None:
    """Raise :class:`UnsafeXML` unless ``data`` is well-formed XML without DTD or entities."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXML(f"unsafe XML refused: {type(exc).__name__}") from exc
    except SafeET.ParseError as exc:
        raise UnsafeXML(f"malformed XML: {exc}") from exc
