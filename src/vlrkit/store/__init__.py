"""The store: Django ORM models of a review, their migrations and history.

This is the one part of vlrkit that knows the database.  :func:`setup` configures Django for a
SQLite file (or ``VLRKIT_DATABASE_URL``) and applies migrations; ``vlrkit.store.queries``
turns rows into the plain data the core computes on.
"""

from __future__ import annotations

import os
from pathlib import Path

_configured: Path | None = None


def setup(db: Path | str | None = None, *, migrate: bool = True) -> None:
    """Point Django at ``db`` (a SQLite path) and bring the schema up to date.

    Call once per process before touching models; later calls with the same path are no-ops.
    """
    global _configured
    import django
    from django.conf import settings

    path = Path(db or os.environ.get("VLRKIT_DB", "vlrkit.sqlite3")).resolve()
    if not settings.configured:
        os.environ["VLRKIT_DB"] = str(path)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vlrkit.settings")
        django.setup()
    elif _configured is None:
        django.setup()
    if migrate and _configured != path:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    _configured = path
