"""Assess one review: every indicator, target and goal of a :class:`vlrkit.review.Review`.

:func:`assess_review` builds the panel and spec from the review's indicators, thresholds,
targets and headline observations, runs SDSN (bounds from the city's thresholds — one city
has no peers), progress towards the local and the national target (labelled ``local`` /
``national``), ESCAP, data availability and leave-no-one-behind, and returns one frozen
:class:`ReviewAssessment` that the CLI, the web app and the report read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.assess import editions, escap, gaps, lnob, progress, sdsn
from vlrkit.assess.gaps import Availability
from vlrkit.assess.lnob import LnobResult
from vlrkit.assess.results import EscapResult, ProgressResult, SdsnResult
from vlrkit.assess.rules import (
    METHOD_VERSION,
    OPTIMUM_RULES,
    PROGRESS_METHODS,
    TARGET_YEAR,
)
from vlrkit.review.model import latest_targets

METHODS = ("sdsn", *PROGRESS_METHODS, "escap")
#: The progress method shown beside SDSN colours when the SDSN method is chosen.
DEFAULT_PROGRESS = "unsd"


@dataclass(frozen=True)
class TargetProgress:
    """Progress of one indicator towards one of its targets (local or national)."""

    kind: str  # "local" | "national"
    window: str  # "since_base", or Eurostat's "long" / "short"
    target: float
    target_year: int
    method: str
    status: str
    ratio: float | None
    cagr: float | None
    cagr_required: float | None
    projected: float | None
    rule: str


@dataclass(frozen=True)
class IndicatorAssessment:
    """Everything the review says about one local indicator."""

    code: str
    goal: int
    direction: str
    unit: str
    series: str
    n_points: int
    baseline_year: int | None
    baseline_value: float | None
    latest_year: int | None
    latest_value: float | None
    score: float | None
    colour: str
    trend: str
    bounds: Mapping[str, float | None]
    progress: tuple[TargetProgress, ...] = ()
    escap_current: float | None = None
    escap_anticipated: float | None = None
    escap_gauge: str | None = None
    disaggregated: bool = False
    rule: str = ""
    optimum: str = "none"  # how best was set: target | lnob | science | top5 | metadata | none

    def target(self, kind: str, window: str | None = None) -> TargetProgress | None:
        """Progress towards the ``local`` or ``national`` target, if the indicator has one
        (Eurostat: the ``long`` window unless ``window`` says otherwise)."""
        for p in self.progress:
            if p.kind == kind and (p.window == window or window is None and p.window != "short"):
                return p
        return None


@dataclass(frozen=True)
class GoalAssessment:
    """One SDG as the review assesses it."""

    goal: int
    score: float | None
    colour: str
    trend: str
    n_indicators: int
    n_with_data: int
    indicators: tuple[str, ...]
    status_counts: Mapping[str, int] = field(default_factory=dict)  # progress statuses, by kind:status
    escap_current: float | None = None
    escap_anticipated: float | None = None


@dataclass(frozen=True)
class ReviewAssessment:
    """The assessment of one edition of a review (see :func:`assess_review`)."""

    entity: str
    edition: str
    method: str
    progress_method: str
    base_year: int
    year: int | None
    indicators: tuple[IndicatorAssessment, ...]
    goals: tuple[GoalAssessment, ...]
    index_score: float | None
    coverage: float
    availability: Availability
    lnob: LnobResult
    sdsn: SdsnResult
    progress: Mapping[str, ProgressResult]
    escap: EscapResult
    version: str = METHOD_VERSION
    method_edition: str = editions.DEFAULT  # the method edition whose rules applied (vlrkit.assess.editions)

    def goal(self, number: int) -> GoalAssessment:
        return next(g for g in self.goals if g.goal == number)

    def indicator(self, code: str) -> IndicatorAssessment:
        return next(i for i in self.indicators if i.code == code)

    def indicator_table(self) -> pl.DataFrame:
        """One row per indicator (what ``vlr assess --csv`` writes)."""
        rows = []
        for i in self.indicators:
            loc, nat = i.target("local"), i.target("national")
            rows.append({
                "goal": i.goal, "indicator": i.code, "direction": i.direction, "unit": i.unit,
                "baseline_year": i.baseline_year, "baseline_value": i.baseline_value,
                "latest_year": i.latest_year, "latest_value": i.latest_value, "score": i.score,
                "colour": i.colour, "trend": i.trend,
                "local_target": loc.target if loc else None, "local_status": loc.status if loc else None,
                "national_target": nat.target if nat else None,
                "national_status": nat.status if nat else None,
                "escap_current": i.escap_current, "escap_anticipated": i.escap_anticipated,
            })
        return pl.DataFrame(rows, infer_schema_length=None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``vlr assess --json``)."""
        from dataclasses import asdict

        return {
            "entity": self.entity, "edition": self.edition, "method": self.method,
            "progress_method": self.progress_method, "version": self.version,
            "method_edition": self.method_edition,
            "base_year": self.base_year, "year": self.year, "index_score": self.index_score,
            "coverage": self.coverage,
            "goals": [asdict(g) | {"status_counts": dict(g.status_counts)} for g in self.goals],
            "indicators": [asdict(i) | {"bounds": dict(i.bounds)} for i in self.indicators],
            "availability": self.availability.goals.to_dicts(),
            "uncovered_targets": list(self.availability.uncovered_targets),
            "lnob": self.lnob.gaps.to_dicts(),
            "lnob_within": self.lnob.within.to_dicts(),
            "lnob_intersections": self.lnob.intersections.to_dicts(),
            "lnob_goals": self.lnob.goals.to_dicts(),
        }


