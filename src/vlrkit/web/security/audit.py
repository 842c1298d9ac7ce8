"""The audit log: append-only, hash-chained security events (ASVS 5.0 V16).

Every entry holds the SHA-256 of the entry before it; its own hash covers all its fields and
that previous hash, so editing, inserting or deleting any entry breaks the chain from there on,
and :func:`verify` names the first entry where it breaks.  The newest entry's sequence number and
hash are also kept in :class:`~.models.AuditHead`, so removing the newest entries is seen too.
Writers take the head row's lock (PostgreSQL ``SELECT … FOR UPDATE``; SQLite serialises writers
by its ``IMMEDIATE`` transactions), so processes never fork the chain.

Each entry is also written to the Python logger :data:`LOGGER` as one JSON line, for a log
collector on another machine (``docs/security.md`` shows the logging configuration).

Call :func:`record` where an event happens; ``defer=True`` inside a transaction writes the entry
once that transaction commits (and never when it rolls back), so a long import never holds the
audit lock.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    from vlrkit.store.backup import Manifest

LOGGER = logging.getLogger("vlrkit.audit")
GENESIS = "0" * 64
#: Columns of the CSV and JSON exports, in order.
COLUMNS = ("seq", "at", "event", "outcome", "actor", "actor_id", "ip", "user_agent", "method", "path",
           "edition", "target", "detail", "prev_hash", "hash")
LIMITS = {"actor": 150, "ip": 45, "user_agent": 300, "method": 8, "path": 500, "edition": 64, "target": 150,
          "event": 64, "outcome": 16}


def clean(text: object, limit: int) -> str:
    """``text`` as one printable line of at most ``limit`` characters (no log injection)."""
    s = "" if text is None else str(text)
    s = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
                for ch in s)
    return s[:limit]


def canonical(detail: dict[str, Any] | None) -> str:
    return json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(fields: dict[str, Any]) -> str:
    """The hash of one entry from its fields (every column but ``hash``)."""
    at = fields["at"]
    payload = [fields["seq"], at.isoformat() if isinstance(at, datetime) else str(at)]
    payload += [fields[c] for c in COLUMNS[2:-1]]
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _context(request) -> dict[str, str]:  # noqa: ANN001
    if request is None:
        try:
            from simple_history.models import HistoricalRecords

            request = getattr(HistoricalRecords.context, "request", None)
        except ImportError:  # pragma: no cover - simple_history is a dependency
            request = None
    if request is None:  # the command line or a background task: name the local account
        import getpass

        try:
            return {"actor": f"local:{getpass.getuser()}"}
        except (KeyError, OSError):
            return {"actor": "local"}
    meta = getattr(request, "META", {})
    out = {"ip": meta.get("REMOTE_ADDR", ""), "user_agent": meta.get("HTTP_USER_AGENT", ""),
           "method": getattr(request, "method", "") or "", "path": getattr(request, "path", "")}
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        out["actor"], out["actor_id"] = user.get_username(), user.pk
    return out


def record(request, event: str, *, outcome: str = "success", actor: str | None = None,  # noqa: ANN001
           actor_id: int | None = None, target: str = "", edition: str = "",
           detail: dict[str, Any] | None = None, defer: bool = False) -> None:
    """Append one event; ``request`` (or the current request) gives who and where.

    ``actor`` names who acted when the request has no logged-in user (a failed log-in's user
    name, ``cli:<login>`` for the command line)."""
    fields: dict[str, Any] = {"actor": "", "actor_id": None, "ip": "", "user_agent": "", "method": "", "path": ""}
    fields.update(_context(request))
    if actor is not None:
        fields["actor"] = actor
    if actor_id is not None:
        fields["actor_id"] = actor_id
    fields.update(event=event, outcome=outcome, target=target, edition=edition)
    for name, limit in LIMITS.items():
        fields[name] = clean(fields[name], limit)
    fields["detail"] = canonical(detail)
    if defer:
        transaction.on_commit(partial(_append, fields))
    else:
        _append(fields)


def _append(fields: dict[str, Any]) -> None:
    from vlrkit.web.security.models import AuditEntry, AuditHead

    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)
        row = {**fields, "seq": head.seq + 1, "at": timezone.now(), "prev_hash": head.hash or GENESIS}
        row["hash"] = entry_hash(row)
        AuditEntry.objects.create(**row)
        AuditHead.objects.filter(pk=1).update(seq=row["seq"], hash=row["hash"])
    LOGGER.info(json.dumps({k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()},
                           ensure_ascii=False))


def head() -> tuple[int, str] | None:
    """The configured database's chain head (sequence number, hash); ``None`` when it has no
    audit log yet (a new, unmigrated database)."""
    from django.db import DatabaseError

    from vlrkit.web.security.models import AuditHead

    try:
        row = AuditHead.objects.filter(pk=1).first()
    except DatabaseError:
        return None
    return (row.seq, row.hash) if row else (0, GENESIS)


def record_restore(path: Path, manifest: Manifest, *, forced: bool, replaced: tuple[int, str] | None) -> None:
    """Append the ``backup.restore`` entry to the log of the database just restored: who (the
    local account) and when, which file (name, SHA-256, the backup's date and vlrkit), and the
    head of the chain it replaced — the restored log continues the backup's chain, so the
    replaced database's entries are gone and this entry is where the log says so."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    detail: dict[str, Any] = {"file": str(Path(path).resolve())[-300:], "sha256": digest.hexdigest(),
                              "backup_created": manifest.created, "backup_vlrkit": manifest.vlrkit,
                              "engine": manifest.engine, "forced": forced}
    if replaced is not None:
        detail["replaced_head"] = {"seq": replaced[0], "hash": replaced[1]}
    record(None, "backup.restore", target=Path(path).name, detail=detail)


