"""Where bytes come from: a file, a folder or a zip archive — kept apart from parsing.

:func:`open_source` turns a path into a list of :class:`Member` (a relative name and its bytes),
enforcing size limits so that an upload cannot exhaust memory: per file, in total, number of
members, and for zip archives (and XLSX, which are zip archives) a compression-ratio guard
against zip bombs.  Limit breaches raise :class:`SourceError` (a user error with a zh/en message).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: Largest single file we read (bytes).
MAX_FILE_BYTES = 512 * 1024 * 1024
#: Largest total of all files of one source (bytes).
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
#: Most files in one folder or archive.
MAX_MEMBERS = 100_000
#: Largest uncompressed/compressed ratio accepted for a zip member (zip-bomb guard).
MAX_ZIP_RATIO = 200
#: Below this size a member's ratio is not checked (tiny files compress extremely well).
ZIP_RATIO_FLOOR = 1024 * 1024

#: File name suffixes a source offers to the readers (others are not read at all).
READABLE_SUFFIXES = (".csv", ".md", ".yml", ".yaml", ".xlsx", ".xml", ".json", ".txt")


class SourceError(Exception):
    """The source cannot be read safely (too large, zip bomb, not a file/folder/zip)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(f"{en} / {zh}")
        self.en = en
        self.zh = zh


@dataclass(frozen=True)
class Member:
    """One file of a source: its path relative to the source root (POSIX) and its bytes."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    @property
    def parts(self) -> tuple[str, ...]:
        return PurePosixPath(self.name).parts


def _too_large(what: str, size: int, limit: int) -> SourceError:
    return SourceError(
        f"{what} is too large ({size} bytes, limit {limit})",
        f"{what} 过大（{size} 字节，上限 {limit}）",
    )


def check_zip(data: bytes, name: str, *, max_total: int = MAX_TOTAL_BYTES) -> zipfile.ZipFile:
    """Open ``data`` as a zip archive after checking it is not a zip bomb; return the archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SourceError(f"{name}: not a valid zip archive ({exc})", f"{name}：不是有效的 zip 压缩包（{exc}）") from exc
    if len(infos) > MAX_MEMBERS:
        raise SourceError(f"{name}: too many files in archive ({len(infos)})", f"{name}：压缩包中文件过多（{len(infos)}）")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_FILE_BYTES:
            raise _too_large(f"{name}!{info.filename}", info.file_size, MAX_FILE_BYTES)
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise SourceError(
                f"{name}!{info.filename}: compression ratio too high (possible zip bomb)",
                f"{name}!{info.filename}：压缩比过高（可能是压缩炸弹）",
            )
    if total > max_total:
        raise _too_large(name, total, max_total)
    return archive


def _from_zip(data: bytes, name: str) -> list[Member]:
    archive = check_zip(data, name)
    members = []
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith(READABLE_SUFFIXES):
            continue
        inner = PurePosixPath(info.filename)
        if inner.is_absolute() or ".." in inner.parts:
            raise SourceError(f"{name}: unsafe path in archive: {info.filename}",
                              f"{name}：压缩包中有不安全的路径：{info.filename}")
        if "__MACOSX" in inner.parts:  # macOS resource forks, not data
            continue
        with archive.open(info) as fh:
            # read at most the declared size + 1: a lying header cannot make us read more
            content = fh.read(info.file_size + 1)
        if len(content) > info.file_size:
            raise SourceError(f"{name}!{info.filename}: size header is wrong", f"{name}!{info.filename}：文件大小头信息错误")
        members.append(Member(str(inner), content))
    return _strip_common_root(members)


def _strip_common_root(members: list[Member]) -> list[Member]:
    """A zip of a repository usually has one top folder (``repo-main/``); drop it."""
    tops = {m.parts[0] for m in members if len(m.parts) > 1}
    if len(tops) == 1 and all(len(m.parts) > 1 for m in members):
        top = next(iter(tops))
        return [Member(m.name[len(top) + 1 :], m.data) for m in members]
    return members


def _read_file(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _too_large(str(path), size, MAX_FILE_BYTES)
    return path.read_bytes()


def open_source(path: Path | str) -> list[Member]:
    """The files of ``path`` (a file, a folder or a ``.zip``) as members, with limits enforced.

    A single file becomes one member named by its file name; a folder's files are named
    relative to it (hidden folders such as ``.git`` are skipped); a zip's entries likewise.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder / 文件或文件夹不存在")
    if path.is_file():
        data = _read_file(path)
        if path.suffix.lower() == ".zip":
            return _from_zip(data, path.name)
        return [Member(path.name, data)]
    members: list[Member] = []
    total = 0
    for file in sorted(path.rglob("*")):
        rel = file.relative_to(path)
        if any(part.startswith(".") for part in rel.parts) or not file.is_file():
            continue
        if not file.name.lower().endswith(READABLE_SUFFIXES):
            continue
        data = _read_file(file)
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise _too_large(str(path), total, MAX_TOTAL_BYTES)
        members.append(Member(rel.as_posix(), data))
        if len(members) > MAX_MEMBERS:
            raise SourceError(f"{path}: too many files", f"{path}：文件过多")
    return members


def from_bytes(name: str, data: bytes) -> list[Member]:
    """Members of an upload held in memory (web face): a zip is opened, anything else is one file."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(name, len(data), MAX_FILE_BYTES)
    if name.lower().endswith(".zip"):
        return _from_zip(data, name)
    return [Member(PurePosixPath(name).name, data)]
