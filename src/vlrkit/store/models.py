"""Django models of a review; they mirror the plain dataclasses of :mod:`vlrkit.review.model`.

Every model keeps its full history (django-simple-history): who changed what, when, and the
values before.  Natural keys (codes) are unique per edition, so the review package and imports
can match rows across databases.  Disaggregation dimensions are stored as "" for "total"
(not NULL) so that the unique constraint on observations holds on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from vlrkit import tidy
from vlrkit.review import model as rm
from vlrkit.series import key_hash


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ")) for v in values]


def _new_code() -> str:
    return uuid.uuid4().hex


GOAL = [MinValueValidator(1), MaxValueValidator(17)]

#: Model field names of the coded dimensions, in tidy.DIMENSIONS order.
DIMENSION_FIELDS: tuple[str, ...] = tuple(d.lower() for d in tidy.DIMENSIONS)


class Entity(models.Model):
    code = models.CharField(max_length=64, unique=True)
    names = models.JSONField(default=dict)
    level = models.CharField(max_length=16, choices=_choices(rm.LEVELS), default="city")
    country = models.CharField(max_length=3, blank=True, help_text="ISO 3166-1 alpha-3 or alpha-2")
    population = models.BigIntegerField(null=True, blank=True)
    population_year = models.IntegerField(null=True, blank=True)
    # SDMX REF_AREA the statistics office knows it by (vlrkit.formats.sdmx.sdg); "" = not set
    ref_area = models.CharField(max_length=64, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "entities"

    def __str__(self) -> str:
        return self.names.get("en") or self.code


class Edition(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="editions")
    code = models.CharField(max_length=64)
    year = models.IntegerField()
    period_start = models.IntegerField()
    period_end = models.IntegerField()
    languages = models.JSONField(default=list)
    priority_goals = models.JSONField(default=list)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_editions"
    )
    # The previous edition's code, kept even while that edition is not in this database (an
    # edition imported before its predecessor, or a predecessor replaced): the link above is
    # set again when an edition with this code arrives (queries.save_review).
    previous_code = models.CharField(max_length=64, blank=True, default="")
    title = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=_choices(rm.EDITION_STATUSES), default="draft")
    next_review = models.IntegerField(null=True, blank=True)
    # how the review is assessed (vlrkit.assess): headline method and method edition
    method = models.CharField(max_length=16, default="sdsn")
    method_edition = models.CharField(max_length=64, default="vlrkit")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "code"], name="edition_code")]
        ordering = ["entity", "year", "code"]

    def __str__(self) -> str:
        return f"{self.entity} {self.code}"


class LocalIndicator(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=64)
    names = models.JSONField(default=dict)
    goal = models.PositiveSmallIntegerField(validators=GOAL)
    unit = models.CharField(max_length=128, blank=True)
    direction = models.CharField(max_length=8, choices=_choices(rm.DIRECTIONS), default="unknown")
    source = models.TextField(blank=True)
    custodian = models.CharField(max_length=255, blank=True)
    coverage = models.CharField(max_length=255, blank=True)
    aggregation = models.CharField(max_length=255, blank=True)
    methodology = models.JSONField(default=dict)
    dimensions = models.JSONField(default=list)
    decimals = models.PositiveSmallIntegerField(null=True, blank=True)
    reporting_status = models.CharField(max_length=16, default="complete")
    extra = models.JSONField(default=dict)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="indicator_code")]
        ordering = ["edition", "goal", "code"]

    def __str__(self) -> str:
        return self.code


class SdgLink(models.Model):
    indicator = models.ForeignKey(LocalIndicator, on_delete=models.CASCADE, related_name="links")
    target = models.CharField(max_length=8)
    sdg_indicator = models.CharField(max_length=12, blank=True)
    grade = models.CharField(max_length=12, choices=_choices(rm.GRADES), default="identical")
    reason = models.JSONField(default=dict)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "target", "sdg_indicator"], name="sdg_link_unique"
            )
        ]


class Target(models.Model):
    indicator = models.ForeignKey(LocalIndicator, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=8, choices=_choices(rm.TARGET_KINDS))
    value = models.FloatField()
    year = models.IntegerField()
    baseline_year = models.IntegerField(null=True, blank=True)
    note = models.JSONField(default=dict)
    # the series it is set for (vlrkit.series); "" for the indicator as a whole
    series = models.TextField(blank=True, default="")
    unit = models.TextField(blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "kind", "year", "series", "unit"],
                                    name="target_series_unique")
        ]


class Thresholds(models.Model):
    indicator = models.OneToOneField(
        LocalIndicator, on_delete=models.CASCADE, related_name="thresholds"
    )
    optimum = models.FloatField()
    lower_bound = models.FloatField()
    green = models.FloatField()
    red = models.FloatField()
    #: the yellow threshold, for method editions that publish one (SDSN's city editions);
    #: null: none given (an edition that wants one then says it used the midpoint of red and green)
    yellow = models.FloatField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "thresholds"


class Import(models.Model):
    """One run of ``vlr import`` (or an upload): the provenance of the observations it wrote."""

    code = models.CharField(max_length=64, unique=True, default=_new_code)
    edition = models.ForeignKey(Edition, null=True, on_delete=models.SET_NULL, related_name="imports")
    path = models.TextField()
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, default="running")
    partial = models.BooleanField(default=False)
    counts = models.JSONField(default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )


class Observation(models.Model):
    # no index of its own: the unique key below starts with the indicator and serves lookups
    # by indicator, and one index less makes bulk imports faster
    indicator = models.ForeignKey(
        LocalIndicator, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    period = models.CharField(max_length=80)
    year = models.IntegerField()
    value = models.FloatField(null=True, blank=True)
    # the publisher's unit and series (vlrkit.series), and the uncoded disaggregations
    # (tidy ``breakdown``); ``skey`` is their compact hash (vlrkit.series.key_hash), the part
    # of the unique key that stands for them, so that long names need no long index entries
    unit = models.TextField(blank=True)
    series = models.TextField(blank=True)
    breakdown = models.TextField(blank=True, default="")
    skey = models.CharField(max_length=32, default="")
    sex = models.CharField(max_length=64, blank=True)
    age = models.CharField(max_length=64, blank=True)
    income_wealth_quantile = models.CharField(max_length=64, blank=True)
    disability_status = models.CharField(max_length=64, blank=True)
    migratory_status = models.CharField(max_length=64, blank=True)
    ethnicity = models.CharField(max_length=128, blank=True)
    urbanisation = models.CharField(max_length=64, blank=True)
    education_lev = models.CharField(max_length=128, blank=True)
    activity = models.CharField(max_length=128, blank=True)
    geo = models.CharField(max_length=128, blank=True)
    obs_status = models.CharField(max_length=4, default="A")
    source = models.TextField(blank=True)
    labels = models.JSONField(default=dict)
    import_run = models.ForeignKey(
        Import, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    file = models.TextField(blank=True)
    row = models.IntegerField(null=True, blank=True)
    history = HistoricalRecords()

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - Django's signature
        self.skey = key_hash(self.series, self.unit, self.breakdown)
        super().save(*args, **kwargs)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "skey", *DIMENSION_FIELDS],
                name="observation_series_key",
            )
        ]


class CodeLabel(models.Model):
    """Display names of the codes of an open dimension (districts, ethnic groups…)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="code_labels")
    dimension = models.CharField(max_length=128)  # a tidy dimension, UNIT_MEASURE, SERIES or a breakdown column
    code = models.CharField(max_length=255)
    names = models.JSONField(default=dict)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "dimension", "code"], name="code_label_unique")
        ]


