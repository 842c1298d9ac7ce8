"""A review as plain data: frozen dataclasses plus one tidy observation table.

This is the core's picture of a Voluntary Local Review.  The store (``vlrkit.store``) loads it
from and saves it to the database, the review package (``vlrkit.formats.package``) writes and
reads it as files, the demo (``vlrkit.demo``) builds one, and the assessment and the report
compute on it.  Nothing here knows about Django.

Multilingual text is a :data:`Text` mapping of language code (``en``, ``zh-Hans``, ``fr``…) to
text.  Codes (``Entity.code``, ``LocalIndicator.code``…) are the natural keys that tie the
tables together in files and across databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from vlrkit import tidy

__all__ = [
    "Text", "LEVELS", "DIRECTIONS", "GRADES", "TARGET_KINDS", "EDITION_STATUSES",
    "ACTION_STATUSES", "CONTRIBUTION_STATUSES", "STAKEHOLDER_TYPES", "GROUPS", "SECTIONS",
    "Entity", "Edition", "LocalIndicator", "SdgLink", "Target", "Thresholds", "Narrative",
    "Stakeholder", "Engagement", "Contribution", "Action", "CodeLabel", "ImportRun", "Review",
    "latest_targets", "series_targets",
]

Text = Mapping[str, str]

#: ``national``: a country, held beside a city for vertical coherence (vlrkit.compare.vertical).
LEVELS = ("city", "county", "province", "region", "national")
#: The desirable direction of an indicator; ``unknown`` makes no improvement or setback claim
#: (it is never a silent default: see :mod:`vlrkit.sdg.knowledge` for where a direction comes from).
DIRECTIONS = ("higher", "lower", "unknown")
GRADES = ("identical", "adapted", "proxy", "contextual")
TARGET_KINDS = ("local", "national")
EDITION_STATUSES = ("draft", "in_review", "approved", "published")
ACTION_STATUSES = ("planned", "in_progress", "done", "cancelled")
CONTRIBUTION_STATUSES = ("submitted", "accepted", "rejected")

#: Kinds of stakeholder (who they are).
STAKEHOLDER_TYPES = (
    "government",
    "civil_society",
    "private_sector",
    "academia",
    "youth",
    "community",
    "international",
    "media",
    "other",
)

#: The groups the guiding elements name (GE-5b.6, MISSION capability 6), whose reach is counted.
GROUPS = (
    "women",
    "youth",
    "children",
    "persons_with_disabilities",
    "people_living_with_hiv",
    "older_persons",
    "indigenous_peoples",
    "refugees_idps",
    "migrants",
    "other_vulnerable",
)

#: Guiding-element sections that carry a narrative, in report order (ids of the seed rendering).
SECTIONS = (
    "GE-1",
    "GE-2",
    "GE-3",
    "GE-4",
    "GE-5a",
    "GE-5b",
    "GE-5c",
    "GE-5d",
    "GE-5e",
    "GE-5f",
    "GE-6",
    "GE-7",
    "GE-8",
    "GE-9a",
    "GE-9b",
    "GE-10",
)


@dataclass(frozen=True)
class Entity:
    """The city, county, province or region that carries out the review."""

    code: str
    names: Text
    level: str = "city"
    country: str = ""  # ISO 3166-1 alpha-3 (alpha-2 accepted)
    population: int | None = None
    population_year: int | None = None
    #: the code a statistics office knows the entity by (SDMX REF_AREA: M49 for a country, the
    #: national sub-area code for a city); "" until the user sets it
    ref_area: str = ""


@dataclass(frozen=True)
class Edition:
    """One VLR of the entity (e.g. the 2025 review covering 2015–2024)."""

    code: str
    year: int
    period_start: int
    period_end: int
    languages: tuple[str, ...] = ("zh-Hans", "en")
    priority_goals: tuple[int, ...] = ()
    previous: str | None = None  # code of the previous edition
    title: Text = field(default_factory=dict)
    status: str = "draft"
    next_review: int | None = None  # year of the next VLR (GE-8.6)
    # how the review is assessed, remembered: the headline method (sdsn, unsd, statcan, opensdg…)
    # and the method edition whose rules apply (vlrkit.assess.editions: vlrkit, us-cities-2019…)
    method: str = "sdsn"
    method_edition: str = "vlrkit"


@dataclass(frozen=True)
class LocalIndicator:
    """An indicator of the city's own framework, with its metadata (GE-9a.6)."""

    code: str
    names: Text
    goal: int  # the SDG it is reported under
    unit: str = ""
    direction: str = "higher"
    source: str = ""
    custodian: str = ""
    coverage: str = ""  # geographic coverage
    aggregation: str = ""  # level of aggregation (city, district…)
    methodology: Text = field(default_factory=dict)
    dimensions: tuple[str, ...] = ()  # coded dimensions of tidy.DIMENSIONS it is disaggregated by
    decimals: int | None = None
    reporting_status: str = "complete"  # complete | inprogress | notstarted
    extra: Mapping[str, str] = field(default_factory=dict)  # metadata fields kept verbatim


