"""Peer comparison: several reviews side by side on their common indicators (the VLR's purpose of
peer learning; GE-10.F6, peer review).

:func:`compare` takes two or more reviews (:class:`vlrkit.review.Review`: review packages or Open
SDG repositories read by :mod:`vlrkit.compare.sources`) and gives a :class:`Peers`:

- **common by global indicator**: a review takes part in a global SDG indicator through a local
  indicator linked to it (its best link: ``identical``, then ``adapted``, then ``proxy``; the one
  in the global indicator's unit first).  Rows whose members are all identical or adapted are
  **compared**; a row with a proxy member is **shown apart** (values side by side, never ranked);
  a ``contextual`` link is never compared.  A global indicator is common when every review
  (or ``min_reviews`` of them) takes part;
- each member is its **headline series** as the assessment reads it
  (:func:`vlrkit.assess.specs.build`: the same rows, documented totals and directions);
- **units**: every member in one unit (:func:`vlrkit.sdg.units.normalise_unit`; a unit vlrkit
  does not recognise only when every review writes it the same way); another scale
  of the same unit is converted where vlrkit ships the exact conversion
  (:func:`vlrkit.sdg.units.conversion`: per 1,000 → per 100,000, thousand → number…) and the
  member says so; a **total** (a count, an amount) is divided by the population only where the
  global indicator's unit says per population or per capita (:func:`vlrkit.sdg.units.per_capita`)
  and the entity's population is known; otherwise a total is not compared; another unit is a
  mismatch.  Two different SDG series codes are a series mismatch;
- per row: the **comparison year** (the latest year every member has), each member's value in it,
  the median of the members and each one's **gap** to it, the spread, and a **rank** — only when
  every member's direction is known, confirmed and the same, never assumed;
- **left out, with why** (:data:`REASONS`, en and zh-Hans): a local indicator with no SDG link,
  only contextual links, or no values; a global indicator missing in a peer, in another unit, a
  total, in an unknown unit, or of another series; a local indicator another one of its review
  stands in for.  Every local indicator with values is in a row or in :attr:`Peers.left_out`;
- on request (``peer_bounds=True``) an **SDSN-style dashboard** over the ranked rows: scores and
  colours by :func:`vlrkit.assess.sdsn.assess` with every bound derived from these peers' latest
  values (:class:`Dashboard`, whose ``note`` says so).

Pure core: no store, no web.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from vlrkit.sdg import units as un

__all__ = ["Member", "Row", "LeftOut", "Dashboard", "Peers", "compare", "REASONS", "GRADE_ORDER"]

#: The links a review takes part through, best first; ``contextual`` never takes part.
GRADE_ORDER = ("identical", "adapted", "proxy")
COMPARED = ("identical", "adapted")
#: Why an indicator is not compared (code → en, zh-Hans).
REASONS: Mapping[str, Mapping[str, str]] = {
    "no-link": {"en": "no SDG indicator link", "zh-Hans": "未关联 SDG 指标"},
    "contextual": {"en": "only contextual SDG links: never compared or ranked",
                   "zh-Hans": "仅有背景性 SDG 关联：不比较、不排名"},
    "no-data": {"en": "no values", "zh-Hans": "没有数值"},
    "missing-in-peer": {"en": "missing in {missing} (present in {present})",
                        "zh-Hans": "{missing} 缺少此指标（{present} 有）"},
    "unit-unknown": {"en": "unit not recognised: {units}", "zh-Hans": "无法识别的单位：{units}"},
    "unit-mismatch": {"en": "different units and no shipped conversion: {units}",
                      "zh-Hans": "单位不同且无内置换算：{units}"},
    "total-unit": {"en": "a total ({units}): cities' totals are not compared (a rate or share is)",
                   "zh-Hans": "总量（{units}）：城市之间的总量不作比较（比率或比例可比）"},
    "total-no-population": {"en": "a total ({units}) to put per population, but the population of {missing} is "
                                  "not known", "zh-Hans": "总量（{units}）需按人口折算，但 {missing} 的人口未知"},
    "series-mismatch": {"en": "different SDG series: {units}", "zh-Hans": "SDG 序列不同：{units}"},
    "not-chosen": {"en": "SDG {g} is compared through {other} of the same review",
                   "zh-Hans": "SDG {g} 已通过同一评估的 {other} 比较"},
}
#: Why a row is not ranked (code → en, zh-Hans).
NOT_RANKED: Mapping[str, Mapping[str, str]] = {
    "proxy": {"en": "a proxy in {who}: shown apart, not ranked", "zh-Hans": "{who} 为替代指标：单列展示，不排名"},
    "direction": {"en": "direction unknown or to confirm in {who}: not ranked",
                  "zh-Hans": "{who} 的期望方向未知或待确认：不排名"},
    "directions-differ": {"en": "the reviews give different directions: not ranked",
                          "zh-Hans": "各评估的期望方向不一致：不排名"},
    "no-common-year": {"en": "no year all have: latest values side by side, not ranked",
                       "zh-Hans": "没有共同年份：并列最新值，不排名"},
}


@dataclass(frozen=True)
class Member:
    """One review's series in a row, in the row's unit."""

    entity: str
    indicator: str  # the local indicator
    grade: str
    series: str
    unit: str  # as published
    conversion: un.Conversion | None  # applied to the published values (None: the row's unit already)
    values: tuple[tuple[int, float], ...]  # (year, value) in the row's unit
    direction: str
    claims_allowed: bool
    value: float | None = None  # in the row's comparison year
    gap: float | None = None  # value − the members' median in that year
    rank: int | None = None  # 1 = best; only in a ranked row

    @property
    def latest(self) -> tuple[int, float] | None:
        return self.values[-1] if self.values else None


@dataclass(frozen=True)
class Row:
    """A global indicator the reviews have in common."""

    sdg_indicator: str
    kind: str  # compared | proxy
    unit: str  # normalised key (vlrkit.sdg.units), or the spelling all share when not recognised
    members: tuple[Member, ...]
    missing: tuple[str, ...]  # entities without it (only with min_reviews below all)
    year: int | None  # the latest year every member has
    common_years: tuple[int, ...]
    direction: str  # the members' common direction, else unknown
    ranked: bool
    median: float | None
    spread: float | None  # max − min in the comparison year
    note: Mapping[str, str] = field(default_factory=dict)  # why not ranked

    @property
    def unit_known(self) -> bool:
        """Whether :attr:`unit` is a unit vlrkit recognises (else it is the spelling every review shares)."""
        return self.unit in un.UNIT_LABELS

    def unit_label(self, lang: str = "en") -> str:
        if not self.unit_known:
            return self.unit
        return un.unit_label(self.unit, "zh-Hans" if lang.startswith("zh") else "en")

    def member(self, entity: str) -> Member | None:
        return next((m for m in self.members if m.entity == entity), None)


@dataclass(frozen=True)
class LeftOut:
    """An indicator not compared, and why."""

    subject: str  # a global indicator, or a local one (no-link, contextual, no-data, not-chosen)
    reason: str  # a key of REASONS
    text: Mapping[str, str]
    indicators: tuple[tuple[str, str], ...]  # (entity, local indicator) concerned


@dataclass(frozen=True)
class Dashboard:
    """An SDSN-style peer dashboard: scores and colours with bounds derived from the peers."""

    edition: str
    note: Mapping[str, str]
    cells: tuple[tuple[str, str, int, float, float | None, str], ...]  # (sdg, entity, year, value, score, colour)
    bounds: tuple[tuple[str, float | None, float | None, float | None, float | None, int], ...]
    # (sdg, best, worst, green, red, peers)
    goals: tuple[tuple[str, int, float | None, str], ...]  # (entity, goal, score, colour) over the rows


@dataclass(frozen=True)
class Peers:
    """Several reviews side by side."""

    entities: tuple[str, ...]
    names: Mapping[str, Mapping[str, str]]
    rows: tuple[Row, ...]  # compared rows first, then proxies, each in SDG order
    left_out: tuple[LeftOut, ...]
    dashboard: Dashboard | None = None

    @property
    def compared(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.kind == "compared")

    @property
    def proxies(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.kind == "proxy")

    def counts(self) -> dict[str, int]:
        reasons: dict[str, int] = {}
        for lo in self.left_out:
            reasons[lo.reason] = reasons.get(lo.reason, 0) + 1
        return {"reviews": len(self.entities), "compared": len(self.compared), "proxies": len(self.proxies),
                "ranked": sum(1 for r in self.rows if r.ranked), "left_out": len(self.left_out),
                **{f"left_out:{k}": v for k, v in sorted(reasons.items())}}


def order(code: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of an indicator code in SDG order (``2.10.1`` after ``2.9.1``)."""
    return tuple((0, int(x)) if x.isdigit() else (1, x) for x in code.split("."))


