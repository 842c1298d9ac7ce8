"""The second-goal decision: does a passage serve a goal besides its best one?

The best goal of a passage is decided by the calibrated score (:mod:`vlrkit.align.calibrate`).
Whether a *further* goal passes is a different question: a passage that names a second goal
in passing ("… in the metropolitan region") is about one goal; a passage with its own evidence
for a second goal ("unsafe water and sanitation cause most diarrhoeal deaths") serves both.
A small logistic model decides it from four features of the candidate goal:

- ``ratio`` — its raw score over the best goal's (how much of the passage is about it);
- ``strength`` — ``log(1 + raw)``;
- ``signals`` — how many different signals point to it (lexicon, Aurora, OSDG, target texts,
  goal profile, naive Bayes; out of 6): independent kinds of evidence, not one term counted
  twice;
- ``bayes`` — the naive Bayes posterior of the goal (0 when that signal did not fire), the one
  signal that weighs the whole passage rather than single terms.

It is fitted on the candidate goals (raw ≥ ``RAW_FLOOR``, not the best goal) of the sets whose
labels admit two goals — ``dev_*``, ``dev3_*`` and ``heldout_*`` — and its threshold maximises
the mean per-goal yes/no F1 over those sets.  ``dev2_*`` and the blind sets are labelled with
one goal per passage by convention, so every second goal counts as wrong there; fitting on
them teaches the model that second goals do not exist (see docs/align.md).  The parameters are
package data (``lexicon/second.json``)::

    python -m vlrkit.align.second tests/data/align/dev_en.csv tests/data/align/dev_zh.csv \\
        tests/data/align/dev3_en_policy.csv tests/data/align/dev3_zh_policy.csv \\
        tests/data/align/heldout_en.csv tests/data/align/heldout_zh.csv

``python -m vlrkit.align.second --cv K FILES…`` prints the cross-validated figures instead (each
passage decided by a model fitted on the folds that do not contain it).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vlrkit.align.hits import Hit
from vlrkit.align.lexicon import HERE

SIGNALS = ("lexicon", "aurora", "osdg", "text", "profile", "bayes")
FEATURES = ("ratio", "strength", "signals", "bayes")
#: Hand-set model used when no fitted file is present (about the old "half the top goal" rule).
DEFAULT_WEIGHTS = (4.0, 0.5, 1.0, 2.5)
DEFAULT_BIAS = -4.0
DEFAULT_THRESHOLD = 0.5
#: Thresholds tried when fitting (a grid: the F1 surface is flat and step-like).
THRESHOLD_GRID = tuple(round(0.2 + 0.025 * i, 3) for i in range(29))
PATH = HERE / "second.json"


def features(raw: Mapping[int, float], hits: Sequence[Hit], goal: int, best: int) -> tuple[float, ...]:
    """The four features of candidate ``goal`` beside the passage's best goal ``best``."""
    top = raw.get(best, 0.0)
    r = raw.get(goal, 0.0)
    mine = [h for h in hits if h.goal == goal]
    kinds = {h.signal for h in mine if h.signal in SIGNALS}
    bayes = sum(h.weight for h in mine if h.signal == "bayes")
    return (r / top if top > 0 else 0.0, math.log1p(r), len(kinds) / len(SIGNALS), bayes)


