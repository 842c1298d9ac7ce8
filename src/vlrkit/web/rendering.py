"""Render a review's publication with :mod:`vlrkit.report` (the web only picks the folder).

The formats are written into a fresh folder beside the target and swapped in when complete, so
a visitor never sees half a site and a failed rendering leaves the previous one in place.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vlrkit.web.editions import EditionKey


class NotAvailable(Exception):
    """The report could not be rendered (renderer missing or failed); the message says why."""


def _alignment(edition: EditionKey, assessment, langs: Iterable[str]) -> dict[str, dict]:
    """GE-5c and GE-7 blocks per language from the edition's accepted alignment mappings."""
    from vlrkit.report.progress import from_assessment
    from vlrkit.store.align.queries import report_sections

    scores = {g: p.score for g, p in from_assessment(assessment).goals.items()}
    return {lang: report_sections(lang, scores, edition=edition.code, entity=edition.entity) for lang in langs}


def render(edition: EditionKey, out: Path, langs: Iterable[str],
           progress: Callable[[int, int, str], None] | None = None) -> Path:
    """Render every format of ``edition`` in ``langs`` into ``out`` (replacing what was there),
    with the accepted policy-alignment mappings in sections GE-5c and GE-7.

    ``progress(done, total, step)`` is told each step: ``load`` (review and assessment), the
    report's own steps (:func:`vlrkit.report.render.steps`), then ``swap`` (files in place)."""
    from vlrkit.report import FORMATS, ReportError
    from vlrkit.report import render as render_report
    from vlrkit.report.build import added_blocks
    from vlrkit.report.render import steps
    from vlrkit.web import snapshot

    langs = tuple(langs)
    total = steps(FORMATS, langs) + 2
    done = [0]

    def tick(step: str) -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], total, step)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        review = snapshot.review(edition)
        # rendered as it will be once the status changes (the report marks drafts as drafts)
        review = replace(review, edition=replace(review.edition, status="published"))
        assessment = snapshot.assessment(edition)
        tick("load")
        with added_blocks(_alignment(edition, assessment, langs)):
            render_report(review, FORMATS, langs, tmp, assessment=assessment, workers=1, progress=tick)
    except (ReportError, OSError, ValueError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise NotAvailable(f"{type(exc).__name__}: {exc}") from exc
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    tick("swap")
    return out
