"""Open SDG indicator metadata in all the forms cities publish it, as plain dictionaries.

- ``meta/<id>.md`` — YAML front matter between ``---`` lines, then a Markdown page body
  (sdg-build ``InputYamlMdMeta``); the body is kept as ``page_content``;
- ``meta/<id>.yml`` and ``indicator-config/<id>.yml`` — plain YAML (``InputYamlMeta``);
- ``meta/<id>.csv`` — two columns, field name and value (``InputCsvMeta``).

Which files are read, in which order, is the repository configuration's
(:mod:`~vlrkit.formats.opensdg.config`); :mod:`~vlrkit.formats.opensdg.indicator` turns the
merged fields into a local indicator.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from vlrkit.formats import yamlsafe
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S)


class MetaError(ValueError):
    """The metadata text cannot be read (bad YAML, not a mapping)."""


def _load(text: str, limits: Limits) -> Any:
    """YAML through the bounded safe loader (:mod:`vlrkit.formats.yamlsafe`): a deep, recursive or
    alias-bomb document raises :class:`~vlrkit.formats.limits.LimitError` before it is built."""
    try:
        return yamlsafe.load(text, limits)
    except yaml.YAMLError as exc:
        raise MetaError(str(exc).replace("\n", " ")) from exc


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
