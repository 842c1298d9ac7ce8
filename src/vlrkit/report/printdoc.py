"""The print document: the report model laid out as a tree of nodes for the PDF (Typst).

:func:`document` turns a :class:`~vlrkit.report.model.Report` into one JSON-able dict — cover,
chapters, the goals and their indicators, tables, charts, footnotes — that the Typst template
(``templates/report.typ``) lays out.  The nodes are those of :mod:`vlrkit.report.richtext`
plus::

    {"k": "h", "l": 1|2|3, "r": runs, "id": "anchor", "toc": bool}
    {"k": "p", "r": runs, "s": "prov" | "note" | "facts" | "lead" | ""}
    {"k": "table", "cap": runs, "head": [runs…], "rows": [[runs…]…], "fill": [[hex|None…]…]}
    {"k": "img", "src": "charts/<key>.png", "alt": "…", "w": 150}     (width in mm)
    {"k": "break"}

and the run flags ``bg``/``fg`` (a coloured tile), ``ref`` (a link to an anchor of the
document) and ``fn`` (a footnote: a list of runs).  The DOCX renderer reads the same report
model with python-docx; this module is the PDF's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vlrkit.report import charts, richtext
from vlrkit.report.i18n import chart_alt, fmt, label
from vlrkit.report.model import Block, GoalView, IndicatorView, Report, Section, Table

Node = dict[str, Any]
Run = dict[str, Any]

#: Width of a chart in the PDF (mm).
CHART_MM = 150


def run(text: str, **flags: Any) -> Run:
    out: Run = {"t": text}
    out.update({k: v for k, v in flags.items() if v})
    return out


def para(*runs: Run | str, style: str = "") -> Node:
    return {"k": "p", "r": [r if isinstance(r, dict) else run(r) for r in runs], "s": style}


def heading(level: int, *runs: Run | str, anchor: str = "", toc: bool = True) -> Node:
    return {"k": "h", "l": level, "r": [r if isinstance(r, dict) else run(r) for r in runs],
            "id": anchor, "toc": toc}


def table(t: Table, fill: list[list[str | None]] | None = None) -> Node:
    return {"k": "table", "cap": [run(t.caption)] if t.caption else [],
            "head": [[run(h)] for h in t.header], "rows": [[[run(c)] for c in row] for row in t.rows],
            "fill": fill or []}


def blocks(items: tuple[Block, ...]) -> list[Node]:
    out: list[Node] = []
    for b in items:
        if isinstance(b, Table):
            out.append(table(b))
        elif b.kind == "bullets":
            out.append({"k": "list", "o": False,
                        "items": [[para(x)] for x in b.items]})  # type: ignore[union-attr]
        else:
            out.append(para(b.text))  # type: ignore[union-attr]
    return out


def _guidance(r: Report, s: Section) -> list[Node]:
    if not (r.draft and s.guidance):
        return []
    return [para(run(label("guidance", r.lang) + ": ", b=1), run(s.purpose, i=1), style="note"),
            {"k": "list", "o": False, "items": [[para(run(g, i=1), style="note")] for g in s.guidance]}]


def _tile(number: int, colour: str) -> Run:
    from vlrkit.sdg import text_colour

    return run(str(number), bg=colour, fg=text_colour(colour), b=1)


def _fig(f: Any, unit: str, none: str) -> str:
    return f"{f.text} {unit} ({f.year})".replace("  ", " ") if f else none


def indicator(r: Report, i: IndicatorView, image: Callable[[IndicatorView], str | None]) -> list[Node]:
    L = lambda k: label(k, r.lang)  # noqa: E731
    none = L("no_data")
    target = f"{i.target.text} {i.unit} ({i.target.year}, {L(i.target_kind or 'target')})" if i.target else "—"
    facts = [run(L("baseline") + " ", b=1), run(_fig(i.baseline, i.unit, none)),
             run(" · " + L("latest") + " ", b=1), run(_fig(i.latest, i.unit, none)),
             run(" · " + L("target") + " ", b=1), run(target), run("\n"),
             run(L("status") + " ", b=1), run(i.status_label),
             run(" · " + L("trend") + " ", b=1), run(f"{i.arrow} {i.trend_label}".strip()), run("\n"),
             run(L("disagg_gaps") + " ", b=1), run(", ".join(i.disaggregation_gaps) or L("none")), run("\n"),
             run(L("series_col") + " ", b=1),
             run((i.series_label or "—") + (f" ({i.series_note})" if i.series_note else "")),
             run(" · " + L("direction_col") + " ", b=1), run(i.direction_note)]
    out = [heading(3, f"{i.code} {i.name}", anchor=f"ind-{i.slug}", toc=False), para(*facts, style="facts")]
    if i.other_series:
        out.append(para(run(L("other_series") + ": ", b=1),
                        "; ".join(f"{o.label} {o.latest} ({o.status})" for o in i.other_series), style="facts"))
    src = image(i) if i.series else None
    if src:
        out.append({"k": "img", "src": src, "alt": chart_alt(i, r.lang), "w": CHART_MM})
    out.append(para((L("chart_legend") + " " if src else "") + i.provenance, style="prov"))
    return out


def goal(r: Report, g: GoalView, image: Callable[[IndicatorView], str | None]) -> list[Node]:
    L = lambda k: label(k, r.lang)  # noqa: E731
    score = "—" if g.score is None else fmt(g.score, 1)
    out = [heading(2, _tile(g.number, g.colour), " " + g.title, anchor=f"goal-{g.number}"),
           para(run(g.status_label, bg=g.status_colour, fg=_ink(g.status_colour)),
                f" · {L('score')} {score} · {g.arrow} {g.trend_label} · "
                + label("coverage_n", r.lang, n=g.with_data, m=g.total))]
    if not g.with_data:
        out.append(para(run(L("goal_no_data"), b=1)))
    if g.gaps:
        out.append({"k": "list", "o": False, "items": [[para(x)] for x in g.gaps], "s": "gaps"})
    for i in g.indicators:
        out += indicator(r, i, image)
    return out


def _ink(colour: str) -> str:
    from vlrkit.sdg import text_colour

    return text_colour(colour)


def dashboard(r: Report) -> Node:
    fill: list[list[str | None]] = [[g.colour, g.status_colour, None, None, None] for g in r.goals]
    node = table(r.dashboard, fill)
    for row, g in zip(node["rows"], r.goals, strict=True):
        row[0] = [_tile(g.number, g.colour), run(" " + g.short_title)]
    node["fill"] = [[None, g.status_colour, None, None, None] for g in r.goals]
    return node


def section(r: Report, s: Section, image: Callable[[IndicatorView], str | None]) -> list[Node]:
    out: list[Node] = [{"k": "break"}, heading(1, s.title, anchor=s.slug)]
    out += _guidance(r, s)
    out += richtext.nodes(s.narrative_html)
    if s.id == "GE-6":
        out.append(dashboard(r))
        for g in r.goals:
            out += goal(r, g, image)
    else:
        out += blocks(s.blocks)
    for sub in s.subsections:
        out.append(heading(2, sub.title, anchor=sub.slug))
        out += _guidance(r, sub)
        out += richtext.nodes(sub.narrative_html)
        out += blocks(sub.blocks)
    return out


def document(r: Report, files: Any) -> dict[str, Any]:
    """The print document of ``r``; ``files`` (a :class:`vlrkit.report.charts.ChartFiles`)
    names each chart's SVG file, relative to the Typst root."""
    def image(i: IndicatorView) -> str | None:
        return files.svg(charts.spec(i)) if i.series else None

    body: list[Node] = []
    for s in r.sections:
        body += section(r, s, image)
    cover = [f"{r.entity} · {r.period[0]}–{r.period[1]}" + (f" · {label('draft', r.lang)}" if r.draft else "")]
    if r.draft:
        cover.append(label("completeness", r.lang, c=r.completeness[0], t=r.completeness[1],
                           p=round(r.completeness[2] * 100)))
    cover.append(label("generated", r.lang, d=r.generated))
    return {"lang": "zh" if r.lang.startswith("zh") else r.lang.split("-")[0], "title": r.title,
            "cover": cover, "contents": label("contents", r.lang), "body": body}
