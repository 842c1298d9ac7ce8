"""The validation report: a valid flag, counts and every problem found (never an exception)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vlrkit.validation.catalogue import ERROR, WARNING, Problem


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


def capped(problems: Iterable[Problem], per_type: int) -> tuple[Problem, ...]:
    """At most ``per_type`` row problems per file, type and severity; the others of each such group
    become one ``more-problems`` line that counts them (its ``count``, its rows from–to), so that a
    file whose every row is wrong gives a report of bounded size (the problems keep their order)."""
    from vlrkit.validation import catalogue as c

    seen: Counter[tuple[str, str, str]] = Counter()
    extra: dict[tuple[str, str, str], list[int]] = {}
    kept: list[Problem] = []
    for p in problems:
        if p.row is None:
            kept.append(p)
            continue
        key = (p.file, p.type, p.severity)
        seen[key] += 1
        if seen[key] <= per_type:
            kept.append(p)
        else:
            span = extra.setdefault(key, [p.row, p.row, 0])
            span[0], span[1], span[2] = min(span[0], p.row), max(span[1], p.row), span[2] + 1
    for (file, kind, severity), (first, last, count) in extra.items():
        more = c.make(c.MoreProblems, file, last, None, count=f"{count:,}", first=first, last=last, kind=kind,
                      shown=f"{per_type:,}")
        # the line keeps the type it counts (by_type and of_type count every row); its message says
        # that it stands for more rows than it names
        kept.append(Problem(kind, severity, file, last, None, more.message, count))
    return tuple(kept)


def sort_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems in reading order: by file, then row (file-level first), errors before warnings."""
    return tuple(
        sorted(
            problems,
            key=lambda p: (p.file, -1 if p.row is None else p.row, p.severity != ERROR, p.type),
        )
    )
