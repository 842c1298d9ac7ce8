"""What the assessment knows about each series of a review, and where each piece came from.

The unit of assessment is a *series* (:mod:`vlrkit.series`): one indicator's publisher series in
one unit.  For each, :func:`build` gives

- its **rows**: the total rows of the series; a series published only by group is assessed on a
  *documented total*: the group the publisher selects first (Open SDG ``data_start_values``:
  ``Country: Great Britain``), else a group whose label names the total (``Theme: Total``), else
  — saying so — its most complete group (:data:`GROUP_RULES`);
- whether it is the indicator's **headline** series and by which rule
  (:func:`vlrkit.series.choose_headline`);
- its **direction**, **2030 value** and **SDSN bounds** resolved by
  :func:`vlrkit.sdg.resolve.resolve` — user (the indicator's direction, thresholds and targets
  set in vlrkit), publisher (Open SDG ``progress_calculation_options`` and target lines), the
  shipped catalogue through the indicator's SDG links and their grades, else *unknown*; a
  series whose direction is unknown (or only a proxy's, "to confirm") is never scored, coloured
  or judged improving — it is listed as "direction to confirm";
- its **targets** by kind: ``local`` and ``national`` (the review's, for that series or the
  indicator's headline), and ``sdg`` (the global target's 2030 value, a relative one made a level
  from the series' 2015 value, or its first value when it starts later).

Everything returned is plain data; the engines (:mod:`~vlrkit.assess.sdsn`,
:mod:`~vlrkit.assess.progress`) read it as the panel and spec frames.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vlrkit import series as sr
from vlrkit import tidy
from vlrkit.assess.rules import BASE_YEAR, TARGET_YEAR
from vlrkit.formats.opensdg import mapping as _mapping
from vlrkit.review.model import series_targets

__all__ = ["SeriesSpec", "Specs", "build", "KEY_SEP", "GROUP_RULES", "series_key"]

#: Joins indicator, series and unit into the panel key of a series that is not a headline.
KEY_SEP = "\x1f"
#: How the rows of a series with no total are chosen, in order (the rule is named on the series).
GROUP_RULES = ("total", "publisher-group", "total-label", "most-complete-group")
_GROUP_TEXT = {
    "total": {"en": "", "zh-Hans": ""},
    "publisher-group": {"en": "the group the publisher shows first ({g})", "zh-Hans": "发布方默认显示的分组（{g}）"},
    "total-label": {"en": "the group labelled as the total ({g})", "zh-Hans": "标为合计的分组（{g}）"},
    "most-complete-group": {"en": "no total is published: its most complete group ({g})",
                            "zh-Hans": "未发布合计：数据最完整的分组（{g}）"},
}


def series_key(indicator: str, series: str, unit: str, headline: bool) -> str:
    """The panel key of a series: the indicator's code for its headline series (so that every
    per-indicator figure is the headline's), ``indicator␟series␟unit`` for the others."""
    return indicator if headline else KEY_SEP.join((indicator, series, unit))


@dataclass(frozen=True)
class SeriesSpec:
    """One series of a review as the assessment reads it."""

    key: str
    indicator: str
    goal: int
    series: str
    unit: str
    headline: bool
    headline_rule: str  # publisher | global-unit | most-complete | only
    group_rule: str  # one of GROUP_RULES
    group: Mapping[str, str]  # the documented total's group (column -> label), {} for a total
    direction: str  # higher | lower | band | unknown
    direction_origin: str  # user | publisher | catalogue | unknown
    direction_source: Mapping[str, str]  # en / zh-Hans, one line
    claims_allowed: bool  # a confirmed higher/lower: improvement, setback and best-off claims
    best: float | None = None
    worst: float | None = None
    green: float | None = None
    red: float | None = None
    yellow: float | None = None  # a yellow threshold of its own (editions that publish one)
    bounds_origin: str = "unknown"
    bounds_source: Mapping[str, str] = field(default_factory=dict)
    targets: Mapping[str, tuple[float, int, str]] = field(default_factory=dict)  # kind -> (value, year, source)
    optimum: str | None = None
    notes: tuple[Mapping[str, str], ...] = ()

    @property
    def label(self) -> str:
        return sr.label(self.series, self.unit)

    def group_text(self, lang: str = "en") -> str:
        key = "zh-Hans" if lang.startswith("zh") else "en"
        g = ", ".join(f"{k}: {v}" for k, v in self.group.items())
        return _GROUP_TEXT[self.group_rule][key].format(g=g)


