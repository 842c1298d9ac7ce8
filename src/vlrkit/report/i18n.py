"""User-facing labels of the report in zh-Hans and en (other languages fall back to en)."""

from __future__ import annotations

import re
from typing import Any

FALLBACK = "en"

LABELS: dict[str, dict[str, str]] = {
    "contents": {"en": "Contents", "zh-Hans": "目录"},
    "home": {"en": "Home", "zh-Hans": "首页"},
    "language": {"en": "Language", "zh-Hans": "语言"},
    "lang_name": {"en": "English", "zh-Hans": "中文"},
    "downloads": {"en": "Downloads", "zh-Hans": "下载"},
    "skip": {"en": "Skip to content", "zh-Hans": "跳到正文"},
    "dashboard": {"en": "The 17 goals at a glance", "zh-Hans": "17 个目标一览"},
    "goal": {"en": "Goal", "zh-Hans": "目标"},
    "goal_n": {"en": "Goal {n}", "zh-Hans": "目标{n}"},
    "score": {"en": "Score", "zh-Hans": "得分"},
    "status": {"en": "Status", "zh-Hans": "状况"},
    "trend": {"en": "Trend", "zh-Hans": "趋势"},
    "coverage": {"en": "Data coverage", "zh-Hans": "数据覆盖"},
    "coverage_n": {"en": "{n} of {m} indicators with data", "zh-Hans": "{m} 项指标中 {n} 项有数据"},
    "indicator": {"en": "Indicator", "zh-Hans": "指标"},
    "indicators": {"en": "Indicators", "zh-Hans": "指标"},
    "baseline": {"en": "Baseline", "zh-Hans": "基线"},
    "latest": {"en": "Latest", "zh-Hans": "最新值"},
    "target": {"en": "Target", "zh-Hans": "目标值"},
    "year": {"en": "Year", "zh-Hans": "年份"},
    "value": {"en": "Value", "zh-Hans": "数值"},
    "unit": {"en": "Unit", "zh-Hans": "单位"},
    "series": {"en": "Series", "zh-Hans": "序列"},
    "chart": {"en": "Chart", "zh-Hans": "图表"},
    "data_table": {"en": "Data table", "zh-Hans": "数据表"},
    "download_csv": {"en": "Download the data (CSV)", "zh-Hans": "下载数据（CSV）"},
    "no_data": {"en": "No data", "zh-Hans": "暂无数据"},
    "goal_no_data": {
        "en": "This goal has no data yet. It is reported here so that all 17 goals are covered.",
        "zh-Hans": "本目标尚无数据。列于此处，以覆盖全部 17 个目标。",
    },
    "gaps": {"en": "Data gaps", "zh-Hans": "数据缺口"},
    "gap_indicators": {"en": "Local indicators without data: {x}", "zh-Hans": "尚无数据的本地指标：{x}"},
    "gap_targets": {"en": "SDG targets without a local indicator: {x}", "zh-Hans": "尚无本地指标的可持续发展具体目标：{x}"},
    "disagg_gaps": {"en": "Not disaggregated by", "zh-Hans": "尚未按以下维度分类"},
    "disaggregation": {"en": "Disaggregation", "zh-Hans": "分类"},
    "none": {"en": "none", "zh-Hans": "无"},
    "provenance": {"en": "Provenance", "zh-Hans": "数据来源说明"},
    "provenance_text": {
        "en": "{n} observations; baseline from {b}; latest from {l}; method: {m}.",
        "zh-Hans": "共 {n} 条观测值；基线取自 {b}；最新值取自 {l}；方法：{m}。",
    },
    "source": {"en": "Source", "zh-Hans": "来源"},
    "geo_coverage": {"en": "Geographic coverage", "zh-Hans": "地理覆盖"},
    "time_coverage": {"en": "Temporal coverage", "zh-Hans": "时间覆盖"},
    "aggregation": {"en": "Level of aggregation", "zh-Hans": "汇总层级"},
    "method": {"en": "Method", "zh-Hans": "方法"},
    "sdg_link": {"en": "SDG link (comparability)", "zh-Hans": "对应的可持续发展目标（可比性）"},
    "guidance": {"en": "Guidance for writers", "zh-Hans": "写作提示"},
    "completeness": {"en": "Guiding elements covered: {c} of {t} points ({p}%)", "zh-Hans": "已覆盖指导要素 {t} 个要点中的 {c} 个（{p}%）"},
    "highlights_status": {"en": "Goals by status", "zh-Hans": "各状况的目标数"},
    "improvements": {"en": "Biggest improvements since the baseline", "zh-Hans": "自基线以来改善最大的指标"},
    "setbacks": {"en": "Biggest setbacks since the baseline", "zh-Hans": "自基线以来退步最大的指标"},
    "change": {"en": "Change since baseline", "zh-Hans": "较基线变化"},
    "change_points": {"en": "{v} points on the assessment's 0–100 scale", "zh-Hans": "在评估的 0–100 分制上变化 {v} 分"},
    "change_percent": {"en": "{v} % (relative change)", "zh-Hans": "{v}%（相对变化）"},
    "data_coverage_text": {
        "en": "{g} of 17 goals and {i} of {n} indicators have data.",
        "zh-Hans": "17 个目标中有 {g} 个、{n} 项指标中有 {i} 项有数据。",
    },
    "participation": {"en": "Who took part", "zh-Hans": "参与情况"},
    "by_kind": {"en": "Stakeholders by group", "zh-Hans": "按类别统计的利益攸关方"},
    "by_group": {"en": "People reached by group", "zh-Hans": "按群体统计的覆盖人数"},
    "kind": {"en": "Group", "zh-Hans": "类别"},
    "count": {"en": "Number", "zh-Hans": "数量"},
    "people": {"en": "People reached", "zh-Hans": "覆盖人数"},
    "consultations": {"en": "Consultations held", "zh-Hans": "开展的咨询活动"},
    "date": {"en": "Date", "zh-Hans": "日期"},
    "title": {"en": "Title", "zh-Hans": "名称"},
    "format": {"en": "Format", "zh-Hans": "形式"},
    "participants": {"en": "Participants", "zh-Hans": "参与人数"},
    "data_sources": {"en": "Data sources used", "zh-Hans": "使用的数据来源"},
    "lnob_findings": {"en": "Leave-no-one-behind findings", "zh-Hans": "“不让任何一个人掉队”分析结果"},
    "group": {"en": "Group", "zh-Hans": "群体"},
    "lnob_combined_text": {
        "en": "Where the data are broken down by two dimensions at once (for example sex and age), "
              "the groups are compared in two ways: as whole groups (young women, older men…), "
              "naming the group furthest behind of all, and within each dimension with the other "
              "held fixed (women and men of the same age), which shows where a gap lies.",
        "zh-Hans": "数据同时按两个维度分组（例如性别和年龄）时，从两方面比较：一是把交叉形成的各群体"
                   "（青年女性、老年男性……）放在一起比较，指出落在最后面的群体；二是固定其中一个维度，"
                   "比较另一个维度的各组（同一年龄段的女性和男性），说明差距出在哪里。",
    },
    "lnob_intersections": {"en": "Furthest behind across combined breakdowns",
                           "zh-Hans": "交叉分组中落在最后面的群体"},
    "lnob_within": {"en": "Gaps within combined breakdowns (the other dimension held fixed)",
                    "zh-Hans": "交叉分组内的差距（固定另一维度）"},
    "lnob_goals": {"en": "Leave no one behind by goal", "zh-Hans": "各目标“不让任何一个人掉队”情况"},
    "indicators_with_gaps": {"en": "Indicators with group gaps", "zh-Hans": "存在群体差距的指标"},
    "gaps_single": {"en": "Gaps (one breakdown)", "zh-Hans": "差距（单一分组）"},
    "gaps_within": {"en": "Gaps within combined breakdowns", "zh-Hans": "交叉分组内的差距"},
    "widening_narrowing": {"en": "{w} widening, {n} narrowing", "zh-Hans": "{w}项扩大，{n}项缩小"},
    "most_often_behind": {"en": "Most often furthest behind", "zh-Hans": "最常落在最后面的群体"},
    "list_separator": {"en": "; ", "zh-Hans": "；"},
    "breakdown": {"en": "Breakdown", "zh-Hans": "分组方式"},
    "held_fixed": {"en": "Among", "zh-Hans": "固定分组"},
    "dimension": {"en": "Dimension", "zh-Hans": "维度"},
    "gap": {"en": "Gap", "zh-Hans": "差距"},
    "furthest_behind": {"en": "Furthest behind", "zh-Hans": "落在最后面的群体"},
    "actions": {"en": "Follow-up actions", "zh-Hans": "后续行动"},
    "owner": {"en": "Owner", "zh-Hans": "负责方"},
    "deadline": {"en": "Deadline", "zh-Hans": "期限"},
    "targets": {"en": "SDG targets", "zh-Hans": "具体目标"},
    "next_review": {"en": "The next review is planned for {y}.", "zh-Hans": "下一次自愿地方评估计划于 {y} 年开展。"},
    "contributions": {"en": "Stakeholder contributions", "zh-Hans": "利益攸关方意见"},
    "stakeholder": {"en": "Stakeholder", "zh-Hans": "利益攸关方"},
    "anonymous": {"en": "Anonymous (not consented to be named)", "zh-Hans": "匿名（未同意具名）"},
    "no_contributions": {"en": "No contributions accepted yet.", "zh-Hans": "尚无已采纳的意见。"},
    "annex_intro": {
        "en": "Every local indicator with its source, coverage, disaggregation, level of aggregation, method and link to the SDG framework.",
        "zh-Hans": "逐项列出本地指标的来源、覆盖范围、分类、汇总层级、方法及与可持续发展目标框架的对应关系。",
    },
    "not_assessed": {"en": "Not assessed", "zh-Hans": "未评估"},
    "page": {"en": "Page", "zh-Hans": "页"},
    "generated": {"en": "Generated by vlrkit on {d}", "zh-Hans": "由 vlrkit 于 {d} 生成"},
    "chart_alt": {
        "en": "Line chart of {name}: {n} values from {a} to {b}{t}.",
        "zh-Hans": "{name}的折线图：{a} 年至 {b} 年共 {n} 个数值{t}。",
    },
    "chart_alt_target": {"en": ", target {v} by {y}", "zh-Hans": "，目标值 {v}（{y} 年）"},
    "chart_legend": {"en": "◆ baseline · dashed line: target (year: value).", "zh-Hans": "◆ 基线 · 虚线：目标值（年份：数值）。"},
    "interactive_note": {
        "en": "The interactive chart needs JavaScript; the table below holds the same data.",
        "zh-Hans": "交互式图表需要启用 JavaScript；下表包含相同数据。",
    },
    "draft": {"en": "Draft", "zh-Hans": "草稿"},
    "data_package": {"en": "Open data package (Frictionless)", "zh-Hans": "开放数据包（Frictionless）"},
    "pdf": {"en": "PDF", "zh-Hans": "PDF"},
    "docx": {"en": "Word document (DOCX)", "zh-Hans": "Word 文档（DOCX）"},
    "json": {"en": "Report model (JSON)", "zh-Hans": "报告模型（JSON）"},
    "toc_field": {"en": "Right-click to update the table of contents.", "zh-Hans": "右键单击以更新目录。"},
    "goals_page": {"en": "Progress by goal", "zh-Hans": "各目标进展"},
    "population_text": {"en": "{name} has {p} residents ({y}).", "zh-Hans": "{name}常住人口 {p} 人（{y} 年）。"},
    "gap_text": {"en": "difference {d}, ratio {r}; {t} since {y}", "zh-Hans": "差值 {d}，比值 {r}；自 {y} 年以来{t}"},
    "narrowing": {"en": "narrowing", "zh-Hans": "缩小"},
    "widening": {"en": "widening", "zh-Hans": "扩大"},
    "steady": {"en": "unchanged", "zh-Hans": "基本不变"},
    "bounds": {"en": "bounds", "zh-Hans": "界值"},
    "vs": {"en": "{a} (best off: {b})", "zh-Hans": "{a}（最好：{b}）"},
    "target_status": {"en": "{kind}: {status}", "zh-Hans": "{kind}：{status}"},
    "local": {"en": "local target", "zh-Hans": "本地目标"},
    "national": {"en": "national target", "zh-Hans": "国家目标"},
    "sdg": {"en": "SDG target's 2030 value", "zh-Hans": "可持续发展具体目标 2030 年值"},
    "trend_kind": {"en": "trend", "zh-Hans": "趋势"},
    "other_series": {"en": "Other series of this indicator (each on its own, never averaged in)",
                     "zh-Hans": "该指标的其他系列（分别评估，从不合并计算）"},
    "series_named": {"en": "Series: {s}", "zh-Hans": "系列：{s}"},
    "documented_total": {"en": "Shown: {g}", "zh-Hans": "所示：{g}"},
    "direction_is": {"en": "{d} ({src})", "zh-Hans": "{d}（{src}）"},
    "series_col": {"en": "Series", "zh-Hans": "系列"},
    "sources_annex": {"en": "Where each direction and target comes from", "zh-Hans": "各方向与目标的来源"},
    "no_goal_text": {"en": "Indicators reported under no goal (their metadata names none; set it): {x}.",
                     "zh-Hans": "未归入任何目标的指标（其元数据未说明目标，请设置）：{x}。"},
    "direction_col": {"en": "Direction", "zh-Hans": "方向"},
    "direction_higher": {"en": "higher is better", "zh-Hans": "越高越好"},
    "direction_lower": {"en": "lower is better", "zh-Hans": "越低越好"},
    "direction_unknown": {"en": "to confirm", "zh-Hans": "待确认"},
    "direction_band": {"en": "within a range", "zh-Hans": "应处于区间内"},
    "to_confirm_list": {"en": "Direction to confirm (no improvement or setback is claimed for these)",
                        "zh-Hans": "方向待确认（不对这些指标作改善或倒退判断）"},
    "original_in": {"en": "Not yet translated; the text below is in {l}.", "zh-Hans": "尚未翻译，以下为{l}原文。"},
    "priority": {"en": "Priority goal", "zh-Hans": "优先目标"},
}

