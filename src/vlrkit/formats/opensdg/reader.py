"""Read an Open SDG data repository (or single Open SDG data files) into tidy rows + metadata.

It reads what sdg-build reads, the way it reads it (:mod:`~vlrkit.formats.opensdg.config`):

- **data** — the files of the configuration's data inputs: ``InputCsvData`` CSVs
  (:mod:`~vlrkit.formats.opensdg.columns`; the id is the file name without ``indicator_``:
  :mod:`~vlrkit.formats.opensdg.ids`) and ``InputSdmxMl_*`` messages against the publisher's
  own DSD (:func:`vlrkit.formats.sdmx.reader.read_structured`); a lone ``indicator_*.csv`` is
  read too.  A file in a data folder that no input reads is reported, not read (Open SDG would
  not read it either), as are the starter's placeholder files (``Year,Group,Value``), the demo
  fixtures and files that hold only text (non-statistical indicators);
- **metadata** — the configuration's metadata inputs in their order (later ones win field by
  field, as sdg-build merges them): ``*.md`` front matter, ``*.yml``, two-column CSVs with the
  ``metadata_mapping`` of labels to fields; metadata in the usual folders (``meta/``,
  ``indicator-config/``, ``global-meta/``, ``csv-meta/``) that the configuration does not list
  is read first, so it never overrides what the configuration names, and reported;
  ``<folder>/<lang>/<id>.*`` are that language's fields;
- **translations** — ``translations/<lang>/*.yml`` (:mod:`~vlrkit.formats.opensdg.translations`):
  names of codes and translation keys in every language the repository has.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits, Refusal
from vlrkit.formats.opensdg import columns as cols
from vlrkit.formats.opensdg import config as cfg
from vlrkit.formats.opensdg import ids
from vlrkit.formats.opensdg import mapping as mp
from vlrkit.formats.opensdg import meta as mt
from vlrkit.formats.opensdg import translations as trs
from vlrkit.formats.opensdg.indicator import boolean, text, to_indicator
from vlrkit.formats.sources import Member
from vlrkit.formats.tabular import csvio
from vlrkit.review import CodeLabel, LocalIndicator, SdgLink, Target
from vlrkit.validation import catalogue as c
from vlrkit.validation import optimum as vopt
from vlrkit.validation import rows as vrows
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.parsed import Parsed, RawFile

#: Column sets of the Open SDG starter's dummy file and of the demo fixture.
PLACEHOLDER_HEADER = ("year", "group", "value")
PLACEHOLDER_MAX_ROWS = 12
DEMO_COLUMNS = {"grade", "planet", "fruit"}
#: Folders where repositories keep metadata, read even when the configuration does not list them.
META_DIRS = ("meta", "indicator-config", "global-meta", "csv-meta")
#: Folders that hold data files; a file there that no input reads is reported.
DATA_DIRS = ("data", "sdmx-data")
_META_SUFFIXES = (".md", ".yml", ".yaml", ".csv")
_FORM_ORDER = {".md": 0, ".yml": 1, ".yaml": 1, ".csv": 3}
_SDMX_CLASSES = frozenset(cfg.DATA_CLASSES) - {"InputCsvData"}

_PLACEHOLDER_ZH = {"Open SDG starter placeholder": "Open SDG 模板占位文件", "Open SDG demo fixture": "Open SDG 演示数据"}


def is_repository(members: list[Member]) -> bool:
    """True if the members look like an Open SDG repository or Open SDG data files."""
    if any(m.name == cfg.CONFIG_FILE for m in members):
        return True
    return any(m.suffix == ".csv" and (len(m.parts) == 1 or m.parts[0] == "data")
               and m.stem.lower().startswith("indicator_") for m in members)


def _placeholder_kind(header: tuple[str, ...], nrows: int) -> str | None:
    norm = tuple(mp.normalise(h) for h in header)
    if norm == PLACEHOLDER_HEADER and nrows <= PLACEHOLDER_MAX_ROWS:
        return "Open SDG starter placeholder"
    if DEMO_COLUMNS <= set(norm):
        return "Open SDG demo fixture"
    return None


# --- metadata ---------------------------------------------------------------------------------


def _csv_fields(m: Member, mapping: dict[str, str] | None, limits: Limits) -> dict[str, Any] | None:
    """Fields of a two-column metadata CSV: ``field,value`` rows, or ``label,value`` rows mapped
    by the repository's ``metadata_mapping`` (unmapped labels are kept under their label)."""
    table = csvio.parse(m.data, limits)
    if not table.header or table.frame.width < 3:
        return None
    rows = [table.header, *zip(table.frame["c0"].to_list(), table.frame["c1"].to_list(), strict=True)]
    if mapping is None and not mt.is_key_value_csv(table.header, [r[0] for r in rows]):
        return None
    out: dict[str, Any] = {}
    for label, value in rows:
        label = (label or "").strip()
        if not label or value is None or str(value).strip() == "":
            continue
        out[(mapping or {}).get(label, label)] = value
    return out