@dataclass(frozen=True)
class Specs:
    """Every series of a review: the specs, and the rows each is assessed on."""

    series: tuple[SeriesSpec, ...]
    rows: pl.DataFrame  # panel rows: entity, indicator (= series key), year, value

    def of(self, indicator: str) -> tuple[SeriesSpec, ...]:
        return tuple(s for s in self.series if s.indicator == indicator)

    def headline(self, indicator: str) -> SeriesSpec | None:
        return next((s for s in self.series if s.indicator == indicator and s.headline), None)


def _start_values(ind: Any) -> list[dict[str, Any]]:
    raw = (getattr(ind, "extra", None) or {}).get("data_start_values", "")
    try:
        doc = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [d for d in doc if isinstance(d, dict)] if isinstance(doc, list) else []


def _progress_options(ind: Any) -> list[dict[str, Any]]:
    raw = (getattr(ind, "extra", None) or {}).get("progress_calculation_options", "")
    try:
        doc = json.loads(raw) if raw else []
    except ValueError:
        return []
    doc = [doc] if isinstance(doc, dict) else doc
    return [d for d in doc if isinstance(d, dict)] if isinstance(doc, list) else []


def _group_rows(rows: pl.DataFrame, ind: Any) -> tuple[pl.DataFrame, str, dict[str, str]]:
    """The rows a series is assessed on and the rule that chose them (see the module doc)."""
    total = rows.filter(tidy.is_total())
    if total.filter(pl.col("value").is_not_null()).height:
        return total, "total", {}
    groups = rows.filter(pl.col("value").is_not_null())
    if groups.is_empty():
        return total, "total", {}
    start = {str(d.get("field", "")).strip(): str(d.get("value", "")).strip() for d in _start_values(ind)}
    start = {k: v for k, v in start.items() if k.lower() not in sr.START_FIELDS}
    labelled = groups.with_columns(pl.col("breakdown").map_elements(
        lambda t: json.dumps(tidy.breakdown_of(t), sort_keys=True), return_dtype=pl.String).alias("_g"))
    candidates: list[tuple[str, dict[str, str]]] = []
    for text in labelled["_g"].unique().to_list():
        g = json.loads(text)
        if g and start and all(start.get(k) == v for k, v in g.items()):
            candidates.append(("publisher-group", g))
    if not candidates:
        for text in labelled["_g"].unique().to_list():
            g = json.loads(text)
            if g and all(_mapping.normalise(v) in _mapping.TOTAL_LABELS for v in g.values()):
                candidates.append(("total-label", g))
    coded_total = pl.all_horizontal([pl.col(d).is_null() for d in tidy.DIMENSIONS])
    if candidates:
        rule, g = sorted(candidates, key=lambda c: json.dumps(c[1], sort_keys=True))[0]
        chosen = labelled.filter((pl.col("_g") == json.dumps(g, sort_keys=True)) & coded_total)
        if chosen.height:
            return chosen.drop("_g"), rule, g
    # no total and nothing that stands for it: the most complete group, named as such
    coded = [d for d in tidy.DIMENSIONS]
    keyed = labelled.with_columns(pl.concat_str([pl.col("_g"), *[pl.col(d).fill_null("") for d in coded]],
                                                separator="|").alias("_k"))
    best = (keyed.group_by("_k").agg(pl.col("year").n_unique().alias("n"), pl.col("year").max().alias("last"))
            .sort(["n", "last", "_k"], descending=[True, True, False]).row(0, named=True))["_k"]
    chosen = keyed.filter(pl.col("_k") == best)
    first = chosen.row(0, named=True)
    g = {**json.loads(first["_g"]), **{d: first[d] for d in coded if first[d]}}
    return chosen.drop("_g", "_k"), "most-complete-group", g


