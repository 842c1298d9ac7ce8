"""Build the report model (:class:`vlrkit.report.model.Report`) from a review and its assessment.

Sections follow the guiding elements in the order the issue lists them; the progress section
has a view of every one of the 17 goals, with or without data.  The figures shown are read from
the observations (baseline, latest, target) and from the assessment (status, colour, trend,
score) — the report computes no assessment of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.guide import check, guide
from vlrkit.report import blocks, i18n, method_blocks, refs
from vlrkit.report.i18n import fmt, label, slugify
from vlrkit.report.markdown import to_html
from vlrkit.report.model import (
    Block,
    Figure,
    GoalView,
    IndicatorView,
    ObsRef,
    OtherSeries,
    Paragraph,
    Provenance,
    RefProblem,
    Report,
    SdgLinkView,
    Section,
    Table,
)
from vlrkit.report.progress import Progress, from_assessment
from vlrkit.review import Review
from vlrkit.series import label as series_label

GOALS = tuple(range(1, 18))
#: Dimensions whose absence is named as a disaggregation gap (2030 Agenda para 74(g)).
LNOB_DIMENSIONS = ("SEX", "AGE", "INCOME_WEALTH_QUANTILE", "DISABILITY_STATUS", "MIGRATORY_STATUS", "GEO")
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


def _sdg() -> Any:
    try:
        from vlrkit import sdg

        sdg.goal(1)
        return sdg
    except Exception:  # noqa: BLE001 - the catalogue is optional for a bare report
        return None


# --- indicators -------------------------------------------------------------------------------


def _headline(frame: pl.DataFrame, p: Any) -> pl.DataFrame:
    """The rows of the series the assessment names (``p.series``, ``p.unit``; its total, or the
    documented group of a series published only by group), by period — one series and unit,
    never several (:mod:`vlrkit.assess.specs`)."""
    rows = frame.filter((pl.col("series").fill_null("") == (p.series or ""))
                        & (pl.col("unit").fill_null("") == (p.unit or "")) & pl.col("value").is_not_null())
    group = dict(p.group or {})
    if not group:
        return rows.filter(tidy.is_total()).sort(["year", "period"])
    coded = {k: v for k, v in group.items() if k in tidy.DIMENSIONS}
    kept = {k: v for k, v in group.items() if k not in tidy.DIMENSIONS}
    rows = rows.filter(pl.col("breakdown").fill_null("") == tidy.breakdown_text(kept))
    for d in tidy.DIMENSIONS:
        rows = rows.filter(pl.col(d) == coded[d] if d in coded else pl.col(d).is_null())
    return rows.sort(["year", "period"])


def _ref(row: dict[str, Any]) -> ObsRef:
    return ObsRef(row["period"], row.get("file"), row.get("row"), row.get("import_id"))


def _indicator_view(review: Review, ind: Any, frame: pl.DataFrame | None, progress: Progress,
                    lang: str, sdg: Any) -> IndicatorView:
    frame = frame if frame is not None else tidy.empty()
    p = progress.indicator(ind.code)
    if ind.code not in progress.indicators:
        # no assessment: the first series by name, and the direction the review sets (if any)
        first = frame.filter(tidy.is_total() & pl.col("value").is_not_null()).sort("series", "unit").head(1)
        p = replace(p, series=first["series"][0] or "" if first.height else "",
                    unit=first["unit"][0] or "" if first.height else "", direction=ind.direction,
                    claims_allowed=ind.direction in ("higher", "lower"),
                    direction_source={"en": "set in the review", "zh-Hans": "评估中设定"})
    head = _headline(frame, p)
    if head.is_empty() and not (p.series or p.unit or p.group) and frame.height:
        # an assessment that names no series (a hand-made one): the first series by name
        first = frame.filter(tidy.is_total() & pl.col("value").is_not_null()).sort("series", "unit").head(1)
        if first.height:
            head = _headline(frame, replace(p, series=first["series"][0] or "", unit=first["unit"][0] or ""))
            p = replace(p, unit=first["unit"][0] or "")
    rows = head.to_dicts()
    method = p.method or ""
    bounds = tuple(sorted((k, v) for k, v in p.bounds.items()))
    dec = ind.decimals
    unit = p.unit or ind.unit

    def figure(row: dict[str, Any] | None) -> Figure | None:
        if row is None:
            return None
        prov = Provenance(ind.code, (_ref(row),), method, bounds, p.rule)
        return Figure(row["value"], row["year"], fmt(row["value"], dec), prov)

    targets = [t for t in review.targets if t.indicator == ind.code and (t.series, t.unit) in (("", ""), (p.series, p.unit))]
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
    elif p.target is not None:  # the status is judged against the SDG target's 2030 value
        value, tyear, tkind, tsource = p.target
        target = Figure(value, tyear, fmt(value, dec), Provenance(ind.code, (), f"{tkind} target", (), tsource))
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
        direction=p.direction,
        decimals=dec if dec is not None else -1,
        baseline=figure(baseline_row),
        latest=figure(latest_row),
        target=target,
        target_kind=tgt.kind if tgt else (p.target[2] if p.target else None),
        status=status,
        status_label=_status_label(p, tgt.kind if tgt else (p.target[2] if p.target else None), lang),
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
        series_label=series_label(p.series, p.unit, lang=lang),
        series_note=_series_note(p, lang),
        direction_note=label("direction_is", lang, d=label(f"direction_{p.direction}", lang)
                             if p.direction in ("higher", "lower", "band", "unknown") else p.direction,
                             src=i18n.text(p.direction_source, lang) or "—"),
        claims_allowed=p.claims_allowed,
        other_series=tuple(_other(o, frame, dec, lang) for o in p.others),
    )


def _series_note(p: Any, lang: str) -> str:
    if not p.group:
        return ""
    g = ", ".join(f"{k}: {v}" for k, v in p.group.items())
    return label("documented_total", lang, g=g)


def _other(o: Any, frame: pl.DataFrame, dec: int | None, lang: str) -> OtherSeries:
    rows = _headline(frame, o).to_dicts()
    last = rows[-1] if rows else None
    return OtherSeries(series_label(o.series, o.unit, lang=lang) or "—",
                       f"{fmt(last['value'], dec)} ({last['period']})" if last else "—",
                       i18n.pick(i18n.STATUS_LABELS, o.status, lang), len(rows))


def _unique_slugs(views: dict[str, IndicatorView]) -> dict[str, IndicatorView]:
    """Codes that differ only in punctuation ("A.1", "A-1") get distinct page names."""
    seen: dict[str, int] = {}
    out = {}
    for code, v in views.items():
        n = seen.get(v.slug, 0)
        seen[v.slug] = n + 1
        out[code] = replace(v, slug=f"{v.slug}-{n + 1}") if n else v
    return out


def _status_label(p: Any, kind: str | None, lang: str) -> str:
    """The SDSN colour's label, and the progress towards the target when assessed."""
    parts = []
    if p.colour:
        parts.append(i18n.pick(i18n.STATUS_LABELS, p.colour, lang))
    if p.status in ("direction_to_confirm", "no_data", "insufficient_data"):
        return i18n.pick(i18n.STATUS_LABELS, p.status, lang)
    if p.status != "not_assessed" and kind:
        parts.append(label("target_status", lang, kind=label(kind, lang),
                           status=i18n.pick(i18n.STATUS_LABELS, p.status, lang)))
    elif p.status != "not_assessed":
        parts.append(label("target_status", lang, kind=label("trend_kind", lang),
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


# --- the report -------------------------------------------------------------------------------


def _narrative(review: Review, element_id: str, lang: str,
               figures: refs.Source) -> tuple[str, tuple[RefProblem, ...]]:
    """The section's narrative in ``lang`` as HTML, its figure references resolved, and the
    references left unresolved.  If the narrative is only written in another language of the
    edition (or the ``lang`` text says "Not translated, because …"), that text with a note
    saying so (writers often draft in one language first)."""
    import html

    from vlrkit.guide.text import not_translated

    text = review.narrative(element_id, lang)
    reason = not_translated(text) if text.strip() else None
    if text.strip() and reason is None:
        done = refs.resolve(text, figures, lang)
        return to_html(done.text), done.problems
    for other in (*review.edition.languages, *{n.lang for n in review.narratives}):
        other_text = review.narrative(element_id, other)
        if other != lang and other_text.strip() and not not_translated(other_text):
            note = label("original_in", lang, l=i18n.pick(i18n.LANGUAGE_NAMES, other, lang))
            lead = f'<p class="note">{html.escape(note)}</p>\n'
            if reason is not None:
                lead = f'<p class="note">{html.escape(" ".join(text.split()))}</p>\n'
            done = refs.resolve(other_text, figures, lang)
            return lead + to_html(done.text), done.problems
    if reason is not None:
        return to_html(text), ()
    return "", ()


def _section(review: Review, element_id: str, lang: str, level: int, figures: refs.Source,
             content: tuple[Block, ...] = (), subsections: tuple[Section, ...] = ()) -> Section:
    prompts: tuple[str, ...] = ()
    if element_id == "GE-5":
        title, purpose = i18n.text(GE5_TITLE, lang), i18n.text(GE5_PURPOSE, lang)
    else:
        el = guide().element(element_id)
        title, purpose, prompts = el.title(lang), el.purpose(lang), el.prompts(lang)
    narrative_html, unresolved = _narrative(review, element_id, lang, figures)
    return Section(
        id=element_id,
        slug=slugify(element_id),
        title=title,
        level=level,
        narrative_html=narrative_html,
        guidance=prompts,
        purpose=purpose,
        blocks=content,
        subsections=subsections,
        unresolved=unresolved,
    )


#: Blocks made outside the report (by language, then guiding-element id) that :func:`build_report`
#: adds to its sections while :func:`added_blocks` is active; see there.
_ADDED: ContextVar[Mapping[str, Mapping[str, Sequence[Block]]] | None] = ContextVar("vlrkit_report_added",
                                                                                   default=None)


@contextmanager
def added_blocks(by_lang: Mapping[str, Mapping[str, Sequence[Block]]]) -> Iterator[None]:
    """Within the block, every :func:`build_report` in language ``lang`` adds
    ``by_lang[lang]`` ({guiding-element id: blocks}) to its sections.

    This is how a face passes data the core may not read itself into a whole rendering run —
    e.g. the GE-5c and GE-7 policy-alignment blocks from
    ``vlrkit.store.align.queries.report_sections``::

        with added_blocks({lang: report_sections(lang, scores, edition=code) for lang in langs}):
            render(review, formats, langs, out, assessment=assessment)
    """
    token = _ADDED.set(by_lang)
    try:
        yield
    finally:
        _ADDED.reset(token)


def completeness_of(review: Review, goals: Sequence[GoalView], index_score: float | None,
                    assessment: Any, lang: str) -> Any:
    """The guiding elements' completeness of ``review`` as its report shows it.  The check reads
    the narratives as stored, so that a figure reference counts as evidence (``goals`` and
    ``index_score`` are kept for callers that hold the report's views)."""
    del goals, index_score
    return check(review, assessment, lang=lang)


def build_report(review: Review, lang: str, assessment: Any = None,
                 extra: Mapping[str, Sequence[Block]] | None = None) -> Report:
    """The report model of ``review`` in ``lang`` (zh-Hans, en, …).

    ``assessment`` is the result of ``vlrkit.assess`` (or a :class:`Progress`); without it the
    report shows the data with every status "not assessed".  ``extra`` adds blocks made
    elsewhere to sections by guiding-element id — e.g. the GE-5c and GE-7 policy-alignment
    blocks, which the caller gets from ``vlrkit.store.align.queries.report_sections`` (the
    report itself never reads the store).  Without ``extra``, the blocks of an active
    :func:`added_blocks` are used.
    """
    progress = from_assessment(assessment)
    sdg = _sdg()
    obs = review.observations
    frames = {k[0]: v for k, v in obs.partition_by("indicator", as_dict=True).items()} if obs.height else {}
    views = {i.code: _indicator_view(review, i, frames.get(i.code), progress, lang, sdg)
             for i in review.indicators}
    views = _unique_slugs(views)
    by_goal: dict[int, list[IndicatorView]] = {g: [] for g in GOALS}
    for v in views.values():
        by_goal.setdefault(v.goal, []).append(v)
    goals = tuple(_goal_view(g, by_goal[g], review, progress, lang, sdg) for g in GOALS)
    dashboard = _dashboard(goals, lang)
    counts = dict(progress.counts) or {
        "indicators": len(views), "with_data": sum(1 for v in views.values() if v.latest is not None),
        "goals_with_data": sum(1 for g in goals if g.with_data),
    }
    no_goal = [v.code for v in views.values() if v.goal not in GOALS]
    generated: dict[str, tuple[Block, ...]] = {
        "GE-2": blocks.highlights(goals, lang, counts, no_goal),
        "GE-4": blocks.methodology(review, lang),
        "GE-5d": blocks.lnob(review, progress, views, lang, frames),
        "GE-6": (dashboard,),
        "GE-8": blocks.actions(review, lang),
        "GE-9a": (*blocks.annex(goals, lang), *blocks.sources_annex(goals, lang),
                  *method_blocks.annex(review, assessment, goals, lang)),
        "GE-9b": blocks.stakeholder_annex(review, lang),
    }
    if review.entity.population:
        generated["GE-3"] = (Paragraph(label(
            "population_text", lang, name=i18n.text(review.entity.names, lang),
            p=f"{review.entity.population:,}", y=review.entity.population_year or "—")),)
    if extra is None:
        extra = (_ADDED.get() or {}).get(lang, {})
    for element_id, more in extra.items():
        generated[element_id] = (*generated.get(element_id, ()), *more)
    # Narratives' figure references read the goal and indicator views built above.
    figures = refs.Figures(goals, progress.index_score)
    sections = []
    for element_id, parts in CHAPTERS:
        subs = tuple(_section(review, p, lang, 2, figures, generated.get(p, ())) for p in parts)
        sections.append(_section(review, element_id, lang, 1, figures, generated.get(element_id, ()), subs))
    comp = completeness_of(review, goals, progress.index_score, assessment, lang)
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
        index_score=progress.index_score,
        counts=counts,
    )
