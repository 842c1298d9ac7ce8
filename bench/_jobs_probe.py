"""Send inputs through the web's way in: upload records validated by background jobs.

The web half of the fuzz benchmark (``bench/fuzz_import.py``).  Each input becomes an
:class:`~vlrkit.web.models.Upload` (in a folder of its own, as a real upload is: a failed
validation removes the upload's folder) whose validation is queued with
:func:`vlrkit.web.jobs.runner.start` — exactly what the data page does after a file is
posted — and a real ``vlr worker`` process runs the jobs, each in a child process within the
job limits (``docs/jobs.md``: private memory, wall time).  A job's end is read back from its row
and given as the same :class:`_probe.Outcome` as a command-line run:

- ``done`` → ``answered`` (the report is on the upload);
- failed with "… could not be read: …" → ``refused`` (the clean message the user sees for a
  source that is refused as a whole, e.g. a zip bomb);
- failed with "The job failed: …" (an exception escaped the work) → ``uncaught``;
- over its memory or time limit, its process crashed or ended without a result, its worker
  stopped → ``crashed`` (``timeout`` for the time limit).

The peak memory is the job's child's (``Job.peak_mb``), the time the job's (started → finished).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from _probe import ROOT, Outcome, run_cli

ENTITY = "bench"
EDITION = "2024"
#: How long the whole web half may take before the jobs left are counted as timed out (s).
WAIT_S = 3 * 3600


def _classify(error: dict) -> str:
    text = str((error or {}).get("text", ""))
    if "could not be read" in text:
        return "refused"
    if text.startswith("The job failed:"):
        return "uncaught"
    if "time limit" in text:
        return "timeout"
    return "crashed"


def run_uploads(inputs: Sequence[tuple[str, Path]], root: Path, *, time_limit_s: float = 120.0,
                memory_mb: int = 2048) -> list[Outcome]:
    """Each (name, path) validated as a web upload by a ``vlr worker`` (see the module doc).

    The inputs are moved into the uploads folder under ``root`` (a failed validation deletes its
    upload's folder)."""
    db = root / "web.sqlite3"
    init = run_cli(["init", "--db", str(db), "--entity", ENTITY, "--name-en", "Bench", "--edition", EDITION,
                    "--period", "2000-2024"])
    if not init.ok:
        raise RuntimeError(f"vlr init failed: {init}")
    from vlrkit.cli.common import open_store

    open_store(db)
    from vlrkit.web import accounts, uploads
    from vlrkit.web.editions import EditionKey
    from vlrkit.web.jobs import runner
    from vlrkit.web.jobs.models import ACTIVE, DONE, Job
    from vlrkit.web.models import Upload

    key = EditionKey(ENTITY, EDITION)
    user = accounts.add_user("fuzz", secrets.token_urlsafe(24), roles=["coordinator"], entity=ENTITY,
                             edition=EDITION, check_password=False)
    jobs: dict[int, str] = {}
    for n, (name, path) in enumerate(inputs):
        folder = root / "uploads" / f"{n:05d}"
        folder.mkdir(parents=True)
        target = folder / path.name
        shutil.move(str(path), target)
        up = Upload.objects.create(entity=ENTITY, edition=EDITION, user=user, name=path.name, path=str(target),
                                   status=uploads.VALIDATING)
        jobs[runner.start("validate", key, user, upload=up.pk).pk] = name
    env = {**os.environ, "VLRKIT_JOB_TIME_VALIDATE_S": str(int(time_limit_s)),
           "VLRKIT_JOB_MEMORY_MB": str(memory_mb), "VLRKIT_PUBLISH_DIR": str(root / "published")}
    log = (root / "worker.log").open("w")
    worker = subprocess.Popen([sys.executable, "-m", "vlrkit.cli.main", "worker", "--db", str(db)], env=env,
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + WAIT_S
    try:
        while Job.objects.filter(pk__in=jobs, status__in=ACTIVE).exists() and time.monotonic() < deadline:
            if worker.poll() is not None:
                raise RuntimeError(f"vlr worker ended (exit {worker.returncode}); see {root / 'worker.log'}")
            time.sleep(2.0)
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        log.close()
    out: list[Outcome] = []
    for job in Job.objects.filter(pk__in=jobs).order_by("pk"):
        seconds = (job.finished - job.started).total_seconds() if job.finished and job.started else 0.0
        if job.status == DONE:
            status, detail = "answered", ""
        elif job.status in ACTIVE:
            status, detail = "timeout", "not finished when the benchmark stopped waiting"
        else:
            status, detail = _classify(job.error), job.error_text()[:200]
        out.append(Outcome("web:" + jobs[job.pk], status, None, float(job.peak_mb or 0), seconds, detail))
    return out
