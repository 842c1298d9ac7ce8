"""The PDF renderer: the report model → print HTML → PDF with WeasyPrint.

A4 print layout with a cover, a table of contents with page numbers (``target-counter``),
bookmarks from the headings, page numbers in the footer and the chapter title in the header.
Charts are the vl-convert SVGs of :mod:`vlrkit.report.charts` (vector).  Text is set in
Noto Sans CJK (Debian ``fonts-noto-cjk``), which WeasyPrint finds through fontconfig and
embeds (subset), so Chinese renders on any reader.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path

from vlrkit.report import charts
from vlrkit.report.i18n import label
from vlrkit.report.model import Report

#: Font family asked of fontconfig; Simplified Chinese variant of Noto Sans CJK.
PDF_FONT = "Noto Sans CJK SC"


def chart_images(report: Report, svgs: Mapping[str, str] | None = None) -> dict[str, str]:
    """Indicator code → the static chart as an SVG data URI (``svgs``: pre-rendered, by spec key)."""
    out = {}
    for i in report.indicators():
        if i.series:
            chart = charts.spec(i)
            svg = (svgs or {}).get(charts.key(chart)) or charts.render_svg(chart)
            out[i.code] = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return out


def print_html(report: Report, svgs: Mapping[str, str] | None = None) -> str:
    """The single-document print HTML of ``report`` (what WeasyPrint lays out)."""
    from vlrkit.report.html.render import _context, _env

    ctx = _context(report, [report], "print.html")
    ctx.update(
        font=PDF_FONT,
        images=chart_images(report, svgs),
        coverage={g.number: label("coverage_n", report.lang, n=g.with_data, m=g.total)
                  for g in report.goals},
    )
    return _env(report.lang).get_template("print.html").render(**ctx)


def render_pdf(report: Report, path: Path, svgs: Mapping[str, str] | None = None) -> Path:
    """Write ``report`` as a PDF to ``path`` (``svgs``: charts already rendered, by spec key)."""
    from weasyprint import HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=print_html(report, svgs)).write_pdf(path)
    return path
