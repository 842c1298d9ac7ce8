"""What vlrkit knows about each global indicator: desirable direction, 2030 value, SDSN defaults.

One row per global indicator (the 231 current ones and the 5 withdrawn ids) in the package data
file ``data/knowledge.csv``, readable by a statistician and sourced value by value:

* **direction** — ``higher``, ``lower``, ``band`` (a level is desirable, neither more nor less:
  a parity index, budget out-turn against the approved budget; ``band_low``–``band_high`` is the
  range read as on target) or ``unknown`` (no desirable direction in its own right: financial
  flows, counts of instruments, indicators whose parts point in opposite directions).  Every
  direction names its source (``SDG target 3.1: “reduce the global maternal mortality ratio”``,
  an SDSN codebook, a custodian's metadata) and, where the judgement is not obvious, a note.
* **2030 value** — only where the SDG target states one, with its kind: ``absolute`` (3.1.1
  below 70 per 100,000 live births), ``zero`` (eradicate, end, eliminate), ``universal`` (100 %)
  or ``relative`` to a baseline (halve: factor 1/2; reduce by one third: 2/3; double: 2).  The
  target year is the one the target states (3.6.1: 2020; 8.7.1: 2025; empty where the target
  states none, read as 2030).  A relative target's baseline year is 2015 unless the target says
  otherwise (none does), recorded in the row.  A value restricted to a group of countries
  (``scope``, e.g. the 7 % growth of 8.1.1 for least developed countries) is recorded but not
  inherited by :mod:`vlrkit.sdg.resolve`.  ``of = complement`` marks a target on ``100 − value``
  (6.3.1 halves the *untreated* share).
* **SDSN defaults** — the SDSN indicator matching the global indicator by meaning (``same``,
  ``close`` or ``partial``, with a note on the difference): the bounds of the 2018 SDG Index,
  recovered from its published workbook (:mod:`vlrkit.sdg.knowledge_build`), and optimum, lower
  bound and green/red thresholds as published in SDSN's Sustainable Development Report 2025
  codebook.  No fitted value is ever shipped as SDSN's.
* **unit** — the unit in which the global indicator is usually reported and its normalised key
  (:func:`vlrkit.sdg.units.normalise_unit`); several keys (``tonnes|tonnes_per_capita|…``) where
  the indicator has several forms.

    >>> from vlrkit.sdg import knowledge
    >>> k = knowledge.knowledge("3.1.1")
    >>> k.direction, k.target.value, k.target.op, k.target.year
    ('lower', 70.0, '<', 2030)
    >>> knowledge.knowledge("3.6.1").target.year      # "By 2020, halve …"
    2020

How local indicators inherit this knowledge is :mod:`vlrkit.sdg.resolve`.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from vlrkit.sdg import catalogue
from vlrkit.sdg.units import normalise_unit

__all__ = [
    "DATA_FILE", "COLUMNS", "DIRECTIONS", "MATCHES", "TARGET_KINDS", "TARGET_OPS", "DEFAULT_TARGET_YEAR",
    "DEFAULT_BASELINE_YEAR", "SDSN_EDITIONS", "SDSN_SOURCES", "Band", "TargetSpec", "SdsnDefaults",
    "Knowledge", "knowledge", "rows", "stats",
]

DATA_FILE = Path(__file__).parent / "data" / "knowledge.csv"

DIRECTIONS = ("higher", "lower", "band", "unknown")
#: How close an SDSN indicator is to the global indicator it is mapped to.
MATCHES = ("same", "close", "partial")
TARGET_KINDS = ("absolute", "zero", "universal", "relative")
TARGET_OPS = ("<", "<=", "=", ">=", ">")
#: The 2030 Agenda's horizon, for a target that states no year.
DEFAULT_TARGET_YEAR = 2030
#: The first year of the 2030 Agenda, for a relative target that names no baseline year.
DEFAULT_BASELINE_YEAR = 2015
SDSN_EDITIONS = ("2025", "2018")
#: How each SDSN edition's numbers are cited.
SDSN_SOURCES = {
    "2018": "SDSN SDG Index 2018 workbook, bounds recovered",
    "2025": "SDSN Sustainable Development Report 2025 codebook",
}

COLUMNS = (
    "indicator", "title", "direction", "direction_source", "direction_note", "direction_note_zh",
    "band_low", "band_high", "band_source",
    "unit", "unit_key", "unit_note",
    "target_kind", "target_op", "target_value", "target_of", "target_baseline_year", "target_year",
    "target_scope", "target_source", "target_note",
    "sdsn2018_code", "sdsn2018_name", "sdsn2018_match", "sdsn2018_unit_key", "sdsn2018_best",
    "sdsn2018_worst", "sdsn2018_note",
    "sdsn2025_code", "sdsn2025_name", "sdsn2025_match", "sdsn2025_unit_key", "sdsn2025_optimum",
    "sdsn2025_lower", "sdsn2025_green", "sdsn2025_red", "sdsn2025_basis", "sdsn2025_note",
)


@dataclass(frozen=True)
class Band:
    """The range read as on target for a ``band`` direction."""

    low: float
    high: float
    source: str


@dataclass(frozen=True)
class TargetSpec:
    """A target value: stated by an SDG target (in the catalogue), a publisher or a user.

    ``value`` is the level for ``absolute``, ``zero`` and ``universal``, and the factor applied
    to the baseline for ``relative`` (``of = "complement"``: applied to ``100 − value``)."""

    kind: str
    value: float
    op: str
    year: int | None = None  # as stated; None = not stated (read as DEFAULT_TARGET_YEAR)
    baseline_year: int | None = None
    of: str = "value"
    scope: str = ""
    source: str = ""
    note: str = ""

    @property
    def target_year(self) -> int:
        """The year the target is due: the stated year, else 2030."""
        return self.year if self.year is not None else DEFAULT_TARGET_YEAR

    @property
    def is_relative(self) -> bool:
        return self.kind == "relative"

    @property
    def implied_direction(self) -> str:
        """The direction the target implies: ``higher``, ``lower`` or ``band`` (``=`` to a
        non-zero level)."""
        if self.kind == "relative":
            falls = self.value < 1
            return ("higher" if falls else "lower") if self.of == "complement" else ("lower" if falls else "higher")
        if self.kind == "zero":
            return "lower"
        if self.kind == "universal":
            return "higher"
        return {"<": "lower", "<=": "lower", ">": "higher", ">=": "higher"}.get(self.op, "band")

    def level(self, baseline: float | None = None) -> float | None:
        """The target as a level: the stated value, or for a relative target the level the
        factor gives from ``baseline`` (``None`` without one)."""
        if self.kind != "relative":
            return self.value
        if baseline is None:
            return None
        if self.of == "complement":
            return 100 - (100 - baseline) * self.value
        return baseline * self.value


@dataclass(frozen=True)
class SdsnDefaults:
    """An SDSN indicator matched to a global indicator, with the numbers of one edition.

    ``best`` is SDSN's optimum (score 100), ``worst`` its lower bound (score 0); ``green`` and
    ``red`` are thresholds SDSN published (``None`` where it published none, as in 2018)."""

    edition: str
    code: str
    name: str
    match: str
    unit_key: str
    best: float | None
    worst: float | None
    green: float | None = None
    red: float | None = None
    basis: str = ""  # SDSN's justification of the optimum ("SDG Target", "Leave no one behind"…)
    note: str = ""

    @property
    def source(self) -> str:
        return SDSN_SOURCES[self.edition]

    @property
    def has_bounds(self) -> bool:
        return self.best is not None and self.worst is not None

    @property
    def direction(self) -> str | None:
        if not self.has_bounds or self.best == self.worst:
            return None
        return "higher" if self.best > self.worst else "lower"  # type: ignore[operator]


@dataclass(frozen=True)
class Knowledge:
    """vlrkit's knowledge about one global indicator (one row of ``knowledge.csv``)."""

    indicator: str
    title: str
    direction: str
    direction_source: str
    direction_note: str = ""
    direction_note_zh: str = ""
    band: Band | None = None
    unit: str = ""
    unit_keys: tuple[str, ...] = ()
    unit_note: str = ""
    target: TargetSpec | None = None
    sdsn: tuple[SdsnDefaults, ...] = ()

    @property
    def withdrawn(self) -> bool:
        return catalogue.indicator(self.indicator).is_withdrawn

    def note(self, lang: str = "en") -> str:
        """The direction note in ``lang`` (``en`` or ``zh-Hans``; other languages get English)."""
        zh = catalogue.normalise_lang(lang) == "zh-Hans"
        return (self.direction_note_zh or self.direction_note) if zh else self.direction_note

    def unit_matches(self, unit: str | None) -> bool:
        """Whether a series' unit, as a publisher wrote it, is one the indicator is reported in
        (how the assessment recognises the series in the global indicator's unit)."""
        return normalise_unit(unit) in self.unit_keys

    def sdsn_edition(self, edition: str) -> SdsnDefaults | None:
        return next((s for s in self.sdsn if s.edition == edition), None)

    def to_dict(self) -> dict[str, Any]:
        """The row as plain data (``vlr sdg knowledge --json``)."""
        def target(t: TargetSpec | None) -> dict[str, Any] | None:
            if t is None:
                return None
            return {"kind": t.kind, "op": t.op, "value": t.value, "of": t.of, "year": t.year,
                    "year_read_as": t.target_year, "baseline_year": t.baseline_year,
                    "scope": t.scope or None, "source": t.source, "note": t.note or None}

        return {
            "indicator": self.indicator, "title": self.title, "withdrawn": self.withdrawn,
            "direction": self.direction, "direction_source": self.direction_source,
            "direction_note": self.direction_note or None,
            "direction_note_zh": self.direction_note_zh or None,
            "band": None if self.band is None else {"low": self.band.low, "high": self.band.high,
                                                    "source": self.band.source},
            "unit": self.unit or None, "unit_keys": list(self.unit_keys), "unit_note": self.unit_note or None,
            "target_2030": target(self.target),
            "sdsn": [{"edition": s.edition, "source": s.source, "code": s.code, "name": s.name,
                      "match": s.match, "unit_key": s.unit_key, "best": s.best, "worst": s.worst,
                      "green": s.green, "red": s.red, "basis": s.basis or None, "note": s.note or None}
                     for s in self.sdsn],
        }