#: Assessment status, trend and colour slugs → labels and arrows.
STATUS_LABELS: dict[str, dict[str, str]] = {
    "green": {"en": "SDG achieved or on track", "zh-Hans": "已实现或进展良好"},
    "yellow": {"en": "Challenges remain", "zh-Hans": "仍存在挑战"},
    "orange": {"en": "Significant challenges", "zh-Hans": "存在重大挑战"},
    "red": {"en": "Major challenges", "zh-Hans": "存在严峻挑战"},
    "grey": {"en": "Insufficient data", "zh-Hans": "数据不足"},
    "achieved": {"en": "Target achieved", "zh-Hans": "已实现目标"},
    "on_track": {"en": "On track", "zh-Hans": "进展良好"},
    "moderate": {"en": "Moderate progress", "zh-Hans": "进展一般"},
    "marginal": {"en": "Marginal progress", "zh-Hans": "进展有限"},
    "moderate_progress": {"en": "Moderate progress", "zh-Hans": "进展一般"},
    "limited_progress": {"en": "Limited progress", "zh-Hans": "进展有限"},
    "marginal_progress": {"en": "Marginal progress", "zh-Hans": "进展甚微"},
    "significant_progress": {"en": "Significant progress", "zh-Hans": "进展显著"},
    "moderate_movement_away": {"en": "Moving away moderately", "zh-Hans": "小幅偏离"},
    "significant_movement_away": {"en": "Moving away significantly", "zh-Hans": "明显偏离"},
    "stagnation": {"en": "Stagnation", "zh-Hans": "停滞"},
    "deterioration": {"en": "Deterioration", "zh-Hans": "倒退"},
    "insufficient_data": {"en": "Insufficient data", "zh-Hans": "数据不足"},
    "not_assessed": {"en": "Not assessed", "zh-Hans": "未评估"},
    "no_data": {"en": "No data", "zh-Hans": "无数据"},
    "direction_to_confirm": {"en": "Direction to confirm", "zh-Hans": "方向待确认"},
    "target_met_or_almost": {"en": "Target met or almost met", "zh-Hans": "已达成或接近达成目标"},
    "fair_progress": {"en": "Fair progress", "zh-Hans": "进展尚可"},
    "substantial_progress": {"en": "Substantial progress", "zh-Hans": "进展明显"},
    "insufficient_progress": {"en": "Insufficient progress", "zh-Hans": "进展不足"},
    "moving_away": {"en": "Moving away", "zh-Hans": "偏离目标"},
    "acceleration_needed": {"en": "Acceleration needed", "zh-Hans": "需加快进展"},
    "stagnation_or_regression": {"en": "Stagnation or regression", "zh-Hans": "停滞或倒退"},
    "target_achieved": {"en": "Target achieved", "zh-Hans": "已实现目标"},
    "not_available": {"en": "Not available", "zh-Hans": "不可用"},
}

