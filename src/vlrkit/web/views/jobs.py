"""A background job's page: its progress (a bar that ``jobs.js`` keeps current without
reloading; without JavaScript the page refreshes itself), then its result or why it failed.

Who may see a job: the person who started it, and the edition's coordinators and admins.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from vlrkit.web import roles as r
from vlrkit.web.editions import EditionKey
from vlrkit.web.views._common import edition_obj


def _job(request: HttpRequest, edition: EditionKey, pk: int):
    from vlrkit.web.jobs.models import Job
    from vlrkit.web.models import of_edition

    edition_obj(edition)
    job = get_object_or_404(of_edition(Job, edition), pk=pk)  # never another entity's job
    if job.user_id != request.user.id and not r.roles_of(request.user, edition) & r.LEADS:
        raise Http404("job")  # not even whether it exists
    return job


def _next(job) -> str:
    """Where the user goes once the job is done (empty: the job page shows the result)."""
    if job.status != "done":
        return ""
    if job.kind == "validate":
        return reverse("web:import_report", kwargs={"edition": job.key, "pk": job.params["upload"]})
    if job.kind == "import":
        return reverse("web:dashboard", kwargs={"edition": job.key})
    if job.kind == "align":
        return reverse("web:alignment", kwargs={"edition": job.key}) + f"?job={job.pk}"
    return ""


def _status_label(status: str) -> str:
    return {"queued": _("Waiting for a worker"), "running": _("Running"), "done": _("Done"),
            "failed": _("Failed")}.get(status, status)


def state(job) -> dict:
    """What the page and its script show: status, step k of n, label, error, where to go next."""
    return {
        "status": job.status, "status_label": _status_label(job.status), "step": job.step, "steps": job.steps, "percent": job.percent,
        "label": job.label_text(), "error": job.error_text() if job.status == "failed" else "",
        "next": _next(job), "active": job.active,
    }


@never_cache
def job(request: HttpRequest, edition: EditionKey, pk: int) -> HttpResponse:
    j = _job(request, edition, pk)
    return render(request, "web/job.html", {
        "job": j, "state": state(j),
        "status_url": reverse("web:job_status", kwargs={"edition": edition, "pk": j.pk}),
        "files": j.result.get("files", []) if j.status == "done" else [],
    })


@never_cache
def job_status(request: HttpRequest, edition: EditionKey, pk: int) -> HttpResponse:
    return JsonResponse(state(_job(request, edition, pk)))
