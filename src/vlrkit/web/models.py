"""Web-only state: who holds which role, data providers' assignments, the publish workflow's
records and the moderation of contributions.

The review itself lives in :mod:`vlrkit.store.models`; these tables refer to it by codes
(entity and edition code, indicator code, contribution code), so they never block the store's
migrations and survive an edition replaced by a re-import.  An edition is always named by its
entity *and* its code (two entities may use the same edition code); see
:mod:`vlrkit.web.editions` and :func:`vlrkit.web.roles.holds` for what an empty code means.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vlrkit.web.editions import EditionKey
from vlrkit.web.roles import ROLES

ROLE_CHOICES = [
    ("admin", _("Administrator")),
    ("coordinator", _("Coordinator")),
    ("editor", _("Editor")),
    ("data_provider", _("Data provider")),
    ("stakeholder", _("Stakeholder")),
    ("reader", _("Reader")),
]
assert tuple(code for code, _label in ROLE_CHOICES) == ROLES


def _scope(entity: str, edition: str) -> str:
    if not entity:
        return f"? {edition}" if edition else "*"
    return f"{entity}/{edition or '*'}"


class Membership(models.Model):
    """``user`` holds ``role`` in ``entity``'s ``edition`` (an empty edition: every edition of
    the entity; both empty: every entity).  An edition without an entity grants nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    entity = models.CharField(max_length=64, blank=True, default="", db_index=True)
    edition = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "entity", "edition"], name="web_membership_scope_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {_scope(self.entity, self.edition)}"


class AssignmentQuerySet(models.QuerySet):
    def for_user(self, user, key: EditionKey) -> AssignmentQuerySet:
        """The user's assignments that hold in edition ``key`` (:func:`vlrkit.web.roles.holds`)."""
        return self.filter(user=user).filter(
            Q(entity="", edition="") | Q(entity=key.entity, edition="") | Q(entity=key.entity, edition=key.code)
        )

    def in_edition(self, key: EditionKey) -> AssignmentQuerySet:
        return self.filter(entity=key.entity, edition=key.code)

    def covers(self, indicator: str, goal: int) -> bool:
        """Whether one of these assignments covers the indicator (by its code or its goal)."""
        return self.filter(Q(indicator=indicator) | Q(goal=goal)).exists()

    def goals(self) -> set[int]:
        return {a.goal for a in self if a.goal}

    def indicators(self) -> set[str]:
        return {a.indicator for a in self if a.indicator}


class Assignment(models.Model):
    """A data provider's responsibility: one local indicator, or every indicator of one goal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    entity = models.CharField(max_length=64, blank=True, default="")
    edition = models.CharField(max_length=64, blank=True, default="")
    goal = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator = models.CharField(max_length=64, blank=True, default="")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False) | ~Q(indicator=""), name="web_assignment_goal_or_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.indicator or f'goal {self.goal}'} {_scope(self.entity, self.edition)}"


class WorkflowEvent(models.Model):
    """One step of an edition's publish workflow: who moved it from which status to which."""

    entity = models.CharField(max_length=64, default="")
    edition = models.CharField(max_length=64, db_index=True)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]


class Moderation(models.Model):
    """A coordinator's decision on a stakeholder contribution before it reaches the annex."""

    entity = models.CharField(max_length=64, default="")
    edition = models.CharField(max_length=64, db_index=True)
    contribution = models.CharField(max_length=64)
    decision = models.CharField(max_length=20)  # accepted | rejected
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]


class Upload(models.Model):
    """A file uploaded for import: validated, shown to the user, then imported or discarded.

    The file stays in the uploads folder until it is imported or discarded; ``report`` keeps the
    validation report (``Report.to_dict()`` plus the problem rows' original cells)."""

    entity = models.CharField(max_length=64, default="")
    edition = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=255)
    path = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, default="pending")  # pending | imported | discarded
    report = models.JSONField(default=dict)
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created", "-id"]


def of_edition(model: type[models.Model], key: EditionKey) -> models.QuerySet:
    """The records of ``model`` (workflow events, moderations, uploads, jobs) of edition ``key``."""
    return model.objects.filter(entity=key.entity, edition=key.code)


from vlrkit.web.jobs.models import Job  # noqa: E402,F401 - background jobs (their own module)
