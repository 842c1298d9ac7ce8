"""The SDSN optimum rule of an indicator's metadata (``optimum``), checked where it is read.

A city names how the optimum (SDSN's ``best``) of an indicator is set: ``target``, ``lnob``
(leave no one behind), ``science``, ``top5`` — or a number, a science-based optimum written in
place (:data:`vlrkit.assess.rules.OPTIMUM_RULES`; ``docs/assess.md``).  The assessment library
reads the rule; this module says, before the metadata is stored, whether the rule can be used:

- the word must be one of the four rules (case and surrounding spaces do not matter);
- ``lnob`` needs a percentage indicator (its optimum is 100 % or 0 %): a unit that is given and
  is not a percentage level is an error (an empty unit is not judged: Open SDG often gives the
  unit only in the data);
- a number must be finite and inside the plausible range of the indicator's unit, when the unit
  tells one (a percentage 0–100, a rate per 1,000 0–1,000 …, a count ≥ 0).

Every problem is a :class:`~vlrkit.validation.catalogue.BadOptimum` (slug ``bad-optimum``,
severity error) naming the file, row (when the source has rows) and field.  The web edit form
uses :func:`check` too, so the rule is judged the same way wherever it is set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from vlrkit.assess.rules import OPTIMUM_RULES
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.checks import _COUNT, _NOT_LEVEL, _PERCENT, _RATES

#: The metadata field (Open SDG metadata key, review package ``extra`` key) holding the rule.
FIELD = "optimum"
#: Lowest and highest value of a percentage level.
PERCENT_RANGE = (0.0, 100.0)


@dataclass(frozen=True)
class Verdict:
    """Why an optimum is refused: a message in English and Simplified Chinese."""

    en: str
    zh: str


def is_percentage(unit: str) -> bool:
    """True if ``unit`` names a percentage level (not a change or a growth rate in %)."""
    return bool(re.search(_PERCENT, unit or "")) and not re.search(_NOT_LEVEL, unit or "")


def plausible_range(unit: str) -> tuple[float, float] | None:
    """The values an indicator measured in ``unit`` can take, if the unit says (else None)."""
    unit = unit or ""
    if is_percentage(unit):
        return PERCENT_RANGE
    for pattern, high in _RATES:
        if re.search(pattern, unit):
            return 0.0, high
    if re.search(_COUNT, unit):
        return 0.0, math.inf
    return None


def normalise(text: object) -> str:
    """The rule as the library reads it: stripped, lower case (numbers unchanged)."""
    return str(text if text is not None else "").strip().lower()


def verdict(text: object, *, unit: str = "") -> Verdict | None:
    """Why the optimum ``text`` cannot be used for an indicator in ``unit`` (None: it can)."""
    rule = normalise(text)
    if not rule:
        return None
    if rule in OPTIMUM_RULES:
        if rule == "lnob" and (unit or "").strip() and not is_percentage(unit):
            return Verdict(
                f"'lnob' (leave no one behind: 100 % or 0 %) needs a percentage indicator; the unit is '{unit}'",
                f"lnob（不让任何人掉队：100% 或 0%）只适用于百分比指标；该指标的单位是“{unit}”",
            )
        return None
    try:
        number = float(rule)
    except ValueError:
        return Verdict(f"'{text}' is not a rule nor a number", f"“{text}”既不是规则也不是数字")
    if not math.isfinite(number):
        return Verdict("the number is not finite", "该数字不是有限值")
    bounds = plausible_range(unit)
    if bounds and not bounds[0] <= number <= bounds[1]:
        high = "∞" if math.isinf(bounds[1]) else f"{bounds[1]:g}"
        return Verdict(
            f"{number:g} is outside the plausible range {bounds[0]:g} … {high} of the unit '{unit}'",
            f"{number:g} 超出单位“{unit}”的合理范围 {bounds[0]:g} … {high}",
        )
    return None


def check(text: object, *, unit: str = "", file: str, row: int | None = None,
          column: str = FIELD) -> list[Problem]:
    """The problems of one optimum cell (none, or one ``bad-optimum``)."""
    why = verdict(text, unit=unit)
    if why is None:
        return []
    return [c.make(c.BadOptimum, file, row, column, value=str(text).strip(), detail=why.en, detail_zh=why.zh,
                   allowed=", ".join(OPTIMUM_RULES), allowed_zh="、".join(OPTIMUM_RULES))]
