"""Render a review's publication with :mod:`vlrkit.report` (the web only picks the folder).

The formats are written into a fresh folder beside the target and swapped in when complete, so
a visitor never sees half a site and a failed rendering leaves the previous one in place.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path


class NotAvailable(Exception):
    """The report could not be rendered (renderer missing or failed); the message says why."""


def render(edition: str, out: Path, langs: Iterable[str]) -> Path:
    """Render every format of ``edition`` in ``langs`` into ``out`` (replacing what was there)."""
    from vlrkit.report import FORMATS, ReportError
    from vlrkit.report import render as render_report
    from vlrkit.web import snapshot

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        review = snapshot.review(edition)
        # rendered as it will be once the status changes (the report marks drafts as drafts)
        review = replace(review, edition=replace(review.edition, status="published"))
        render_report(review, FORMATS, tuple(langs), tmp,
                      assessment=snapshot.assessment(edition), workers=1)
    except (ReportError, OSError, ValueError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise NotAvailable(f"{type(exc).__name__}: {exc}") from exc
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return out
