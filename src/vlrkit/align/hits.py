"""One piece of evidence a signal found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """One piece of evidence: ``term`` in the passage points to ``target`` (or a goal)."""

    target: str  # "11.2", or "11" for a goal-level term
    term: str
    signal: str  # "lexicon" | "aurora" | "osdg" | "text"
    weight: float

    @property
    def goal(self) -> int:
        return int(self.target.split(".")[0])
