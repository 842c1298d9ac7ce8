"""What a reader hands to validation and import: observations, indicator metadata, problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from vlrkit import tidy
from vlrkit.review import CodeLabel, LocalIndicator, SdgLink, Target
from vlrkit.validation.catalogue import Problem


@dataclass(frozen=True)
class RawFile:
    """A file's original header and cells (text), kept to write rejected rows untouched.

    The cells are either held (``cells``) or read again from the file's bytes when asked for
    (``load``): a big CSV's text columns take several times the file's size, and they are only
    needed for the few rows a rejects file or a report shows."""

    header: tuple[str, ...]
    cells: pl.DataFrame | None = None  # c0…cN text columns and "row"
    ragged: tuple[tuple[int, tuple[str, ...]], ...] = ()
    load: Callable[[], pl.DataFrame] | None = field(default=None, compare=False, repr=False)

    @property
    def frame(self) -> pl.DataFrame:
        """The text cells (c0…cN and "row"), read again from the file if they are not held."""
        if self.cells is not None:
            return self.cells
        if self.load is None:
            raise ValueError("a RawFile holds its cells or a way to read them")
        return self.load()


@dataclass(frozen=True)
class Parsed:
    """The result of reading one source: tidy rows (``_reject`` marks rows with errors) + metadata."""

    observations: pl.DataFrame = field(default_factory=lambda: tidy.empty().with_columns(pl.lit(False).alias("_reject")))
    indicators: tuple[LocalIndicator, ...] = ()
    links: tuple[SdgLink, ...] = ()
    targets: tuple[Target, ...] = ()
    problems: tuple[Problem, ...] = ()
    files: int = 0
    rows: int = 0
    #: files reported as placeholders or demo fixtures (not imported): name -> rows
    placeholders: dict[str, int] = field(default_factory=dict)
    #: files rejected as a whole (bad encoding, missing column…): name -> rows
    rejected_files: dict[str, int] = field(default_factory=dict)
    raw: dict[str, RawFile] = field(default_factory=dict)
    format: str = ""
    #: names of the codes the data uses, in the languages the source gives them
    code_labels: tuple[CodeLabel, ...] = ()
