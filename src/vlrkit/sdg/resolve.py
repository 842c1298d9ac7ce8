"""A local indicator's direction, 2030 value and SDSN bounds, each with where it came from.

    >>> from vlrkit.sdg.resolve import Stated, resolve
    >>> r = resolve([("3.1.1", "identical")], unit="per 100,000 live births")
    >>> r.direction.value, r.direction.origin.code, r.direction.origin.source
    ('lower', 'catalogue', 'SDG target 3.1')
    >>> r.target.value.level(), r.bounds.value.green, r.bounds.origin.source
    (70.0, 70.0, 'SDSN Sustainable Development Report 2025 codebook')
    >>> resolve([("3.1.1", "identical")], user=Stated(direction="higher")).direction.origin.code
    'user'

**The rule.**  Each of the three values — the *direction*, the *target* (a level, or a factor of
a baseline) and the *bounds* (SDSN's optimum, lower bound and, where published, green and red
thresholds) — is taken from the first of these that has it:

1. **user** — what the user set on the indicator (:class:`Stated`), always wins;
2. **publisher** — what the publisher's configuration says, passed in as plain values (Open SDG's
   ``progress_calculation_options`` direction, a ``graph_target_lines`` value);
3. **catalogue** — :mod:`vlrkit.sdg.knowledge`, through the indicator's SDG links, according to
   each link's comparability grade:

   * ``identical`` inherits the direction, the 2030 value and the SDSN bounds;
   * ``adapted`` inherits the direction, and the 2030 value and bounds only where the series'
     unit is known and agrees with the global indicator's (for the bounds: with SDSN's);
   * ``proxy`` inherits the direction only, marked *to confirm*;
   * ``contextual`` inherits nothing;

   the best-graded links are used (identical before adapted before proxy); links of that grade
   that disagree on the direction give *unknown*; a value that contradicts the resolved direction
   (a "below 70" target under a user's "higher") is not inherited; an identical link's absolute
   target or bounds are not inherited either when the series' unit is known and differs;
   a 2030 value restricted to a group of countries (``scope``) and SDSN indicators that cover
   only part of the global one (``partial``) are never inherited;
4. **unknown** — otherwise: the direction is *to confirm*, and the assessment makes no
   improvement, setback or best-off claim for the indicator.

Every value carries an :class:`Origin`: a short stable ``code`` (``user``, ``publisher``,
``catalogue``, ``unknown``), a short ``source`` (``SDG target 3.1``, ``SDSN Sustainable
Development Report 2025 codebook``, ``progress_calculation_options``), the global indicator and
grade it came through, and a human text in en and zh-Hans (:meth:`Origin.text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from vlrkit.sdg import catalogue
from vlrkit.sdg import knowledge as kn
from vlrkit.sdg.units import normalise_unit

__all__ = [
    "GRADES", "ORIGINS", "ORIGIN_TEXT", "Stated", "Bounds", "Origin", "Resolved", "Resolution",
    "resolve", "short_source",
]

GRADES = ("identical", "adapted", "proxy", "contextual")
ORIGINS = ("user", "publisher", "catalogue", "unknown")
#: The human text of each origin code.
ORIGIN_TEXT: Mapping[str, Mapping[str, str]] = {
    "user": {"en": "set by user", "zh-Hans": "用户设定"},
    "publisher": {"en": "publisher config", "zh-Hans": "发布方配置"},
    "catalogue": {"en": "vlrkit knowledge catalogue", "zh-Hans": "vlrkit 知识目录"},
    "unknown": {"en": "unknown", "zh-Hans": "未知"},
}
_UNKNOWN_TEXT = {
    "direction": {"en": "direction to confirm", "zh-Hans": "方向待确认"},
    "target": {"en": "no 2030 value", "zh-Hans": "无 2030 年目标值"},
    "bounds": {"en": "no default bounds", "zh-Hans": "无默认上下限"},
}
_STATED_DIRECTIONS = ("higher", "lower", "band")
_TO_CONFIRM = {"en": "to confirm", "zh-Hans": "待确认"}
_GRADE_TEXT = {"identical": "相同", "adapted": "调整", "proxy": "替代", "contextual": "背景"}


class LinkLike(Protocol):
    """What :func:`resolve` reads of an SDG link (``vlrkit.review.model.SdgLink`` fits)."""

    @property
    def sdg_indicator(self) -> str | None: ...

    @property
    def grade(self) -> str: ...


@dataclass(frozen=True)
class Stated:
    """Values a user or a publisher stated for a local indicator; ``None`` = not stated."""

    direction: str | None = None  # higher | lower | band
    target_value: float | None = None
    target_year: int | None = None
    baseline_year: int | None = None
    optimum: float | None = None
    lower_bound: float | None = None
    green: float | None = None
    red: float | None = None
    yellow: float | None = None  # a yellow threshold of its own (SDSN's city editions)
    source: str = ""  # e.g. "progress_calculation_options" or "meta/3-1-1.md"


@dataclass(frozen=True)
class Bounds:
    """SDSN-style bounds of one indicator: optimum (score 100) and lower bound (score 0), with
    green and red thresholds where known (``None`` where the source published none)."""

    optimum: float
    lower_bound: float
    green: float | None = None
    red: float | None = None
    edition: str = ""  # the SDSN edition they come from, "" for a user's
    yellow: float | None = None  # a yellow threshold of its own, where one was given

    @property
    def direction(self) -> str | None:
        if self.optimum == self.lower_bound:
            return None
        return "higher" if self.optimum > self.lower_bound else "lower"


@dataclass(frozen=True)
class Origin:
    """Where a resolved value came from."""

    code: str  # one of ORIGINS
    source: str = ""  # short: "SDG target 3.1", "SDSN Sustainable Development Report 2025 codebook"
    detail: str = ""  # the full source text (with the quoted target words)
    via: str = ""  # the global indicator it came through
    grade: str = ""  # the grade of that link
    to_confirm: bool = False
    note: Mapping[str, str] = field(default_factory=dict)  # en / zh-Hans

    def text(self, lang: str = "en", what: str = "direction") -> str:
        """One line for a person: ``vlrkit knowledge catalogue: SDG target 3.1 (via 3.1.1,
        identical)``; ``what`` (direction, target, bounds) words the unknown case."""
        zh = catalogue.normalise_lang(lang) == "zh-Hans"
        key = "zh-Hans" if zh else "en"
        if self.code == "unknown":
            return _UNKNOWN_TEXT[what][key]
        head = ORIGIN_TEXT[self.code][key]
        source = self.source.replace("SDG target", "SDG 具体目标") if zh else self.source
        text = f"{head}：{source}" if zh and source else f"{head}: {source}" if source else head
        if self.via:
            grade = _GRADE_TEXT.get(self.grade, self.grade) if zh else self.grade
            text += f"（经由 {self.via}，{grade}）" if zh else f" (via {self.via}, {grade})"
        if self.to_confirm:
            text += f"，{_TO_CONFIRM[key]}" if zh else f", {_TO_CONFIRM[key]}"
        return text


@dataclass(frozen=True)
class Resolved:
    """One resolved value and its origin (``value`` is None when unknown)."""

    value: Any
    origin: Origin

    @property
    def known(self) -> bool:
        return self.origin.code != "unknown"


@dataclass(frozen=True)
class Resolution:
    """A local indicator's direction, target and bounds, each with its origin."""

    direction: Resolved  # value: "higher" | "lower" | "band" | "unknown"
    target: Resolved  # value: knowledge.TargetSpec | None
    bounds: Resolved  # value: Bounds | None
    band: kn.Band | None = None  # for a "band" direction from the catalogue
    unit_key: str | None = None  # the series' unit, normalised
    notes: tuple[Mapping[str, str], ...] = ()  # why a value was not inherited (en / zh-Hans)

    @property
    def direction_to_confirm(self) -> bool:
        """True when no direction may be claimed as known: unknown, or a proxy's."""
        return self.direction.value in (None, "unknown") or self.direction.origin.to_confirm

    @property
    def claims_allowed(self) -> bool:
        """Whether improvement/setback/best-off claims may be made: a confirmed higher/lower."""
        return self.direction.value in ("higher", "lower") and not self.direction.origin.to_confirm


