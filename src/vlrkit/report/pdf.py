"""The PDF renderer: the report model → print HTML → PDF with WeasyPrint.

A4 print layout with a cover, a table of contents with page numbers (``target-counter``),
bookmarks from the headings, page numbers in the footer and the chapter title in the header.
Charts are high-resolution PNGs of :mod:`vlrkit.report.charts` (≈ 220 dpi at print width)
rather than SVG: WeasyPrint turns each centred SVG label into a form XObject listed in the
resources of every page, which made poppler-based readers take seconds per page.  Text is set in
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


def chart_images(report: Report, pngs: Mapping[str, bytes] | None = None) -> dict[str, str]:
    """Indicator code → the chart as a PNG data URI (``pngs``: pre-rendered, by spec key)."""
    out = {}
    for i in report.indicators():
        if i.series:
            chart = charts.spec(i)
            png = (pngs or {}).get(charts.key(chart)) or charts.render_png(chart, charts.PRINT_SCALE)
            out[i.code] = "data:image/png;base64," + base64.b64encode(png).decode()
    return out


def print_html(report: Report, pngs: Mapping[str, bytes] | None = None) -> str:
    """The single-document print HTML of ``report`` (what WeasyPrint lays out)."""
    from vlrkit.report.html.render import _context, _env

    ctx = _context(report, [report], "print.html")
    ctx.update(
        font=PDF_FONT,
        images=chart_images(report, pngs),
        coverage={g.number: label("coverage_n", report.lang, n=g.with_data, m=g.total)
                  for g in report.goals},
    )
    return _env(report.lang).get_template("print.html").render(**ctx)


def render_pdf(report: Report, path: Path, pngs: Mapping[str, bytes] | None = None) -> Path:
    """Write ``report`` as a PDF to ``path`` (``pngs``: print charts already rendered, by key)."""
    from weasyprint import HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=print_html(report, pngs)).write_pdf(path)
    return path
