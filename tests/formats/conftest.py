"""Fixtures for the data-in tests: the Los Angeles Open SDG repository, read once."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from vlrkit import ingest

DATA = Path(__file__).resolve().parents[1] / "data"
LA = DATA / "la"


def manifest() -> list[dict[str, str]]:
    with (LA / "MANIFEST.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def source_rows(name: str) -> list[list[str]]:
    """The data rows of an LA file, read independently of vlrkit (csv module)."""
    text = (LA / name).read_bytes().decode("utf-8-sig")
    if "\r" in text and "\r\n" not in text:
        text = text.replace("\r", "\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [r for r in rows[1:] if r]


@pytest.fixture(scope="session")
def la_ingest() -> ingest.Ingest:
    return ingest.read(LA)
