"""Open SDG indicator metadata in all the forms cities publish it, as plain dictionaries.

- ``meta/<id>.md`` — YAML front matter between ``---`` lines, then a Markdown page body
  (sdg-build ``InputYamlMdMeta``); the body is kept as ``page_content``;
- ``meta/<id>.yml`` and ``indicator-config/<id>.yml`` — plain YAML (``InputYamlMeta``);
- ``meta/<id>.csv`` — two columns, field name and value (``InputCsvMeta``).

Later forms override earlier ones field by field, in the order above (as sdg-build applies its
inputs).  :func:`to_indicator` turns the merged fields into a :class:`LocalIndicator`, its
:class:`SdgLink` and :class:`Target` lines, and reports fields that are not valid (among them the
SDSN ``optimum`` rule, :mod:`vlrkit.validation.optimum`, judged alone and against the
indicator's direction and target lines; Open SDG metadata carries no thresholds).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import yaml

from vlrkit.formats import yamlsafe
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits
from vlrkit.review import LocalIndicator, SdgLink, Target
from vlrkit.validation import catalogue as c
from vlrkit.validation import optimum as vopt
from vlrkit.validation.catalogue import Problem

REPORTING_STATUSES = ("complete", "inprogress", "notstarted", "notapplicable")
#: Horizon year of target lines that give no year of their own.
DEFAULT_TARGET_YEAR = 2030
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S)
_ID = re.compile(r"^(?:indicator_)?(\d{1,2})-([0-9a-z]{1,3})-([0-9a-z]{1,4})$", re.I)


class MetaError(ValueError):
    """The metadata text cannot be read (bad YAML, not a mapping)."""


def _load(text: str, limits: Limits) -> Any:
    """YAML through the bounded safe loader (:mod:`vlrkit.formats.yamlsafe`): a deep, recursive or
    alias-bomb document raises :class:`~vlrkit.formats.limits.LimitError` before it is built."""
    try:
        return yamlsafe.load(text, limits)
    except yaml.YAMLError as exc:
        raise MetaError(str(exc).replace("\n", " ")) from exc


def indicator_id(stem: str) -> str | None:
    """The Open SDG id (``1-1-1``) of a file stem such as ``indicator_1-1-1`` or ``1-1-1``."""
    m = _ID.match(stem)
    return f"{int(m.group(1))}-{m.group(2).lower()}-{m.group(3).lower()}" if m else None


def code_of(opensdg_id: str) -> str:
    """vlrkit's local indicator code for an Open SDG id: ``11-2-1`` → ``11.2.1``."""
    return opensdg_id.replace("-", ".")


def _mapping(doc: Any) -> dict[str, Any]:
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise MetaError("metadata is not a mapping of field: value / 元数据不是“字段: 值”映射")
    return {str(k): v for k, v in doc.items()}


