"""Build the report model (:class:`vlrkit.report.model.Report`) from a review and its assessment.

Sections follow the guiding elements in the order the issue lists them; the progress section
has a view of every one of the 17 goals, with or without data.  The figures shown are read from
the observations (baseline, latest, target) and from the assessment (status, colour, trend,
score) — the report computes no assessment of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.guide import check, guide
from vlrkit.report import i18n
from vlrkit.report.i18n import label
from vlrkit.report.markdown import to_html, to_text
from vlrkit.report.model import (
    Block,
    Bullets,
    Figure,
    GoalView,
    IndicatorView,
    ObsRef,
    Paragraph,
    Provenance,
    Report,
    SdgLinkView,
    Section,
    Table,
)
from vlrkit.report.progress import Progress, from_assessment
from vlrkit.review import Review

GOALS = tuple(range(1, 18))
#: Dimensions whose absence is named as a disaggregation gap (2030 Agenda para 74(g)).
LNOB_DIMENSIONS = ("SEX", "AGE", "INCOME_WEALTH_QUANTILE", "DISABILITY_STATUS", "MIGRATORY_STATUS", "GEO")
#: How many indicators the highlights name as biggest improvements and setbacks.
TOP_CHANGES = 3
GREY = "#9E9E9E"
#: Report chapters: (element id, parts shown as subsections).
CHAPTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("GE-1", ()), ("GE-2", ()), ("GE-3", ()), ("GE-4", ()),
    ("GE-5", ("GE-5a", "GE-5b", "GE-5c", "GE-5d", "GE-5e", "GE-5f")),
    ("GE-6", ()), ("GE-7", ()), ("GE-8", ("GE-10",)), ("GE-9a", ()), ("GE-9b", ()),
)
GE5_TITLE = {"en": "Policy and enabling environment", "zh-Hans": "政策和有利环境"}
GE5_PURPOSE = {
    "en": "The policy, governance and institutional conditions for implementing the SDGs.",
    "zh-Hans": "落实可持续发展目标的政策、治理和体制条件。",
}


def slugify(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", code).strip("-").lower() or "x"


def fmt(value: float | None, decimals: int | None = None) -> str:
    """A number for display (thousands separated; decimals from the indicator, else by size)."""
    if value is None:
        return "—"
    if decimals is None:
        a = abs(value)
        decimals = 0 if a >= 100 else 1 if a >= 1 else 2
    return f"{value:,.{decimals}f}"


def _sdg() -> Any:
    try:
        from vlrkit import sdg

        sdg.goal(1)
        return sdg
    except Exception:  # noqa: BLE001 - the catalogue is optional for a bare report
        return None


# --- indicators -------------------------------------------------------------------------------


def _headline(frame: pl.DataFrame) -> pl.DataFrame:
    """The headline (total) rows of one indicator, of its most complete series, by period."""
    head = frame.filter(pl.all_horizontal(pl.col(d).is_null() for d in tidy.DIMENSIONS))
    head = head.filter(pl.col("value").is_not_null())
    if head.height == 0:
        return head
    counts = head.group_by("series").len().sort(["len", "series"], descending=[True, False])
    main = counts["series"][0]
    head = head.filter(pl.col("series").is_null() if main is None else pl.col("series") == main)
    return head.sort(["year", "period"])


def _ref(row: dict[str, Any]) -> ObsRef:
    return ObsRef(row["period"], row.get("file"), row.get("row"), row.get("import_id"))


def _indicator_view(review: Review, ind: Any, frame: pl.DataFrame | None, progress: Progress,
                    lang: str, sdg: Any) -> IndicatorView:
    frame = frame if frame is not None else tidy.empty()
    head = _headline(frame)
    rows = head.to_dicts()
    p = progress.indicator(ind.code)
    method = p.method or ""
    bounds = tuple(sorted((k, v) for k, v in p.bounds.items()))
    dec = ind.decimals
    unit = ind.unit or (rows[0]["unit"] if rows and rows[0].get("unit") else "")

    def figure(row: dict[str, Any] | None) -> Figure | None:
        if row is None:
            return None
        prov = Provenance(ind.code, (_ref(row),), method, bounds, p.rule)
        return Figure(row["value"], row["year"], fmt(row["value"], dec), prov)

    targets = [t for t in review.targets if t.indicator == ind.code]
    targets.sort(key=lambda t: (t.kind != "local", t.year))
    tgt = targets[0] if targets else None
    baseline_row = None
    if rows:
        base_year = tgt.baseline_year if tgt and tgt.baseline_year else review.edition.period_start
        before = [r for r in rows if r["year"] <= base_year]
        baseline_row = before[-1] if before else rows[0]
    latest_row = rows[-1] if rows else None
    if latest_row is baseline_row and len(rows) == 1:
        baseline_row = rows[0]
    target = None
    if tgt:
        target = Figure(tgt.value, tgt.year, fmt(tgt.value, dec),
                        Provenance(ind.code, (), f"{tgt.kind} target", (), i18n.text(tgt.note, lang)))
    present = [d for d in tidy.DIMENSIONS if d in frame.columns and frame[d].drop_nulls().len() > 0]
    wanted = list(dict.fromkeys([*LNOB_DIMENSIONS, *ind.dimensions]))
    gaps = [d for d in wanted if d not in present]
    dim_title = lambda d: i18n.pick(tidy.DIMENSION_TITLES, d, lang)  # noqa: E731
    links = []
    for link in review.links:
        if link.indicator != ind.code:
            continue
        title = ""
        if sdg is not None:
            try:
                title = sdg.target(link.target).title(lang)
            except Exception:  # noqa: BLE001 - an unknown target id is shown without title
                title = ""
        links.append(SdgLinkView(link.target, link.sdg_indicator,
                                 i18n.pick(i18n.GRADE_LABELS, link.grade, lang), title))
    years = (rows[0]["year"], rows[-1]["year"]) if rows else None
    status = p.status
    provenance = label(
        "provenance_text", lang, n=frame.filter(pl.col("value").is_not_null()).height,
        b=str(_ref(baseline_row)) if baseline_row else "—",
        l=str(_ref(latest_row)) if latest_row else "—",
        m=(method or label("not_assessed", lang)) + (
            f" ({label('bounds', lang)}: " + ", ".join(f"{k} {fmt(v)}" for k, v in bounds) + ")"
            if bounds else ""),
    )
    return IndicatorView(
        code=ind.code,
        slug=slugify(ind.code),
        name=i18n.text(ind.names, lang) or ind.code,
        goal=ind.goal,
        unit=unit,
        direction=ind.direction,
        decimals=dec if dec is not None else -1,
        baseline=figure(baseline_row),
        latest=figure(latest_row),
        target=target,
        target_kind=tgt.kind if tgt else None,
        status=status,
        status_label=_status_label(p, tgt.kind if tgt else None, lang),
        colour=p.colour,
        trend=p.trend,
        arrow=i18n.TREND_ARROWS.get(p.trend, ""),
        trend_label=i18n.pick(i18n.TREND_LABELS, p.trend, lang),
        score=p.score,
        series=tuple((r["year"], r["period"], r["value"]) for r in rows),
        dimensions=tuple(dim_title(d) for d in present),
        disaggregation_gaps=tuple(dim_title(d) for d in gaps),
        links=tuple(links),
        source=ind.source or (rows[-1].get("source") or "" if rows else ""),
        coverage=ind.coverage,
        aggregation=ind.aggregation,
        method=i18n.text(ind.methodology, lang),
        years=years,
        provenance=provenance,
    )


def _status_label(p: Any, kind: str | None, lang: str) -> str:
    """The SDSN colour's label, and the progress towards the target when assessed."""
    parts = []
    if p.colour:
        parts.append(i18n.pick(i18n.STATUS_LABELS, p.colour, lang))
    if p.status != "not_assessed" and kind:
        parts.append(label("target_status", lang, kind=label(kind, lang),
                           status=i18n.pick(i18n.STATUS_LABELS, p.status, lang)))
    elif not parts:
        parts.append(i18n.pick(i18n.STATUS_LABELS, p.status, lang))
    return "; ".join(parts)


