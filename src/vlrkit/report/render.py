"""Render a review in several formats and languages into one output folder.

Layout of ``out``::

    vlr-<lang>.json  vlr-<lang>.pdf  vlr-<lang>.docx    one per language
    datapackage/datapackage.json (+ CSV resources)       everything quantitative
    html/index.html, html/<lang>/…                      the static site

Exceptions: :class:`ReportError` (a user error: unknown format or language).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vlrkit.report.build import build_report
from vlrkit.report.i18n import label
from vlrkit.report.model import Report
from vlrkit.review import Review

FORMATS: tuple[str, ...] = ("html", "pdf", "docx", "json", "datapackage")
LANGUAGES: tuple[str, ...] = ("zh-Hans", "en")
#: At most this many worker processes render charts, PDF and DOCX in parallel.
MAX_WORKERS = 2


class ReportError(ValueError):
    """The request cannot be rendered (unknown format or language); a user error."""


@dataclass(frozen=True)
class Rendered:
    """What :func:`render` wrote."""

    out: Path
    files: tuple[Path, ...]
    reports: tuple[Report, ...]


def parse_list(value: str | Sequence[str], allowed: Sequence[str], what: str) -> tuple[str, ...]:
    items = [v.strip() for v in (value.split(",") if isinstance(value, str) else value) if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad or not items:
        raise ReportError(
            f"unknown {what} {', '.join(bad) or '(none given)'}; choose from {', '.join(allowed)} / "
            f"未知的{'格式' if what == 'format' else '语言'} {', '.join(bad) or '（未指定）'}，可选：{', '.join(allowed)}"
        )
    return tuple(dict.fromkeys(items))


def steps(formats: Sequence[str], langs: Sequence[str]) -> int:
    """How many progress steps :func:`render` reports."""
    per_lang = sum(f in formats for f in ("json", "pdf", "docx"))
    charts = "pdf" in formats or "docx" in formats
    return len(langs) * (1 + per_lang) + ("datapackage" in formats) + ("html" in formats) + charts


def _workers(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _warm_up(pdf: bool) -> None:
    """Import the chart (and PDF) stack in a fresh worker before its first job arrives."""
    import vl_convert  # noqa: F401

    import vlrkit.report.charts  # noqa: F401
    import vlrkit.report.docx  # noqa: F401

    if pdf:
        import weasyprint  # noqa: F401

        import vlrkit.report.pdf  # noqa: F401


def _site(reports: Sequence[Report], formats: Sequence[str], out: Path) -> Path:
    """Write the static HTML site with its download links."""
    from vlrkit.report.html.render import Download, render_site

    downloads = {}
    for r in reports:
        items = [Download(f"../../vlr-{r.lang}.{fmt}", label(fmt, r.lang))
                 for fmt in ("pdf", "docx", "json") if fmt in formats]
        if "datapackage" in formats:
            items.append(Download("../../datapackage/datapackage.json", label("data_package", r.lang)))
        downloads[r.lang] = items
    return render_site(reports, out / "html", downloads)


def render(
    review: Review,
    formats: Sequence[str] = FORMATS,
    langs: Sequence[str] = LANGUAGES,
    out: Path = Path("report"),
    *,
    assessment: Any = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = 1,
) -> Rendered:
    """Render ``review`` in ``formats`` × ``langs`` into ``out``; ``progress`` is told each step.

    Each chart is rendered once, as one print-resolution PNG shared by the PDF and the DOCX of
    every language.  With ``workers`` > 1 (``None``: the number of CPUs, at most
    :data:`MAX_WORKERS`) worker processes render the charts while this process writes the JSON,
    the data package and the site, then lay out the PDFs and write the DOCX files; the default
    ``1`` renders everything here.  Workers are spawned, so a
    script that asks for them needs the usual ``if __name__ == "__main__":`` guard (``vlr
    report`` has it).
    """
    from vlrkit.report import charts
    from vlrkit.report.docx import render_docx
    from vlrkit.report.pdf import render_pdf

    formats = parse_list(formats, FORMATS, "format")
    langs = parse_list(langs, LANGUAGES, "language")
    tick = progress or (lambda _step: None)
    out.mkdir(parents=True, exist_ok=True)
    static = "pdf" in formats or "docx" in formats
    n_workers = _workers(workers)
    pool = None
    if n_workers > 1 and static:
        # Charts (vl-convert) and PDF layout (WeasyPrint) are the slow parts.  The workers start
        # now, importing their stack while this process builds the models.  spawn, not fork:
        # vl-convert and polars run threads that a fork would copy half-way.
        pool = ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_warm_up, initargs=("pdf" in formats,))
    try:
        files: list[Path] = []
        reports = []
        for lang in langs:
            reports.append(build_report(review, lang, assessment))
            tick(f"model {lang}")
        specs = charts.static_specs(i for r in reports for i in r.indicators()) if static else {}
        # Several shares per worker so that a worker that finishes early takes the next one.
        chart_jobs = [pool.submit(charts.render_batch, share)
                      for share in charts.shares(specs, 2 * n_workers)] if pool is not None else []
        for r in reports:
            if "json" in formats:
                from vlrkit.report.jsonfile import render_json

                files.append(render_json(r, out / f"vlr-{r.lang}.json"))
                tick(f"json {r.lang}")
        if "datapackage" in formats:
            from vlrkit.report.datapackage import render_datapackage

            files.append(render_datapackage(review, reports, out / "datapackage"))
            tick("datapackage")
        site_done = False
        if "html" in formats and chart_jobs:  # the site needs no static chart: make it meanwhile
            files.append(_site(reports, formats, out))
            tick("html")
            site_done = True
        pngs: dict[str, bytes] = {}
        if static:
            for chart_job in chart_jobs:
                pngs.update(chart_job.result())
            if pool is None:
                pngs = charts.render_static(specs)
            tick("charts")
        # In the pool the PDFs (the longest jobs, ~7 s each for the demo) go first and the DOCX
        # files queue behind them, taken by whichever worker finishes its PDF first.
        jobs = []
        for fmt, make in (("pdf", render_pdf), ("docx", render_docx)):
            if fmt not in formats:
                continue
            for r in reports:
                path = out / f"vlr-{r.lang}.{fmt}"
                if pool is not None:
                    jobs.append((f"{fmt} {r.lang}", pool.submit(make, r, path, pngs)))
                else:
                    files.append(make(r, path, pngs))
                    tick(f"{fmt} {r.lang}")
        if "html" in formats and not site_done:
            files.append(_site(reports, formats, out))
            tick("html")
        for step, job in jobs:
            files.append(job.result())
            tick(step)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return Rendered(out, tuple(files), tuple(reports))
