"""An Open SDG indicator's ``progress_calculation_options``: which series its progress measure
uses, with which direction, target, base and target year and limit — read from the metadata
(kept verbatim in a local indicator's ``extra``) and applied to the tidy observations.

    auto_progress_calculation: true
    progress_calculation_options:
    - series: Fatality claims
      unit: percentage
      disaggregation: [{field: Geography, value: Canada}, {field: Gender, value: Male}]
      direction: negative
      limit: 0
    - group:                      # equally weighted: averaged before the indicator's mean
      - {series: Lost time claims, direction: negative, target: 85}
      - {series: Lost time claims, disaggregation: [{field: Gender, value: Female}], direction: negative}

:func:`parse` checks the options (bad ones raise :class:`OptionsError` in English and Chinese);
:func:`series_panel` selects each option's rows — the ``series`` and ``unit`` given, the
``disaggregation`` fields matched on the original labels the importer kept, else the headline —
and returns a panel with one series per option, its spec and its place in the indicator's
groups, ready for :func:`vlrkit.assess.opensdg.assess` and
:func:`vlrkit.assess.opensdg.indicators`.  ``direction`` is never assumed: an option without
one is measured as not available (Open SDG would take "negative").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import polars as pl

from vlrkit import tidy

#: Open SDG's directions → vlrkit's.
DIRECTIONS = {"positive": "higher", "negative": "lower"}
_FIELDS = ("series", "unit", "disaggregation", "direction", "target", "target_year", "base_year", "limit",
           "progress_thresholds")


class OptionsError(ValueError):
    """Options that cannot be read: ``en`` and ``zh`` say why."""

    def __init__(self, en: str, zh: str) -> None:
        self.en, self.zh = en, zh
        super().__init__(f"{en} / {zh}")


@dataclass(frozen=True)
class SeriesOption:
    """One time series an indicator's progress is measured on."""

    path: tuple[int, ...]  # (2,) the third option; (1, 0) the first series of the second (a group)
    series: str | None = None
    unit: str | None = None
    disaggregation: tuple[tuple[str, str], ...] = ()  # (field, value) of the original data
    direction: str | None = None  # higher | lower; None when not given
    target: float | None = None
    target_year: int | None = None
    base_year: int | None = None
    limit: float | None = None


def _number(where: str, key: str, raw: Any, whole: bool = False) -> Any:
    if raw is None:
        return None
    try:
        x = float(raw)
    except (TypeError, ValueError):
        raise OptionsError(f"{where}: {key} is not a number: {raw!r}", f"{where}：{key} 不是数字：{raw!r}") from None
    if whole:
        if x != int(x):
            raise OptionsError(f"{where}: {key} is not a year: {raw!r}", f"{where}：{key} 不是年份：{raw!r}")
        return int(x)
    return x


def _option(path: tuple[int, ...], raw: Any) -> list[SeriesOption]:
    where = "progress_calculation_options[" + "][".join(map(str, path)) + "]"
    if not isinstance(raw, dict):
        raise OptionsError(f"{where} is not a table of options", f"{where} 不是选项表")
    if "group" in raw:
        members = raw["group"]
        if not isinstance(members, list) or not members:
            raise OptionsError(f"{where}: group must be a non-empty list", f"{where}：group 须为非空列表")
        return [o for i, m in enumerate(members) for o in _option((*path, i), m)]
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise OptionsError(f"{where}: unknown option(s) {', '.join(unknown)}", f"{where}：未知选项 {', '.join(unknown)}")
    direction = raw.get("direction")
    if direction is not None and str(direction).strip().lower() not in DIRECTIONS:
        raise OptionsError(f"{where}: direction must be positive or negative, not {direction!r}",
                           f"{where}：direction 须为 positive 或 negative，而非 {direction!r}")
    dis = raw.get("disaggregation") or []
    if not isinstance(dis, list) or not all(isinstance(d, dict) and {"field", "value"} <= set(d) for d in dis):
        raise OptionsError(f"{where}: disaggregation must be a list of {{field, value}}",
                           f"{where}：disaggregation 须为 {{field, value}} 列表")
    return [SeriesOption(
        path=path,
        series=None if raw.get("series") is None else str(raw["series"]),
        unit=None if raw.get("unit") is None else str(raw["unit"]),
        disaggregation=tuple((str(d["field"]), str(d["value"])) for d in dis),
        direction=DIRECTIONS[str(direction).strip().lower()] if direction is not None else None,
        target=_number(where, "target", raw.get("target")),
        target_year=_number(where, "target_year", raw.get("target_year"), whole=True),
        base_year=_number(where, "base_year", raw.get("base_year"), whole=True),
        limit=_number(where, "limit", raw.get("limit")),
    )]