def _goal_view(number: int, inds: list[IndicatorView], review: Review, progress: Progress,
               lang: str, sdg: Any) -> GoalView:
    from vlrkit.sdg import STATUS_COLOURS  # noqa: PLC0415 - palette only

    g = progress.goal(number)
    with_data = [i for i in inds if i.latest is not None]
    title = short = label("goal_n", lang, n=number)
    colour = GREY
    linked = {link.target for link in review.links}
    gaps: list[str] = []
    if sdg is not None:
        goal = sdg.goal(number)
        title, short, colour = goal.title(lang), goal.short_title(lang), goal.colour
        open_targets = [t.code for t in goal.targets() if t.code not in linked]
        if open_targets:
            gaps.append(label("gap_targets", lang, x=", ".join(open_targets)))
    no_data = [i.name for i in inds if i.latest is None]
    if no_data:
        gaps.insert(0, label("gap_indicators", lang, x="; ".join(no_data)))
    status = g.colour or ("grey" if not with_data else None)
    return GoalView(
        number=number,
        title=title,
        short_title=short,
        colour=colour,
        status=status,
        status_colour=STATUS_COLOURS.get(status or "", "#FFFFFF"),
        status_label=i18n.pick(i18n.STATUS_LABELS, status or "not_assessed", lang),
        score=g.score,
        trend=g.trend,
        arrow=i18n.TREND_ARROWS.get(g.trend, ""),
        trend_label=i18n.pick(i18n.TREND_LABELS, g.trend, lang),
        with_data=len(with_data),
        total=len(inds),
        priority=number in review.edition.priority_goals,
        indicators=tuple(inds),
        gaps=tuple(gaps),
        rule=g.rule,
    )


