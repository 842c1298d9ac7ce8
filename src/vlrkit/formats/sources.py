"""Where bytes come from: a file, a folder or a zip archive — kept apart from parsing.

:func:`open_source` turns a path into a list of :class:`Member` (a relative name and its bytes),
within the source limits of :class:`~vlrkit.formats.limits.Limits`: size per file and in total,
number of files, and for zip archives (and XLSX, which are zip archives) a compression-ratio guard
against zip bombs.  Sizes are checked on the file system's or the archive's numbers *before*
anything is read.  A whole source that cannot be read safely (too many files, too large in total,
not a zip) raises :class:`SourceError` (a user error with a zh/en message); a single file that
breaks a limit is not read and comes back as a member with ``refused`` set (its problem for the
report), so that the rest of the source is still read and reported.

Text files come out as UTF-8: UTF-16 and UTF-32 text ("Unicode text" saved from Excel) is
decoded here, once, and binary data named ``.csv`` is refused as not text
(:mod:`vlrkit.formats.encoding`).
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from vlrkit.formats import encoding
from vlrkit.formats.limits import DEFAULT, LimitError, Limits, Refusal
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem

#: Below this size a member's compression ratio is not checked (tiny files compress extremely well).
ZIP_RATIO_FLOOR = 1024 * 1024

#: File name suffixes a source offers to the readers (others are not read at all).
READABLE_SUFFIXES = (".csv", ".md", ".yml", ".yaml", ".xlsx", ".xml", ".json", ".txt")
#: Suffixes of text files: decoded to UTF-8 here, and refused when they hold binary data.
TEXT_SUFFIXES = (".csv", ".md", ".yml", ".yaml", ".json", ".txt")


class SourceError(Exception):
    """The source cannot be read safely (too large, too many files, not a file/folder/zip)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(f"{en} / {zh}")
        self.en = en
        self.zh = zh


@dataclass(frozen=True)
class Member:
    """One file of a source: its path relative to the source root (POSIX) and its bytes.

    ``refused`` is set (and ``data`` empty) when the file was not read: the problem that says why
    (too large, zip bomb, not text), to be reported with the file's name."""

    name: str
    data: bytes
    refused: Problem | None = None

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


def _refused(name: str, problem: Problem) -> Member:
    return Member(name, b"", problem)


def _member(name: str, data: bytes) -> Member:
    """A member of ``data``; text files decoded to UTF-8, binary ones refused."""
    if PurePosixPath(name).suffix.lower() in TEXT_SUFFIXES:
        try:
            data = encoding.to_utf8(data)
        except Refusal as exc:
            return _refused(name, exc.problem(name))
    return Member(name, data)


def _ratio_problem(name: str) -> Problem:
    return c.make(c.TooLarge, name, detail="compression ratio too high (possible zip bomb); the file was not read",
                  detail_zh="压缩比过高（可能是压缩炸弹）；未读取该文件", limit="—")


def _open_zip(data: bytes, name: str, limits: Limits, max_total: int) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SourceError(f"{name}: not a valid zip archive ({exc})", f"{name}：不是有效的 zip 压缩包（{exc}）") from exc
    if len(infos) > limits.members:
        raise SourceError(f"{name}: too many files in archive ({len(infos)}, limit {limits.members})",
                          f"{name}：压缩包中文件过多（{len(infos)}，上限 {limits.members}）")
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise _too_large(name, total, max_total)
    return archive


def _bomb(info: zipfile.ZipInfo, limits: Limits) -> bool:
    return info.file_size > ZIP_RATIO_FLOOR and info.file_size > limits.zip_ratio * max(info.compress_size, 1)


def check_zip(data: bytes, name: str, *, max_total: int | None = None, limits: Limits = DEFAULT) -> zipfile.ZipFile:
    """Open ``data`` as a zip archive after checking it is not a zip bomb; return the archive.

    For archives read as one document (XLSX, DOCX): any member too large or compressed too well
    refuses the whole archive (:class:`SourceError`).  ``max_total`` bounds the unpacked size
    (default ``limits.total_bytes``)."""
    archive = _open_zip(data, name, limits, limits.total_bytes if max_total is None else max_total)
    for info in archive.infolist():
        if info.file_size > limits.file_bytes:
            raise _too_large(f"{name}!{info.filename}", info.file_size, limits.file_bytes)
        if _bomb(info, limits):
            raise SourceError(
                f"{name}!{info.filename}: compression ratio too high (possible zip bomb)",
                f"{name}!{info.filename}：压缩比过高（可能是压缩炸弹）",
            )
    return archive


