"""The demo review survives the store and the review package unchanged."""

from __future__ import annotations

import dataclasses

import pytest

from vlrkit.formats.package import package_files
from vlrkit.review import Review
from vlrkit.store.queries import load_review, save_review


@pytest.mark.django_db
def test_save_then_load_gives_the_demo_back(demo):
    save_review(demo)
    back = load_review(demo.edition.code)
    for f in dataclasses.fields(Review):
        if f.name == "observations":
            assert back.observations.equals(demo.observations)
        else:
            assert getattr(back, f.name) == getattr(demo, f.name), f.name
    assert package_files(back) == package_files(demo)
