"""The demo city's indicator catalogue: read from ``data/indicators.yaml`` into plain objects.

The YAML file holds, per local indicator, its metadata (names, unit, direction, custodian,
methodology), its links to the SDGs, its targets and thresholds, and the *shape* of its data
(anchor values, years covered, gaps, group factors).  :func:`catalogue` parses it once into
:class:`Spec` objects; :func:`local_indicators`, :func:`links`, :func:`targets` and
:func:`thresholds` turn those into the review model's dataclasses, and
:mod:`vlrkit.demo.series` turns the data shapes into observations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from vlrkit.demo.city import AGENCIES, COVERAGE, FIRST_YEAR, LAST_YEAR, bilingual
from vlrkit.review import LocalIndicator, SdgLink, Target, Thresholds

CATALOGUE_FILE = "indicators.yaml"

#: Relative noise used when an indicator does not say.
DEFAULT_NOISE = 0.01

#: The Agenda's base year, used as the baseline of targets where the series has it.
BASELINE_YEAR = 2015

#: The note every local target and national target carries.
LOCAL_TARGET_NOTE = {
    "zh-Hans": "《澜江市落实2030年可持续发展议程行动方案》确定的本地目标",
    "en": "Local target set in the Lanjiang Action Plan for the 2030 Agenda",
}
NATIONAL_TARGET_NOTE = {
    "zh-Hans": "国家规划或专项规划确定的目标",
    "en": "Target set in a national plan or sector plan",
}


@dataclass(frozen=True)
class Cross:
    """A cross-classification of an indicator's data by two of its dimensions (sex × age).

    ``tilt`` maps a cell (code of the first dimension, code of the second) to its interaction
    factor at the first and the last year (1 = no interaction; cells not named have 1);
    ``since`` is the first year the cells exist (default: when both breakdowns exist).
    """

    dims: tuple[str, str]
    tilt: Mapping[tuple[str, str], tuple[float, float]]
    since: int | None = None


@dataclass(frozen=True)
class Spec:
    """One local indicator of the catalogue as written in the YAML file."""

    code: str
    goal: int
    names: Mapping[str, str]
    unit: str
    direction: str
    decimals: int
    custodian: str
    source: Mapping[str, str]
    coverage: str
    method: Mapping[str, str]
    anchors: tuple[tuple[int, float], ...]
    years: tuple[int, ...]  # the years that carry a headline value
    noise: float  # relative standard deviation
    noise_abs: float  # absolute standard deviation (used when > 0)
    bounds: tuple[float, float]
    thresholds: tuple[float, float, float, float]  # optimum, lower bound, green, red
    local: tuple[float, int] | None
    national: tuple[float, int] | None
    links: tuple[Mapping[str, str], ...]
    dims: Mapping[str, Mapping[str, tuple[float, float]]]
    since: Mapping[str, int]
    provisional: bool
    estimated: tuple[int, ...]
    extra: Mapping[str, str]
    cross: tuple[Cross, ...] = ()

    @property
    def source_text(self) -> str:
        return bilingual(dict(self.source))

    @property
    def custodian_text(self) -> str:
        return bilingual(AGENCIES[self.custodian])


def _years(raw: Mapping[str, Any]) -> tuple[int, ...]:
    """The years with data: [first, last] every ``every`` years, minus gaps, plus extras."""
    first, last = raw.get("years", (FIRST_YEAR, LAST_YEAR))
    years = set(range(int(first), int(last) + 1, int(raw.get("every", 1))))
    years |= {int(y) for y in raw.get("extra_years", ())}
    years -= {int(y) for y in raw.get("missing", ())}
    return tuple(sorted(years))


def _cross(raw: Mapping[str, Any], dims: Mapping[str, Any]) -> Cross:
    """One ``cross`` entry: two of the indicator's dimensions and the cells' tilt."""
    pair = tuple(str(d) for d in raw["dims"])
    if len(pair) != 2 or not set(pair) <= set(dims):
        raise ValueError(f"cross {pair}: two of the indicator's dimensions {tuple(dims)}")
    tilt = {}
    for cell, f in raw.get("tilt", {}).items():
        a, b = str(cell).split()
        if a not in dims[pair[0]] or b not in dims[pair[1]]:
            raise ValueError(f"cross {pair}: unknown cell {cell!r}")
        tilt[(a, b)] = (float(f[0]), float(f[1]))
    since = raw.get("since")
    return Cross(dims=(pair[0], pair[1]), tilt=tilt, since=int(since) if since is not None else None)


def _spec(raw: Mapping[str, Any], sources: Mapping[str, Mapping[str, str]]) -> Spec:
    unit = str(raw["unit"])
    default_bounds = (0.0, 100.0) if unit == "%" else (0.0, float("inf"))
    source = sources[raw["source"]]
    return Spec(
        code=str(raw["code"]),
        goal=int(raw["goal"]),
        names={"zh-Hans": str(raw["zh"]), "en": str(raw["en"])},
        unit=unit,
        direction=str(raw["direction"]),
        decimals=int(raw.get("decimals", 1)),
        custodian=str(raw["custodian"]),
        source={"zh-Hans": source["zh"], "en": source["en"]},
        coverage=str(raw.get("coverage", "city")),
        method={"zh-Hans": raw["method"]["zh"], "en": raw["method"]["en"]},
        anchors=tuple(sorted((int(y), float(v)) for y, v in raw["path"].items())),
        years=_years(raw),
        noise=float(raw.get("noise", DEFAULT_NOISE)),
        noise_abs=float(raw.get("noise_abs", 0.0)),
        bounds=tuple(float(b) for b in raw.get("bounds", default_bounds)),  # type: ignore[arg-type]
        thresholds=tuple(float(t) for t in raw["thresholds"]),  # type: ignore[arg-type]
        local=(float(raw["local"][0]), int(raw["local"][1])) if "local" in raw else None,
        national=(float(raw["national"][0]), int(raw["national"][1]))
        if "national" in raw
        else None,
        links=tuple({k: str(v) for k, v in link.items()} for link in raw.get("links", ())),
        dims={
            dim: {g: (float(f[0]), float(f[1])) for g, f in groups.items()}
            for dim, groups in raw.get("dims", {}).items()
        },
        since={dim: int(y) for dim, y in raw.get("since", {}).items()},
        provisional=bool(raw.get("provisional", False)),
        estimated=tuple(int(y) for y in raw.get("estimated", ())),
        extra={k: str(v) for k, v in raw.get("extra", {}).items()},
        cross=tuple(_cross(c, raw.get("dims", {})) for c in raw.get("cross", ())),
    )


@lru_cache(maxsize=1)
def catalogue() -> tuple[Spec, ...]:
    """All indicator specs of the demo city, in code order (parsed once)."""
    text = resources.files("vlrkit.demo").joinpath("data", CATALOGUE_FILE).read_text("utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    specs = tuple(_spec(r, raw["sources"]) for r in raw["indicators"])
    return tuple(sorted(specs, key=lambda s: s.code))


def local_indicators(specs: tuple[Spec, ...]) -> tuple[LocalIndicator, ...]:
    """The review model's local indicators."""
    out = []
    for s in specs:
        dims = tuple(s.dims)
        out.append(
            LocalIndicator(
                code=s.code,
                names=dict(s.names),
                goal=s.goal,
                unit=s.unit,
                direction=s.direction,
                source=s.source_text,
                custodian=s.custodian_text,
                coverage=bilingual(COVERAGE[s.coverage]),
                aggregation="全市；区县 / city; district" if "GEO" in dims else "全市 / city",
                methodology=dict(s.method),
                dimensions=dims,
                decimals=s.decimals,
                reporting_status="complete",
                extra=dict(s.extra),
            )
        )
    return tuple(out)


