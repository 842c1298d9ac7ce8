"""Report blocks of the comparisons: GE-5a, the review beside its country (:mod:`vlrkit.compare.vertical`),
and GE-3, what changed since the last review (:func:`ge3`, :mod:`vlrkit.compare.diff`).

:func:`ge5a` gives a paragraph (how many indicators are paired, how many gaps narrow or widen,
the warnings) and a table with one row per pair: the global indicator, both latest values with
their years, the unit, the gap with its year, whether it narrows, who is ahead (only with a
confirmed direction) and both targets; then the indicators left out, with why.  The caller
passes them to :func:`vlrkit.report.build.build_report` as ``extra={"GE-5a": …}``.
"""

from __future__ import annotations

from typing import Any

from vlrkit.compare.vertical import Vertical
from vlrkit.report.model import Block, Bullets, Paragraph, Table

__all__ = ["ge5a", "ge3", "peers", "TEXT", "DIFF_TEXT", "PEER_TEXT"]

TEXT: dict[str, dict[str, Any]] = {
    "intro": {"en": "{local} beside {national}: {pairs} indicators compared on the same global SDG indicator and "
                    "unit; the gap narrowed for {narrowing}, widened for {widening}; {left} indicators were not "
                    "compared (listed below with the reason).",
              "zh-Hans": "{local}与{national}对照：{pairs} 个指标按同一全球 SDG 指标和单位比较；差距缩小 {narrowing} 个，"
                         "扩大 {widening} 个；{left} 个指标未比较（原因见下）。"},
    "caption": {"en": "Local and national values (GE-5a)", "zh-Hans": "地方与国家数值对照（GE-5a）"},
    "header": {"en": ("SDG indicator", "Local (year)", "National (year)", "Unit", "Gap (year)", "Gap narrowing",
                      "Ahead", "Local target", "National target"),
               "zh-Hans": ("SDG 指标", "地方（年份）", "国家（年份）", "单位", "差距（年份）", "差距缩小", "领先",
                           "地方目标", "国家目标")},
    "note": {"en": "Gap = local − national in the latest year both have. 'Ahead' is shown only where the "
                   "indicator's desirable direction is known and confirmed.",
             "zh-Hans": "差距 = 地方 − 国家（双方都有数据的最近年份）。仅在指标的期望方向已知且确认时显示“领先”。"},
    "left": {"en": "Not compared", "zh-Hans": "未比较"},
    "yes": {"en": "yes", "zh-Hans": "是"}, "no": {"en": "no", "zh-Hans": "否"},
    "local": {"en": "local", "zh-Hans": "地方"}, "national": {"en": "national", "zh-Hans": "国家"},
    "level": {"en": "level", "zh-Hans": "持平"},
}


def _t(key: str, lang: str) -> str:
    return str(TEXT[key]["zh-Hans" if lang.startswith("zh") else "en"])


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:,.4g}"


def _target(t: tuple[float, int] | None) -> str:
    return "—" if t is None else f"{_num(t[0])} ({t[1]})"


def _order(code: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(x)) if x.isdigit() else (1, x) for x in code.split("."))


def ge5a(result: Vertical, lang: str, *, local_name: str, national_name: str) -> tuple[Block, ...]:
    """The GE-5a blocks of ``result`` in ``lang`` (see the module doc)."""
    key = "zh-Hans" if lang.startswith("zh") else "en"
    c = result.counts()
    out: list[Block] = [Paragraph(TEXT["intro"][key].format(
        local=local_name, national=national_name, pairs=c["pairs"], narrowing=c["narrowing"],
        widening=c["widening"], left=c["left_out"]))]
    if result.warnings:
        out.append(Bullets(tuple(w[key] for w in result.warnings)))
    rows = []
    for p in sorted(result.pairs, key=lambda p: _order(p.sdg_indicator)):
        rows.append((
            p.sdg_indicator, f"{_num(p.local.latest)} ({p.local.latest_year})",
            f"{_num(p.national.latest)} ({p.national.latest_year})", p.local.unit,
            "—" if p.gap is None else f"{p.gap:+,.4g} ({p.gap_year})",
            {True: _t("yes", lang), False: _t("no", lang), None: "—"}[p.narrowing],
            _t(p.ahead, lang) if p.ahead else "—", _target(p.local.target), _target(p.national.target)))
    out.append(Table("vertical-coherence", _t("caption", lang), tuple(TEXT["header"][key]), tuple(rows),
                     (_t("note", lang),)))
    if result.left_out:
        out.append(Paragraph(_t("left", lang)))
        out.append(Bullets(tuple(f"{code}: {text[key]}" for code, _r, text in result.left_out)))
    return tuple(out)


