"""Generated content of the report's sections: highlights, participation, leave no one behind,
follow-up actions, the statistical annex and the stakeholder annex (GE-2, GE-4, GE-5d, GE-8,
GE-9a, GE-9b).  Each function returns the section's blocks; the figures come from the review,
the indicator views and the assessment, never from a method of the report's own.
"""

from __future__ import annotations

import json
from collections import Counter

import polars as pl

from vlrkit import tidy
from vlrkit.assess.lnob import CROSS, PAIR
from vlrkit.report import i18n
from vlrkit.report.i18n import fmt, label
from vlrkit.report.markdown import to_text
from vlrkit.report.model import Block, Bullets, GoalView, IndicatorView, Paragraph, Table
from vlrkit.report.progress import CombinedGap, Progress
from vlrkit.review import Review

#: How many indicators the highlights name as biggest improvements and setbacks.
TOP_CHANGES = 3



def change(i: IndicatorView) -> tuple[float, str] | None:
    """Change from baseline to latest of one series (both figures are its own), better > 0: in
    points of the assessment's 0–100 scale when its bounds are known, else relative (only when
    both values have the same sign); None when the direction is not known."""
    b, last = i.baseline, i.latest
    if not i.claims_allowed or i.direction not in ("higher", "lower"):
        return None  # no improvement or setback is claimed without a known direction
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


def changes(goals: tuple[GoalView, ...]) -> tuple[str, list[tuple[float, IndicatorView]]]:
    """The kind of change used (points if any indicator has bounds) and the changes, sorted."""
    found = [(c, i) for g in goals for i in g.indicators if (c := change(i))]
    kind = "points" if any(k == "points" for (_, k), _ in found) else "percent"
    return kind, sorted(((v, i) for (v, k), i in found if k == kind), key=lambda x: x[0])


def highlights(goals: tuple[GoalView, ...], lang: str, counts: dict[str, int] | None = None,
               no_goal: list[str] | None = None) -> tuple[Block, ...]:
    counts = Counter(g.status_label for g in goals)
    status_table = Table("status-counts", label("highlights_status", lang),
                         (label("status", lang), label("count", lang)),
                         tuple((k, str(v)) for k, v in counts.most_common()))
    kind, moves = changes(goals)

    def item(value: float, i: IndicatorView) -> str:
        amount = label(f"change_{kind}", lang, v=f"{value:+.1f}")
        b, last = i.baseline, i.latest
        assert b is not None and last is not None  # change() returns None otherwise
        named = f"{i.name} — {i.series_label}" if i.series_label and i.series_label != i.unit else i.name
        return f"{named}: {amount} ({b.year}→{last.year}; {b.text} → {last.text} {i.unit})".strip()

    ups = [item(r, i) for r, i in reversed(moves) if r > 0][:TOP_CHANGES]
    downs = [item(r, i) for r, i in moves if r < 0][:TOP_CHANGES]
    counts = counts or {}
    n_ind = counts.get("indicators", sum(g.total for g in goals))
    n_data = counts.get("with_data", sum(g.with_data for g in goals))
    n_goals = counts.get("goals_with_data", sum(1 for g in goals if g.with_data))
    blocks: list[Block] = [
        Paragraph(label("data_coverage_text", lang, g=n_goals, i=n_data, n=n_ind)),
        status_table,
    ]
    if no_goal:
        blocks.append(Paragraph(label("no_goal_text", lang, x=", ".join(no_goal))))
    if ups:
        blocks += [Paragraph(label("improvements", lang)), Bullets(tuple(ups))]
    if downs:
        blocks += [Paragraph(label("setbacks", lang)), Bullets(tuple(downs))]
    return tuple(blocks)


def methodology(review: Review, lang: str) -> tuple[Block, ...]:
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