def _target_of(indicator_id: str) -> str:
    return indicator_id.rsplit(".", 1)[0]


def links(specs: tuple[Spec, ...]) -> tuple[SdgLink, ...]:
    """Links from local indicators to SDG targets and global indicators, with grades."""
    out = []
    for s in specs:
        for link in s.links:
            sdg_indicator = link.get("i")
            out.append(
                SdgLink(
                    indicator=s.code,
                    target=link.get("t") or _target_of(str(sdg_indicator)),
                    sdg_indicator=sdg_indicator,
                    grade=link["g"],
                    reason={"zh-Hans": link["zh"], "en": link["en"]},
                )
            )
    return tuple(out)


def baseline_year(spec: Spec) -> int:
    """The baseline of a target: 2015, or the first year with data when the series starts later."""
    return next((y for y in spec.years if y >= BASELINE_YEAR), spec.years[0])


def targets(specs: tuple[Spec, ...]) -> tuple[Target, ...]:
    """Local targets (the city's own) and national targets, where the catalogue sets them."""
    out = []
    for s in specs:
        for kind, spec_target, note in (
            ("local", s.local, LOCAL_TARGET_NOTE),
            ("national", s.national, NATIONAL_TARGET_NOTE),
        ):
            if spec_target is not None:
                value, year = spec_target
                out.append(
                    Target(s.code, kind, value, year, baseline_year(s), note=dict(note))
                )
    return tuple(out)


def thresholds(specs: tuple[Spec, ...]) -> tuple[Thresholds, ...]:
    """Dashboard bounds for every indicator."""
    return tuple(Thresholds(s.code, *s.thresholds) for s in specs)