DIFF_TEXT: dict[str, dict[str, Any]] = {
    "intro": {"en": "Since the {old} edition: {n} changes. Both editions are assessed here with the same method "
                    "({method}, method edition {me}).",
              "zh-Hans": "自 {old} 版以来：{n} 项变化。两个版本均按同一方法评估（{method}，方法版本 {me}）。"},
    "methods": {"en": "The editions remember different methods: {m}; the comparison applies the one above to both.",
                "zh-Hans": "两个版本记录的方法不同：{m}；比较对二者采用上述同一方法。"},
    "caption": {"en": "What changed since the last review (GE-3)", "zh-Hans": "自上次评估以来的变化（GE-3）"},
    "header": {"en": ("Change", "Subject", "Before", "After", "Note"),
               "zh-Hans": ("变化", "对象", "之前", "之后", "说明")},
    "actions": {"en": "Follow-up actions of the last review and their outcome",
                "zh-Hans": "上次评估的后续行动及其结果"},
    "kinds": {
        "en": {"indicator-added": "indicator added", "indicator-dropped": "indicator dropped", "data-new": "new data",
               "status": "status", "colour": "colour", "trend": "trend", "target-reached": "target reached",
               "goal-colour": "goal colour", "action": "action", "narrative-added": "text added",
               "narrative-removed": "text removed", "narrative-rewritten": "text rewritten"},
        "zh-Hans": {"indicator-added": "新增指标", "indicator-dropped": "删除指标", "data-new": "新增数据",
                    "status": "状态", "colour": "颜色", "trend": "趋势", "target-reached": "达成目标",
                    "goal-colour": "目标颜色", "action": "行动", "narrative-added": "新增文字",
                    "narrative-removed": "删除文字", "narrative-rewritten": "改写文字"},
    },
}


def _with_value(word: str, value: tuple[int, float] | None) -> str:
    return f"{word} ({_num(value[1])}, {value[0]})".strip() if value else word or "—"


def ge3(result: Any, lang: str) -> tuple[Block, ...]:
    """The GE-3 "what changed since the last review" blocks of a :class:`vlrkit.compare.diff.EditionDiff`."""
    key = "zh-Hans" if lang.startswith("zh") else "en"
    out: list[Block] = [Paragraph(DIFF_TEXT["intro"][key].format(
        old=result.old, n=len(result.changes), method=result.method, me=result.method_edition))]
    if not result.same_method:
        out.append(Paragraph(DIFF_TEXT["methods"][key].format(
            m="; ".join(f"{k}: {m} / {e}" for k, (m, e) in result.methods.items()))))
    kinds = DIFF_TEXT["kinds"][key]
    rows = tuple((kinds[c.kind], c.subject, _with_value(c.before, c.before_value), _with_value(c.after, c.after_value),
                  c.note.get(key, "") or c.note.get("en", "")) for c in result.changes if c.kind != "action")
    out.append(Table("changes-since-last", DIFF_TEXT["caption"][key], tuple(DIFF_TEXT["header"][key]), rows))
    if result.actions:
        out.append(Table("follow-up-outcomes", DIFF_TEXT["actions"][key], tuple(DIFF_TEXT["header"][key][1:4]),
                         tuple((c.subject, c.before, c.after) for c in result.actions)))
    return tuple(out)


