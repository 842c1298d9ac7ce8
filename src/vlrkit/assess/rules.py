"""Every number and word the assessment methods use, in one place.

Cut-offs are the published ones (``METHODS.md``); where the source leaves a rule unpublished,
the constant says so and the choice made here is written next to it.  Labels are given in
English and Simplified Chinese; result objects carry the slugs, renderers look the labels up.
"""

from __future__ import annotations

#: Version of vlrkit's implementation of the methods; carried by every result.
METHOD_VERSION = "1.0"

# --- SDSN ---------------------------------------------------------------------------------

#: How the optimum (``best``) was set — METHODS.md §1, in SDSN's order of preference.  Named in
#: the spec's optional ``optimum`` column (or a LocalIndicator's ``extra["optimum"]``):
#:
#: * ``target`` — the indicator's explicit target value (``target`` column) is the optimum;
#: * ``lnob`` — "leave no one behind", for a **percentage** indicator (values 0–100): universal
#:   access, best = 100, when higher is better (e.g. % with safe water); zero deprivation, best =
#:   0, when lower is better (e.g. % below the poverty line);
#: * ``science`` — a science-based target: the value is given (``best`` column, or a number in
#:   the ``optimum`` column itself);
#: * ``top5`` — the mean of the top 5 performers among the peers.
#:
#: With ``best`` given, the named rule documents it (``target``/``lnob`` must agree with it);
#: with ``best`` empty the rule computes it.  No rule named: a given ``best`` is recorded as
#: ``metadata``; else the target if there is one, else the top 5 performers — as before.
OPTIMUM_RULES = ("target", "lnob", "science", "top5")
#: The optimum under ``lnob``: universal access / zero deprivation, on the 0–100 % scale.
LNOB_ACCESS = 100.0
LNOB_DEPRIVATION = 0.0
OPTIMUM_WORDS = {
    "target": "the indicator's explicit target",
    "lnob": "leave no one behind (universal access 100 % / zero deprivation 0 %)",
    "science": "a science-based target",
    "top5": "the mean of the top 5 performers",
    "metadata": "given in the metadata (no rule named)",
    "none": "not available",
}
#: Peer-derived lower bound: the 2.5th percentile of the peer distribution (worst side).
SDSN_WORST_PERCENTILE = 0.025
#: Peer-derived optimum when metadata gives none: mean of the top performers.
SDSN_TOP_PERFORMERS = 5
#: Peer-derived thresholds when metadata gives none (vlrkit's choice, unpublished): green at
#: the 75th and red at the 25th percentile of the peers, in the desired direction.
SDSN_GREEN_PERCENTILE = 0.75
SDSN_RED_PERCENTILE = 0.25
#: Goal colour bands on the 0..3 scale (lower bound 0, red 1, green 2, optimum 3).
SDSN_GREEN_AT = 2.0
SDSN_YELLOW_AT = 1.5
SDSN_ORANGE_AT = 1.0
#: The 0..3 positions are rounded to this many decimals before any cut is applied, so that float
#: noise in the bounds (a recovered optimum of −2e−14 gives a score of 99.999999999999) cannot put a
#: value that sits exactly on a cut below it: a value on a threshold takes the better colour.
SDSN_POSITION_DECIMALS = 9
#: Below this share of a goal's indicators with data the goal is grey.
SDSN_MIN_GOAL_COVERAGE = 0.5
#: An entity is ranked only with at least this share of its applicable indicators.
SDSN_MIN_INDEX_COVERAGE = 0.8
#: Goal trend reported only with at least this share of the goal's indicators having a trend.
SDSN_MIN_TREND_COVERAGE = 0.75
#: Year by which the green threshold should be reached (indicator trends).
SDSN_TREND_HORIZON = 2030
#: Default first year of the trend window (2015 → latest in current editions).
SDSN_TREND_START = 2015
#: Share of the required annual change that separates "stagnating" from "moderately improving".
SDSN_MODERATE_SHARE = 0.5
#: Goal trend: each indicator arrow mapped onto 0–4 **(unpublished mapping; vlrkit's choice)**:
#: the midpoint of its band, so the average of equal arrows gives that arrow back.
SDSN_TREND_POINTS = {
    "decreasing": 0.5,
    "stagnating": 1.5,
    "moderately_improving": 2.5,
    "on_track": 3.5,
}
#: Goal trend bands on 0–4: [0,1) decreasing, [1,2) stagnating, [2,3) moderately improving, [3,4].
SDSN_TREND_BANDS = (1.0, 2.0, 3.0)