def parse_markdown(text: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Fields of a ``.md`` file's YAML front matter, plus ``page_content`` (the body).

    Raises :class:`MetaError` (bad YAML, not a mapping) or
    :class:`~vlrkit.formats.limits.LimitError` (a bound of ``limits`` crossed)."""
    m = _FRONT.match(text)
    if not m:
        return {"page_content": text} if text.strip() else {}
    fields = _mapping(_load(m.group(1), limits))
    body = m.group(2)
    if body.strip():
        fields["page_content"] = body
    return fields


def parse_yaml(text: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Fields of a ``.yml`` metadata file (errors as :func:`parse_markdown`)."""
    return _mapping(_load(text, limits))


def is_key_value_csv(header: tuple[str, ...], first_column: list[str]) -> bool:
    """A metadata CSV has two columns and field names (no spaces, not numbers) in the first."""
    if len(header) != 2 or not first_column:
        return False
    return all(re.fullmatch(r"[A-Za-z_][\w.]*", k or "") for k in first_column[:50])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
        return value.strip().lower() in ("true", "yes")
    return None


def _sdg_grade(sdg_id: str) -> tuple[str | None, str]:
    """(global indicator id, grade) for a local id like ``5.5.2`` or ``5.5.2a``."""
    parts = sdg_id.split(".")
    base = ".".join(parts[:2] + [re.sub(r"[a-z]+$", "", parts[2])])
    try:
        from vlrkit import sdg

        sdg.indicator(base)
        known = True
    except Exception:  # noqa: BLE001 - catalogue missing or id unknown: judge by shape only
        known = bool(re.fullmatch(r"\d{1,2}\.(\d{1,2}|[a-e])\.\d{1,2}", base))
    if not known:
        return None, ""
    return base, "identical" if base == sdg_id else "adapted"


def to_indicator(
    opensdg_id: str, fields: Mapping[str, Any], file: str, unit_default: str = "",
    *, optimum_at: tuple[str, int | None] | None = None,
) -> tuple[LocalIndicator, tuple[SdgLink, ...], tuple[Target, ...], list[Problem]]:
    """The local indicator, its SDG link and target lines described by ``fields``;
    ``optimum_at`` is the file and row the ``optimum`` field came from (default ``file``)."""
    problems: list[Problem] = []
    code = code_of(opensdg_id)
    goal = int(opensdg_id.split("-")[0])

    def invalid(field_: str, detail: str, detail_zh: str) -> None:
        problems.append(c.make(c.MetadataInvalid, file, None, field_, value=_text(fields.get(field_)),
                               detail=detail, detail_zh=detail_zh))

    status = _text(fields.get("reporting_status", "")).strip() or "complete"
    if status not in REPORTING_STATUSES:
        invalid("reporting_status", f"not one of {', '.join(REPORTING_STATUSES)}",
                f"不是 {', '.join(REPORTING_STATUSES)} 之一")
    if "data_non_statistical" in fields and _bool(fields["data_non_statistical"]) is None:
        invalid("data_non_statistical", "not true or false", "不是 true 或 false")
    if "sdg_goal" in fields and _text(fields["sdg_goal"]).strip() not in (str(goal), f"{goal:02d}"):
        invalid("sdg_goal", f"the file is for goal {goal}", f"该文件属于目标 {goal}")
    if "indicator" in fields and _text(fields["indicator"]).strip() not in (code, opensdg_id):
        invalid("indicator", f"the file is for indicator {code}", f"该文件属于指标 {code}")
    target_id = ".".join(code.split(".")[:2])
    if "target_id" in fields and _text(fields["target_id"]).strip() not in (target_id, ""):
        invalid("target_id", f"the indicator belongs to target {target_id}", f"该指标属于具体目标 {target_id}")

    name = (_text(fields.get("graph_title")) or _text(fields.get("national_indicator_available"))
            or _text(fields.get("indicator_name")) or code).strip()
    sources = [
        _text(fields.get(f"source_organisation_{i}")).strip()
        for i in range(1, 10)
        if _text(fields.get(f"source_organisation_{i}")).strip()
        and _bool(fields.get(f"source_active_{i}", True)) is not False
    ]
    direction = "higher"
    opts = fields.get("progress_calculation_options")
    if isinstance(opts, list) and opts and isinstance(opts[0], dict):
        if str(opts[0].get("direction", "")).lower() == "negative":
            direction = "lower"
    decimals = None
    precision = fields.get("precision")
    if isinstance(precision, list) and precision and isinstance(precision[0], dict):
        dec = precision[0].get("decimals")
        decimals = dec if isinstance(dec, int) else None
    extra = {k: _text(v) for k, v in fields.items()}
    indicator = LocalIndicator(
        code=code,
        names={"en": name},
        goal=goal,
        unit=_text(fields.get("computation_units")).strip() or unit_default,
        direction=direction,
        source="; ".join(sources),
        custodian=_text(fields.get("un_custodian_agency")).strip(),
        coverage=_text(fields.get("national_geographical_coverage")).strip(),
        methodology={"en": _text(fields["computation_calculations"])} if fields.get("computation_calculations") else {},
        decimals=decimals,
        reporting_status=status if status in REPORTING_STATUSES else "complete",
        extra=extra,
    )
    optimum_problems: list[Problem] = []
    if vopt.FIELD in fields:  # the SDSN optimum rule travels verbatim in extra; judged here
        where, row = optimum_at or (file, None)
        optimum_problems = vopt.check(extra[vopt.FIELD], unit=indicator.unit, file=where, row=row)
        problems += optimum_problems
    links: tuple[SdgLink, ...] = ()
    sdg_indicator, grade = _sdg_grade(code)
    if sdg_indicator:
        links = (SdgLink(indicator=code, target=".".join(sdg_indicator.split(".")[:2]),
                         sdg_indicator=sdg_indicator, grade=grade),)
    targets = []
    lines = fields.get("graph_target_lines")
    if lines is not None and not isinstance(lines, list):
        invalid("graph_target_lines", "not a list", "不是列表")
        lines = []
    for line in lines or []:
        value = line.get("value") if isinstance(line, dict) else None
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            invalid("graph_target_lines", "a target line without a numeric value", "目标线缺少数值")
            continue
        year = line.get("year", line.get("target_year", DEFAULT_TARGET_YEAR))
        year = int(year) if isinstance(year, int) or str(year).isdigit() else DEFAULT_TARGET_YEAR
        label = _text(line.get("label_content") or line.get("label") or "")
        targets.append(Target(indicator=code, kind="local", value=number, year=year,
                              note={"en": label} if label else {}))
    if vopt.FIELD in fields and not optimum_problems:
        # against the rest of the record, as far as Open SDG metadata carries it: the direction
        # and the local target (graph_target_lines) are here; thresholds are not (Open SDG has
        # no field for them: they are set in the review), so the checks that need the
        # thresholds' optimum (science without a number; lnob, top5, target or a number that
        # contradicts it) are made where thresholds are set, not here
        problems += vopt.check_record(extra[vopt.FIELD], direction=direction,
                                      target=vopt.assessed_targets(targets).get(code),
                                      thresholds_known=False, file=where, row=row)
    return indicator, links, tuple(targets), problems
