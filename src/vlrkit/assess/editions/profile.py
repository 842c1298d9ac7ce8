"""The profile objects: one frozen :class:`SdsnEdition` or :class:`ProgressEdition` per method
edition, built by :mod:`vlrkit.assess.editions.loader` from the TOML files in ``data/``.

Every field is a rule the engines read (:mod:`vlrkit.assess.sdsn`, :mod:`vlrkit.assess.progress`,
:mod:`vlrkit.assess.opensdg`); no engine branches on an edition's name.  Each profile also keeps
its :class:`Choice` records — every rule with the methodology's sentence it rests on, or the
reason vlrkit chose it where the methodology leaves it open — which the report's method annex
prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

Text = Mapping[str, str]  # {"en": …, "zh-Hans": …}

#: Where a rule comes from: the edition's own methodology (``published``), the edition's
#: published results (``inferred``: the rule reproduces them; the text was not found), the
#: issue that asked for the profile (``reported``: measured on published results by someone
#: else; the text was not found here), or vlrkit's own reading where the methodology leaves
#: the choice open (``ours``).  ``default``: not set by the profile, taken from the ``vlrkit``
#: profile.
BASES = ("published", "inferred", "reported", "ours", "default")
FAMILIES = ("sdsn", "progress")
GOAL_RULES = ("two_worst", "mean_colour")
COLOUR_ON = ("score", "value")
YELLOW = ("midpoint", "given")
FALLBACKS = ("next", "nearest")
IMPUTE = ("regional_mean", "none")
ROUNDING = ("half_up",)
COLOURS = ("green", "yellow", "orange", "red")
ARROWS = ("decreasing", "stagnating", "moderately_improving", "on_track")


@dataclass(frozen=True)
class Source:
    """A publication a profile rests on."""

    key: str
    cite: str  # author(s), year, title, publisher
    url: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Choice:
    """One rule of an edition and what it rests on (``basis`` in :data:`BASES`)."""

    key: str  # "goal_colour.rule", "trend.start", …
    value: str  # the rule's value as text
    basis: str
    note: str  # the methodology's sentence (quoted or paraphrased) or vlrkit's reason
    source: str = ""  # a Source key


@dataclass(frozen=True)
class Normalisation:
    """Bounds of ``score = 100·(x − worst)/(best − worst)`` when the spec leaves them empty."""

    worst_percentile: float = 0.025  # lower bound: this percentile of the peers
    top_performers: int = 5  # optimum: mean of this many best peers
    green_percentile: float = 0.75  # peer-derived thresholds (no SDSN edition publishes a rule)
    red_percentile: float = 0.25
    min_peers: int = 5  # fewest entities bounds may be derived from
    clip: bool = True  # scores censored to [0, 100]


@dataclass(frozen=True)
class Colouring:
    """How an indicator gets its colour."""

    on: str = "score"  # compare the clipped score with the thresholds' scores, or the raw value
    yellow: str = "midpoint"  # yellow/orange split: midpoint of red and green, or the spec's ``yellow``
    colours: int = 4  # 4: green/yellow/orange/red; 3: green/yellow/red (no orange)
    position_decimals: int = 9  # 0..3 positions are rounded before any cut


@dataclass(frozen=True)
class GoalColour:
    """How a goal gets its colour from its indicators."""

    rule: str = "two_worst"
    # two_worst: the mean of the two worst 0..3 positions, cut at these values
    green_at: float = 2.0
    yellow_at: float = 1.5
    orange_at: float = 1.0
    both_green: bool = True  # green only if both worst are green (else yellow)
    both_red: bool = True  # red only if both worst are red (else orange)
    # mean_colour: each indicator colour as points, averaged, rounded to the nearest colour
    points: Mapping[str, float] = field(default_factory=lambda: {"green": 3.0, "yellow": 2.0, "orange": 1.0,
                                                                 "red": 0.0})
    rounding: str = "half_up"
    red_share: float | None = None  # more than this share of the goal's coloured indicators red → red
    min_coverage: float = 0.5  # below this share of the goal's indicators with data → grey


@dataclass(frozen=True)
class Trend:
    """The trend window and the arrows."""

    start: int = 2015  # first year of the window
    fallback: str = "next"  # no value at ``start``: the first later year, or the nearest year
    earliest: int | None = None  # the nearest year is looked for from this year on
    end: int | None = None  # the window's last point is the last value up to this year (None: latest)
    horizon: int = 2030  # the green threshold is to be reached by this year
    moderate_share: float = 0.5  # share of the required pace between stagnating and moderate
    goal_points: Mapping[str, float] = field(default_factory=lambda: {
        "decreasing": 0.5, "stagnating": 1.5, "moderately_improving": 2.5, "on_track": 3.5})
    goal_bands: tuple[float, float, float] = (1.0, 2.0, 3.0)
    goal_min_coverage: float = 0.75  # goal trend only with this share of its indicators with a trend


@dataclass(frozen=True)
class Index:
    """Goal scores into the index and the rank."""

    min_coverage: float = 0.8  # ranked only with this share of the applicable index indicators
    impute: str = "regional_mean"  # a goal without data: its region's mean (when regions are given), or none


@dataclass(frozen=True)
class Progress:
    """The defaults of progress towards a target (UNSD, Statistics Canada, Eurostat, projection)."""

    base_year: int = 2015
    target_year: int = 2030
    epsilon: float = 0.001  # zero base or target replaced by this
    percent_tolerance: float = 1.0  # within this of a 0 or 100 target counts as achieved
    eurostat_long: int = 15
    eurostat_short: int = 5


@dataclass(frozen=True)
class Edition:
    """What every profile has: its name, version, titles, sources and choices."""

    name: str
    family: str
    version: str
    title: Text
    summary: Text
    sources: tuple[Source, ...]
    choices: tuple[Choice, ...]

    def label(self, lang: str = "en") -> str:
        """The edition's title in ``lang`` (en or zh-Hans)."""
        return self.title.get(lang) or self.title.get("en") or self.name

    def choice(self, key: str) -> Choice:
        return next(c for c in self.choices if c.key == key)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (JSON): every field, the sources and the choices."""
        from dataclasses import asdict

        return asdict(self)


@dataclass(frozen=True)
class SdsnEdition(Edition):
    """An edition of SDSN's SDG Index and Dashboards (global or city)."""

    normalisation: Normalisation = field(default_factory=Normalisation)
    colouring: Colouring = field(default_factory=Colouring)
    goal_colour: GoalColour = field(default_factory=GoalColour)
    trend: Trend = field(default_factory=Trend)
    index: Index = field(default_factory=Index)
    progress: Progress = field(default_factory=Progress)


