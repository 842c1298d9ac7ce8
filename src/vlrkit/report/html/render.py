"""Render report models as a static, accessible, multi-page HTML site.

Layout (``out`` is the site folder)::

    index.html               language chooser
    static/                  CSS, the site script and vendored Vega, Vega-Lite, vega-embed
    <lang>/index.html        home: the 17-goal dashboard and the contents
    <lang>/<section>.html    one page per chapter (parts as sub-sections)
    <lang>/goal-<n>.html     one page per goal, every indicator with its chart
    <lang>/indicator-<code>.html   indicator detail: chart, data table, metadata, provenance
    <lang>/downloads.html    the other formats and every indicator's CSV
    <lang>/data/<code>.csv   the headline series

Charts are Vega-Lite specifications embedded in the page as JSON (no fetch), so the site works
opened from disk (file://) as well as served.  Everything is vendored; nothing is loaded from
the network.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from vlrkit.report import charts
from vlrkit.report.i18n import fmt, label
from vlrkit.report.model import IndicatorView, Report

STATIC_FILES = ("vlr.css", "vlr.js", "vega.min.js", "vega-lite.min.js", "vega-embed.min.js",
                "LICENSE-vega.txt")


@dataclass(frozen=True)
class Download:
    href: str  # relative to a language folder
    label: str


def _chart_alt(i: IndicatorView, lang: str) -> str:
    if not i.series:
        return label("no_data", lang)
    t = label("chart_alt_target", lang, v=i.target.text, y=i.target.year) if i.target else ""
    return label("chart_alt", lang, name=i.name, n=len(i.series), a=i.series[0][0],
                 b=i.series[-1][0], t=t)


@lru_cache(maxsize=4)
def _env(lang: str) -> Any:
    import jinja2

    from vlrkit.sdg import STATUS_COLOURS, text_colour

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("vlrkit.report.html", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["textcolour"] = text_colour
    env.filters["statuscolour"] = lambda c: STATUS_COLOURS.get(c or "", "#FFFFFF")
    env.filters["num"] = lambda v, d=None: fmt(v, None if d is None or d < 0 else d)
    env.filters["chart_alt"] = lambda i: _chart_alt(i, lang)
    return env


def _spec_json(i: IndicatorView, lang: str, colour: str) -> str:
    # "</" must not appear inside a <script> element.
    return json.dumps(charts.spec(i, lang, colour), ensure_ascii=False).replace("</", "<\\/")


def copy_static(site: Path) -> None:
    static = site / "static"
    static.mkdir(parents=True, exist_ok=True)
    src = resources.files("vlrkit.report.html").joinpath("static")
    for name in STATIC_FILES:
        with resources.as_file(src.joinpath(name)) as path:
            shutil.copyfile(path, static / name)


def render_fragment(report: Report, template: str, **context: Any) -> str:
    """Render one template of the site for ``report`` (used by the snapshot tests)."""
    env = _env(report.lang)
    base = _context(report, [report], "x.html")
    base.update(context)
    return env.get_template(template).render(**base)


def _context(r: Report, reports: Sequence[Report], filename: str) -> dict[str, Any]:
    comp = label("completeness", r.lang, c=r.completeness[0], t=r.completeness[1],
                 p=round(r.completeness[2] * 100))
    return {
        "r": r,
        "L": r.labels,
        "filename": filename,
        "others": [{"lang": o.lang, "name": label("lang_name", o.lang)} for o in reports if o.lang != r.lang],
        "generated": label("generated", r.lang, d=r.generated),
        "completeness": comp,
        "charts": False,
    }


def render_language(r: Report, reports: Sequence[Report], site: Path,
                    downloads: Sequence[Download] = ()) -> list[Path]:
    """Write every page of one language; returns the files written."""
    env = _env(r.lang)
    folder = site / r.lang
    (folder / "data").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    goal_colour = {g.number: g.colour for g in r.goals}
    specs = {i.code: _spec_json(i, r.lang, charts.LINE_COLOUR) for i in r.indicators() if i.series}
    progress = r.section("GE-6")

    def page(template: str, filename: str, title: str, **extra: Any) -> None:
        ctx = _context(r, reports, filename)
        ctx.update(page_title=title, **extra)
        path = folder / filename
        path.write_text(env.get_template(template).render(**ctx), encoding="utf-8")
        written.append(path)

    page("index.html", "index.html", r.title)
    for s in r.sections:
        page("section.html", f"{s.slug}.html", s.title, s=s)
    for g in r.goals:
        page("goal.html", f"goal-{g.number}.html", f"{label('goal', r.lang)} {g.number}", g=g,
             specs=specs, charts=bool(g.with_data), progress_slug=progress.slug,
             progress_title=progress.title,
             coverage=label("coverage_n", r.lang, n=g.with_data, m=g.total))
    for i in r.indicators():
        page("indicator.html", f"indicator-{i.slug}.html", i.name, i=i, specs=specs,
             charts=bool(i.series), goal_title=r.goals[i.goal - 1].title if 1 <= i.goal <= 17 else "")
        if i.series:
            with open(folder / "data" / f"{i.slug}.csv", "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(["indicator", "period", "year", "value", "unit"])
                for y, p, v in i.series:
                    w.writerow([i.code, p, y, v, i.unit])
    page("downloads.html", "downloads.html", label("downloads", r.lang), downloads=list(downloads))
    del goal_colour
    return written


def render_site(reports: Sequence[Report], site: Path,
                downloads: Mapping[str, Sequence[Download]] | None = None) -> Path:
    """Write the whole site for ``reports`` (one per language) into ``site``; returns its index."""
    site.mkdir(parents=True, exist_ok=True)
    copy_static(site)
    for r in reports:
        render_language(r, reports, site, (downloads or {}).get(r.lang, ()))
    root = _env(reports[0].lang).get_template("root.html").render(
        first=reports[0].lang,
        title=" / ".join(dict.fromkeys(r.title for r in reports)),
        langs=[{"lang": r.lang, "name": label("lang_name", r.lang)} for r in reports],
    )
    index = site / "index.html"
    index.write_text(root, encoding="utf-8")
    return index
