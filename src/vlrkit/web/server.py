"""Serve the web application with waitress (a production WSGI server) and whitenoise.

Static files (CSS, JS) come from the package through whitenoise's middleware, so no separate
web server is needed.  Python runs one thread at a time per process, so the server binds the
listening socket once and forks :data:`WORKERS` processes (one per core, at most
:data:`MAX_WORKERS`) that each run waitress on it, taking turns at accepting so that kept-alive
connections are spread evenly (:func:`_balance`); database connections persist per thread.
Caches stay correct across processes because the data version lives in a file
(:mod:`vlrkit.web.snapshot`) and sessions in the database.  Beside them run the task workers
that carry out background jobs (:mod:`vlrkit.web.jobs`); :mod:`vlrkit.web.supervisor` restarts
any process that dies.  ``serve`` blocks until interrupted.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

#: waitress worker threads per process: enough to overlap I/O; the GIL bounds CPU work anyway.
THREADS = 6
#: at most this many processes (one per core by default).
MAX_WORKERS = 4
BACKLOG = 1024
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT_S = 120
#: A process stops accepting connections while it holds this many more than the least loaded.
ACCEPT_SLACK = 1
#: How often a process that stopped accepting checks whether it should accept again (s).
NUDGE_S = 0.05
#: Database sessions read through a per-process memo dropped by any session change anywhere.
SESSION_ENGINE = "vlrkit.web.sessions"
#: Database connections are kept open this long and reused by the next request of the same
#: worker thread (Django's default opens one per request; on PostgreSQL that is a new backend).
CONN_MAX_AGE_S = 300


def application(db: Path | str | None = None):
    """The WSGI application for ``db`` (SQLite file) or ``VLRKIT_DATABASE_URL``; migrates first."""
    from vlrkit.store import setup

    setup(db)
    from django.conf import settings
    from django.db import connections

    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        settings.SESSION_ENGINE = SESSION_ENGINE  # the same sessions, read through a memo
    for alias in connections:  # persistent connections, checked before reuse
        connections.settings[alias].update(CONN_MAX_AGE=CONN_MAX_AGE_S, CONN_HEALTH_CHECKS=True)
        connections[alias].settings_dict.update(CONN_MAX_AGE=CONN_MAX_AGE_S, CONN_HEALTH_CHECKS=True)
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def default_workers() -> int:
    """``VLRKIT_WEB_WORKERS``, else one process per available core (at most MAX_WORKERS)."""
    if env := os.environ.get("VLRKIT_WEB_WORKERS"):
        return max(1, int(env))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


def default_threads() -> int:
    """``VLRKIT_WEB_THREADS``, else :data:`THREADS`."""
    return max(1, int(os.environ.get("VLRKIT_WEB_THREADS") or THREADS))


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    return sock


def _balance(server, slot: int, counts) -> None:
    """Make the worker processes take turns at accepting connections.

    Browsers keep their connection open and send every request of a visit on it, so a
    connection stays with the process that accepted it.  Left to the kernel, whichever process
    wakes first takes a burst of new connections, and its visitors then wait several times as
    long as the others'.  Here a process listens for new connections only while it holds no
    more than :data:`ACCEPT_SLACK` more than the least loaded one (``counts`` is shared memory
    with one open-socket count per process); a small thread wakes a process that stopped
    listening once it is among the least loaded again.
    """
    import threading
    import time

    plain = server.readable
    listening = [True]

    def fair(mine: int) -> bool:
        return mine <= min(counts) + ACCEPT_SLACK

    def readable() -> bool:
        if not plain():
            return False
        counts[slot] = mine = len(server._map)  # channels, plus the listener and waker of each process
        listening[0] = fair(mine)
        return listening[0]

    def nudge() -> None:
        while True:
            time.sleep(NUDGE_S)
            if not listening[0] and fair(counts[slot]):
                server.pull_trigger()

    server.readable = readable
    threading.Thread(target=nudge, name="vlrkit-accept-balance", daemon=True).start()


def _run(app, sock: socket.socket, threads: int, slot: int = 0, counts=None) -> None:
    from waitress.server import create_server

    logging.basicConfig()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = create_server(
        app, sockets=[sock], threads=threads, backlog=BACKLOG, connection_limit=CONNECTION_LIMIT,
        channel_timeout=CHANNEL_TIMEOUT_S, ident="vlrkit",
        # with trusted proxies, X-Forwarded-* reach Django, whose proxy middleware believes them
        # only from those proxies' addresses and drops them otherwise (vlrkit.web.security.proxy)
        clear_untrusted_proxy_headers=not os.environ.get("VLRKIT_TRUSTED_PROXIES", "").strip(),
    )
    if counts is not None:
        _balance(server, slot, counts)
    server.print_listen("Serving on http://{}:{}")
    server.run()


def default_task_workers() -> int:
    """``VLRKIT_TASK_WORKERS`` (settings), else 1: background jobs run one at a time per worker."""
    from django.conf import settings

    return max(0, int(getattr(settings, "VLRKIT_TASK_WORKERS", 1)))


def serve(db: Path | str | None, host: str = "127.0.0.1", port: int = 8000, *,
          threads: int | None = None, workers: int | None = None, task_workers: int | None = None) -> None:
    """Serve the web application on ``host:port`` with its task workers until interrupted."""
    threads = threads or default_threads()
    app = application(db)
    sock = _listen(host, port)
    workers = workers or default_workers()
    task_workers = default_task_workers() if task_workers is None else task_workers
    if not hasattr(os, "fork"):  # no supervision without fork: run `vlr worker` beside it
        _run(app, sock, threads)
        return
    from vlrkit.web.supervisor import Supervisor

    Supervisor(app, sock, threads, workers, task_workers).run()
