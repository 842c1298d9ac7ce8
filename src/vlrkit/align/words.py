"""Words and features: English tokens, a light stemmer, a multi-term matcher, and the features
(CJK bigrams or word stems) the similarity signals compare."""

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
        for term in sorted(set(terms)):  # sorted: the match order must not depend on PYTHONHASHSEED
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


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_STOP_EN = frozenset(
    "a an and are as at be by for from has have in into is it its of on or that the their this "
    "to was were will with all by 2030 2020 2025 per cent percent including such other which "
    "who whose within between among through ensure increase achieve significantly substantially "
    "proportion number rate total million billion than less least lower more most each found across "
    "track help support provide programme program improve increasing new can able also our we us "
    "they them year years plan city council residents local".split()
)
# Chinese characters that carry grammar, not topic: a bigram containing one is no feature
_ZH_FUNCTION = frozenset("的和与及等在于为以对按到了是所其并或从中上下个年各有之向把被将使由而")


def features(text: str, lang: str) -> list[str]:
    """Features for the target-text similarity: CJK bigrams, else stemmed content words."""
    if lang.startswith("zh"):
        chars = _CJK.findall(text)
        return [a + b for a, b in zip(chars, chars[1:], strict=False) if a not in _ZH_FUNCTION and b not in _ZH_FUNCTION]
    words = tokens(text)
    if lang == "en":
        return [stem(w) for w in words if w not in _STOP_EN and len(w) > 2]
    # fr/es/ru/ar: a crude common prefix stands in for a stemmer
    return [w[:6] for w in words if len(w) > 3]
