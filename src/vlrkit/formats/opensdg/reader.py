"""Read an Open SDG data repository (or single Open SDG data files) into tidy rows + metadata.

Data files are ``data/indicator_<g>-<t>-<i>.csv`` (a lone ``indicator_*.csv`` is read too):
``Year`` first, ``Value`` last, the special columns of sdg-build (``Units``, ``Series``,
``GeoCode``, ``Observation status``…) and disaggregation columns in between, mapped onto the
coded dimensions by :mod:`vlrkit.formats.opensdg.mapping`.  Metadata comes from
:mod:`vlrkit.formats.opensdg.meta`.  The starter's placeholder files (``Year,Group,Value``) and
the demo fixtures (``Grade``/``Planet``/``Fruit``) are reported, not read as data.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.formats.labels import labels as labels_of
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits, Refusal
from vlrkit.formats.opensdg import mapping as mp
from vlrkit.formats.opensdg import meta as mt
from vlrkit.formats.safety import restore_expr
from vlrkit.formats.sources import Member
from vlrkit.formats.tabular import csvio
from vlrkit.review import LocalIndicator, SdgLink, Target
from vlrkit.validation import catalogue as c
from vlrkit.validation import optimum as vopt
from vlrkit.validation import rows as vrows
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.parsed import Parsed, RawFile

#: Column sets of the Open SDG starter's dummy file and of the demo fixture.
PLACEHOLDER_HEADER = ("year", "group", "value")
PLACEHOLDER_MAX_ROWS = 12
DEMO_COLUMNS = {"grade", "planet", "fruit"}
#: Separator of the parts of a composite series (Series value, unmapped disaggregations).
SERIES_SEP = " | "
META_DIRS = ("meta", "indicator-config")


def is_repository(members: list[Member]) -> bool:
    """True if the members look like an Open SDG repository or Open SDG data files."""
    return any(_data_id(m) is not None for m in members)


def _data_id(m: Member) -> str | None:
    if m.suffix != ".csv":
        return None
    parts = m.parts
    if len(parts) == 1 or (len(parts) >= 2 and parts[-2] == "data"):
        return mt.indicator_id(m.stem) if m.stem.lower().startswith("indicator_") else None
    return None


def _placeholder_kind(header: tuple[str, ...], nrows: int) -> str | None:
    norm = tuple(mp.normalise(h) for h in header)
    if norm == PLACEHOLDER_HEADER and nrows <= PLACEHOLDER_MAX_ROWS:
        return "Open SDG starter placeholder"
    if DEMO_COLUMNS <= set(norm):
        return "Open SDG demo fixture"
    return None


_PLACEHOLDER_ZH = {"Open SDG starter placeholder": "Open SDG 模板占位文件", "Open SDG demo fixture": "Open SDG 演示数据"}


def _read_metadata(
    members: list[Member], problems: list[Problem], limits: Limits = DEFAULT_LIMITS
) -> tuple[dict[str, dict[str, Any]], dict[str, str], dict[str, tuple[str, int | None]]]:
    """Merged metadata per Open SDG id, the file each came from (for problems), and the file and
    row (key/value CSV only) of the ``optimum`` field that won the merge."""
    order = {".md": 0, ".yml": 1, ".yaml": 1, ".csv": 3}
    found: list[tuple[int, str, Member]] = []
    for m in members:
        parts = m.parts
        if len(parts) < 2 or parts[-2] not in META_DIRS or m.suffix not in order:
            continue
        oid = mt.indicator_id(m.stem)
        if oid is None:
            continue
        rank = order[m.suffix] + (1 if parts[-2] == "indicator-config" and m.suffix != ".csv" else 0)
        found.append((rank, oid, m))
    merged: dict[str, dict[str, Any]] = defaultdict(dict)
    where: dict[str, str] = {}
    optimum_at: dict[str, tuple[str, int | None]] = {}
    for _rank, oid, m in sorted(found, key=lambda t: (t[0], t[2].name)):
        try:
            text = csvio.decode(m.data)
        except csvio.EncodingProblem as exc:
            problems.append(c.make(c.BadEncoding, m.name, position=exc.position))
            continue
        try:
            if m.suffix == ".md":
                fields = mt.parse_markdown(text, limits)
            elif m.suffix == ".csv":
                table = csvio.parse(m.data, limits)
                keys = table.frame["c0"].to_list() if table.header and table.frame.width > 1 else []
                if not mt.is_key_value_csv(table.header, [table.header[0], *keys] if table.header else []):
                    problems.append(c.make(c.IgnoredFile, m.name, detail="a data table in the metadata folder",
                                           detail_zh="元数据文件夹中的数据表"))
                    continue
                fields = {table.header[0]: table.header[1]}
                fields.update(dict(zip(keys, table.frame["c1"].to_list(), strict=True)))
                if vopt.FIELD in fields:  # the last row naming it wins, as in the dict
                    rows = [r for k, r in zip(keys, table.frame["row"].to_list(), strict=True) if k == vopt.FIELD]
                    optimum_at[oid] = (m.name, rows[-1] if rows else None)
            else:
                fields = mt.parse_yaml(text, limits)
        except mt.MetaError as exc:
            problems.append(c.make(c.MetadataUnreadable, m.name, detail=str(exc)))
            continue
        except Refusal as exc:  # a bound of limits crossed (deep, alias bomb, too large)
            problems.append(exc.problem(m.name))
            continue
        merged[oid].update(fields)
        where.setdefault(oid, m.name)
        if vopt.FIELD in fields and m.suffix != ".csv":
            optimum_at[oid] = (m.name, None)
    return dict(merged), where, optimum_at


def _observations(
    oid: str, name: str, table: csvio.CsvText, mapping: mp.Mapping_, unit_default: str
) -> tuple[pl.DataFrame, dict[str, str], tuple[str, ...]]:
    """Raw (text) tidy rows of one data file, the tidy→file column names, and dimensions used."""
    header = table.header
    code = mt.code_of(oid)
    special: dict[str, int] = {}
    dims: dict[str, int] = {}
    unmapped: list[int] = []
    for i, heading in enumerate(header):
        sp = mapping.special(heading)
        if sp is not None and sp not in special and sp != "GeoCode":
            special[sp] = i
            continue
        dim = "GEO" if sp == "GeoCode" else mapping.dimension(heading)
        if dim is not None and dim not in dims:
            dims[dim] = i
        else:
            unmapped.append(i)
    f = table.frame
    col = table.column

    def text(i: int) -> pl.Expr:
        return restore_expr(pl.col(f"c{i}")).str.strip_chars()

    def nonempty(e: pl.Expr) -> pl.Expr:
        return pl.when(e == "").then(None).otherwise(e)

    exprs = [
        pl.lit(code).alias("indicator"),
        col(special["Year"]).str.strip_chars().alias("period"),
        col(special["Value"]).alias("value"),
        (nonempty(text(special["Units"])) if "Units" in special else pl.lit(unit_default or None, dtype=pl.String)).alias("unit"),
        pl.lit(name).alias("file"),
        pl.col("row"),
    ]
    status = special.get("Observation status", special.get("OBS_STATUS"))
    exprs.append((nonempty(text(status)) if status is not None else pl.lit(None, dtype=pl.String)).alias("obs_status"))
    for dim, i in dims.items():
        codes = mapping.code_table(dim)
        label = nonempty(text(i))
        if codes:
            norm = mp.normalise_expr(label)
            coded = norm.replace_strict(dict(codes), default=None, return_dtype=pl.String)
            exprs.append(pl.coalesce(coded, label).alias(dim))
        else:
            exprs.append(label.alias(dim))
    series_parts = []
    if "Series" in special:
        series_parts.append(nonempty(text(special["Series"])))
    for i in unmapped:
        series_parts.append(nonempty(text(i)))
    series = (pl.concat_str(series_parts, separator=SERIES_SEP, ignore_nulls=True) if series_parts else pl.lit(""))
    exprs.append(series.fill_null("").alias("series"))
    label_cols = [i for i in range(len(header)) if i not in (special["Year"], special["Value"])]
    raw = f.select(exprs).with_columns(pl.Series("labels", _labels(f, header, label_cols), dtype=pl.String))
    names = {"period": header[special["Year"]], "value": header[special["Value"]]}
    if status is not None:
        names["obs_status"] = header[status]
    return raw, names, tuple(d for d in tidy.DIMENSIONS if d in dims)


def _labels(frame: pl.DataFrame, header: tuple[str, ...], cols: list[int]) -> pl.Series:
    """Per row, the JSON object of original column -> original cell text (non-empty cells)."""
    return labels_of(frame, [header[i] for i in cols], [f"c{i}" for i in cols])


def read(members: list[Member], mapping: mp.Mapping_ | None = None, limits: Limits = DEFAULT_LIMITS) -> Parsed:
    """Read the Open SDG data files and metadata among ``members`` (see the module doc), within
    ``limits`` (a file crossing one is reported and not read)."""
    problems: list[Problem] = []
    if mapping is None:
        mapping = mp.DEFAULT
    for m in members:
        if m.name == mp.MAPPING_FILE:
            mapping = mp.load(m.data, mapping, limits)
    meta, meta_where, optimum_at = _read_metadata(members, problems, limits)
    frames: list[pl.DataFrame] = []
    placeholders: dict[str, int] = {}
    rejected_files: dict[str, int] = {}
    raw_files: dict[str, RawFile] = {}
    data_dims: dict[str, tuple[str, ...]] = {}
    columns_of: dict[str, str] = {}
    notes: dict[str, str] = {}
    names_of: dict[str, dict[str, str]] = {}
    files = rows = 0
    for m in sorted(members, key=lambda m: m.name):
        oid = _data_id(m)
        if oid is None:
            if m.suffix == ".csv" and len(m.parts) > 2 and "data" in m.parts[:-1]:
                problems.append(c.make(c.IgnoredFile, m.name, detail="a data file in a sub-folder of data/",
                                       detail_zh="位于 data/ 子文件夹中的数据文件"))
            elif m.suffix == ".csv" and m.parts[0] == "data" and len(m.parts) == 2:
                try:
                    table = csvio.parse(m.data, limits)
                    kind = _placeholder_kind(table.header, table.rows)
                except csvio.EncodingProblem:
                    kind = None
                except Refusal as exc:
                    problems.append(exc.problem(m.name))
                    continue
                if kind:
                    files += 1
                    rows += table.rows
                    placeholders[m.name] = table.rows
                    problems.append(c.make(c.PlaceholderData, m.name, kind=kind, kind_zh=_PLACEHOLDER_ZH[kind], rows=table.rows))
                else:
                    problems.append(c.make(c.IgnoredFile, m.name, detail="the file name is not indicator_<goal>-<target>-<indicator>.csv",
                                           detail_zh="文件名不是 indicator_<目标>-<具体目标>-<指标>.csv"))
            continue
        files += 1
        try:
            table = csvio.parse(m.data, limits)
        except csvio.EncodingProblem as exc:
            problems.append(c.make(c.BadEncoding, m.name, position=exc.position))
            rejected_files[m.name] = m.data.count(b"\n")
            continue
        except Refusal as exc:
            problems.append(exc.problem(m.name))
            rejected_files[m.name] = 0
            continue
        rows += table.rows
        raw_files[m.name] = csvio.raw_file(table, m.data, limits)
        if not table.header or table.rows == 0:
            problems.append(c.make(c.EmptyFile, m.name))
            rejected_files[m.name] = table.rows
            continue
        kind = _placeholder_kind(table.header, table.rows)
        if kind:
            placeholders[m.name] = table.rows
            problems.append(c.make(c.PlaceholderData, m.name, kind=kind, kind_zh=_PLACEHOLDER_ZH[kind], rows=table.rows))
            continue
        norm = [mp.normalise(h) for h in table.header]
        missing = [need for need in ("Year", "Value") if mp.normalise(need) not in norm]
        dup = {h for h in table.header if table.header.count(h) > 1}
        if missing or dup:
            for need in missing:
                problems.append(c.make(c.MissingColumn, m.name, None, need))
            for h in sorted(dup):
                problems.append(c.make(c.DuplicateColumn, m.name, None, h))
            rejected_files[m.name] = table.rows
            continue
        for n, cells in table.ragged:
            problems.append(c.make(c.RaggedRow, m.name, n, None, found=len(cells), expected=len(table.header)))
        fields = meta.get(oid, {})
        unit_default = mt._text(fields.get("computation_units")).strip()
        raw, names, dims = _observations(oid, m.name, table, mapping, unit_default)
        year_i = norm.index("year")
        value_i = norm.index("value")
        values = table.frame[f"c{value_i}"].str.strip_chars().fill_null("")
        if (values == "").all() and table.frame.height <= 3:
            periods = table.frame[f"c{year_i}"].to_list()
            if not any(_is_period(p) for p in periods):
                note = " ".join(p for p in periods if p)
                notes[oid] = note
                problems.append(c.make(c.NonStatistical, m.name, text=note[:80]))
                placeholders[m.name] = table.rows
                continue
        data_dims[oid] = tuple(sorted(set(data_dims.get(oid, ())) | set(dims), key=tidy.DIMENSIONS.index))
        columns_of[oid] = "|".join(table.header)
        frames.append(raw)
        names_of[m.name] = names
    table = None  # type: ignore[assignment]  # free the last file's text columns before the checks
    indicators: list[LocalIndicator] = []
    links: list[SdgLink] = []
    targets: list[Target] = []
    data_ids = {
        oid_ for n in raw_files
        if (oid_ := mt.indicator_id(PurePosixPath(n).stem)) is not None
    }
    for oid in sorted(set(meta) | data_ids, key=_sort_key):
        fields = dict(meta.get(oid, {}))
        if oid in columns_of:
            fields["opensdg_columns"] = columns_of[oid]
        if oid in notes:
            fields["data_note"] = notes[oid]
        if oid not in meta and oid in columns_of:
            problems.append(c.make(c.MetadataMissing, f"data/indicator_{oid}.csv", value=mt.code_of(oid)))
        ind, lk, tg, mprobs = mt.to_indicator(oid, fields, meta_where.get(oid, f"meta/{oid}.md"),
                                              optimum_at=optimum_at.get(oid))
        if oid in data_dims:
            from dataclasses import replace

            ind = replace(ind, dimensions=data_dims[oid])
        indicators.append(ind)
        links.extend(lk)
        targets.extend(tg)
        problems.extend(mprobs)
    if frames:
        observations, row_problems = vrows.coerce(pl.concat(frames, how="diagonal"), names_of)
        problems.extend(row_problems)
    else:
        observations = Parsed().observations
    return Parsed(
        observations=observations, indicators=tuple(indicators), links=tuple(links),
        targets=tuple(targets), problems=tuple(problems), files=files, rows=rows,
        placeholders=placeholders, rejected_files=rejected_files, raw=raw_files, format="opensdg",
    )


def _is_period(text: str | None) -> bool:
    try:
        vrows.parse_period(text or "")
    except tidy.PeriodError:
        return False
    return True


def _sort_key(oid: str) -> tuple[Any, ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in oid.split("-"))
