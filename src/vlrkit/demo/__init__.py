"""The demo city: a complete, fictional review to try vlrkit on, shared by tests, demo and docs.

    >>> from vlrkit.demo import build_demo, summary
    >>> review = build_demo()
    >>> review.entity.names["zh-Hans"], summary(review)["indicators"]
    ('澜江市', 77)

:func:`build_demo` returns a plain :class:`vlrkit.review.Review` of 澜江市 / Lanjiang: 77 local
indicators over all 17 goals with yearly data 2010–2024 (gaps, late starts, a discontinued
series), breakdowns by sex, age, income quintile, disability, migratory status and district
(two of them also cross-classified: unemployment by sex × age, low income by sex × district),
local and national targets, thresholds, SDG links with comparability grades, participation
records, follow-up actions and a narrative in zh-Hans and en for every guiding-element
section.  The same seed gives the same review, row for row.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.demo import city, indicators, participation, series
from vlrkit.review import SECTIONS, CodeLabel, Narrative, Review

__all__ = [
    "DEFAULT_SEED", "NARRATIVE_LANGUAGES", "DemoSeedError", "build_demo", "summary", "narratives",
]

DEFAULT_SEED = 2025

#: Languages the demo's narratives are written in (folders under ``narratives/``).
NARRATIVE_LANGUAGES = ("zh-Hans", "en")


class DemoSeedError(ValueError):
    """The seed is not a non-negative integer (a user error: the CLI shows it as one line)."""

    def __init__(self, seed: object) -> None:
        super().__init__(
            f"随机种子必须是非负整数，收到 {seed!r} / "
            f"the seed must be a non-negative integer, got {seed!r}"
        )
        self.seed = seed


def narratives() -> tuple[Narrative, ...]:
    """The demo city's text for every guiding-element section in zh-Hans and en."""
    root = resources.files("vlrkit.demo").joinpath("narratives")
    return tuple(
        Narrative(section, lang, root.joinpath(lang, f"{section}.md").read_text("utf-8").strip())
        for section in SECTIONS
        for lang in NARRATIVE_LANGUAGES
    )


def build_demo(seed: int = DEFAULT_SEED) -> Review:
    """Build the demo review of 澜江市 / Lanjiang; deterministic for a given ``seed``.

    Every table comes in the store's canonical order (see :func:`_canonical`), so the review
    equals what ``vlrkit.store.queries.load_review`` returns after ``save_review``.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise DemoSeedError(seed)
    specs = indicators.catalogue()
    return _canonical(
        Review(
            entity=city.ENTITY,
            edition=city.EDITION,
            indicators=indicators.local_indicators(specs),
            links=indicators.links(specs),
            targets=indicators.targets(specs),
            thresholds=indicators.thresholds(specs),
            observations=series.observations(specs, seed),
            narratives=narratives(),
            stakeholders=participation.STAKEHOLDERS,
            engagements=participation.ENGAGEMENTS,
            contributions=participation.CONTRIBUTIONS,
            actions=participation.ACTIONS,
            code_labels=tuple(
                CodeLabel("GEO", code, {"zh-Hans": str(d["zh-Hans"]), "en": str(d["en"])})
                for code, d in sorted(city.DISTRICTS.items())
            ),
        )
    )


def _canonical(review: Review) -> Review:
    """The review with every table in canonical order (codes, then dates; code lists sorted)."""
    return dataclasses.replace(
        review,
        indicators=tuple(sorted(review.indicators, key=lambda i: (i.goal, i.code))),
        links=tuple(
            sorted(review.links, key=lambda x: (x.indicator, x.target, x.sdg_indicator or ""))
        ),
        targets=tuple(sorted(review.targets, key=lambda t: (t.indicator, t.kind, t.year))),
        thresholds=tuple(sorted(review.thresholds, key=lambda t: t.indicator)),
        observations=review.observations.sort(
            ["indicator", "year", *tidy.DIMENSIONS], nulls_last=False, maintain_order=True
        ),
        narratives=tuple(sorted(review.narratives, key=lambda n: (n.section, n.lang))),
        stakeholders=tuple(sorted(review.stakeholders, key=lambda s: s.code)),
        engagements=tuple(
            dataclasses.replace(e, stakeholders=tuple(sorted(e.stakeholders)))
            for e in sorted(review.engagements, key=lambda e: (e.date, e.code))
        ),
        contributions=tuple(sorted(review.contributions, key=lambda c: (c.date, c.code))),
        actions=tuple(
            dataclasses.replace(a, indicators=tuple(sorted(a.indicators)))
            for a in sorted(review.actions, key=lambda a: a.code)
        ),
    )


def summary(review: Review) -> dict[str, Any]:
    """Key figures of a review (any review, not only the demo) as a JSON-ready dict."""
    frame = review.observations
    dims = [d for d in tidy.DIMENSIONS if d in frame.columns]
    grouped = pl.any_horizontal([pl.col(d).is_not_null() for d in dims]) if dims else pl.lit(False)
    disaggregated = frame.filter(grouped)
    n_dims = pl.sum_horizontal([pl.col(d).is_not_null().cast(pl.Int8) for d in dims]) if dims else pl.lit(0)
    crossed = frame.filter(n_dims >= 2)
    first, last = frame.select(pl.col("year").min().alias("a"), pl.col("year").max().alias("b")).row(0)
    per_goal = {g: 0 for g in range(1, 18)}
    for ind in review.indicators:
        per_goal[ind.goal] = per_goal.get(ind.goal, 0) + 1
    languages = list(review.edition.languages)
    languages += sorted({n.lang for n in review.narratives} - set(languages))
    return {
        "entity": review.entity.code,
        "names": dict(review.entity.names),
        "edition": review.edition.code,
        "edition_year": review.edition.year,
        "period": [review.edition.period_start, review.edition.period_end],
        "indicators": len(review.indicators),
        "indicators_per_goal": per_goal,
        "goals_covered": sum(1 for n in per_goal.values() if n),
        "observations": frame.height,
        "headline_observations": frame.height - disaggregated.height,
        "disaggregated_indicators": disaggregated["indicator"].n_unique(),
        "cross_classified_indicators": crossed["indicator"].n_unique(),
        "cross_classified_observations": crossed.height,
        "dimensions": [d for d in dims if disaggregated[d].null_count() < disaggregated.height],
        "years": [int(first), int(last)] if first is not None else [],
        "targets": len(review.targets),
        "local_targets": sum(1 for t in review.targets if t.kind == "local"),
        "national_targets": sum(1 for t in review.targets if t.kind == "national"),
        "thresholds": len(review.thresholds),
        "sdg_links": len(review.links),
        "narratives": len(review.narratives),
        "stakeholders": len(review.stakeholders),
        "engagements": len(review.engagements),
        "contributions": len(review.contributions),
        "actions": len(review.actions),
        "languages": languages,
    }
