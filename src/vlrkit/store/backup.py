"""Backup and restore of the whole database (``vlr backup``, ``vlr restore``), consistent while
the server runs.

A backup is one zip file: ``manifest.json`` (what it is, which engine, when, which vlrkit, and
the applied migrations: the schema the data fits) and the data:

- **SQLite**: ``database.sqlite3``, a copy made with SQLite's online backup API
  (``sqlite3.Connection.backup``), which copies the pages of one consistent state while other
  connections go on writing (writers wait while the copy's single step runs).
- **PostgreSQL**: ``tables/<table>.copy``, every table in ``COPY`` text format, all read in one
  ``REPEATABLE READ, READ ONLY`` transaction: one snapshot of every table, taken through the
  server connection vlrkit already has.  Not ``pg_dump``: it must match the server's major
  version and is often missing on the application's host; and a backup restored into the schema
  that vlrkit's own migrations build is what the schema check below compares anyway.

Restore refuses a backup whose migrations differ from the ones this vlrkit knows (restore it
with the vlrkit that made it, then upgrade), one of the other engine, and a target database
that holds data unless ``force`` is given.  It is all or nothing: SQLite's file is written
beside the target and swapped in whole; PostgreSQL's tables are emptied and loaded in one
transaction.  Stop the server before restoring.

Exceptions: :class:`BackupError` — the backup cannot be made or restored; the message says why
(zh-Hans and en).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT = "vlrkit-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
TABLES = "tables/"
#: Tables that ``migrate`` fills itself: their rows do not make a database "non-empty".
SCHEMA_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup cannot be made or restored (message in English and Chinese)."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds."""

    engine: str  # "sqlite" | "postgresql"
    created: str
    vlrkit: str
    migrations: tuple[tuple[str, str], ...]
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # PostgreSQL: columns, rows

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, "engine": self.engine,
                           "created": self.created, "vlrkit": self.vlrkit,
                           "migrations": [list(m) for m in self.migrations], "tables": self.tables},
                          ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError("not a vlrkit backup")
            if data.get("format_version") != FORMAT_VERSION:
                raise ValueError(f"backup format {data.get('format_version')}, this vlrkit reads {FORMAT_VERSION}")
            return cls(data["engine"], data["created"], data["vlrkit"],
                       tuple((a, n) for a, n in data["migrations"]), dict(data.get("tables") or {}))
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"not a vlrkit backup: {exc} / 不是 vlrkit 备份文件") from exc


def _engine() -> str:
    from django.db import connection

    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def known_migrations() -> set[tuple[str, str]]:
    """Every migration this vlrkit has (the schema a restored database must have)."""
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _version() -> str:
    from vlrkit import __version__

    return __version__


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- making a backup --------------------------------------------------------------------------


def backup(out: Path | str) -> Manifest:
    """Write a consistent backup of the configured database to ``out`` (a zip file)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial")
    try:
        manifest = _backup_postgresql(tmp) if _engine() == "postgresql" else _backup_sqlite(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return manifest


def _sqlite_path() -> Path:
    from django.conf import settings

    return Path(settings.DATABASES["default"]["NAME"])


def _backup_sqlite(tmp: Path) -> Manifest:
    src = _sqlite_path()
    if not src.is_file():
        raise BackupError(f"database {src} does not exist / 数据库 {src} 不存在")
    with tempfile.TemporaryDirectory(dir=tmp.parent, prefix=".vlr-backup-") as work:
        copy = Path(work) / SQLITE_MEMBER
        with closing(sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=60)) as source, \
                closing(sqlite3.connect(copy)) as target:
            source.backup(target)  # one step: the pages of one consistent state
            migrations = tuple(target.execute("SELECT app, name FROM django_migrations ORDER BY id"))
        manifest = Manifest("sqlite", _now(), _version(), migrations)
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            z.writestr(MANIFEST, manifest.to_json())
            z.write(copy, SQLITE_MEMBER)
    return manifest


def _pg_connection():
    """A connection of its own (not Django's, whose transaction state we must not touch)."""
    from django.db import connection

    return connection.get_new_connection(connection.get_connection_params())


def _user_tables(cur) -> list[str]:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [r[0] for r in cur.fetchall()]


def _columns(cur, table: str) -> list[str]:
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = %s ORDER BY ordinal_position", [table])
    return [r[0] for r in cur.fetchall()]


def _copy_sql(table: str, columns: list[str], direction: str):
    from psycopg import sql

    return sql.SQL("COPY {} ({}) {}").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns), sql.SQL(direction))


def _backup_postgresql(tmp: Path) -> Manifest:
    from psycopg import IsolationLevel

    conn = _pg_connection()
    try:
        conn.autocommit = False
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        tables: dict[str, dict[str, Any]] = {}
        with conn.cursor() as cur, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            cur.execute("SELECT 1")  # the snapshot every table below is read from starts here
            migrations = tuple(tuple(r) for r in cur.execute("SELECT app, name FROM django_migrations ORDER BY id"))
            for table in _user_tables(cur):
                columns = _columns(cur, table)
                rows = 0
                with z.open(TABLES + table + ".copy", "w", force_zip64=True) as member, \
                        cur.copy(_copy_sql(table, columns, "TO STDOUT")) as copy:
                    for data in copy:
                        member.write(bytes(data))
                        rows += bytes(data).count(b"\n")
                tables[table] = {"columns": columns, "rows": rows}
            manifest = Manifest("postgresql", _now(), _version(), migrations, tables)  # type: ignore[arg-type]
            z.writestr(MANIFEST, manifest.to_json())
        conn.rollback()
    finally:
        conn.close()
    return manifest


