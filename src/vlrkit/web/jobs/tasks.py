"""The tasks of the web application's long jobs, and what each kind of job does.

Each task takes the id of a :class:`~vlrkit.web.jobs.models.Job` and runs the work of its
kind through :func:`vlrkit.web.jobs.runner.execute` (a child process within the kind's limits).
:data:`KINDS` names every kind: its task, its work and the clean-up after a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.utils.translation import gettext_noop
from django_tasks import task

from vlrkit.web.jobs import runner
from vlrkit.web.jobs.limits import JobError
from vlrkit.web.jobs.models import Job


def _upload(job: Job):
    from vlrkit.web.models import Upload

    return Upload.objects.select_related("user").get(
        pk=job.params["upload"], entity=job.entity, edition=job.edition)


# --- publish an approved edition -------------------------------------------------------------

def publish_work(job: Job) -> dict:
    from vlrkit.web import publishing

    try:
        return publishing.publish(job.key, job.user, job.params.get("note", ""),
                                  progress=partial(runner.progress, job))
    except publishing.PublishError as exc:
        raise JobError(gettext_noop("Publishing failed: %(why)s"), why=exc) from exc


@task(takes_context=True)
def publish(context, job_id: int) -> dict:
    """Render every format of an approved edition, then mark it published."""
    return runner.execute(context, job_id, publish_work)


# --- validate an upload, import it ------------------------------------------------------------

def validate_work(job: Job) -> dict:
    from vlrkit.web import uploads

    return uploads.validate(_upload(job), partial(runner.progress, job))


def validate_failed(job: Job) -> None:
    from vlrkit.web import uploads

    up = _upload(job)
    if up.status == uploads.VALIDATING:
        uploads.discard_file(up, uploads.FAILED)


@task(takes_context=True)
def validate(context, job_id: int) -> dict:
    """Read and validate an uploaded file; the report is kept on the upload."""
    return runner.execute(context, job_id, validate_work)


def import_work(job: Job) -> dict:
    from vlrkit.web import uploads

    return uploads.store(_upload(job), job.user, partial(runner.progress, job))


def import_failed(job: Job) -> None:
    from vlrkit.web import uploads

    up = _upload(job)
    if up.status == uploads.IMPORTING:  # nothing was stored (all or nothing): the report stands
        up.status = uploads.PENDING
        up.save(update_fields=["status"])


@task(takes_context=True)
def import_upload(context, job_id: int) -> dict:
    """Import a validated upload, all or nothing."""
    return runner.execute(context, job_id, import_work)


# --- map a plan or budget to the goals --------------------------------------------------------

def align_work(job: Job) -> dict:
    from pathlib import Path

    from vlrkit.web import uploads

    return uploads.store_plan(job.key, Path(job.params["path"]), job.params["name"])


def align_failed(job: Job) -> None:
    import shutil
    from pathlib import Path

    shutil.rmtree(Path(job.params["path"]).parent, ignore_errors=True)


@task(takes_context=True)
def align_upload(context, job_id: int) -> dict:
    """Read a plan or budget file, map it to the goals and store the mapping."""
    return runner.execute(context, job_id, align_work)


@dataclass(frozen=True)
class Kind:
    """One kind of job: its task and the clean-up after it failed (run in the worker)."""

    task: Any
    on_failure: Callable[[Job], None] | None = None


KINDS: dict[str, Kind] = {
    "publish": Kind(publish),
    "validate": Kind(validate, validate_failed),
    "import": Kind(import_upload, import_failed),
    "align": Kind(align_upload, align_failed),
}