def headline(observations: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, str]]:
    """Total (not disaggregated) rows, one series per indicator: the unnamed series if there is
    one, else the first by name.  Returns the panel rows and the series chosen per indicator."""
    obs = tidy.conform(observations) if "series" not in observations.columns else observations
    dims = [d for d in tidy.DIMENSIONS if d in obs.columns]
    total = obs.filter(pl.all_horizontal([pl.col(d).is_null() for d in dims])) if dims else obs
    total = total.with_columns(pl.col("series").fill_null(""))
    chosen = total.group_by("indicator").agg(pl.col("series").min().alias("series"))
    panel = total.join(chosen, on=["indicator", "series"], how="semi")
    return panel.select("entity", "indicator", "year", "value"), dict(chosen.iter_rows())


def review_spec(review: Any, kind: str | None = "local") -> pl.DataFrame:
    """The spec frame of a review: indicators, their thresholds and the ``kind`` target."""
    th = {t.indicator: t for t in review.thresholds}
    tg = {code: t for (code, k), t in latest_targets(review.targets).items() if k == kind}
    rows = []
    for ind in review.indicators:
        t, g = th.get(ind.code), tg.get(ind.code)
        rule, value = optimum_rule(ind)
        rows.append({
            "indicator": ind.code, "goal": ind.goal, "direction": ind.direction,
            "best": t.optimum if t else value, "worst": t.lower_bound if t else None,
            "green": t.green if t else None, "red": t.red if t else None,
            "target": g.value if g else None, "target_year": g.year if g else TARGET_YEAR,
            "optimum": rule,
        })
    schema = {"indicator": pl.String, "goal": pl.Int32, "direction": pl.String, "best": pl.Float64,
              "worst": pl.Float64, "green": pl.Float64, "red": pl.Float64, "target": pl.Float64,
              "target_year": pl.Int32, "optimum": pl.String}
    return pl.DataFrame(rows, schema=schema)


def optimum_rule(indicator: Any) -> tuple[str | None, float | None]:
    """The optimum rule in a local indicator's metadata (``extra["optimum"]``): a rule of
    :data:`~vlrkit.assess.rules.OPTIMUM_RULES`, or a number (a science-based optimum) returned
    as ``("science", number)``.  Anything else is ignored (the import validates metadata)."""
    text = str((getattr(indicator, "extra", None) or {}).get("optimum", "")).strip().lower()
    if text in OPTIMUM_RULES:
        return text, None
    try:
        number = float(text)
    except ValueError:
        return None, None
    return ("science", number) if number == number and abs(number) != float("inf") else (None, None)


