"""Django models of a policy alignment, linked to an edition of the review.

``AlignmentDocument`` (a plan, report or budget file) → ``AlignmentPassage`` (a passage or a
budget line, with the classifier's scores and evidence) → ``AlignmentMapping`` (passage × goal,
with its status: proposed by the classifier, or accepted / rejected / added by a person).  The
mappings keep their history (django-simple-history), so every decision shows who took it and
when.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

STATUSES = [("proposed", "proposed"), ("accepted", "accepted"), ("rejected", "rejected"),
            ("added", "added")]


class AlignmentDocument(models.Model):
    edition = models.ForeignKey("store.Edition", on_delete=models.CASCADE,
                                related_name="alignment_documents")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16)  # pdf | docx | text | markdown | html | csv | xlsx
    lang = models.CharField(max_length=16)
    is_budget = models.BooleanField(default=False)
    total = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    digest = models.CharField(max_length=64, blank=True, help_text="sha256 of the extracted text")
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="alignment_document_name")]
        ordering = ["edition", "id"]

    def __str__(self) -> str:
        return self.name


class AlignmentPassage(models.Model):
    document = models.ForeignKey(AlignmentDocument, on_delete=models.CASCADE, related_name="passages")
    index = models.PositiveIntegerField()
    text = models.TextField()
    lang = models.CharField(max_length=16)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    amount = models.FloatField(null=True, blank=True)
    department = models.CharField(max_length=255, blank=True)
    programme = models.CharField(max_length=255, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True)
    goal = models.PositiveSmallIntegerField(null=True, blank=True)
    target = models.CharField(max_length=8, blank=True)
    targets = models.JSONField(default=list)
    scores = models.JSONField(default=dict)  # goal (str) -> calibrated score
    evidence = models.JSONField(default=list)  # [{target, term, signal, weight, target_text}]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "index"], name="alignment_passage_index")]
        ordering = ["document", "index"]


class AlignmentMapping(models.Model):
    passage = models.ForeignKey(AlignmentPassage, on_delete=models.CASCADE, related_name="mappings")
    goal = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(17)])
    score = models.FloatField(default=0.0)
    predicted = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=STATUSES, default="proposed")
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["passage", "goal"], name="alignment_mapping_goal")]
        ordering = ["passage", "goal"]
