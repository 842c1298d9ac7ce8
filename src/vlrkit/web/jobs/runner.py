"""Start jobs, run each as a task within its limits, record progress and outcome, and mark the
jobs of a worker that died as failed.

A view calls :func:`start`; the worker claims the task and calls the task's body, which is
:func:`execute`; the work calls :func:`progress`.  The worker's process is the only writer of a
job's final state; the job's child process writes only its progress.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from vlrkit.web.editions import EditionKey
from vlrkit.web.jobs import limits
from vlrkit.web.jobs.models import ACTIVE, DONE, FAILED, QUEUED, RUNNING, Job

log = logging.getLogger("vlrkit.jobs")

#: A running job whose worker has not sent a heartbeat for this long is marked failed (s).
STALE_S = 60.0

Work = Callable[[Job], dict]


class JobFailed(Exception):
    """Raised by a task whose job failed, so that django-tasks records the task as failed too."""


class WorkerDied(Exception):
    """Recorded as the error of a task whose worker died while it ran."""


def start(kind: str, key: EditionKey, user: Any, *, task: Any = None, **params: Any) -> Job:
    """Create a job of ``kind`` on edition ``key`` and queue its task (``task`` defaults to the
    kind's own)."""
    if task is None:
        from vlrkit.web.jobs.tasks import KINDS

        task = KINDS[kind].task
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, entity=key.entity, edition=key.code, user=user if getattr(user, "is_authenticated", False) else None,
            lang=translation.get_language() or "en", params=params,
        )
        result = task.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


def active(kind: str, key: EditionKey, **params: Any) -> Job | None:
    """A queued or running job of ``kind`` for edition ``key`` (and these params), if any."""
    for job in Job.objects.filter(kind=kind, entity=key.entity, edition=key.code, status__in=ACTIVE):
        if all(job.params.get(k) == v for k, v in params.items()):
            return job
    return None


def progress(job: Job, step: int, steps: int, text: str, **params: Any) -> None:
    """Record that ``job`` has done ``step`` of ``steps``; ``text`` is a msgid (gettext_noop)."""
    label = {"text": text, "params": {k: str(v) for k, v in params.items()}}
    Job.objects.filter(pk=job.pk).update(step=min(step, steps), steps=steps, label=label)


def execute(context: Any, job_id: int, work: Work) -> dict:
    """The body of every job's task: run ``work(job)`` in a child process within the limits of
    the job's kind and record how it ended.  Raises :class:`JobFailed` when the job failed."""
    worker = (context.task_result.worker_ids or [""])[-1][:64] if context is not None else ""
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, status=QUEUED).update(
            status=RUNNING, started=now, heartbeat=now, worker=worker):
        return {"skipped": True}  # no such job, or it was already run or marked failed
    job = Job.objects.select_related("user").get(pk=job_id)

    def child() -> dict:
        with translation.override(job.lang):
            return work(job)

    def heartbeat() -> None:
        Job.objects.filter(pk=job_id).update(heartbeat=timezone.now())

    outcome = limits.run(child, limits.for_kind(job.kind), heartbeat=heartbeat)
    fields: dict[str, Any] = {"finished": timezone.now(), "peak_mb": outcome.peak_mb}
    if outcome.ok:
        Job.objects.filter(pk=job_id).update(status=DONE, result=outcome.result, **fields)
        return outcome.result
    Job.objects.filter(pk=job_id).update(status=FAILED, error=outcome.error, **fields)
    _clean_up(job)
    with translation.override("en"):
        from vlrkit.web.jobs.models import say

        raise JobFailed(say(outcome.error))


def _clean_up(job: Job) -> None:
    """Run the clean-up of the job's kind after it failed (e.g. an upload that was not validated)."""
    from vlrkit.web.jobs.tasks import KINDS

    kind = KINDS.get(job.kind)
    if kind is None or kind.on_failure is None:
        return
    try:
        kind.on_failure(job)
    except Exception:  # noqa: BLE001 - a clean-up that fails must not take the worker down
        log.exception("clean-up after job %s failed", job.pk)


def fail(job: Job, text: str, **params: Any) -> None:
    """Mark ``job`` (and its task) failed with the message ``text`` (a msgid)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    error = {"text": text, "params": {k: str(v) for k, v in params.items()}}
    if not Job.objects.filter(pk=job.pk, status__in=ACTIVE).update(
            status=FAILED, error=error, finished=timezone.now()):
        return
    if job.task_id:
        for task in DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING):
            task.set_failed(WorkerDied(text % params if params else text))
    _clean_up(job)


def reap(worker_id: str, why: str = "") -> int:
    """Mark failed every job that worker ``worker_id`` was running (it died); returns how many."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    text = gettext_noop("The worker running this job stopped (%(why)s) before the job finished. "
                        "Start it again.")
    jobs = list(Job.objects.filter(status=RUNNING, worker=worker_id))
    claimed = [t.id for t in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
               if t.worker_ids and t.worker_ids[-1] == worker_id]
    jobs += list(Job.objects.filter(status=QUEUED, task_id__in=[str(i) for i in claimed]))
    for job in jobs:
        fail(job, text, why=why or "?")
    for task in DBTaskResult.objects.filter(id__in=claimed, status=TaskResultStatus.RUNNING):
        task.set_failed(WorkerDied(f"worker {worker_id} stopped ({why})"))
    return len(jobs)


def reap_stale() -> int:
    """Mark failed the running jobs whose worker has sent no heartbeat for :data:`STALE_S`."""
    cutoff = timezone.now() - timedelta(seconds=STALE_S)
    text = gettext_noop("The worker running this job stopped answering (%(why)s) before the job "
                        "finished. Start it again.")
    stale = list(Job.objects.filter(status=RUNNING, heartbeat__lt=cutoff))
    for job in stale:
        fail(job, text, why=f"no heartbeat for {int(STALE_S)} s")
    return len(stale)


def drain() -> int:
    """Run every queued job in this process, without a child process or limits (tests)."""
    from vlrkit.web.jobs.worker import JobWorker

    limits.INLINE.on = True
    try:
        worker = JobWorker("inline", batch=True, recycle_connections=False)
        worker.run()
        return worker.ran
    finally:
        limits.INLINE.on = False
