"""Serve the web application with waitress (a production WSGI server) and whitenoise.

Static files (CSS, JS) come from the package through whitenoise's middleware, so no separate
web server is needed.  ``serve`` blocks until interrupted.
"""

from __future__ import annotations

import logging
from pathlib import Path

#: waitress worker threads: enough to overlap I/O; the GIL bounds CPU work anyway.
THREADS = 8
#: requests waiting for a thread before waitress answers 503.
BACKLOG = 1024
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT_S = 120


def application(db: Path | str | None = None):
    """The WSGI application for ``db`` (SQLite file) or ``VLRKIT_DATABASE_URL``; migrates first."""
    from vlrkit.store import setup

    setup(db)
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def serve(db: Path | str | None, host: str = "127.0.0.1", port: int = 8000, *, threads: int = THREADS) -> None:
    """Serve the web application on ``host:port`` until interrupted."""
    import waitress

    app = application(db)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=threads,
        backlog=BACKLOG,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=CHANNEL_TIMEOUT_S,
        ident="vlrkit",
        clear_untrusted_proxy_headers=True,
    )
