"""The Aurora SDG queries (v5, CC BY 4.0), evaluated on the word positions of one passage.

The queries were converted from their Scopus syntax by :mod:`vlrkit.align.lexicon.build` into
small trees (term / or / and / not / near); a rule matches a passage when its tree does.
"""

from __future__ import annotations

from typing import Any

from vlrkit.align import lexicon as data
from vlrkit.align.hits import Hit
from vlrkit.align.words import WordMatcher

#: Weight of one matching query line.
W_AURORA = 1.2


class AuroraQueries:
    """The Aurora SDG queries (v5), evaluated on token positions of one passage."""

    name = "aurora"

    def __init__(self) -> None:
        self.rules: list[tuple[str, Any]] = []
        terms: set[str] = set()
        for target, lines in data.aurora().items():
            for node in lines:
                self.rules.append((target, node))
                terms.update(_leaves(node))
        self.matcher = WordMatcher(terms)
        self.rule_terms = [frozenset(_required(node)) for _t, node in self.rules]

    def hits(self, raw: list[str], stems: list[str]) -> list[Hit]:
        found = self.matcher.find(raw, stems)
        if not found:
            return []
        present = set(found)
        out = []
        for (target, node), req in zip(self.rules, self.rule_terms, strict=True):
            if not req & present:
                continue
            if _eval(node, found):
                terms = sorted(t for t in _leaves(node) if t in present)
                out.append(Hit(target, " + ".join(terms[:4]), self.name, W_AURORA))
        return out


def _leaves(node: Any) -> set[str]:
    if node[0] == "term":
        return {node[1]}
    kids = node[2:] if node[0] == "near" else node[1:]
    out: set[str] = set()
    for k in kids:
        out |= _leaves(k)
    return out


def _required(node: Any) -> set[str]:
    """Terms of which at least one must be present for the rule to match (a cheap filter)."""
    if node[0] == "term":
        return {node[1]}
    if node[0] == "or":
        return _leaves(node)
    if node[0] == "not":
        return _required(node[1])
    if node[0] == "near":
        return _required(node[2])
    return _required(node[1])  # and


def _eval(node: Any, found: dict[str, list[int]]) -> list[int]:
    kind = node[0]
    if kind == "term":
        return found.get(node[1], [])
    if kind == "or":
        return sorted({p for k in node[1:] for p in _eval(k, found)})
    if kind == "and":
        parts = [_eval(k, found) for k in node[1:]]
        return sorted({p for part in parts for p in part}) if all(parts) else []
    if kind == "not":
        left = _eval(node[1], found)
        return left if left and not _eval(node[2], found) else []
    n, left, right = node[1], _eval(node[2], found), _eval(node[3], found)
    if not left or not right:
        return []
    hit = {p for p in left for q in right if abs(p - q) <= n + 1}
    hit |= {q for q in right for p in left if abs(p - q) <= n + 1}
    return sorted(hit)
