"""Sanitised narrative HTML → a small tree of document nodes that print renderers lay out.

The narratives reach every renderer as HTML cleaned by :mod:`vlrkit.report.markdown` (a closed
set of tags).  The PDF (Typst) and the DOCX renderers do not read HTML themselves: they read the
nodes :func:`nodes` returns — plain dicts, JSON-able, so the Typst template can read them too:

    {"k": "h", "l": 3, "r": runs}             a heading inside a narrative (level 3 … 6)
    {"k": "p", "r": runs}                     a paragraph
    {"k": "list", "o": False, "items": [[node, …], …]}
    {"k": "quote", "c": [node, …]}
    {"k": "code", "t": "text"}               a code block
    {"k": "table", "head": [runs, …], "rows": [[runs, …], …]}
    {"k": "hr"}

A *run* is ``{"t": text}`` with optional flags ``b`` (bold), ``i`` (italic), ``m`` (monospace),
``sup``, ``sub`` and ``u`` (a link's URL).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

Node = dict[str, Any]
Run = dict[str, Any]

#: Heading tags of a narrative → node level (the narrative's own h1 became h2 when sanitised,
#: below the section's title).
HEADINGS = {"h2": 3, "h3": 4, "h4": 5, "h5": 6, "h6": 6}
_FLAGS = {"strong": "b", "b": "b", "em": "i", "i": "i", "code": "m", "sup": "sup", "sub": "sub"}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list[Node] = []
        self.stack: list[list[Node]] = [self.root]  # where block nodes go
        self.runs: list[Run] | None = None  # the open paragraph's runs
        self.flags: dict[str, int] = {}
        self.href: list[str] = []
        self.lists: list[Node] = []
        self.table: Node | None = None
        self.row: list[list[Run]] | None = None
        self.cell: list[Run] | None = None
        self.in_head = False
        self.pre: list[str] | None = None

    # --- helpers
    def _open(self, node: Node) -> None:
        self.stack[-1].append(node)
        self.runs = node["r"]

    def _close_par(self) -> None:
        if self.runs is not None and not any(r["t"].strip() for r in self.runs):
            container = self.stack[-1]
            if container and container[-1].get("r") is self.runs and container[-1]["k"] == "p":
                container.pop()
        self.runs = None

    def _target(self) -> list[Run]:
        if self.cell is not None:
            return self.cell
        if self.runs is None:
            self._open({"k": "p", "r": []})
        assert self.runs is not None
        return self.runs

    # --- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.pre is not None:
            return
        if tag == "table":
            self._close_par()
            self.table = {"k": "table", "head": [], "rows": []}
            self.stack[-1].append(self.table)
        elif tag == "thead":
            self.in_head = True
        elif tag == "tbody":
            self.in_head = False
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "p":
            self._close_par()
            self._open({"k": "p", "r": []})
        elif tag in HEADINGS:
            self._close_par()
            self._open({"k": "h", "l": HEADINGS[tag], "r": []})
        elif tag in ("ul", "ol"):
            self._close_par()
            node: Node = {"k": "list", "o": tag == "ol", "items": []}
            self.stack[-1].append(node)
            self.lists.append(node)
        elif tag == "li" and self.lists:
            self._close_par()
            item: list[Node] = []
            self.lists[-1]["items"].append(item)
            self.stack.append(item)
        elif tag == "blockquote":
            self._close_par()
            quote: Node = {"k": "quote", "c": []}
            self.stack[-1].append(quote)
            self.stack.append(quote["c"])
        elif tag == "pre":
            self._close_par()
            self.pre = []
        elif tag == "hr":
            self._close_par()
            self.stack[-1].append({"k": "hr"})
        elif tag == "br":
            self._target().append({"t": "\n"})
        elif tag in _FLAGS:
            self.flags[_FLAGS[tag]] = self.flags.get(_FLAGS[tag], 0) + 1
        elif tag == "a":
            self.href.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.pre is not None:
            if tag == "pre":
                self.stack[-1].append({"k": "code", "t": "".join(self.pre).rstrip("\n")})
                self.pre = None
            return
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None and self.table is not None:
            if self.in_head or (not self.table["head"] and not self.table["rows"] and self._all_th):
                self.table["head"] = self.row
            else:
                self.table["rows"].append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None
        elif tag in ("p", *HEADINGS):
            self._close_par()
        elif tag == "li" and self.lists:
            self._close_par()
            if len(self.stack) > 1:
                self.stack.pop()
        elif tag in ("ul", "ol") and self.lists:
            self._close_par()
            self.lists.pop()
        elif tag == "blockquote" and len(self.stack) > 1:
            self._close_par()
            self.stack.pop()
        elif tag in _FLAGS:
            key = _FLAGS[tag]
            self.flags[key] = max(0, self.flags.get(key, 0) - 1)
        elif tag == "a" and self.href:
            self.href.pop()

    _all_th = False

    def handle_data(self, data: str) -> None:
        if self.pre is not None:
            self.pre.append(data)
            return
        if self.table is not None and self.cell is None:
            return  # whitespace between table tags
        if self.runs is None and self.cell is None and not data.strip():
            return
        run: Run = {"t": data}
        for flag, n in self.flags.items():
            if n:
                run[flag] = 1
        if self.href and self.href[-1]:
            run["u"] = self.href[-1]
        self._target().append(run)


def nodes(html: str) -> list[Node]:
    """The document nodes of sanitised narrative HTML (``[]`` for none)."""
    if not html.strip():
        return []
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.root


def plain(runs: list[Run]) -> str:
    """The text of a list of runs."""
    return "".join(r["t"] for r in runs)
