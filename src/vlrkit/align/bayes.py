"""A second opinion that generalises beyond exact terms: multinomial naive Bayes over the goals.

The lexicon signals need a whole term; council and 政府 prose often names a goal only through
its context ("tenants", "households on prepayment meters", "监测户", "退捕渔民").  This model
learns which words (English: stems and stem bigrams) or character bigrams (Chinese) go with
which goal from **our own writing only** — the development sets ``dev_*.csv`` and
``dev2_*.csv``, the target and indicator texts of ``vlrkit.sdg`` and the terms of our lexicons
(``lexicon/zh.yml``, ``lexicon/en.yml``) — never from a published SDG benchmark.

Features are binary per passage (a word said twice is no stronger evidence), smoothed with
``ALPHA``, and the posterior is tempered (divided by ``TEMPERATURE`` × the square root of the
number of known features) because naive Bayes is famously over-confident.  The goals whose
posterior reaches ``FLOOR`` (at most ``TOP``) get a goal-level hit of ``W_BAYES`` × posterior,
so the model adds weight to a goal but never decides alone against specific evidence.

The model is integer counts per feature and goal, committed as package data
(``lexicon/bayes_zh.json``, ``lexicon/bayes_en.json``) and rebuilt deterministically::

    python -m vlrkit.align.bayes tests/data/align/dev_zh.csv tests/data/align/dev2_zh.csv \\
        tests/data/align/dev_en.csv tests/data/align/dev2_en.csv
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from vlrkit.align import lexicon as data
from vlrkit.align.hits import Hit
from vlrkit.align.words import features

#: Weight of a hit per unit of posterior probability (cross-validated over the dev2 batches,
#: each held out in turn: 2.0 ranked one or two passages better but let one goal crowd out
#: the second goal of multi-goal passages; see docs/align.md).
W_BAYES = 1.0
#: A goal needs at least this posterior to get a hit; at most TOP goals get one.
FLOOR = 0.3
TOP = 2
#: Laplace smoothing of the per-goal feature counts.
ALPHA = 0.1
#: Posterior temperature (per square root of the passage's known features).
TEMPERATURE = 1.5
#: Features seen fewer times than this in training are left out of the model file.
MIN_COUNT = 1
#: A passage with fewer known features than this gets no hit.
MIN_FEATURES = 2
#: How many times a labelled passage, and a lexicon term or target text, counts in training.
W_PASSAGE_DOC = 5
W_TERM_DOC = 1
FAMILIES = ("zh", "en")
#: The classes: 0 (about no goal) and the 17 goals.
NO_GOAL = 0
CLASSES = tuple(range(0, 18))
HERE = Path(__file__).resolve().parent / "lexicon"


def family(lang: str) -> str:
    return "zh" if lang.startswith("zh") else "en"


def passage_features(text: str, fam: str) -> set[str]:
    """Binary features: CJK character bigrams, or English stems and adjacent stem pairs."""
    if fam == "zh":
        return set(features(text, "zh-Hans"))
    stems = features(text, "en")
    return set(stems) | {f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)}


def _entry(term: str) -> str:
    return term.rpartition("^")[0] if "^" in term else term


def training_documents(rows: Iterable[dict[str, str]], fam: str) -> list[tuple[set[str], tuple[int, ...]]]:
    """(features, goals) of every training document of one language family."""
    from vlrkit import sdg
    from vlrkit.align.calibrate import labels_of

    docs: list[tuple[set[str], tuple[int, ...]]] = []
    for row in rows:
        # a passage about no goal trains the "no goal" class 0, so administrative prose that
        # shares words with goal 16 or 17 (meetings, reports, 财政部门) is told apart
        goals = tuple(sorted(labels_of(row))) or (NO_GOAL,)
        if family(row.get("lang") or "en") == fam:
            docs.extend([(passage_features(row["text"], fam), goals)] * W_PASSAGE_DOC)
    lang = "zh-Hans" if fam == "zh" else "en"
    for t in sdg.targets():
        text = " ".join([t.title(lang)] + [i.title(lang) for i in t.indicators()])
        docs.extend([(passage_features(text, fam), (t.goal,))] * W_TERM_DOC)
    for key, terms in sorted(data.lexicon(fam).items()):
        goal = NO_GOAL if key == "none" else int(key.split(".")[0])
        for term in terms:
            feats = passage_features(_entry(term), fam)
            if feats:
                docs.extend([(feats, (goal,))] * W_TERM_DOC)
    return docs


def count(docs: Sequence[tuple[set[str], tuple[int, ...]]]) -> dict[str, object]:
    """The model file's content: document and feature counts per goal (integers only)."""
    per_goal: dict[int, Counter[str]] = defaultdict(Counter)
    ndocs: Counter[int] = Counter()
    for feats, goals in docs:
        for g in goals:
            per_goal[g].update(feats)
            ndocs[g] += 1
    total: Counter[str] = Counter()
    for c in per_goal.values():
        total.update(c)
    kept = sorted(f for f, n in total.items() if n >= MIN_COUNT)
    return {
        "docs": {str(g): ndocs[g] for g in CLASSES},
        "tokens": {str(g): sum(per_goal[g].values()) for g in CLASSES},
        "features": {f: {str(g): per_goal[g][f] for g in CLASSES if per_goal[g][f]} for f in kept},
    }


