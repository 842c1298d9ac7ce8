"""The assessment as the report needs it: a small interface filled from ``vlrkit.assess``.

The report does not compute statuses, colours, trends or scores itself; it reads them from the
assessment engine's result through :func:`from_assessment`, which turns whatever
``vlrkit.assess.assess_review`` returns into these frozen records.  Without an assessment every
indicator and goal is "not assessed" and the report still shows the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True)
class IndicatorProgress:
    """Status, colour, trend and score of one local indicator, with the rule that made them."""

    indicator: str
    status: str = NOT_ASSESSED  # a vlrkit.report.i18n.STATUS_LABELS slug
    colour: str | None = None  # green | yellow | orange | red | grey
    trend: str = NOT_ASSESSED  # a vlrkit.report.i18n.TREND_ARROWS slug
    score: float | None = None
    method: str = ""
    rule: str = ""
    bounds: Mapping[str, float | None] = field(default_factory=dict)
    # the series the figures belong to (vlrkit.series) and how it was chosen
    series: str = ""
    unit: str = ""
    group: Mapping[str, str] = field(default_factory=dict)  # a documented total's group
    headline_rule: str = ""
    direction: str = "unknown"
    direction_source: Mapping[str, str] = field(default_factory=dict)
    claims_allowed: bool = False
    others: tuple[IndicatorProgress, ...] = ()  # the indicator's other series, each alone
    target: tuple[float, int, str, str] | None = None  # value, year, kind, source of the status


@dataclass(frozen=True)
class GoalProgress:
    goal: int
    score: float | None = None
    colour: str | None = None
    trend: str = NOT_ASSESSED
    method: str = ""
    rule: str = ""


@dataclass(frozen=True)
class GroupGap:
    """A leave-no-one-behind gap between the groups of one dimension of one indicator."""

    indicator: str
    dimension: str
    year: int
    values: tuple[tuple[str, float], ...]  # (group code, value), best first
    furthest_behind: str | None = None
    best_off: str | None = None
    ratio: float | None = None
    difference: float | None = None
    widening: bool | None = None
    first_year: int | None = None
    method: str = ""


@dataclass(frozen=True)
class CombinedGap:
    """A gap in rows broken down by two or more dimensions at once (``vlrkit.assess.lnob``):
    between whole cells (``context`` None, ``dimension`` e.g. ``SEX×AGE``, groups
    ``SEX:M×AGE:Y16T24``) or within one dimension with the others held fixed (``dimension``
    ``SEX``, ``context`` ``AGE:Y16T24``).  ``labels`` names the groups and the context as the
    assessment did (:meth:`vlrkit.review.Review.code_title`): ``{"furthest_behind": {"en": …,
    "zh-Hans": …}, "best_off": …, "context": …}``."""

    indicator: str
    dimension: str
    year: int
    furthest_behind: str | None = None
    best_off: str | None = None
    context: str | None = None
    ratio: float | None = None
    difference: float | None = None
    widening: bool | None = None
    first_year: int | None = None
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    method: str = ""

    def label(self, what: str, lang: str) -> str:
        """The readable name of ``furthest_behind``, ``best_off`` or ``context`` in ``lang``
        (English where the assessment has no such language; the code where it has none)."""
        names = self.labels.get(what, {})
        return names.get(lang) or names.get("en") or getattr(self, what) or ""


@dataclass(frozen=True)
class GoalGaps:
    """Leave no one behind summed up for one goal (``vlrkit.assess.lnob`` ``goals``): gaps
    between the groups of one dimension and whether they widen, the same for gaps within
    combined breakdowns, and the groups most often furthest behind (``DIM:code``) and
    intersection groups (``SEX:F×AGE:Y65T``)."""

    goal: int
    indicators: int = 0
    widening: int = 0
    narrowing: int = 0
    stable: int = 0
    within_gaps: int = 0
    within_widening: int = 0
    within_narrowing: int = 0
    intersections: int = 0
    furthest_behind: tuple[str, ...] = ()
    furthest_behind_intersections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Progress:
    indicators: Mapping[str, IndicatorProgress] = field(default_factory=dict)
    goals: Mapping[int, GoalProgress] = field(default_factory=dict)
    gaps: tuple[GroupGap, ...] = ()
    method: str = ""
    index_score: float | None = None  # the overall index (SDSN), when the assessment has one
    intersections: tuple[CombinedGap, ...] = ()  # whole cells of combined breakdowns
    within: tuple[CombinedGap, ...] = ()  # one dimension's groups, the others held fixed
    gap_goals: tuple[GoalGaps, ...] = ()  # leave no one behind per goal
    counts: Mapping[str, int] = field(default_factory=dict)  # the assessment's (ReviewAssessment.counts)

    def indicator(self, code: str) -> IndicatorProgress:
        return self.indicators.get(code) or IndicatorProgress(code)

    def goal(self, number: int) -> GoalProgress:
        return self.goals.get(number) or GoalProgress(number)


# --- adapter ----------------------------------------------------------------------------------


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, Mapping) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _items(obj: Any) -> Iterable[Any]:
    if obj is None:
        return ()
    if hasattr(obj, "to_dicts"):  # a polars frame of results: one row each
        return obj.to_dicts()
    if isinstance(obj, Mapping):
        return obj.values()
    return obj


def _slug(value: Any) -> str | None:
    if value is None:
        return None
    value = getattr(value, "value", value)  # enums
    return str(value).strip().lower().replace(" ", "_").replace("-", "_") or None


def _indicator_progress(a: Any, i: Any) -> IndicatorProgress:
    from vlrkit.assess.rules import STATUS_POINTS, status_colour

    tp = i.target(i.status_kind) if i.status_kind else None
    rule = i.rule + (f"; {tp.kind} {('target ' + format(tp.target, 'g') + ' by ' + str(tp.target_year)) if tp.target is not None else 'trend'}: "
                     f"{tp.rule} → {tp.status}" if tp else "")
    scored = i.colour not in (None, "grey")
    colour = _slug(i.colour) if scored else (status_colour(STATUS_POINTS[i.status]) if i.status in STATUS_POINTS else "grey")
    return IndicatorProgress(
        indicator=i.code, status=_slug(i.status) or NOT_ASSESSED, colour=colour,
        trend=_slug(i.trend) or NOT_ASSESSED, score=i.score,
        method=(f"{a.method} {a.version}" if scored else "") + (
            f"{' + ' if scored else ''}{tp.method} ({tp.kind})" if tp else ""),
        rule=rule, bounds=dict(i.bounds), series=i.series, unit=i.unit, group=dict(i.group),
        headline_rule=i.headline_rule, direction=i.direction, direction_source=dict(i.direction_source),
        claims_allowed=i.claims_allowed,
        others=tuple(_indicator_progress(a, o) for o in getattr(i, "others", ())),
        target=(tp.target, tp.target_year, tp.kind, tp.source) if tp and tp.target is not None else None,
    )


def _from_review_assessment(a: Any) -> Progress:
    """Adapter for ``vlrkit.assess.assess_review``'s ``ReviewAssessment``: an indicator's figures
    are its headline series'; its colour is SDSN's where the series is scored, else its status's."""
    indicators = {i.code: _indicator_progress(a, i) for i in a.indicators}
    goals: dict[int, GoalProgress] = {}
    for g in a.goals:
        colour, rule_kind = g.display_colour(a.method)
        if rule_kind == "sdsn":
            try:
                rule = a.sdsn.explain_goal(a.entity, g.goal).rule
            except (KeyError, AttributeError):
                rule = f"{g.n_with_data} of {g.n_indicators} indicators with data"
        elif colour == "grey":
            rule = g.grey_reason.get("en", "")
        else:
            rule = (f"mean status of {g.n_assessed} indicator(s) with a status, on 0–3 "
                    f"(vlrkit's rule; {g.n_to_confirm} with direction to confirm not counted)")
        goals[g.goal] = GoalProgress(g.goal, g.score, _slug(colour), _slug(g.trend) or NOT_ASSESSED,
                                     f"{a.method} {a.version}" if rule_kind == "sdsn" else "status", rule)
    gaps = []
    for r in a.lnob.gaps.iter_rows(named=True):
        gaps.append(GroupGap(
            indicator=r["indicator"], dimension=r["dimension"], year=int(r["latest_year"] or 0),
            values=(), furthest_behind=r.get("furthest_behind"), best_off=r.get("best_off"),
            ratio=r.get("latest_ratio"), difference=r.get("latest_difference"),
            widening=None if r.get("trend") not in ("widening", "narrowing") else r["trend"] == "widening",
            first_year=r.get("first_year"), method=f"{a.lnob.method} {a.lnob.version}",
        ))
    method = f"{a.lnob.method} {a.lnob.version}"
    return Progress(indicators, goals, tuple(gaps), f"{a.method} {a.version}", a.index_score,
                    intersections=_combined(getattr(a.lnob, "intersections", None), method),
                    within=_combined(getattr(a.lnob, "within", None), method),
                    gap_goals=_gap_goals(getattr(a.lnob, "goals", None), a.entity),
                    counts=_counts(a))


