"""Which edition a page is about: the (entity, edition code) key every URL, role and record of
the web carries, and the web's cached index of the store's editions.

An edition code is unique within its entity only (the store's ``edition_code`` constraint), so
the web never names an edition by its code alone: URLs carry ``<entity>/<edition>``
(:class:`EditionConverter` turns that path segment pair into an :class:`EditionKey`), and
memberships, assignments and the workflow's records hold both codes.  Codes rather than the
edition's primary key, so that an edition replaced by a re-import (``save_review(replace=True)``
deletes and recreates the row) keeps its roles and records.

The index (:func:`lookup`, :func:`all_editions`, :func:`by_code`) is one query for all editions,
kept per process until any edition or entity changes anywhere (:func:`vlrkit.web.snapshot.stamp`
of :data:`vlrkit.web.snapshot.INDEX`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class EditionKey:
    """One edition of one entity, by their codes."""

    entity: str
    code: str

    def __str__(self) -> str:
        return f"{self.entity}/{self.code}"


class EditionConverter:
    """URL converter for ``<edition:edition>``: two path segments, ``ENTITY/EDITION``.

    ``reverse`` accepts only an :class:`EditionKey`, so a view that passes a bare edition code
    (ambiguous across entities) fails loudly instead of linking to some other city's edition."""

    regex = r"[^/]+/[^/]+"

    def to_python(self, value: str) -> EditionKey:
        entity, _sep, code = value.partition("/")
        return EditionKey(entity, code)

    def to_url(self, value: object) -> str:
        if not isinstance(value, EditionKey):
            raise ValueError(f"an EditionKey is needed, not {value!r}")
        return f"{value.entity}/{value.code}"


@dataclass(frozen=True)
class EditionInfo:
    """What the web needs to know of an edition without loading it."""

    key: EditionKey
    id: int
    status: str
    year: int
    title: dict[str, Any]
    entity_names: dict[str, Any]

    @property
    def code(self) -> str:
        return self.key.code


_index: tuple[int, dict[EditionKey, EditionInfo]] | None = None
_index_lock = threading.Lock()


def _load() -> dict[EditionKey, EditionInfo]:
    from vlrkit.store.models import Edition

    rows = Edition.objects.select_related("entity").order_by("-year", "-id")
    return {
        EditionKey(e.entity.code, e.code): EditionInfo(
            EditionKey(e.entity.code, e.code), e.id, e.status, e.year, dict(e.title or {}),
            dict(e.entity.names or {}),
        )
        for e in rows
    }


def _current() -> dict[EditionKey, EditionInfo]:
    global _index
    from vlrkit.web.snapshot import INDEX, stamp

    version = stamp(INDEX)
    held = _index
    if held is not None and held[0] == version:
        return held[1]
    with _index_lock:
        held = _index
        if held is not None and held[0] == version:
            return held[1]
        index = _load()
        _index = (version, index)
        return index


def forget() -> None:
    """Drop this process's index (tests; every other change goes through the version stamp)."""
    global _index
    _index = None


def lookup(key: EditionKey) -> EditionInfo | None:
    """The edition ``key``, or ``None`` when there is none."""
    return _current().get(key)


def edition_status(key: EditionKey) -> str | None:
    """The status of edition ``key`` (``draft`` … ``published``), or ``None`` if there is none."""
    info = lookup(key)
    return info.status if info else None


def all_editions() -> list[EditionInfo]:
    """Every edition of every entity, newest first."""
    return list(_current().values())


def by_code(code: str) -> list[EditionInfo]:
    """The editions, of any entity, whose code is ``code`` (for the old, entity-less URLs)."""
    return [info for key, info in _current().items() if key.code == code]


def key_of(edition) -> EditionKey:
    """The key of a store ``Edition`` row (its entity loaded or loadable)."""
    return EditionKey(edition.entity.code, edition.code)