def assess_review(
    review: Any,
    method: str | None = None,
    *,
    base_year: int | None = None,
    year: int | None = None,
    sdg_targets: Mapping[int, list[str]] | None = None,
    method_edition: str | None = None,
) -> ReviewAssessment:
    """Assess ``review`` (a :class:`vlrkit.review.Review`).

    ``method`` is the headline method (``sdsn``, ``unsd``, ``unsd5``, ``statcan``, ``eurostat``,
    ``projection`` or ``escap``); SDSN, ESCAP and the chosen progress method (UNSD when the
    headline is SDSN or ESCAP) are always computed.  ``year`` caps the data (default: the
    edition's last year); ``sdg_targets`` (goal → target ids) names uncovered SDG targets,
    taken from :mod:`vlrkit.sdg` when not given.  ``method_edition`` names the SDSN method
    edition (:mod:`vlrkit.assess.editions`); ``method`` and ``method_edition`` default to what
    the review's edition remembers (``sdsn``, ``vlrkit``); ``base_year`` to the edition's.
    """
    method = method or getattr(review.edition, "method", None) or "sdsn"
    profile = editions.sdsn(method_edition or getattr(review.edition, "method_edition", None))
    trend_start = base_year  # None: the method edition's own trend window
    base_year = profile.progress.base_year if base_year is None else base_year
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    year = review.edition.period_end if year is None else year
    pmethod = method if method in PROGRESS_METHODS else DEFAULT_PROGRESS
    panel, series = headline(review.observations)
    panel = panel.with_columns(pl.lit(review.entity.code).alias("entity"))
    spec = review_spec(review, "local")
    sd = sdsn.assess(panel, spec, year=year, trend_start=trend_start, profile=profile)
    prog = {
        kind: progress.assess(panel, review_spec(review, kind), method=pmethod, base_year=base_year, year=year,
                              profile=profile)
        for kind in ("local", "national")
    }

    has_target = {t.indicator for t in review.targets}
    inds = pl.DataFrame(
        {"indicator": [i.code for i in review.indicators], "goal": [i.goal for i in review.indicators],
         "has_target": [i.code in has_target for i in review.indicators]},
        schema={"indicator": pl.String, "goal": pl.Int32, "has_target": pl.Boolean},
    )
    obs = review.observations
    if year is not None:
        obs = obs.filter(pl.col("year") <= year)
    links = pl.DataFrame({"indicator": [lk.indicator for lk in review.links],
                          "target": [lk.target for lk in review.links]}, schema={"indicator": pl.String, "target": pl.String})
    esc = escap.assess(panel, spec, base_year=base_year, year=year, links=links, profile=profile)
    avail = gaps.availability(inds, obs, base_year=base_year, links=links,
                              sdg_targets=sdg_targets if sdg_targets is not None else _sdg_targets())
    lnob_result = lnob.assess(obs, spec, title=review.code_title)

    indicators = _indicators(review, panel, series, sd, prog, esc, avail, base_year)
    goals = _goals(review, indicators, sd, esc)
    idx = sd.index.row(0, named=True) if sd.index.height else {"score": None, "coverage": 0.0}
    return ReviewAssessment(
        entity=review.entity.code, edition=review.edition.code, method=method, progress_method=pmethod,
        base_year=base_year, year=year, indicators=indicators, goals=goals,
        index_score=idx["score"], coverage=float(idx["coverage"] or 0.0), availability=avail,
        lnob=lnob_result, sdsn=sd, progress=prog, escap=esc, method_edition=profile.name,
    )


def _sdg_targets() -> dict[int, list[str]] | None:
    try:
        from vlrkit import sdg
    except ImportError:  # the catalogue is optional for the core
        return None
    out: dict[int, list[str]] = {}
    for t in sdg.targets():
        out.setdefault(t.goal, []).append(t.code)
    return out


def _by_indicator(frame: pl.DataFrame) -> dict[str, dict[str, Any]]:
    return {r["indicator"]: r for r in frame.iter_rows(named=True)}


