"""The HTML renderer: a static multi-page site per language (see :mod:`.render`)."""

from vlrkit.report.html.render import render_site

__all__ = ["render_site"]
