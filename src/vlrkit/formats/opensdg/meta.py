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

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S)


#: libyaml's safe loader when available (about 10x faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a *safe* loader


class MetaError(ValueError):
    """The metadata text cannot be read (bad YAML, not a mapping)."""


def _mapping(doc: Any) -> dict[str, Any]:
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise MetaError("metadata is not a mapping of field: value / 元数据不是“字段: 值”映射")
    return {str(k): v for k, v in doc.items()}


def parse_markdown(text: str) -> dict[str, Any]:
    """Fields of a ``.md`` file's YAML front matter, plus ``page_content`` (the body)."""
    m = _FRONT.match(text)
    if not m:
        return {"page_content": text} if text.strip() else {}
    try:
        fields = _mapping(_load(m.group(1)))
    except yaml.YAMLError as exc:
        raise MetaError(str(exc).replace("\n", " ")) from exc
    body = m.group(2)
    if body.strip():
        fields["page_content"] = body
    return fields


def parse_yaml(text: str) -> dict[str, Any]:
    try:
        return _mapping(_load(text))
    except yaml.YAMLError as exc:
        raise MetaError(str(exc).replace("\n", " ")) from exc


def is_key_value_csv(header: tuple[str, ...], first_column: list[str]) -> bool:
    """A metadata CSV has two columns and field names (no spaces, not numbers) in the first."""
    if len(header) != 2 or not first_column:
        return False
    return all(re.fullmatch(r"[A-Za-z_][\w.]*", k or "") for k in first_column[:50])
