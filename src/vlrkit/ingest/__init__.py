"""Data in, as plain data: read a source, validate it, hand back tidy rows and metadata.

:func:`read` takes a path (file, folder or zip) and returns an :class:`Ingest`: the valid
observations (tidy table with provenance ``file``/``row``), the rejected ones with their
reasons, the indicator metadata, SDG links and targets found, the placeholders recognised and
the validation :class:`~vlrkit.validation.Report`.  Nothing is stored here (that is
``vlrkit.store.imports``) and nothing is dropped silently: every row read is either in
``observations`` or in ``rejected``, or belongs to a file the report names (placeholder,
ignored file, file rejected as a whole).

The format is chosen per file: Open SDG (``indicator_<id>.csv`` / a repository with ``data/``),
vlrkit's tidy CSV/XLSX (``indicator``, ``period``, ``value`` columns), SDMX-CSV
(``TIME_PERIOD``, ``OBS_VALUE``) or SDMX-ML (``.xml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from vlrkit import tidy
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits, Refusal
from vlrkit.formats.opensdg import mapping as mp
from vlrkit.formats.opensdg import reader as opensdg
from vlrkit.formats.safety import check_xml
from vlrkit.formats.sdmx import reader as sdmx_reader
from vlrkit.formats.sources import Member, open_source
from vlrkit.formats.tabular import reader as tabular
from vlrkit.ingest.rejects import rejects_batches, rejects_count, rejects_frame, write_rejects
from vlrkit.review import CodeLabel, LocalIndicator, SdgLink, Target
from vlrkit.validation import Report, capped, checks, sort_problems
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.parsed import Parsed, RawFile

__all__ = ["Ingest", "read", "read_members", "classify", "rejects_frame", "rejects_batches", "rejects_count", "write_rejects"]


@dataclass(frozen=True)
class Ingest:
    """Everything a source holds, validated (see the module doc)."""

    observations: pl.DataFrame  # tidy rows to store (no errors)
    rejected: pl.DataFrame  # tidy rows with an error, plus "reasons"
    indicators: tuple[LocalIndicator, ...]
    links: tuple[SdgLink, ...]
    targets: tuple[Target, ...]
    report: Report
    placeholders: Mapping[str, int] = field(default_factory=dict)
    rejected_files: Mapping[str, int] = field(default_factory=dict)
    raw: Mapping[str, RawFile] = field(default_factory=dict)
    formats: tuple[str, ...] = ()
    code_labels: tuple[CodeLabel, ...] = ()

    def summary(self) -> dict[str, object]:
        """The counts ``vlr import --json`` prints (before storing)."""
        return {
            "formats": list(self.formats),
            "files": self.report.files,
            "rows": self.report.rows,
            "indicators": len(self.indicators),
            "observations": self.observations.height,
            "missing": self.observations.filter(pl.col("value").is_null()).height,
            "rejected": self.rejected.height + sum(self.rejected_files.values())
            + sum(len(r.ragged) for r in self.raw.values()),
            "placeholders": len(self.placeholders),
            "placeholder_rows": sum(self.placeholders.values()),
            "errors": self.report.errors,
            "warnings": self.report.warnings,
        }


def _header(m: Member) -> tuple[str, ...]:
    # for classification only: undecodable bytes must not hide what the file is meant to be
    text = m.data[:65536].decode("utf-8-sig", errors="replace").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    return tuple(h.strip().strip('"') for h in first.split(",")) if first.strip() else ()


def classify(members: list[Member]) -> dict[str, list[Member]]:
    """Members grouped by format: ``opensdg``, ``tabular``, ``sdmx``, ``unknown``."""
    groups: dict[str, list[Member]] = {"opensdg": [], "tabular": [], "sdmx": [], "unknown": []}
    if any(m.name == "config_data.yml" for m in members):
        # an Open SDG repository: its configuration says which files are what
        groups["opensdg"] = list(members)
        return groups
    repo = any(m.parts[0] in ("data", "meta", "indicator-config") for m in members if len(m.parts) > 1)
    for m in members:
        top = m.parts[0] if len(m.parts) > 1 else ""
        if m.suffix == ".xml":
            groups["sdmx" if sdmx_reader.is_sdmx_xml(m.data) else "unknown"].append(m)
        elif m.suffix == ".xlsx":
            groups["tabular"].append(m)
        elif repo and top in ("data", "meta", "indicator-config") or m.name == mp.MAPPING_FILE:
            groups["opensdg"].append(m)
        elif m.suffix == ".csv":
            if m.stem.lower().startswith("indicator_"):
                groups["opensdg"].append(m)
                continue
            header = _header(m)
            low = {h.lower() for h in header}
            if not header or tabular.looks_tabular(header) or (low & set(tabular.REQUIRED) and not sdmx_reader.looks_sdmx_csv(header)):
                # empty files and near-misses go to the tidy reader, which says what is wrong
                groups["tabular"].append(m)
            elif sdmx_reader.looks_sdmx_csv(header):
                groups["sdmx"].append(m)
            else:
                groups["unknown"].append(m)
        elif not repo and m.suffix in (".csv",):
            groups["unknown"].append(m)
        elif m.suffix in (".md", ".yml", ".yaml") and not repo:
            groups["unknown"].append(m)
    return groups


def _unknown(m: Member, limits: Limits) -> Problem:
    """The problem of a file no reader takes: unsafe or malformed XML is an error (it must not
    pass as an empty, valid upload); anything else is skipped with a warning."""
    if m.suffix == ".xml":
        try:
            check_xml(m.data, limits)
        except Refusal as exc:
            return exc.problem(m.name)
    return c.make(c.UnknownFormat, m.name)


def _title(slug: str) -> str:
    cls = c.CATALOGUE.get(slug)
    title = cls.title if cls is not None else {"en": slug, "zh-Hans": slug}
    return f"{slug}: {title['en']} / {title['zh-Hans']}"


def _with_reasons(problems: tuple[Problem, ...], rejected: pl.DataFrame) -> pl.DataFrame:
    """The rejected rows with their ``reasons``: their own errors, then those of their whole
    file (a file refused as a whole whose rows were read, e.g. one holding several areas)."""
    def text(p: Problem) -> str:
        return f"{p.type}: {p.message['en']} / {p.message['zh-Hans']}"

    # the reasons are put together by polars from the problems' own strings: on a file whose every
    # row is wrong, a new Python string per row would cost more than the file many times over
    errors = [p for p in problems if p.severity == c.ERROR and p.row is not None and p.rows is None]
    frame = pl.DataFrame({
        "file": pl.Series([p.file for p in errors], dtype=pl.String),
        "row": pl.Series([p.row for p in errors], dtype=pl.Int64),
        "_t": pl.Series([p.type for p in errors], dtype=pl.String),
        "_en": pl.Series([p.message["en"] for p in errors], dtype=pl.String),
        "_zh": pl.Series([p.message["zh-Hans"] for p in errors], dtype=pl.String),
    })
    del errors
    frame = frame.select("file", "row", pl.format("{}: {} / {}", "_t", "_en", "_zh").alias("reasons"))
    # the rows a counted line stands for have its type and the type's title as their reason
    # (their cells are beside it in the rejects file)
    counted = [pl.DataFrame({"file": pl.repeat(p.file, p.rows.len(), dtype=pl.String, eager=True),
                             "row": p.rows.cast(pl.Int64)})
               .with_columns(pl.lit(_title(p.type)).alias("reasons"))
               for p in problems if p.severity == c.ERROR and p.rows is not None]
    frame = pl.concat([frame, *counted])
    # a row with several reasons gets them joined; the usual row has one, and keeps its string
    # (shared by every row of a counted line) rather than a new copy of it
    several = frame.select(pl.struct("file", "row").is_duplicated()).to_series()
    if several.any():
        joined = (frame.filter(several).group_by("file", "row", maintain_order=True)
                  .agg(pl.col("reasons").str.join(" ; ")))
        frame = pl.concat([frame.filter(~several), joined])
    del several
    out = rejected.join(frame, on=["file", "row"], how="left", maintain_order="left")
    whole = pl.DataFrame([(p.file, text(p)) for p in problems if p.severity == c.ERROR and p.row is None],
                         schema={"file": pl.String, "_file": pl.String}, orient="row")
    if whole.is_empty():
        return out
    whole = whole.group_by("file", maintain_order=True).agg(pl.col("_file").str.join(" ; "))
    return (out.join(whole, on="file", how="left", maintain_order="left")
            .with_columns(pl.concat_str("reasons", "_file", separator=" ; ", ignore_nulls=True).alias("reasons"))
            .with_columns(pl.when(pl.col("reasons") == "").then(None).otherwise(pl.col("reasons")).alias("reasons"))
            .drop("_file"))


def _sub_areas(obs: pl.DataFrame, place: str, files: set[str]) -> pl.DataFrame:
    """SDMX files that hold the review's own area (``REF_AREA = place``) and its sub-areas — codes
    that extend the review's code (``LJ01``, ``LJ02`` under ``LJ``; ``KZAKM`` under ``KZ``): the
    sub-areas move to the ``GEO`` dimension and the rows become the review's.  A file with any
    other area (the nation beside the city, a peer) is left for the several-areas check: an area
    that is not the review's is never taken for one of its districts."""
    if not files or obs.is_empty():
        return obs
    areas = (obs.filter(pl.col("file").is_in(list(files)) & pl.col("entity").is_not_null())
             .group_by("file").agg(pl.col("entity").unique().alias("_areas")))
    holding = [f for f, a in areas.iter_rows()
               if place in a and len(a) > 1 and all(x == place or (x.startswith(place) and len(x) > len(place)) for x in a)]
    if not holding:
        return obs
    mine = pl.col("file").is_in(holding)
    other = mine & pl.col("entity").is_not_null() & (pl.col("entity") != place)
    return obs.with_columns(
        pl.when(other & pl.col("GEO").is_null()).then(pl.col("entity")).otherwise(pl.col("GEO")).alias("GEO"),
        pl.when(mine).then(pl.lit(place)).otherwise(pl.col("entity")).alias("entity"),
    )


