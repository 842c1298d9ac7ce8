"""The validation report: a valid flag, counts and every problem found (never an exception)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from vlrkit.validation.catalogue import ERROR, WARNING, Problem

#: Row problems of one type listed per file before the others are counted (the default of
#: ``Limits.problems_per_type``; the checks and the row coercion take the limit as an argument).
PROBLEMS_PER_TYPE = 10_000


@dataclass(frozen=True)
class Report:
    """What a validation found in one file or repository."""

    files: int
    rows: int
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> int:
        return sum(p.count for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(p.count for p in self.problems if p.severity == WARNING)

    @property
    def valid(self) -> bool:
        """True when nothing stops an all-or-nothing import (warnings are allowed)."""
        return self.errors == 0

    def by_type(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for p in self.problems:
            counts[p.type] += p.count
        return dict(counts)

    def of_type(self, slug: str) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.type == slug)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``vlr validate --json``."""
        return {
            "valid": self.valid,
            "files": self.files,
            "rows": self.rows,
            "errors": self.errors,
            "warnings": self.warnings,
            "by_type": self.by_type(),
            "problems": [p.to_dict() for p in self.problems],
        }


def combine(reports: Iterable[Report]) -> Report:
    """One report of several (files and rows added up, problems concatenated)."""
    files = rows = 0
    problems: list[Problem] = []
    for r in reports:
        files += r.files
        rows += r.rows
        problems.extend(r.problems)
    return Report(files, rows, tuple(problems))


def _more(kind: str, severity: str, file: str, column: str | None, rows: Any, shown: int,
          message: dict[str, str] | None = None) -> Problem:
    """The one line that counts ``rows`` (a polars Series) of ``file`` with the problem ``kind``."""
    from vlrkit.validation import catalogue as c

    first, last, count = int(rows.min()), int(rows.max()), rows.len()
    more = c.make(c.MoreProblems, file, last, column, count=f"{count:,}", first=first, last=last, kind=kind,
                  shown=f"{shown:,}")
    # the line keeps the type it counts (by_type and of_type count every row); its message says
    # that it stands for more rows than it names
    return Problem(kind, severity, file, last, column, message or more.message, count, rows)


def row_problems(bad: Any, fields: Sequence[str], build: Callable[..., Problem], per_type: int) -> list[Problem]:
    """The problems of the rows of ``bad`` (a polars frame with ``file`` and ``row``):
    ``build(file, row, *fields)`` for the first ``per_type`` rows of each file, and one line per
    file that counts the others (their rows kept, :func:`_more`).  A check whose every row is
    wrong so makes a bounded number of problems, whatever the size of the file."""
    import polars as pl

    if bad.is_empty():
        return []
    sel = bad.select("file", "row", *fields)
    if sel.height <= per_type:
        return [build(*rec) for rec in sel.iter_rows()]
    sel = sel.with_columns(pl.int_range(pl.len()).over("file").alias("_pos"))
    out = [build(*rec[:-1]) for rec in sel.filter(pl.col("_pos") < per_type).iter_rows()]
    rest = sel.filter(pl.col("_pos") >= per_type)
    for (_file,), part in rest.group_by("file", maintain_order=True):
        one = build(*part.row(0)[:-1])
        out.append(_more(one.type, one.severity, one.file, one.column, part["row"], per_type))
    return out


def capped(problems: Iterable[Problem], per_type: int) -> tuple[Problem, ...]:
    """At most ``per_type`` row problems per file, type and severity; the others of each such group
    become one ``more-problems`` line that counts them (its ``count``, its rows from–to), so that a
    file whose every row is wrong gives a report of bounded size (the problems keep their order).
    Lines that already count rows (:func:`row_problems`) are merged into their group's line."""
    import polars as pl

    seen: Counter[tuple[str, str, str]] = Counter()
    extra: dict[tuple[str, str, str], list[Any]] = {}
    singles: dict[tuple[str, str, str], list[int]] = {}
    column: dict[tuple[str, str, str], str | None] = {}
    kept: list[Problem] = []
    for p in problems:
        if p.row is None:
            kept.append(p)
            continue
        key = (p.file, p.type, p.severity)
        if p.rows is not None:
            extra.setdefault(key, []).append(p.rows)
            column.setdefault(key, p.column)
            continue
        seen[key] += 1
        if seen[key] <= per_type:
            kept.append(p)
        else:
            singles.setdefault(key, []).append(p.row)
            column.setdefault(key, p.column)
    for key in dict.fromkeys([*extra, *singles]):
        parts = [*extra.get(key, []), pl.Series(singles.get(key, []), dtype=pl.Int64)]
        rows = pl.concat([s.cast(pl.Int64) for s in parts])
        file, kind, severity = key
        kept.append(_more(kind, severity, file, column[key], rows, per_type))
    return tuple(kept)


def sort_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems in reading order: by file, then row (file-level first), errors before warnings."""
    return tuple(
        sorted(
            problems,
            key=lambda p: (p.file, -1 if p.row is None else p.row, p.severity != ERROR, p.type),
        )
    )
