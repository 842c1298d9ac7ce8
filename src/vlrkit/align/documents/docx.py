"""Word plans: paragraphs and table cells in document order (python-docx)."""

from __future__ import annotations

import io
import zipfile

from vlrkit.align.documents import Document
from vlrkit.align.errors import UnreadableFile, guard_zip


def read_docx(data: bytes, name: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    guard_zip(data, name)
    try:
        doc = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(name, f"not a readable Word .docx file ({exc})",
                             f"不是可读取的 Word .docx 文件（{exc}）") from exc
    parts = [p.text.strip() for p in doc.paragraphs if p.text.strip()]
    for table in doc.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                text = cell.text.strip()
                if text and text not in cells:  # merged cells repeat their text
                    cells.append(text)
            if cells:
                parts.append("；".join(cells) if any("\u4e00" <= c <= "\u9fff" for c in "".join(cells)) else "; ".join(cells))
    return Document(name, "docx", "\n\n".join(parts))