def lnob(review: Review, progress: Progress, views: dict[str, IndicatorView], lang: str,
          frames: dict[str, pl.DataFrame]) -> tuple[Block, ...]:
    rows: list[tuple[str, ...]] = []
    geo = geo_names(review.observations)
    if progress.gaps:
        for g in progress.gaps:
            if g.indicator not in views:
                continue
            dim = i18n.pick(tidy.DIMENSION_TITLES, g.dimension, lang)
            trend = "steady" if g.widening is None else "widening" if g.widening else "narrowing"
            gap = label("gap_text", lang, d=fmt(g.difference), r=fmt(g.ratio, 2),
                        t=label(trend, lang), y=g.first_year or "—")
            fb = label("vs", lang, a=group_label(review, g.dimension, g.furthest_behind, lang, geo),
                       b=group_label(review, g.dimension, g.best_off, lang, geo)) if g.furthest_behind else "—"
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
                vals = "; ".join(f"{group_label(review, dim, r[dim], lang, geo)} {fmt(r['value'])}"
                                 for r in latest.iter_rows(named=True))
                rows.append((views[code].name, i18n.pick(tidy.DIMENSION_TITLES, dim, lang),
                             str(year), vals, "—"))
            rows += _cells(review, views[code].name, frame, lang, geo)
    out: list[Block] = []
    if rows:
        fourth = "gap" if progress.gaps else "value"
        header = tuple(label(k, lang) for k in ("indicator", "dimension", "year", fourth, "furthest_behind"))
        out.append(Table("lnob", label("lnob_findings", lang), header, tuple(rows)))
    return (*out, *combined(progress, views, lang), *by_goal(review, progress, lang, geo))


def _cells(review: Review, name: str, frame: pl.DataFrame, lang: str,
           geo: dict[str, str]) -> list[tuple[str, ...]]:
    """Without an assessment: the latest values of the cells of each combined breakdown
    (sex × age…) of one indicator, unjudged, as the one-dimension rows show theirs."""
    dims = [d for d in tidy.DIMENSIONS if d in frame.columns]
    if not dims:
        return []
    n = pl.sum_horizontal([pl.col(d).is_not_null().cast(pl.Int8) for d in dims])
    cells = frame.filter((n >= 2) & pl.col("value").is_not_null())
    rows: list[tuple[str, ...]] = []
    for combo in sorted({tuple(d for d in dims if r[d] is not None) for r in cells.iter_rows(named=True)}):
        part = cells.filter(pl.all_horizontal([pl.col(d).is_not_null() == (d in combo) for d in dims]))
        year = part["year"].max()
        latest = part.filter(pl.col("year") == year).sort(list(combo))
        vals = "; ".join(" × ".join(group_label(review, d, r[d], lang, geo) for d in combo) + f" {fmt(r['value'])}"
                         for r in latest.iter_rows(named=True))
        rows.append((name, _dims(CROSS.join(combo), lang), str(year), vals, "—"))
    return rows


def by_goal(review: Review, progress: Progress, lang: str, geo: dict[str, str]) -> tuple[Block, ...]:
    """Leave no one behind per goal (the assessment's ``lnob.goals``): how many indicators show
    gaps, how many gaps widen or narrow, alone and within combined breakdowns, and the groups
    most often furthest behind."""
    goals = [g for g in progress.gap_goals if g.indicators or g.within_gaps or g.intersections]
    if not goals:
        return ()
    names = {g.furthest_behind: g.label("furthest_behind", lang) for g in progress.intersections}

    def group(code: str) -> str:  # ``SEX:F`` or ``SEX:F×AGE:Y65T``
        if code in names:
            return names[code]
        parts = [p.split(PAIR, 1) for p in code.split(CROSS)]
        return " × ".join(group_label(review, d, c, lang, geo) if c else d for d, c in parts)

    rows = tuple(
        (label("goal_n", lang, n=g.goal), str(g.indicators),
         label("widening_narrowing", lang, w=g.widening, n=g.narrowing),
         label("widening_narrowing", lang, w=g.within_widening, n=g.within_narrowing) if g.within_gaps else "—",
         label("list_separator", lang).join(group(c) for c in (*g.furthest_behind,
                                                                *g.furthest_behind_intersections)) or "—")
        for g in goals
    )
    header = tuple(label(k, lang) for k in ("goal", "indicators_with_gaps", "gaps_single", "gaps_within",
                                            "most_often_behind"))
    return (Table("lnob-goals", label("lnob_goals", lang), header, rows),)