TREND_ARROWS: dict[str, str] = {
    "on_track": "↑",
    "maintaining": "↑",
    "moderate": "➚",
    "moderately_improving": "➚",
    "stagnating": "→",
    "decreasing": "↓",
    "insufficient_data": "·",
    "not_assessed": "",
}

TREND_LABELS: dict[str, dict[str, str]] = {
    "on_track": {"en": "On track", "zh-Hans": "步入正轨"},
    "maintaining": {"en": "Maintaining achievement", "zh-Hans": "保持达标"},
    "moderate": {"en": "Moderately improving", "zh-Hans": "适度改善"},
    "moderately_improving": {"en": "Moderately improving", "zh-Hans": "适度改善"},
    "stagnating": {"en": "Stagnating", "zh-Hans": "停滞"},
    "decreasing": {"en": "Decreasing", "zh-Hans": "下降"},
    "insufficient_data": {"en": "No trend data", "zh-Hans": "无趋势数据"},
    "not_assessed": {"en": "Not assessed", "zh-Hans": "未评估"},
}

STAKEHOLDER_KINDS: dict[str, dict[str, str]] = {
    "government": {"en": "Government", "zh-Hans": "政府部门"},
    "civil_society": {"en": "Civil society", "zh-Hans": "民间社会"},
    "private_sector": {"en": "Private sector", "zh-Hans": "私营部门"},
    "academia": {"en": "Academia", "zh-Hans": "学术界"},
    "youth": {"en": "Youth", "zh-Hans": "青年"},
    "community": {"en": "Community", "zh-Hans": "社区"},
    "international": {"en": "International", "zh-Hans": "国际组织"},
    "media": {"en": "Media", "zh-Hans": "媒体"},
    "other": {"en": "Other", "zh-Hans": "其他"},
}

