"""The PDF renderer: the report model → the print document → PDF with Typst.

:mod:`vlrkit.report.printdoc` lays the model out as a tree of nodes; the Typst template
``templates/report.typ`` turns it into an A4 document with a cover, a table of contents with
page numbers, bookmarks from the headings, the chapter title in the header and page numbers in
the footer.  Charts are the SVG files of :class:`vlrkit.report.charts.ChartFiles` (vector, so
they print sharp at any size).  Text is set in Noto Sans CJK (Debian ``fonts-noto-cjk``), found
among the system fonts and embedded as a subset, so Chinese renders on any reader.

Typst was chosen over WeasyPrint on measured figures (``bench/pdf_engines.py``: the demo's
Chinese PDF in about 1.5 s against about 20 s); the compiler ships in the ``typst`` wheel and
needs nothing at run time beyond the fonts.  It runs outside the GIL, so the renderer may lay out
one language while Python writes the other formats.

Exceptions: :class:`PdfError` (Typst refused the document: a bug, never the user's text, which
reaches Typst only as JSON strings).
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from vlrkit.report import printdoc
from vlrkit.report.model import Report

#: Font family asked of the system fonts; the Simplified Chinese variant of Noto Sans CJK.
PDF_FONT = "Noto Sans CJK SC"
#: The Typst template (package data).
TEMPLATE = "report.typ"


class PdfError(RuntimeError):
    """Typst could not lay out the document (the message carries its diagnostic)."""


def _template(root: Path) -> Path:
    path = root / TEMPLATE
    src = resources.files("vlrkit.report").joinpath("templates", TEMPLATE)
    text = src.read_text("utf-8")
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def document_json(report: Report, charts: Any) -> str:
    """The print document of ``report`` as JSON, its charts named as files of ``charts``."""
    doc = printdoc.document(report, charts)
    doc["font"] = PDF_FONT
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def render_pdf(report: Report, path: Path, charts: Any) -> Path:
    """Write ``report`` as a PDF to ``path``.

    ``charts`` is a :class:`vlrkit.report.charts.ChartFiles`: the folder Typst reads the chart
    SVGs from (it becomes Typst's root, the document and the template are written beside them).
    """
    import typst

    root = charts.folder
    root.mkdir(parents=True, exist_ok=True)
    template = _template(root)
    name = f"doc-{report.lang}.json"
    (root / name).write_text(document_json(report, charts), encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        typst.compile(str(template), output=str(tmp), root=str(root), sys_inputs={"doc": name})
    except typst.TypstError as exc:  # pragma: no cover - a bug in the template or printdoc
        raise PdfError(f"{exc.message}: {exc.diagnostic}") from exc
    shutil.move(tmp, path)
    return path