def _gap(g: CombinedGap, lang: str) -> tuple[str, str]:
    """The gap text and "furthest behind (best off: …)" of a combined-breakdown gap."""
    trend = "steady" if g.widening is None else "widening" if g.widening else "narrowing"
    gap = label("gap_text", lang, d=fmt(g.difference), r=fmt(g.ratio, 2), t=label(trend, lang),
                y=g.first_year or "—")
    fb = label("vs", lang, a=g.label("furthest_behind", lang), b=g.label("best_off", lang)) \
        if g.furthest_behind else "—"
    return gap, fb


def _dims(dimension: str, lang: str) -> str:
    """``SEX×AGE`` → "Sex × Age" in ``lang``."""
    return " × ".join(i18n.pick(tidy.DIMENSION_TITLES, d, lang) for d in dimension.split(CROSS))


def combined(progress: Progress, views: dict[str, IndicatorView], lang: str) -> tuple[Block, ...]:
    """Leave no one behind across combined breakdowns (sex × age…): the intersection group
    furthest behind of each indicator, and the gaps within each dimension with the other held
    fixed — the assessment's ``lnob.intersections`` and ``lnob.within``, row for row."""
    inter = [g for g in progress.intersections if g.indicator in views]
    within = [g for g in progress.within if g.indicator in views]
    if not inter and not within:
        return ()
    blocks: list[Block] = [Paragraph(label("lnob_combined_text", lang))]
    if inter:
        header = tuple(label(k, lang) for k in ("indicator", "breakdown", "year", "gap", "furthest_behind"))
        blocks.append(Table("lnob-intersections", label("lnob_intersections", lang), header, tuple(
            (views[g.indicator].name, _dims(g.dimension, lang), str(g.year), *_gap(g, lang)) for g in inter)))
    if within:
        header = tuple(label(k, lang) for k in ("indicator", "dimension", "held_fixed", "year", "gap",
                                                "furthest_behind"))
        blocks.append(Table("lnob-within", label("lnob_within", lang), header, tuple(
            (views[g.indicator].name, _dims(g.dimension, lang), g.label("context", lang) or "—", str(g.year),
             *_gap(g, lang)) for g in within)))
    return tuple(blocks)


def geo_names(obs: pl.DataFrame) -> dict[str, str]:
    """GEO code → the label the source gave it (the one original label of GEO-only rows)."""
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


def group_label(review: Review, dim: str, code: str | None, lang: str,
                geo: dict[str, str] | None = None) -> str:
    """A group's display name: :meth:`Review.code_title` (the review's own labels, else the
    shared SDMX names); a GEO code without either falls back to its source label (``geo``).
    GEO names keep their code in brackets, as districts are often known by both."""
    if code is None:
        return "—"
    title = review.code_title(dim, code, lang)
    if dim == "GEO":
        name = title if title != code else (geo or {}).get(code)
        return f"{name} ({code})" if name else code
    return title


def actions(review: Review, lang: str) -> tuple[Block, ...]:
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


def annex(goals: tuple[GoalView, ...], lang: str) -> tuple[Block, ...]:
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


def sources_annex(goals: tuple[GoalView, ...], lang: str) -> tuple[Block, ...]:
    """Where every direction and target the assessment used comes from (the city, the publisher,
    the SDG target texts, SDSN), per indicator and the series its figures belong to."""
    rows = []
    for g in goals:
        for i in g.indicators:
            target = "—"
            if i.target is not None:
                target = f"{i.target.text} ({i.target.year}; {i.target.provenance.method}" + (
                    f"; {i.target.provenance.rule}" if i.target.provenance.rule else "") + ")"
            rows.append((f"{i.code} {i.name}", i.series_label or "—", i.direction_note or "—", target))
    header = tuple(label(k, lang) for k in ("indicator", "series_col", "direction_col", "target"))
    return (Table("sources-of-directions", label("sources_annex", lang), header, tuple(rows)),)


def stakeholder_annex(review: Review, lang: str) -> tuple[Block, ...]:
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