@dataclass(frozen=True)
class ChainCheck:
    """The result of :func:`verify`: whether the chain holds, and where it breaks first."""

    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    broken_at: int | None = None
    reason: str = ""


def verify() -> ChainCheck:
    """Walk the whole log in order and check every link and every hash."""
    from vlrkit.web.security.models import AuditEntry, AuditHead

    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    prev, expected, n = GENESIS, 1, 0
    names = list(COLUMNS)
    for values in AuditEntry.objects.order_by("seq").values_list(*names).iterator(chunk_size=2000):
        row = dict(zip(names, values, strict=True))
        n += 1
        seq = row["seq"]
        if seq != expected:
            return ChainCheck(False, n, head_seq, head_hash, expected, f"entry {expected} is missing")
        if row["prev_hash"] != prev:
            return ChainCheck(False, n, head_seq, head_hash, seq, f"entry {seq} does not follow entry {seq - 1}")
        if entry_hash(row) != row["hash"]:
            return ChainCheck(False, n, head_seq, head_hash, seq, f"entry {seq} was changed")
        prev, expected = row["hash"], seq + 1
    if head_seq != expected - 1 or (n and head_hash != prev):
        return ChainCheck(False, n, head_seq, head_hash, expected,
                          f"the newest entries after {expected - 1} were removed")
    return ChainCheck(True, n, head_seq, head_hash)


def filtered(params) -> Any:  # noqa: ANN001 - a QueryDict or dict
    """Entries matching the filters of the admin page (event, actor, outcome, ip, edition, dates)."""
    from vlrkit.web.security.models import AuditEntry

    qs = AuditEntry.objects.all()
    if event := params.get("event", "").strip():
        qs = qs.filter(event__startswith=event)
    for name in ("actor", "outcome", "ip", "edition"):
        if value := params.get(name, "").strip():
            qs = qs.filter(**{name: value})
    for name, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        value = params.get(name, "").strip()
        if value:
            try:
                qs = qs.filter(**{lookup: datetime.strptime(value, "%Y-%m-%d").date()})
            except ValueError:
                pass
    return qs


def _export_rows(entries: Iterable) -> Iterator[list[object]]:
    for e in entries:
        yield [getattr(e, c).isoformat() if c == "at" else getattr(e, c) for c in COLUMNS]


def csv_chunks(entries: Iterable) -> Iterator[str]:
    """The entries as CSV, header first; every text cell neutralised against formula injection."""
    from vlrkit.formats import spreadsheet

    buf = io.StringIO()
    w = spreadsheet.csv_writer(buf)
    w.writerow(COLUMNS)
    for row in _export_rows(entries):
        w.writerow(row)
        if buf.tell() > 64 * 1024:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def json_chunks(entries: Iterable) -> Iterator[str]:
    """The entries as one JSON array (``detail`` as an object)."""
    yield "["
    first = True
    for row in _export_rows(entries):
        rec = dict(zip(COLUMNS, row, strict=True))
        rec["detail"] = json.loads(rec["detail"] or "{}")
        yield ("" if first else ",\n") + json.dumps(rec, ensure_ascii=False)
        first = False
    yield "]\n"
