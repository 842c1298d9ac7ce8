"""The columns of an Open SDG data file and the raw tidy rows they make.

Each column of a data file takes one *role* (:func:`role`):

==============  ===========================================================  ==================
role            columns (compared normalised: case, spaces and signs ignored)  tidy column
==============  ===========================================================  ==================
``year``        ``Year``, ``TIME_PERIOD``                                     ``period``
``value``       ``Value``, ``OBS_VALUE``                                      ``value``
``series``      ``Series``, ``SERIES`` (or the config's ``series_column``)    ``series``
``unit``        ``Units``, ``Unit measure``, ``UNIT_MEASURE`` (``unit_column``)  ``unit``
``status``      ``Observation status``, ``OBS_STATUS``                        ``obs_status``
``source``      ``SOURCE_DETAIL``                                             ``source``
``geocode``     ``GeoCode``                                                   the ``GEO`` code
``attribute``   ``Unit multiplier``, ``COMMENT_OBS``, ``NATURE`` … and the    ``labels`` only
                config's other ``non_disaggregation_columns``
``dimension``   a column the mapping puts on a coded dimension (``Sex``,      ``SEX`` … ``GEO``
                ``REF_AREA`` → ``GEO``; :mod:`~vlrkit.formats.opensdg.mapping`)
``breakdown``   every other column: kept as a dimension of its own            ``breakdown``
==============  ===========================================================  ==================

A second column of a role already taken (two unit columns) is kept in the breakdown, so that no
row is merged with another.  Every cell but the year and value is also kept in ``labels``.
Codes in the data (``SEX: M``, ``REF_AREA: KZAKM``, ``UNIT_MEASURE: PT``) get their names in
every language from the repository's translations, as :class:`~vlrkit.review.CodeLabel` rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from vlrkit import tidy
from vlrkit.formats.opensdg import mapping as mp
from vlrkit.formats.opensdg.config import RepoConfig
from vlrkit.formats.opensdg.translations import Translations
from vlrkit.formats.safety import restore, restore_expr
from vlrkit.formats.tabular import csvio
from vlrkit.review import CodeLabel

_ROLES = {
    "year": "year", "timeperiod": "year",
    "value": "value", "obsvalue": "value",
    "series": "series",
    "units": "unit", "unit": "unit", "unitmeasure": "unit", "unitofmeasure": "unit",
    "observationstatus": "status", "obsstatus": "status",
    "sourcedetail": "source",
    "geocode": "geocode",
    "unitmultiplier": "attribute", "unitmult": "attribute", "commentobs": "attribute",
    "commentts": "attribute", "datalastupdate": "attribute", "nature": "attribute",
    "timedetail": "attribute", "reportingtype": "attribute", "freq": "attribute",
}
#: SDMX dimension names written as columns that are the tidy dimension of the same name.
_SDMX_DIMENSIONS = {d.lower(): d for d in tidy.DIMENSIONS} | {"refarea": "GEO"}


def role(column: str, config: RepoConfig | None = None) -> str:
    """The role of a data column (see the module doc); ``dimension`` or ``breakdown`` for the
    rest (the caller asks the mapping which)."""
    key = mp.normalise(column)
    if config is not None:
        if column == config.series_column:
            return "series"
        if column == config.unit_column:
            return "unit"
    if key in _ROLES:
        return _ROLES[key]
    if config is not None and column in config.non_disaggregation:
        return "attribute"
    return "other"


@dataclass(frozen=True)
class FileRows:
    """The raw rows of one data file and what was learnt from its columns."""

    frame: pl.DataFrame  # text columns of the tidy table + file, row, labels
    names: dict[str, str]  # tidy column -> the file's column name (for problems)
    dimensions: tuple[str, ...]  # coded dimensions the file uses
    breakdowns: tuple[str, ...]  # its columns kept as breakdown
    code_labels: tuple[CodeLabel, ...]


def _columns(header: tuple[str, ...], mapping: mp.Mapping_, config: RepoConfig) -> tuple[
        dict[str, int], dict[str, int], list[int], list[int]]:
    """The role columns, the coded-dimension columns, the mixed and the breakdown columns."""
    roles: dict[str, int] = {}
    dims: dict[str, int] = {}
    mixed: list[int] = []
    breakdown: list[int] = []
    for i, h in enumerate(header):
        r = role(h, config)
        if r == "other":
            dim = mapping.dimension(h) or _SDMX_DIMENSIONS.get(mp.normalise(h))
            if dim == mp.MIXED:
                mixed.append(i)
            elif dim is not None and dim not in dims:
                dims[dim] = i
            else:
                breakdown.append(i)
        elif r == "attribute":
            continue
        elif r not in roles:
            roles[r] = i
        elif r in ("unit", "series"):
            breakdown.append(i)  # a second unit or series column: kept apart, never merged
    return roles, dims, mixed, breakdown


def read_file(
    name: str, code: str, table: csvio.CsvText, *, mapping: mp.Mapping_, config: RepoConfig,
    translations: Translations, unit_default: str = "",
) -> FileRows:
    """The raw tidy rows of one Open SDG data file (``code`` is the local indicator code).

    The cells other than year and value repeat from year to year, so each distinct combination
    of them is worked out once (codes, breakdown, labels) and joined back to its rows."""
    header = table.header
    roles, dims, mixed, breakdown = _columns(header, mapping, config)
    year_i, value_i = roles["year"], roles["value"]
    key_cols = [f"c{i}" for i in range(len(header)) if i not in (year_i, value_i)]
    f = table.frame
    uniq = f.select(key_cols).unique(maintain_order=True) if key_cols else pl.DataFrame({"_one": [0]})
    labels_of: dict[tuple[str, str], dict[str, str]] = {}

    def label_codes(group: str, code_: str) -> None:
        if (group, code_) not in labels_of:
            names = translations.code_names(group, code_)
            if names:
                labels_of[(group, code_)] = names

    code_cache: dict[tuple[str, str], str | None] = {}

    def coded(dim: str, column: str, label: str) -> str | None:
        key = (dim, label)
        if key not in code_cache:
            got = mapping.code(dim, label)
            if got is None:  # a label in one of the repository's languages: its code
                back = translations.code_of_label(column, label) or translations.code_of_label(dim, label)
                got = mapping.code(dim, back) if back else None
            code_cache[key] = got
        return code_cache[key]

    def text_of(v: str | None) -> str | None:
        return None if v is None or v.strip() == "" else restore(v).strip()

    index = {i: k for k, i in enumerate(i for i in range(len(header)) if i not in (year_i, value_i))}
    out_cols: dict[str, list[str | None]] = {c_: [] for c_ in ("series", "unit", "obs_status", "source", *tidy.DIMENSIONS,
                                                               "breakdown", "labels")}
    used: set[str] = set()
    for cells_ in uniq.iter_rows():
        def cell(i: int, cells_: tuple[str | None, ...] = cells_) -> str | None:
            return text_of(cells_[index[i]])
        row: dict[str, str | None] = {d: None for d in tidy.DIMENSIONS}
        kept: dict[str, str] = {}
        for dim, i in dims.items():
            label = cell(i)
            if label is None:
                continue
            got = coded(dim, header[i], label)
            if got is None:
                kept[header[i]] = label  # not a code of this dimension: unforced, kept apart
            elif got:
                row[dim] = got
                label_codes(header[i] if header[i].isupper() else dim, got)
        for i in mixed:
            label = cell(i)
            if label is None:
                continue
            hit = mapping.mixed_code(label)
            if hit and row[hit[0]] is None:
                row[hit[0]] = hit[1]
            elif mp.normalise(label) not in mp.TOTAL_LABELS:
                kept[header[i]] = label
        for i in breakdown:
            label = cell(i)
            if label is not None:
                kept[header[i]] = label
                label_codes(header[i], label)
        if "geocode" in roles and "GEO" not in dims and row["GEO"] is None:
            # GeoCode alone names the area; beside an area column it is only kept (in labels):
            # the area column is what tells rows apart (publishers do give two areas one GeoCode)
            row["GEO"] = cell(roles["geocode"])
        series = cell(roles["series"]) if "series" in roles else None
        unit = cell(roles["unit"]) if "unit" in roles else (unit_default or None)
        for group, v in (("SERIES", series), ("UNIT_MEASURE", unit)):
            if v is not None:
                label_codes(group, v)
        used.update(d for d, v in row.items() if v is not None)
        out_cols["series"].append(series)
        out_cols["unit"].append(unit)
        out_cols["obs_status"].append(cell(roles["status"]) if "status" in roles else None)
        out_cols["source"].append(cell(roles["source"]) if "source" in roles else None)
        for d in tidy.DIMENSIONS:
            out_cols[d].append(row[d])
        out_cols["breakdown"].append(tidy.breakdown_text(kept))
        out_cols["labels"].append(json.dumps({header[i]: restore(v) for i, v in
                                              ((i, cells_[k]) for i, k in index.items()) if v},
                                             ensure_ascii=False))
    parts = uniq.with_columns([pl.Series(k, v, dtype=pl.String) for k, v in out_cols.items()])
    base = f.select(restore_expr(pl.col(f"c{year_i}")).str.strip_chars().alias("period"),
                    restore_expr(pl.col(f"c{value_i}")).alias("value"), pl.col("row"), *key_cols)
    frame = (base.join(parts, on=key_cols, how="left", maintain_order="left", nulls_equal=True) if key_cols
             else base.with_columns([pl.lit(v[0], dtype=pl.String).alias(k) for k, v in out_cols.items()]))
    frame = frame.select(
        pl.lit(code).alias("indicator"), "period", "value", "series", "unit", "obs_status", "source",
        *tidy.DIMENSIONS, "breakdown", "labels", pl.lit(name).alias("file"), "row",
    )
    names = {"period": header[year_i], "value": header[value_i]}
    if "status" in roles:
        names["obs_status"] = header[roles["status"]]
    code_labels = tuple(
        CodeLabel(dimension=_label_dimension(group), code=code_, names=names_)
        for (group, code_), names_ in sorted(labels_of.items())
    )
    return FileRows(frame, names, tuple(d for d in tidy.DIMENSIONS if d in dims or d in used),
                    tuple(header[i] for i in breakdown + mixed), code_labels)


def _label_dimension(group: str) -> str:
    """The CodeLabel dimension of a translation group: a tidy dimension by its SDMX name
    (``REF_AREA`` is ``GEO``), else the group (a breakdown column, UNIT_MEASURE, SERIES)."""
    return "GEO" if group == "REF_AREA" else group