def _from_zip(data: bytes, name: str, limits: Limits) -> list[Member]:
    archive = _open_zip(data, name, limits, limits.total_bytes)
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
        if info.file_size > limits.file_bytes:
            members.append(_refused(str(inner), LimitError("file_bytes", limits.file_bytes, info.file_size)
                                    .problem(str(inner))))
            continue
        if _bomb(info, limits):
            members.append(_refused(str(inner), _ratio_problem(str(inner))))
            continue
        with archive.open(info) as fh:
            # read at most the declared size + 1: a lying header cannot make us read more
            try:
                content = fh.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
                members.append(_refused(str(inner), c.make(c.UnreadableFile, str(inner), format="zip",
                                                           detail=f"{type(exc).__name__}: {exc}"[:200])))
                continue
        if len(content) > info.file_size:
            raise SourceError(f"{name}!{info.filename}: size header is wrong", f"{name}!{info.filename}：文件大小头信息错误")
        members.append(_member(str(inner), content))
    return _strip_common_root(members)


def _strip_common_root(members: list[Member]) -> list[Member]:
    """A zip of a repository usually has one top folder (``repo-main/``); drop it."""
    tops = {m.parts[0] for m in members if len(m.parts) > 1}
    if len(tops) == 1 and all(len(m.parts) > 1 for m in members):
        top = next(iter(tops))
        return [Member(m.name[len(top) + 1 :], m.data,
                       m.refused and dataclasses.replace(m.refused, file=m.name[len(top) + 1 :])) for m in members]
    return members


def _read_file(path: Path, name: str, limits: Limits) -> Member:
    size = path.stat().st_size
    if size > limits.file_bytes:
        return _refused(name, LimitError("file_bytes", limits.file_bytes, size).problem(name))
    return _member(name, path.read_bytes())


def open_source(path: Path | str, limits: Limits = DEFAULT) -> list[Member]:
    """The files of ``path`` (a file, a folder or a ``.zip``) as members, within ``limits``.

    A single file becomes one member named by its file name; a folder's files are named
    relative to it (hidden folders such as ``.git`` are skipped); a zip's entries likewise.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder / 文件或文件夹不存在")
    if path.is_file():
        if path.suffix.lower() == ".zip":
            size = path.stat().st_size
            if size > limits.file_bytes:
                raise _too_large(str(path), size, limits.file_bytes)
            return _from_zip(path.read_bytes(), path.name, limits)
        return [_read_file(path, path.name, limits)]
    files = []
    total = 0
    for file in sorted(path.rglob("*")):
        rel = file.relative_to(path)
        if any(part.startswith(".") for part in rel.parts) or not file.is_file():
            continue
        if not file.name.lower().endswith(READABLE_SUFFIXES):
            continue
        files.append((file, rel.as_posix()))
        if len(files) > limits.members:
            raise SourceError(f"{path}: too many files (limit {limits.members})", f"{path}：文件过多（上限 {limits.members}）")
        size = file.stat().st_size
        total += size if size <= limits.file_bytes else 0  # a file too large is refused, not read
        if total > limits.total_bytes:
            raise _too_large(str(path), total, limits.total_bytes)
    return [_read_file(file, name, limits) for file, name in files]


def from_bytes(name: str, data: bytes, limits: Limits = DEFAULT) -> list[Member]:
    """Members of an upload held in memory (web face): a zip is opened, anything else is one file."""
    if len(data) > limits.file_bytes:
        raise _too_large(name, len(data), limits.file_bytes)
    if name.lower().endswith(".zip"):
        return _from_zip(data, name, limits)
    return [_member(PurePosixPath(name).name, data)]