def _text(reason: str, /, **kw: Any) -> dict[str, str]:
    """A reason of :data:`REASONS` or :data:`NOT_RANKED` (their codes differ) in en and zh-Hans."""
    table = REASONS if reason in REASONS else NOT_RANKED
    return {lang: t.format(**kw) for lang, t in table[reason].items()}


def _global_units(g: str) -> tuple[str, ...]:
    from vlrkit.sdg.knowledge import knowledge

    try:
        return knowledge(g).unit_keys
    except KeyError:
        return ()


@dataclass(frozen=True)
class _Side:
    """What one review brings: its headline specs with values, and its links by indicator."""

    entity: str
    population: int | None
    population_year: int | None
    specs: Mapping[str, Any]  # local indicator → headline SeriesSpec
    values: Mapping[str, tuple[tuple[int, float], ...]]
    links: Mapping[str, tuple[Any, ...]]
    indicators: tuple[str, ...]


def _side(review: Any, specs: Any = None) -> _Side:
    from vlrkit.assess import specs as sp

    s = specs or sp.build(review)
    heads = {x.indicator: x for x in s.series if x.headline}
    values: dict[str, tuple[tuple[int, float], ...]] = {}
    if s.rows.height:
        grouped = s.rows.filter(pl.col("indicator").is_in(list(heads))).group_by("indicator").agg(
            pl.col("year").sort_by("year"), pl.col("value").sort_by("year"))
        for key, years, vals in grouped.iter_rows():
            values[key] = tuple(zip((int(y) for y in years), (float(v) for v in vals), strict=True))
    links: dict[str, list[Any]] = {}
    for lk in review.links:
        links.setdefault(lk.indicator, []).append(lk)
    e = review.entity
    return _Side(e.code, e.population, e.population_year, heads, values,
                 {k: tuple(v) for k, v in links.items()}, tuple(i.code for i in review.indicators))


