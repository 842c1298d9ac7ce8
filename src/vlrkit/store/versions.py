"""Version stamps of rows, for optimistic concurrency: an edit saves only over the version its
editor saw.

A row's version is the id of its latest history record.  django-simple-history writes one for
every save and delete through the ORM (forms, imports, restores from history alike), so no
writer has to remember to increase a counter, the schema needs no version column, and the stamp
names the exact version an editor started from: :class:`Stale` carries that record, so the
conflict page can show what the other person changed since, who did and when, beside what the
editor changed.  A row that does not exist has version 0.

Use it inside ``transaction.atomic()``: :func:`guard` locks the row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` transactions, which vlrkit's settings ask for, already
hold the write lock), then compares.  Two editors who both start from a missing row are told
apart by the unique constraint: :func:`create` turns the loser's ``IntegrityError`` into
:class:`Stale`.

Exceptions: :class:`Stale` — the row moved on since the editor's version (a user condition, not
an error: the web shows a conflict page).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction


class Stale(Exception):
    """The row is no longer at the version the editor started from.

    ``current``: the row now (``None``: it was deleted); ``version``: its version now;
    ``base``: the history record of the editor's version (``None``: the row did not exist);
    ``since``: the history records written after it, newest first (who changed it, when)."""

    def __init__(self, current: models.Model | None, version: int, base: Any, since: tuple[Any, ...]) -> None:
        super().__init__(f"stale: now at version {version}")
        self.current, self.version, self.base, self.since = current, version, base, since


def _history(model: type[models.Model]):
    return model.history  # type: ignore[attr-defined]


def version_of(model: type[models.Model], pk: Any) -> int:
    """The version of the row ``pk`` of ``model`` (0 when it has no history, i.e. never existed)."""
    if pk is None:
        return 0
    latest = _history(model).filter(id=pk).order_by("-history_id").values_list("history_id", flat=True).first()
    return latest or 0


def stamp(obj: models.Model | None) -> int:
    """The version of ``obj`` (0 for ``None``: "there was no such row")."""
    return 0 if obj is None else version_of(type(obj), obj.pk)


def record(model: type[models.Model], version: int) -> Any:
    """The history record of ``version`` (``None`` for 0 or one that is not there)."""
    return _history(model).filter(history_id=version).first() if version else None


def _stale(model: type[models.Model], obj: models.Model | None, expected: int) -> Stale:
    base = record(model, expected)
    pk = obj.pk if obj is not None else (base.id if base is not None else None)
    since: tuple[Any, ...] = ()
    if pk is not None:
        qs = _history(model).filter(id=pk).select_related("history_user").order_by("-history_date", "-history_id")
        if base is not None:
            qs = qs.filter(history_date__gte=base.history_date).exclude(history_id=base.history_id)
        since = tuple(qs[:20])
    return Stale(obj, stamp(obj), base, since)  # a deleted row is at version 0: "no row"


def guard(model: type[models.Model], expected: int | None, **lookup: Any) -> models.Model | None:
    """The row of ``model`` matching ``lookup``, locked, if it is still at version ``expected``
    (``None`` counts as 0: "I saw no such row"); raises :class:`Stale` otherwise.  Returns
    ``None`` when there is no such row and none was expected."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("versions.guard needs a transaction (transaction.atomic)")
    obj = model.objects.select_for_update().filter(**lookup).first()
    if stamp(obj) != (expected or 0):
        raise _stale(model, obj, expected or 0)
    return obj


def create(model: type[models.Model], lookup: dict[str, Any], **fields: Any) -> models.Model:
    """Create the row ``lookup`` + ``fields`` that :func:`guard` found missing; if a concurrent
    editor created it first (its unique constraint says so), raise :class:`Stale` instead."""
    try:
        with transaction.atomic():
            return model.objects.create(**lookup, **fields)
    except IntegrityError:
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            raise
        raise _stale(model, obj, 0) from None
