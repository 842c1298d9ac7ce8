"""The statistical annex's method blocks: the method edition the review is assessed by, with
every rule it applied and what each rests on, and the sensitivity tables — each indicator and
goal under every SDSN method edition and progress method, with the rows where they disagree.

The figures come from the assessment (:class:`vlrkit.assess.review.ReviewAssessment`'s
``method_edition``) and :mod:`vlrkit.assess.sensitivity`; the report computes no method of its
own.  Kept apart from :mod:`vlrkit.report.blocks` so that other annex blocks can change beside it.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from vlrkit.report.model import Block, Bullets, GoalView, Paragraph, Table

_L: dict[str, dict[str, str]] = {
    "method_edition": {"en": "Method edition: {e}", "zh-Hans": "方法版本：{e}"},
    "method_intro": {"en": "The assessment applies the rules of {e} ({n} {v}); headline method: {m}. Every rule "
                           "below says what it rests on: the edition's published methodology, its published results, "
                           "or vlrkit's reading where the methodology leaves a choice open.",
                     "zh-Hans": "本评估采用 {e}（{n} {v}）的规则；主要方法：{m}。下列每条规则均注明依据：该版本公布的方法、"
                                "其公布的结果，或在方法未作规定之处 vlrkit 的解读。"},
    "rule": {"en": "Rule", "zh-Hans": "规则"}, "value": {"en": "Value", "zh-Hans": "取值"},
    "basis": {"en": "Basis", "zh-Hans": "依据"}, "note": {"en": "What it rests on", "zh-Hans": "说明"},
    "sources": {"en": "Sources of the method edition:", "zh-Hans": "方法版本的来源："},
    "published": {"en": "published", "zh-Hans": "已公布"},
    "inferred": {"en": "inferred from published results", "zh-Hans": "由公布结果推定"},
    "reported": {"en": "reported (measured on published results)", "zh-Hans": "据报告（基于公布结果测定）"},
    "ours": {"en": "vlrkit's choice", "zh-Hans": "vlrkit 的选择"},
    "default": {"en": "vlrkit default", "zh-Hans": "vlrkit 默认"},
    "sens_intro": {"en": "Sensitivity: each indicator under every SDSN method edition (colour and trend arrow) and every "
                         "progress method (status towards the local target). Outcomes that say nothing (insufficient "
                         "data, no target) take no side; a row is marked where the methods that take a side disagree. "
                         "{d} of {n} indicators and {g} of {h} goals are marked.",
                   "zh-Hans": "敏感性：各指标在每个 SDSN 方法版本（颜色与趋势箭头）和每种进展方法（相对地方目标的状态）下的结果。"
                              "无结论的结果（数据不足、无目标）不计；有结论的方法结果不一致时标出。共标出 {n} 项指标中的 {d} 项、"
                              "{h} 个目标中的 {g} 个。"},
    "sens_editions": {"en": "Sensitivity by SDSN method edition (colour / trend)", "zh-Hans": "各 SDSN 方法版本下的敏感性（颜色／趋势）"},
    "sens_progress": {"en": "Sensitivity by progress method (status towards the local target)",
                      "zh-Hans": "各进展方法下的敏感性（相对地方目标的状态）"},
    "sens_goals": {"en": "Sensitivity of the goals by SDSN method edition (colour / trend)",
                   "zh-Hans": "各 SDSN 方法版本下目标的敏感性（颜色／趋势）"},
    "indicator": {"en": "Indicator", "zh-Hans": "指标"}, "goal": {"en": "Goal", "zh-Hans": "目标"},
    "differs": {"en": "Methods differ", "zh-Hans": "方法结果不同"},
    "yes": {"en": "yes", "zh-Hans": "是"}, "no": {"en": "—", "zh-Hans": "—"},
}
_ARROWS = {"on_track": "↑", "moderately_improving": "➚", "stagnating": "→", "decreasing": "↓",
           "insufficient_data": "·"}


def _t(key: str, lang: str, **kw: Any) -> str:
    text = _L[key].get(lang) or _L[key]["en"]
    return text.format(**kw) if kw else text


def method_annex(assessment: Any, lang: str) -> tuple[Block, ...]:
    """The method edition the review was assessed by, every rule it applied and its sources."""
    name = getattr(assessment, "method_edition", None)
    if name is None:
        return ()
    from vlrkit.assess import editions

    e = editions.get(name)
    rows = tuple((c.key, c.value, _t(c.basis, lang), c.note) for c in e.choices)
    return (
        Paragraph(_t("method_intro", lang, e=e.label(lang), n=e.name, v=e.version,
                     m=getattr(assessment, "method", "sdsn"))),
        Table("method-edition", _t("method_edition", lang, e=e.label(lang)),
              tuple(_t(k, lang) for k in ("rule", "value", "basis", "note")), rows),
        Paragraph(_t("sources", lang)),
        Bullets(tuple(f"[{s.key}] {s.cite}" + (f" {s.url}" if s.url else "") for s in e.sources)),
    )


def _cell(colour: str | None, trend: str | None, lang: str) -> str:
    from vlrkit.assess.rules import label

    return f"{label(colour or 'grey', lang)} {_ARROWS.get(trend or 'insufficient_data', '')}".strip()


def sensitivity_annex(sens: Any, goals: tuple[GoalView, ...], lang: str) -> tuple[Block, ...]:
    """The indicators and goals under every method edition and progress method, side by side."""
    if sens is None or sens.indicators.height == 0:
        return ()
    from vlrkit.assess.rules import label

    names = {i.code: f"{i.code} {i.name}" for g in goals for i in g.indicators}
    ind = sens.indicator_table()
    gt = sens.goal_table()
    flag = lambda b: _t("yes" if b else "no", lang)  # noqa: E731
    ed_rows, pr_rows = [], []
    for r in ind.sort("goal", "indicator").iter_rows(named=True):
        who = names.get(r["indicator"], r["indicator"])
        ed_rows.append((who, *(_cell(r.get(f"colour:{e}"), r.get(f"trend:{e}"), lang) for e in sens.editions),
                        flag(r["colour_disagree"] or r["trend_disagree"])))
        pr_rows.append((who, *(label(r.get(f"progress:{m}") or "not_available", lang) for m in sens.methods),
                        flag(r["progress_disagree"])))
    goal_rows = tuple(
        (str(r["goal"]), *(_cell(r.get(f"colour:{e}"), r.get(f"trend:{e}"), lang) for e in sens.editions),
         flag(r["colour_disagree"] or r["trend_disagree"]))
        for r in gt.sort("goal").iter_rows(named=True))
    n_goals = gt.filter(pl.col("colour_disagree") | pl.col("trend_disagree")).height
    return (
        Paragraph(_t("sens_intro", lang, d=ind.filter(pl.col("disagree")).height, n=ind.height, g=n_goals,
                     h=gt.height)),
        Table("sensitivity-editions", _t("sens_editions", lang),
              (_t("indicator", lang), *sens.editions, _t("differs", lang)), tuple(ed_rows)),
        Table("sensitivity-progress", _t("sens_progress", lang),
              (_t("indicator", lang), *sens.methods, _t("differs", lang)), tuple(pr_rows)),
        Table("sensitivity-goals", _t("sens_goals", lang), (_t("goal", lang), *sens.editions, _t("differs", lang)),
              goal_rows),
    )


#: The last sensitivity computed, per review object (a report is built once per language).
_LAST: list[tuple[Any, Any]] = []


def annex(review: Any, assessment: Any, goals: tuple[GoalView, ...], lang: str) -> tuple[Block, ...]:
    """Both blocks for the statistical annex (GE-9a); nothing without an assessment of a review."""
    if getattr(assessment, "method_edition", None) is None:
        return ()
    hit = next((s for r, s in _LAST if r is review), None)
    if hit is None:
        from vlrkit.assess import sensitivity

        hit = sensitivity.of_review(review)
        _LAST[:] = [(review, hit)]
    return (*method_annex(assessment, lang), *sensitivity_annex(hit, goals, lang))