def _source_text(origin: Any, what: str) -> dict[str, str]:
    return {"en": origin.text("en", what), "zh-Hans": origin.text("zh-Hans", what)}


def build(review: Any, *, base_year: int = BASE_YEAR, year: int | None = None) -> Specs:
    """The series of ``review`` with their specs and rows (see the module doc)."""
    from vlrkit.sdg.knowledge import knowledge
    from vlrkit.sdg.resolve import Stated, resolve

    obs = tidy.conform(review.observations)
    if year is not None:
        obs = obs.filter(pl.col("year") <= year)
    obs = obs.with_columns(pl.col("unit").fill_null(""))
    links: dict[str, list[Any]] = {}
    for lk in review.links:
        links.setdefault(lk.indicator, []).append(lk)
    th = {t.indicator: t for t in review.thresholds}
    tg = series_targets(review.targets)
    specs: list[SeriesSpec] = []
    panels: list[pl.DataFrame] = []
    by_ind = {k[0]: v for k, v in obs.partition_by("indicator", as_dict=True).items()} if obs.height else {}
    # every series' completeness in one pass, and the year means of the series that publish a
    # total (the usual case): per series only what needs its own rows is computed in the loop
    infos_of: dict[str, list[sr.SeriesInfo]] = {}
    for info in sr.summary(obs):
        infos_of.setdefault(info.indicator, []).append(info)
    total_means = ({(k[0], k[1], k[2]): v for k, v in obs.filter(tidy.is_total() & pl.col("value").is_not_null())
                    .group_by("indicator", "series", "unit", "year").agg(pl.col("value").mean())
                    .partition_by("indicator", "series", "unit", as_dict=True).items()} if obs.height else {})
    for ind in review.indicators:
        rows = by_ind.get(ind.code)
        if rows is None:
            continue
        infos = [i for i in infos_of.get(ind.code, ()) if i.observations]
        lks = links.get(ind.code, [])

        def global_unit(unit: str, lks: list[Any] = lks) -> bool:
            for lk in lks:
                if lk.sdg_indicator and lk.grade in ("identical", "adapted"):
                    try:
                        if knowledge(lk.sdg_indicator).unit_matches(unit):
                            return True
                    except KeyError:
                        continue
            return False

        extra = ind.extra or {}
        user_head = ((extra.get("headline_series", ""), extra.get("headline_unit", ""))
                     if extra.get("headline_series") or extra.get("headline_unit") else None)
        head = sr.choose_headline(infos, start=sr.start_values(_start_values(ind)), global_unit=global_unit,
                                  user=user_head)
        opts = _progress_options(ind)
        origin_publisher = (ind.extra or {}).get("direction_origin") == "publisher"
        for info in infos:
            is_head = head is not None and (info.series, info.unit) == (head.series, head.unit)
            of_series = (pl.col("series") == info.series) & (pl.col("unit") == info.unit)
            means = total_means.get((ind.code, info.series, info.unit)) if info.total_years else None
            chosen: pl.DataFrame | None = None
            group: dict[str, str] = {}
            if means is not None:  # a total with values: _group_rows' first rule, without its filters
                group_rule = "total"
            else:
                chosen, group_rule, group = _group_rows(rows.filter(of_series), ind)
            # what the user set in vlrkit: the direction (unless it came from the publisher's
            # configuration at import), and — for the headline series — the thresholds
            user_dir = ind.direction if ind.direction in ("higher", "lower") and not origin_publisher else None
            t = th.get(ind.code) if is_head else None
            user = Stated(direction=user_dir, optimum=t.optimum if t else None, lower_bound=t.lower_bound if t else None,
                          green=t.green if t else None, red=t.red if t else None,
                          yellow=t.yellow if t else None, source="vlrkit")
            opt = next((o for o in opts if str(o.get("series", "")).strip() in ("", info.series)
                        and str(o.get("unit", "")).strip() in ("", info.unit)), None)
            pdir = None
            if opt is not None:
                d = str(opt.get("direction", "")).strip().lower()
                pdir = "lower" if d in ("negative", "lower") else "higher" if d in ("positive", "higher") else None
            elif origin_publisher and ind.direction in ("higher", "lower"):
                pdir = ind.direction
            publisher = Stated(direction=pdir, source="progress_calculation_options")
            res = resolve(lks, unit=info.unit or ind.unit or None, user=user, publisher=publisher)
            direction = res.direction.value or "unknown"
            bounds = res.bounds.value
            targets: dict[str, tuple[float, int, str]] = {}
            for kind in ("local", "national"):
                got = tg.get((ind.code, info.series, info.unit, kind))
                if got is None and is_head:
                    got = tg.get((ind.code, "", "", kind))
                if got is not None:
                    targets[kind] = (got.value, got.year, "set in the review" if kind == "local" else "national target")
            spec_target = res.target.value
            if spec_target is not None and res.target.known:
                if chosen is None:
                    chosen = rows.filter(of_series & tidy.is_total())
                values = chosen.filter(pl.col("value").is_not_null()).sort("year")
                base = values.filter(pl.col("year") <= base_year).tail(1)
                base = base if base.height else values.head(1)
                level = spec_target.level(base["value"][0] if base.height else None)
                if level is not None:
                    targets["sdg"] = (float(level), spec_target.target_year, res.target.origin.source)
            key = series_key(ind.code, info.series, info.unit, is_head)
            rule_name = "only" if len(infos) == 1 else (head.rule if head and is_head else "")
            specs.append(SeriesSpec(
                key=key, indicator=ind.code, goal=ind.goal, series=info.series, unit=info.unit,
                headline=is_head, headline_rule=rule_name, group_rule=group_rule, group=group,
                direction=direction, direction_origin=res.direction.origin.code,
                direction_source=_source_text(res.direction.origin, "direction"),
                claims_allowed=res.claims_allowed,
                best=bounds.optimum if bounds else None, worst=bounds.lower_bound if bounds else None,
                green=bounds.green if bounds else None, red=bounds.red if bounds else None,
                yellow=bounds.yellow if bounds else None,
                bounds_origin=res.bounds.origin.code, bounds_source=_source_text(res.bounds.origin, "bounds"),
                targets=targets, notes=tuple(res.notes),
            ))
            if means is None:
                assert chosen is not None
                means = (chosen.filter(pl.col("value").is_not_null())
                         .group_by("year").agg(pl.col("value").mean()))  # sub-annual periods: the year's mean
            panels.append(means.select(pl.lit(review.entity.code).alias("entity"), pl.lit(key).alias("indicator"),
                                  pl.col("year").cast(pl.Int32), pl.col("value")))
    frame = (pl.concat(panels) if panels else
             pl.DataFrame(schema={"entity": pl.String, "indicator": pl.String, "year": pl.Int32, "value": pl.Float64}))
    return Specs(tuple(specs), frame.sort("indicator", "year"))


