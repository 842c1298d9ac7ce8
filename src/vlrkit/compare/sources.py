"""Where a review to compare comes from: a review package, or an Open SDG data repository.

:func:`load` takes a path (folder or zip) and gives a :class:`Loaded`: the review as plain data
(:class:`vlrkit.review.Review`) and what was left out on the way.  A review package
(``vlr export``: a ``datapackage.json`` with a ``vlrkit`` section) is read whole; an Open SDG
data repository (``config_data.yml`` or ``data/``+``meta/``) is read by :mod:`vlrkit.ingest` —
its valid observations, indicators, SDG links and targets — under an entity named after the
folder (``level`` city unless told otherwise) and one edition spanning its years.  Rows the
reader rejects are counted in :attr:`Loaded.rejected`, never silently dropped.

Exceptions: :class:`SourceNotReadable` (a user error: not a package, not a repository).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from vlrkit import tidy
from vlrkit.review import model as rm

__all__ = ["Loaded", "SourceNotReadable", "load", "from_ingest", "review_of", "slug"]


class SourceNotReadable(ValueError):
    """The path is neither a review package nor an Open SDG repository (a user error)."""


@dataclass(frozen=True)
class Loaded:
    """A review to compare and how it was read."""

    review: rm.Review
    path: str
    kind: str  # package | opensdg
    rejected: int = 0  # rows the reader rejected (Open SDG), with their reasons in its report
    errors: int = 0


def slug(text: str) -> str:
    """An entity code from a folder or file name (``los-angeles-open-sdg.zip`` → ``los-angeles-open-sdg``)."""
    stem = re.sub(r"\.zip$", "", Path(text).name, flags=re.IGNORECASE)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-").lower() or "peer"


def _is_package(path: Path) -> bool:
    if path.is_dir():
        return (path / "datapackage.json").is_file()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
        return any(n == "datapackage.json" or n.endswith("/datapackage.json") and n.count("/") == 1 for n in names)
    return False


def from_ingest(result, *, code: str, names: dict[str, str] | None = None, level: str = "city",
                country: str = "", population: int | None = None) -> rm.Review:  # noqa: ANN001 - an Ingest
    """A review made of what :func:`vlrkit.ingest.read` found (valid rows only)."""
    return review_of(result.observations, tuple(result.indicators), tuple(result.links), code=code, names=names,
                     level=level, country=country, population=population, targets=tuple(result.targets),
                     code_labels=tuple(result.code_labels))


def review_of(observations: pl.DataFrame, indicators: tuple[rm.LocalIndicator, ...], links: tuple[rm.SdgLink, ...],
              *, code: str, names: dict[str, str] | None = None, level: str = "city", country: str = "",
              population: int | None = None, targets: tuple[rm.Target, ...] = (),
              code_labels: tuple = ()) -> rm.Review:  # type: ignore[type-arg]
    """A review of data alone, under entity ``code`` and one edition spanning its years."""
    obs = tidy.conform(observations).with_columns(pl.lit(code).alias("entity"))
    years = obs.filter(pl.col("value").is_not_null())["year"]
    start = int(str(years.min())) if years.len() else 2015
    end = int(str(years.max())) if years.len() else start
    return rm.Review(
        entity=rm.Entity(code, names or {"en": code}, level, country, population),
        edition=rm.Edition("data", end, start, end, ("en",), title={"en": f"{code} data"}),
        indicators=indicators, links=links, targets=targets, observations=obs, code_labels=code_labels,
    )


def load(path: Path | str, *, level: str = "city", code: str | None = None) -> Loaded:
    """Read ``path`` as a review package or an Open SDG repository (see the module doc)."""
    p = Path(path)
    if not p.exists():
        raise SourceNotReadable(f"{p} does not exist / {p} 不存在")
    if _is_package(p):
        from vlrkit.formats.package import read_package

        review = read_package(p)
        if code:
            review = replace(review, entity=replace(review.entity, code=code))
        return Loaded(review, str(p), "package")
    from vlrkit import ingest

    result = ingest.read(p)
    if not result.indicators and not result.observations.height:
        raise SourceNotReadable(
            f"{p}: neither a review package (no datapackage.json) nor an Open SDG repository with data / "
            f"{p}：既不是评估数据包（无 datapackage.json），也不是含数据的 Open SDG 仓库")
    review = from_ingest(result, code=code or slug(str(p)), level=level)
    rejected = result.rejected.height + sum(result.rejected_files.values())
    return Loaded(review, str(p), "opensdg", rejected, result.report.errors)