def _dashboard(goals: tuple[GoalView, ...], lang: str) -> Table:
    rows = tuple(
        (
            f"{g.number}. {g.short_title}",
            g.status_label,
            fmt(g.score, 1),
            f"{g.arrow} {g.trend_label}".strip(),
            label("coverage_n", lang, n=g.with_data, m=g.total),
        )
        for g in goals
    )
    header = tuple(label(k, lang) for k in ("goal", "status", "score", "trend", "coverage"))
    return Table("dashboard", label("dashboard", lang), header, rows)


# --- generated blocks per section -------------------------------------------------------------


def _change(i: IndicatorView) -> tuple[float, str] | None:
    """Change from baseline to latest, better > 0: in points of the assessment's 0–100 scale
    when its bounds are known, else relative (only when both values have the same sign)."""
    b, last = i.baseline, i.latest
    if not b or not last or b.year == last.year or b.value is None or last.value is None:
        return None
    bounds = dict(last.provenance.bounds)
    best, worst = bounds.get("best"), bounds.get("worst")
    if best is not None and worst is not None and best != worst:
        return 100 * (last.value - b.value) / (best - worst), "points"
    if b.value and (b.value > 0) == (last.value > 0):
        sign = 1 if i.direction == "higher" else -1
        return sign * 100 * (last.value - b.value) / abs(b.value), "percent"
    return None


def _changes(goals: tuple[GoalView, ...]) -> tuple[str, list[tuple[float, IndicatorView]]]:
    """The kind of change used (points if any indicator has bounds) and the changes, sorted."""
    found = [(c, i) for g in goals for i in g.indicators if (c := _change(i))]
    kind = "points" if any(k == "points" for (_, k), _ in found) else "percent"
    return kind, sorted(((v, i) for (v, k), i in found if k == kind), key=lambda x: x[0])


