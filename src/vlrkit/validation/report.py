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
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == WARNING)

    @property
    def valid(self) -> bool:
        """True when nothing stops an all-or-nothing import (warnings are allowed)."""
        return self.errors == 0

    def by_type(self) -> dict[str, int]:
        return dict(Counter(p.type for p in self.problems))

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


def sort_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems in reading order: by file, then row (file-level first), errors before warnings."""
    return tuple(
        sorted(
            problems,
            key=lambda p: (p.file, -1 if p.row is None else p.row, p.severity != ERROR, p.type),
        )
    )