@dataclass(frozen=True)
class SdgLink:
    """How a local indicator relates to a global SDG target or indicator."""

    indicator: str  # local indicator code
    target: str  # SDG target id, e.g. "11.2"
    sdg_indicator: str | None = None  # global indicator id, e.g. "11.2.1"
    grade: str = "identical"
    reason: Text = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """A target value for a local indicator: the city's own or the national one."""

    indicator: str
    kind: str  # "local" | "national"
    value: float
    year: int
    baseline_year: int | None = None
    note: Text = field(default_factory=dict)
    series: str = ""  # the series (vlrkit.series) it is set for; "" = the indicator's headline
    unit: str = ""


def latest_targets(targets: Iterable[Target]) -> dict[tuple[str, str], Target]:
    """Each indicator's target of each kind, ``(indicator, kind)``, that the assessment uses:
    the latest year's, whatever the order the targets come in (a target set for one series,
    ``Target.series``/``unit``, is left to :func:`series_targets`)."""
    out: dict[tuple[str, str], Target] = {}
    for t in targets:
        if t.series or t.unit:
            continue
        key = (t.indicator, t.kind)
        if key not in out or t.year >= out[key].year:
            out[key] = t
    return out


def series_targets(targets: Iterable[Target]) -> dict[tuple[str, str, str, str], Target]:
    """Each series' target of each kind, ``(indicator, series, unit, kind)``, by the latest year
    (targets set for the indicator as a whole are keyed with series and unit "")."""
    out: dict[tuple[str, str, str, str], Target] = {}
    for t in targets:
        key = (t.indicator, t.series, t.unit, t.kind)
        if key not in out or t.year >= out[key].year:
            out[key] = t
    return out


@dataclass(frozen=True)
class Thresholds:
    """Bounds for the SDSN-style assessment of one indicator."""

    indicator: str
    optimum: float
    lower_bound: float
    green: float
    red: float
    #: a yellow threshold of its own, for method editions that publish one (None: not given)
    yellow: float | None = None


@dataclass(frozen=True)
class Narrative:
    """The city's text for one guiding-element section in one language (Markdown)."""

    section: str  # a SECTIONS id
    lang: str
    text: str


@dataclass(frozen=True)
class Stakeholder:
    code: str
    names: Text
    kind: str = "civil_society"  # a STAKEHOLDER_TYPES value
    groups: tuple[str, ...] = ()  # GROUPS they represent
    consent: bool = True  # consent to be named in the published review


@dataclass(frozen=True)
class Engagement:
    """A consultation, workshop, survey or event of the review process."""

    code: str
    title: Text
    date: date
    format: str = "workshop"  # workshop | survey | hearing | online | event | interview
    participants: int = 0
    groups_reached: Mapping[str, int] = field(default_factory=dict)  # GROUPS -> people
    stakeholders: tuple[str, ...] = ()  # stakeholder codes
    goals: tuple[int, ...] = ()


@dataclass(frozen=True)
class Contribution:
    """A stakeholder's input; only accepted ones reach the annex (GE-9b)."""

    code: str
    stakeholder: str
    date: date
    lang: str
    text: str
    engagement: str | None = None
    section: str | None = None
    goals: tuple[int, ...] = ()
    status: str = "submitted"


@dataclass(frozen=True)
class Action:
    """A follow-up action (GE-8, GE-10)."""

    code: str
    title: Text
    owner: str
    deadline: date | None = None
    status: str = "planned"
    targets: tuple[str, ...] = ()  # SDG target ids
    indicators: tuple[str, ...] = ()  # local indicator codes


@dataclass(frozen=True)
class CodeLabel:
    """The display name of a code of an open dimension (a district of GEO, an ETHNICITY group…)."""

    dimension: str  # one of tidy.DIMENSIONS
    code: str
    names: Text


@dataclass(frozen=True)
class ImportRun:
    """One import of data: the provenance that observations' ``import_id`` points at."""

    code: str
    path: str
    started: str  # ISO 8601 timestamp
    finished: str | None = None
    status: str = "done"
    partial: bool = False
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Review:
    """Everything one edition of a review holds."""

    entity: Entity
    edition: Edition
    indicators: tuple[LocalIndicator, ...] = ()
    links: tuple[SdgLink, ...] = ()
    targets: tuple[Target, ...] = ()
    thresholds: tuple[Thresholds, ...] = ()
    observations: pl.DataFrame = field(default_factory=tidy.empty)
    narratives: tuple[Narrative, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    engagements: tuple[Engagement, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    actions: tuple[Action, ...] = ()
    imports: tuple[ImportRun, ...] = ()
    code_labels: tuple[CodeLabel, ...] = ()

    def indicator(self, code: str) -> LocalIndicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def code_title(self, dimension: str, code: str, lang: str = "en") -> str:
        """Display name of a dimension code: the review's own label, else :func:`tidy.code_title`."""
        for c in self.code_labels:
            if c.dimension == dimension and c.code == code:
                return c.names.get(lang) or c.names.get("en") or code
        return tidy.code_title(dimension, code, lang)

    def narrative(self, section: str, lang: str) -> str:
        for n in self.narratives:
            if n.section == section and n.lang == lang:
                return n.text
        return ""
