"""HTML pages: the text of block elements, scripts, styles and navigation left out."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from vlrkit.align.documents import Document
from vlrkit.align.documents.text import decode

BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "br",
          "section", "article", "blockquote", "dd", "dt", "caption", "pre", "table", "ul", "ol"}
SKIP = {"script", "style", "nav", "noscript", "template", "svg", "head"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIP:
            self.skip += 1
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP and self.skip:
            self.skip -= 1
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def read_html(data: bytes, name: str) -> Document:
    parser = _Text()
    parser.feed(decode(data, name))
    parser.close()
    paras = [" ".join(p.split()) for p in "".join(parser.parts).split("\n\n")]
    return Document(name, "html", "\n\n".join(p for p in paras if p))