def spec_frame(specs: Specs, kind: str | None, *, headline_only: bool, optimum_of: Mapping[str, Any]) -> pl.DataFrame:
    """The engines' spec frame (:mod:`vlrkit.assess.frames`) of the series whose direction may
    be claimed; ``kind`` names the target (``local``, ``national``, ``sdg``; None: none)."""
    rows = []
    for s in specs.series:
        if not s.claims_allowed or (headline_only and not s.headline):
            continue
        t = s.targets.get(kind) if kind else None
        rule, value = optimum_of.get(s.indicator, (None, None)) if s.headline else (None, None)
        rows.append({
            "indicator": s.key, "goal": s.goal, "direction": s.direction,
            "best": s.best if s.best is not None else value, "worst": s.worst, "green": s.green, "red": s.red,
            "yellow": s.yellow,
            "target": t[0] if t else None, "target_year": t[1] if t else TARGET_YEAR, "optimum": rule,
        })
    schema = {"indicator": pl.String, "goal": pl.Int32, "direction": pl.String, "best": pl.Float64,
              "worst": pl.Float64, "green": pl.Float64, "red": pl.Float64, "yellow": pl.Float64, "target": pl.Float64,
              "target_year": pl.Int32, "optimum": pl.String}
    return pl.DataFrame(rows, schema=schema)
