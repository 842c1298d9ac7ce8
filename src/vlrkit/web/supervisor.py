"""Keep ``vlr serve``'s processes alive: the web workers and the task workers.

The supervisor is the process ``vlr serve`` starts in.  It forks :data:`web` worker processes
(each runs waitress on the shared listening socket, :mod:`vlrkit.web.server`) and task worker
processes (each runs :func:`vlrkit.web.jobs.worker.run_worker`), then waits.  When a process
dies — a crash, the kernel's out-of-memory killer, ``kill -9`` — it starts a new one in its
place; if it was a task worker, the job it was running is marked failed first
(:func:`vlrkit.web.jobs.runner.reap`).  A process that dies again soon after its start is
restarted after a growing pause, so a crash loop does not spin.  SIGTERM or SIGINT stops every
process (a running job is interrupted and marked so) and then the supervisor itself.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

#: Open-socket count of a web worker that has exited (never the least loaded).
GONE = 2**31 - 1
#: A process that dies sooner than this after it started counts as failing to start (s).
MIN_LIFE_S = 5.0
#: The pause before restarting a process that keeps failing to start doubles up to this (s).
MAX_BACKOFF_S = 30.0
#: How long stopping processes get to finish before they are killed (s).
STOP_GRACE_S = 10.0


@dataclass
class Child:
    kind: str  # "web" | "tasks"
    slot: int
    worker_id: str = ""
    started: float = field(default_factory=time.monotonic)

    def name(self) -> str:
        return f"{'web' if self.kind == 'web' else 'task'} worker {self.slot + 1}"


def describe(status: int) -> str:
    """How a process ended, in words: ``killed by SIGKILL``, ``exit status 1``."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(sig).name}"
        except ValueError:
            return f"killed by signal {sig}"
    return f"exit status {os.WEXITSTATUS(status)}" if os.WIFEXITED(status) else f"status {status}"


def say(text: str) -> None:
    print(f"vlrkit: {text}", file=sys.stderr, flush=True)


class Supervisor:
    """Start, watch and restart the web and task worker processes of one ``vlr serve``."""

    def __init__(self, app, sock, threads: int, web: int, tasks: int) -> None:
        from multiprocessing.sharedctypes import RawArray

        self.app, self.sock, self.threads = app, sock, threads
        self.web, self.tasks = web, tasks
        self.counts = RawArray("i", max(1, web))  # open sockets per web process, shared after fork
        self.children: dict[int, Child] = {}
        self.quick_deaths: dict[tuple[str, int], int] = {}

    # --- starting ---------------------------------------------------------------------------

    def _fork(self, child: Child, target: Callable[[], None]) -> None:
        from django.db import connections

        connections.close_all()  # each process opens its own
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                target()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
            except BaseException:  # noqa: BLE001 - a dying child says why, then ends
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        child.started = time.monotonic()
        self.children[pid] = child

    def start_web(self, slot: int) -> None:
        from vlrkit.web.server import _run

        self.counts[slot] = 0
        self._fork(Child("web", slot), lambda: _run(self.app, self.sock, self.threads, slot, self.counts))

    def start_tasks(self, slot: int) -> None:
        from vlrkit.web.jobs.worker import new_id, run_worker

        worker_id = new_id(f"serve{slot + 1}")
        self._fork(Child("tasks", slot, worker_id), lambda: run_worker(worker_id))

    def start(self, child: Child) -> None:
        (self.start_web if child.kind == "web" else self.start_tasks)(child.slot)

    # --- watching ---------------------------------------------------------------------------

    def died(self, child: Child, status: int) -> None:
        """One process ended: clean up after it and start another in its place."""
        why = describe(status)
        if child.kind == "web":
            self.counts[child.slot] = GONE  # the others must not wait for a process that died
        else:
            try:
                from vlrkit.web.jobs.runner import reap

                if n := reap(child.worker_id, why):
                    say(f"{child.name()}: {n} running job(s) marked failed")
            except Exception:  # noqa: BLE001 - the supervisor must outlive a database hiccup
                traceback.print_exc()
        key = (child.kind, child.slot)
        quick = time.monotonic() - child.started < MIN_LIFE_S
        self.quick_deaths[key] = self.quick_deaths.get(key, 0) + 1 if quick else 0
        pause = min(MAX_BACKOFF_S, 0.5 * 2 ** self.quick_deaths[key]) if quick else 0.0
        say(f"{child.name()} stopped ({why}); starting a new one" + (f" in {pause:.0f} s" if pause >= 1 else ""))
        time.sleep(pause)
        self.start(child)

    def run(self) -> None:
        """Start everything and keep it running until SIGTERM or SIGINT."""

        def stop(signum, _frame):
            raise SystemExit(0 if signum == signal.SIGINT else 128 + signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            for slot in range(self.web):
                self.start_web(slot)
            for slot in range(self.tasks):
                self.start_tasks(slot)
            while self.children:
                pid, status = os.wait()
                child = self.children.pop(pid, None)
                if child is not None:
                    self.died(child, status)
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            self.stop_all()

    def stop_all(self) -> None:
        """SIGTERM to every process; SIGKILL to those still there after :data:`STOP_GRACE_S`."""
        for pid in self.children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_GRACE_S
        while self.children and time.monotonic() < deadline:
            for pid in list(self.children):
                try:
                    done, _status = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done = pid
                if done:
                    self.children.pop(pid, None)
            time.sleep(0.05)
        for pid in self.children:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self.children.clear()
