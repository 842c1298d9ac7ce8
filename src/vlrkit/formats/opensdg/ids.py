"""Indicator ids as sdg-build derives them from file names, and what they say about the SDGs.

sdg-build's ``InputCsvData`` takes a data file's name without its extension and without a
leading ``indicator_`` as the indicator id; metadata inputs take the file name as it is.  So
``indicator_1-1-1.csv``, ``1-1-1.md``, ``indicator_11-1-1-a.csv`` (a localised variant),
``12-12.csv`` (a regional indicator set's own numbering), ``archived-1-a-1.csv`` and ``GDP1.csv``
are all indicators.  :func:`describe` says how each relates to the global framework:

=============  ==================================  =========================================
kind           example                             link to the global indicator
=============  ==================================  =========================================
``global``     ``1-1-1``                           the global indicator (grade judged from
                                                   the metadata: identical, adapted, proxy)
``variant``    ``11-1-1-a``, ``5-5-2a``            the global indicator it varies, ``adapted``
                                                   and marked "to review"
``archived``   ``archived-1-a-1``                  the global indicator, ``contextual`` (the
                                                   publisher archived it)
``regional``   ``12-12``, ``4-1``                  none: its own numbering under goal 12, 4
``local``      ``GDP1``                            none, and no goal unless metadata says
=============  ==================================  =========================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PREFIX = re.compile(r"^indicator_", re.IGNORECASE)
_ARCHIVED = re.compile(r"^archived[-_](.+)$", re.IGNORECASE)
_PARTS = re.compile(r"^\d{1,2}(?:-[0-9a-z]+)*$", re.IGNORECASE)


@dataclass(frozen=True)
class IdInfo:
    """What an Open SDG indicator id says."""

    oid: str  # the id as sdg-build has it (``11-1-1-a``)
    code: str  # vlrkit's local indicator code (``11.1.1.a``)
    kind: str  # global | variant | archived | regional | local
    goal: int | None  # the SDG it sits under, if the id says
    sdg_indicator: str | None = None  # the global indicator it relates to

    @property
    def target(self) -> str | None:
        return ".".join(self.sdg_indicator.split(".")[:2]) if self.sdg_indicator else None


def file_id(stem: str) -> str:
    """The indicator id of a data file's stem, as sdg-build's ``InputCsvData`` derives it."""
    return _PREFIX.sub("", stem.strip())


def _global(dotted: str) -> str | None:
    try:
        return dotted if dotted in _known() else None
    except Exception:  # noqa: BLE001 - no catalogue: judge by shape
        return dotted if re.fullmatch(r"\d{1,2}\.(\d{1,2}|[a-e])\.\d{1,2}", dotted) else None


_KNOWN: frozenset[str] | None = None


def _known() -> frozenset[str]:
    global _KNOWN
    if _KNOWN is None:
        from vlrkit import sdg

        _KNOWN = frozenset(i for ind in sdg.indicators(withdrawn=True) for i in ind.ids)
    return _KNOWN


def describe(oid: str) -> IdInfo:
    """How the id ``oid`` relates to the SDG framework (see the module doc)."""
    oid = oid.strip()
    if m := _ARCHIVED.match(oid):
        inner = describe(m.group(1))
        return IdInfo(oid, oid, "archived", inner.goal, inner.sdg_indicator)
    if not _PARTS.match(oid):
        return IdInfo(oid, oid, "local", None)
    parts = [p.lower() for p in oid.split("-")]
    goal = int(parts[0])
    code = ".".join(parts)
    if not 1 <= goal <= 17:
        return IdInfo(oid, code, "local", None)
    if len(parts) >= 3:
        base = _global(".".join(parts[:3]))
        if base is not None:
            return IdInfo(oid, code, "global" if len(parts) == 3 else "variant", goal, base)
        # ``5-5-2a``: a variant whose letter is glued to the number
        if (m := re.fullmatch(r"(\d+)([a-z]+)", parts[2])) and (base := _global(".".join([*parts[:2], m.group(1)]))):
            return IdInfo(oid, code, "variant", goal, base)
    return IdInfo(oid, code, "regional", goal)