def parse(value: Any) -> tuple[SeriesOption, ...]:
    """The options of one indicator: a list (or its JSON/YAML text, as ``extra`` keeps it);
    empty or missing → one option, the headline series with nothing set."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            value = []
        else:
            try:
                value = json.loads(text)
            except ValueError:
                import yaml

                try:
                    value = yaml.safe_load(text)
                except yaml.YAMLError as exc:
                    raise OptionsError(f"progress_calculation_options is not JSON or YAML ({exc})",
                                       "progress_calculation_options 不是 JSON 或 YAML") from None
    if value in (None, [], [{}]):
        return (SeriesOption(path=(0,)),)
    if not isinstance(value, list):
        raise OptionsError("progress_calculation_options must be a list", "progress_calculation_options 须为列表")
    return tuple(o for i, raw in enumerate(value) for o in _option((i,), raw))


def enabled(extra: dict[str, Any]) -> bool:
    """Whether the metadata turns the automatic progress calculation on."""
    raw = extra.get("auto_progress_calculation")
    return raw is True or str(raw).strip().lower() == "true"


def _labels_match(labels: pl.Expr, pairs: tuple[tuple[str, str], ...]) -> pl.Expr:
    cond = pl.lit(True)
    for field, value in pairs:
        cond = cond & (labels.str.json_path_match(f"$['{field}']") == value)
    return cond


def series_panel(code: str, observations: pl.DataFrame, options: tuple[SeriesOption, ...],
                 entity: str) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, tuple[str, tuple[int, ...]]]]:
    """One series per option of indicator ``code``: the panel (its ``indicator`` the series key
    ``code#path``), the spec (direction, target, years, limit) and the groups for
    :func:`vlrkit.assess.opensdg.indicators`.  A selection that leaves several values in one
    year (the options did not single out one series) keeps none: that series is not available."""
    obs = tidy.conform(observations).filter((pl.col("indicator") == code) & pl.col("value").is_not_null())
    frames, specs, groups = [], [], {}
    for o in options:
        key = code + "#" + ".".join(map(str, o.path))
        sel = obs
        if o.series is not None:
            sel = sel.filter(pl.col("series") == o.series)
        if o.unit is not None:
            sel = sel.filter(pl.col("unit") == o.unit)
        if o.disaggregation:
            sel = sel.filter(_labels_match(pl.col("labels").fill_null("{}"), o.disaggregation))
        else:
            sel = sel.filter(pl.all_horizontal(pl.col(d).is_null() for d in tidy.DIMENSIONS))
        sel = sel.select(pl.lit(entity).alias("entity"), pl.lit(key).alias("indicator"), "year", "value")
        if sel.group_by("year").len().filter(pl.col("len") > 1).height:
            sel = sel.clear()  # several sub-series left (Open SDG stops the build here)
        frames.append(sel)
        specs.append({"indicator": key, "goal": None, "direction": o.direction, "target": o.target,
                      "target_year": o.target_year, "base_year": o.base_year, "limit": o.limit})
        groups[key] = (code, o.path)
    schema = {"indicator": pl.String, "goal": pl.Int32, "direction": pl.String, "target": pl.Float64,
              "target_year": pl.Int32, "base_year": pl.Int32, "limit": pl.Float64}
    panel = pl.concat(frames) if frames else pl.DataFrame(schema={"entity": pl.String, "indicator": pl.String,
                                                                  "year": pl.Int32, "value": pl.Float64})
    return panel, pl.DataFrame(specs, schema=schema), groups


def measure(review: Any, year: int | None = None) -> tuple[Any, ...]:
    """Open SDG's progress status of every indicator of ``review`` (a :class:`vlrkit.review.Review`)
    whose metadata turns the calculation on, from its own options — what the city's Open SDG
    site shows, less the reference's errors.  Returns
    :class:`vlrkit.assess.opensdg.IndicatorScore` records."""
    from vlrkit.assess import opensdg

    panels, specs, groups = [], [], {}
    for ind in review.indicators:
        extra = dict(ind.extra or {})
        if not enabled(extra):
            continue
        opts = parse(extra.get("progress_calculation_options", ""))
        panel, spec, g = series_panel(ind.code, review.observations, opts, review.entity.code)
        panels.append(panel)
        specs.append(spec.with_columns(pl.lit(ind.goal, pl.Int32).alias("goal")))
        groups.update(g)
    if not specs:
        return ()
    result = opensdg.assess(pl.concat(panels), pl.concat(specs), year=year)
    found = {(i.entity, i.indicator): i for i in opensdg.indicators(result.table, groups)}
    codes = dict.fromkeys(code for code, _ in groups.values())
    entity = review.entity.code
    return tuple(found.get((entity, code)) or opensdg.IndicatorScore(entity, code, None, "not_available", 0, False)
                 for code in codes)