PEER_TEXT: dict[str, dict[str, Any]] = {
    "intro": {"en": "{own} beside {peers}: {compared} global indicators compared on the same indicator, series and "
                    "unit ({ranked} of them ranked, where every city's desirable direction is known, confirmed and the "
                    "same); {proxies} shown apart (a proxy is never ranked); {left} left out, each with the reason below.",
              "zh-Hans": "{own}与{peers}对照：{compared} 个全球指标按同一指标、序列和单位比较（其中 {ranked} 个排名——"
                         "仅当各城市的期望方向均已知、确认且一致时）；{proxies} 个单独列出（替代指标从不排名）；"
                         "{left} 项未比较，原因见下。"},
    "caption": {"en": "How we compare (peer learning, GE-10.F6)", "zh-Hans": "与同行城市比较（同行学习，GE-10.F6）"},
    "proxies": {"en": "Shown apart: a proxy indicator in at least one city (never ranked)",
                "zh-Hans": "单独列出：至少一个城市使用替代指标（不排名）"},
    "header": {"en": ("SDG indicator", "Unit", "Year", "{own}", "Median ({n} cities)", "Gap to the median", "Rank",
                      "Note"),
               "zh-Hans": ("SDG 指标", "单位", "年份", "{own}", "中位数（{n} 个城市）", "与中位数之差", "排名", "说明")},
    "note": {"en": "Values in the latest year every city has; a converted value says so. Gap = our value − the median.",
             "zh-Hans": "数值取各城市均有数据的最近年份；换算过的数值会注明。差距 = 本市数值 − 中位数。"},
    "rank": {"en": "{rank} of {n}", "zh-Hans": "第 {rank} / {n}"},
    "left": {"en": "Not compared", "zh-Hans": "未比较"},
    "absent": {"en": "(not in this review)", "zh-Hans": "（本市无此指标）"},
}


def _unit_text(unit: str, lang: str) -> str:
    from vlrkit.sdg import units as un

    try:
        return un.unit_label(unit, lang)
    except KeyError:
        return unit


def peers(result: Any, lang: str, *, own: str) -> tuple[Block, ...]:
    """The "how we compare" blocks of a :class:`vlrkit.compare.peers.Peers` for the review of
    entity ``own`` (the first of the reviews compared): its value beside the median of all, its gap
    and rank where the row is ranked; proxies apart; every indicator left out, by reason."""
    key = "zh-Hans" if lang.startswith("zh") else "en"

    def name(entity: str) -> str:
        names = result.names.get(entity, {})
        return names.get(key) or names.get("en") or entity

    others = [e for e in result.entities if e != own]
    compared = [r for r in result.rows if r.kind == "compared"]
    proxies = [r for r in result.rows if r.kind != "compared"]
    out: list[Block] = [Paragraph(PEER_TEXT["intro"][key].format(
        own=name(own), peers=", ".join(name(e) for e in others) or "—", compared=len(compared),
        ranked=sum(r.ranked for r in compared), proxies=len(proxies), left=len(result.left_out)))]
    header = tuple(h.format(own=name(own), n=len(result.entities)) for h in PEER_TEXT["header"][key])

    def rows_of(rows: list[Any]) -> tuple[tuple[str, ...], ...]:
        table = []
        for r in rows:
            mine = next((m for m in r.members if m.entity == own), None)
            note = (r.note.get(key) or r.note.get("en", "")) if r.note else ""
            if mine is not None and mine.conversion is not None:
                c = mine.conversion
                said = (f"{c.source_unit} × {c.factor:g} → {c.unit}: "
                        f"{c.source.get(key) or c.source.get('en', '')}")
                note = "; ".join(x for x in (note, said) if x)
            rank = (PEER_TEXT["rank"][key].format(rank=mine.rank, n=len(r.members))
                    if mine is not None and mine.rank is not None else "—")
            table.append((r.sdg_indicator, _unit_text(r.unit, key), str(r.year or "—"),
                          PEER_TEXT["absent"][key] if mine is None else _num(mine.value),
                          _num(r.median), "—" if mine is None or mine.gap is None else f"{mine.gap:+,.4g}",
                          rank, note or "—"))
        return tuple(table)

    out.append(Table("peer-comparison", PEER_TEXT["caption"][key], header, rows_of(compared), (PEER_TEXT["note"][key],)))
    if proxies:
        out.append(Table("peer-comparison-proxies", PEER_TEXT["proxies"][key], header, rows_of(proxies)))
    if result.left_out:
        out.append(Paragraph(PEER_TEXT["left"][key]))
        out.append(Bullets(tuple(f"{lo.subject}: {lo.text.get(key) or lo.text.get('en', '')}"
                                 for lo in result.left_out)))
    return tuple(out)
