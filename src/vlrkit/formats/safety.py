"""Safety for what we read and write.

- **Formula injection**: every CSV and XLSX file vlrkit writes goes through
  :mod:`vlrkit.formats.spreadsheet`, which neutralises text cells that a spreadsheet would take
  for a formula (``spreadsheet.neutralise``, reversibly; numbers stay numbers).  :func:`restore` and
  :func:`restore_expr` undo it on reading our own files; they are re-exported here for readers.
- **XML**: :func:`check_xml` runs every XML we read through defusedxml's parser first (streamed,
  no tree built), refusing DTDs — and with them parameter entities, entity expansion and external
  entities — and documents nested deeper than ``Limits.xml_depth``, before any other XML library
  (sdmx1) sees the bytes.  :func:`check_ooxml` refuses a workbook (a zip of XML parts) any of
  whose parts declares a DTD or entities, before openpyxl opens it: Office files never need one.
  Both raise :class:`UnsafeXML` (a :class:`~vlrkit.formats.limits.Refusal`: its ``problem``
  is the ``unsafe-xml`` report line, in zh-Hans and en).
"""

from __future__ import annotations

import json
import zipfile
from typing import Any

from vlrkit.formats.limits import DEFAULT, LimitError, Limits, Refusal
from vlrkit.formats.spreadsheet import ESCAPE, FORMULA_TRIGGERS, restore, restore_expr
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem

__all__ = ["ESCAPE", "FORMULA_TRIGGERS", "XML_CHUNK", "UnsafeXML", "check_ooxml", "check_xml",
           "restore", "restore_expr", "script_json"]


class UnsafeXML(Refusal, ValueError):
    """The XML declares a DTD or entities, refers to external entities, or is malformed."""

    def __init__(self, detail: str, detail_zh: str) -> None:
        super().__init__(f"{detail} / {detail_zh}")
        self.detail, self.detail_zh = detail, detail_zh

    def problem(self, file: str) -> Problem:
        return c.make(c.UnsafeXml, file, detail=self.detail, detail_zh=self.detail_zh)


#: What defusedxml's refusals mean, in en and zh.
_REFUSALS = {
    "DTDForbidden": ("it declares a DTD (<!DOCTYPE …>)", "它声明了 DTD（<!DOCTYPE …>）"),
    "EntitiesForbidden": ("it declares entities (<!ENTITY …>)", "它声明了实体（<!ENTITY …>）"),
    "ExternalReferenceForbidden": ("it refers to an external entity", "它引用了外部实体"),
}
#: Bytes fed to the XML parser at a time (the document is never held as a tree).
XML_CHUNK = 1024 * 1024


class _Depth:
    """A parser target that builds nothing and counts how deep the elements nest."""

    def __init__(self, limit: int) -> None:
        self.depth, self.limit = 0, limit

    def start(self, tag: str, attrib: Any) -> None:
        self.depth += 1
        if self.depth > self.limit:
            raise LimitError("xml_depth", self.limit, None)

    def end(self, tag: str) -> None:
        self.depth -= 1

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        return None


#: What JSON inside an HTML <script> element must not contain as such: "<" (``</script>``,
#: ``<!--``), ">" and "&" (HTML parsing of the element in some contexts) and the JavaScript line
#: terminators U+2028/U+2029.  Each is written as its JSON escape, which parses to the same text.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value: Any) -> str:
    """``value`` as JSON safe to embed in an HTML ``<script>`` element (one place for every
    page that embeds data: the report site's charts among them)."""
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def check_xml(data: bytes, limits: Limits = DEFAULT) -> None:
    """Raise :class:`UnsafeXML` unless ``data`` is well-formed XML without DTD or entities, and
    :class:`~vlrkit.formats.limits.LimitError` if it nests deeper than ``limits.xml_depth``."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    parser = SafeET.DefusedXMLParser(target=_Depth(limits.xml_depth), forbid_dtd=True,
                                     forbid_entities=True, forbid_external=True)
    try:
        for at in range(0, len(data), XML_CHUNK):
            parser.feed(data[at:at + XML_CHUNK])
        parser.close()
    except DefusedXmlException as exc:
        en, zh = _REFUSALS.get(type(exc).__name__, (type(exc).__name__, type(exc).__name__))
        raise UnsafeXML(en, zh) from exc
    except SafeET.ParseError as exc:
        raise UnsafeXML(f"malformed XML: {exc}", f"XML 格式错误：{exc}") from exc


#: Declarations no Office part has; a part holding one is refused (UTF-8 and UTF-16 spellings).
_DECLARATIONS = tuple(
    text.encode(enc) for text in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


def check_ooxml(archive: zipfile.ZipFile) -> None:
    """Raise :class:`UnsafeXML` if any XML part of an Office archive (XLSX) declares a DTD or
    entities (read part by part, in chunks; sizes were checked by ``sources.check_zip``)."""
    overlap = max(len(d) for d in _DECLARATIONS)
    for info in archive.infolist():
        if info.is_dir():
            continue
        with archive.open(info) as fh:
            tail = b""
            while chunk := fh.read(XML_CHUNK):
                window = tail + chunk
                if any(d in window for d in _DECLARATIONS):
                    raise UnsafeXML(f"the part {info.filename} declares a DTD or entities",
                                    f"部件 {info.filename} 声明了 DTD 或实体")
                tail = window[-overlap:]
