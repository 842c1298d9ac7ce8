"""Run an input through ``vlr`` in a process of its own and tell what became of it.

The hook of the fuzz benchmark (``bench/fuzz_import.py``): a crash must show as an exit status,
not take the benchmark down, and memory and time are measured per input.

- :func:`probe_file` — one input through ``vlr validate --json`` (or any ``vlr`` arguments with
  :func:`run_cli`) in a fresh subprocess: peak RSS from the kernel's accounting of that child
  (``wait4``), wall time, and the outcome (:class:`Outcome`).  A web-upload probe returns the same
  :class:`Outcome`, so the benchmark can count both halves alike.
- :func:`run_batch` — many inputs through the same CLI code in worker subprocesses (``python
  bench/_probe.py worker``), cheaper than one interpreter per input: each worker resets its peak
  RSS before each input (Linux ``/proc/self/clear_refs``) and reports it after; a worker killed by
  a signal is counted (``crashed``), the input that killed it named, and a new worker goes on
  with the next input; an input that takes longer than its timeout is killed the same way.

Outcomes: ``answered`` (a report, exit 0 or 1), ``refused`` (the clean one-line user error, exit
2), ``uncaught`` (a traceback), ``crashed`` (killed by a signal), ``timeout``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: ``vlr`` in a child that writes its own peak RSS on exit: the kernel's figure for a child
#: (``ru_maxrss``) also counts the parent's peak before the ``exec``, which would hide the child's.
VLR = [sys.executable, "-c", (
    "import atexit, os\n"
    "def _peak():\n"
    "    with open('/proc/self/status') as fh, open(os.environ['VLRKIT_PROBE_PEAK'], 'w') as out:\n"
    "        out.write(next(l for l in fh if l.startswith('VmHWM:')).split()[1])\n"
    "atexit.register(_peak)\n"
    "from vlrkit.cli.main import run\n"
    "run()\n"
)]
#: Outcomes that mean the input got an answer.
ANSWERED = ("answered", "refused")


@dataclass(frozen=True)
class Outcome:
    """What became of one input: outcome, exit status, peak RSS (MB), wall time (s), detail."""

    name: str
    status: str  # answered | refused | uncaught | crashed | timeout
    returncode: int | None
    rss_mb: float
    seconds: float
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ANSWERED


def _status(returncode: int, stderr: str) -> str:
    if returncode < 0:
        return "crashed"
    if "Traceback (most recent call last)" in stderr:
        return "uncaught"
    if returncode == 2:
        return "refused"
    return "answered" if returncode in (0, 1) else "uncaught"


def run_cli(args: Sequence[str], *, name: str = "", timeout: float = 120.0,
            env: dict[str, str] | None = None) -> Outcome:
    """``vlr ARGS`` in a fresh subprocess; its peak RSS, wall time and outcome."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as peak:
        start = time.perf_counter()
        proc = subprocess.Popen([*VLR, *args], stdout=out, stderr=err, cwd=ROOT,
                                env={**os.environ, **(env or {}), "VLRKIT_PROBE_PEAK": peak.name})
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        written = Path(peak.name).read_text().strip()
    # a child killed by a signal wrote nothing: the kernel's figure is all there is
    rss_mb = int(written) / 1024 if written.isdigit() else usage.ru_maxrss / 1024
    state = _status(proc.returncode, stderr)
    if state == "crashed" and seconds >= timeout:
        state = "timeout"
    detail = stderr.strip().splitlines()[-1][:200] if state != "answered" and stderr.strip() else _types(stdout)
    return Outcome(name or " ".join(args), state, proc.returncode, rss_mb, seconds, detail)


def _types(stdout: str) -> str:
    """The problem types of a ``--json`` report, for the benchmark's lines."""
    try:
        report = json.loads(stdout)
    except ValueError:
        return ""
    by_type = report.get("by_type") or report.get("report", {}).get("by_type") or {}
    return ",".join(sorted(by_type))


def probe_file(path: Path | str, *extra: str, timeout: float = 120.0) -> Outcome:
    """One file, folder or zip through ``vlr validate --json`` in a fresh subprocess (the hook)."""
    return run_cli(["validate", "--json", str(path), *extra], name=Path(path).name, timeout=timeout)


# --- many inputs, in workers ------------------------------------------------------------------


def _peak_reset() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker(paths: list[str]) -> None:
    """Run ``vlr validate --json PATH`` in this process for each path (read from stdin lines)."""
    from vlrkit.cli.main import run

    for path in paths:
        print(f"start {path}", flush=True)
        _peak_reset()
        start = time.perf_counter()
        sys.argv = ["vlr", "validate", "--json", path]
        sink = io.StringIO()
        state, detail = "answered", ""
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(io.StringIO()):
                run()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
            state = "refused" if code == 2 else "answered" if code in (0, 1, None) else "uncaught"
        except BaseException as exc:  # noqa: BLE001 - what escapes the CLI is what we count
            state, detail = "uncaught", f"{type(exc).__name__}: {exc}"[:200]
            traceback.print_exc(file=sys.stderr)
        seconds = time.perf_counter() - start
        print("done " + json.dumps({"path": path, "status": state, "rss_mb": round(_peak_mb(), 1),
                                    "seconds": round(seconds, 3), "detail": detail}), flush=True)


def run_batch(paths: Sequence[Path], *, timeout: float = 60.0, per_worker: int = 2_000) -> Iterator[Outcome]:
    """Each path through ``vlr validate --json`` in worker subprocesses (see the module doc)."""
    todo = [str(p) for p in paths]
    while todo:
        chunk, todo = todo[:per_worker], todo[per_worker:]
        proc = subprocess.Popen([sys.executable, __file__, "worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                cwd=ROOT, text=True)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("\n".join(chunk) + "\n")
        proc.stdin.close()
        done: set[str] = set()
        current, started = "", time.perf_counter()
        buffer = ""
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], 1.0)
            if current and time.perf_counter() - started > timeout:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                done.add(current)
                yield Outcome(Path(current).name, "timeout", None, 0.0, time.perf_counter() - started)
                break
            if not ready:
                continue
            line = proc.stdout.readline()
            if not line:  # the worker ended: finished, or killed by a signal
                proc.wait()
                if current and current not in done:
                    done.add(current)
                    yield Outcome(Path(current).name, "crashed", proc.returncode, 0.0,
                                  time.perf_counter() - started, f"worker exit {proc.returncode}")
                break
            buffer = line.rstrip("\n")
            if buffer.startswith("start "):
                current, started = buffer[6:], time.perf_counter()
            elif buffer.startswith("done "):
                rec = json.loads(buffer[5:])
                done.add(rec["path"])
                current = ""
                yield Outcome(Path(rec["path"]).name, rec["status"], None, rec["rss_mb"], rec["seconds"], rec["detail"])
        if not done:
            raise RuntimeError(f"a worker ended before its first input (exit {proc.returncode})")
        # inputs the worker did not reach go to the next one
        todo = [p for p in chunk if p not in done] + todo


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        _worker([line.strip() for line in sys.stdin if line.strip()])
