"""Why a goal colour from the two-worst rule differs from a published one.

When SDSN's colours are reproduced with thresholds that are not published (they are fitted, as
for 2018), some cells differ.  :func:`explain_mismatches` says, for each, what caused it:

* the goal's two worst indicators — value, normalised score, 0..3 position — their average and
  the cut (2 green, 1.5 yellow, 1 orange; "both green", "both red") it fell on the wrong side of;
* the **smallest change of one threshold of one named indicator** (on the 0–100 scale, 0.01
  steps) that gives the published colour, with the other entities whose computed colour would
  then stop matching the published one (``breaks``) or start matching (``fixes``);
* a **conflict witness** where one exists: another entity whose indicators of the goal are no
  better on every one (and no fewer, where it matters) yet whose published colour is better.
  The two-worst rule is monotone in every indicator's score for *any* thresholds (the 0..3
  position rises with the score; the average of the two worst, "both green" and "both red" all
  rise with the positions; adding an indicator to a set of two or more can only lower the two
  worst), so such a pair proves that **no thresholds at all** reproduce both published colours;
* the kind: ``coverage`` (the 50 % rule disagrees with a published grey), ``impossible`` (every
  indicator at the optimum, yet not published green), ``conflict`` (a witness exists),
  ``dashboard_only`` (a dashboard-only indicator whose bounds are not in the data is among the
  two worst) or ``thresholds`` (the fitted thresholds fall short; a change exists).

Pure numpy over the frames of an :class:`~vlrkit.assess.results.SdsnResult`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from vlrkit.assess.rules import (
    SDSN_GREEN_AT,
    SDSN_ORANGE_AT,
    SDSN_POSITION_DECIMALS,
    SDSN_YELLOW_AT,
)

#: Colour order, worst first (grey is outside it).
ORDER = ("red", "orange", "yellow", "green")
#: Candidate thresholds searched for the smallest change, on the 0–100 scale.
STEP = 0.01
#: Witnesses named per mismatch.
MAX_WITNESSES = 3
_RANK = {c: i for i, c in enumerate(ORDER)}


@dataclass(frozen=True)
class Worst:
    """One of the goal's two worst indicators for the entity."""

    indicator: str
    name: str
    value: float
    score: float
    position: float  # 0..3: lower bound 0, red 1, green 2, optimum 3
    dashboard_only: bool


@dataclass(frozen=True)
class ThresholdChange:
    """A change of one threshold that gives the published colour, and what else it changes."""

    indicator: str
    threshold: str  # "green" | "red"
    old_score: float
    new_score: float
    breaks: tuple[str, ...]  # entities matched before, not after
    fixes: tuple[str, ...]  # other entities not matched before, matched after

    @property
    def size(self) -> float:
        return abs(self.new_score - self.old_score)


@dataclass(frozen=True)
class Mismatch:
    """One goal cell whose computed colour differs from the published one, explained."""

    entity: str
    goal: int
    published: str
    computed: str
    kind: str  # coverage | impossible | conflict | dashboard_only | thresholds
    worst: tuple[Worst, ...]
    average: float | None
    cut: str
    smallest: ThresholdChange | None  # the smallest single change giving the published colour
    least_harm: ThresholdChange | None  # the change with fewest breaks, when that is another one
    witnesses: tuple[str, ...]  # entities proving a conflict in the published colours
    reason: str
    dashboard_only: tuple[Worst, ...] = ()  # the entity's dashboard-only indicators of the goal


def rule_colour(v1: np.ndarray, v2: np.ndarray) -> np.ndarray:
    """Two-worst rule on 0..3 positions (``v1 ≤ v2``): colour rank 0 red … 3 green."""
    mean = (v1 + v2) / 2
    out = np.select([mean >= SDSN_GREEN_AT, mean >= SDSN_YELLOW_AT, mean >= SDSN_ORANGE_AT], [3, 2, 1], 0)
    out = np.where((out == 3) & (v1 < SDSN_GREEN_AT), 2, out)
    return np.where((out == 0) & (v2 >= SDSN_ORANGE_AT), 1, out)


