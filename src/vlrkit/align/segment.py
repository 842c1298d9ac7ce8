"""Split text into passages: Chinese sentence and clause boundaries, English sentences.

A *passage* is the unit the classifier maps to SDG goals: one sentence, or one clause of a
sentence too long to be read as one thought, or a few short sentences of the same paragraph
put together so that a heading-like fragment does not stand alone.  Each passage remembers
where it sits in the source (paragraph index and character offsets), so evidence can be shown
in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Passages longer than this (characters for Chinese, words × 6 for Latin text) are split at
#: clause boundaries.
MAX_ZH_CHARS = 160
MAX_EN_WORDS = 70
#: Passages shorter than this are joined with the next sentence of the same paragraph.
MIN_ZH_CHARS = 12
MIN_EN_WORDS = 6

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")

# Chinese sentence ends: 。！？ (and their half-width forms between CJK text), optionally
# followed by closing quotes/brackets; ；and line-ending colons end a clause-sentence too.
_ZH_SENT = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n|$)")
_ZH_CLAUSE = re.compile(r"[^，,、：:]*(?:[，,、：:]|$)")
# English: a sentence ends at . ! ? followed by space and a capital/digit/quote, unless the
# word before the dot is a known abbreviation.
_EN_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9•])")
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "inc",
    "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "fig", "approx", "est", "dept", "u.s", "u.k", "sr", "jr", "art",
}
_PARAGRAPH = re.compile(r"\n\s*\n+")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Passage:
    """One unit of text to map, with its place in the source text."""

    index: int  # 0-based position in the document
    text: str
    lang: str
    paragraph: int
    start: int  # character offset in the source text
    end: int


def detect_lang(text: str) -> str:
    """Best guess of the language of ``text``: zh-Hans, ar, ru, or en/fr/es for Latin script."""
    sample = text[:4000]
    cjk = len(_CJK.findall(sample))
    latin = len(_LATIN.findall(sample))
    ar = len(_ARABIC.findall(sample))
    ru = len(_CYRILLIC.findall(sample))
    best = max(cjk * 2, latin, ar, ru)  # a CJK character carries about two letters of meaning
    if best == 0:
        return "en"
    if best == cjk * 2:
        return "zh-Hans"
    if best == ar:
        return "ar"
    if best == ru:
        return "ru"
    words = set(w.lower() for w in _WORD.findall(sample))
    fr = len(words & {"le", "la", "les", "des", "et", "du", "une", "pour", "dans", "est"})
    es = len(words & {"el", "los", "las", "del", "y", "una", "para", "con", "por", "está"})
    en = len(words & {"the", "and", "of", "to", "for", "in", "is", "with", "on", "by"})
    top = max(en, fr, es)
    return "en" if top == en else ("fr" if top == fr else "es")


def is_cjk(lang: str) -> bool:
    return lang.startswith("zh")


def _zh_sentences(para: str) -> list[tuple[int, int]]:
    spans = []
    for m in _ZH_SENT.finditer(para):
        if m.group(0).strip():
            spans.append((m.start(), m.end()))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if e - s <= MAX_ZH_CHARS:
            out.append((s, e))
            continue
        # too long: cut at clause marks, packing clauses up to the maximum length
        cur = s
        for m in _ZH_CLAUSE.finditer(para, s, e):
            if m.end() - cur > MAX_ZH_CHARS and m.start() > cur:
                out.append((cur, m.start()))
                cur = m.start()
            if m.end() == e:
                break
        if cur < e:
            out.append((cur, e))
    return out


def _en_sentences(para: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in _EN_END.finditer(para):
        before = para[start : m.start()].rstrip("\"')]").rsplit(None, 1)
        last = before[-1].rstrip(".!?").lower() if before else ""
        if last in _ABBREV or (len(last) == 1 and last.isalpha()):
            continue
        out.append((start, m.start()))
        start = m.end()
    if para[start:].strip():
        out.append((start, len(para)))
    result: list[tuple[int, int]] = []
    for s, e in out:
        words = list(re.finditer(r"\S+", para[s:e]))
        if len(words) <= MAX_EN_WORDS:
            result.append((s, e))
            continue
        for i in range(0, len(words), MAX_EN_WORDS):
            chunk = words[i : i + MAX_EN_WORDS]
            result.append((s + chunk[0].start(), s + chunk[-1].end()))
    return result


def _short(text: str, cjk: bool) -> bool:
    if cjk:
        return len(_CJK.findall(text)) < MIN_ZH_CHARS
    return len(_WORD.findall(text)) < MIN_EN_WORDS


def segment(text: str, lang: str | None = None) -> list[Passage]:
    """Split ``text`` into passages (language detected when ``lang`` is None)."""
    lang = lang or detect_lang(text)
    cjk = is_cjk(lang)
    passages: list[Passage] = []
    offset = 0
    for p_index, para_match in enumerate(_paragraphs(text)):
        offset, para = para_match
        spans = _zh_sentences(para) if cjk else _en_sentences(para)
        pending: tuple[int, int] | None = None
        for s, e in spans:
            if pending is not None:
                s = pending[0]
                pending = None
            piece = para[s:e].strip()
            if not piece:
                continue
            if _short(piece, cjk) and (s, e) != spans[-1]:
                pending = (s, e)
                continue
            passages.append(_make(passages, piece, lang, p_index, offset, para, s, e))
        if pending is not None:
            piece = para[pending[0] :].strip()
            if piece:
                passages.append(_make(passages, piece, lang, p_index, offset, para, pending[0], len(para)))
    return passages


def _make(passages: list[Passage], piece: str, lang: str, p: int, offset: int, para: str,
          s: int, e: int) -> Passage:
    lead = len(para[s:e]) - len(para[s:e].lstrip())
    start = offset + s + lead
    return Passage(len(passages), piece, lang, p, start, start + len(piece))


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        out.append((pos, text[pos : m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return [(o, t) for o, t in out if t.strip()]