@dataclass(frozen=True)
class SecondGoalModel:
    """Logistic weights over :data:`FEATURES`, a bias and the decision threshold."""

    weights: tuple[float, ...] = DEFAULT_WEIGHTS
    bias: float = DEFAULT_BIAS
    threshold: float = DEFAULT_THRESHOLD
    fitted_on: str = ""

    def probability(self, feats: Sequence[float]) -> float:
        z = sum(w * f for w, f in zip(self.weights, feats, strict=True)) + self.bias
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def passes(self, feats: Sequence[float]) -> bool:
        return self.probability(feats) >= self.threshold

    def to_json(self) -> str:
        return json.dumps({"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias,
                           "threshold": self.threshold, "fitted_on": self.fitted_on}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> SecondGoalModel:
        d = json.loads(text)
        if tuple(d.get("features", FEATURES)) != FEATURES:
            raise ValueError(f"second-goal model features {d.get('features')} != {list(FEATURES)}")
        return cls(tuple(float(w) for w in d["weights"]), float(d["bias"]), float(d["threshold"]),
                   d.get("fitted_on", ""))


def load(path: Path | None = None) -> SecondGoalModel:
    """The packaged model (or the hand-set default when none was fitted yet)."""
    try:
        return SecondGoalModel.from_json((path or PATH).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SecondGoalModel()


# --- fitting ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scored:
    """One labelled passage, reduced to what the decision needs."""

    truth: frozenset[int]
    best: int | None
    top_passes: bool  # the best goal's own decision (calibration), fixed here
    candidates: tuple[tuple[int, tuple[float, ...]], ...]  # (goal, features), raw ≥ floor


def score_rows(rows: Sequence[Mapping[str, str]]) -> list[Scored]:
    """Run the signals and the best-goal decision on labelled rows (slow part, done once)."""
    from vlrkit.align.calibrate import labels_of
    from vlrkit.align.classify import RAW_FLOOR, best_goal_passes, raw_scores

    out = []
    for row in rows:
        lang = row.get("lang") or "en"
        raw, hits = raw_scores(row["text"], lang)
        ranked = sorted((g for g in raw if raw[g] > 0), key=lambda g: (-raw[g], g))
        best = ranked[0] if ranked else None
        cands = tuple((g, features(raw, hits, g, best)) for g in ranked[1:] if raw[g] >= RAW_FLOOR) if best else ()
        out.append(Scored(frozenset(labels_of(row)), best, best is not None and best_goal_passes(raw, best, lang),
                          cands))
    return out


def macro_f1(items: Sequence[Scored], model: SecondGoalModel | Sequence[SecondGoalModel]) -> float:
    """Mean over goals of the per-goal yes/no F1 of the full decision (best goal + second goals).

    ``model`` is one model for every passage, or one per passage (cross-validation).
    """
    models = [model] * len(items) if isinstance(model, SecondGoalModel) else list(model)
    tp = [0] * 18
    fp = [0] * 18
    fn = [0] * 18
    for it, m in zip(items, models, strict=True):
        pred = set()
        if it.top_passes and it.best is not None:
            pred.add(it.best)
            pred.update(g for g, f in it.candidates if m.passes(f))
        for g in range(1, 18):
            yes, gold = g in pred, g in it.truth
            tp[g] += yes and gold
            fp[g] += yes and not gold
            fn[g] += gold and not yes
    f1s = [2 * tp[g] / (2 * tp[g] + fp[g] + fn[g]) for g in range(1, 18) if tp[g] + fp[g] + fn[g]]
    return sum(f1s) / len(f1s) if f1s else 0.0


def fit(sets: Mapping[str, Sequence[Scored]]) -> SecondGoalModel:
    """Logistic fit on all candidates; the threshold maximising the mean macro F1 over sets."""
    from vlrkit.align.calibrate import fit_logistic

    x = [f for items in sets.values() for it in items for _g, f in it.candidates]
    y = [float(g in it.truth) for items in sets.values() for it in items for g, _f in it.candidates]
    if not x or not any(y):
        return SecondGoalModel(fitted_on=", ".join(sets))
    *w, b = fit_logistic(np.array(x), np.array(y))
    best, best_score = DEFAULT_THRESHOLD, -1.0
    for t in THRESHOLD_GRID:
        m = SecondGoalModel(tuple(w), b, t)
        score = sum(macro_f1(items, m) for items in sets.values()) / len(sets)
        if score > best_score + 1e-12:
            best, best_score = t, score
    return SecondGoalModel(tuple(round(v, 6) for v in w), round(b, 6), best, ", ".join(sets))


def cross_validate(sets: Mapping[str, Sequence[Scored]], k: int = 5) -> dict[str, float]:
    """Macro F1 per set, each passage decided by a model fitted on the other k−1 folds (of every set)."""
    models: dict[str, list[SecondGoalModel]] = {name: [SecondGoalModel()] * len(items) for name, items in sets.items()}
    for fold in range(k):
        model = fit({name: [it for i, it in enumerate(items) if i % k != fold] for name, items in sets.items()})
        for name, items in sets.items():
            for i in range(fold, len(items), k):
                models[name][i] = model
    return {name: macro_f1(items, models[name]) for name, items in sets.items()}


def _read(paths: Sequence[Path]) -> dict[str, list[Scored]]:
    from vlrkit.align.calibrate import read_labelled

    return {p.name: score_rows(read_labelled([p])) for p in paths}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--cv"]:
        k, paths = int(argv[1]), [Path(a) for a in argv[2:]]
        for name, f1 in cross_validate(_read(paths), k).items():
            print(f"set={name} cv_folds={k} goal_macro_f1={f1:.3f}")
        return
    model = fit(_read([Path(a) for a in argv]))
    PATH.write_text(model.to_json() + "\n", encoding="utf-8")
    print(model.to_json())


if __name__ == "__main__":
    main(sys.argv[1:])
