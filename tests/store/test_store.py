"""The store: migrations match the models, history is kept, constraints hold, fidelity."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from vlrkit.formats.package import package_files
from vlrkit.store import models as m
from vlrkit.store.queries import (
    EditionExists,
    EditionNotFound,
    get_edition,
    load_review,
    save_review,
)


@pytest.mark.django_db
def test_migrations_are_complete_for_every_app():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_save_then_load_gives_the_same_review(small_review):
    save_review(small_review)
    back = load_review("2025")
    assert package_files(back) == package_files(small_review)
    obs = back.observations
    assert obs.filter(obs["SEX"].is_null()).height == 5  # totals are null, not ""
    assert set(obs["SEX"].drop_nulls()) == {"F", "M"}
    assert obs.filter(obs["indicator"] == "T-2")["import_id"].to_list() == ["imp1"]


@pytest.mark.django_db
def test_an_edition_is_not_overwritten_by_accident(small_review):
    save_review(small_review)
    with pytest.raises(EditionExists, match="already in the database"):
        save_review(small_review)
    save_review(small_review, replace=True)
    assert m.Edition.objects.count() == 1
    assert m.Observation.objects.count() == small_review.observations.height


@pytest.mark.django_db
def test_history_keeps_every_change(small_review):
    save_review(small_review)
    obs = m.Observation.objects.get(indicator__code="T-2")
    obs.value = 4.5
    obs.save()
    values = [h.value for h in obs.history.order_by("history_date")]
    assert values == [3.25, 4.5]
    assert [h.history_type for h in obs.history.order_by("history_date")] == ["+", "~"]
    narrative = m.Narrative.objects.get(section="GE-1", lang="en")
    narrative.text = "changed"
    narrative.save()
    assert narrative.history.count() == 2


@pytest.mark.django_db
def test_one_observation_per_key(small_review):
    save_review(small_review)
    existing = m.Observation.objects.filter(indicator__code="T-1", sex="F").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Observation.objects.create(indicator=existing.indicator, period=existing.period,
                                     year=existing.year, value=1.0, unit=existing.unit, sex="F")


@pytest.mark.django_db
def test_edition_lookup(small_review):
    with pytest.raises(EditionNotFound, match="no review yet"):
        get_edition()
    save_review(small_review)
    save_review(type(small_review)(**{**small_review.__dict__,
                                      "edition": small_review.edition.__class__(
                                          **{**small_review.edition.__dict__, "code": "2029",
                                             "year": 2029, "previous": "2025"})}))
    assert get_edition().code == "2029"
    assert get_edition("2029").previous.code == "2025"
    with pytest.raises(EditionNotFound, match="no edition 'x'"):
        get_edition("x")


@pytest.mark.django_db
def test_unknown_references_are_refused_and_nothing_is_written(small_review):
    from dataclasses import replace

    bad = replace(small_review, actions=(replace(small_review.actions[0], indicators=("NOPE",)),))
    with pytest.raises(ValueError, match="unknown indicator 'NOPE'"):
        save_review(bad)
    assert not m.Edition.objects.exists() and not m.Observation.objects.exists()


def test_code_titles_prefer_the_review_labels(small_review):
    assert small_review.code_title("GEO", "D1", "zh-Hans") == "老城区"
    assert small_review.code_title("GEO", "D9", "en") == "D9"
    assert small_review.code_title("SEX", "F", "zh-Hans") == "女性"
    assert small_review.code_title("AGE", "Y15T24", "en") == "15–24"
    assert small_review.code_title("AGE", "Y_GE65", "zh-Hans") == "65岁及以上"


def test_negative_zero_is_written_as_zero():
    from vlrkit.formats.package.tables import CODECS

    assert CODECS["float"].dump(-0.0) == "0.0"
