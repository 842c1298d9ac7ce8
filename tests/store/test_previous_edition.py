"""An edition's link to its previous edition survives an import into a database that does not
hold the previous edition (yet), and a re-import of the previous one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from vlrkit.formats.package import read_package, write_package
from vlrkit.store import models as m
from vlrkit.store.queries import get_edition, load_review, save_review


def _later(review):
    return replace(review, edition=replace(review.edition, code="2029", year=2029, previous="2025"))


@pytest.mark.django_db
def test_the_link_waits_for_the_previous_edition(small_review, tmp_path):
    package = write_package(_later(small_review), tmp_path / "later.zip")
    save_review(read_package(package))  # into a database without edition 2025
    assert load_review("2029").edition.previous == "2025"  # kept, though 2025 is not here
    assert get_edition("2029").previous is None
    again = write_package(load_review("2029"), tmp_path / "again.zip")
    assert read_package(again).edition.previous == "2025"  # and exported again
    save_review(small_review)  # now 2025 arrives
    assert get_edition("2029").previous.code == "2025"
    save_review(small_review, replace=True)  # replaced: the link follows the new row
    assert get_edition("2029").previous == get_edition("2025")
    assert m.Edition.history.filter(code="2029").count() >= 3  # the relinking is in the history