def _highlights(goals: tuple[GoalView, ...], lang: str) -> tuple[Block, ...]:
    counts = Counter(g.status_label for g in goals)
    status_table = Table("status-counts", label("highlights_status", lang),
                         (label("status", lang), label("count", lang)),
                         tuple((k, str(v)) for k, v in counts.most_common()))
    kind, changes = _changes(goals)

    def item(value: float, i: IndicatorView) -> str:
        amount = label(f"change_{kind}", lang, v=f"{value:+.1f}")
        return (f"{i.name}: {amount} ({i.baseline.year}→{i.latest.year}; "  # type: ignore[union-attr]
                f"{i.baseline.text} → {i.latest.text} {i.unit})").strip()

    ups = [item(r, i) for r, i in reversed(changes) if r > 0][:TOP_CHANGES]
    downs = [item(r, i) for r, i in changes if r < 0][:TOP_CHANGES]
    n_ind = sum(g.total for g in goals)
    n_data = sum(g.with_data for g in goals)
    blocks: list[Block] = [
        Paragraph(label("data_coverage_text", lang, g=sum(1 for g in goals if g.with_data),
                        i=n_data, n=n_ind)),
        status_table,
    ]
    if ups:
        blocks += [Paragraph(label("improvements", lang)), Bullets(tuple(ups))]
    if downs:
        blocks += [Paragraph(label("setbacks", lang)), Bullets(tuple(downs))]
    return tuple(blocks)


def _methodology(review: Review, lang: str) -> tuple[Block, ...]:
    kinds = Counter(s.kind for s in review.stakeholders)
    groups: Counter[str] = Counter()
    for e in review.engagements:
        groups.update({k: v for k, v in e.groups_reached.items() if v})
    blocks: list[Block] = []
    if kinds:
        blocks.append(Table("stakeholders-by-kind", label("by_kind", lang),
                            (label("kind", lang), label("count", lang)),
                            tuple((i18n.pick(i18n.STAKEHOLDER_KINDS, k, lang), str(n))
                                  for k, n in kinds.most_common())))
    if groups:
        blocks.append(Table("people-by-group", label("by_group", lang),
                            (label("group", lang), label("people", lang)),
                            tuple((i18n.pick(i18n.GROUP_LABELS, k, lang), f"{n:,}")
                                  for k, n in groups.most_common())))
    if review.engagements:
        rows = tuple(
            (e.date.isoformat(), i18n.text(e.title, lang),
             i18n.pick(i18n.ENGAGEMENT_FORMATS, e.format, lang), f"{e.participants:,}")
            for e in sorted(review.engagements, key=lambda e: e.date)
        )
        blocks.append(Table("consultations", label("consultations", lang),
                            tuple(label(k, lang) for k in ("date", "title", "format", "participants")),
                            rows))
    sources = Counter(i.source for i in review.indicators if i.source)
    if sources:
        blocks.append(Table("data-sources", label("data_sources", lang),
                            (label("source", lang), label("indicators", lang)),
                            tuple((s, str(n)) for s, n in sources.most_common())))
    return tuple(blocks)


