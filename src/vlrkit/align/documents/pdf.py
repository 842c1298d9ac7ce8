"""PDF plans: text layer extracted page by page with pypdf, lines re-flowed into sentences."""

from __future__ import annotations

import io
import logging

from vlrkit.align.documents import Document, reflow
from vlrkit.align.errors import UnreadableFile


def read_pdf(data: bytes, name: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files are reported by us, once
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(name, f"not a readable PDF ({exc})", f"不是可读取的 PDF 文件（{exc}）") from exc
    return Document(name, "pdf", "\n\n".join(reflow(p) for p in pages if p.strip()), len(pages))
