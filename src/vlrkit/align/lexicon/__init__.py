"""Package data of the alignment: lexicons per SDG target and the converted keyword sets.

- ``zh.yml`` — vlrkit's own Chinese lexicon of plans and budgets, per target (Apache-2.0).
- ``en.yml`` — vlrkit's own English lexicon of city plans and council budgets (Apache-2.0).
- ``aurora.json`` — Aurora Universities Network SDG queries v5, per target, parsed into small
  expression trees by :mod:`vlrkit.align.lexicon.build` (CC BY 4.0; see NOTICE).
- ``osdg.json`` — the OSDG keyword map, per goal (see NOTICE for its licence).
- ``bayes_zh.json``, ``bayes_en.json`` — feature counts of the naive Bayes second opinion,
  built from our own sets, target texts and lexicons by :mod:`vlrkit.align.bayes`.
- ``calibration.json`` — Platt parameters and decision threshold fitted on the development sets
  by :mod:`vlrkit.align.calibrate`.
- ``second.json`` — the second-goal model (does a passage serve a further goal?) fitted by
  :mod:`vlrkit.align.second` on the sets that label two goals.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


@cache
def lexicon(lang: str) -> dict[str, tuple[str, ...]]:
    """Target (or goal) id → terms, for ``zh`` or ``en``."""
    data = yaml.safe_load((HERE / f"{lang}.yml").read_text(encoding="utf-8"))
    # YAML reads bare numbers (110, 12345, 5G is fine) as ints: terms are always strings
    return {str(k): tuple(str(t).strip() for t in v if str(t).strip()) for k, v in data.items()}


@cache
def aurora() -> dict[str, list[Any]]:
    return json.loads((HERE / "aurora.json").read_text(encoding="utf-8"))


@cache
def osdg() -> dict[str, tuple[str, ...]]:
    data = json.loads((HERE / "osdg.json").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in data.items()}


def calibration_path() -> Path:
    return HERE / "calibration.json"
