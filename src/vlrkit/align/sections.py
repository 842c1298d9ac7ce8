"""Tables and text blocks for the report's GE-5c (SDGs in local frameworks) and GE-7 (means of
implementation) sections, built from an :class:`~vlrkit.align.analysis.Alignment`.

    >>> blocks = report_blocks(al, "zh-Hans", scores={1: 80.0, 13: 41.0, ...})
    >>> blocks["GE-5c"], blocks["GE-7"]

The report uses accepted mappings only (``only_accepted=True``); a draft view may pass False.
Blocks are :mod:`vlrkit.report.model` ``Paragraph``/``Bullets``/``Table`` objects, so every
renderer (HTML, PDF, DOCX, JSON) shows them without knowing about alignment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from vlrkit.align.analysis import Alignment, attention, attention_gap, coverage
from vlrkit.align.classify import GOALS
from vlrkit.align.links import interlinkages

#: Means-of-implementation categories (GE-7.4) by SDG target.
MOI: dict[str, tuple[tuple[str, ...], str, str]] = {
    "finance": (("17.1", "17.2", "17.3", "17.4", "17.5", "1.a", "13.a", "15.a", "15.b", "10.b"), "Finance", "资金"),
    "technology": (("17.6", "17.7", "17.8", "9.5", "9.b", "9.c"), "Technology", "技术"),
    "capacity": (("17.9", "13.3", "13.b", "12.a", "4.4"), "Capacity building", "能力建设"),
    "data": (("17.18", "17.19"), "Data and monitoring", "数据与监测"),
    "partnerships": (("17.16", "17.17"), "Partnerships", "伙伴关系"),
    "coherence": (("17.13", "17.14", "17.15"), "Policy coherence", "政策一致性"),
}
TOP_LINKS = 10
_T = {
    "doc": ("Document", "文件"), "goal": ("Goal", "目标"), "passages": ("Passages", "段落数"),
    "share": ("Share of passages", "段落占比"), "budget": ("Budget (tagged)", "预算（标注）"),
    "budget_share": ("Share of budget", "预算占比"), "score": ("Goal score", "目标得分"),
    "assessment": ("Attention gap", "关注缺口"), "pair": ("Goals", "目标组合"), "lift": ("Lift", "提升度"),
    "flag": ("Flag", "提示"), "why": ("Why", "原因"), "category": ("Means", "执行手段"),
    "example": ("Example", "示例"), "lines": ("Budget lines", "预算条目"),
    "cov_caption": ("Plans and budgets mapped to the SDGs (passages per goal)", "规划与预算对照可持续发展目标（各目标段落数）"),
    "att_caption": ("Policy attention and performance per goal", "各目标的政策关注度与表现"),
    "link_caption": ("Goals treated together: possible synergies and trade-offs", "同时涉及的目标：可能的协同与权衡"),
    "budget_caption": ("Budget by goal", "各目标预算"),
    "moi_caption": ("Means of implementation in plans", "规划中的执行手段"),
    "synergy": ("synergy", "协同"), "trade-off": ("trade-off", "权衡"),
    "neglected": ("attention gap", "关注缺口"), "reverse": ("high attention, good score", "关注高、表现好"),
    "addressed": ("poor score, attended", "表现差、已关注"), "low-attention": ("little attention", "关注少"),
    "unassessed": ("not assessed", "未评估"), "": ("", ""),
    "note_weighted": ("A budget line tagged with several goals counts fully under each; the share splits it by score.",
                      "标注多个目标的预算条目在各目标下全额计入；占比按得分拆分。"),
    "prop_caption": ("Counting also the mappings proposed by the classifier and not yet reviewed "
                     "(proposed, not yet reviewed — not findings)",
                     "连同分类器建议、尚未审核的映射一并计算（建议映射，尚未审核，并非结论）"),
    "pending": ("Proposed, not yet reviewed", "建议映射，尚未审核"),
    "share_all": ("Share of passages, with proposals", "段落占比（含建议）"),
    "budget_all": ("Budget, with proposals", "预算（含建议）"),
    "gap_all": ("Attention gap, with proposals", "关注缺口（含建议）"),
    "note_cooc": ("Co-occurrence shows goals a plan treats together; flags are prompts to check, not findings.",
                  "共现表示规划同时涉及的目标；提示仅供核查，并非结论。"),
}


def _t(key: str, lang: str) -> str:
    en, zh = _T[key]
    return zh if lang.startswith("zh") else en


def _goal(g: int, lang: str) -> str:
    from vlrkit import sdg

    return f"{g} {sdg.goal(g).short_title('zh-Hans' if lang.startswith('zh') else 'en')}"


def _money(x: float) -> str:
    if x == 0:
        return "0"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def pending(al: Alignment) -> int:
    """How many mappings the classifier proposed that nobody has accepted or rejected yet."""
    return sum(1 for p in al.passages for g in p.goals if p.status.get(g, "proposed") == "proposed")


def _proposals(al: Alignment, lang: str, scores: Mapping[int, float | None]) -> tuple[Any, ...]:
    """The figures counting proposals too, labelled as such; ``()`` when nothing awaits review."""
    from vlrkit.report.model import Paragraph, Table

    waiting = pending(al)
    if not waiting:
        return ()
    zh = lang.startswith("zh")
    mapped = sum(1 for p in al.passages if p.effective_goals(False))
    att_all = {a.goal: a for a in attention(al, only_accepted=False)}
    goals = [g for g in GOALS if att_all[g].passages or att_all[g].budget_lines]
    if zh:
        text = (f"另有{waiting}个由分类器建议的映射尚未审核，未计入上述数字。若连同这些建议映射"
                f"（建议映射，尚未审核）一并计算，{len(al.passages)}个段落或预算条目中有{mapped}个与可持续发展目标相关，"
                f"涉及{len(goals)}个目标。可在网页的“政策对照”页面或用 vlr align review 审核。")
    else:
        text = (f"{waiting} mapping{'s' * (waiting != 1)} proposed by the classifier "
                f"{'are' if waiting != 1 else 'is'} not yet reviewed and not counted above. Counting them too "
                f"(proposed, not yet reviewed), {mapped} of {len(al.passages)} passages or budget lines relate "
                f"to the SDGs, covering {len(goals)} of 17 goals. Review them on the Alignment page or with "
                "vlr align review.")
    gap = {r.goal: r for r in attention_gap(tuple(att_all.values()), scores)}
    per_goal = Counter(g for p in al.passages for g in p.goals if p.status.get(g, "proposed") == "proposed")
    rows = tuple((_goal(g, lang), str(per_goal[g]), f"{att_all[g].share:.1%}",
                  _money(att_all[g].amount), _t(gap[g].flag, lang)) for g in goals)
    return (Paragraph(text), Table("align-proposed", _t("prop_caption", lang),
                                   (_t("goal", lang), _t("pending", lang), _t("share_all", lang),
                                    _t("budget_all", lang), _t("gap_all", lang)), rows))


def ge5c_blocks(al: Alignment, lang: str, scores: Mapping[int, float | None] | None = None,
                *, only_accepted: bool = True) -> tuple[Any, ...]:
    from vlrkit.report.model import Bullets, Paragraph, Table

    zh = lang.startswith("zh")
    att = attention(al, only_accepted=only_accepted)
    cov = coverage(al, "goal", only_accepted=only_accepted)
    mapped = sum(1 for p in al.passages if p.effective_goals(only_accepted))
    covered = [a.goal for a in att if a.passages or a.budget_lines]
    missing = [g for g in GOALS if g not in covered]
    text_docs = [s for s in al.sources if not s.is_budget]
    if zh:
        summary = (f"共对照{len(al.sources)}份文件（其中预算{len(al.sources) - len(text_docs)}份）的"
                   f"{len(al.passages)}个段落或预算条目，其中{mapped}个与可持续发展目标相关，"
                   f"涉及{len(covered)}个目标。")
        if missing:
            summary += "未涉及的目标：" + "、".join(_goal(g, lang) for g in missing) + "。"
    else:
        n_budgets = len(al.sources) - len(text_docs)
        summary = (f"{len(al.sources)} document{'s' * (len(al.sources) != 1)} "
                   f"({n_budgets} budget{'s' * (n_budgets != 1)}) with "
                   f"{len(al.passages)} passages or budget lines were mapped; {mapped} relate to the SDGs, "
                   f"covering {len(covered)} of 17 goals.")
        if missing:
            summary += " Goals not addressed: " + "; ".join(_goal(g, lang) for g in missing) + "."
    blocks: list[Any] = [Paragraph(summary)]
    blocks.append(Table("align-coverage", _t("cov_caption", lang), (_t("doc", lang), *cov.columns),
                        tuple((r, *(str(v) for v in vals)) for r, vals in zip(cov.rows, cov.values, strict=True))))
    gap = {r.goal: r for r in attention_gap(att, scores or {})}
    rows = []
    for a in att:
        r = gap[a.goal]
        rows.append((_goal(a.goal, lang), str(a.passages), f"{a.share:.1%}", _money(a.amount),
                     "–" if r.score is None else f"{r.score:.0f}", _t(r.flag, lang)))
    blocks.append(Table("align-attention", _t("att_caption", lang),
                        (_t("goal", lang), _t("passages", lang), _t("share", lang), _t("budget", lang),
                         _t("score", lang), _t("assessment", lang)), tuple(rows),
                        (_t("note_weighted", lang),)))
    flagged = [r for r in gap.values() if r.flag in ("neglected", "reverse")]
    if flagged:
        blocks.append(Bullets(tuple(f"{_goal(r.goal, lang)}：{r.note_zh}" if zh else f"{_goal(r.goal, lang)}: {r.note_en}"
                                    for r in sorted(flagged, key=lambda r: (r.flag != "neglected", r.goal)))))
    links = interlinkages(al, only_accepted=only_accepted)[:TOP_LINKS]
    if links:
        blocks.append(Table(
            "align-interlinkages", _t("link_caption", lang),
            (_t("pair", lang), _t("passages", lang), _t("lift", lang), _t("flag", lang), _t("why", lang)),
            tuple((f"{lk.goals[0]} + {lk.goals[1]}", str(lk.passages), f"{lk.lift:.1f}",
                   "、".join(_t(f, lang) for f in lk.flags) if zh else ", ".join(_t(f, lang) for f in lk.flags),
                   "；".join(lk.reasons_zh) if zh else "; ".join(lk.reasons_en)) for lk in links),
            (_t("note_cooc", lang),)))
    if only_accepted:
        blocks.extend(_proposals(al, lang, scores or {}))
    return tuple(blocks)


def ge7_blocks(al: Alignment, lang: str, *, only_accepted: bool = True) -> tuple[Any, ...]:
    from vlrkit.report.model import Paragraph, Table

    zh = lang.startswith("zh")
    blocks: list[Any] = []
    budgets = [s for s in al.sources if s.is_budget]
    att = attention(al, only_accepted=only_accepted)
    if budgets:
        total = sum(s.total or 0.0 for s in budgets)
        unit = next((s.unit for s in budgets if s.unit), "")
        untagged = sum(p.amount or 0.0 for p in al.passages
                       if p.amount is not None and not p.effective_goals(only_accepted))
        rows = tuple((_goal(a.goal, lang), str(a.budget_lines), _money(a.amount), f"{a.budget_share:.1%}")
                     for a in sorted(att, key=lambda a: -a.amount_weighted) if a.budget_lines)
        caption = _t("budget_caption", lang) + (f"（{unit}）" if zh and unit else f" ({unit})" if unit else "")
        blocks.append(Table("align-budget", caption,
                            (_t("goal", lang), _t("lines", lang), _t("budget", lang), _t("budget_share", lang)),
                            rows, (_t("note_weighted", lang),)))
        if zh:
            blocks.append(Paragraph(f"预算合计{_money(total)}{unit}，其中{_money(total - untagged)}{unit}"
                                    f"（{(total - untagged) / total:.1%}）可对应到可持续发展目标。" if total else "预算合计为零。"))
        else:
            blocks.append(Paragraph(f"The budgets total {_money(total)} {unit}".rstrip() +
                                    (f"; {_money(total - untagged)} ({(total - untagged) / total:.1%}) "
                                     "could be tagged to an SDG." if total else ".")))
        untagged_all = sum(p.amount or 0.0 for p in al.passages if p.amount is not None and not p.effective_goals(False))
        if only_accepted and total and untagged_all != untagged:
            tagged = total - untagged_all
            blocks.append(Paragraph(
                f"连同尚未审核的建议映射（建议映射，尚未审核），{_money(tagged)}{unit}（{tagged / total:.1%}）可对应到可持续发展目标。"
                if zh else f"Counting also the mappings proposed and not yet reviewed (proposed, not yet reviewed), "
                f"{_money(tagged)} ({tagged / total:.1%}) could be tagged to an SDG."))
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    for p in al.passages:
        if p.amount is not None or not p.effective_goals(only_accepted):
            continue
        for key, (targets, _en, _zh) in MOI.items():
            if set(p.targets) & set(targets):
                counts[key] += 1
                example.setdefault(key, p.text if len(p.text) <= 120 else p.text[:117] + "…")
    moi_rows = tuple((zh_name if zh else en_name, str(counts[k]), example.get(k, "–"))
                     for k, (_t2, en_name, zh_name) in MOI.items())
    blocks.append(Table("align-moi", _t("moi_caption", lang),
                        (_t("category", lang), _t("passages", lang), _t("example", lang)), moi_rows))
    return tuple(blocks)


def report_blocks(al: Alignment, lang: str, scores: Mapping[int, float | None] | None = None,
                  *, only_accepted: bool = True) -> dict[str, tuple[Any, ...]]:
    """Blocks for the report sections {"GE-5c": …, "GE-7": …}."""
    return {"GE-5c": ge5c_blocks(al, lang, scores, only_accepted=only_accepted),
            "GE-7": ge7_blocks(al, lang, only_accepted=only_accepted)}
