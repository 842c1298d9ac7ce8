"""Goal profiles: a passage's words against each goal's whole vocabulary.

The lexicon signals need a whole term to match; plans often say the same thing in other words
("free nursery places for two-year-olds", "新建托位").  A goal's *profile* is the bag of the
single words (English, stemmed) or character bigrams (Chinese) of all its lexicon terms, its
targets' texts and (English) the Aurora query terms, weighted by TF-IDF across the 17 goals.
The cosine between a passage and each profile gives partial credit to a goal whose distinctive
words occur, even when none of its terms does.  It is a weak signal on purpose (see
``W_PROFILE``): it breaks ties and rescues passages with no term at all.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from functools import cache

from vlrkit.align import lexicon as data
from vlrkit.align.hits import Hit
from vlrkit.align.words import features

#: Weight of a profile hit per unit of cosine.
W_PROFILE = 4.0
#: Cosines below this are noise; at most PROFILE_TOP goals get a hit.
PROFILE_FLOOR = 0.08
PROFILE_TOP = 2
#: A profile hit needs this many shared features.
PROFILE_MIN_SHARED = 2


def _terms(entry: str) -> str:
    return entry.rpartition("^")[0] if "^" in entry else entry


class GoalProfile:
    name = "profile"

    def __init__(self, lang: str) -> None:
        from vlrkit import sdg

        zh = lang.startswith("zh")
        self.lang = "zh-Hans" if zh else "en"
        docs: dict[int, Counter[str]] = defaultdict(Counter)
        for key, terms in data.lexicon("zh" if zh else "en").items():
            if key == "none":
                continue
            goal = int(key.split(".")[0])
            for t in terms:
                docs[goal].update(features(_terms(t), self.lang))
        for tgt in sdg.targets():
            docs[tgt.goal].update(features(tgt.title(self.lang), self.lang))
        if not zh:
            for target, lines in data.aurora().items():
                goal = int(target.split(".")[0])
                for node in lines:
                    docs[goal].update(f for leaf in _leaves(node) for f in features(leaf.replace("*", ""), "en"))
        df: Counter[str] = Counter()
        for c in docs.values():
            df.update(set(c))
        n = len(docs)
        # a feature in most goals' vocabularies says nothing about any of them
        self.idf = {f: math.log((n + 1) / (d + 1)) for f, d in df.items() if d <= n // 2}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for goal, c in docs.items():
            vec = {f: (1 + math.log(k)) * self.idf[f] for f, k in c.items() if f in self.idf}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            for f, v in vec.items():
                self.postings[f].append((goal, v / norm))

    def hits(self, text: str) -> list[Hit]:
        feats = {f for f in features(text, self.lang) if f in self.idf}
        if len(feats) < PROFILE_MIN_SHARED:
            return []
        norm = math.sqrt(sum(self.idf[f] ** 2 for f in feats)) or 1.0
        scores: dict[int, float] = defaultdict(float)
        shared: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for f in feats:
            for goal, w in self.postings[f]:
                scores[goal] += self.idf[f] / norm * w
                shared[goal].append((self.idf[f] * w, f))
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:PROFILE_TOP]
        return [
            Hit(str(goal), " ".join(f for _w, f in sorted(shared[goal], reverse=True)[:5]), self.name,
                W_PROFILE * s)
            for goal, s in best
            if s >= PROFILE_FLOOR and len(shared[goal]) >= PROFILE_MIN_SHARED
        ]


def _leaves(node: list) -> list[str]:
    if node[0] == "term":
        return [node[1]]
    kids = node[2:] if node[0] == "near" else node[1:]
    return [leaf for k in kids for leaf in _leaves(k)]


@cache
def goal_profile(lang: str) -> GoalProfile:
    return GoalProfile(lang)