def _num(text: str) -> float | None:
    text = text.strip()
    return float(Fraction(text)) if text else None


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def _parse(row: dict[str, str]) -> Knowledge:
    code = row["indicator"]
    band = None
    if row["band_low"] or row["band_high"]:
        band = Band(float(row["band_low"]), float(row["band_high"]), row["band_source"])
    target = None
    if row["target_kind"]:
        target = TargetSpec(
            kind=row["target_kind"], value=_num(row["target_value"]) or 0.0, op=row["target_op"],
            year=_int(row["target_year"]), baseline_year=_int(row["target_baseline_year"]),
            of=row["target_of"] or "value", scope=row["target_scope"], source=row["target_source"],
            note=row["target_note"],
        )
    sdsn = []
    if row["sdsn2025_code"]:
        sdsn.append(SdsnDefaults(
            "2025", row["sdsn2025_code"], row["sdsn2025_name"], row["sdsn2025_match"], row["sdsn2025_unit_key"],
            _num(row["sdsn2025_optimum"]), _num(row["sdsn2025_lower"]), _num(row["sdsn2025_green"]),
            _num(row["sdsn2025_red"]), row["sdsn2025_basis"], row["sdsn2025_note"],
        ))
    if row["sdsn2018_code"]:
        sdsn.append(SdsnDefaults(
            "2018", row["sdsn2018_code"], row["sdsn2018_name"], row["sdsn2018_match"], row["sdsn2018_unit_key"],
            _num(row["sdsn2018_best"]), _num(row["sdsn2018_worst"]), note=row["sdsn2018_note"],
        ))
    return Knowledge(
        indicator=code, title=row["title"], direction=row["direction"],
        direction_source=row["direction_source"], direction_note=row["direction_note"],
        direction_note_zh=row["direction_note_zh"], band=band,
        unit=row["unit"], unit_keys=tuple(k for k in row["unit_key"].split("|") if k),
        unit_note=row["unit_note"], target=target, sdsn=tuple(sdsn),
    )