def read_members(
    members: list[Member],
    *,
    mapping: mp.Mapping_ | None = None,
    known: Mapping[str, LocalIndicator] | None = None,
    entity: str | None = None,
    accept: frozenset[str] = frozenset(),
    limits: Limits = DEFAULT_LIMITS,
) -> Ingest:
    """Validate ``members`` (see :func:`read`)."""
    refused = [m for m in members if m.refused is not None]
    groups = classify([m for m in members if m.refused is None])
    parsed: list[Parsed] = []
    unknown_problems = [_unknown(m, limits) for m in groups["unknown"]]
    unknown_problems += [m.refused for m in refused if m.refused is not None]
    if groups["opensdg"]:
        parsed.append(opensdg.read(groups["opensdg"], mapping, limits))
    if groups["tabular"]:
        parsed.append(tabular.read(groups["tabular"], mapping, limits))
    if groups["sdmx"]:
        parsed.append(sdmx_reader.read(groups["sdmx"], limits))
    indicators = {i.code: i for p in parsed for i in p.indicators}
    frames = [p.observations for p in parsed if p.observations.height]
    obs = pl.concat(frames, how="diagonal_relaxed") if frames else Parsed().observations
    obs = tidy.conform(obs)
    if entity:
        obs = _sub_areas(obs, entity, {m.name for m in groups["sdmx"]})
        obs = obs.with_columns(pl.col("entity").fill_null(entity))
    defined = set(indicators) | set(known or {})
    needs_known = any(p.format in ("tabular", "sdmx") for p in parsed)
    # a declared unit binds rows of tidy/SDMX files; Open SDG's Units column is a selector
    units = {code: ind.unit for code, ind in (known or {}).items()
             if ind.unit and code not in indicators
             and "Units" not in ind.extra.get("opensdg_columns", "").split("|")}
    unit_files = {m.name for g in ("tabular", "sdmx") for m in groups[g]}
    if units and unit_files:
        # an empty unit in a tidy/SDMX row means the indicator's declared unit (so that the
        # same observation uploaded with and without its unit is one observation, not two)
        declared = pl.DataFrame({"indicator": list(units), "_unit": list(units.values())},
                                schema={"indicator": pl.String, "_unit": pl.String})
        obs = obs.join(declared, on="indicator", how="left", maintain_order="left").with_columns(
            pl.when(pl.col("unit").is_null() & pl.col("file").is_in(list(unit_files)))
            .then(pl.col("_unit")).otherwise(pl.col("unit")).alias("unit")
        ).drop("_unit")
    obs, check_problems = checks.run_all(obs, known=defined if needs_known and known is not None else None, units=units,
                                         unit_files=unit_files, accept=accept, place=entity,
                                         area_columns={m.name: "REF_AREA" for m in groups["sdmx"]},
                                         published={m.name for m in groups["opensdg"]},
                                         per_type=limits.problems_per_type)
    problems = sort_problems([*unknown_problems, *(q for p in parsed for q in p.problems), *check_problems])
    files = sum(p.files for p in parsed) + len(groups["unknown"]) + len(refused)
    # every problem gives the rejected rows their reasons; the report lists a bounded number
    rejected = _with_reasons(problems, obs.filter(pl.col("_reject")).drop("_reject"))
    report = Report(files=files, rows=sum(p.rows for p in parsed),
                    problems=sort_problems(capped(problems, limits.problems_per_type)))
    # no copy of the whole table when no row is rejected (the usual case for a big file)
    good = (obs.filter(~pl.col("_reject")) if obs["_reject"].any() else obs).drop("_reject")
    return Ingest(
        observations=good,
        rejected=rejected,
        indicators=tuple(indicators.values()),
        links=tuple(lk for p in parsed for lk in p.links),
        targets=tuple(t for p in parsed for t in p.targets),
        report=report,
        placeholders={k: v for p in parsed for k, v in p.placeholders.items()},
        rejected_files={**{k: v for p in parsed for k, v in p.rejected_files.items()}, **{m.name: 0 for m in refused}},
        raw={k: v for p in parsed for k, v in p.raw.items()},
        formats=tuple(p.format for p in parsed),
        code_labels=tuple({(cl.dimension, cl.code): cl for p in parsed for cl in p.code_labels}.values()),
    )


