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

:func:`against_record` then judges the rule against the rest of the indicator's record — its
direction, its local target and the optimum its thresholds give (``best``) — as the assessment
will read them (:func:`vlrkit.assess.review.review_spec`):

- ``target`` needs a local target, and thresholds that give an optimum must give that target;
- ``science`` as a word needs a value: the optimum of the thresholds (a number written in place is
  the value, and must equal the thresholds' optimum when there is one);
- ``lnob`` sets the optimum to 100 (higher is better) or 0 (lower is better): thresholds giving
  another optimum contradict it;
- ``top5`` derives the optimum from the peers: thresholds giving one contradict it.

Every problem is a :class:`~vlrkit.validation.catalogue.BadOptimum` (slug ``bad-optimum``,
severity error) naming the file, row (when the source has rows) and field.  The web edit form
uses :func:`verdict` and :func:`against_record` too, so the rule is judged the same way wherever
it is set.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from vlrkit.assess.rules import LNOB_ACCESS, LNOB_DEPRIVATION, OPTIMUM_RULES
from vlrkit.review.model import Target, latest_targets
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


def against_record(text: object, *, direction: str = "higher", target: float | None = None,
                   best: float | None = None, thresholds_known: bool = True) -> Verdict | None:
    """Why the optimum ``text`` contradicts the rest of the indicator's record (None: it does not).

    ``direction`` is the indicator's (``lower``: lower is better); ``target`` the local target the
    assessment uses (:func:`assessed_targets`), None if there is none; ``best`` the optimum the
    thresholds give, None if there are no thresholds.  ``thresholds_known=False`` says the source
    cannot carry thresholds (Open SDG metadata): ``best`` is then unknown, not absent, and the
    checks that need it are skipped.  A rule :func:`verdict` refuses is not judged again here.
    """
    rule = normalise(text)
    if not rule:
        return None
    if rule not in OPTIMUM_RULES:
        try:
            number = float(rule)
        except ValueError:
            return None
        if math.isfinite(number) and best is not None and number != best:
            return Verdict(
                f"the science-based optimum {number:g} differs from the optimum {best:g} the thresholds "
                "give: they must be the same",
                f"科学依据最优值 {number:g} 与阈值给出的最优值 {best:g} 不同：两者必须一致",
            )
        return None
    if rule == "target":
        if target is None:
            return Verdict(
                "'target' needs a local target: the indicator has none (add its local target, or name "
                "another rule)",
                "target 规则需要本地目标值：该指标没有本地目标（请先添加本地目标，或选择其他规则）",
            )
        if best is not None and best != target:
            return Verdict(
                f"'target' sets the optimum to the local target {target:g}, but the thresholds give {best:g}",
                f"target 规则把最优值设为本地目标值 {target:g}，但阈值给出的最优值是 {best:g}",
            )
    elif rule == "science":
        if best is None and thresholds_known:
            return Verdict(
                "'science' needs the science-based value: give the number itself as the optimum, or "
                "thresholds with an optimum",
                "science 规则需要科学依据值：请直接填写该数值作为最优值，或设定含最优值的阈值",
            )
    elif rule == "lnob":
        lower = direction == "lower"
        want = LNOB_DEPRIVATION if lower else LNOB_ACCESS
        if best is not None and best != want:
            what = "zero deprivation, lower is better" if lower else "universal access, higher is better"
            what_zh = "零剥夺，越低越好" if lower else "普遍享有，越高越好"
            return Verdict(
                f"'lnob' sets the optimum to {want:g} ({what}), but the thresholds give {best:g}",
                f"lnob 规则把最优值设为 {want:g}（{what_zh}），但阈值给出的最优值是 {best:g}",
            )
    elif rule == "top5" and best is not None:
        return Verdict(
            f"'top5' derives the optimum from the peers, but the thresholds give one ({best:g})",
            f"top5 规则由同类城市推算最优值，但阈值已给出最优值（{best:g}）",
        )
    return None


def assessed_targets(targets: Iterable[Target]) -> dict[str, float]:
    """The local target the assessment compares with, per indicator: the latest year's
    (:func:`vlrkit.review.latest_targets`, as :func:`vlrkit.assess.review.review_spec` reads it)."""
    return {code: t.value for (code, kind), t in latest_targets(targets).items() if kind == "local"}


def _problem(text: object, why: Verdict, file: str, row: int | None, column: str) -> Problem:
    return c.make(c.BadOptimum, file, row, column, value=str(text).strip(), detail=why.en, detail_zh=why.zh,
                  allowed=", ".join(OPTIMUM_RULES), allowed_zh="、".join(OPTIMUM_RULES))


def check(text: object, *, unit: str = "", file: str, row: int | None = None,
          column: str = FIELD) -> list[Problem]:
    """The problems of one optimum cell judged alone (none, or one ``bad-optimum``)."""
    why = verdict(text, unit=unit)
    return [] if why is None else [_problem(text, why, file, row, column)]


def check_record(text: object, *, direction: str = "higher", target: float | None = None,
                 best: float | None = None, thresholds_known: bool = True, file: str,
                 row: int | None = None, column: str = FIELD) -> list[Problem]:
    """The problems of one optimum cell against the indicator's record (:func:`against_record`)."""
    why = against_record(text, direction=direction, target=target, best=best, thresholds_known=thresholds_known)
    return [] if why is None else [_problem(text, why, file, row, column)]