GROUP_LABELS: dict[str, dict[str, str]] = {
    "women": {"en": "Women", "zh-Hans": "妇女"},
    "youth": {"en": "Youth", "zh-Hans": "青年"},
    "children": {"en": "Children", "zh-Hans": "儿童"},
    "persons_with_disabilities": {"en": "Persons with disabilities", "zh-Hans": "残疾人"},
    "people_living_with_hiv": {"en": "People living with HIV/AIDS", "zh-Hans": "艾滋病毒感染者"},
    "older_persons": {"en": "Older persons", "zh-Hans": "老年人"},
    "indigenous_peoples": {"en": "Indigenous peoples", "zh-Hans": "土著人民"},
    "refugees_idps": {"en": "Refugees and displaced persons", "zh-Hans": "难民和流离失所者"},
    "migrants": {"en": "Migrants", "zh-Hans": "移民/流动人口"},
    "other_vulnerable": {"en": "Other vulnerable groups", "zh-Hans": "其他弱势群体"},
}

GRADE_LABELS: dict[str, dict[str, str]] = {
    "identical": {"en": "identical", "zh-Hans": "相同"},
    "adapted": {"en": "adapted", "zh-Hans": "调整"},
    "proxy": {"en": "proxy", "zh-Hans": "替代"},
    "contextual": {"en": "contextual", "zh-Hans": "背景"},
}

