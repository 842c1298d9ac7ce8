"""Documents in: plans, strategies and reports (PDF, DOCX, TXT/Markdown, HTML) and budget lines
(CSV, XLSX), each read into plain text or plain rows.

*Where bytes come from* (a path, an upload) is kept apart from *how they are parsed*: every
reader takes ``(data: bytes, name: str)``; :func:`read_path` and :func:`read_bytes` pick the
reader by extension.  Text documents come back as :class:`Document`; budget files as
:class:`~vlrkit.align.documents.budget.Budget`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from vlrkit.align.errors import EmptyDocument, UnsupportedFormat

TEXT_KINDS = {".pdf": "pdf", ".docx": "docx", ".txt": "text", ".md": "markdown",
              ".markdown": "markdown", ".html": "html", ".htm": "html"}
BUDGET_KINDS = {".csv": "csv", ".xlsx": "xlsx"}

_SENTENCE_END = re.compile(r"[。！？；：:.!?;」”）)]\s*$")
_CJK_END = re.compile(r"[\u3400-\u9fff，、]$")
_CJK_START = re.compile(r"^[\u3400-\u9fff，、。]")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff，、。；：])[ \t\u3000]+(?=[\u3400-\u9fff，、。；：])")


@dataclass(frozen=True)
class Document:
    """A plan, strategy or report as text (paragraphs separated by blank lines)."""

    name: str
    kind: str  # pdf | docx | text | markdown | html
    text: str
    pages: int | None = None


def reflow(text: str) -> str:
    """Join lines that a PDF or a hard-wrapped text broke inside a sentence.

    A line that does not end a sentence is joined to the next one — without a space between
    Chinese characters, with one between words — and a blank line stays a paragraph break.
    """
    # some PDFs space out every CJK character ("加 快 推 进"): join them again
    text = _CJK_GAP.sub("", text)
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in para.splitlines() if ln.strip()]
        if not lines:
            continue
        buf = lines[0]
        for ln in lines[1:]:
            if _SENTENCE_END.search(buf) or ln.startswith(("•", "-", "*", "·", "第")):
                buf += "\n" + ln
            elif _CJK_END.search(buf) and _CJK_START.search(ln):
                buf += ln
            elif buf.endswith("-") and ln[:1].islower():  # a word hyphenated at the line end
                buf = buf[:-1] + ln
            else:
                buf += " " + ln
        out.append(buf)
    return "\n\n".join(out)


def kind_of(name: str) -> str:
    ext = Path(name).suffix.lower()
    if ext in TEXT_KINDS:
        return TEXT_KINDS[ext]
    if ext in BUDGET_KINDS:
        return BUDGET_KINDS[ext]
    raise UnsupportedFormat(
        name,
        f"unsupported file type '{ext or '(none)'}'; use .pdf .docx .txt .md .html .csv or .xlsx",
        f"不支持的文件类型“{ext or '（无）'}”；请使用 .pdf .docx .txt .md .html .csv 或 .xlsx",
    )


def is_budget(name: str) -> bool:
    return kind_of(name) in ("csv", "xlsx")


def read_bytes(data: bytes, name: str):  # -> Document | Budget
    """Read an uploaded file by its name's extension."""
    kind = kind_of(name)
    if kind in ("csv", "xlsx"):
        from vlrkit.align.documents.budget import read_budget

        return read_budget(data, name)
    if kind == "pdf":
        from vlrkit.align.documents.pdf import read_pdf as reader
    elif kind == "docx":
        from vlrkit.align.documents.docx import read_docx as reader
    elif kind == "html":
        from vlrkit.align.documents.html import read_html as reader
    else:
        from vlrkit.align.documents.text import read_text as reader
    doc = reader(data, name)
    if not doc.text.strip():
        raise EmptyDocument(
            name,
            "no text found (a scanned PDF needs OCR before it can be mapped)",
            "未提取到文字（扫描版 PDF 需先做文字识别）",
        )
    return doc


def read_path(path: Path | str):  # -> Document | Budget
    """Read a file from disk (raises FileNotFoundError for a missing file)."""
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)