def positions(s: np.ndarray, red: np.ndarray | float, green: np.ndarray | float) -> np.ndarray:
    """Scores → 0..3 positions, as :func:`vlrkit.assess.sdsn.scale03` (numpy, broadcasting)."""
    r, g = np.asarray(red, dtype=float), np.asarray(green, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = s / np.where(r > 0, r, 1.0)
        mid = 1.0 + (s - r) / np.where(g > r, g - r, 1.0)
        high = np.where(g >= 100.0, 3.0, 2.0 + (s - g) / np.where(g < 100.0, 100.0 - g, 1.0))
    return np.round(np.where(s < r, low, np.where(s < g, mid, high)), SDSN_POSITION_DECIMALS)


class _Goal:
    """One goal's scores as an entity × indicator matrix, with the thresholds in force."""

    def __init__(self, ind: pl.DataFrame, entities: list[str], codes: list[str]) -> None:
        self.entities, self.codes = entities, codes
        row = {e: i for i, e in enumerate(entities)}
        col = {c: j for j, c in enumerate(codes)}
        self.S = np.full((len(entities), len(codes)), np.nan)
        self.red = np.full(len(codes), np.nan)
        self.green = np.full(len(codes), np.nan)
        for r in ind.iter_rows(named=True):
            j = col[r["indicator"]]
            if r["entity"] in row and r["score"] is not None:
                self.S[row[r["entity"]], j] = r["score"]
            if r["red_score"] is not None:
                self.red[j], self.green[j] = r["red_score"], r["green_score"]

    def colours(self, red: np.ndarray, green: np.ndarray) -> np.ndarray:
        """Colour rank per entity (−1 where no indicator has a score)."""
        V = positions(self.S, red[None, :], green[None, :])
        V = np.where(np.isnan(self.S), np.inf, V)
        V = np.sort(np.column_stack([V, np.full((len(V), 2), np.inf)]), axis=1)[:, :2]
        v1 = V[:, 0]
        v2 = np.where(np.isinf(V[:, 1]), v1, V[:, 1])
        return np.where(np.isinf(v1), -1, rule_colour(v1, v2))


def _dominates(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether an entity with scores ``a`` gets a colour ≥ one with ``b`` under any thresholds."""
    sa, sb = ~np.isnan(a), ~np.isnan(b)
    if not sa.any() or np.any(sa & ~sb):
        return False  # a must have no indicator that b lacks
    if (sa != sb).any() and sa.sum() < 2:
        return False  # one indicator alone sets the colour: a second one may raise it
    return bool(np.all(a[sa] >= b[sa]))


def _witnesses(g: _Goal, i: int, pub: np.ndarray) -> tuple[str, ...]:
    out = []
    for k in range(len(g.entities)):
        if k == i or pub[k] < 0:
            continue
        if (_dominates(g.S[i], g.S[k]) and pub[i] < pub[k]) or (_dominates(g.S[k], g.S[i]) and pub[k] < pub[i]):
            out.append(g.entities[k])
    return tuple(out[:MAX_WITNESSES])


def _changes(g: _Goal, i: int, pub: np.ndarray, counted: np.ndarray) -> list[ThresholdChange]:
    """For each indicator the entity has and each threshold: the nearest value giving the
    published colour to entity ``i``; other entities' colours recomputed (those in ``counted``,
    i.e. not grey by the coverage rule)."""
    base = g.colours(g.red, g.green)
    ok_before = (base == pub) & counted
    grid = np.round(np.arange(0.0, 100.0 + STEP / 2, STEP), 6)
    out = []
    for j in np.where(~np.isnan(g.S[i]) & ~np.isnan(g.red))[0]:
        for which in ("green", "red"):
            old = float(g.green[j] if which == "green" else g.red[j])
            other = g.red[j] if which == "green" else g.green[j]
            cand = grid[grid > other] if which == "green" else grid[grid < other]
            if not cand.size:
                continue
            red = np.broadcast_to(g.red, (cand.size, len(g.codes))).copy()
            green = np.broadcast_to(g.green, (cand.size, len(g.codes))).copy()
            (green if which == "green" else red)[:, j] = cand
            V = positions(g.S[i][None, :], red, green)
            V = np.sort(np.where(np.isnan(g.S[i])[None, :], np.inf, V), axis=1)
            v1, v2 = V[:, 0], np.where(np.isinf(V[:, 1]), V[:, 0], V[:, 1])
            hit = np.where((rule_colour(v1, v2) == pub[i]) & (cand != old))[0]
            if not hit.size:
                continue
            new = float(cand[hit[np.argmin(np.abs(cand[hit] - old))]])
            r2, g2 = g.red.copy(), g.green.copy()
            (g2 if which == "green" else r2)[j] = new
            after = (g.colours(r2, g2) == pub) & counted
            others = np.arange(len(g.entities)) != i
            out.append(ThresholdChange(
                indicator=g.codes[j], threshold=which, old_score=old, new_score=new,
                breaks=tuple(g.entities[k] for k in np.where(ok_before & ~after & others)[0]),
                fixes=tuple(g.entities[k] for k in np.where(~ok_before & after & others)[0]),
            ))
    return out


def _cut(v1: float, v2: float, computed: str, published: str) -> str:
    """The rule that gave ``computed`` and what ``published`` would need, in words."""
    mean = (v1 + v2) / 2
    rc, rp = _RANK[computed], _RANK[published]
    if computed == "green":
        got = f"average {mean:.3f} ≥ 2 and worst {v1:.3f} ≥ 2 (both green) → green"
    elif computed == "yellow" and mean >= SDSN_GREEN_AT:
        got = f"average {mean:.3f} ≥ 2 but worst {v1:.3f} < 2 (not both green) → yellow"
    elif computed == "orange" and mean < SDSN_ORANGE_AT:
        got = f"average {mean:.3f} < 1 but second worst {v2:.3f} ≥ 1 (not both red) → orange"
    elif computed == "red":
        got = f"average {mean:.3f} < 1 and both worst below 1 → red"
    else:
        got = f"average {mean:.3f} in [{_floor(computed)}, {_floor(ORDER[rc + 1])}) → {computed}"
    if rc > rp:  # computed better: the average (or a worst) must come down
        need = f"published {published} needs the average below {_floor(ORDER[rp + 1])}"
        if published == "yellow":
            need += " or the worst below 2"
        elif published == "red":
            need = "published red needs both worst below 1"
    else:  # computed worse: it must go up
        need = f"published {published} needs the average at {_floor(published)} or above"
        if published == "green":
            need += " and the worst at 2 or above"
        elif published == "orange":
            need += " or the second worst at 1 or above"
    return f"{got}; {need}"


def _floor(colour: str) -> float:
    return {"green": SDSN_GREEN_AT, "yellow": SDSN_YELLOW_AT, "orange": SDSN_ORANGE_AT, "red": 0.0}[colour]


def explain_mismatches(
    indicators: pl.DataFrame,
    goals: pl.DataFrame,
    published: pl.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    dashboard_only: Mapping[str, str] | None = None,
    notes: Mapping[tuple[str, str], str] | None = None,
) -> tuple[Mismatch, ...]:
    """Explain every goal cell where ``goals.colour`` (computed) ≠ ``published.colour``.

    ``indicators`` and ``goals`` are :class:`~vlrkit.assess.results.SdsnResult` frames;
    ``published`` has ``entity, goal, colour``; ``names`` maps indicator codes to titles;
    ``dashboard_only`` maps the codes of dashboard-only indicators whose bounds and thresholds
    are not in the data to the reason why; ``notes`` maps ``(entity, indicator)`` to a remark
    added when that indicator is among the two worst (e.g. an input recovered, not observed).
    """
    names, extra = names or {}, dashboard_only or {}
    pub = published.select("entity", "goal", pl.col("colour").alias("published"))
    cells = goals.select("entity", "goal", pl.col("colour").alias("computed")).join(pub, on=["entity", "goal"])
    wrong = cells.filter(pl.col("computed") != pl.col("published")).sort("entity", "goal")
    out = []
    for goal in sorted(set(wrong["goal"].to_list())):
        ind = indicators.filter(pl.col("goal") == goal)
        c = cells.filter(pl.col("goal") == goal).sort("entity")
        g = _Goal(ind, c["entity"].to_list(), sorted(set(ind["indicator"].to_list())))
        pubr = np.array([_RANK.get(x, -1) for x in c["published"].to_list()])
        counted = np.array([x != "grey" for x in c["computed"].to_list()])
        for row in wrong.filter(pl.col("goal") == goal).iter_rows(named=True):
            i = g.entities.index(row["entity"])
            m = _explain(g, i, row, pubr, counted, ind, names, extra)
            remarks = [f"{w.indicator}: {notes[(m.entity, w.indicator)]}" for w in m.worst
                       if notes and (m.entity, w.indicator) in notes]
            out.append(_replace(m, reason="; ".join([m.reason, *remarks])) if remarks else m)
    return tuple(out)


def _explain(g: _Goal, i: int, row: dict, pub: np.ndarray, counted: np.ndarray, ind: pl.DataFrame,
             names: Mapping[str, str], extra: Mapping[str, str]) -> Mismatch:
    entity, goal, p, c = row["entity"], row["goal"], row["published"], row["computed"]
    mine = ind.filter((pl.col("entity") == entity) & pl.col("scale03").is_not_null()).sort("scale03")
    every = tuple(
        Worst(r["indicator"], names.get(r["indicator"], r["indicator"]), r["value"], r["score"], r["scale03"],
              r["indicator"] in extra)
        for r in mine.iter_rows(named=True)
    )
    worst, others = every[:2], tuple(w for w in every[2:] if w.dashboard_only)
    empty = Mismatch(entity, goal, p, c, "coverage", worst, None, "", None, None, (), "", others)
    if "grey" in (p, c):
        return _replace(empty, reason="coverage: the 50 % rule on the workbook's data "
                        f"({mine.height} indicators with data) disagrees with the published {p}")
    v1 = worst[0].position
    v2 = worst[1].position if len(worst) > 1 else v1
    cut = _cut(v1, v2, c, p)
    if mine.height and float(mine["score"].min()) >= 100.0 and p != "green":  # type: ignore[arg-type]
        return _replace(empty, kind="impossible", average=(v1 + v2) / 2, cut=cut,
                        reason="impossible: every indicator at the optimum (score 100) is green under any thresholds")
    witnesses = _witnesses(g, i, pub)
    changes = _changes(g, i, pub, counted)
    smallest = min(changes, key=lambda ch: ch.size) if changes else None
    least = min(changes, key=lambda ch: (len(ch.breaks) - len(ch.fixes), ch.size)) if changes else None
    if least is smallest:
        least = None
    in_worst = [w for w in worst if w.dashboard_only]
    if witnesses:
        kind = "conflict"
        reason = (f"conflict: {', '.join(witnesses)} score no better on every indicator of goal {goal} "
                  f"(and have no fewer of them) yet are published better than {p}: no thresholds reproduce both")
    elif in_worst:
        kind = "dashboard_only"
        reason = "; ".join(f"{w.indicator} ({w.name}) is among the two worst: {extra[w.indicator]}" for w in in_worst)
    else:
        kind = "thresholds"
        reason = "the fitted thresholds fall short; no entity proves a conflict"
        if others:
            reason += "; the goal also has " + ", ".join(
                f"{w.indicator} ({w.name}, position {w.position:.3f})" for w in others
            ) + f" — {extra[others[0].indicator]}: with its true bounds it may be among the two worst"
    if smallest is None:
        reason += "; no single threshold change gives the published colour"
    return Mismatch(entity, goal, p, c, kind, worst, (v1 + v2) / 2, cut, smallest, least, witnesses, reason, others)


def _replace(m: Mismatch, **kw: object) -> Mismatch:
    from dataclasses import replace

    return replace(m, **kw)  # type: ignore[arg-type]