def read(
    path: Path | str,
    *,
    mapping: mp.Mapping_ | None = None,
    known: Mapping[str, LocalIndicator] | None = None,
    entity: str | None = None,
    accept: frozenset[str] = frozenset(),
    limits: Limits = DEFAULT_LIMITS,
) -> Ingest:
    """Read and validate ``path`` (file, folder or zip); never raises on bad data.

    ``known`` are the indicators already defined (in the review being imported into): rows of
    tidy or SDMX files must name one of them or one defined by Open SDG metadata in the same
    source.  ``mapping`` extends the Open SDG column mapping.  ``entity`` fills empty entities.
    ``accept`` names error types the user has reviewed and accepts (see
    :data:`vlrkit.validation.checks.ACCEPTABLE`): they are reported as warnings.
    ``limits`` bounds what reading may cost (:class:`~vlrkit.formats.limits.Limits`): a file
    crossing one is reported (``limit-exceeded``) and not read; the others are.
    Raises only for I/O problems, unsafe sources (:class:`~vlrkit.formats.sources.SourceError`)
    and a mapping file that cannot be used (:class:`~vlrkit.formats.opensdg.mapping.MappingError`).
    """
    return read_members(open_source(path, limits), mapping=mapping, known=known, entity=entity, accept=accept,
                        limits=limits)
