"""Interlinkages: goals that co-occur in passages, with synergies and trade-offs flagged.

Co-occurrence is evidence that a plan treats two goals together, not proof of how they
interact, so a flag is a prompt for the writer (GE-5c.13, GE-5c.16), with its reason:

- a **known pair**: interactions the SDG interlinkage literature describes again and again
  (e.g. ICSU 2017, *A Guide to SDG Interactions*): agriculture and water or land ecosystems,
  growth and emissions, urban expansion and habitats (trade-offs); health and water, education
  and gender, energy efficiency and climate (synergies);
- a **cue in the passage**: wording that says the plan balances goals against each other
  (兼顾, 平衡, "at the expense of", "trade-off") or pursues them together (协同, 统筹, 共赢,
  "co-benefits", "synergy").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from vlrkit.align.analysis import Alignment

#: Pairs commonly described as trade-offs, with the reason in en and zh.
TRADE_OFFS: dict[tuple[int, int], tuple[str, str]] = {
    (2, 6): ("irrigation competes for water", "灌溉与用水竞争"),
    (2, 15): ("farmland expansion and agrochemicals pressure habitats", "耕地扩张和农用化学品挤压生态空间"),
    (2, 13): ("agriculture emits greenhouse gases", "农业排放温室气体"),
    (7, 15): ("hydropower, biomass and solar farms take land", "水电、生物质和光伏占用土地"),
    (8, 12): ("growth raises material use", "经济增长增加资源消耗"),
    (8, 13): ("growth raises emissions unless decoupled", "未脱钩的增长增加排放"),
    (9, 13): ("industry and infrastructure build-out emit", "工业和基础设施建设带来排放"),
    (9, 15): ("infrastructure fragments habitats", "基础设施割裂栖息地"),
    (11, 15): ("urban expansion takes natural land", "城市扩张占用自然土地"),
    (8, 14): ("fishing and coastal development pressure marine ecosystems", "捕捞和海岸开发压迫海洋生态"),
    (1, 13): ("carbon pricing can burden poor households", "碳价可能加重贫困家庭负担"),
}
#: Pairs commonly described as synergies.
SYNERGIES: dict[tuple[int, int], tuple[str, str]] = {
    (1, 2): ("higher farm incomes reduce rural poverty", "农业增收减少农村贫困"),
    (1, 10): ("social protection reduces poverty and inequality", "社会保障同时减贫和缩小差距"),
    (3, 6): ("safe water and sanitation prevent disease", "安全饮水和卫生设施预防疾病"),
    (3, 11): ("clean air and active travel improve health", "清洁空气和绿色出行促进健康"),
    (4, 5): ("girls' education advances gender equality", "女童教育促进性别平等"),
    (4, 8): ("skills raise employment", "技能提升促进就业"),
    (5, 8): ("women's employment drives growth", "妇女就业推动增长"),
    (6, 14): ("treating wastewater protects the sea", "污水治理保护海洋"),
    (7, 13): ("renewables and efficiency cut emissions", "可再生能源和节能减少排放"),
    (11, 13): ("compact, transit-rich cities cut emissions", "紧凑城市和公共交通减少排放"),
    (12, 13): ("less waste and consumption cut emissions", "减少浪费和消费降低排放"),
    (13, 15): ("forests store carbon", "森林固碳"),
    (6, 15): ("healthy ecosystems regulate water", "健康生态系统涵养水源"),
    (16, 17): ("effective institutions attract partnerships", "有效的治理吸引合作伙伴"),
    (11, 6): ("sponge-city drainage serves water and urban resilience", "海绵城市兼顾水务与城市韧性"),
}
_TENSION = re.compile(r"兼顾|平衡|矛盾|冲突|代价|制约|挤占|trade-?offs?|at the expense|tension|conflict|compet|balanc", re.I)
_SYNERGY = re.compile(r"协同|统筹|联动|双赢|共赢|相互促进|一体化|synerg|co-?benefit|win-win|mutually|hand in hand|together", re.I)
EXAMPLES = 3


@dataclass(frozen=True)
class Link:
    goals: tuple[int, int]
    passages: int  # passages mapped to both goals
    lift: float  # observed / expected co-occurrence (> 1: together more often than by chance)
    flags: tuple[str, ...]  # "synergy" and/or "trade-off"
    reasons_en: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    examples: tuple[tuple[str, int], ...]  # (document, passage index) of example passages


def _key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _known(table: dict[tuple[int, int], tuple[str, str]], pair: tuple[int, int]) -> tuple[str, str] | None:
    return table.get(pair) or table.get((pair[1], pair[0]))


def interlinkages(al: Alignment, *, only_accepted: bool = False, min_passages: int = 1) -> tuple[Link, ...]:
    """Goal pairs that co-occur in passages, most frequent first."""
    singles: Counter[int] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    cues: dict[tuple[int, int], set[str]] = defaultdict(set)
    examples: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    n = 0
    for p in al.passages:
        goals = sorted(set(p.effective_goals(only_accepted)))
        if not goals:
            continue
        n += 1
        singles.update(goals)
        for a, b in ((x, y) for i, x in enumerate(goals) for y in goals[i + 1:]):
            pair = _key(a, b)
            pairs[pair] += 1
            if len(examples[pair]) < EXAMPLES:
                examples[pair].append((p.document, p.index))
            if _TENSION.search(p.text):
                cues[pair].add("tension")
            if _SYNERGY.search(p.text):
                cues[pair].add("synergy")
    links = []
    for pair, k in pairs.items():
        if k < min_passages:
            continue
        expected = singles[pair[0]] * singles[pair[1]] / n if n else 0
        flags, en, zh = [], [], []
        if (r := _known(SYNERGIES, pair)) or "synergy" in cues[pair]:
            flags.append("synergy")
            en.append(r[0] if r else "the passages pursue both together")
            zh.append(r[1] if r else "文本表述两者协同推进")
        if (r := _known(TRADE_OFFS, pair)) or "tension" in cues[pair]:
            flags.append("trade-off")
            en.append(r[0] if r else "the passages balance one against the other")
            zh.append(r[1] if r else "文本表述两者需要平衡取舍")
        links.append(Link(pair, k, round(k / expected, 3) if expected else 0.0, tuple(flags),
                          tuple(en), tuple(zh), tuple(examples[pair])))
    return tuple(sorted(links, key=lambda x: (-x.passages, -x.lift, x.goals)))
