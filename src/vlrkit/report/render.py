"""Render a review in several formats and languages into one output folder.

Layout of ``out``::

    vlr-<lang>.json  vlr-<lang>.pdf  vlr-<lang>.docx    one per language
    datapackage/datapackage.json (+ CSV resources)       everything quantitative
    html/index.html, html/<lang>/…                      the static site, self-contained:
    html/files/…                                         its own copy of the downloads
    .vlrkit/                                            what a re-run reuses (see below)

**Only what changed is rebuilt.**  Each output is written with the digest of what it was made
from (the report model of its language, or the review, and the renderer's own code) in
``.vlrkit/manifest.json``; a re-run into the same folder skips every output whose digest is
unchanged and still on disk, so after one narrative edit only that language's files are
written again.  The static charts are kept as files there too (:class:`charts.ChartFiles`) and
rendered only when their specification changes.

**In parallel.**  The chart renderer (vl-convert) and the PDF layout (Typst) run outside the
GIL, in threads, while this thread writes the JSON, the data package, the site and the DOCX.

Exceptions: :class:`ReportError` (a user error: unknown format or language).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from vlrkit.report.build import build_report
from vlrkit.report.i18n import label
from vlrkit.report.model import Report
from vlrkit.review import Review

FORMATS: tuple[str, ...] = ("html", "pdf", "docx", "json", "datapackage")
LANGUAGES: tuple[str, ...] = ("zh-Hans", "en")
#: At most this many threads render charts and lay out PDFs beside the main thread.
MAX_WORKERS = 2
#: The folder of ``out`` that keeps the digests and the chart files between runs.
STATE = ".vlrkit"
#: The site's own copy of the downloadable files (``html/files``), so the site stands alone.
SITE_FILES = "files"
#: Charts per rendering task (several tasks, so that an idle thread takes the next one).
CHART_CHUNK = 16


class ReportError(ValueError):
    """The request cannot be rendered (unknown format or language); a user error."""


@dataclass(frozen=True)
class Rendered:
    """What :func:`render` wrote (``skipped``: outputs left as they were, already current)."""

    out: Path
    files: tuple[Path, ...]
    reports: tuple[Report, ...]
    skipped: tuple[Path, ...] = ()


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


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the renderers' code, templates and assets: a new vlrkit rebuilds everything."""
    h = hashlib.sha1()
    root = resources.files("vlrkit.report")
    with resources.as_file(root) as folder:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".typ", ".css", ".js") and "__pycache__" not in path.parts:
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def model_digest(report: Report) -> str:
    """The digest of one language's report model (and of the code that renders it)."""
    data = json.dumps(report.to_dict(), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1((code_digest() + data).encode("utf-8")).hexdigest()


class _Manifest:
    """Output (relative to ``out``) → digest of what it was made from, kept in ``.vlrkit``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / STATE / "manifest.json"
        try:
            self.known: dict[str, str] = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.known = {}

    def fresh(self, path: Path, digest: str) -> bool:
        rel = path.relative_to(self.out).as_posix()
        return self.known.get(rel) == digest and path.exists()

    def record(self, path: Path, digest: str) -> None:
        self.known[path.relative_to(self.out).as_posix()] = digest

    def forget(self, path: Path) -> None:
        self.known.pop(path.relative_to(self.out).as_posix(), None)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".part")
        tmp.write_text(json.dumps(self.known, indent=0, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)


def _site(reports: Sequence[Report], formats: Sequence[str], out: Path, only: set[str]) -> Path:
    """Write the static HTML site (the languages in ``only``) with its download links."""
    from vlrkit.report.html.render import Download, render_site

    downloads = {}
    for r in reports:
        items = [Download(f"../{SITE_FILES}/vlr-{r.lang}.{fmt}", label(fmt, r.lang))
                 for fmt in ("pdf", "docx", "json") if fmt in formats]
        if "datapackage" in formats:
            items.append(Download(f"../{SITE_FILES}/datapackage/datapackage.json", label("data_package", r.lang)))
        downloads[r.lang] = items
    return render_site(reports, out / "html", downloads, only=only)


def _place(src: Path, dst: Path) -> None:
    """``dst`` becomes the same file as ``src`` (a hard link where the file system allows)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        if dst.exists() and os.path.samefile(src, dst):
            return
    except OSError:
        pass
    tmp = dst.with_name(dst.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    tmp.replace(dst)


def _site_files(out: Path, files: Sequence[Path]) -> None:
    """Put the downloadable files into the site's own ``files`` folder."""
    target = out / "html" / SITE_FILES
    for f in files:
        if f.suffix in (".pdf", ".docx", ".json") and f.parent == out:
            _place(f, target / f.name)
        elif f.name == "datapackage.json":
            for part in f.parent.iterdir():
                if part.is_file():
                    _place(part, target / "datapackage" / part.name)


def render(
    review: Review,
    formats: Sequence[str] = FORMATS,
    langs: Sequence[str] = LANGUAGES,
    out: Path = Path("report"),
    *,
    assessment: Any = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    cache: Path | None = None,
) -> Rendered:
    """Render ``review`` in ``formats`` × ``langs`` into ``out``; ``progress`` is told each step
    (always from the calling thread).

    ``workers`` threads (``None``: the number of CPUs, at most :data:`MAX_WORKERS`; ``1``:
    none) render the charts and lay out the PDFs while this thread writes the other formats.
    ``cache`` is where the chart files are kept between runs (default ``out/.vlrkit``).
    """
    from vlrkit.report import charts

    formats = parse_list(formats, FORMATS, "format")
    langs = parse_list(langs, LANGUAGES, "language")
    tick = progress or (lambda _step: None)
    out.mkdir(parents=True, exist_ok=True)
    manifest = _Manifest(out)
    files_store = charts.ChartFiles(cache or out / STATE)
    static = "pdf" in formats or "docx" in formats
    n_workers = _workers(workers)
    pool = ThreadPoolExecutor(n_workers, thread_name_prefix="vlr-report") if n_workers > 1 else None
    written: list[Path] = []
    skipped: list[Path] = []

    def wrote(path: Path, digest: str) -> None:
        manifest.record(path, digest)
        written.append(path)

    try:
        reports = []
        for lang in langs:
            reports.append(build_report(review, lang, assessment))
            tick(f"model {lang}")
        digests = {r.lang: model_digest(r) for r in reports}
        # The charts every PDF and DOCX shows: language-neutral, each rendered once.
        specs = charts.print_specs(reports) if static else []
        need = {"svg": "pdf" in formats, "png": "docx" in formats}
        todo = [r for r in reports if not manifest.fresh(out / f"vlr-{r.lang}.pdf", digests[r.lang])] \
            if "pdf" in formats else []
        docx_todo = [r for r in reports if not manifest.fresh(out / f"vlr-{r.lang}.docx", digests[r.lang])] \
            if "docx" in formats else []
        chart_specs = specs if (todo or docx_todo) else []

        def draw(chunk: list[dict[str, Any]]) -> None:
            for c in chunk:
                if need["svg"] or need["png"]:
                    files_store.svg(c)
                if need["png"] and docx_todo:
                    files_store.png(c)

        missing = [c for c in chart_specs if files_store.missing([c], "png" if docx_todo else "svg")]
        chunks = [missing[i:i + CHART_CHUNK] for i in range(0, len(missing), CHART_CHUNK)]
        chart_jobs: list[Future[None]] = [pool.submit(draw, ch) for ch in chunks] if pool else []

        def pdf(r: Report) -> Path:
            from vlrkit.report.pdf import render_pdf

            for job in chart_jobs:
                job.result()
            return render_pdf(r, out / f"vlr-{r.lang}.pdf", files_store)

        pdf_jobs = [(r, pool.submit(pdf, r)) for r in todo] if pool else []
        for r in reports:
            if "json" in formats:
                from vlrkit.report.jsonfile import render_json

                path = out / f"vlr-{r.lang}.json"
                if manifest.fresh(path, digests[r.lang]):
                    skipped.append(path)
                else:
                    wrote(render_json(r, path), digests[r.lang])
                tick(f"json {r.lang}")
        if "datapackage" in formats:
            from vlrkit.report.datapackage import render_datapackage

            written.append(render_datapackage(review, reports, out / "datapackage"))
            tick("datapackage")
        if "html" in formats:
            index = out / "html" / "index.html"
            stale = {r.lang for r in reports if not manifest.fresh(out / "html" / r.lang / "index.html", digests[r.lang])}
            site_digest = hashlib.sha1("".join(sorted(digests.values())).encode()).hexdigest()
            if stale or not manifest.fresh(index, site_digest):
                _site(reports, formats, out, stale)
                for r in reports:
                    if r.lang in stale:
                        manifest.record(out / "html" / r.lang / "index.html", digests[r.lang])
                wrote(index, site_digest)
            else:
                skipped.append(index)
            tick("html")
        if static:
            if pool is None:
                for ch in chunks:
                    draw(ch)
            for job in chart_jobs:
                job.result()
            tick("charts")
        if "docx" in formats:
            from vlrkit.report.docx import render_docx

            for r in reports:
                path = out / f"vlr-{r.lang}.docx"
                if r in docx_todo:
                    wrote(render_docx(r, path, files_store), digests[r.lang])
                else:
                    skipped.append(path)
                tick(f"docx {r.lang}")
        if "pdf" in formats:
            done = dict((id(r), job) for r, job in pdf_jobs)
            for r in reports:
                path = out / f"vlr-{r.lang}.pdf"
                if r in todo:
                    result = done[id(r)].result() if pool else pdf(r)
                    wrote(result, digests[r.lang])
                else:
                    skipped.append(path)
                tick(f"pdf {r.lang}")
        if "html" in formats:
            _site_files(out, [*written, *skipped])
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        manifest.save()
    return Rendered(out, tuple(written), tuple(reports), tuple(skipped))
