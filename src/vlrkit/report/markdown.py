"""The city's Markdown narratives → sanitised HTML (markdown-it-py, then nh3).

Narratives are written by many hands (and stakeholders' contributions come from outside), so the
HTML is cleaned with an allow-list: no scripts, no event handlers, no ``javascript:`` links, no
styles.  Every renderer (HTML, PDF, DOCX) starts from this sanitised HTML.
"""

from __future__ import annotations

import re
from functools import lru_cache

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
        "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr",
        "th", "td", "sup", "sub", "abbr",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})


#: ``**bold**`` whose closing marks follow CJK punctuation (``**要点。**正文``): CommonMark's
#: flanking rules do not close it, so it is turned into ``<strong>`` before parsing.
_CJK_STRONG = re.compile(r"\*\*(?=\S)([^*\n]*?[\u3000-\u303f\uff00-\uffef])\*\*")


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def to_html(markdown: str) -> str:
    """Render Markdown to HTML and sanitise it; the result is safe to insert into a page."""
    import nh3

    if not markdown.strip():
        return ""
    raw = _parser().render(_CJK_STRONG.sub(r"<strong>\1</strong>", markdown))
    # h1 is the section title; shift a narrative's own h1 down so headings stay in order.
    raw = raw.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        raw,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def to_text(markdown: str) -> str:
    """Markdown (e.g. a stakeholder's input) → plain text, every tag and script removed."""
    import html

    import nh3

    return html.unescape(nh3.clean(to_html(markdown), tags=set(), strip_comments=True)).strip()
