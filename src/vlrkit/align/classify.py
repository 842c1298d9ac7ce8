"""Map passages to SDG goals and targets: combine the signals, calibrate, decide, explain.

    >>> from vlrkit.align import classify
    >>> p = classify("全面推行生活垃圾分类，建设厨余垃圾处理厂。")
    >>> p.goal, p.target
    (11, '11.6')

A :class:`Prediction` holds the best goal and target, the goals whose calibrated score passes
the decision threshold (multi-label, possibly none), the top three targets, every goal's
calibrated score and the evidence: each matched term, its signal, and the target text it
points to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from vlrkit.align import signals
from vlrkit.align.calibrate import Calibration, goal_features, load
from vlrkit.align.second import SecondGoalModel
from vlrkit.align.second import features as second_features
from vlrkit.align.second import load as load_second
from vlrkit.align.segment import detect_lang

GOALS = tuple(range(1, 18))
#: A goal whose raw score is below this never passes the threshold, however it calibrates: one
#: weak target-text overlap is not enough to call a passage "about" a goal.
RAW_FLOOR = 0.6
#: The top goal passes when its raw score reaches this (one specific lexicon term or Aurora
#: rule), whatever the calibrated score: top-1 is far more reliable than the threshold.
TOP_RAW_MIN = 1.0
#: Whether a goal other than the best one passes is decided by the second-goal model
#: (:mod:`vlrkit.align.second`): its share of the top goal's raw score, its strength, how many
#: independent signals point to it and the naive Bayes posterior.  (It replaced a fixed rule,
#: "at least half the top goal's raw score and above the calibrated threshold", which was fitted
#: on passages labelled with one goal each and let 4 of 59 second goals of dev3_en through.)
#: How many targets ``Prediction.targets`` lists.
TOP_TARGETS = 3


@dataclass(frozen=True)
class Evidence:
    """Why a passage points to a target: the matched term and the target's own text."""

    target: str
    term: str
    signal: str
    weight: float
    target_text: str

    @property
    def goal(self) -> int:
        return int(self.target.split(".")[0])


@dataclass(frozen=True)
class Prediction:
    text: str
    lang: str
    goal: int | None  # the best goal, None when nothing matched
    target: str | None  # the best target of the best goal
    goals: tuple[int, ...]  # goals whose calibrated score passes the threshold, best first
    targets: tuple[str, ...]  # the top targets overall, best first
    scores: Mapping[int, float]  # calibrated score per goal (1–17)
    raw: Mapping[int, float] = field(default_factory=dict)
    target_scores: Mapping[str, float] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    def evidence_for(self, goal: int) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.goal == goal)


def raw_scores(text: str, lang: str) -> tuple[dict[int, float], list[signals.Hit]]:
    """Raw goal scores (sum of hit weights) and the hits behind them."""
    hits = signals.passage_hits(text, lang)
    raw: dict[int, float] = defaultdict(float)
    for h in hits:
        raw[h.goal] += h.weight
    return dict(raw), hits


@lru_cache(maxsize=1)
def _calibration() -> Calibration:
    return load()


@lru_cache(maxsize=1)
def _second() -> SecondGoalModel:
    return load_second()


def best_goal_passes(raw: Mapping[int, float], best: int, lang: str, calibration: Calibration | None = None) -> bool:
    """The decision for a passage's best goal: above the raw floor, and calibrated score above
    the threshold or one specific hit (raw ≥ ``TOP_RAW_MIN``)."""
    cal = calibration or _calibration()
    r = raw.get(best, 0.0)
    if r < RAW_FLOOR:
        return False
    return r >= TOP_RAW_MIN or cal.probability(lang, goal_features(raw)[best]) >= cal.cut(lang)


def _target_title(code: str, lang: str) -> str:
    from vlrkit import sdg

    try:
        if "." in code:
            return sdg.target(code).title(lang)
        return sdg.goal(int(code)).title(lang)
    except (KeyError, ValueError):
        return ""


def classify(text: str, lang: str | None = None, *, calibration: Calibration | None = None,
             second: SecondGoalModel | None = None) -> Prediction:
    """Map one passage to goals and targets."""
    lang = lang or detect_lang(text)
    cal = calibration or _calibration()
    second = second or _second()
    raw, hits = raw_scores(text, lang)
    feats = goal_features(raw)
    scores = {g: (cal.probability(lang, feats[g]) if raw.get(g, 0) > 0 else 0.0) for g in GOALS}
    tscores: dict[str, float] = defaultdict(float)
    for h in hits:
        if "." in h.target:
            tscores[h.target] += h.weight
    ranked_goals = sorted((g for g in GOALS if raw.get(g, 0) > 0), key=lambda g: (-raw[g], g))
    best = ranked_goals[0] if ranked_goals else None
    best_target = None
    if best is not None:
        within = [(s, t) for t, s in tscores.items() if t.split(".")[0] == str(best)]
        best_target = max(within)[1] if within else None
    passing: tuple[int, ...] = ()
    if best is not None and best_goal_passes(raw, best, lang, cal):
        passing = (best,) + tuple(
            g for g in ranked_goals[1:]
            if raw[g] >= RAW_FLOOR and second.passes(second_features(raw, hits, g, best))
        )
    top = sorted(tscores.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TARGETS]
    ev_lang = "zh-Hans" if lang.startswith("zh") else lang
    evidence = tuple(
        Evidence(h.target, h.term, h.signal, round(h.weight, 3), _target_title(h.target, ev_lang))
        for h in sorted(hits, key=lambda h: -h.weight)
    )
    return Prediction(
        text=text,
        lang=lang,
        goal=best,
        target=best_target,
        goals=passing,
        targets=tuple(t for t, _ in top),
        scores={g: round(s, 4) for g, s in scores.items()},
        raw={g: round(v, 4) for g, v in raw.items()},
        target_scores={t: round(v, 4) for t, v in tscores.items()},
        evidence=evidence,
    )


def classify_many(texts: Iterable[str | tuple[str, str | None]]) -> list[Prediction]:
    """Classify texts (or (text, lang) pairs) in order."""
    out = []
    for item in texts:
        text, lang = (item, None) if isinstance(item, str) else item
        out.append(classify(text, lang))
    return out