COLOURS = ("green", "yellow", "orange", "red", "grey")
TRENDS = ("on_track", "moderately_improving", "stagnating", "decreasing", "insufficient_data")

# --- progress towards a target ------------------------------------------------------------

BASE_YEAR = 2015
TARGET_YEAR = 2030
#: Zero base or target values are replaced by this (Statistics Canada uses 0.001).
EPSILON = 0.001
#: A latest value within this many points of a 0 % or 100 % target counts as achieved.
PERCENT_TARGET_TOLERANCE = 1.0
#: Eurostat windows (years): long term and short term.
EUROSTAT_LONG = 15
EUROSTAT_SHORT = 5

#: Ratio cut-offs with a target, highest first: (lower limit inclusive, status).  A ratio below
#: the last limit gets the method's final status.
RATIO_BANDS: dict[str, tuple[tuple[tuple[float, str], ...], str]] = {
    "unsd": (
        ((0.95, "on_track"), (0.50, "moderate_progress"), (-0.10, "limited_progress")),
        "deterioration",
    ),
    "unsd5": (
        (
            (0.95, "target_met_or_almost"),
            (0.50, "moderate_progress"),
            (0.10, "marginal_progress"),
            (-0.10, "stagnation"),
        ),
        "deterioration",
    ),
    "statcan": (
        ((0.95, "on_track"), (0.60, "fair_progress"), (0.0, "limited_progress")),
        "moving_away",
    ),
    "eurostat": (
        ((0.95, "significant_progress"), (0.60, "moderate_progress"), (0.0, "insufficient_progress")),
        "moving_away",
    ),
    "projection": (
        ((0.95, "on_track"), (0.10, "acceleration_needed")),
        "stagnation_or_regression",
    ),
}

#: CAGR cut-offs without a target (growth in the desired direction), highest first.  Eurostat's
#: "> 1 %" is strict; vlrkit reads "0 to 1 %" as [0, 1 %] and "0 to −1 %" as [−1 %, 0).
GROWTH_BANDS: dict[str, tuple[tuple[tuple[float, bool, str], ...], str]] = {
    # (limit, inclusive, status)
    "eurostat": (
        (
            (0.01, False, "significant_progress"),
            (0.0, True, "moderate_progress"),
            (-0.01, True, "moderate_movement_away"),
        ),
        "significant_movement_away",
    ),
    "statcan": (
        (
            (0.015, True, "substantial_progress"),
            (0.005, True, "moderate_progress"),
            (0.0, True, "limited_progress"),
        ),
        "moving_away",
    ),
}

#: ``opensdg``: Open SDG 2.4's measure (Statistics Canada's method as sdg-build computes it;
#: :mod:`vlrkit.assess.opensdg`, its rules in the ``opensdg-2.4`` method edition).
PROGRESS_METHODS = ("unsd", "unsd5", "statcan", "eurostat", "projection", "opensdg")

#: A progress status on a 0–3 scale (3 best), for the status colour of an indicator and, averaged
#: over a goal's headline series with a status, of the goal — vlrkit's rule (the city editions of
#: SDSN average their colours the same way; ``docs/assess.md``).
STATUS_POINTS: dict[str, int] = {
    **dict.fromkeys(("achieved", "target_achieved", "on_track", "target_met_or_almost", "significant_progress",
                     "substantial_progress"), 3),
    **dict.fromkeys(("moderate_progress", "fair_progress", "acceleration_needed"), 2),
    **dict.fromkeys(("limited_progress", "marginal_progress", "insufficient_progress", "stagnation",
                     "moderate_movement_away"), 1),
    **dict.fromkeys(("deterioration", "moving_away", "significant_movement_away", "stagnation_or_regression"), 0),
}
#: Mean status points at or above which a goal takes each colour (below the last: red).
STATUS_COLOURS = ((2.5, "green"), (1.5, "yellow"), (0.75, "orange"))


def status_colour(points: float) -> str:
    """The colour of a status point or a goal's mean points (:data:`STATUS_COLOURS`)."""
    return next((c for limit, c in STATUS_COLOURS if points >= limit), "red")

# --- ESCAP --------------------------------------------------------------------------------

