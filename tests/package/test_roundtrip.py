"""The review package: export → import → export gives identical bytes; bad packages are named."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from tests.strategies import reviews

from vlrkit.formats.package import PackageError, package_files, read_package, write_package
from vlrkit.formats.package.tables import TABLES
from vlrkit.store import models as m
from vlrkit.store.queries import load_review, save_review

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(review=reviews())
def test_files_round_trip_without_a_database(review, tmp_path_factory):
    first = package_files(review)
    folder = write_package(review, tmp_path_factory.mktemp("pkg") / "p")
    assert package_files(read_package(folder)) == first


@pytest.mark.django_db(transaction=False)
@SETTINGS
@given(review=reviews())
def test_export_import_export_is_byte_identical_through_the_database(review, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rt")
    with transaction.atomic():
        save_review(review)
        first = write_package(load_review(review.edition.code), tmp / "first.zip")
        transaction.set_rollback(True)
    with transaction.atomic():  # a fresh database: nothing of the first save is left
        assert not m.Edition.objects.exists()
        save_review(read_package(first))
        second = write_package(load_review(review.edition.code), tmp / "second.zip")
        transaction.set_rollback(True)
    assert first.read_bytes() == second.read_bytes()
    folder = write_package(read_package(second), tmp / "folder")
    assert package_files(read_package(folder)) == package_files(read_package(first))


def test_the_package_keeps_everything_and_validates_with_frictionless(small_review, tmp_path):
    review = small_review
    folder = write_package(review, tmp_path / "pkg")
    back = read_package(folder)
    assert back.entity == review.entity and back.edition == review.edition
    for attr in ("indicators", "links", "targets", "thresholds", "narratives", "stakeholders",
                 "engagements", "contributions", "actions", "imports", "code_labels"):
        assert _canon(getattr(back, attr)) == _canon(getattr(review, attr)), attr
    cols = ["indicator", "period", "SEX"]
    assert back.observations.sort(cols).equals(review.observations.sort(cols))
    from frictionless import validate

    report = validate(str(folder / "datapackage.json"))
    assert report.stats["tasks"] == len(back.narratives) + len(TABLES) + 1  # every resource
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def _canon(items) -> list[str]:
    from vlrkit.formats.package.io import _plain

    return sorted(json.dumps(_plain(x), sort_keys=True, default=str) for x in items)


def _tamper(folder: Path, path: str, old: str, new: str) -> None:
    p = folder / path
    p.write_text(p.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def package(small_review, tmp_path):
    return write_package(small_review, tmp_path / "pkg")


def test_a_missing_column_is_named(package):
    _tamper(package, "data/targets.csv", "kind,", "")
    with pytest.raises(PackageError, match=r"data/targets.csv: header .*missing columns: kind"):
        read_package(package)


def test_a_bad_number_is_located(package):
    lines = (package / "data/targets.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    # rebuild row 2 with a non-number in "value" (quote-free tamper of the generated row)
    import csv
    import io

    row = next(csv.reader(io.StringIO(lines[1])))
    row[header.index("value")] = "twelve"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    lines[1] = buf.getvalue().rstrip("\n")
    (package / "data/targets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cells  # the generated review has a target
    with pytest.raises(PackageError, match=r"data/targets.csv, row 2: column 'value'"):
        read_package(package)


def test_not_utf8_and_not_a_package(package, tmp_path):
    (package / "data/actions.csv").write_bytes("code\n\xff".encode("latin-1"))
    with pytest.raises(PackageError, match="data/actions.csv: not UTF-8"):
        read_package(package)
    (tmp_path / "empty").mkdir()
    with pytest.raises(PackageError, match="no datapackage.json"):
        read_package(tmp_path / "empty")
    with pytest.raises(PackageError, match="does not exist"):
        read_package(tmp_path / "nope.zip")


def test_zip_with_unsafe_member_is_refused(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../evil.txt", "x")
        zf.writestr("datapackage.json", json.dumps({"vlrkit": {"format_version": 1}}))
    with pytest.raises(PackageError, match="unsafe member"):
        read_package(bad)


def test_zip_of_a_folder_reads(package, tmp_path):
    z = tmp_path / "wrapped.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in package.rglob("*"):
            if p.is_file():
                zf.write(p, "top/" + p.relative_to(package).as_posix())
    assert package_files(read_package(z)) == package_files(read_package(package))
