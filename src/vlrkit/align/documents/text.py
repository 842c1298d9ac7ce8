"""Plain text and Markdown: UTF-8 (with or without BOM), else GB18030 (older Chinese files)."""

from __future__ import annotations

import re

from vlrkit.align.documents import Document, reflow
from vlrkit.align.errors import UnreadableFile

ENCODINGS = ("utf-8-sig", "gb18030")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1")


def decode(data: bytes, name: str) -> str:
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(name, "text is neither UTF-8 nor GB18030 encoded",
                         "文本编码既不是 UTF-8 也不是 GB18030")


def strip_markdown(text: str) -> str:
    """Markdown syntax out, text in; headings and list items become their own paragraphs."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPH.sub(r"\2", text)
    text = _MD_HEADING.sub("\n", text)
    return _MD_LIST.sub("\n", text)


def read_text(data: bytes, name: str) -> Document:
    text = decode(data, name)
    markdown = name.lower().endswith((".md", ".markdown"))
    if markdown:
        text = strip_markdown(text)
    return Document(name, "markdown" if markdown else "text", reflow(text))