def _mapping_file(members: dict[str, Member], path: str, limits: Limits) -> dict[str, str] | None:
    """The ``metadata_mapping`` CSV (label, field), or None when it is missing or unreadable (the
    labels then stay the fields' names)."""
    m = members.get(path.strip().lstrip("./"))
    if m is None:
        return None
    try:
        table = csvio.parse(m.data, limits)
    except (csvio.EncodingProblem, Refusal):
        return None
    rows: list[tuple[int, tuple[str | None, ...]]] = [(0, table.header), *table.ragged]
    if len(table.header) >= 2:
        f = table.frame
        rows += zip(f["row"].to_list(), zip(f["c0"].to_list(), f["c1"].to_list(), strict=True), strict=True)
    # in the file's order: a label given twice means what its last row says
    return {(r[0] or "").strip(): (r[1] or "").strip()
            for _n, r in sorted(rows, key=lambda t: t[0]) if len(r) >= 2 and (r[0] or "").strip()}


class _Meta:
    """Merged metadata per indicator id, where each came from, and the language folders."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[str, Any]] = defaultdict(dict)
        self.where: dict[str, str] = {}
        self.optimum_at: dict[str, tuple[str, int | None]] = {}


def _read_metadata(members: list[Member], config: cfg.RepoConfig, problems: list[Problem], limits: Limits) -> _Meta:
    by_name = {m.name: m for m in members}
    inputs = config.meta_inputs()
    out = _Meta()
    unlisted: dict[str, int] = defaultdict(int)
    ranked: list[tuple[tuple[int, int], Member, dict[str, str] | None, str | None]] = []
    for m in members:
        if m.suffix not in _META_SUFFIXES or len(m.parts) < 2:
            continue
        lang = None
        folder_parts = m.parts[:-1]
        if len(folder_parts) >= 2 and folder_parts[-1] in config.languages:
            lang, folder_parts = folder_parts[-1], folder_parts[:-1]
        name = "/".join((*folder_parts, m.parts[-1]))
        k = next((k for k, i in enumerate(inputs) if i.matches(name)), None) if config.from_file else None
        mapping = None
        if k is None:
            if folder_parts[-1] not in META_DIRS:
                continue
            if config.from_file:
                unlisted["/".join(folder_parts) + "/*" + m.suffix] += 1
            # below what the configuration names; among themselves, later forms win:
            # .md < .yml < indicator-config/*.yml < .csv
            form = _FORM_ORDER.get(m.suffix, 0) + (1 if folder_parts[-1] == "indicator-config" and m.suffix != ".csv" else 0)
            rank = (0, form)
        else:
            rank = (1, k)
            if inputs[k].cls == "InputCsvMeta" and inputs[k].options.get("metadata_mapping"):
                mapping = _mapping_file(by_name, str(inputs[k].options["metadata_mapping"]), limits)
        ranked.append((rank, m, mapping, lang))
    if config.from_file and config.inputs_given:
        for pattern, n in sorted(unlisted.items()):
            problems.append(c.make(c.MetadataUnlisted, pattern.split("/*")[0], pattern=pattern, count=n))
    for _rank, m, mapping, lang in sorted(ranked, key=lambda t: (t[0], t[3] or "", t[1].name)):
        oid = ids.file_id(m.stem)
        try:
            text_ = csvio.decode(m.data)
        except csvio.EncodingProblem as exc:
            problems.append(c.make(c.BadEncoding, m.name, position=exc.position))
            continue
        try:
            if m.suffix == ".md":
                fields = mt.parse_markdown(text_, limits)
            elif m.suffix == ".csv":
                got = _csv_fields(m, mapping, limits)
                if got is None:
                    problems.append(c.make(c.IgnoredFile, m.name, detail="a data table in the metadata folder",
                                           detail_zh="元数据文件夹中的数据表"))
                    continue
                fields = got
            else:
                fields = mt.parse_yaml(text_, limits)
        except mt.MetaError as exc:
            problems.append(c.make(c.MetadataUnreadable, m.name, detail=str(exc)))
            continue
        except Refusal as exc:  # a bound of limits crossed (deep, alias bomb, too large, not text)
            problems.append(exc.problem(m.name))
            continue
        if lang is not None:
            out.fields[oid].setdefault(lang, {}).update(fields)
            continue
        out.fields[oid].update(fields)
        out.where.setdefault(oid, m.name)
        if vopt.FIELD in fields:
            out.optimum_at[oid] = (m.name, _csv_row(m, vopt.FIELD, limits) if m.suffix == ".csv" else None)
    return out


def _csv_row(m: Member, field: str, limits: Limits) -> int | None:
    """The data row (1-based, after the header) of the last row naming ``field``."""
    table = csvio.parse(m.data, limits)
    rows = [r for k, r in zip(table.frame["c0"].to_list(), table.frame["row"].to_list(), strict=True) if k == field]
    return rows[-1] if rows else None


# --- data -------------------------------------------------------------------------------------


def _lone(m: Member) -> bool:
    return len(m.parts) == 1 and m.suffix == ".csv" and m.stem.lower().startswith("indicator_")


def _in_data_dir(m: Member, config: cfg.RepoConfig) -> bool:
    dirs = set(DATA_DIRS) | {PurePosixPath(i.pattern).parent.as_posix() for i in config.data_inputs()}
    return any(m.name.startswith(d.rstrip("/") + "/") for d in dirs if d not in ("", "."))


def _unit_default(fields: dict[str, Any]) -> str:
    """The unit of a data file without a unit column: the metadata's ``computation_units`` (a
    ``UNIT_MEASURE.<code>`` translation key stands for the code, as in the data)."""
    unit = text(fields.get("computation_units")).strip()
    return unit.split(".", 1)[1] if unit.startswith("UNIT_MEASURE.") else unit


class _Data:
    def __init__(self) -> None:
        self.frames: list[pl.DataFrame] = []
        self.names_of: dict[str, dict[str, str]] = {}
        self.dims: dict[str, set[str]] = defaultdict(set)
        self.columns_of: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        self.placeholders: dict[str, int] = {}
        self.rejected_files: dict[str, int] = {}
        self.raw: dict[str, RawFile] = {}
        self.code_labels: dict[tuple[str, str], CodeLabel] = {}
        self.ids: dict[str, ids.IdInfo] = {}
        self.files = 0
        self.rows = 0


def _csv_data(m: Member, oid: str, data: _Data, problems: list[Problem], *, meta: _Meta,
              config: cfg.RepoConfig, tr: trs.Translations, mapping: mp.Mapping_, limits: Limits) -> None:
    data.files += 1
    info = ids.describe(oid)
    body = _without_leading_blank_lines(m.data)
    try:
        table = csvio.parse(body, limits)
    except csvio.EncodingProblem as exc:
        problems.append(c.make(c.BadEncoding, m.name, position=exc.position))
        data.rejected_files[m.name] = m.data.count(b"\n")
        return
    except Refusal as exc:  # a bound of limits crossed (columns, cells, rows, time) or not text
        problems.append(exc.problem(m.name))
        data.rejected_files[m.name] = 0
        return
    data.rows += table.rows
    data.raw[m.name] = RawFile(table.header, table.frame, table.ragged)
    if not table.header or table.rows == 0:
        problems.append(c.make(c.NoDataYet, m.name))
        data.placeholders[m.name] = table.rows
        data.ids.setdefault(oid, info)
        return
    kind = _placeholder_kind(table.header, table.rows)
    if kind:
        data.placeholders[m.name] = table.rows
        problems.append(c.make(c.PlaceholderData, m.name, kind=kind, kind_zh=_PLACEHOLDER_ZH[kind], rows=table.rows))
        return
    data.ids.setdefault(oid, info)
    table = _drop_blank_columns(table)
    # the cells are read again from the bytes if a rejects file or a report needs them: a big
    # file's text columns are not kept alive for the whole import
    data.raw[m.name] = RawFile(table.header, None, table.ragged,
                               load=lambda: _drop_blank_columns(csvio.parse(body, limits)).frame)
    roles = [cols.role(h, config) for h in table.header]
    missing = [need for need in ("year", "value") if need not in roles]
    dup = sorted({h for h in table.header if table.header.count(h) > 1})
    if missing or dup:
        for need in missing:
            problems.append(c.make(c.MissingColumn, m.name, None, need.capitalize()))
        for h in dup:
            problems.append(c.make(c.DuplicateColumn, m.name, None, h))
        data.rejected_files[m.name] = table.rows
        return
    for n, cells in table.ragged:
        problems.append(c.make(c.RaggedRow, m.name, n, None, found=len(cells), expected=len(table.header)))
    year_i, value_i = roles.index("year"), roles.index("value")
    values = table.frame[f"c{value_i}"].str.strip_chars().fill_null("")
    if (values == "").all() and table.frame.height <= 3:
        periods = table.frame[f"c{year_i}"].to_list()
        if not any(_is_period(p) for p in periods):
            note = " ".join(p for p in periods if p)
            data.notes[oid] = note
            problems.append(c.make(c.NonStatistical, m.name, text=note[:80]))
            data.placeholders[m.name] = table.rows
            return
    fields = meta.fields.get(oid, {})
    rows = cols.read_file(m.name, info.code, table, mapping=mapping, config=config, translations=tr,
                          unit_default=_unit_default(fields))
    data.dims[oid] |= set(rows.dimensions)
    data.columns_of[oid] = "|".join(table.header)
    data.frames.append(rows.frame)
    data.names_of[m.name] = rows.names
    for cl in rows.code_labels:
        data.code_labels.setdefault((cl.dimension, cl.code), cl)


def _without_leading_blank_lines(data: bytes) -> bytes:
    """Blank lines before the header are not the header (pandas, and so sdg-build, skip them);
    the data rows keep their numbers counted from the header."""
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    stripped = body.lstrip(b" \t\r\n")
    if len(stripped) == len(body):
        return data
    return (b"\xef\xbb\xbf" if bom else b"") + stripped


def _drop_blank_columns(table: csvio.CsvText) -> csvio.CsvText:
    """Columns with no name and no cell (``Year,Value,,,``: trailing commas a spreadsheet left)
    are not columns: sdg-build drops them too (pandas reads them as empty)."""
    blank = [i for i, h in enumerate(table.header)
             if not h.strip() and table.frame[f"c{i}"].fill_null("").str.strip_chars().eq("").all()]
    if not blank:
        return table
    keep = [i for i in range(len(table.header)) if i not in blank]
    frame = table.frame.select([pl.col(f"c{i}").alias(f"c{k}") for k, i in enumerate(keep)] + [pl.col("row")])
    width = len(keep)
    # a row that was ragged only for the blank columns (cells for the named ones, nothing after)
    fits = [(n, cells) for n, cells in table.ragged
            if len(cells) >= width and not any(x.strip() for x in cells[width:])]
    if fits:
        extra = pl.DataFrame({**{f"c{k}": [cells[k] for _, cells in fits] for k in range(width)},
                              "row": [n for n, _ in fits]},
                             schema={**{f"c{k}": pl.String for k in range(width)}, "row": pl.Int64})
        frame = pl.concat([frame, extra]).sort("row")
    ragged = tuple(r for r in table.ragged if r not in fits)
    return csvio.CsvText(tuple(table.header[i] for i in keep), frame, ragged)


def _sdmx_data(m: Member, spec: cfg.Input, data: _Data, problems: list[Problem], *, members: dict[str, Member],
               config: cfg.RepoConfig, limits: Limits) -> None:
    from vlrkit.formats.sdmx.structure import read_structured

    data.files += 1
    dsd_name = str(spec.options.get("dsd") or "").strip()
    dsd = members.get(dsd_name.lstrip("./")) if dsd_name else None
    if dsd_name and dsd is None and not dsd_name.startswith("http"):
        problems.append(c.make(c.MetadataInvalid, cfg.CONFIG_FILE, None, "dsd", value=dsd_name,
                               detail="the DSD file named by the SDMX input is not in the repository",
                               detail_zh="SDMX 输入项指定的 DSD 文件不在仓库中"))
    got = read_structured(m, dsd.data if dsd else None, spec.options, language=config.language, limits=limits)
    problems.extend(got.problems)
    data.rows += got.rows
    if got.raw is not None:
        data.raw[m.name] = got.raw
    if got.rejected:
        data.rejected_files[m.name] = got.rows
        return
    data.frames.append(got.frame)
    data.names_of[m.name] = got.names
    for code_ in got.frame["indicator"].drop_nulls().unique().to_list():
        oid = code_.replace(".", "-")
        data.ids.setdefault(oid, ids.describe(oid))
        data.dims[oid] |= {d for d in tidy.DIMENSIONS if got.frame.filter(pl.col("indicator") == code_)[d].is_not_null().any()}
    for cl in got.code_labels:
        data.code_labels.setdefault((cl.dimension, cl.code), cl)
    for oid, title in got.titles.items():
        data.notes.setdefault(f"title:{oid}", title)


def _is_period(text_: str | None) -> bool:
    try:
        vrows.parse_period(text_ or "")
    except tidy.PeriodError:
        return False
    return True


# --- the repository ---------------------------------------------------------------------------


def read(members: list[Member], mapping: mp.Mapping_ | None = None, limits: Limits = DEFAULT_LIMITS) -> Parsed:
    """Read the Open SDG data files and metadata among ``members`` (see the module doc), within
    ``limits`` (a file crossing one is reported and not read)."""
    problems: list[Problem] = []
    if mapping is None:
        mapping = mp.DEFAULT
    for m in members:
        if m.name == mp.MAPPING_FILE:
            mapping = mp.load(m.data, mapping, limits)
    config = cfg.load(members, problems, limits)
    tr = trs.load(members, config.translation_dirs, problems, limits)
    meta = _read_metadata(members, config, problems, limits)
    by_name = {m.name: m for m in members}
    data = _Data()
    dsds = {str(i.options.get("dsd") or "").lstrip("./") for i in config.data_inputs()}
    patterns = ", ".join(i.pattern for i in config.data_inputs()) or "data/*-*.csv"
    for m in sorted(members, key=lambda m: m.name):
        spec = config.data_input(m.name)
        if spec is not None and spec.cls == "InputCsvData" and m.suffix == ".csv" or spec is None and _lone(m):
            _csv_data(m, ids.file_id(m.stem), data, problems, meta=meta, config=config, tr=tr, mapping=mapping,
                      limits=limits)
        elif spec is not None and spec.cls in _SDMX_CLASSES and m.suffix == ".xml":
            _sdmx_data(m, spec, data, problems, members=by_name, config=config, limits=limits)
        elif m.name in dsds:
            continue
        elif m.suffix in (".csv", ".xlsx", ".xml") and _in_data_dir(m, config):
            detail = (f"no input of the repository's configuration reads it ({patterns})" if config.from_file
                      else "the file name is not indicator_<goal>-<target>-<indicator>.csv")
            detail_zh = (f"仓库配置中没有读取它的输入项（{patterns}）" if config.from_file
                         else "文件名不是 indicator_<目标>-<具体目标>-<指标>.csv")
            problems.append(c.make(c.IgnoredFile, m.name, detail=detail, detail_zh=detail_zh))
    indicators: list[LocalIndicator] = []
    links: list[SdgLink] = []
    targets: list[Target] = []
    all_ids = set(data.ids) | set(meta.fields)
    for oid in sorted(all_ids, key=_sort_key):
        info = data.ids.get(oid) or ids.describe(oid)
        fields = dict(meta.fields.get(oid, {}))
        if oid in data.columns_of:
            fields["opensdg_columns"] = data.columns_of[oid]
        if oid in data.notes:
            fields["data_note"] = data.notes[oid]
        if f"title:{oid}" in data.notes and not any(k in fields for k in ("indicator_name", "graph_title")):
            fields["indicator_name"] = data.notes[f"title:{oid}"]
        if oid not in meta.fields and oid in data.ids:
            problems.append(c.make(c.MetadataMissing, f"data/indicator_{oid}.csv", value=info.code))
        ind, lk, tg, mprobs = to_indicator(info, fields, meta.where.get(oid, f"meta/{oid}.md"),
                                           language=config.language, languages=config.languages,
                                           translations=tr, unit_default=_unit_default(fields),
                                           optimum_at=meta.optimum_at.get(oid))
        if data.dims.get(oid):
            ind = replace(ind, dimensions=tuple(d for d in tidy.DIMENSIONS if d in data.dims[oid]))
        if boolean(fields.get("data_non_statistical")) and oid not in data.columns_of:
            ind = replace(ind, extra={**ind.extra, "data_non_statistical": "true"})
        indicators.append(ind)
        links.extend(lk)
        targets.extend(tg)
        problems.extend(mprobs)
    if data.frames:
        observations, row_problems = vrows.coerce(pl.concat(data.frames, how="diagonal_relaxed"), data.names_of,
                                                  limits.problems_per_type)
        problems.extend(row_problems)
        # rows whose indicator is unknown (an SDMX series with no indicator) are reported above
        observations = observations.with_columns((pl.col("_reject") | pl.col("indicator").is_null()).alias("_reject"))
    else:
        observations = Parsed().observations
    return Parsed(
        observations=observations, indicators=tuple(indicators), links=tuple(links),
        targets=tuple(targets), problems=tuple(problems), files=data.files, rows=data.rows,
        placeholders=data.placeholders, rejected_files=data.rejected_files, raw=data.raw, format="opensdg",
        code_labels=tuple(data.code_labels.values()),
    )


def _sort_key(oid: str) -> tuple[Any, ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in oid.split("-"))
