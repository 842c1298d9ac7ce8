"""The PDF renderer: the report model → print HTML → PDF with WeasyPrint.

A4 print layout with a cover, a table of contents with page numbers (``target-counter``),
bookmarks from the headings, page numbers in the footer and the chapter title in the header.
Charts are high-resolution PNGs of :mod:`vlrkit.report.charts` (≈ 220 dpi at print width)
rather than SVG: WeasyPrint turns each centred SVG label into a form XObject listed in the
resources of every page, which made poppler-based readers take seconds per page.  Text is set in
Noto Sans CJK (Debian ``fonts-noto-cjk``), which WeasyPrint finds through fontconfig and
embeds (subset), so Chinese renders on any reader.  The chart images reach WeasyPrint through
a URL fetcher (``vlrkit-chart:<key>``) rather than as data URIs, so that a 10 MB HTML string
need not be parsed and base64-decoded for each PDF.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vlrkit.report import charts
from vlrkit.report.i18n import label
from vlrkit.report.model import Report

#: Font family asked of fontconfig; Simplified Chinese variant of Noto Sans CJK.
PDF_FONT = "Noto Sans CJK SC"
#: URL scheme of chart images served to WeasyPrint by :func:`render_pdf`'s fetcher.
CHART_SCHEME = "vlrkit-chart:"


def chart_pngs(report: Report, pngs: Mapping[str, bytes] | None = None) -> dict[str, tuple[str, bytes]]:
    """Indicator code → (spec key, print PNG) of its chart (``pngs``: pre-rendered, by key)."""
    out = {}
    for i in report.indicators():
        if i.series:
            chart = charts.spec(i)
            k = charts.key(chart)
            out[i.code] = (k, (pngs or {}).get(k) or charts.render_png(chart, charts.PRINT_SCALE))
    return out


def chart_images(report: Report, pngs: Mapping[str, bytes] | None = None) -> dict[str, str]:
    """Indicator code → the chart as a PNG data URI (a self-contained print HTML)."""
    return {code: "data:image/png;base64," + base64.b64encode(png).decode()
            for code, (_k, png) in chart_pngs(report, pngs).items()}


def print_html(report: Report, pngs: Mapping[str, bytes] | None = None,
               images: Mapping[str, str] | None = None) -> str:
    """The single-document print HTML of ``report`` (what WeasyPrint lays out).

    ``images`` (indicator code → image URL) replaces the default data URIs of the charts.
    """
    from vlrkit.report.html.render import _context, _env

    ctx = _context(report, [report], "print.html")
    ctx.update(
        font=PDF_FONT,
        images=dict(images) if images is not None else chart_images(report, pngs),
        coverage={g.number: label("coverage_n", report.lang, n=g.with_data, m=g.total)
                  for g in report.goals},
    )
    return _env(report.lang).get_template("print.html").render(**ctx)


def render_pdf(report: Report, path: Path, pngs: Mapping[str, bytes] | None = None) -> Path:
    """Write ``report`` as a PDF to ``path`` (``pngs``: print charts already rendered, by key)."""
    from weasyprint import HTML

    found = chart_pngs(report, pngs)
    by_url = {CHART_SCHEME + k: png for k, png in found.values()}
    html = print_html(report, images={code: CHART_SCHEME + k for code, (k, _png) in found.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, url_fetcher=_fetcher(by_url)).write_pdf(path)
    return path


def _fetcher(by_url: Mapping[str, bytes]) -> Any:
    """A WeasyPrint URL fetcher that serves the chart PNGs and leaves other URLs to the default."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(CHART_SCHEME):
                if url not in by_url:
                    raise ValueError(f"unknown chart {url}")
                return URLFetcherResponse(url, by_url[url], {"Content-Type": "image/png"})
            return super().fetch(url, headers)

    return ChartFetcher()