# --- restoring --------------------------------------------------------------------------------


def read_manifest(path: Path | str) -> Manifest:
    """The manifest of the backup ``path``."""
    try:
        with zipfile.ZipFile(path) as z:
            return Manifest.from_json(z.read(MANIFEST).decode("utf-8"))
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BackupError(f"{path}: not a vlrkit backup ({exc}) / 不是 vlrkit 备份文件") from exc


def check_schema(manifest: Manifest) -> None:
    """Refuse a backup whose applied migrations are not exactly this vlrkit's."""
    have, want = set(manifest.migrations), known_migrations()
    if have == want:
        return
    missing = sorted(want - have)
    extra = sorted(have - want)
    parts = []
    if missing:
        parts.append("the backup lacks " + ", ".join(f"{a}.{n}" for a, n in missing[:5]) + (" …" if len(missing) > 5 else ""))
    if extra:
        parts.append("this vlrkit does not know " + ", ".join(f"{a}.{n}" for a, n in extra[:5]) + (" …" if len(extra) > 5 else ""))
    raise BackupError(
        f"the backup's schema differs from this vlrkit's ({'; '.join(parts)}); restore it with vlrkit "
        f"{manifest.vlrkit}, which made it / 备份的数据库结构与当前 vlrkit 不一致，请用制作该备份的 vlrkit {manifest.vlrkit} 恢复")


def restore(path: Path | str, *, force: bool = False) -> Manifest:
    """Restore the backup ``path`` into the configured database (see the module doc)."""
    manifest = read_manifest(path)
    engine = _engine()
    if manifest.engine != engine:
        raise BackupError(f"the backup is of a {manifest.engine} database, the target is {engine} / "
                          f"备份来自 {manifest.engine} 数据库，目标是 {engine}")
    check_schema(manifest)
    if engine == "postgresql":
        _restore_postgresql(Path(path), manifest, force)
    else:
        _restore_sqlite(Path(path), force)
    return manifest


def _has_data_sqlite(db: Path) -> bool:
    if not db.exists() or db.stat().st_size == 0:
        return False
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%'")]
        return any(conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()  # noqa: S608 - names from the catalogue
                   for t in tables if t not in SCHEMA_TABLES)


def _not_empty(where: str) -> BackupError:
    return BackupError(f"{where} holds data; restoring would replace it: give --force to do so / "
                       f"{where} 中已有数据；如确要用备份替换，请加 --force")


def _restore_sqlite(path: Path, force: bool) -> None:
    from django.db import connections

    target = _sqlite_path()
    for suffix in ("-journal", "-wal"):
        if Path(f"{target}{suffix}").exists():
            raise BackupError(f"{target}{suffix} exists: the database is in use (stop the server) or was left "
                              f"mid-write / 数据库正在使用中（请先停止服务）")
    if _has_data_sqlite(target) and not force:
        raise _not_empty(str(target))
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restoring")
    try:
        with zipfile.ZipFile(path) as z, z.open(SQLITE_MEMBER) as src, tmp.open("wb") as out:
            while chunk := src.read(CHUNK):
                out.write(chunk)
        with closing(sqlite3.connect(tmp)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path}: the database in the backup is damaged / 备份中的数据库已损坏")
        os.replace(tmp, target)
    except KeyError as exc:
        raise BackupError(f"{path}: no {SQLITE_MEMBER} in the backup / 备份中缺少数据库文件") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _restore_postgresql(path: Path, manifest: Manifest, force: bool) -> None:
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection
    from psycopg import sql

    call_command("migrate", interactive=False, verbosity=0)  # the schema the backup fits
    conn = _pg_connection()
    try:
        conn.autocommit = False
        with conn.cursor() as cur:
            present = set(_user_tables(cur))
            if set(manifest.tables) - present:
                raise BackupError("the target lacks tables of the backup: " + ", ".join(sorted(set(manifest.tables) - present)))
            loaded = [t for t in manifest.tables if t != "django_migrations"]
            if not force:
                for t in present - SCHEMA_TABLES:
                    if cur.execute(sql.SQL("SELECT 1 FROM {} LIMIT 1").format(sql.Identifier(t))).fetchone():
                        raise _not_empty(f"database {connection.settings_dict['NAME']}")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
            cur.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in loaded)))
            with zipfile.ZipFile(path) as z:
                for table in loaded:
                    with z.open(TABLES + table + ".copy") as src, \
                            cur.copy(_copy_sql(table, manifest.tables[table]["columns"], "FROM STDIN")) as copy:
                        while chunk := src.read(CHUNK):
                            copy.write(chunk)
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cur.execute(statement)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
