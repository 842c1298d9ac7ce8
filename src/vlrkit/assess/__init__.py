"""The assessment engine: SDSN scores, colours and trends, progress to targets, ESCAP indices,
data availability and leave-no-one-behind — exact where the methods are published, every
result explaining itself.  Pure: polars frames and frozen dataclasses in and out.

For a review (what the CLI, the web app and the report use)::

    >>> from vlrkit.demo import build_demo
    >>> from vlrkit.assess import assess_review
    >>> a = assess_review(build_demo(), method="sdsn")    # or unsd, unsd5, statcan, eurostat,
    >>> g = a.goal(11)                                     #    projection, opensdg, escap
    >>> g.colour, g.trend, round(g.score, 1)               # doctest: +SKIP
    ('orange', 'on_track', 73.7)
    >>> i = a.indicators[0]
    >>> i.target("local").status, i.target("national")     # doctest: +SKIP
    ('on_track', None)

:class:`~vlrkit.assess.review.ReviewAssessment` holds

* ``goals`` — 17 :class:`~vlrkit.assess.review.GoalAssessment`: ``score`` (mean of the goal's
  normalised indicator scores, None without data — a city's goal is never imputed),
  ``colour`` (``green|yellow|orange|red|grey``, two-worst rule, grey below 50 % data),
  ``trend`` (``on_track|moderately_improving|stagnating|decreasing|insufficient_data``),
  ``n_indicators``/``n_with_data``, ``status_counts`` (``"local:on_track": 3`` …),
  ``escap_current``/``escap_anticipated``;
* ``indicators`` — :class:`~vlrkit.assess.review.IndicatorAssessment` per local indicator:
  baseline and latest value and year, ``score``, ``colour``, ``trend``, ``bounds`` (best,
  worst, green, red), ``progress`` (one :class:`~vlrkit.assess.review.TargetProgress` per
  target kind ``local``/``national`` — and per Eurostat window — with status, ratio, CAGRs,
  projection and the rule in words), ESCAP indices and gauge, ``rule`` (the SDSN explanation);
* ``index_score``, ``coverage``; ``availability`` (:class:`~vlrkit.assess.gaps.Availability`:
  per indicator, goal and SDG target — with data, baseline, trend, target, disaggregation — and
  ``uncovered_targets``); ``lnob`` (:class:`~vlrkit.assess.lnob.LnobResult`: gaps between groups,
  widening/narrowing, groups furthest behind — also within combined breakdowns such as sex ×
  age, and the furthest-behind intersection group — per goal); the method results themselves
  (``sdsn``, ``progress["local"|"national"]``, ``escap``) with ``explain()``;
* ``to_dict()`` (JSON) and ``indicator_table()`` (one row per indicator).

For any table of entities (peer comparison, national scale): :func:`vlrkit.assess.sdsn.assess`,
:func:`vlrkit.assess.progress.assess`, :func:`vlrkit.assess.escap.assess`,
:func:`vlrkit.assess.lnob.assess`, :func:`vlrkit.assess.gaps.availability` over a panel
(``entity, indicator, year, value``) and a spec (:mod:`vlrkit.assess.frames`); and
:func:`assess_table` for CSV files.  Every constant and cut-off is in :mod:`vlrkit.assess.rules`,
with the unpublished choices marked, among them the optimum rules (``target``, ``lnob``,
``science``, ``top5``: :data:`~vlrkit.assess.rules.OPTIMUM_RULES`).
:mod:`vlrkit.assess.sdsn2018` reproduces SDSN's 2018 index and
:mod:`vlrkit.assess.colourcheck` explains every goal colour that differs from a published one.

Every rule of a published *method edition* — SDSN global 2018, 2019, 2026; US Cities
2017–2019; European Cities 2019; vlrkit's own defaults; Open SDG 2.4's progress measure — is a
profile in :mod:`vlrkit.assess.editions` (``assess_review(review, method_edition="us-cities-2019")``,
``sdsn.assess(…, profile=…)``; a review remembers its own).  :mod:`vlrkit.assess.opensdg` is Open
SDG's measure (``method="opensdg"``; :mod:`vlrkit.assess.opensdg_options` reads an indicator's
``progress_calculation_options``), and :mod:`vlrkit.assess.sensitivity` puts every edition's and
method's outcome side by side with a flag where they disagree.
"""

from __future__ import annotations

from vlrkit.assess.frames import Panel, prepare
from vlrkit.assess.results import EscapResult, Explanation, ProgressResult, SdsnResult
from vlrkit.assess.review import (
    METHODS,
    GoalAssessment,
    IndicatorAssessment,
    ReviewAssessment,
    TargetProgress,
    assess_review,
)
from vlrkit.assess.rules import METHOD_VERSION, label
from vlrkit.assess.table import TableInputError, assess_table

__all__ = [
    "METHODS", "METHOD_VERSION", "Panel", "prepare", "label", "assess_review", "assess_table",
    "ReviewAssessment", "GoalAssessment", "IndicatorAssessment", "TargetProgress",
    "SdsnResult", "ProgressResult", "EscapResult", "Explanation", "TableInputError",
]