def short_source(detail: str) -> str:
    """The short form of a catalogue source: ``SDG target 3.1: “…”`` → ``SDG target 3.1``."""
    first = detail.split(";")[0].strip()
    m = re.match(r"(SDG target [0-9]+\.[0-9a-z]+)", first)
    if m:
        return m.group(1)
    m = re.match(r"(SDSN [^(:]*?)\s*[(:]", first)
    if m:
        return m.group(1).strip()
    m = re.match(r"(UN SDG metadata [0-9a-z.]+)", first)
    if m:
        return m.group(1)
    return "vlrkit" if first.startswith("vlrkit") else first.split(":")[0]


def _note(en: str, zh: str) -> Mapping[str, str]:
    return {"en": en, "zh-Hans": zh}


def _links(links: Iterable[LinkLike | tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for link in links:
        code, grade = link if isinstance(link, tuple) else (link.sdg_indicator, link.grade)
        if grade not in GRADES:
            raise ValueError(f"unknown comparability grade {grade!r}; expected one of {', '.join(GRADES)}")
        if code:
            out.append((catalogue.indicator(code).code, grade))
    return sorted(out, key=lambda cg: GRADES.index(cg[1]))  # stable: input order within a grade


def _stated_target(s: Stated, direction: str | None) -> kn.TargetSpec:
    op = {"higher": ">=", "lower": "<=", "band": "="}.get(direction or "", "=")
    return kn.TargetSpec("absolute", float(s.target_value), op, year=s.target_year,  # type: ignore[arg-type]
                         baseline_year=s.baseline_year, source=s.source)


def _stated_bounds(s: Stated) -> Bounds | None:
    if s.optimum is None or s.lower_bound is None:
        return None
    return Bounds(s.optimum, s.lower_bound, s.green, s.red, yellow=s.yellow)


def _agrees(implied: str | None, direction: str | None) -> bool:
    return implied is None or direction in (None, "unknown") or implied == direction


def resolve(
    links: Iterable[LinkLike | tuple[str, str]],
    *,
    unit: str | None = None,
    user: Stated | None = None,
    publisher: Stated | None = None,
    sdsn_editions: tuple[str, ...] = kn.SDSN_EDITIONS,
) -> Resolution:
    """Resolve a local indicator's direction, target and bounds (the rule is in the module
    docstring).  ``links`` are its SDG links (objects with ``sdg_indicator`` and ``grade``, or
    ``(indicator id, grade)`` pairs); ``unit`` the unit of the series being assessed, as the
    publisher wrote it; ``sdsn_editions`` the SDSN editions to take bounds from, in order of
    preference (default: the 2025 codebook, which publishes thresholds, then 2018's bounds)."""
    user, publisher = user or Stated(), publisher or Stated()
    notes: list[Mapping[str, str]] = []
    unit_key = normalise_unit(unit)
    graded = _links(links)
    rows = {code: kn.knowledge(code) for code, _ in graded}

    # --- direction
    for who in (user, publisher):
        if who.direction is not None and who.direction not in _STATED_DIRECTIONS:
            raise ValueError(f"direction {who.direction!r}: expected one of {', '.join(_STATED_DIRECTIONS)}")
    usable = [(c, g) for c, g in graded if g != "contextual" and rows[c].direction != "unknown"]
    best = [(c, g) for c, g in usable if g == usable[0][1]] if usable else []
    values = {rows[c].direction for c, _ in best}
    direction: Resolved
    if user.direction:
        direction = Resolved(user.direction, Origin("user", user.source))
    elif publisher.direction:
        direction = Resolved(publisher.direction, Origin("publisher", publisher.source))
    elif len(values) == 1:
        code, grade = best[0]
        row = rows[code]
        direction = Resolved(row.direction, Origin(
            "catalogue", short_source(row.direction_source), row.direction_source, code, grade,
            to_confirm=grade == "proxy",
        ))
    else:
        if len(values) > 1:
            said = ", ".join(f"{c} {rows[c].direction}" for c, _ in best)
            notes.append(_note(f"the SDG links disagree on the direction ({said})",
                               f"所链接的 SDG 指标方向不一致（{said}）"))
        elif graded and not usable:
            notes.append(_note("no SDG link carries a known direction (contextual links carry none)",
                               "没有 SDG 链接提供已知方向（背景链接不传递方向）"))
        direction = Resolved("unknown", Origin("unknown"))
    resolved_dir = direction.value
    # the catalogue links that may lend a target, bounds or band: best-graded, same direction
    chosen = [(c, g) for c, g in best if rows[c].direction == resolved_dir and g in ("identical", "adapted")]
    for code, _grade in best:
        if direction.origin.code in ("user", "publisher") and rows[code].direction != resolved_dir:
            said = rows[code].direction
            notes.append(_note(
                f"{code}: the catalogue's direction ({said}) contradicts the direction stated; its 2030 value and bounds are not inherited",
                f"{code}：知识目录的方向（{said}）与所设定的方向相矛盾，未继承其 2030 年目标值和上下限"))
    band: kn.Band | None = None
    for code, grade in chosen:
        row = rows[code]
        if row.band is not None and (grade == "identical" or unit_key in row.unit_keys):
            band = row.band
            break

    # --- target
    target: Resolved = Resolved(None, Origin("unknown"))
    if user.target_value is not None:
        target = Resolved(_stated_target(user, resolved_dir), Origin("user", user.source))
    elif publisher.target_value is not None:
        target = Resolved(_stated_target(publisher, resolved_dir),
                          Origin("publisher", publisher.source))
    else:
        for code, grade in chosen:
            spec = rows[code].target
            if spec is None:
                continue
            why = _target_blocked(spec, grade, unit_key, rows[code].unit_keys, resolved_dir)
            if why:
                notes.append(_note(f"{code}: the 2030 value is not inherited: {why[0]}",
                                   f"{code}：未继承 2030 年目标值：{why[1]}"))
                continue
            target = Resolved(spec, Origin("catalogue", short_source(spec.source), spec.source, code, grade))
            break

    # --- bounds
    bounds: Resolved = Resolved(None, Origin("unknown"))
    stated = _stated_bounds(user)
    if stated is None and any(v is not None for v in (user.optimum, user.lower_bound, user.green, user.red)):
        notes.append(_note("the bounds set by the user lack an optimum or a lower bound; they are not used",
                           "用户设定的上下限缺少最优值或下限，未予采用"))
    if stated is not None:
        bounds = Resolved(stated, Origin("user", user.source))
    else:
        for code, grade in chosen:
            found = _sdsn_bounds(rows[code], grade, unit_key, resolved_dir, sdsn_editions, notes)
            if found is not None:
                b, s = found
                bounds = Resolved(b, Origin("catalogue", s.source, f"{s.source}: {s.code} ‘{s.name}’ ({s.match} match)",
                                            code, grade))
                break
    return Resolution(direction, target, bounds, band, unit_key, tuple(notes))


def _target_blocked(spec: kn.TargetSpec, grade: str, unit_key: str | None, keys: tuple[str, ...],
                    direction: str | None) -> tuple[str, str] | None:
    """Why a catalogue target may not be inherited (en, zh), or None."""
    if spec.scope:
        return (f"it applies to {spec.scope}", f"该目标值仅适用于：{spec.scope}")
    if not _agrees(spec.implied_direction, direction):
        return ("it contradicts the direction", "与方向相矛盾")
    unit_free = spec.kind in ("zero", "relative") and spec.of == "value"
    if grade == "adapted" and (unit_key is None or unit_key not in keys):
        return ("the series' unit does not agree with the global indicator's",
                "该序列的单位与全球指标不一致")
    if grade == "identical" and not unit_free and unit_key is not None and unit_key not in keys:
        return ("the series' unit differs from the global indicator's", "该序列的单位与全球指标不同")
    return None


def _sdsn_bounds(row: kn.Knowledge, grade: str, unit_key: str | None, direction: str | None,
                 editions: tuple[str, ...], notes: list[Mapping[str, str]]) -> tuple[Bounds, kn.SdsnDefaults] | None:
    for edition in editions:
        s = row.sdsn_edition(edition)
        if s is None or not s.has_bounds:
            continue
        if s.match == "partial":
            notes.append(_note(f"{row.indicator}: SDSN {edition} ({s.code}) covers part of the indicator; its bounds are not inherited",
                               f"{row.indicator}：SDSN {edition}（{s.code}）只覆盖该指标的一部分，未继承其上下限"))
            continue
        if not _agrees(s.direction, direction):
            notes.append(_note(f"{row.indicator}: SDSN {edition} bounds contradict the direction",
                               f"{row.indicator}：SDSN {edition} 上下限与方向相矛盾"))
            continue
        if (grade == "adapted" and unit_key != s.unit_key) or (unit_key is not None and unit_key != s.unit_key):
            notes.append(_note(f"{row.indicator}: the series' unit is not SDSN {edition}'s ({s.unit_key}); bounds not inherited",
                               f"{row.indicator}：该序列的单位不是 SDSN {edition} 的单位（{s.unit_key}），未继承上下限"))
            continue
        return Bounds(s.best, s.worst, s.green, s.red, edition), s  # type: ignore[arg-type]
    return None