#: Language names, as said in each report language.
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {"en": "English", "zh-Hans": "英文"},
    "zh-Hans": {"en": "Chinese", "zh-Hans": "中文"},
    "fr": {"en": "French", "zh-Hans": "法文"},
    "es": {"en": "Spanish", "zh-Hans": "西班牙文"},
    "ru": {"en": "Russian", "zh-Hans": "俄文"},
    "ar": {"en": "Arabic", "zh-Hans": "阿拉伯文"},
}

ENGAGEMENT_FORMATS: dict[str, dict[str, str]] = {
    "workshop": {"en": "Workshop", "zh-Hans": "研讨会"},
    "survey": {"en": "Survey", "zh-Hans": "问卷调查"},
    "hearing": {"en": "Public hearing", "zh-Hans": "听证会"},
    "online": {"en": "Online consultation", "zh-Hans": "网上征求意见"},
    "event": {"en": "Event", "zh-Hans": "活动"},
    "interview": {"en": "Interview", "zh-Hans": "访谈"},
}

ACTION_STATUS: dict[str, dict[str, str]] = {
    "planned": {"en": "Planned", "zh-Hans": "计划中"},
    "in_progress": {"en": "In progress", "zh-Hans": "进行中"},
    "done": {"en": "Done", "zh-Hans": "已完成"},
    "cancelled": {"en": "Cancelled", "zh-Hans": "已取消"},
}


