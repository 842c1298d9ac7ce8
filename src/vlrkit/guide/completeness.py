"""The completeness check: which checklist points of the guiding elements a review covers.

A point counts only when something real stands behind it, in this order:

1. **not covered, because …**: the writer says so, with a reason — ``[GE-5d.2] Not covered,
   because …`` for one point, or a block starting ``Not covered, because …`` in the point's
   section for all its points (``by="not_covered"``; the reason is the evidence);
2. the review's **data**, when the point has a data rule (GE-6.1 "all 17 goals analysed" from
   the indicators and observations, GE-8.6 from ``edition.next_review``, GE-9b.1 from accepted
   contributions…);
3. a **substantive block** of narrative on the point (:mod:`vlrkit.guide.text`: the writer's own
   text of some length, not a heading, not the guide's prompt pasted): one that carries an
   explicit marker (``[GE-5d.2]`` or ``<!-- GE-5d.2 -->``, any section), or, in the point's
   own section, one of its phrases (zh-Hans or en).  A point that asks for data (its data rule
   is one of :data:`ASKS_FOR_DATA`) is covered by narrative only when that block holds
   evidence — a figure reference or a table.

Every result says what satisfied it (:attr:`PointResult.evidence`: the rule's finding, the
reason given, or the block quoted with its language and line).  Context points (``[context]``)
are not counted.  The check informs the writer; what stops a publication is
:mod:`vlrkit.report.gates`.  Pure: reads a :class:`vlrkit.review.Review` (narratives as stored,
figure references unresolved), returns a frozen :class:`Completeness`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.guide import text as narrative
from vlrkit.guide.elements import Point, guide
from vlrkit.review import Review

GOALS: tuple[int, ...] = tuple(range(1, 18))
#: Share of indicators with data that must have a baseline for GE-6.3 / GE-6.8.
BASELINE_SHARE = 0.5
#: Share of indicators whose GE-9a.6 metadata (coverage, aggregation, method or source) is filled.
METADATA_SHARE = 0.8

#: Characters of a block quoted as the evidence of a point.
EXCERPT_CHARS = 90


@dataclass(frozen=True)
class PointResult:
    """Whether one checklist point is covered, how, and the evidence."""

    id: str
    element: str
    strength: str
    covered: bool
    by: str  # "not_covered" | "data" | "marker" | "narrative" | "" (not covered)
    evidence: str = ""  # what satisfied it: the rule's finding, the reason, the block quoted
    lang: str = ""  # the narrative's language (by marker, narrative, not_covered)
    line: int = 0  # the block's line in that narrative


@dataclass(frozen=True)
class Missing:
    id: str
    guidance: str


@dataclass(frozen=True)
class Completeness:
    """The result of :func:`check`: counts, per-point results and the missing points' guidance."""

    covered: int
    total: int
    share: float
    points: tuple[PointResult, ...]
    missing: tuple[Missing, ...]

    @property
    def declared(self) -> int:
        """Points counted because the writer said why they are not covered."""
        return sum(p.by == "not_covered" for p in self.points)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``vlr check --json``."""
        return {
            "covered": self.covered,
            "total": self.total,
            "share": self.share,
            "declared_not_covered": self.declared,
            "points": [{"id": p.id, "covered": p.covered, "by": p.by, "evidence": p.evidence,
                        "lang": p.lang, "line": p.line} for p in self.points],
            "missing": [{"id": m.id, "guidance": m.guidance} for m in self.missing],
        }

    def element_share(self, element_id: str) -> tuple[int, int]:
        """(covered, total) counted points of one element."""
        pts = [p for p in self.points if p.element == element_id]
        return sum(p.covered for p in pts), len(pts)


# --- data rules -------------------------------------------------------------------------------


class _Facts:
    """Facts about a review, computed once and shared by the data rules."""

    def __init__(self, review: Review, assessment: object | None) -> None:
        self.review = review
        self.assessment = assessment
        obs = review.observations.filter(pl.col("value").is_not_null())
        self.obs = obs
        self.with_data = set(obs.get_column("indicator").unique().to_list()) if obs.height else set()
        headline = obs.filter(pl.all_horizontal(pl.col(d).is_null() for d in tidy.DIMENSIONS))
        years = headline.group_by("indicator").agg(
            pl.col("year").min().alias("first"), pl.col("year").n_unique().alias("n")
        )
        self.first_year = dict(zip(years["indicator"].to_list(), years["first"].to_list(), strict=True))
        self.n_years = dict(zip(years["indicator"].to_list(), years["n"].to_list(), strict=True))
        self.goals_with_data = {i.goal for i in review.indicators if i.code in self.with_data}
        self.disaggregated = obs.filter(
            pl.any_horizontal(pl.col(d).is_not_null() for d in tidy.DIMENSIONS)
        ).height


def _previous_edition(f: _Facts) -> str | None:
    return f"previous edition {f.review.edition.previous}" if f.review.edition.previous else None


def _priority_goals(f: _Facts) -> str | None:
    g = f.review.edition.priority_goals
    return f"priority goals {', '.join(map(str, g))}" if g else None


def _engagements(f: _Facts) -> str | None:
    n = len(f.review.engagements)
    return f"{n} engagements recorded" if n else None


def _stakeholders(f: _Facts) -> str | None:
    n = len(f.review.stakeholders)
    return f"{n} participating stakeholders listed" if n else None


def _sources(f: _Facts) -> str | None:
    inds = [i for i in f.review.indicators if i.code in f.with_data]
    if inds and all(i.source for i in inds):
        return f"source named for all {len(inds)} indicators with data"
    return None


def _links(f: _Facts) -> str | None:
    n = len(f.review.links)
    return f"{n} links of local indicators to SDG targets" if n else None


def _groups_reached(f: _Facts) -> str | None:
    groups = {g for e in f.review.engagements for g, n in e.groups_reached.items() if n}
    return f"groups reached: {', '.join(sorted(groups))}" if groups else None


def _lnob_gaps(f: _Facts) -> str | None:
    return f"{f.disaggregated} disaggregated observations analysed" if f.disaggregated else None


def _all_goals(f: _Facts) -> str | None:
    assessed = {g.goal for g in getattr(f.assessment, "goals", ()) if getattr(g, "n_with_data", 0)}
    if set(GOALS) <= (assessed or f.goals_with_data):
        return "all 17 goals have indicators with data" + (" (assessed)" if assessed else "")
    return None


def _baselines(f: _Facts) -> str | None:
    start = f.review.edition.period_start
    with_target_base = {t.indicator for t in f.review.targets if t.baseline_year is not None}
    have = [c for c in f.with_data if f.first_year.get(c, 9999) <= start or c in with_target_base]
    if f.with_data and len(have) / len(f.with_data) >= BASELINE_SHARE:
        return f"{len(have)} of {len(f.with_data)} indicators have a baseline"
    return None


def _local_targets(f: _Facts) -> str | None:
    n = sum(t.kind == "local" for t in f.review.targets)
    return f"{n} local targets" if n else None


def _quantitative_and_qualitative(f: _Facts) -> str | None:
    text = any(narrative.substantive(b) for n in f.review.narratives if n.section == "GE-6"
               for b in narrative.blocks(n.text))
    if f.obs.height and text:
        return "observations and a GE-6 narrative of substance"
    return None


def _trends(f: _Facts) -> str | None:
    results = getattr(f.assessment, "indicators", ())
    if results:
        n = sum(1 for i in results if getattr(i, "trend", "insufficient_data") not in ("insufficient_data", None))
        return f"{n} indicators with an assessed trend" if n else None
    n = sum(1 for v in f.n_years.values() if v >= 2)
    return f"{n} indicators with a time series" if n else None


def _actions(f: _Facts) -> str | None:
    n = len(f.review.actions)
    return f"{n} follow-up actions" if n else None


def _actions_with_owner(f: _Facts) -> str | None:
    n = sum(1 for a in f.review.actions if a.owner and a.deadline)
    return f"{n} actions with owner and deadline" if n else None


def _data_gaps(f: _Facts) -> str | None:
    # The report lists every goal and indicator without data and every SDG target without a
    # local indicator (the progress section's "data gaps"), as soon as there is an indicator set.
    if not f.review.indicators:
        return None
    goals = [g for g in GOALS if g not in f.goals_with_data]
    inds = [i for i in f.review.indicators if i.code not in f.with_data]
    linked = {link.target for link in f.review.links}
    try:
        from vlrkit import sdg

        targets = sum(1 for g in GOALS for t in sdg.goal(g).targets() if t.code not in linked)
    except Exception:  # noqa: BLE001 - without the catalogue the targets are not counted
        targets = 0
    return (f"the report lists the data gaps: {len(goals)} goals and {len(inds)} indicators without data, "
            f"{targets} SDG targets without a local indicator")


def _next_review(f: _Facts) -> str | None:
    y = f.review.edition.next_review
    return f"next review in {y}" if y else None


def _annex(f: _Facts) -> str | None:
    n = len(f.with_data)
    return f"statistical annex of {n} indicators" if n else None


def _indicator_metadata(f: _Facts) -> str | None:
    inds = f.review.indicators
    ok = [i for i in inds if i.coverage and i.aggregation and (i.methodology or i.source)]
    if inds and len(ok) / len(inds) >= METADATA_SHARE:
        return f"{len(ok)} of {len(inds)} indicators with coverage, aggregation and method"
    return None


def _contributions(f: _Facts) -> str | None:
    n = sum(c.status == "accepted" for c in f.review.contributions)
    return f"{n} accepted stakeholder contributions" if n else None


DATA_RULES: dict[str, Callable[[_Facts], str | None]] = {
    "previous_edition": _previous_edition,
    "priority_goals": _priority_goals,
    "engagements": _engagements,
    "stakeholders": _stakeholders,
    "sources": _sources,
    "links": _links,
    "groups_reached": _groups_reached,
    "lnob_gaps": _lnob_gaps,
    "all_goals": _all_goals,
    "baselines": _baselines,
    "local_targets": _local_targets,
    "quantitative_and_qualitative": _quantitative_and_qualitative,
    "trends": _trends,
    "actions": _actions,
    "actions_with_owner": _actions_with_owner,
    "data_gaps": _data_gaps,
    "next_review": _next_review,
    "annex": _annex,
    "indicator_metadata": _indicator_metadata,
    "contributions": _contributions,
}


#: Data rules whose points ask for statistical evidence: covered by narrative only with a figure
#: reference or a table.  The other rules read facts of the review (a previous edition, the
#: engagements, the actions…), which plain text may report.
ASKS_FOR_DATA: frozenset[str] = frozenset({
    "sources", "links", "lnob_gaps", "all_goals", "baselines", "local_targets",
    "quantitative_and_qualitative", "trends", "data_gaps", "annex", "indicator_metadata",
})


# --- the check --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Said:
    """One substantive block of a narrative, prepared for the points to look into."""

    section: str
    lang: str
    line: int
    text: str  # folded for phrase matching
    quote: str
    evidence: str  # "figure" | "table" | ""
    markers: frozenset[str]


def _excerpt(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= EXCERPT_CHARS else one[: EXCERPT_CHARS - 1] + "…"


def _said(review: Review) -> tuple[list[_Said], dict[str, tuple[str, str, int]], dict[str, tuple[str, str, int]]]:
    """The substantive blocks of every narrative; the "not covered" statements by point and by
    section ((reason, language, line))."""
    said: list[_Said] = []
    points: dict[str, tuple[str, str, int]] = {}
    sections: dict[str, tuple[str, str, int]] = {}
    for n in review.narratives:
        for nc in narrative.not_covered(n.text):
            if nc.point:
                points.setdefault(nc.point, (nc.reason, n.lang, nc.line))
            else:
                sections.setdefault(n.section, (nc.reason, n.lang, nc.line))
        for b in narrative.blocks(n.text):
            if narrative.substantive(b):
                said.append(_Said(n.section, n.lang, b.line, b.text.lower(), _excerpt(b.text), b.evidence,
                                  frozenset(narrative.MARKER.findall(b.text))))
    return said, points, sections


def _judge(point: Point, facts: _Facts, said: list[_Said], declared: dict[str, tuple[str, str, int]],
           declared_sections: dict[str, tuple[str, str, int]]) -> PointResult:
    def result(by: str, evidence: str, lang: str = "", line: int = 0) -> PointResult:
        return PointResult(point.id, point.element, point.strength, bool(by), by, evidence, lang, line)

    def quoted(s: _Said, how: str) -> PointResult:
        ev = f" ({'figure reference' if s.evidence == 'figure' else 'table'})" if s.evidence else ""
        return result(how, f"{s.section} ({s.lang}) line {s.line}{ev}: “{s.quote}”", s.lang, s.line)

    if point.id in declared:
        reason, lang, line = declared[point.id]
        return result("not_covered", f"not covered, because {reason}", lang, line)
    if point.data:
        evidence = DATA_RULES[point.data](facts)
        if evidence:
            return result("data", evidence)
    asks_data = point.data in ASKS_FOR_DATA
    usable = [s for s in said if s.evidence or not asks_data]
    for s in usable:
        if point.id in s.markers:
            return quoted(s, "marker")
    keywords = [kw.lower() for kw in point.keywords]
    for s in usable:
        if s.section == point.element and any(kw in s.text for kw in keywords):
            return quoted(s, "narrative")
    if point.element in declared_sections:
        reason, lang, line = declared_sections[point.element]
        return result("not_covered", f"section not covered, because {reason}", lang, line)
    return result("", "")


def check(review: Review, assessment: object | None = None, *, lang: str = "en") -> Completeness:
    """Decide for every counted checklist point whether ``review`` covers it.

    ``assessment`` (``vlrkit.assess.assess_review``'s result) decides GE-6.1 and GE-6.9 from
    the assessed goals and trends; without it the rules read the review's indicators and
    observations.  ``lang`` chooses the language of the guidance given for missing points
    (zh-Hans or en).  Pass the narratives as stored (figure references unresolved): a reference
    is the evidence a point that asks for data needs.
    """
    facts = _Facts(review, assessment)
    said, declared, declared_sections = _said(review)
    results = tuple(
        _judge(p, facts, said, declared, declared_sections) for p in guide().points() if p.counted
    )
    covered = sum(r.covered for r in results)
    total = len(results)
    missing = tuple(
        Missing(r.id, guide().point(r.id).prompt(lang)) for r in results if not r.covered
    )
    return Completeness(
        covered=covered,
        total=total,
        share=round(covered / total, 4) if total else 0.0,
        points=results,
        missing=missing,
    )