def _lnob(review: Review, progress: Progress, views: dict[str, IndicatorView], lang: str,
          frames: dict[str, pl.DataFrame]) -> tuple[Block, ...]:
    rows: list[tuple[str, ...]] = []
    geo = _geo_names(review.observations)
    if progress.gaps:
        for g in progress.gaps:
            if g.indicator not in views:
                continue
            dim = i18n.pick(tidy.DIMENSION_TITLES, g.dimension, lang)
            trend = "steady" if g.widening is None else "widening" if g.widening else "narrowing"
            gap = label("gap_text", lang, d=fmt(g.difference), r=fmt(g.ratio, 2),
                        t=label(trend, lang), y=g.first_year or "—")
            fb = label("vs", lang, a=_group(g.dimension, g.furthest_behind, lang, geo),
                       b=_group(g.dimension, g.best_off, lang, geo)) if g.furthest_behind else "—"
            rows.append((views[g.indicator].name, dim, str(g.year), gap, fb))
    else:  # no assessment: show the latest values of every group, without judging them
        for code, frame in frames.items():
            if code not in views:
                continue
            for dim in tidy.DIMENSIONS:
                if dim not in frame.columns:
                    continue
                sub = frame.filter(pl.col(dim).is_not_null() & pl.col("value").is_not_null())
                others = [d for d in tidy.DIMENSIONS if d != dim]
                sub = sub.filter(pl.all_horizontal(pl.col(d).is_null() for d in others))
                if sub.height == 0:
                    continue
                year = sub["year"].max()
                latest = sub.filter(pl.col("year") == year).sort(dim)
                if latest.height < 2:
                    continue
                vals = "; ".join(f"{_group(dim, r[dim], lang, geo)} {fmt(r['value'])}"
                                 for r in latest.iter_rows(named=True))
                rows.append((views[code].name, i18n.pick(tidy.DIMENSION_TITLES, dim, lang),
                             str(year), vals, "—"))
    if not rows:
        return ()
    fourth = "gap" if progress.gaps else "value"
    header = tuple(label(k, lang) for k in ("indicator", "dimension", "year", fourth, "furthest_behind"))
    return (Table("lnob", label("lnob_findings", lang), header, tuple(rows)),)


def _geo_names(obs: pl.DataFrame) -> dict[str, str]:
    """GEO code → the label the source gave it (the one original label of GEO-only rows)."""
    import json

    if obs.height == 0 or "GEO" not in obs.columns:
        return {}
    rows = obs.filter(pl.col("GEO").is_not_null() & pl.col("labels").is_not_null()).select("GEO", "labels").unique()
    names: dict[str, str] = {}
    for code, raw in rows.iter_rows():
        try:
            values = [v for v in json.loads(raw).values() if isinstance(v, str) and v.strip()]
        except (ValueError, AttributeError):
            continue
        if len(values) == 1:
            names.setdefault(code, values[0])
    return names


def _group(dim: str, code: str | None, lang: str, geo: dict[str, str] | None = None) -> str:
    if code is None:
        return "—"
    if dim == "AGE":
        return i18n.age(code, lang)
    if dim == "GEO" and geo and code in geo:
        return f"{geo[code]} ({code})"
    return tidy.DIMENSION_CODES.get(dim, {}).get(code, {}).get(lang) or code