def _counts(a: Any) -> dict[str, int]:
    from dataclasses import asdict

    return asdict(a.counts()) if hasattr(a, "counts") else {}


def _gap_goals(frame: Any, entity: str) -> tuple[GoalGaps, ...]:
    """``lnob.goals`` rows of ``entity`` as :class:`GoalGaps` records, by goal."""
    if frame is None or not hasattr(frame, "iter_rows") or frame.height == 0:
        return ()
    counts = ("widening", "narrowing", "stable", "within_gaps", "within_widening", "within_narrowing",
              "intersections")
    return tuple(
        GoalGaps(goal=int(r["goal"]), indicators=int(r.get("n_indicators") or 0),
                 furthest_behind=tuple(r.get("furthest_behind") or ()),
                 furthest_behind_intersections=tuple(r.get("furthest_behind_intersections") or ()),
                 **{c: int(r.get(c) or 0) for c in counts})
        for r in frame.sort("goal").iter_rows(named=True) if r["entity"] == entity
    )


#: Label columns of the assessment's combined-breakdown frames: column suffix → report language.
_LABEL_LANGS = {"en": "en", "zh": "zh-Hans"}


def _combined(frame: Any, method: str) -> tuple[CombinedGap, ...]:
    """``lnob.within`` / ``lnob.intersections`` rows as :class:`CombinedGap` records."""
    if frame is None or not hasattr(frame, "iter_rows") or frame.height == 0:
        return ()
    out = []
    for r in frame.iter_rows(named=True):
        labels = {
            what: {lang: r[f"{what}_{suffix}"] for suffix, lang in _LABEL_LANGS.items() if r.get(f"{what}_{suffix}")}
            for what in ("furthest_behind", "best_off", "context")
        }
        out.append(CombinedGap(
            indicator=r["indicator"], dimension=r["dimension"], year=int(r["latest_year"] or 0),
            furthest_behind=r.get("furthest_behind"), best_off=r.get("best_off"), context=r.get("context"),
            ratio=r.get("latest_ratio"), difference=r.get("latest_difference"),
            widening=None if r.get("trend") not in ("widening", "narrowing") else r["trend"] == "widening",
            first_year=r.get("first_year"), labels={k: v for k, v in labels.items() if v}, method=method,
        ))
    return tuple(out)