class NaiveBayes:
    """Goal posteriors from the committed counts of one language family."""

    name = "bayes"

    def __init__(self, model: dict) -> None:
        feats: dict[str, dict[str, int]] = model["features"]
        vocab = len(feats)
        tokens = {int(g): n for g, n in model["tokens"].items()}
        # log P(f | g) for the features a goal has, and the floor for those it lacks
        self.absent = {g: math.log(ALPHA / (tokens[g] + ALPHA * vocab)) for g in CLASSES}
        self.loglik: dict[str, dict[int, float]] = {
            f: {int(g): math.log((n + ALPHA) / (tokens[int(g)] + ALPHA * vocab)) - self.absent[int(g)]
                for g, n in c.items()}
            for f, c in feats.items()
        }

    def posterior(self, feats: set[str]) -> tuple[dict[int, float], dict[int, list[str]]]:
        known = [f for f in feats if f in self.loglik]
        if len(known) < MIN_FEATURES:
            return {}, {}
        # relative to "no feature present", so only the known features need summing
        score = dict.fromkeys(CLASSES, 0.0)
        why: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for f in known:
            for g, v in self.loglik[f].items():
                score[g] += v
                why[g].append((v, f))
        scale = TEMPERATURE * math.sqrt(len(known))
        top = max(score.values())
        expd = {g: math.exp((s - top) / scale) for g, s in score.items()}
        z = sum(expd.values())
        words = {g: [f.replace("_", " ") for _v, f in sorted(why[g], reverse=True)[:4]] for g in CLASSES}
        return {g: e / z for g, e in expd.items()}, words

    def hits(self, text: str, fam: str) -> list[Hit]:
        post, words = self.posterior(passage_features(text, fam))
        best = sorted(post.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
        return [Hit(str(g), " ".join(words[g]), self.name, W_BAYES * p)
                for g, p in best if p >= FLOOR and g != NO_GOAL]


def model_path(fam: str) -> Path:
    return HERE / f"bayes_{fam}.json"


@cache
def naive_bayes(fam: str) -> NaiveBayes | None:
    """The packaged model of a language family (None when it was never built)."""
    try:
        return NaiveBayes(json.loads(model_path(fam).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None


def dumps(model: dict[str, object]) -> str:
    """Deterministic text of a model: sorted keys, no whitespace."""
    return json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def build(paths: Sequence[Path]) -> dict[str, str]:
    """Model file text per language family from labelled CSV files."""
    rows: list[dict[str, str]] = []
    for p in paths:
        with open(p, newline="", encoding="utf-8-sig") as f:
            rows.extend(csv.DictReader(f))
    return {fam: dumps(count(training_documents(rows, fam))) for fam in FAMILIES}


def main(argv: list[str]) -> None:
    for fam, text in build([Path(a) for a in argv]).items():
        model_path(fam).write_text(text, encoding="utf-8")
        print(f"model={fam} bytes={len(text.encode())} features={len(json.loads(text)['features'])}")


if __name__ == "__main__":
    main(sys.argv[1:])