def _pick(cands: list[tuple[Any, Any]], gunits: tuple[str, ...]) -> tuple[Any, Any]:
    """The member of one review for a global indicator: best grade, the global unit, then code."""
    return min(cands, key=lambda c: (GRADE_ORDER.index(c[0].grade), un.normalise_unit(c[1].unit) not in gunits,
                                     order(c[1].indicator)))


def _units(members: list[tuple[str, Any, Any]]) -> str:
    return "; ".join(f"{e}: {spec.unit or '—'}" for e, _lk, spec in members)


def _row_unit(g: str, members: list[tuple[str, Any, Any]], sides: Mapping[str, _Side]
              ) -> tuple[str, dict[str, un.Conversion | None]] | LeftOut:
    """The row's unit and each member's conversion into it, or why there is none."""
    concerned = tuple((e, spec.indicator) for e, _lk, spec in members)

    def out(reason: str, **kw: str) -> LeftOut:
        return LeftOut(g, reason, _text(reason, **kw), concerned)

    keys = {e: un.normalise_unit(spec.unit) for e, _lk, spec in members}
    unknown = [e for e, k in keys.items() if k is None]
    if unknown:
        written = {" ".join(str(spec.unit or "").split()).lower() for _e, _lk, spec in members}
        if len(written) == 1 and all(k is None for k in keys.values()) and written != {""}:
            # a unit vlrkit does not recognise, written the same way by every review: compared as written
            return " ".join(str(members[0][2].unit).split()), {e: None for e, _lk, _s in members}
        return out("unit-unknown", units=_units([m for m in members if m[0] in unknown]))
    gunits = _global_units(g)
    first: dict[str, un.Conversion | None] = {}
    effective: dict[str, str] = {}
    no_pop: list[str] = []
    for e, _lk, spec in members:
        k = keys[e]
        assert k is not None
        if k in un.PER_CAPITA and un.PER_CAPITA[k][0] in gunits:  # the global unit says per population
            side = sides[e]
            c = un.per_capita(spec.unit, side.population, side.population_year)
            if c is None:
                no_pop.append(e)
                continue
            first[e], effective[e] = c, c.unit
        else:
            first[e], effective[e] = None, k
    if no_pop:
        return out("total-no-population", units=_units(members), missing=", ".join(no_pop))
    counts: dict[str, int] = {}
    for k in effective.values():
        counts[k] = counts.get(k, 0) + 1
    target = min(counts, key=lambda k: (-counts[k], k not in gunits, k))
    conv: dict[str, un.Conversion | None] = {}
    for e, _lk, _spec in members:
        k, c0 = effective[e], first[e]
        if k == target:
            conv[e] = c0
            continue
        c = un.conversion(k, target)
        if c is None:
            return out("unit-mismatch", units=_units(members))
        conv[e] = c if c0 is None else un.Conversion(
            c0.source_unit, target, c0.factor * c.factor,
            {lang: f"{c0.source[lang]}; {c.source[lang]}" for lang in c.source})
    if target in un.EXTENSIVE:  # one unit, but a total: a city's total beside another's says nothing
        return out("total-unit", units=_units(members))
    return target, conv