@dataclass(frozen=True)
class OpenSdg:
    """The rules of Open SDG's progress measure (Statistics Canada's method as sdg-build computes it)."""

    base_year: int = 2015
    target_year: int = 2030
    zero: float = 0.001  # a zero target or base value is replaced by this
    # with a target: the ratio R = d·CAGR_observed/|CAGR_required| against these
    ratio_high: float = 0.95
    ratio_med: float = 0.60
    ratio_low: float = 0.0
    # without a target: d·CAGR against these (all but ``low`` scaled by the limit factor C)
    growth_high: float = 0.015
    growth_med: float = 0.005
    growth_low: float = 0.0
    # scores −5…5: the value at which the score reaches ±5
    ratio_score_top: float = 1.30
    ratio_score_bottom: float = -0.60
    growth_score_top: float = 0.02
    growth_score_bottom: float = -0.02
    limit_exponent: float = 4.44  # C = 1 − (y0/ylim)^a near a limit
    # indicator status from the mean score: [2.5, 5] substantial, [0, 2.5) moderate, [−2.5, 0) limited
    score_substantial: float = 2.5
    score_moderate: float = 0.0
    score_limited: float = -2.5


@dataclass(frozen=True)
class ProgressEdition(Edition):
    """A progress measure's edition (Open SDG 2.4's)."""

    opensdg: OpenSdg = field(default_factory=OpenSdg)


SECTIONS: dict[str, type] = {
    "normalisation": Normalisation, "colouring": Colouring, "goal_colour": GoalColour, "trend": Trend,
    "index": Index, "progress": Progress, "opensdg": OpenSdg,
}


def section_fields(section: str) -> tuple[str, ...]:
    """The field names of one section (the keys a profile's TOML table may hold)."""
    return tuple(f.name for f in fields(SECTIONS[section]))
