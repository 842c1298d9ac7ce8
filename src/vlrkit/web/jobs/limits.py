"""Run one job's work in a child process with a memory limit and a wall-clock limit.

The worker process forks a child per job (:func:`run`).  The child

- gets ``RLIMIT_DATA`` = the memory limit: the kernel refuses any allocation of private memory
  beyond it (Python raises ``MemoryError``, Rust and V8 abort), so the limit holds at every
  instant, not only when sampled.  ``RLIMIT_AS`` would not do: the chart renderer's V8 reserves
  tens of GB of address space it never uses;
- dies with its parent (``PR_SET_PDEATHSIG``), so a killed worker leaves no orphan running;
- writes its outcome as one JSON line into a pipe, its progress into the job's row.

The parent waits, sends a heartbeat now and then, kills the child's process group when the time
is up or the worker is stopping, and turns every way the child can end into an
:class:`Outcome` with a translatable message — the worker itself never fails with the job.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

#: How often the parent looks at its child (s).
POLL_S = 0.1
#: How often the parent records that the job is alive (s); see runner.STALE_S.
HEARTBEAT_S = 5.0
#: Exit status of a child that ran out of memory in Python (MemoryError).
EXIT_MEMORY = 3
#: First and last bytes of the child's stderr read to tell why it ended.
STDERR_TAIL = 8192
#: What runtimes print when an allocation beyond the limit fails before they abort.
OOM_MARKERS = (b"memory allocation of", b"MemoryError", b"out of memory", b"Cannot allocate memory")
#: Largest outcome the child may send (bytes): results are links and counts, not data.
MAX_OUTCOME = 4 * 1024 * 1024
PR_SET_PDEATHSIG = 1

#: Set by the worker when it is asked to stop: the running child is killed, the job fails.
STOP = threading.Event()
#: When true (tests: :func:`vlrkit.web.jobs.runner.drain`), work runs in this process, unlimited.
INLINE = threading.local()


class JobError(Exception):
    """The work cannot be done (bad input, edition changed): a translatable message for the page.

    ``JobError(gettext_noop("%(name)s could not be read: %(why)s"), name=…, why=…)``.
    """

    def __init__(self, text: str, **params: Any) -> None:
        super().__init__(text % params if params else text)
        self.message = {"text": text, "params": {k: str(v) for k, v in params.items()}}


@dataclass(frozen=True)
class Limits:
    """A job's memory (bytes of private data) and wall-clock time (seconds)."""

    memory_bytes: int
    time_s: float

    @property
    def memory_mb(self) -> int:
        return self.memory_bytes // (1024 * 1024)


def for_kind(kind: str) -> Limits:
    """The limits of jobs of ``kind`` from the settings (``VLRKIT_JOB_MEMORY_MB``, ``VLRKIT_JOB_TIME_S``)."""
    from django.conf import settings

    times = getattr(settings, "VLRKIT_JOB_TIME_S", {})
    return Limits(int(getattr(settings, "VLRKIT_JOB_MEMORY_MB", 2048)) * 1024 * 1024,
                  float(times.get(kind, times.get("default", 600))))


@dataclass(frozen=True)
class Outcome:
    """How a job's work ended: its result, or the message saying why it did not finish."""

    ok: bool
    result: dict
    error: dict
    peak_mb: int | None = None


def _message(text: str, **params: Any) -> dict:
    return {"text": text, "params": {k: str(v) for k, v in params.items()}}


def failure(exc: BaseException) -> dict:
    """The message for an exception the work raised."""
    if isinstance(exc, JobError):
        return exc.message
    return _message(gettext_noop("The job failed: %(why)s"), why=f"{type(exc).__name__}: {exc}")


def run(work: Callable[[], dict], limits: Limits, *, heartbeat: Callable[[], None] | None = None) -> Outcome:
    """Run ``work()`` in a child process within ``limits``; its return value is the result."""
    if getattr(INLINE, "on", False):
        try:
            return Outcome(True, work() or {}, {})
        except Exception as exc:  # noqa: BLE001 - the work's failure is the job's, not the caller's
            return Outcome(False, {}, failure(exc))
    from django.db import connections

    connections.close_all()  # the child opens its own; sharing a connection across a fork corrupts it
    read_end, write_end = os.pipe()
    err = tempfile.TemporaryFile()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(work, limits, write_end, err.fileno(), parent)
    os.close(write_end)
    try:
        return _wait(pid, read_end, err, limits, heartbeat)
    finally:
        os.close(read_end)
        err.close()


