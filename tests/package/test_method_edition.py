"""A review package keeps the edition's assessment method and method edition; unknown ones are
refused with the file and the reason."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from vlrkit.demo import build_demo
from vlrkit.formats.package import PackageError, package_files, read_package, write_package


def test_the_method_edition_travels_in_the_package(tmp_path):
    review = build_demo()
    review = replace(review, edition=replace(review.edition, method="statcan", method_edition="eu-cities-2019"))
    back = read_package(write_package(review, tmp_path / "p"))
    assert (back.edition.method, back.edition.method_edition) == ("statcan", "eu-cities-2019")
    assert package_files(back) == package_files(review)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("method_edition", "us-cities-2099", "method_edition 'us-cities-2099' is not one of"),
    ("method", "magic", "method 'magic' is not one of"),
])
def test_an_unknown_method_is_refused(tmp_path, field, value, message):
    folder = write_package(build_demo(), tmp_path / "p")
    path = folder / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["vlrkit"]["edition"][field] = value
    path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PackageError, match=message):
        read_package(folder)
