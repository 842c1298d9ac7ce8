"""The :class:`Job` table: what a page shows about a background job while it runs and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

#: Job statuses, in order.
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)


def say(message: dict | None) -> str:
    """A stored message (``{"text": msgid, "params": {...}}``) in the current language."""
    if not message:
        return ""
    text = _(message.get("text", ""))
    params = message.get("params") or {}
    return text % params if params else text


class Job(models.Model):
    """One background job: which task, for whom, how far it got and how it ended."""

    kind = models.CharField(max_length=20)  # publish | validate | import | …
    #: the edition the job works on: its entity's code and its own (see ``vlrkit.web.editions``)
    entity = models.CharField(max_length=64, default="")
    edition = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    #: the language of the page that started it (messages of the work are written in it)
    lang = models.CharField(max_length=12, default="en")
    params = models.JSONField(default=dict)
    #: the id of the django-tasks result row (``django_tasks_db.DBTaskResult``)
    task_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    status = models.CharField(max_length=10, default=QUEUED)
    step = models.PositiveIntegerField(default=0)
    steps = models.PositiveIntegerField(default=0)
    label = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    error = models.JSONField(default=dict)
    worker = models.CharField(max_length=64, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True)
    finished = models.DateTimeField(null=True)
    heartbeat = models.DateTimeField(null=True)
    #: the peak resident memory of the job's process (MB), once it ended
    peak_mb = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "kind"], name="web_job_status_kind")]

    def __str__(self) -> str:
        return f"job {self.pk} {self.kind} {self.entity}/{self.edition} {self.status}"

    @property
    def key(self):
        """The :class:`~vlrkit.web.editions.EditionKey` of the job's edition."""
        from vlrkit.web.editions import EditionKey

        return EditionKey(self.entity, self.edition)

    @property
    def finished_ok(self) -> bool:
        return self.status == DONE

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        if self.status == DONE:
            return 100
        return int(100 * self.step / self.steps) if self.steps else 0

    def label_text(self) -> str:
        return say(self.label)

    def error_text(self) -> str:
        return say(self.error)