class Narrative(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="narratives")
    section = models.CharField(max_length=16)
    lang = models.CharField(max_length=16)
    text = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "section", "lang"], name="narrative_unique")
        ]


class Stakeholder(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="stakeholders")
    code = models.CharField(max_length=64)
    names = models.JSONField(default=dict)
    kind = models.CharField(max_length=24, choices=_choices(rm.STAKEHOLDER_TYPES))
    groups = models.JSONField(default=list)
    consent = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="stakeholder_code")]

    def __str__(self) -> str:
        return self.names.get("en") or self.code


class Engagement(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="engagements")
    code = models.CharField(max_length=64)
    title = models.JSONField(default=dict)
    date = models.DateField()
    format = models.CharField(max_length=24, default="workshop")
    participants = models.PositiveIntegerField(default=0)
    groups_reached = models.JSONField(default=dict)
    stakeholders = models.ManyToManyField(Stakeholder, blank=True, related_name="engagements")
    goals = models.JSONField(default=list)
    history = HistoricalRecords(m2m_fields=[stakeholders])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="engagement_code")]


class Contribution(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="contributions")
    code = models.CharField(max_length=64)
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.RESTRICT, related_name="contributions"
    )
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    date = models.DateField()
    lang = models.CharField(max_length=16)
    text = models.TextField()
    section = models.CharField(max_length=16, blank=True)
    goals = models.JSONField(default=list)
    status = models.CharField(
        max_length=12, choices=_choices(rm.CONTRIBUTION_STATUSES), default="submitted"
    )
    # The account that sent it through the public form, so a stakeholder can follow their own
    # contributions.  Web state, not review data: never part of the plain review or its package.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="vlr_contributions",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="contribution_code")]


class Action(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(max_length=64)
    title = models.JSONField(default=dict)
    owner = models.CharField(max_length=255)
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=_choices(rm.ACTION_STATUSES), default="planned")
    targets = models.JSONField(default=list)
    indicators = models.ManyToManyField(LocalIndicator, blank=True, related_name="actions")
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="action_code")]
