"""The report model: one frozen picture of a review in one language, read by every renderer.

:func:`vlrkit.report.build.build_report` fills it from a :class:`vlrkit.review.Review` and the
assessment.  Sections follow the guiding elements (GE-1 … GE-9b); each holds the city's
sanitised narrative, the writer's guidance prompts and generated *blocks* (tables, paragraphs,
lists).  The progress section also carries one :class:`GoalView` per goal, all 17 of them.
Every number shown comes as a :class:`Figure` with its :class:`Provenance`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ObsRef:
    """One observation a figure was read from: its period and where it came from."""

    period: str
    file: str | None = None
    row: int | None = None
    import_id: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}#{self.row}" if self.file else (self.import_id or "entered")
        return f"{self.period} ({where})"


@dataclass(frozen=True)
class Provenance:
    """Which observations, which method and which bounds produced a figure."""

    indicator: str
    observations: tuple[ObsRef, ...] = ()
    method: str = ""
    bounds: tuple[tuple[str, float | None], ...] = ()
    rule: str = ""


@dataclass(frozen=True)
class Figure:
    value: float | None
    year: int | None
    text: str  # formatted for display, with the unit where it helps
    provenance: Provenance


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    kind: str = "bullets"


@dataclass(frozen=True)
class Table:
    """A table as plain strings; ``id`` names it for tests and links (e.g. ``dashboard``)."""

    id: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()
    kind: str = "table"


Block = Paragraph | Bullets | Table


@dataclass(frozen=True)
class SdgLinkView:
    target: str
    sdg_indicator: str | None
    grade: str  # label in the report language
    title: str  # the SDG target's title in the report language


@dataclass(frozen=True)
class IndicatorView:
    """One local indicator as the report shows it."""

    code: str
    slug: str  # safe for file names and anchors
    name: str
    goal: int
    unit: str
    direction: str
    decimals: int
    baseline: Figure | None
    latest: Figure | None
    target: Figure | None
    target_kind: str | None
    status: str  # slug
    status_label: str
    colour: str | None  # green | yellow | orange | red | grey | None
    trend: str
    arrow: str
    trend_label: str
    score: float | None
    series: tuple[tuple[int, str, float], ...]  # (year, period, value) of the headline series
    dimensions: tuple[str, ...]  # dimension titles the data are disaggregated by
    disaggregation_gaps: tuple[str, ...]  # LNOB dimension titles it is not disaggregated by
    links: tuple[SdgLinkView, ...]
    source: str
    coverage: str
    aggregation: str
    method: str
    years: tuple[int, int] | None
    provenance: str  # one sentence naming rows, method and bounds
    series_label: str = ""  # the series and unit every figure above belongs to
    series_note: str = ""  # the documented total of a series published only by group
    direction_note: str = ""  # the direction and where it comes from
    claims_allowed: bool = True  # False: no improvement, setback or best-off claim is made
    other_series: tuple[OtherSeries, ...] = ()  # the indicator's other series, each on its own


@dataclass(frozen=True)
class OtherSeries:
    """Another series of an indicator, shown beside its headline (never averaged in)."""

    label: str
    latest: str
    status: str
    points: int


@dataclass(frozen=True)
class GoalView:
    number: int
    title: str
    short_title: str
    colour: str  # the SDG goal colour (hex)
    status: str | None  # dashboard colour slug
    status_colour: str  # hex
    status_label: str
    score: float | None
    trend: str
    arrow: str
    trend_label: str
    with_data: int
    total: int
    priority: bool
    indicators: tuple[IndicatorView, ...]
    gaps: tuple[str, ...]  # sentences naming the gaps
    rule: str = ""


@dataclass(frozen=True)
class RefProblem:
    """A figure reference of a narrative (``{{ind:X:latest}}``) that did not resolve; see
    :mod:`vlrkit.report.refs` (``describe`` says it in words)."""

    token: str  # as written, e.g. "{{ind:XX:latest}}"
    reason: str  # syntax | unknown_kind | unknown_indicator | unknown_goal | unknown_field | no_data
    subject: str  # the code, number or field named in the message
    line: int  # 1-based line of the narrative


@dataclass(frozen=True)
class Section:
    id: str  # GE id (GE-1, GE-5, GE-5a…)
    slug: str
    title: str
    level: int  # 1 for a chapter, 2 for a part (GE-5a … GE-5f, GE-10)
    narrative_html: str
    guidance: tuple[str, ...]
    purpose: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    unresolved: tuple[RefProblem, ...] = ()  # figure references of the narrative left unresolved


@dataclass(frozen=True)
class Report:
    """The whole review in one language."""

    lang: str
    languages: tuple[str, ...]
    entity: str
    entity_code: str
    edition: str
    year: int
    period: tuple[int, int]
    title: str
    draft: bool
    generated: str  # ISO date
    sections: tuple[Section, ...]
    goals: tuple[GoalView, ...]
    dashboard: Table
    completeness: tuple[int, int, float]  # covered, total, share
    labels: dict[str, str] = field(default_factory=dict)
    index_score: float | None = None  # the assessment's overall index (0–100), if any
    #: the review's counts, one source for every page (vlrkit.assess.review.Counts): indicators,
    #: with_data, series, assessed, to_confirm, goals_assessed, goals_grey, goals_with_data
    counts: Mapping[str, int] = field(default_factory=dict)

    def indicators(self) -> tuple[IndicatorView, ...]:
        return tuple(i for g in self.goals for i in g.indicators)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
            for sub in s.subsections:
                if sub.id == section_id:
                    return sub
        raise KeyError(section_id)

    def unresolved(self) -> tuple[tuple[str, RefProblem], ...]:
        """(section id, problem) of every narrative figure reference that did not resolve."""
        return tuple((s.id, p) for top in self.sections for s in (top, *top.subsections)
                     for p in s.unresolved)

    def to_dict(self) -> dict[str, Any]:
        """The model as plain JSON-able data."""
        return asdict(self)