ESCAP_SCALE = 10.0
#: Gauge wording on the anticipated progress index **(cut-offs unpublished; vlrkit's choice)**:
#: reaches the target by 2030 (≥ 10) → maintain; moves the right way (> 0) → accelerate;
#: otherwise → reverse trend.
ESCAP_GAUGE = ((ESCAP_SCALE, "maintain_progress"), (0.0, "accelerate"))
ESCAP_GAUGE_LAST = "reverse_trend"

# --- leave no one behind ------------------------------------------------------------------

#: A gap is widening/narrowing only if its absolute difference changed by more than this share.
LNOB_CHANGE_TOLERANCE = 0.01
#: Codes that mean "all groups" in a dimension; never compared as a group.
TOTAL_CODES = ("_T", "T", "TOTAL", "_Z")

# --- labels -------------------------------------------------------------------------------

LABELS: dict[str, dict[str, str]] = {
    "green": {"en": "SDG achieved", "zh-Hans": "已实现"},
    "yellow": {"en": "Challenges remain", "zh-Hans": "仍有挑战"},
    "orange": {"en": "Significant challenges", "zh-Hans": "重大挑战"},
    "red": {"en": "Major challenges", "zh-Hans": "严峻挑战"},
    "grey": {"en": "Insufficient data", "zh-Hans": "数据不足"},
    "on_track": {"en": "On track", "zh-Hans": "进展顺利"},
    "moderately_improving": {"en": "Moderately improving", "zh-Hans": "适度改善"},
    "stagnating": {"en": "Stagnating", "zh-Hans": "停滞"},
    "decreasing": {"en": "Decreasing", "zh-Hans": "下降"},
    "insufficient_data": {"en": "Insufficient data", "zh-Hans": "数据不足"},
    "achieved": {"en": "Target achieved", "zh-Hans": "已达目标"},
    "no_target": {"en": "No target", "zh-Hans": "无目标值"},
    "moderate_progress": {"en": "Moderate progress", "zh-Hans": "中等进展"},
    "limited_progress": {"en": "Limited or no progress", "zh-Hans": "进展有限或无进展"},
    "deterioration": {"en": "Deterioration", "zh-Hans": "恶化"},
    "target_met_or_almost": {"en": "Target met or almost met", "zh-Hans": "已达到或接近目标"},
    "marginal_progress": {"en": "Marginal progress", "zh-Hans": "微弱进展"},
    "stagnation": {"en": "Stagnation", "zh-Hans": "停滞"},
    "fair_progress": {"en": "Fair progress, acceleration needed", "zh-Hans": "一般进展，需加快"},
    "moving_away": {"en": "Moving away from the target", "zh-Hans": "偏离目标"},
    "significant_progress": {"en": "Significant progress", "zh-Hans": "显著进展"},
    "insufficient_progress": {"en": "Insufficient progress", "zh-Hans": "进展不足"},
    "moderate_movement_away": {"en": "Moderate movement away", "zh-Hans": "适度偏离"},
    "significant_movement_away": {"en": "Significant movement away", "zh-Hans": "显著偏离"},
    "substantial_progress": {"en": "Substantial progress", "zh-Hans": "大幅进展"},
    "acceleration_needed": {"en": "Acceleration needed", "zh-Hans": "需要加快"},
    "stagnation_or_regression": {"en": "Stagnation or regression", "zh-Hans": "停滞或倒退"},
    "target_achieved": {"en": "Target achieved", "zh-Hans": "已达目标"},
    "not_available": {"en": "Not available", "zh-Hans": "不可用"},
    "maintain_progress": {"en": "Maintain progress", "zh-Hans": "保持进展"},
    "accelerate": {"en": "Accelerate progress", "zh-Hans": "加快进展"},
    "reverse_trend": {"en": "Reverse the trend", "zh-Hans": "扭转趋势"},
    "widening": {"en": "Gap widening", "zh-Hans": "差距扩大"},
    "narrowing": {"en": "Gap narrowing", "zh-Hans": "差距缩小"},
    "stable": {"en": "Gap stable", "zh-Hans": "差距稳定"},
}


def label(slug: str, lang: str = "en") -> str:
    """The display label of a colour, trend or status slug (``en`` or ``zh-Hans``)."""
    entry = LABELS.get(slug)
    if entry is None:
        return slug
    return entry.get(lang) or entry["en"]
