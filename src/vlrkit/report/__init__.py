"""The review as a published document: one report model, many renderers.

    >>> from vlrkit.report import build_report, render
    >>> report = build_report(review, "zh-Hans")            # the frozen model
    >>> render(review, ["html", "pdf"], ["zh-Hans", "en"], Path("out"))

Renderers: :mod:`.html` (static site), :mod:`.pdf` (Typst), :mod:`.docx` (python-docx),
:mod:`.jsonfile` (the model) and :mod:`.datapackage` (Frictionless); charts in :mod:`.charts`.
"""

from vlrkit.report.build import build_report
from vlrkit.report.model import Report
from vlrkit.report.render import FORMATS, LANGUAGES, Rendered, ReportError, render

__all__ = ["FORMATS", "LANGUAGES", "Rendered", "Report", "ReportError", "build_report", "render"]
