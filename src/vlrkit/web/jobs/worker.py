"""The task worker: claims queued tasks from the database one at a time and runs them.

Claiming a task and recording its result is django-tasks-db's (:class:`Worker`); this loop adds
what a long-running service needs: it marks failed the jobs of workers that stopped answering
(:func:`vlrkit.web.jobs.runner.reap_stale`), and on SIGTERM/SIGINT it stops the running job's
child process at once (the job fails as "interrupted") instead of waiting for it to finish.
``vlr serve`` runs this in processes it restarts when they die; ``vlr worker`` runs it alone.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from types import FrameType

from django.db import OperationalError, close_old_connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from vlrkit.web.jobs import limits, runner

log = logging.getLogger("vlrkit.jobs")

#: How long an idle worker waits before it looks for a new task again (s).
POLL_S = 0.5
#: How often a worker looks for jobs of workers that stopped answering (s).
REAP_S = 30.0
QUEUE = "default"
BACKEND = "default"
#: Imported before the first job so that each job's child process starts with them loaded.
PRELOAD = ("polars", "vlrkit.ingest", "vlrkit.report", "vlrkit.store.imports", "vlrkit.web.jobs.tasks")


def new_id(name: str = "worker") -> str:
    """A worker id unique across hosts and restarts (django-tasks-db allows 64 characters)."""
    return f"{socket.gethostname()[:30]}:{name}:{os.getpid()}:{os.urandom(3).hex()}"[:64]


class JobWorker(Worker):
    """django-tasks-db's worker with the stop and reaping behaviour of a supervised service."""

    def __init__(self, worker_id: str, *, batch: bool = False, interval: float = POLL_S,
                 max_tasks: int | None = None, recycle_connections: bool = True) -> None:
        super().__init__(queue_names=[QUEUE], interval=interval, batch=batch, backend_name=BACKEND,
                         startup_delay=False, max_tasks=max_tasks, worker_id=worker_id,
                         excluded_queue_names=[])
        #: close stale database connections between tasks (not inside a test's transaction)
        self.recycle = recycle_connections

    @property
    def ran(self) -> int:
        return self._run_tasks

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        log.warning("worker %s: %s, stopping", self.worker_id, signal.strsignal(signum))
        self.running = False
        limits.STOP.set()  # the running job's child is killed; its job fails as interrupted
        if not self.running_task:
            raise SystemExit(0)

    def claim(self) -> DBTaskResult | None:
        """The next ready task, marked as running by this worker; ``None`` if there is none."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name, queue_name__in=self.queue_names)
        if not tasks.exists():  # a plain read first: on SQLite the claim below locks out readers
            return None
        try:
            with exclusive_transaction(tasks.db):
                task = tasks.get_locked()
                if task is not None:
                    task.claim(self.worker_id)
                return task
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None  # SQLite busy: try again on the next round
            raise

    def run(self) -> None:
        log.info("worker %s: started", self.worker_id)
        runner.reap(self.worker_id, "restarted")  # a worker restarted under the same id
        reaped_at = 0.0
        while self.running:
            if self.recycle:
                close_old_connections()
            if time.monotonic() - reaped_at >= REAP_S:
                runner.reap_stale()
                reaped_at = time.monotonic()
            task = self.claim()
            if task is not None:
                self.run_task(task)
            elif self.batch:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.recycle:
                close_old_connections()
            if self.running and task is None:
                time.sleep(self.interval)


def run_worker(worker_id: str | None = None, *, preload: bool = True) -> None:
    """Run a worker until SIGTERM or SIGINT (the process's Django must be set up)."""
    import importlib

    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for name in ("vlrkit.jobs", "django_tasks", "django_tasks_db"):  # the rest (weasyprint…): warnings
        logging.getLogger(name).setLevel(logging.INFO)
    limits.STOP.clear()
    if preload:
        for name in PRELOAD:
            importlib.import_module(name)
    worker = JobWorker(worker_id or new_id())
    worker.configure_signals()
    try:
        worker.run()
    except SystemExit:
        pass
    log.info("worker %s: stopped", worker.worker_id)
