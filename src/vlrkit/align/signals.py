"""The signals that tie a passage to SDG targets, each returning :class:`Hit` evidence.

Four signals, each cheap enough for a 100-page plan on two cores:

- :class:`ZhLexicon` — vlrkit's Chinese lexicon of plans and budgets (maximal substring matches,
  so 城镇老旧小区改造 counts once, not also as 老旧小区 and 小区改造).
- :class:`EnLexicon` — vlrkit's English lexicon of city plans and budgets (word n-grams after a
  light plural stemmer, ``*`` wildcards), plus the OSDG goal keywords at a lower weight.
- :class:`AuroraQueries` — the Aurora SDG queries v5 (boolean/proximity rules per target),
  evaluated on word positions.
- :class:`TargetText` — TF-IDF cosine between the passage and each target's own text (target
  title plus its indicators' titles) in the passage's language: CJK character bigrams, or
  word stems for the other five UN languages.  This is what makes ar/es/fr/ru work at all.

Every hit names its target (``"11.2"``) or goal (``"11"`` for a goal-level term), the matched
term and the signal, so the mapping can show why it decided what it did.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from functools import cache

from vlrkit.align import lexicon as data
from vlrkit.align.aurora import AuroraQueries, _eval, _leaves, _required  # noqa: F401 (re-exported)
from vlrkit.align.bayes import naive_bayes
from vlrkit.align.hits import Hit
from vlrkit.align.profile import goal_profile
from vlrkit.align.words import WordMatcher, _length, _Pattern, _pattern, features, stem, tokens  # noqa: F401

#: Weights of one hit per signal (tuned on the development split, see calibrate.py).
W_ZH_TERM = 1.0
W_EN_TERM = 1.0
W_GOAL_TERM = 0.35  # a goal-level term ("教育", "housing" under 11) points less sharply
W_MULTIWORD_BONUS = 0.25  # per extra word of an English phrase term
W_ZH_LONG_BONUS = 0.06  # per character beyond two of a Chinese term
W_OSDG = 0.25
W_TEXT = 2.5
#: Whether the goal-profile signal (vlrkit.align.profile) is used.
USE_PROFILE = True
#: Whether the naive Bayes second opinion (vlrkit.align.bayes) is used, and only for goals
#: another signal already points to.
USE_BAYES = True
BAYES_SUPPORTED_ONLY = True
#: Lexicon key of phrases that name no goal (they shield the words inside them).
NONE = "none"
#: A target-text similarity below this is noise.
TEXT_FLOOR = 0.12
#: A target-text hit needs this many shared features, and counts fully from TEXT_FULL on.
TEXT_MIN_SHARED = 2
TEXT_FULL = 3
#: At most this many target-text hits per passage.
TEXT_TOP = 3



def split_weight(term: str) -> tuple[str, float]:
    """A lexicon entry "term^1.5" carries its own weight (default 1)."""
    if "^" in term:
        text, _, w = term.rpartition("^")
        try:
            return text.strip(), float(w)
        except ValueError:
            pass
    return term, 1.0


# --- the lexicon signals -----------------------------------------------------------------------


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _bounded(text: str, start: int, end: int) -> bool:
    """A term that begins or ends with a Latin letter or digit (12345, 5G, PM2.5) must not be
    glued to more of them: 12345 is no hotline inside the phone number 1234567."""
    if _ascii_alnum(text[start]) and start > 0 and _ascii_alnum(text[start - 1]):
        return False
    return not (_ascii_alnum(text[end - 1]) and end < len(text) and _ascii_alnum(text[end]))


class ZhLexicon:
    """Maximal substring matches of the Chinese lexicon."""

    name = "lexicon"

    def __init__(self) -> None:
        self.terms: dict[str, list[str]] = defaultdict(list)
        self.weights: dict[tuple[str, str], float] = {}
        for target, terms in data.lexicon("zh").items():
            for entry in terms:
                t, w = split_weight(entry)
                self.terms[t].append(target)
                self.weights[(t, target)] = w
        lengths: dict[str, set[int]] = defaultdict(set)
        for t in self.terms:
            lengths[t[0]].add(len(t))
        self.lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        for i, ch in enumerate(text):
            for length in self.lengths.get(ch, ()):
                piece = text[i : i + length]
                if len(piece) == length and piece in self.terms and _bounded(text, i, i + length):
                    found.append((i, i + length, piece))
                    break  # the longest term starting here
        kept, max_end = [], -1
        for s, e, t in sorted(found, key=lambda m: (m[0], -m[1])):
            if e > max_end:
                kept.append((s, e, t))
                max_end = e
        return kept

    def hits(self, text: str) -> list[Hit]:
        out = []
        seen = set()
        for _s, _e, term in self.spans(text):
            if term in seen:
                continue
            seen.add(term)
            targets = [t for t in self.terms[term] if t != NONE]
            if not targets:
                continue  # an administrative phrase: it only shields the words inside it
            bonus = W_ZH_LONG_BONUS * max(0, len(term) - 2)
            for target in targets:
                base = W_GOAL_TERM if "." not in target else W_ZH_TERM + bonus
                w = base * self.weights.get((term, target), 1.0)
                out.append(Hit(target, term, self.name, w / len(targets) ** 0.5))
        return out


class EnLexicon:
    """English lexicon (vlrkit's own) and the OSDG goal keywords."""

    def __init__(self, *, use_osdg: bool = True) -> None:
        self.targets: dict[str, list[str]] = defaultdict(list)
        self.weights: dict[tuple[str, str], float] = {}
        for target, terms in data.lexicon("en").items():
            for entry in terms:
                t, w = split_weight(entry)
                self.targets[t].append(target)
                self.weights[(t, target)] = w
        self.osdg: dict[str, list[str]] = defaultdict(list)
        if use_osdg:
            seen: set[tuple[str, _Pattern | None]] = set()
            for goal, terms in data.osdg().items():
                for t in terms:
                    key = (goal, _pattern(t))
                    if key not in seen and key[1] is not None:
                        seen.add(key)
                        self.osdg[t].append(goal)
        self.matcher = WordMatcher(list(self.targets) + list(self.osdg))

    def hits(self, raw: list[str], stems: list[str]) -> list[Hit]:
        found = self.matcher.find(raw, stems)
        # a term inside a longer matched term of the same lexicon does not count again
        spans = sorted(((p, p + _length(t), t) for t, ps in found.items() for p in ps),
                       key=lambda m: (m[0], -m[1], m[2]))
        covered: set[str] = set()
        max_end = -1
        for _s, e, t in spans:
            if e <= max_end and t in self.targets:
                covered.add(t)
            max_end = max(max_end, e)
        out = []
        for term in found:
            if term in self.targets and term not in covered:
                targets = [t for t in self.targets[term] if t != NONE]
                words = _length(term)
                for target in targets:
                    base = W_GOAL_TERM if "." not in target else W_EN_TERM + W_MULTIWORD_BONUS * (words - 1)
                    w = base * self.weights.get((term, target), 1.0)
                    out.append(Hit(target, term, "lexicon", w / len(targets) ** 0.5))
            if term in self.osdg:
                for goal in self.osdg[term]:
                    out.append(Hit(goal, term, "osdg", W_OSDG / len(self.osdg[term])))
        return out


# --- target texts ------------------------------------------------------------------------------





class TargetText:
    """TF-IDF cosine between a passage and every target's text in one language."""

    name = "text"

    def __init__(self, lang: str) -> None:
        from vlrkit import sdg

        self.lang = lang
        docs: dict[str, Counter[str]] = {}
        self.texts: dict[str, str] = {}
        for t in sdg.targets():
            text = " ".join([t.title(lang)] + [i.title(lang) for i in t.indicators()])
            self.texts[t.code] = t.title(lang)
            docs[t.code] = Counter(features(text, lang))
        df: Counter[str] = Counter()
        for c in docs.values():
            df.update(set(c))
        n = len(docs)
        self.idf = {f: math.log((n + 1) / (d + 1)) + 1.0 for f, d in df.items()}
        self.postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for code, c in docs.items():
            vec = {f: (1 + math.log(k)) * self.idf[f] for f, k in c.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            for f, v in vec.items():
                self.postings[f].append((code, v / norm))

    def similarities(self, text: str) -> tuple[dict[str, float], dict[str, list[str]]]:
        c = Counter(f for f in features(text, self.lang) if f in self.idf)
        if not c:
            return {}, {}
        vec = {f: (1 + math.log(k)) * self.idf[f] for f, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        scores: dict[str, float] = defaultdict(float)
        shared: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for f, v in vec.items():
            for code, w in self.postings[f]:
                scores[code] += v / norm * w
                shared[code].append((v * w, f))
        words = {k: [f for _w, f in sorted(v, reverse=True)[:5]] for k, v in shared.items()}
        return dict(scores), words

    def hits(self, text: str) -> list[Hit]:
        scores, words = self.similarities(text)
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:TEXT_TOP]
        # one shared word or bigram is chance, not evidence: damp hits with few shared features
        return [
            Hit(code, " ".join(words[code]), self.name, W_TEXT * s * min(1.0, len(words[code]) / TEXT_FULL))
            for code, s in best
            if s >= TEXT_FLOOR and len(words[code]) >= TEXT_MIN_SHARED
        ]


@cache
def zh_lexicon() -> ZhLexicon:
    return ZhLexicon()


@cache
def en_lexicon() -> EnLexicon:
    return EnLexicon()


@cache
def aurora_queries() -> AuroraQueries:
    return AuroraQueries()


@cache
def target_text(lang: str) -> TargetText:
    return TargetText(lang)


def _bayes_hits(text: str, fam: str, others: list[Hit]) -> list[Hit]:
    """The naive Bayes second opinion, for goals that other signals found evidence for: it
    weighs between candidate goals but never makes a goal out of nothing."""
    model = naive_bayes(fam) if USE_BAYES else None
    if model is None:
        return []
    found = {h.goal for h in others}
    return [h for h in model.hits(text, fam) if h.goal in found or not BAYES_SUPPORTED_ONLY]


def passage_hits(text: str, lang: str) -> list[Hit]:
    """All hits of all signals that apply to ``lang`` for one passage."""
    out: list[Hit] = []
    if lang.startswith("zh"):
        out += zh_lexicon().hits(text)
        out += target_text("zh-Hans").hits(text)
        if USE_PROFILE:
            out += goal_profile("zh-Hans").hits(text)
        out += _bayes_hits(text, "zh", out)
        return out
    raw = tokens(text)
    stems = [stem(w) for w in raw]
    if lang == "en":
        out += en_lexicon().hits(raw, stems)
        out += aurora_queries().hits(raw, stems)
        if USE_PROFILE:
            out += goal_profile("en").hits(text)
        out += _bayes_hits(text, "en", out)
    out += target_text(lang if lang in ("en", "fr", "es", "ru", "ar") else "en").hits(text)
    return out
