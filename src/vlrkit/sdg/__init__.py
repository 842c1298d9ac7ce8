"""The SDG framework catalogue: 17 goals, 169 targets and the global indicators in six languages.

    >>> from vlrkit import sdg
    >>> sdg.indicator("11.5.1").code            # an indicator that serves three targets
    '1.5.1'
    >>> sdg.target("11.2").title("zh")[:4]
    '到2030'

Built from open-sdg/sdg-translations (MIT; see NOTICE) by :mod:`vlrkit.sdg.build`.
"""

from vlrkit.sdg.build import LANGUAGES
from vlrkit.sdg.catalogue import (
    Goal,
    Indicator,
    Target,
    UnknownLanguage,
    UnknownSdgId,
    framework_version,
    goal,
    goals,
    indicator,
    indicators,
    lookup,
    normalise_lang,
    shorten,
    stats,
    target,
    targets,
)
from vlrkit.sdg.colours import GOAL_COLOURS, STATUS_COLOURS, text_colour
from vlrkit.sdg.icons import icon_svg

__all__ = [
    "LANGUAGES", "Goal", "Target", "Indicator", "UnknownLanguage", "UnknownSdgId",
    "goal", "goals", "target", "targets", "indicator", "indicators", "lookup",
    "normalise_lang", "shorten", "stats", "framework_version", "GOAL_COLOURS",
    "STATUS_COLOURS", "text_colour", "icon_svg",
]
