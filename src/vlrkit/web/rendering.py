"""Render a review's publication with :mod:`vlrkit.report` (the web only picks the folder)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class NotAvailable(Exception):
    """The report renderer is not installed or failed."""


def render(edition: str, out: Path, langs: Iterable[str]) -> None:
    raise NotAvailable("the report renderer (vlrkit.report) is not available yet / 报告生成模块尚不可用")