def from_assessment(assessment: Any) -> Progress:
    """Read an assessment result (from ``vlrkit.assess``) into a :class:`Progress`."""
    if assessment is None:
        return Progress()
    if isinstance(assessment, Progress):
        return assessment
    if hasattr(assessment, "lnob") and hasattr(assessment, "sdsn"):
        return _from_review_assessment(assessment)
    indicators: dict[str, IndicatorProgress] = {}
    for r in _items(_get(assessment, "indicators", "indicator_results", default=())):
        code = _get(r, "indicator", "code")
        if not code:
            continue
        indicators[str(code)] = IndicatorProgress(
            indicator=str(code),
            status=_slug(_get(r, "status")) or NOT_ASSESSED,
            colour=_slug(_get(r, "colour", "color")),
            trend=_slug(_get(r, "trend", "arrow")) or NOT_ASSESSED,
            score=_get(r, "score"),
            method=str(_get(r, "method", default="") or ""),
            rule=str(_get(r, "rule", "why", "explanation", default="") or ""),
            bounds=dict(_get(r, "bounds", default={}) or {}),
        )
    goals: dict[int, GoalProgress] = {}
    for r in _items(_get(assessment, "goals", "goal_results", default=())):
        number = _get(r, "goal", "number")
        if number is None:
            continue
        goals[int(number)] = GoalProgress(
            goal=int(number),
            score=_get(r, "score"),
            colour=_slug(_get(r, "colour", "color")),
            trend=_slug(_get(r, "trend", "arrow")) or NOT_ASSESSED,
            method=str(_get(r, "method", default="") or ""),
            rule=str(_get(r, "rule", "why", default="") or ""),
        )
    gaps = []
    for g in _items(_get(assessment, "gaps", "lnob", default=())):
        values = tuple((str(k), float(v)) for k, v in (_get(g, "values", default={}) or {}).items())
        gaps.append(
            GroupGap(
                indicator=str(_get(g, "indicator", default="")),
                dimension=str(_get(g, "dimension", default="")),
                year=int(_get(g, "year", default=0) or 0),
                values=values,
                furthest_behind=_get(g, "furthest_behind"),
                ratio=_get(g, "ratio"),
                difference=_get(g, "difference"),
                widening=_get(g, "widening"),
                method=str(_get(g, "method", default="") or ""),
            )
        )
    return Progress(indicators, goals, tuple(gaps), str(_get(assessment, "method", default="") or ""),
                    _get(assessment, "index_score"))


def assess(review: Any) -> Progress:
    """Run the assessment engine on ``review`` if it is installed; else an empty Progress."""
    try:
        from vlrkit.assess import assess_review  # type: ignore[attr-defined]
    except ImportError:
        return Progress()
    return from_assessment(assess_review(review))
