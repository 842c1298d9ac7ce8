"""English words for the lexicon and query signals: tokens, a light stemmer, a multi-term matcher."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

_POSSESSIVE = re.compile(r"['’]s\b")
_LATIN_TOKEN = re.compile(r"[0-9a-zà-öø-ÿœ\u0400-\u04ff\u0600-\u06ff]+(?:[&.][0-9a-z]+)*")


def stem(word: str) -> str:
    """A light plural stemmer: enough to let "homes" match "home" and "policies" "policy"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; hyphens and slashes split words ("low-income" → low, income)."""
    text = _POSSESSIVE.sub("", text.lower().replace("-", " ").replace("/", " "))
    return _LATIN_TOKEN.findall(text)


_WILD = "qzqz"  # stands in for "*" while a term is tokenised


@dataclass(frozen=True)
class _Pattern:
    words: tuple[tuple[bool, str], ...]  # (is_prefix, stem-or-prefix)


def _length(term: str) -> int:
    """How many words a (valid) term spans."""
    pat = _pattern(term)
    return len(pat.words) if pat else 1


def _pattern(term: str) -> _Pattern | None:
    words = []
    for raw in tokens(term.replace("*", _WILD)):
        if raw.endswith(_WILD) and len(raw) > len(_WILD):
            words.append((True, raw[: -len(_WILD)]))
        else:
            words.append((False, stem(raw)))
    return _Pattern(tuple(words)) if words else None


class WordMatcher:
    """Find many word-sequence terms (with trailing-``*`` wildcards) in a token list at once."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.exact: dict[str, list[tuple[str, _Pattern]]] = defaultdict(list)
        self.prefix: dict[str, list[tuple[str, _Pattern]]] = defaultdict(list)
        for term in set(terms):
            pat = _pattern(term)
            if pat is None:
                continue
            is_prefix, head = pat.words[0]
            (self.prefix if is_prefix else self.exact)[head].append((term, pat))
        self.prefix_lengths = sorted({len(p) for p in self.prefix})

    def find(self, raw: list[str], stems: list[str]) -> dict[str, list[int]]:
        """Term → start positions of its matches."""
        found: dict[str, list[int]] = defaultdict(list)
        n = len(raw)
        for i in range(n):
            cands = list(self.exact.get(stems[i], ()))
            for length in self.prefix_lengths:
                if length > len(raw[i]):
                    break
                cands.extend(self.prefix.get(raw[i][:length], ()))
            for term, pat in cands:
                if i + len(pat.words) > n:
                    continue
                if all(
                    (raw[i + k].startswith(v) if pre else stems[i + k] == v)
                    for k, (pre, v) in enumerate(pat.words[1:], start=1)
                ):
                    found[term].append(i)
        return found
