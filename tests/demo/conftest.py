"""Fixtures of the demo tests: the demo review built once per session."""

from __future__ import annotations

import polars as pl
import pytest

from vlrkit import tidy
from vlrkit.demo import build_demo
from vlrkit.review import Review


@pytest.fixture(scope="session")
def demo() -> Review:
    return build_demo()


@pytest.fixture(scope="session")
def headline(demo: Review) -> pl.DataFrame:
    """The headline (total) rows of the demo's observations."""
    total = pl.all_horizontal([pl.col(d).is_null() for d in tidy.DIMENSIONS])
    return demo.observations.filter(total)
