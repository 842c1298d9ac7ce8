"""Test tasks that exercise the job machinery: steps with progress, too much memory, too much
time, a crash.  Queued by the tests, run by a real worker (which
imports this module by its name, ``tests.web.job_probes``)."""

from __future__ import annotations

import ctypes
import os
import time

from django.utils.translation import gettext_noop
from django_tasks import task

from vlrkit.web.jobs import runner


def probe_work(job) -> dict:
    p = job.params
    steps = int(p.get("steps", 3))
    for k in range(1, steps + 1):
        time.sleep(float(p.get("pause", 0)))
        runner.progress(job, k, steps, gettext_noop("Reading and validating %(name)s"), name=f"part {k}")
    if p.get("allocate") == "python":
        hog = bytearray(int(p["mb"]) << 20)  # zero-filled: the memory is touched
        return {"allocated": len(hog)}
    if p.get("allocate") == "polars":
        import polars as pl

        frame = pl.DataFrame({"x": range(int(p["mb"]) << 17)})  # 8 bytes a row
        return {"rows": frame.height}
    if p.get("hang"):
        time.sleep(3600)
    if p.get("crash"):
        ctypes.string_at(0)  # a segmentation fault, as a native parser's stack overflow
    return {"pid": os.getpid(), "worker": os.getppid()}


@task(takes_context=True)
def probe(context, job_id: int) -> dict:
    return runner.execute(context, job_id, probe_work)
