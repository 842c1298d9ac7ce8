"""Frozen result objects that explain themselves.

Methods that run over many entities return frame-backed results (:class:`SdsnResult`,
:class:`ProgressResult`, :class:`EscapResult`): the frames hold one row per entity × indicator
(or goal) with the inputs, the bounds and the outcome side by side; ``explain()`` turns one row
into an :class:`Explanation` — inputs, bounds, the rule applied in words, method and version —
so a report can show the provenance of every colour and arrow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vlrkit.assess.rules import METHOD_VERSION, OPTIMUM_WORDS


@dataclass(frozen=True)
class Explanation:
    """Why one result came out as it did."""

    method: str
    version: str
    entity: str
    subject: str  # indicator code or "goal 11"
    outcome: str  # colour, trend or status slug
    inputs: Mapping[str, Any]
    bounds: Mapping[str, Any]
    rule: str
    edition: str = "vlrkit"  # the method edition (vlrkit.assess.editions) whose rules applied

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "version": self.version,
            "edition": self.edition,
            "entity": self.entity,
            "subject": self.subject,
            "outcome": self.outcome,
            "inputs": dict(self.inputs),
            "bounds": dict(self.bounds),
            "rule": self.rule,
        }


def _row(frame: pl.DataFrame, **keys: Any) -> dict[str, Any]:
    cond = pl.lit(True)
    for k, v in keys.items():
        cond = cond & (pl.col(k) == v)
    rows = frame.filter(cond).to_dicts()
    if not rows:
        raise KeyError(keys)
    return rows[0]


@dataclass(frozen=True)
class SdsnResult:
    """SDSN scores: ``indicators`` (entity × indicator), ``goals`` (entity × goal), ``index``
    (entity) and the ``bounds`` used (with each bound's source: metadata, peers or none)."""

    indicators: pl.DataFrame
    goals: pl.DataFrame
    index: pl.DataFrame
    bounds: pl.DataFrame
    parameters: Mapping[str, Any] = field(default_factory=dict)
    method: str = "sdsn"
    version: str = METHOD_VERSION
    edition: str = "vlrkit"  # the method edition whose rules were applied (vlrkit.assess.editions)

    def explain(self, entity: str, indicator: str) -> Explanation:
        """Inputs, bounds and rule behind one indicator's score, colour and trend."""
        r = _row(self.indicators, entity=entity, indicator=indicator)
        b = _row(self.bounds, indicator=indicator)
        from vlrkit.assess import editions

        rule_used = b.get("optimum") or "none"
        yellow = ""
        if editions.sdsn(self.edition).colouring.yellow == "given":
            yellow = (f"yellow threshold {_fmt(b['yellow'])} (given); " if b.get("yellow") is not None else
                      "no yellow threshold given: the midpoint of red and green is used; ")
        rule = (
            f"optimum best = {_fmt(b['best'])}: {OPTIMUM_WORDS.get(rule_used, rule_used)}; "
            f"score = 100·(x − worst)/(best − worst) clipped to [0, 100] = {_fmt(r['score'])}; "
            f"{yellow}0..3 scale (worst 0, red 1, green 2, best 3) = {_fmt(r['scale03'])} → {r['colour']}; "
            f"trend: observed {_fmt(r['trend_observed'])} vs required "
            f"{_fmt(r['trend_required'])} points/year → {r['trend']}"
        )
        return Explanation(
            method=self.method,
            version=self.version,
            entity=entity,
            subject=indicator,
            outcome=r["colour"],
            inputs={
                "year": r["year"],
                "value": r["value"],
                "trend_year0": r["trend_year0"],
                "trend_value0": r["trend_value0"],
            },
            bounds={k: b[k] for k in ("direction", "best", "worst", "green", "red")}
            | ({"yellow": b["yellow"]} if b.get("yellow") is not None else {})
            | {f"{k}_source": b[f"{k}_source"] for k in ("best", "worst", "green", "red")}
            | {"optimum": rule_used},
            rule=rule,
            edition=self.edition,
        )

    def explain_goal(self, entity: str, goal: int) -> Explanation:
        """Inputs and rule behind one goal's colour, score and trend."""
        r = _row(self.goals, entity=entity, goal=goal)
        from vlrkit.assess import editions

        gc = editions.sdsn(self.edition).goal_colour
        grey = f"< {gc.min_coverage:.0%} → grey" if gc.min_coverage > 0 else "any data is coloured"
        if gc.rule == "mean_colour":
            red = (f"more than {gc.red_share:.3g} of them red ({r.get('n_red')} of {r.get('n_coloured')}) → red; "
                   if gc.red_share is not None else "")
            how = (f"{red}mean of the indicators' colours (green 3, yellow 2, orange 1, red 0) = "
                   f"{_fmt(r.get('colour_points'))}, rounded to the nearest colour")
        else:
            how = (f"mean of the two worst on 0..3 = {_fmt(_mean(r['worst1'], r['worst2']))}: "
                   f"≥ {gc.green_at:g} green{' (both green)' if gc.both_green else ''}, ≥ {gc.yellow_at:g} yellow, "
                   f"≥ {gc.orange_at:g} orange, < {gc.orange_at:g} red{' (both red)' if gc.both_red else ''}")
        rule = (
            f"{r['n_indicators']} of {r['n_expected']} indicators with data ({grey}); "
            f"{how} → {r['colour']}; score = mean of normalised scores"
            f"{' (imputed: regional mean)' if r['imputed'] else ''} = {_fmt(r['score'])}"
        )
        return Explanation(
            method=self.method,
            version=self.version,
            entity=entity,
            subject=f"goal {goal}",
            outcome=r["colour"],
            inputs={k: r[k] for k in ("n_indicators", "n_expected", "worst1", "worst2", "score")},
            bounds={},
            rule=rule,
            edition=self.edition,
        )


@dataclass(frozen=True)
class ProgressResult:
    """Progress towards a target (UNSD, Statistics Canada, Eurostat, projection form): one row
    per entity × indicator (× window for Eurostat) with base, latest, target, growth rates,
    ratio, status and the rule that fired (``rule``)."""

    table: pl.DataFrame
    method: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    version: str = METHOD_VERSION
    edition: str = "vlrkit"  # the profile whose defaults (base and target year…) were applied

    def explain(self, entity: str, indicator: str, window: str | None = None) -> Explanation:
        keys: dict[str, Any] = {"entity": entity, "indicator": indicator}
        if window is not None:
            keys["window"] = window
        r = _row(self.table, **keys)
        return Explanation(
            method=self.method,
            version=self.version,
            entity=entity,
            subject=indicator,
            outcome=r["status"],
            inputs={k: r[k] for k in ("y0", "x0", "y1", "x1", "n")},
            bounds={k: r[k] for k in ("target", "target_year", "direction")},
            rule=r["rule"],
            edition=self.edition,
        )


@dataclass(frozen=True)
class EscapResult:
    """ESCAP current status index and anticipated progress, per entity × indicator, with
    target- and goal-level averages."""

    indicators: pl.DataFrame
    goals: pl.DataFrame
    parameters: Mapping[str, Any] = field(default_factory=dict)
    targets: pl.DataFrame | None = None  # per SDG target (``sdg_target``), when links were given
    method: str = "escap"
    version: str = METHOD_VERSION

    def explain(self, entity: str, indicator: str) -> Explanation:
        r = _row(self.indicators, entity=entity, indicator=indicator)
        return Explanation(
            method=self.method,
            version=self.version,
            entity=entity,
            subject=indicator,
            outcome=r["gauge"],
            inputs={k: r[k] for k in ("y0", "x0", "y1", "x1", "n", "predicted")},
            bounds={k: r[k] for k in ("target", "target_year", "direction")},
            rule=r["rule"],
        )


def _mean(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else (a + b) / 2


def _fmt(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)