def read(path: Path = DATA_FILE) -> list[dict[str, str]]:
    """The rows of a knowledge file as text (for the build and the tests)."""
    from vlrkit.formats.spreadsheet import restore

    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: columns are {reader.fieldnames}, expected {list(COLUMNS)}")
        return [{k: restore(v) for k, v in row.items()} for row in reader]


def write(rows_: list[dict[str, str]], path: Path = DATA_FILE) -> None:
    """Write rows of text in the shipped layout (used by :mod:`vlrkit.sdg.knowledge_build`);
    text cells are neutralised against formula injection, as in every CSV vlrkit writes, and
    :func:`read` restores them."""
    from vlrkit.formats import spreadsheet

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = spreadsheet.dict_writer(fh, COLUMNS)
        writer.writeheader()
        writer.writerows(rows_)


@cache
def _index() -> dict[str, Knowledge]:
    return {row["indicator"]: _parse(row) for row in read()}


def rows() -> tuple[Knowledge, ...]:
    """Every row, current and withdrawn indicators, in framework order."""
    return tuple(_index().values())


def knowledge(code: str) -> Knowledge:
    """The row of a global indicator (any of its ids: ``11.5.1`` gives the row of 1.5.1)."""
    ind = catalogue.indicator(code)
    try:
        return _index()[ind.code]
    except KeyError:  # the shipped file covers every indicator; a test guards it
        raise catalogue.UnknownSdgId(f"{code!r} has no row in the knowledge catalogue") from None


def stats() -> dict[str, Any]:
    """Counts of the knowledge catalogue over the current (not withdrawn) indicators."""
    current = [k for k in rows() if not k.withdrawn]
    directions = Counter(k.direction for k in current)
    targets = [k.target for k in current if k.target is not None]

    def sdsn(edition: str, what: str) -> int:
        n = 0
        for k in current:
            s = k.sdsn_edition(edition)
            if s is not None and (what == "mapped" or (what == "bounds" and s.has_bounds)
                                  or (what == "thresholds" and s.green is not None)):
                n += 1
        return n

    return {
        "indicators": len(current),
        "withdrawn": len(rows()) - len(current),
        "direction": {d: directions.get(d, 0) for d in DIRECTIONS},
        "target_2030": len(targets),
        "target_2030_inheritable": sum(1 for t in targets if not t.scope),
        "target_kinds": dict(Counter(t.kind for t in targets)),
        "sdsn_2018_mapped": sdsn("2018", "mapped"),
        "sdsn_2018_bounds": sdsn("2018", "bounds"),
        "sdsn_2025_mapped": sdsn("2025", "mapped"),
        "sdsn_2025_bounds": sdsn("2025", "bounds"),
        "sdsn_2025_thresholds": sdsn("2025", "thresholds"),
        "sdsn_any_bounds": sum(1 for k in current if any(s.has_bounds for s in k.sdsn)),
        "unit_known": sum(1 for k in current if k.unit_keys),
    }
