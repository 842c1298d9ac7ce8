"""What changed since the last review (GE-3): one edition of a review against an earlier one.

:func:`diff` lists every change between ``new`` and ``old`` (both :class:`vlrkit.review.Review`,
usually two editions of one entity) as :class:`Change` rows, each once, of these kinds:

- ``indicator-added`` / ``indicator-dropped``: a local indicator only in one edition, with its
  SDG link and the link's reason (the "why" the editions record);
- ``data-new``: an indicator in both whose headline series had no value in ``old`` and has one now;
- ``status``, ``colour``, ``trend``: the headline series' assessment status, SDSN colour or trend
  arrow differs, with both latest values (and years) beside it; ``goal-colour``: a goal's
  dashboard colour differs;
- ``target-reached``: the series' progress towards its local (or national) target is
  ``achieved`` now and was not (one row per target kind);
- ``action``: a follow-up action of ``old`` whose status changed, or that the new edition no
  longer lists ("not carried over"); :attr:`EditionDiff.actions` lists every action of ``old``
  with its outcome, changed or not (the follow-up table);
- ``narrative-added`` / ``narrative-removed`` / ``narrative-rewritten``: a section's text in one
  language (whitespace-insensitive).

Both editions are assessed with **the same method and method edition** (``method`` /
``method_edition``, by default what ``new`` remembers); :attr:`EditionDiff.methods` says what
each edition remembers, so the report can say where they differed.  Pure core.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Change", "EditionDiff", "diff", "KINDS"]

KINDS = ("indicator-added", "indicator-dropped", "data-new", "status", "colour", "trend", "target-reached",
         "goal-colour", "action", "narrative-added", "narrative-removed", "narrative-rewritten")
NOT_CARRIED = "not_carried_over"
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Change:
    """One change between two editions."""

    kind: str  # one of KINDS
    subject: str  # indicator code, "goal 11", action code, or "GE-3/en" for a narrative
    before: str = ""
    after: str = ""
    before_value: tuple[int, float] | None = None  # (year, value) of the headline series' latest, old
    after_value: tuple[int, float] | None = None
    note: Mapping[str, str] = field(default_factory=dict)  # why (en / zh-Hans), e.g. the SDG link's reason


@dataclass(frozen=True)
class EditionDiff:
    """Every change from ``old`` to ``new``."""

    new: str
    old: str
    method: str
    method_edition: str
    methods: Mapping[str, tuple[str, str]]  # edition code -> (method, method edition) it remembers
    changes: tuple[Change, ...]
    actions: tuple[Change, ...] = ()  # every follow-up action of the old edition with its outcome (changed or not)

    @property
    def same_method(self) -> bool:
        """Whether both editions remember the method applied to both."""
        return all(m == (self.method, self.method_edition) for m in self.methods.values())

    def of(self, kind: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == kind)

    def counts(self) -> dict[str, int]:
        return {k: n for k in KINDS if (n := len(self.of(k)))}


def _link_note(review: Any, code: str) -> dict[str, str]:
    lk = next((lk for lk in review.links if lk.indicator == code), None)
    if lk is None:
        return {"en": "no SDG link", "zh-Hans": "未关联 SDG 指标"}
    g = lk.sdg_indicator or lk.target
    en = f"SDG {g} ({lk.grade})" + (f": {lk.reason['en']}" if lk.reason.get("en") else "")
    zh = f"SDG {g}（{lk.grade}）" + (f"：{lk.reason.get('zh-Hans') or lk.reason.get('en')}"
                                    if lk.reason.get("zh-Hans") or lk.reason.get("en") else "")
    return {"en": en, "zh-Hans": zh}


def _latest(i: Any) -> tuple[int, float] | None:
    if i is None or i.latest_year is None or i.latest_value is None:
        return None
    return int(i.latest_year), float(i.latest_value)


_REACHED = ("achieved", "target_achieved")


def _target_status(i: Any, kind: str) -> str:
    p = i.target(kind)
    return p.status if p is not None else "no_target"


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def diff(new: Any, old: Any, *, method: str | None = None, method_edition: str | None = None,
         assessments: tuple[Any, Any] | None = None) -> EditionDiff:
    """Every change from ``old`` to ``new`` (see the module doc).  ``assessments`` may pass
    ``(new, old)`` assessments made with one method and method edition."""
    from vlrkit.assess import assess_review

    method = method or getattr(new.edition, "method", None) or "sdsn"
    method_edition = method_edition or getattr(new.edition, "method_edition", None) or "vlrkit"
    if assessments is None:
        assessments = (assess_review(new, method, method_edition=method_edition),
                       assess_review(old, method, method_edition=method_edition))
    an, ao = assessments
    changes: list[Change] = []
    new_codes = [i.code for i in new.indicators]
    old_codes = [i.code for i in old.indicators]
    ni = {i.code: i for i in an.indicators}
    oi = {i.code: i for i in ao.indicators}
    for code in new_codes:
        if code not in old_codes:
            changes.append(Change("indicator-added", code, after_value=_latest(ni.get(code)),
                                  note=_link_note(new, code)))
    for code in old_codes:
        if code not in new_codes:
            changes.append(Change("indicator-dropped", code, before_value=_latest(oi.get(code)),
                                  note=_link_note(old, code)))
    for code in new_codes:
        if code not in old_codes or code not in ni or code not in oi:
            continue
        a, b = ni[code], oi[code]
        av, bv = _latest(a), _latest(b)
        if bv is None and av is not None:
            changes.append(Change("data-new", code, after_value=av))
        for kind, x, y in (("status", b.status, a.status), ("colour", b.colour, a.colour),
                           ("trend", b.trend, a.trend)):
            if x != y:
                changes.append(Change(kind, code, x, y, bv, av))
        for kind in ("local", "national"):
            x, y = _target_status(b, kind), _target_status(a, kind)
            if y in _REACHED and x not in _REACHED:
                changes.append(Change("target-reached", code, x, y, bv, av,
                                      note={"en": f"{kind} target", "zh-Hans": "地方目标" if kind == "local" else "国家目标"}))
    og = {g.goal: g for g in ao.goals}
    for g in an.goals:
        before = og.get(g.goal)
        if before is None:
            continue
        x, y = before.display_colour(method)[0], g.display_colour(method)[0]
        if x != y:
            changes.append(Change("goal-colour", f"goal {g.goal}", x, y))
    new_actions = {a.code: a for a in new.actions}
    outcomes: list[Change] = []
    for act in old.actions:
        now = new_actions.get(act.code)
        outcome = Change("action", act.code, act.status, now.status if now else NOT_CARRIED, note=dict(act.title))
        outcomes.append(outcome)
        if outcome.before != outcome.after:
            changes.append(outcome)
    nn = {(n.section, n.lang): _norm(n.text) for n in new.narratives if _norm(n.text)}
    on = {(n.section, n.lang): _norm(n.text) for n in old.narratives if _norm(n.text)}
    for key in sorted(set(nn) | set(on)):
        subject = f"{key[0]}/{key[1]}"
        if key not in on:
            changes.append(Change("narrative-added", subject))
        elif key not in nn:
            changes.append(Change("narrative-removed", subject))
        elif nn[key] != on[key]:
            changes.append(Change("narrative-rewritten", subject, note={
                "en": f"{len(on[key])} → {len(nn[key])} characters", "zh-Hans": f"{len(on[key])} → {len(nn[key])} 字符"}))
    methods = {old.edition.code: (getattr(old.edition, "method", "sdsn"), getattr(old.edition, "method_edition", "vlrkit")),
               new.edition.code: (getattr(new.edition, "method", "sdsn"), getattr(new.edition, "method_edition", "vlrkit"))}
    return EditionDiff(new.edition.code, old.edition.code, method, method_edition, methods, tuple(changes),
                       tuple(outcomes))

