"""The one table of parsing limits: what any reader may spend on one upload, checked before the work.

A :class:`Limits` object (frozen; in the spirit of httpx's ``Limits``/``Timeout`` and
frictionless' ``Control``) names every bound a reader respects: sizes of files and archives,
columns, cells and rows of a table, nesting, aliases and expanded size of a YAML document, nesting
of an XML document, and wall time per file.  One object is passed from the caller
(``vlrkit.ingest.read(path, limits=...)``, ``vlr validate --limit NAME=VALUE``) to every reader;
nothing reads a global.  :data:`DEFAULT` holds the defaults, each chosen far above what real
repositories need (the largest seen in the Los Angeles, UK, Kazakhstan and Rwanda repositories is
given beside each field) and far below what harms a 2 GB worker.

A reader that finds a bound crossed raises :class:`LimitError` *before* it does the expensive
work (columns are counted on the header line before rows are split; a YAML document's depth and
aliases are counted on its event stream before anything is constructed); the reader turns it into
one ``limit-exceeded`` problem for that file (:meth:`Refusal.problem`), in zh-Hans and en, naming
the file and the limit, and goes on with the other files.

Exceptions::

    Refusal          (a file refused before it is parsed; .problem(file) gives its report line)
    ├── LimitError   (a bound of Limits crossed: .name, .limit, .found)
    ├── NotText      (vlrkit.formats.encoding: bytes that are no text, e.g. binary named .csv)
    └── UnsafeXML    (vlrkit.formats.safety: a DTD, entities, or malformed XML)
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.report import PROBLEMS_PER_TYPE

MIB = 1024 * 1024


def _limit(default: int | float, en: str, zh: str, unit: str, unit_zh: str, seen: str) -> Any:
    return field(default=default, metadata={"en": en, "zh": zh, "unit": unit, "unit_zh": unit_zh, "seen": seen})


@dataclass(frozen=True)
class Limits:
    """Bounds on what reading one source may cost (see the module doc; :func:`table` lists them)."""

    # --- where bytes come from (vlrkit.formats.sources) -----------------------------------------
    file_bytes: int = _limit(256 * MIB, "size of one file", "单个文件大小", "bytes", "字节", "1.3 MB (UK)")
    total_bytes: int = _limit(400 * MIB, "size of all files of one upload (unpacked)",
                              "一次上传的全部文件大小（解压后）", "bytes", "字节", "24 MB (UK)")
    members: int = _limit(100_000, "files in one folder or archive", "文件夹或压缩包中的文件数", "files", "个文件",
                          "912 (Kazakhstan)")
    zip_ratio: int = _limit(200, "compression ratio of a zip member (zip-bomb guard, above 1 MiB)",
                            "压缩包成员的压缩比（防压缩炸弹，1 MiB 以上）", "×", "倍", "33")
    xlsx_bytes: int = _limit(256 * MIB, "unpacked size of one workbook", "单个工作簿解压后大小", "bytes", "字节",
                             "5.9 MB")
    # --- tables (CSV, XLSX, SDMX) ---------------------------------------------------------------
    columns: int = _limit(1_000, "columns per row", "每行列数", "columns", "列", "24")
    cell_chars: int = _limit(100_000, "characters in one cell", "单元格字符数", "characters", "个字符", "248")
    rows: int = _limit(10_000_000, "rows per file", "每个文件的行数", "rows", "行", "9,262")
    # --- YAML (Open SDG metadata, the mapping file) ---------------------------------------------
    yaml_chars: int = _limit(4 * MIB, "characters in one YAML document", "单个 YAML 文档的字符数", "characters",
                             "个字符", "81,063")
    yaml_depth: int = _limit(64, "nesting depth of a YAML document (aliases expanded)",
                             "YAML 文档的嵌套深度（展开别名后）", "levels", "层", "8")
    yaml_aliases: int = _limit(1_000, "aliases (*name) in a YAML document", "YAML 文档中的别名（*name）数",
                               "aliases", "个别名", "0")
    yaml_nodes: int = _limit(200_000, "values in a YAML document once its aliases are expanded",
                             "YAML 文档展开别名后的值的个数", "values", "个值", "1,691")
    yaml_expanded_chars: int = _limit(16 * MIB, "characters of a YAML document once its aliases are expanded",
                                      "YAML 文档展开别名后的字符数", "characters", "个字符", "81,063")
    # --- XML (SDMX-ML; DTDs and entities are always refused, see vlrkit.formats.safety) ---------
    xml_depth: int = _limit(100, "nesting depth of an XML document", "XML 文档的嵌套深度", "levels", "层", "6")
    # --- the report ----------------------------------------------------------------------------
    problems_per_type: int = _limit(PROBLEMS_PER_TYPE, "row problems listed per file and type (the others are counted)",
                                    "每个文件每类问题列出的行数（其余计数）", "problems", "条", "888 (UK)")
    # --- time ----------------------------------------------------------------------------------
    seconds_per_file: float = _limit(120.0, "wall time to read one file (checked where it is cheap)",
                                     "读取单个文件的时间（在开销小处检查）", "seconds", "秒", "0.3")

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"limit {f.name} must be a positive number, not {value!r} / "
                                 f"上限 {f.name} 必须是正数，而不是 {value!r}")

    def replace(self, **changes: int | float) -> Limits:
        """A copy with some limits changed (unknown names raise ValueError)."""
        unknown = set(changes) - NAMES
        if unknown:
            raise ValueError(f"unknown limit {', '.join(sorted(unknown))} (known: {', '.join(sorted(NAMES))}) / "
                             f"未知的上限 {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def parse(self, pairs: Iterable[str]) -> Limits:
        """A copy changed by ``NAME=VALUE`` texts (``columns=5000``, ``file_bytes=1e9``)."""
        changes: dict[str, int | float] = {}
        for pair in pairs:
            name, sep, text = pair.partition("=")
            name = name.strip().replace("-", "_")
            if not sep:
                raise ValueError(f"a limit is NAME=VALUE, not {pair!r} / 上限的写法是 NAME=VALUE，而不是 {pair!r}")
            try:
                number = float(text.replace("_", ""))
            except ValueError:
                raise ValueError(f"limit {name}: {text!r} is not a number / 上限 {name}：{text!r} 不是数字") from None
            kind = FIELDS[name].type if name in FIELDS else "int"
            changes[name] = number if kind == "float" else int(number)
        return self.replace(**changes)

    def check(self, name: str, found: int | float, *, row: int | None = None, column: str | None = None) -> None:
        """Raise :class:`LimitError` when ``found`` is above the limit ``name``."""
        limit = getattr(self, name)
        if found > limit:
            raise LimitError(name, limit, found, row=row, column=column)

    def deadline(self) -> Deadline:
        """A clock for one file, started now (see :class:`Deadline`)."""
        return Deadline(self.seconds_per_file)


FIELDS: dict[str, dataclasses.Field[Any]] = {f.name: f for f in dataclasses.fields(Limits)}
NAMES = frozenset(FIELDS)
DEFAULT = Limits()


def table(limits: Limits = DEFAULT) -> list[dict[str, Any]]:
    """One row per limit: name, value, unit, what it bounds (en, zh) and the largest real value seen."""
    return [{"name": n, "value": getattr(limits, n), **f.metadata} for n, f in FIELDS.items()]


class Refusal(Exception):
    """A file refused before (or instead of) parsing it; :meth:`problem` is its report line."""

    def problem(self, file: str) -> Problem:  # pragma: no cover - every subclass says what it is
        raise NotImplementedError


def _number(value: int | float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


class LimitError(Refusal):
    """The limit ``name`` (value ``limit``) is crossed: ``found`` (None when counting stopped early)."""

    def __init__(self, name: str, limit: int | float, found: int | float | None = None, *,
                 row: int | None = None, column: str | None = None) -> None:
        self.name, self.limit, self.found, self.row, self.column = name, limit, found, row, column
        meta = FIELDS[name].metadata
        found_en = f"more than {_number(limit)}" if found is None else _number(found)
        found_zh = f"超过 {_number(limit)}" if found is None else _number(found)
        self.en = f"{meta['en']}: {found_en} {meta['unit']}, limit {_number(limit)} (--limit {name}=N raises it)"
        self.zh = f"{meta['zh']}：{found_zh} {meta['unit_zh']}，上限 {_number(limit)}（可用 --limit {name}=N 提高）"
        super().__init__(f"{self.en} / {self.zh}")

    def problem(self, file: str) -> Problem:
        meta = FIELDS[self.name].metadata
        found = None if self.found is None else _number(self.found)
        return c.make(c.LimitExceeded, file, self.row, self.column, limit=self.name, what=meta["en"],
                      what_zh=meta["zh"], unit=meta["unit"], unit_zh=meta["unit_zh"],
                      found=found or f"more than {_number(self.limit)}",
                      found_zh=found or f"超过 {_number(self.limit)}", value=_number(self.limit))


class Deadline:
    """Wall time allowed for one file; :meth:`check` is cheap enough to call every few rows."""

    __slots__ = ("seconds", "_end")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def check(self, *, row: int | None = None) -> None:
        """Raise ``LimitError('seconds_per_file')`` once the time is up."""
        now = time.monotonic()
        if now > self._end:
            raise LimitError("seconds_per_file", self.seconds, round(now - self._end + self.seconds, 1), row=row)