def _indicators(review: Any, panel: pl.DataFrame, series: dict[str, str], sd: SdsnResult,
                prog: Mapping[str, ProgressResult], esc: EscapResult, avail: Availability,
                base_year: int) -> tuple[IndicatorAssessment, ...]:
    s_rows = _by_indicator(sd.indicators)
    b_rows = _by_indicator(sd.bounds)
    e_rows = _by_indicator(esc.indicators)
    a_rows = _by_indicator(avail.indicators)
    p_rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for kind, p in prog.items():
        for row in p.table.iter_rows(named=True):
            p_rows.setdefault(kind, {}).setdefault(row["indicator"], []).append(row)
    targets = latest_targets(review.targets)
    base = _by_indicator(
        panel.filter(pl.col("year") <= base_year).sort("year").group_by("indicator").agg(
            pl.col("year").last(), pl.col("value").last())
    )
    first = _by_indicator(panel.sort("year").group_by("indicator").agg(pl.col("year").first(), pl.col("value").first()))
    counts = dict(panel.group_by("indicator").len().iter_rows())
    out = []
    for ind in review.indicators:
        s, b, e = s_rows.get(ind.code, {}), b_rows.get(ind.code, {}), e_rows.get(ind.code, {})
        bl = base.get(ind.code) or first.get(ind.code) or {}
        tps = []
        for kind in ("local", "national"):
            t = targets.get((ind.code, kind))
            if t is None:
                continue
            for r in p_rows.get(kind, {}).get(ind.code, []):
                tps.append(TargetProgress(kind, r["window"], t.value, t.year, prog[kind].method, r["status"],
                                          r["ratio"], r["cagr"], r["cagr_required"], r["projected"], r["rule"]))
        explanation = sd.explain(review.entity.code, ind.code).rule if s else "no data"
        raw = str((ind.extra or {}).get("optimum", "")).strip()
        if raw and optimum_rule(ind)[0] is None:  # said, not understood: say so, never drop it silently
            explanation += (f"; metadata optimum {raw!r} not understood (one of {', '.join(OPTIMUM_RULES)} or a "
                            f"number) and not used / 元数据中的最优值规则 {raw!r} 无法识别，未使用")
        out.append(IndicatorAssessment(
            code=ind.code, goal=ind.goal, direction=ind.direction, unit=ind.unit,
            series=series.get(ind.code, ""), n_points=int(counts.get(ind.code, 0)),
            baseline_year=bl.get("year"), baseline_value=bl.get("value"),
            latest_year=s.get("year"), latest_value=s.get("value"), score=s.get("score"),
            colour=s.get("colour", "grey"), trend=s.get("trend", "insufficient_data"),
            bounds={k: b.get(k) for k in ("best", "worst", "green", "red")},
            progress=tuple(tps), escap_current=e.get("current_status"),
            escap_anticipated=e.get("anticipated_progress"), escap_gauge=e.get("gauge"),
            disaggregated=bool(a_rows.get(ind.code, {}).get("with_disaggregation")), rule=explanation,
            optimum=b.get("optimum") or "none",
        ))
    return tuple(out)


def _goals(review: Any, indicators: tuple[IndicatorAssessment, ...], sd: SdsnResult,
           esc: EscapResult) -> tuple[GoalAssessment, ...]:
    g_rows = {r["goal"]: r for r in sd.goals.iter_rows(named=True)}
    e_rows = {r["goal"]: r for r in esc.goals.iter_rows(named=True)}
    out = []
    for goal in range(1, 18):
        mine = [i for i in indicators if i.goal == goal]
        counts: dict[str, int] = {}
        for i in mine:
            for p in i.progress:
                if p.window == "short":
                    continue
                counts[f"{p.kind}:{p.status}"] = counts.get(f"{p.kind}:{p.status}", 0) + 1
        g, e = g_rows.get(goal, {}), e_rows.get(goal, {})
        out.append(GoalAssessment(
            goal=goal, score=g.get("score"), colour=g.get("colour", "grey"),
            trend=g.get("trend", "insufficient_data"), n_indicators=len(mine),
            n_with_data=sum(1 for i in mine if i.latest_value is not None),
            indicators=tuple(i.code for i in mine), status_counts=counts,
            escap_current=e.get("current_status"), escap_anticipated=e.get("anticipated_progress"),
        ))
    return tuple(out)