def _actions(review: Review, lang: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    if review.actions:
        rows = tuple(
            (i18n.text(a.title, lang), a.owner, a.deadline.isoformat() if a.deadline else "—",
             i18n.pick(i18n.ACTION_STATUS, a.status, lang), ", ".join(a.targets) or "—")
            for a in review.actions
        )
        header = tuple(label(k, lang) for k in ("title", "owner", "deadline", "status", "targets"))
        blocks.append(Table("actions", label("actions", lang), header, rows))
    if review.edition.next_review:
        blocks.append(Paragraph(label("next_review", lang, y=review.edition.next_review)))
    return tuple(blocks)


def _annex(goals: tuple[GoalView, ...], lang: str) -> tuple[Block, ...]:
    rows = []
    for g in goals:
        for i in g.indicators:
            rows.append((
                f"{i.code} {i.name}",
                i.source or "—",
                i.coverage or "—",
                f"{i.years[0]}–{i.years[1]}" if i.years else label("no_data", lang),
                ", ".join(i.dimensions) or label("none", lang),
                i.aggregation or "—",
                i.method or "—",
                "; ".join(f"{lk.sdg_indicator or lk.target} ({lk.grade})" for lk in i.links) or "—",
            ))
    header = tuple(label(k, lang) for k in (
        "indicator", "source", "geo_coverage", "time_coverage", "disaggregation", "aggregation",
        "method", "sdg_link"))
    return (Paragraph(label("annex_intro", lang)),
            Table("statistical-annex", label("indicators", lang), header, tuple(rows)))


def _stakeholder_annex(review: Review, lang: str) -> tuple[Block, ...]:
    names = {s.code: (i18n.text(s.names, lang) if s.consent else label("anonymous", lang))
             for s in review.stakeholders}
    accepted = [c for c in review.contributions if c.status == "accepted"]
    if not accepted:
        return (Paragraph(label("no_contributions", lang)),)
    rows = tuple(
        (names.get(c.stakeholder, label("anonymous", lang)), c.date.isoformat(), to_text(c.text))
        for c in sorted(accepted, key=lambda c: (c.date, c.code))
    )
    header = (label("stakeholder", lang), label("date", lang), label("contributions", lang))
    return (Table("contributions", label("contributions", lang), header, rows),)


# --- the report -------------------------------------------------------------------------------


def _section(review: Review, element_id: str, lang: str, level: int,
             blocks: tuple[Block, ...] = (), subsections: tuple[Section, ...] = ()) -> Section:
    if element_id == "GE-5":
        title, purpose, prompts = i18n.text(GE5_TITLE, lang), i18n.text(GE5_PURPOSE, lang), ()
    else:
        el = guide().element(element_id)
        title, purpose, prompts = el.title(lang), el.purpose(lang), el.prompts(lang)
    return Section(
        id=element_id,
        slug=slugify(element_id),
        title=title,
        level=level,
        narrative_html=to_html(review.narrative(element_id, lang)),
        guidance=prompts,
        purpose=purpose,
        blocks=blocks,
        subsections=subsections,
    )


def build_report(review: Review, lang: str, assessment: Any = None) -> Report:
    """The report model of ``review`` in ``lang`` (zh-Hans, en, …).

    ``assessment`` is the result of ``vlrkit.assess`` (or a :class:`Progress`); without it the
    report shows the data with every status "not assessed".
    """
    progress = from_assessment(assessment)
    sdg = _sdg()
    obs = review.observations
    frames = {k[0]: v for k, v in obs.partition_by("indicator", as_dict=True).items()} if obs.height else {}
    views = {i.code: _indicator_view(review, i, frames.get(i.code), progress, lang, sdg)
             for i in review.indicators}
    by_goal: dict[int, list[IndicatorView]] = {g: [] for g in GOALS}
    for v in views.values():
        by_goal.setdefault(v.goal, []).append(v)
    goals = tuple(_goal_view(g, by_goal[g], review, progress, lang, sdg) for g in GOALS)
    dashboard = _dashboard(goals, lang)
    generated: dict[str, tuple[Block, ...]] = {
        "GE-2": _highlights(goals, lang),
        "GE-4": _methodology(review, lang),
        "GE-5d": _lnob(review, progress, views, lang, frames),
        "GE-6": (dashboard,),
        "GE-8": _actions(review, lang),
        "GE-9a": _annex(goals, lang),
        "GE-9b": _stakeholder_annex(review, lang),
    }
    if review.entity.population:
        generated["GE-3"] = (Paragraph(label(
            "population_text", lang, name=i18n.text(review.entity.names, lang),
            p=f"{review.entity.population:,}", y=review.entity.population_year or "—")),)
    sections = []
    for element_id, parts in CHAPTERS:
        subs = tuple(_section(review, p, lang, 2, generated.get(p, ())) for p in parts)
        sections.append(_section(review, element_id, lang, 1, generated.get(element_id, ()), subs))
    comp = check(review, assessment, lang=lang)
    return Report(
        lang=lang,
        languages=tuple(review.edition.languages),
        entity=i18n.text(review.entity.names, lang),
        entity_code=review.entity.code,
        edition=review.edition.code,
        year=review.edition.year,
        period=(review.edition.period_start, review.edition.period_end),
        title=i18n.text(review.edition.title, lang) or f"{i18n.text(review.entity.names, lang)} VLR {review.edition.year}",
        draft=review.edition.status != "published",
        generated=date.today().isoformat(),
        sections=tuple(sections),
        goals=goals,
        dashboard=dashboard,
        completeness=(comp.covered, comp.total, comp.share),
        labels={k: label(k, lang) for k in i18n.LABELS if "{" not in i18n.pick(i18n.LABELS, k, lang)},
    )