def _series_clash(members: list[tuple[str, Any, Any]]) -> bool:
    from vlrkit.formats.sdmx import dsd

    codes = {spec.series for _e, _lk, spec in members if spec.series and dsd.indicators_of(spec.series)}
    return len(codes) > 1


def _median(values: list[float]) -> float:
    """The median, without overflow: two equal values give that value exactly."""
    v = sorted(values)
    lo, hi = v[(len(v) - 1) // 2], v[len(v) // 2]
    return lo if lo == hi else lo / 2 + hi / 2


def _rank(values: dict[str, float], direction: str) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4), best first in ``direction``."""
    sign = -1.0 if direction == "higher" else 1.0
    ordered = sorted(values.values(), key=lambda v: sign * v)
    return {e: 1 + sum(1 for o in ordered if sign * o < sign * v) for e, v in values.items()}


def _build_row(g: str, kind: str, members: list[tuple[str, Any, Any]], unit: str,
               conv: Mapping[str, un.Conversion | None], sides: Mapping[str, _Side],
               missing: tuple[str, ...]) -> Row:
    built: list[Member] = []
    for e, lk, spec in members:
        c = conv.get(e)
        vals = sides[e].values.get(spec.indicator, ())
        if c is not None:
            vals = tuple((y, v * c.factor) for y, v in vals)
        built.append(Member(e, spec.indicator, lk.grade, spec.series, spec.unit, c, vals, spec.direction,
                            spec.claims_allowed))
    years = set.intersection(*({y for y, _ in m.values} for m in built))
    common = tuple(sorted(years))
    year = common[-1] if common else None
    dirs = {m.direction for m in built}
    note: dict[str, str] = {}
    if kind == "proxy":
        note = _text("proxy", who=", ".join(m.entity for m in built if m.grade == "proxy"))
    elif not all(m.claims_allowed and m.direction in ("higher", "lower") for m in built):
        note = _text("direction", who=", ".join(
            m.entity for m in built if not (m.claims_allowed and m.direction in ("higher", "lower"))))
    elif len(dirs) > 1:
        note = _text("directions-differ")
    elif year is None:
        note = _text("no-common-year")
    direction = dirs.pop() if len(dirs) == 1 else "unknown"
    median = spread = None
    if year is not None:
        at = {m.entity: dict(m.values)[year] for m in built}
        median = _median(list(at.values()))
        spread = max(at.values()) - min(at.values())
        ranks = _rank(at, direction) if not note else {}
        built = [replace(m, value=at[m.entity], gap=at[m.entity] - median, rank=ranks.get(m.entity))
                 for m in built]
    return Row(g, kind, unit, tuple(built), missing, year, common, direction if not note else "unknown",
               not note, median, spread, note)


def compare(reviews: Sequence[Any], *, specs: Sequence[Any] | None = None, min_reviews: int | None = None,
            peer_bounds: bool = False, profile: str | None = None) -> Peers:
    """``reviews`` side by side (see the module doc).  ``specs`` may pass
    :func:`vlrkit.assess.specs.build` results already at hand (one per review); ``min_reviews``
    (default: all) is how many reviews a global indicator needs to be compared among them;
    ``peer_bounds`` adds the :class:`Dashboard` (``profile``: the SDSN method edition, default
    vlrkit's)."""
    codes = [r.entity.code for r in reviews]
    if len(reviews) < 2:
        raise ValueError("a peer comparison needs at least two reviews / 同行比较至少需要两个评估")
    if len(set(codes)) != len(codes):
        dup = sorted({c for c in codes if codes.count(c) > 1})
        raise ValueError(f"two reviews have the same entity code {', '.join(dup)}: give each its own / "
                         f"两个评估的主体代码相同（{', '.join(dup)}）：请分别命名")
    need = len(reviews) if min_reviews is None else max(2, min(min_reviews, len(reviews)))
    sides = {s.entity: s for s in (_side(r, specs[i] if specs else None) for i, r in enumerate(reviews))}
    left: list[LeftOut] = []
    cands: dict[str, dict[str, list[tuple[Any, Any]]]] = {}
    for e, side in sides.items():
        for code in side.indicators:
            spec = side.specs.get(code)
            if spec is None or not side.values.get(code):
                left.append(LeftOut(code, "no-data", _text("no-data"), ((e, code),)))
                continue
            lks = [lk for lk in side.links.get(code, ()) if lk.sdg_indicator]
            if not lks:
                left.append(LeftOut(code, "no-link", _text("no-link"), ((e, code),)))
                continue
            usable = [lk for lk in lks if lk.grade in GRADE_ORDER]
            if not usable:
                left.append(LeftOut(code, "contextual", _text("contextual"), ((e, code),)))
                continue
            for lk in usable:
                cands.setdefault(lk.sdg_indicator, {}).setdefault(e, []).append((lk, spec))
    rows: list[Row] = []
    used: set[tuple[str, str]] = set()
    chosen_for: dict[tuple[str, str], str] = {}  # (entity, sdg) → the local indicator chosen
    for g in sorted(cands, key=order):
        gunits = _global_units(g)
        per = {e: _pick(c, gunits) for e, c in cands[g].items()}
        for e, (_lk, spec) in per.items():
            chosen_for[(e, g)] = spec.indicator
        members = [(e, lk, spec) for e, (lk, spec) in per.items()]
        concerned = tuple((e, spec.indicator) for e, _lk, spec in members)
        if len(members) < need:
            missing = [e for e in sides if e not in per]
            left.append(LeftOut(g, "missing-in-peer", _text("missing-in-peer", missing=", ".join(missing),
                                                            present=", ".join(per)), concerned))
            continue
        if _series_clash(members):
            left.append(LeftOut(g, "series-mismatch", _text("series-mismatch", units="; ".join(
                f"{e}: {spec.series}" for e, _lk, spec in members)), concerned))
            continue
        got = _row_unit(g, members, sides)
        if isinstance(got, LeftOut):
            left.append(got)
            continue
        unit, conv = got
        kind = "compared" if all(lk.grade in COMPARED for _e, lk, _s in members) else "proxy"
        rows.append(_build_row(g, kind, members, unit, conv, sides, tuple(e for e in sides if e not in per)))
        used.update(concerned)
    # a local indicator in no row and no entry: another indicator of its review stands for its SDG indicator
    listed = used | {pair for lo in left for pair in lo.indicators}
    for e, gs in ((e, [g for g, c in cands.items() if e in c]) for e in sides):
        for g in gs:
            for _lk, spec in cands[g][e]:
                if (e, spec.indicator) not in listed:
                    other = chosen_for[(e, g)]
                    left.append(LeftOut(spec.indicator, "not-chosen", _text("not-chosen", g=g, other=other),
                                        ((e, spec.indicator),)))
                    listed.add((e, spec.indicator))
    rows.sort(key=lambda r: (r.kind != "compared", order(r.sdg_indicator)))
    merged: dict[tuple[str, str, str], LeftOut] = {}  # one entry per indicator and reason, every review in it
    for lo in left:
        k = (lo.subject, lo.reason, lo.text["en"])
        merged[k] = replace(merged[k], indicators=merged[k].indicators + lo.indicators) if k in merged else lo
    left = sorted(merged.values(), key=lambda lo: (order(lo.subject), lo.reason))
    names = {r.entity.code: dict(r.entity.names) for r in reviews}
    dash = dashboard(rows, profile) if peer_bounds else None
    return Peers(tuple(codes), names, tuple(rows), tuple(left), dash)


def dashboard(rows: Sequence[Row], profile: str | None = None) -> Dashboard:
    """The SDSN-style dashboard of the ranked rows, every bound derived from the members' latest
    values by :func:`vlrkit.assess.sdsn.assess` (the method edition's percentiles, top performers
    and minimum number of peers)."""
    from vlrkit.assess import editions, sdsn

    ed = editions.sdsn(profile)
    n = ed.normalisation
    ranked = [r for r in rows if r.ranked]
    panel = pl.DataFrame(
        [(m.entity, r.sdg_indicator, y, v) for r in ranked for m in r.members for y, v in m.values],
        schema={"entity": pl.String, "indicator": pl.String, "year": pl.Int32, "value": pl.Float64}, orient="row")
    spec = pl.DataFrame({"indicator": [r.sdg_indicator for r in ranked],
                         "goal": [int(r.sdg_indicator.split(".")[0]) for r in ranked],
                         "direction": [r.direction for r in ranked]},
                        schema={"indicator": pl.String, "goal": pl.Int32, "direction": pl.String})
    peers = len({m.entity for r in ranked for m in r.members})
    note = {
        "en": (f"Peer dashboard, on request: every bound is derived from the latest values of the {peers} reviews "
               f"compared here — lower bound the {n.worst_percentile:.1%} percentile, optimum the mean of the top "
               f"{n.top_performers}, green and red the {n.green_percentile:.0%} and {n.red_percentile:.0%} "
               f"percentiles (method edition {ed.name}; at least {n.min_peers} reviews, else grey). These are not "
               f"SDSN's published bounds: a score says where a city stands among these peers only."),
        "zh-Hans": (f"同行仪表盘（按要求生成）：所有界值均由此处比较的 {peers} 个评估的最新值推算——下界为 "
                    f"{n.worst_percentile:.1%} 分位数，最优值为前 {n.top_performers} 名的均值，绿/红阈值为 "
                    f"{n.green_percentile:.0%}/{n.red_percentile:.0%} 分位数（方法版本 {ed.name}；至少 {n.min_peers} "
                    f"个评估，否则为灰色）。这些不是 SDSN 公布的界值：得分仅说明城市在这些同行中的位置。"),
    }
    if not ranked:
        return Dashboard(ed.name, note, (), (), ())
    res = sdsn.assess(panel, spec, profile=ed)
    cells = tuple((i, e, int(y), float(v), s, c) for e, i, y, v, s, c in res.indicators.select(
        "entity", "indicator", "year", "value", "score", "colour").iter_rows())
    bounds = tuple((i, b, w, g, r, int(p)) for i, b, w, g, r, p in res.bounds.select(
        "indicator", "best", "worst", "green", "red", "peers").iter_rows())
    goals = tuple((e, int(g), s, c) for e, g, s, c in res.goals.select("entity", "goal", "score", "colour").iter_rows())
    return Dashboard(ed.name, note, cells, bounds, goals)
