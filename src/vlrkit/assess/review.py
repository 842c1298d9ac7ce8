"""Assess one review: every indicator, target and goal of a :class:`vlrkit.review.Review`.

:func:`assess_review` builds the panel and spec from the review's indicators, thresholds,
targets and headline observations, runs SDSN (bounds from the city's thresholds — one city
has no peers), progress towards the local and the national target (labelled ``local`` /
``national``), ESCAP, data availability and leave-no-one-behind, and returns one frozen
:class:`ReviewAssessment` that the CLI, the web app and the report read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.assess import editions, escap, gaps, lnob, progress, sdsn
from vlrkit.assess import specs as specs_mod
from vlrkit.assess.gaps import Availability
from vlrkit.assess.lnob import LnobResult
from vlrkit.assess.results import EscapResult, ProgressResult, SdsnResult
from vlrkit.assess.rules import (
    METHOD_VERSION,
    OPTIMUM_RULES,
    PROGRESS_METHODS,
    STATUS_POINTS,
    status_colour,
)
from vlrkit.series import label as series_label

METHODS = ("sdsn", *PROGRESS_METHODS, "escap")
#: Target kinds an indicator is judged against, in order: the review's own, the nation's, and the
#: SDG target's 2030 value (from the shipped catalogue, :mod:`vlrkit.sdg.knowledge`).
TARGET_KINDS = ("local", "national", "sdg")
#: Without any target, the trend is classified by Eurostat's growth bands (a labelled method:
#: improving, stable or worsening in the desired direction) unless the chosen method has its own.
TREND_METHOD = "eurostat"
#: Prefix of the LNOB dimensions made of a breakdown's columns.
BREAKDOWN_PREFIX = "breakdown:"
#: The progress method shown beside SDSN colours when the SDSN method is chosen.
DEFAULT_PROGRESS = "unsd"


@dataclass(frozen=True)
class TargetProgress:
    """Progress of one series towards one of its targets — ``local``, ``national`` or ``sdg``
    (the global target's 2030 value) — or, with no target, its ``trend``."""

    kind: str  # "local" | "national" | "sdg" | "trend"
    window: str  # "since_base", or Eurostat's "long" / "short"
    target: float | None
    target_year: int | None
    method: str
    status: str
    ratio: float | None
    cagr: float | None
    cagr_required: float | None
    projected: float | None
    rule: str
    source: str = ""  # where the target comes from ("SDG target 3.1", "set in the review")


@dataclass(frozen=True)
class IndicatorAssessment:
    """Everything the review says about one series of a local indicator: the indicator's
    headline series, with its other series in ``others`` (each assessed alone, never mixed)."""

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
    headline: bool = True
    headline_rule: str = ""  # publisher | global-unit | most-complete | only (vlrkit.series)
    group: Mapping[str, str] = field(default_factory=dict)  # the documented total of a series with no total
    group_rule: str = "total"  # vlrkit.assess.specs.GROUP_RULES
    direction_origin: str = "unknown"  # user | publisher | catalogue | unknown
    direction_source: Mapping[str, str] = field(default_factory=dict)
    claims_allowed: bool = False  # a confirmed direction: improvement, setback, best-off claims
    status: str = "no_data"  # the first target's status, else the trend's; direction_to_confirm …
    status_kind: str | None = None  # local | national | sdg | trend
    others: tuple[IndicatorAssessment, ...] = ()

    @property
    def series_label(self) -> str:
        return series_label(self.series, self.unit)

    def target(self, kind: str, window: str | None = None) -> TargetProgress | None:
        """Progress towards the ``local``, ``national`` or ``sdg`` target (or the ``trend``), if
        the series has one (Eurostat: the ``long`` window unless ``window`` says otherwise)."""
        for p in self.progress:
            if p.kind == kind and (p.window == window or window is None and p.window != "short"):
                return p
        return None


@dataclass(frozen=True)
class GoalAssessment:
    """One SDG as the review assesses it (from its indicators' headline series)."""

    goal: int
    score: float | None
    colour: str  # SDSN's (two-worst rule; grey without enough scored indicators)
    trend: str
    n_indicators: int
    n_with_data: int
    indicators: tuple[str, ...]
    status_counts: Mapping[str, int] = field(default_factory=dict)  # progress statuses, by kind:status
    escap_current: float | None = None
    escap_anticipated: float | None = None
    status_colour: str = "grey"  # from the indicators' statuses (STATUS_POINTS), vlrkit's rule
    n_assessed: int = 0  # headline series with a status (a target's or the trend's)
    n_to_confirm: int = 0  # with data but no known direction
    grey_reason: Mapping[str, str] = field(default_factory=dict)  # en / zh-Hans, when status_colour is grey

    def display_colour(self, method: str) -> tuple[str, str]:
        """The colour a dashboard shows and which rule gave it: SDSN's under the SDSN method
        when it has one, else the status colour (``sdsn`` / ``status``)."""
        if method == "sdsn" and self.colour != "grey":
            return self.colour, "sdsn"
        return self.status_colour, "status"


@dataclass(frozen=True)
class Counts:
    """The counts a review states (one source: CLI, web and report read these)."""

    indicators: int  # local indicators
    with_data: int  # … with at least one value in their headline series
    series: int  # series assessed (headline and others)
    assessed: int  # headline series with a status (a target's or the trend's)
    to_confirm: int  # headline series with data whose direction is to confirm
    goals_assessed: int  # goals with a status colour
    goals_grey: int
    goals_with_data: int

    @classmethod
    def of(cls, a: ReviewAssessment) -> Counts:
        heads = a.indicators
        return cls(
            indicators=len(heads), with_data=sum(1 for i in heads if i.latest_value is not None),
            series=len(a.all_series()), assessed=sum(1 for i in heads if i.status in STATUS_POINTS),
            to_confirm=sum(1 for i in heads if i.status == "direction_to_confirm"),
            goals_assessed=sum(1 for g in a.goals if g.status_colour != "grey"),
            goals_grey=sum(1 for g in a.goals if g.status_colour == "grey"),
            goals_with_data=sum(1 for g in a.goals if g.n_with_data),
        )


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

    def all_series(self) -> tuple[IndicatorAssessment, ...]:
        """Every series assessed: each indicator's headline, then its other series."""
        return tuple(x for i in self.indicators for x in (i, *i.others))

    def counts(self) -> Counts:
        """The review's counts, computed once here and read by the CLI, the web and the report."""
        return Counts.of(self)

    def indicator_table(self) -> pl.DataFrame:
        """One row per series, the headline first (what ``vlr assess --csv`` writes)."""
        rows = []
        for i in self.all_series():
            loc, nat, sdg_ = i.target("local"), i.target("national"), i.target("sdg")
            rows.append({
                "goal": i.goal, "indicator": i.code, "series": i.series, "unit": i.unit,
                "headline": i.headline, "direction": i.direction, "direction_origin": i.direction_origin,
                "baseline_year": i.baseline_year, "baseline_value": i.baseline_value,
                "latest_year": i.latest_year, "latest_value": i.latest_value, "score": i.score,
                "colour": i.colour, "trend": i.trend, "status": i.status, "status_kind": i.status_kind,
                "local_target": loc.target if loc else None, "local_status": loc.status if loc else None,
                "national_target": nat.target if nat else None,
                "national_status": nat.status if nat else None,
                "sdg_target": sdg_.target if sdg_ else None, "sdg_status": sdg_.status if sdg_ else None,
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
            "counts": asdict(self.counts()),
            "goals": [asdict(g) | {"status_counts": dict(g.status_counts),
                                   "display_colour": g.display_colour(self.method)[0]} for g in self.goals],
            "indicators": [asdict(i) | {"bounds": dict(i.bounds), "series_label": i.series_label}
                           for i in self.indicators],
            "availability": self.availability.goals.to_dicts(),
            "uncovered_targets": list(self.availability.uncovered_targets),
            "lnob": self.lnob.gaps.to_dicts(),
            "lnob_within": self.lnob.within.to_dicts(),
            "lnob_intersections": self.lnob.intersections.to_dicts(),
            "lnob_goals": self.lnob.goals.to_dicts(),
        }


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
    """Assess ``review`` (a :class:`vlrkit.review.Review`), series by series.

    ``method`` is the headline method (``sdsn``, ``unsd``, ``unsd5``, ``statcan``, ``eurostat``,
    ``projection`` or ``escap``); SDSN, ESCAP and the chosen progress method (UNSD when the
    headline is SDSN or ESCAP) are always computed.  ``year`` caps the data (default: the
    edition's last year); ``sdg_targets`` (goal → target ids) names uncovered SDG targets,
    taken from :mod:`vlrkit.sdg` when not given.  ``method_edition`` names the SDSN method
    edition (:mod:`vlrkit.assess.editions`); ``method`` and ``method_edition`` default to what
    the review's edition remembers (``sdsn``, ``vlrkit``); ``base_year`` to the edition's.

    Every figure belongs to one series (:mod:`vlrkit.assess.specs`): an indicator's figures are
    its headline series', the other series are assessed beside it (``others``), never averaged
    in; goals and the index are made of headline series only.  A series whose direction is not
    known is not scored or judged (``status = "direction_to_confirm"``).
    """
    method = method or getattr(review.edition, "method", None) or "sdsn"
    profile = editions.sdsn(method_edition or getattr(review.edition, "method_edition", None))
    trend_start = base_year  # None: the method edition's own trend window
    base_year = profile.progress.base_year if base_year is None else base_year
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    year = review.edition.period_end if year is None else year
    pmethod = method if method in PROGRESS_METHODS else DEFAULT_PROGRESS
    sp = specs_mod.build(review, base_year=base_year, year=year)
    optimum_of = {i.code: optimum_rule(i) for i in review.indicators}
    keys_head = {s.key for s in sp.series if s.headline and s.claims_allowed}
    keys_all = {s.key for s in sp.series if s.claims_allowed}
    panel_all = sp.rows.filter(pl.col("indicator").is_in(list(keys_all)))
    panel_head = panel_all.filter(pl.col("indicator").is_in(list(keys_head)))
    spec_head = specs_mod.spec_frame(sp, "local", headline_only=True, optimum_of=optimum_of)
    spec_all = specs_mod.spec_frame(sp, "local", headline_only=False, optimum_of=optimum_of)
    sd = sdsn.assess(panel_head, spec_head, year=year, trend_start=trend_start, profile=profile)
    sd_all = (sdsn.assess(panel_all, spec_all, year=year, trend_start=trend_start, profile=profile)
              if len(keys_all) > len(keys_head) else sd)
    prog = {
        kind: progress.assess(panel_all, specs_mod.spec_frame(sp, kind, headline_only=False, optimum_of=optimum_of),
                              method=pmethod, base_year=base_year, year=year, profile=profile)
        for kind in TARGET_KINDS
    }
    trend_method = pmethod if pmethod in ("eurostat", "statcan") else TREND_METHOD
    prog["trend"] = progress.assess(panel_all, specs_mod.spec_frame(sp, None, headline_only=False, optimum_of=optimum_of),
                                    method=trend_method, base_year=base_year, year=year, profile=profile)

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
    esc = escap.assess(panel_head, spec_head, base_year=base_year, year=year, links=links, profile=profile)
    avail = gaps.availability(inds, obs, base_year=base_year, links=links,
                              sdg_targets=sdg_targets if sdg_targets is not None else _sdg_targets())
    lnob_result = _lnob(obs, sp, review)

    indicators = _indicators(review, sp, sd_all, prog, esc, avail, base_year)
    goals = _goals(review, indicators, sd, esc)
    idx = sd.index.row(0, named=True) if sd.index.height else {"score": None, "coverage": 0.0}
    return ReviewAssessment(
        entity=review.entity.code, edition=review.edition.code, method=method, progress_method=pmethod,
        base_year=base_year, year=year, indicators=indicators, goals=goals,
        index_score=idx["score"], coverage=float(idx["coverage"] or 0.0), availability=avail,
        lnob=lnob_result, sdsn=sd, progress=prog, escap=esc, method_edition=profile.name,
    )


def _lnob(obs: pl.DataFrame, sp: specs_mod.Specs, review: Any) -> LnobResult:
    """Gaps between groups within each series (never across series or units): the LNOB frame's
    ``series`` is the series and unit, its groups the coded dimensions and the breakdown's
    columns; only indicators whose direction may be claimed say who is best and worst off."""
    spec = pl.DataFrame(
        [{"indicator": s.indicator, "goal": s.goal, "direction": s.direction}
         for s in sp.series if s.headline and s.claims_allowed],
        schema={"indicator": pl.String, "goal": pl.Int32, "direction": pl.String})
    frame = tidy.conform(obs).with_columns(pl.col("unit").fill_null(""))
    frame = frame.filter(pl.col("indicator").is_in(spec["indicator"].to_list()))
    frame = frame.with_columns(pl.concat_str([pl.col("series"), pl.col("unit")], separator=specs_mod.KEY_SEP).alias("series"))
    extra: list[str] = []
    if frame.filter(pl.col("breakdown") != "").height:
        kept = [tidy.breakdown_of(t) for t in frame["breakdown"].to_list()]
        names = sorted({k for d in kept for k in d})
        extra = [f"{BREAKDOWN_PREFIX}{n}" for n in names]
        frame = frame.with_columns([pl.Series(f"{BREAKDOWN_PREFIX}{n}", [d.get(n) for d in kept], dtype=pl.String)
                                    for n in names])

    def title(dimension: str, code: str, lang: str) -> str:
        if dimension.startswith(BREAKDOWN_PREFIX):
            return review.code_title(dimension[len(BREAKDOWN_PREFIX):], code, lang)
        return review.code_title(dimension, code, lang)

    return lnob.assess(frame, spec, dimensions=[*tidy.DIMENSIONS, *extra], title=title)


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


def _status(progress_: tuple[TargetProgress, ...], claims: bool, n_points: int) -> tuple[str, str | None]:
    """A series' status and the kind of comparison that gave it: the first of its local,
    national and SDG targets, else its trend; ``direction_to_confirm`` / ``insufficient_data`` /
    ``no_data`` otherwise."""
    if n_points == 0:
        return "no_data", None
    if not claims:
        return "direction_to_confirm", None
    for kind in (*TARGET_KINDS, "trend"):
        for p in progress_:
            if p.kind == kind and p.window != "short" and p.status not in ("no_target",):
                return p.status, kind
    return "insufficient_data", None


def _indicators(review: Any, sp: specs_mod.Specs, sd: SdsnResult, prog: Mapping[str, ProgressResult],
                esc: EscapResult, avail: Availability, base_year: int) -> tuple[IndicatorAssessment, ...]:
    s_rows = _by_indicator(sd.indicators)
    b_rows = _by_indicator(sd.bounds)
    e_rows = _by_indicator(esc.indicators)
    a_rows = _by_indicator(avail.indicators)
    p_rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for kind, p in prog.items():
        for row in p.table.iter_rows(named=True):
            p_rows.setdefault(kind, {}).setdefault(row["indicator"], []).append(row)
    panel = sp.rows
    base = _by_indicator(
        panel.filter(pl.col("year") <= base_year).sort("year").group_by("indicator").agg(
            pl.col("year").last(), pl.col("value").last())
    )
    first = _by_indicator(panel.sort("year").group_by("indicator").agg(pl.col("year").first(), pl.col("value").first()))
    last = _by_indicator(panel.sort("year").group_by("indicator").agg(pl.col("year").last(), pl.col("value").last()))
    counts = dict(panel.group_by("indicator").len().iter_rows())

    def one(ind: Any, s: specs_mod.SeriesSpec | None) -> IndicatorAssessment:
        key = s.key if s else ind.code
        srow = s_rows.get(key, {}) if s and s.claims_allowed else {}
        b, e = b_rows.get(key, {}), e_rows.get(key, {})
        bl = base.get(key) or first.get(key) or {}
        latest = srow or last.get(key) or {}
        tps = []
        for kind in (*TARGET_KINDS, "trend"):
            target = s.targets.get(kind) if s else None
            if kind != "trend" and target is None:
                continue
            for r in p_rows.get(kind, {}).get(key, []):
                tps.append(TargetProgress(kind, r["window"], target[0] if target else None,
                                          target[1] if target else None, prog[kind].method, r["status"],
                                          r["ratio"], r["cagr"], r["cagr_required"], r["projected"], r["rule"],
                                          target[2] if target else ""))
        if s is None or not counts.get(key):
            explanation = "no data"
        elif not s.claims_allowed:
            explanation = f"{s.direction_source['en']}: not scored, no improvement or setback claimed"
        else:
            explanation = sd.explain(review.entity.code, key).rule if srow else "no data"
        raw = str((ind.extra or {}).get("optimum", "")).strip()
        if raw and optimum_rule(ind)[0] is None:  # said, not understood: say so, never drop it silently
            explanation += (f"; metadata optimum {raw!r} not understood (one of {', '.join(OPTIMUM_RULES)} or a "
                            f"number) and not used / 元数据中的最优值规则 {raw!r} 无法识别，未使用")
        n = int(counts.get(key, 0))
        status, status_kind = _status(tuple(tps), bool(s and s.claims_allowed), n)
        return IndicatorAssessment(
            code=ind.code, goal=ind.goal, direction=s.direction if s else ind.direction,
            unit=s.unit if s else ind.unit, series=s.series if s else "", n_points=n,
            baseline_year=bl.get("year"), baseline_value=bl.get("value"),
            latest_year=latest.get("year"), latest_value=latest.get("value"), score=srow.get("score"),
            colour=srow.get("colour", "grey"), trend=srow.get("trend", "insufficient_data"),
            bounds={k: b.get(k) for k in ("best", "worst", "green", "red")},
            progress=tuple(tps), escap_current=e.get("current_status"),
            escap_anticipated=e.get("anticipated_progress"), escap_gauge=e.get("gauge"),
            disaggregated=bool(a_rows.get(ind.code, {}).get("with_disaggregation")), rule=explanation,
            optimum=b.get("optimum") or "none",
            headline=bool(s.headline) if s else True, headline_rule=s.headline_rule if s else "",
            group=dict(s.group) if s else {}, group_rule=s.group_rule if s else "total",
            direction_origin=s.direction_origin if s else "unknown",
            direction_source=dict(s.direction_source) if s else {},
            claims_allowed=bool(s and s.claims_allowed), status=status, status_kind=status_kind,
        )

    out = []
    for ind in review.indicators:
        mine = sp.of(ind.code)
        head = sp.headline(ind.code)
        others = tuple(one(ind, s) for s in mine if s is not head)
        out.append(replace(one(ind, head), others=others))
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
        points = [STATUS_POINTS[i.status] for i in mine if i.status in STATUS_POINTS]
        with_data = [i for i in mine if i.latest_value is not None]
        to_confirm = sum(1 for i in with_data if i.status == "direction_to_confirm")
        colour = status_colour(sum(points) / len(points)) if points else "grey"
        reason: dict[str, str] = {}
        if not points:
            reason = _grey_reason(len(mine), len(with_data), to_confirm)
        g, e = g_rows.get(goal, {}), e_rows.get(goal, {})
        out.append(GoalAssessment(
            goal=goal, score=g.get("score"), colour=g.get("colour", "grey"),
            trend=g.get("trend", "insufficient_data"), n_indicators=len(mine),
            n_with_data=len(with_data), indicators=tuple(i.code for i in mine), status_counts=counts,
            escap_current=e.get("current_status"), escap_anticipated=e.get("anticipated_progress"),
            status_colour=colour, n_assessed=len(points), n_to_confirm=to_confirm, grey_reason=reason,
        ))
    return tuple(out)


def _grey_reason(n: int, with_data: int, to_confirm: int) -> dict[str, str]:
    """Why a goal has no status: no indicator, no data, no direction, or too few points."""
    if n == 0:
        return {"en": "no indicator of the review is reported under this goal", "zh-Hans": "本次评估没有该目标下的指标"}
    if with_data == 0:
        return {"en": f"none of its {n} indicators has data", "zh-Hans": f"其 {n} 个指标均无数据"}
    if to_confirm == with_data:
        return {"en": f"the direction of its {to_confirm} indicator(s) with data is to confirm",
                "zh-Hans": f"其 {to_confirm} 个有数据指标的方向待确认"}
    return {"en": "its indicators with data have too few points for a trend, and no target is met",
            "zh-Hans": "其有数据的指标数据点过少，无法判断趋势，且未达成目标"}