def pick(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    """The label of ``key`` in ``lang`` (falls back to English, then to the key)."""
    entry = table.get(key, {})
    return entry.get(lang) or entry.get(FALLBACK) or key


def label(key: str, lang: str, **kwargs: object) -> str:
    """A formatted label from :data:`LABELS`."""
    text = pick(LABELS, key, lang)
    return text.format(**kwargs) if kwargs else text


def text(mapping: object, lang: str) -> str:
    """A multilingual :data:`vlrkit.review.Text` in ``lang`` (falls back to en, then any)."""
    if not isinstance(mapping, dict) and not hasattr(mapping, "get"):
        return str(mapping or "")
    m = dict(mapping)  # type: ignore[call-overload]
    return m.get(lang) or m.get(FALLBACK) or next(iter(m.values()), "")


def slugify(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", code).strip("-").lower() or "x"


def fmt(value: float | None, decimals: int | None = None) -> str:
    """A number for display (thousands separated; decimals from the indicator, else by size)."""
    if value is None:
        return "—"
    if decimals is None:
        a = abs(value)
        decimals = 0 if a >= 100 else 1 if a >= 1 else 2
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no "-0.00"


def chart_alt(i: Any, lang: str) -> str:
    """The text alternative of an indicator's chart (an :class:`IndicatorView`)."""
    if not i.series:
        return label("no_data", lang)
    t = label("chart_alt_target", lang, v=i.target.text, y=i.target.year) if i.target else ""
    return label("chart_alt", lang, name=i.name, n=len(i.series), a=i.series[0][0],
                 b=i.series[-1][0], t=t)
