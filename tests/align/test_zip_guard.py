"""DOCX and XLSX plans are zip files: the readers refuse zip bombs before unpacking."""

from __future__ import annotations

import io
import zipfile

import pytest

from vlrkit.align import read_bytes
from vlrkit.align.errors import UnreadableFile


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * 120_000_000)  # compresses ~1000:1
    return buf.getvalue()


@pytest.mark.parametrize("name", ["plan.docx", "budget.xlsx"])
def test_a_zip_bomb_is_refused_by_name(name):
    with pytest.raises(UnreadableFile) as err:
        read_bytes(_bomb(), name)
    assert err.value.file == name
    assert "zip bomb" in err.value.en or "too large" in err.value.en.lower() or "exceeds" in err.value.en
    assert err.value.zh  # and in Chinese


def test_a_broken_docx_is_unreadable_not_a_crash():
    with pytest.raises(UnreadableFile):
        read_bytes(b"PK\x03\x04 not really a zip", "plan.docx")
