"""Errors of the alignment's readers, each with a stable slug and an en + zh-Hans message.

Hierarchy::

    AlignInputError            a file the user gave cannot be read as a plan or budget
    ├── UnsupportedFormat      the extension is none of .pdf .docx .txt .md .html .htm .csv .xlsx
    ├── UnreadableFile         the bytes are not what the extension says (broken PDF, bad encoding…)
    ├── EmptyDocument          no text could be extracted (e.g. a scanned PDF without a text layer)
    └── BudgetError            budget lines with problems: every problem names file, row, column

Messages carry both languages ("English / 中文") because the CLI does not know the reader's.
"""

from __future__ import annotations

from dataclasses import dataclass


class AlignInputError(ValueError):
    slug = "align-input"

    def __init__(self, file: str, en: str, zh: str) -> None:
        self.file, self.en, self.zh = file, en, zh
        super().__init__(f"{file}: {en} / {zh}")

    def message(self, lang: str = "en") -> str:
        return f"{self.file}: {self.zh if lang.startswith('zh') else self.en}"


class UnsupportedFormat(AlignInputError):
    slug = "unsupported-format"


class UnreadableFile(AlignInputError):
    slug = "unreadable-file"


#: A plan or budget workbook never needs to unpack to more than this.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024


def guard_zip(data: bytes, name: str) -> None:
    """Refuse a DOCX/XLSX (both zip files) that would unpack to too much: a zip-bomb guard,
    the same one the data import uses (:func:`vlrkit.formats.sources.check_zip`).  Bytes that
    are no zip at all are left to the reader, which says what the file should have been."""
    import io
    import zipfile

    from vlrkit.formats.sources import SourceError, check_zip

    if not zipfile.is_zipfile(io.BytesIO(data)):
        return
    try:
        check_zip(data, name, max_total=MAX_UNPACKED_BYTES).close()
    except SourceError as exc:
        raise UnreadableFile(name, exc.en.removeprefix(f"{name}: "),
                             exc.zh.removeprefix(f"{name}：")) from exc


class EmptyDocument(AlignInputError):
    slug = "empty-document"


@dataclass(frozen=True)
class BudgetProblem:
    """One problem of a budget file: where (1-based data row, column) and why, in en and zh."""

    row: int | None
    column: str | None
    en: str
    zh: str

    def where(self, lang: str = "en") -> str:
        if lang.startswith("zh"):
            parts = ([f"第{self.row}行"] if self.row else []) + ([f"“{self.column}”列"] if self.column else [])
            return "".join(parts)
        parts = ([f"row {self.row}"] if self.row else []) + ([f"column '{self.column}'"] if self.column else [])
        return ", ".join(parts)


class BudgetError(AlignInputError):
    slug = "budget-invalid"

    def __init__(self, file: str, problems: list[BudgetProblem]) -> None:
        self.problems = tuple(problems)
        first = problems[0]
        more = len(problems) - 1
        en = f"{first.where('en')}: {first.en}" + (f" (and {more} more problems)" if more else "")
        zh = f"{first.where('zh')}：{first.zh}" + (f"（另有{more}个问题）" if more else "")
        super().__init__(file, en, zh)
