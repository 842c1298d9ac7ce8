"""``vlr backup`` and ``vlr restore``: the whole database, SQLite or PostgreSQL, in one file."""

from __future__ import annotations

from pathlib import Path

import typer

from vlrkit.cli.common import USER_ERRORS, DbOption, console, open_store
from vlrkit.store.backup import BackupError

USER_ERRORS.append(BackupError)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    out: Path = typer.Option(..., "--out", help="Backup file to write (a zip; e.g. vlrkit-2025-06-01.vlrbackup)."),
    db: Path = DbOption,
) -> None:
    """Back up the whole database, consistent while the server runs (SQLite or PostgreSQL)."""
    open_store(db, migrate=False)  # a backup changes nothing, not even the schema
    from vlrkit.store.backup import backup as run

    manifest = run(out)
    console.print(f"Backed up the {manifest.engine} database ({len(manifest.migrations)} migrations) to {out} / "
                  f"已备份到 {out}")


def restore(
    path: Path = typer.Argument(..., help="A backup file made by vlr backup."),
    db: Path = DbOption,
    force: bool = typer.Option(False, "--force", help="Replace a database that holds data."),
) -> None:
    """Restore a backup into an empty database (or, with --force, over one); stop the server first.

    The restored database's audit log gets a ``backup.restore`` entry (who, when, which file,
    the chain head it replaced)."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file / 文件不存在")
    open_store(db, must_exist=False, migrate=False)
    from vlrkit.store.backup import restore as run
    from vlrkit.web.security import audit

    replaced = audit.head()
    manifest = run(path, force=force)
    audit.record_restore(path, manifest, forced=force, replaced=replaced)
    console.print(f"Restored the backup of {manifest.created} (vlrkit {manifest.vlrkit}) / 已恢复 {manifest.created} 的备份")
