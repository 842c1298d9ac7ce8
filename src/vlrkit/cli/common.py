"""Shared pieces of the CLI: consoles, the user-error type, database options."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

console = Console(highlight=False)
console_err = Console(stderr=True, highlight=False)


class UserError(Exception):
    """A mistake in what the user asked for; shown as one line, exit status 2."""


#: Core exceptions that are user errors (bad ids, bad files); filled by the areas that define them,
#: as classes or as dotted names (``"vlrkit.formats.sources.SourceError"``).  A name costs no
#: import, so ``vlr --help`` loads none of the core: see :func:`user_errors`.
USER_ERRORS: list[type[BaseException] | str] = [FileNotFoundError, PermissionError, IsADirectoryError]


def user_errors() -> tuple[type[BaseException], ...]:
    """The classes of :data:`USER_ERRORS`.  A name whose module was never imported is left out:
    nothing can have raised an instance of a class that was never loaded."""
    out: list[type[BaseException]] = []
    for entry in USER_ERRORS:
        if isinstance(entry, str):
            module, _dot, name = entry.rpartition(".")
            cls = getattr(sys.modules.get(module), name, None)
            if isinstance(cls, type) and issubclass(cls, BaseException):
                out.append(cls)
        else:
            out.append(entry)
    return tuple(out)

DEFAULT_DB = Path("vlrkit.sqlite3")

DbOption = typer.Option(
    None,
    "--db",
    help="SQLite database file (default ./vlrkit.sqlite3; ignored when VLRKIT_DATABASE_URL is set).",
)


#: ``--entity``: which entity's edition ``--edition`` names (edition codes are unique per entity).
EntityOption = typer.Option(
    None, "--entity", help="Entity code, when several entities have an edition with the same code.")


def open_store(db: Path | None, *, must_exist: bool = True, migrate: bool = True) -> None:
    """Configure Django for ``db`` (or VLRKIT_DATABASE_URL) and bring the schema up to date."""
    from vlrkit.store import setup

    path = db or DEFAULT_DB
    if must_exist and not os.environ.get("VLRKIT_DATABASE_URL") and not path.exists():
        raise UserError(f"database {path} does not exist (create it with `vlr init --db {path}`)")
    setup(path, migrate=migrate)


def print_json(data: Any) -> None:
    """Print one JSON object on stdout (UTF-8, not ASCII-escaped)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))