def _child(work: Callable[[], dict], limits: Limits, out: int, err: int, parent: int) -> None:
    code = 0
    try:
        os.setpgid(0, 0)  # its own group: a time-out kills whatever it started too
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
            signal.signal(sig, signal.SIG_DFL)
        _die_with_parent(parent)
        os.dup2(err, 2)
        resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
        try:
            payload = {"ok": True, "result": work() or {}}
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported to the parent as the job's failure
            if not isinstance(exc, JobError):
                traceback.print_exc()  # into the stderr the parent logs
            payload = {"ok": False, "error": failure(exc)}
        data = json.dumps(payload, ensure_ascii=False, default=str).encode()
        if len(data) > MAX_OUTCOME:
            data = json.dumps({"ok": False, "error": _message(gettext_noop(
                "The job's result is too large to keep (%(mb)s MB)."), mb=len(data) >> 20)}).encode()
        view = memoryview(data + b"\n")
        while view:
            view = view[os.write(out, view):]
    except MemoryError:
        code = EXIT_MEMORY
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the worker
        code = 1
    finally:
        os._exit(code)


def _die_with_parent(parent: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's stop still kills the group
        return
    if os.getppid() != parent:  # the parent died before the call took effect
        os._exit(1)


def _memory_kb(pid: int) -> int:
    """The child's private data (``VmData``, kB), what ``RLIMIT_DATA`` counts; 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmData:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _kill(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
            return
        except (ProcessLookupError, PermissionError):
            continue


def _wait(pid: int, pipe: int, err, limits: Limits, heartbeat: Callable[[], None] | None) -> Outcome:
    start = time.monotonic()
    deadline = start + limits.time_s
    beat = start
    buf = bytearray()
    peak_data_kb = 0
    stopped = timed_out = False
    while True:
        ready, _, _ = select.select([pipe], [], [], POLL_S)
        if ready:
            chunk = os.read(pipe, 65536)
            if chunk and len(buf) <= MAX_OUTCOME:
                buf += chunk
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        peak_data_kb = max(peak_data_kb, _memory_kb(pid))
        now = time.monotonic()
        if STOP.is_set():
            stopped = True
            _kill(pid)
        elif now >= deadline:
            timed_out = True
            _kill(pid)
        elif heartbeat is not None and now - beat >= HEARTBEAT_S:
            beat = now
            heartbeat()
    while True:  # what the child wrote just before it ended
        ready, _, _ = select.select([pipe], [], [], 0)
        chunk = os.read(pipe, 65536) if ready else b""
        if not chunk:
            break
        buf += chunk
    _kill(pid)  # anything the child left running in its group
    peak_mb = max(usage.ru_maxrss // 1024, peak_data_kb // 1024) or None
    if timed_out:
        return Outcome(False, {}, _message(gettext_noop(
            "The job took longer than its time limit of %(s)s seconds and was stopped."),
            s=int(limits.time_s)), peak_mb)
    if stopped:
        return Outcome(False, {}, _message(gettext_noop(
            "The job was interrupted because the server stopped; start it again.")), peak_mb)
    size = os.fstat(err.fileno()).st_size
    err.seek(0)
    head = err.read(STDERR_TAIL)  # a runtime's last words come first, then its backtrace
    err.seek(max(0, size - STDERR_TAIL))
    tail = err.read() if size > STDERR_TAIL else b""
    if head:  # the child's own words (a traceback, a runtime's last message), for the worker's log
        sys.stderr.write((head + (b"\n[...]\n" + tail if tail else b"")).decode("utf-8", "replace"))
    tail = head + tail
    if buf.strip():
        try:
            payload = json.loads(bytes(buf).splitlines()[0])
            return Outcome(bool(payload.get("ok")), payload.get("result") or {}, payload.get("error") or {}, peak_mb)
        except (ValueError, IndexError, AttributeError):
            pass
    over = os.WIFEXITED(status) and os.WEXITSTATUS(status) == EXIT_MEMORY
    if over or any(m in tail for m in OOM_MARKERS) or peak_data_kb * 1024 >= 0.95 * limits.memory_bytes:
        return Outcome(False, {}, _message(gettext_noop(
            "The job needed more memory than its limit of %(mb)s MB and was stopped."),
            mb=limits.memory_mb), peak_mb)
    if os.WIFSIGNALED(status):
        return Outcome(False, {}, _message(gettext_noop(
            "The job's process crashed (%(signal)s)."), signal=_signal_name(os.WTERMSIG(status))), peak_mb)
    return Outcome(False, {}, _message(gettext_noop(
        "The job's process ended without a result (exit status %(code)s)."),
        code=os.WEXITSTATUS(status)), peak_mb)


def _signal_name(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"
