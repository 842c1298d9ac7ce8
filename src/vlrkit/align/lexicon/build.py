"""Build-time converter: Aurora SDG queries (v5) and the OSDG keyword map into package data.

Run once by a developer (never at run time, never by the tests)::

    python -m vlrkit.align.lexicon.build /path/to/reference/sdg-keywords

It writes ``aurora.json`` (per target: the query lines as small expression trees that
:mod:`vlrkit.align.signals` evaluates on word tokens) and ``osdg.json`` (goal → terms) beside
this file.  Aurora queries: CC BY 4.0, Aurora Universities Network; OSDG keyword map: see NOTICE.

Aurora's SCOPUS syntax is reduced to four node kinds::

    ["term", "road safety"]            a quoted phrase; ``*`` is a wildcard within a word
    ["or", a, b, ...]                  any child matches
    ["and", a, b, ...]                 every child matches somewhere in the passage
    ["near", n, a, b]                  a and b match within n words (W/n, PRE/n)
    ["not", a, b]                      a matches and b does not (AND NOT)
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AQD = "{http://aurora-network.global/queries/namespace/}"
DC = "{http://dublincore.org/documents/dcmi-namespace/}"

_TOKEN = re.compile(r'"([^"]*)"|\(|\)|AND\s+NOT|AND|OR|W/\d+|PRE/\d+', re.IGNORECASE)

Node = list[Any]


class _Parser:
    """Recursive descent over Aurora/SCOPUS boolean tokens (precedence: OR > W/n > AND)."""

    def __init__(self, text: str) -> None:
        self.toks: list[tuple[str, str]] = []
        for m in _TOKEN.finditer(text):
            if m.group(1) is not None:
                self.toks.append(("T", m.group(1).strip()))
            else:
                self.toks.append(("O", " ".join(m.group(0).upper().split())))
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.and_expr()
        if self.peek() is not None:
            raise ValueError(f"unexpected token {self.peek()}")
        return node

    def and_expr(self) -> Node:
        node = self.near_expr()
        while (tok := self.peek()) and tok[1] in ("AND", "AND NOT"):
            self.take()
            right = self.near_expr()
            node = ["and", node, right] if tok[1] == "AND" else ["not", node, right]
        return node

    def near_expr(self) -> Node:
        node = self.or_expr()
        while (tok := self.peek()) and tok[1].startswith(("W/", "PRE/")):
            self.take()
            n = int(tok[1].split("/")[1])
            node = ["near", n, node, self.or_expr()]
        return node

    def or_expr(self) -> Node:
        items = [self.atom()]
        while (tok := self.peek()) and tok[1] == "OR":
            self.take()
            items.append(self.atom())
        return items[0] if len(items) == 1 else ["or", *items]

    def atom(self) -> Node:
        kind, val = self.take()
        if kind == "T":
            return ["term", val.lower()]
        if val == "(":
            node = self.and_expr()
            if self.take()[1] != ")":
                raise ValueError("missing )")
            return node
        raise ValueError(f"unexpected {val}")


def convert_aurora(folder: Path) -> dict[str, list[Node]]:
    """Target id ("11.2") → list of parsed query lines."""
    out: dict[str, list[Node]] = {}
    for path in sorted(folder.glob("query_SDG*.xml")):
        root = ET.parse(path).getroot()
        goal = path.stem.removeprefix("query_SDG")
        for qd in root.iter(f"{AQD}query-definition"):
            target = goal
            for ident in qd.iter(f"{DC}identifier"):
                if ident.get("type") == "uri" and ident.text:
                    target = ident.text.rsplit("/", 1)[-1].strip()
            if m := re.fullmatch(r"(\d+)([a-z])", target):  # one source id reads "3c" for 3.c
                target = f"{m.group(1)}.{m.group(2)}"
            target = target.removesuffix(".0")  # "13.0": a goal-level query
            for line in qd.iter(f"{AQD}query-line"):
                text = " ".join("".join(line.itertext()).split())
                if text:
                    out.setdefault(target, []).append(_Parser(text).parse())
    return out


def convert_osdg(path: Path) -> dict[str, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k.removeprefix("SDG_"): sorted({t.lower().strip() for t in v}) for k, v in data.items()}


def main(argv: list[str]) -> None:
    src = Path(argv[0])
    aurora = convert_aurora(src / "aurora-v5")
    (HERE / "aurora.json").write_text(json.dumps(aurora, ensure_ascii=False, separators=(",", ":")))
    osdg = convert_osdg(src / "osdg-keyword-map" / "OSDG-kw-mapping.json")
    (HERE / "osdg.json").write_text(json.dumps(osdg, ensure_ascii=False, separators=(",", ":")))
    print(f"aurora targets={len(aurora)} lines={sum(map(len, aurora.values()))}")
    print(f"osdg goals={len(osdg)} terms={sum(map(len, osdg.values()))}")


if __name__ == "__main__":
    main(sys.argv[1:])
