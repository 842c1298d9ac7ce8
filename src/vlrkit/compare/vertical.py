"""Vertical coherence: a city's indicators beside its country's (GE-5a: work with the national
government and its VNR).

:func:`compare` takes the local review and a national one (an entity of level ``national``: the
country's Open SDG repository read by :mod:`vlrkit.compare.sources`, or a review stored in
vlrkit) and pairs, for every local indicator linked to a global SDG indicator, the local
headline series with the national series of the same global indicator:

- the **pairing** goes through the global indicator: the local indicator's ``identical`` or
  ``adapted`` SDG link, and a national indicator whose own identical/adapted link names that
  global indicator (an Open SDG national repository's indicators are the global ones), else
  whose series is an SDG series code serving it (SDMX from the UN global database);
- each side is its **headline series** as the assessment reads it (:func:`vlrkit.assess.specs.build`:
  the same rows, documented totals and directions); the **units** must be the same unit
  (:func:`vlrkit.sdg.units.same_unit`), else the pair is left out and says so; a total (a count,
  an amount: :func:`vlrkit.sdg.units.is_extensive`) is left out too — a city's total beside its
  country's says nothing; its rate or share does;
- per pair: each side's latest year and value, its average change per year since the SDG base
  year (2015, or its first year after), the **gap** (local − national) in the latest year both
  have and in the first, whether it is **narrowing** (its absolute value shrank), which side is
  **ahead** — only when the direction is known and confirmed, never assumed — and the local and
  the national target beside each other.

Every local indicator not paired is listed in :attr:`Vertical.left_out` with its reason (no SDG
link, a proxy or contextual link on either side, no national series, another unit, a total, no
values).  Pure
core: no store, no web.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from vlrkit.assess.rules import BASE_YEAR

__all__ = ["Pair", "Vertical", "compare", "REASONS", "to_rows", "to_csv"]

COMPARED_GRADES = ("identical", "adapted")
#: Why a local indicator is not beside a national one (code → en, zh-Hans).
REASONS: Mapping[str, Mapping[str, str]] = {
    "no-link": {"en": "no SDG indicator link", "zh-Hans": "未关联 SDG 指标"},
    "not-comparable-link": {"en": "its SDG link is a {grade}: not compared with the national value",
                            "zh-Hans": "其 SDG 关联为{grade}：不与国家数值比较"},
    "no-national": {"en": "the national data have no series for SDG {g}",
                    "zh-Hans": "国家数据中没有 SDG {g} 的序列"},
    "national-not-comparable": {"en": "the national series of SDG {g} is a {grade}: not compared",
                                "zh-Hans": "SDG {g} 的国家序列为{grade}：不比较"},
    "unit-mismatch": {"en": "another unit: local {lu}, national {nu}",
                      "zh-Hans": "单位不同：地方 {lu}，国家 {nu}"},
    "total-unit": {"en": "a total ({lu}): a city's and a country's totals are not compared (a rate or share is)",
                   "zh-Hans": "总量单位（{lu}）：城市与国家的总量不作比较（比率或比例可比）"},
    "no-values": {"en": "no values on one side", "zh-Hans": "一方没有数值"},
}
_GRADE_ZH = {"proxy": "替代指标", "contextual": "背景指标"}


@dataclass(frozen=True)
class Side:
    """One side of a pair: a headline series and what its values say."""

    indicator: str
    series: str
    unit: str
    latest_year: int | None
    latest: float | None
    first_year: int | None  # the base year (2015) or the first year after it with a value
    first: float | None
    change_per_year: float | None  # (latest − first) / years, in the series' unit
    target: tuple[float, int] | None  # (value, year)


@dataclass(frozen=True)
class Pair:
    """A local indicator beside the national series of the same global indicator."""

    sdg_indicator: str
    grade: str  # of the local link: identical | adapted
    local: Side
    national: Side
    direction: str  # higher | lower | band | unknown (the local series')
    claims_allowed: bool  # direction confirmed: "ahead" and "improving" may be said
    common_years: tuple[int, ...]
    gap_year: int | None  # latest year both have
    gap: float | None  # local − national in gap_year
    first_gap_year: int | None
    first_gap: float | None
    narrowing: bool | None  # |gap| smaller than in first_gap_year (False: larger); None: the same, or < 2 common years
    ahead: str | None  # local | national | level | None (direction unknown or no common year)

    @property
    def national_target(self) -> tuple[float, int] | None:
        return self.national.target


@dataclass(frozen=True)
class Vertical:
    """The local review beside the national one."""

    local_entity: str
    national_entity: str
    pairs: tuple[Pair, ...]
    left_out: tuple[tuple[str, str, Mapping[str, str]], ...]  # (local indicator, reason code, text)
    warnings: tuple[Mapping[str, str], ...] = ()

    def counts(self) -> dict[str, int]:
        narrowing = sum(1 for p in self.pairs if p.narrowing)
        widening = sum(1 for p in self.pairs if p.narrowing is False)
        return {"pairs": len(self.pairs), "left_out": len(self.left_out), "narrowing": narrowing,
                "widening": widening, "local_ahead": sum(1 for p in self.pairs if p.ahead == "local"),
                "national_ahead": sum(1 for p in self.pairs if p.ahead == "national")}


def _links(review: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for lk in review.links:
        if lk.sdg_indicator:
            out.setdefault(lk.indicator, []).append(lk)
    return out


def _side(spec: Any, rows: pl.DataFrame, target_kinds: tuple[str, ...]) -> tuple[Side, dict[int, float]]:
    values = {int(y): float(v) for y, v in rows.filter(pl.col("indicator") == spec.key)
              .select("year", "value").iter_rows()}
    years = sorted(values)
    latest_year = years[-1] if years else None
    base = [y for y in years if y <= BASE_YEAR]
    first_year = base[-1] if base else (years[0] if years else None)
    change = None
    if latest_year is not None and first_year is not None and latest_year > first_year:
        change = (values[latest_year] - values[first_year]) / (latest_year - first_year)
    target = None
    for kind in target_kinds:
        if kind in spec.targets:
            value, year, _src = spec.targets[kind]
            target = (float(value), int(year))
            break
    side = Side(spec.indicator, spec.series, spec.unit, latest_year,
                values[latest_year] if latest_year is not None else None, first_year,
                values[first_year] if first_year is not None else None, change, target)
    return side, values


def _ahead(direction: str, claims: bool, gap: float | None, scale: float) -> str | None:
    if gap is None or not claims or direction not in ("higher", "lower"):
        return None
    if abs(gap) <= 1e-9 * max(scale, 1.0):
        return "level"
    return "local" if (gap > 0) == (direction == "higher") else "national"


def compare(local: Any, national: Any, *, local_specs: Any = None, national_specs: Any = None) -> Vertical:
    """``local`` beside ``national`` (both :class:`vlrkit.review.Review`; see the module doc).
    ``*_specs`` may pass :func:`vlrkit.assess.specs.build` results already at hand."""
    from vlrkit.assess import specs as sp
    from vlrkit.formats.sdmx import dsd
    from vlrkit.sdg.units import is_extensive, same_unit

    ls = local_specs or sp.build(local)
    ns = national_specs or sp.build(national)
    warnings: list[Mapping[str, str]] = []
    if getattr(national.entity, "level", "") != "national":
        warnings.append({"en": f"{national.entity.code} is not an entity of level national ({national.entity.level})",
                         "zh-Hans": f"{national.entity.code} 不是国家级主体（{national.entity.level}）"})
    lc, nc = (local.entity.country or "").upper(), (national.entity.country or "").upper()
    if lc and nc and lc != nc:
        warnings.append({"en": f"the national entity's country ({nc}) is not the local entity's ({lc})",
                         "zh-Hans": f"国家主体的国家（{nc}）与地方主体的国家（{lc}）不同"})
    elif not (lc and nc):
        warnings.append({"en": "the country of the local or the national entity is not set: check they belong together",
                         "zh-Hans": "地方或国家主体未设置国家：请确认二者对应"})
    # national headline series by global indicator: links first, then SDG series codes
    by_global: dict[str, Any] = {}
    nlinks = _links(national)
    for spec in ns.series:
        if not spec.headline:
            continue
        for lk in nlinks.get(spec.indicator, []):
            if lk.grade in COMPARED_GRADES:
                by_global.setdefault(lk.sdg_indicator, spec)
    for spec in ns.series:
        if spec.headline:
            for g in dsd.indicators_of(spec.series):
                by_global.setdefault(g, spec)
    weak = {lk.sdg_indicator: lk.grade for lks in nlinks.values() for lk in lks if lk.grade not in COMPARED_GRADES}
    pairs: list[Pair] = []
    left: list[tuple[str, str, Mapping[str, str]]] = []

    def leave(code: str, reason: str, **kw: str) -> None:
        text = {lang: t.format(**{k: (_GRADE_ZH.get(v, v) if lang == "zh-Hans" else v) for k, v in kw.items()})
                for lang, t in REASONS[reason].items()}
        left.append((code, reason, text))

    llinks = _links(local)
    for ind in local.indicators:
        spec = ls.headline(ind.code)
        if spec is None:
            continue
        lks = llinks.get(ind.code, [])
        good = [lk for lk in lks if lk.grade in COMPARED_GRADES]
        if not lks:
            leave(ind.code, "no-link")
            continue
        if not good:
            leave(ind.code, "not-comparable-link", grade=lks[0].grade)
            continue
        match = next(((lk, by_global[lk.sdg_indicator]) for lk in good if lk.sdg_indicator in by_global), None)
        if match is None:
            gs = sorted({lk.sdg_indicator for lk in good})
            w = next((g for g in gs if g in weak), None)
            if w is not None:
                leave(ind.code, "national-not-comparable", g=w, grade=weak[w])
            else:
                leave(ind.code, "no-national", g=", ".join(gs))
            continue
        lk, nspec = match
        if not same_unit(spec.unit, nspec.unit):
            leave(ind.code, "unit-mismatch", lu=spec.unit or "—", nu=nspec.unit or "—")
            continue
        if is_extensive(spec.unit):
            leave(ind.code, "total-unit", lu=spec.unit)
            continue
        lside, lvals = _side(spec, ls.rows, ("local",))
        nside, nvals = _side(nspec, ns.rows, ("local", "national"))
        if nside.target is None and "national" in spec.targets:  # the national target the local review records
            v, y, _s = spec.targets["national"]
            nside = Side(**{**nside.__dict__, "target": (float(v), int(y))})
        if lside.latest is None or nside.latest is None:
            leave(ind.code, "no-values")
            continue
        common = tuple(sorted(set(lvals) & set(nvals)))
        gap_year = common[-1] if common else None
        gap = lvals[gap_year] - nvals[gap_year] if gap_year is not None else None
        first_gap_year = common[0] if len(common) > 1 else None
        first_gap = lvals[first_gap_year] - nvals[first_gap_year] if first_gap_year is not None else None
        narrowing = None
        if gap is not None and first_gap is not None and abs(abs(gap) - abs(first_gap)) > 1e-9 * max(abs(first_gap), 1.0):
            narrowing = abs(gap) < abs(first_gap)
        scale = max(abs(lvals[gap_year]), abs(nvals[gap_year])) if gap_year is not None else 1.0
        pairs.append(Pair(
            sdg_indicator=lk.sdg_indicator, grade=lk.grade, local=lside, national=nside, direction=spec.direction,
            claims_allowed=spec.claims_allowed, common_years=common, gap_year=gap_year, gap=gap,
            first_gap_year=first_gap_year, first_gap=first_gap, narrowing=narrowing,
            ahead=_ahead(spec.direction, spec.claims_allowed, gap, scale)))
    return Vertical(local.entity.code, national.entity.code, tuple(pairs), tuple(left), tuple(warnings))


def to_rows(result: Vertical, lang: str = "en") -> list[dict[str, Any]]:
    """One plain row per local indicator — paired or left out, with why — for the VNR team's
    table (CSV, JSON)."""
    key = "zh-Hans" if lang.startswith("zh") else "en"
    rows: list[dict[str, Any]] = []
    for p in result.pairs:
        rows.append({
            "local_indicator": p.local.indicator, "sdg_indicator": p.sdg_indicator, "grade": p.grade,
            "local_series": p.local.series, "national_indicator": p.national.indicator,
            "national_series": p.national.series, "unit": p.local.unit,
            "local_year": p.local.latest_year, "local_value": p.local.latest,
            "national_year": p.national.latest_year, "national_value": p.national.latest,
            "local_change_per_year": p.local.change_per_year, "national_change_per_year": p.national.change_per_year,
            "gap_year": p.gap_year, "gap": p.gap, "first_gap_year": p.first_gap_year, "first_gap": p.first_gap,
            "narrowing": p.narrowing, "direction": p.direction, "ahead": p.ahead,
            "local_target": p.local.target[0] if p.local.target else None,
            "local_target_year": p.local.target[1] if p.local.target else None,
            "national_target": p.national.target[0] if p.national.target else None,
            "national_target_year": p.national.target[1] if p.national.target else None,
            "left_out": "",
        })
    for code, reason, text in result.left_out:
        rows.append({"local_indicator": code, "left_out": reason, "reason": text[key]})
    return rows


def to_csv(result: Vertical, lang: str = "en") -> bytes:
    """:func:`to_rows` as CSV (UTF-8), the VNR team's table, written by the one formula-safe
    writer (:mod:`vlrkit.formats.spreadsheet`: a unit or a reason may start with ``-`` or ``=``)."""
    from vlrkit.formats.spreadsheet import csv_bytes

    rows = to_rows(result, lang)
    fields = list(dict.fromkeys(k for r in rows for k in r)) or ["local_indicator", "left_out", "reason"]
    return csv_bytes(fields, ([r.get(k, "") for k in fields] for r in rows))
