"""A narrative file added to a package by hand (``narratives/<lang>/<section>.md`` that
``datapackage.json`` does not list) is read, not silently dropped; one named after no section is
refused naming the file."""

from __future__ import annotations

import pytest

from vlrkit.demo import build_demo
from vlrkit.formats.package import PackageError, read_package, write_package


def test_an_unlisted_narrative_is_read(tmp_path):
    folder = write_package(build_demo(), tmp_path / "p")
    (folder / "narratives" / "fr").mkdir()
    (folder / "narratives" / "fr" / "GE-1.md").write_text("Introduction en français.", encoding="utf-8")
    back = read_package(folder)
    assert [n.text for n in back.narratives if (n.section, n.lang) == ("GE-1", "fr")] == ["Introduction en français."]
    assert len(back.narratives) == len(build_demo().narratives) + 1


@pytest.mark.parametrize(("name", "data", "message"), [
    ("Notes.md", b"scratch", "not listed in datapackage.json and 'Notes' is not a section"),
    ("GE-2.md", b"\xff\xfe bad", "not UTF-8 text"),
])
def test_an_unreadable_unlisted_narrative_is_refused_by_name(tmp_path, name, data, message):
    folder = write_package(build_demo(), tmp_path / "p")
    (folder / "narratives" / "de").mkdir()
    (folder / "narratives" / "de" / name).write_bytes(data)
    with pytest.raises(PackageError, match=f"narratives/de/{name}: {message}"):
        read_package(folder)
