"""Write a review to a review package (folder or zip) and read it back.

Layout of a package::

    datapackage.json            Frictionless descriptor; review metadata under "vlrkit"
    data/indicators.csv …       one CSV per table of vlrkit.formats.package.tables.TABLES
    data/observations.csv       the tidy observation table (vlrkit.tidy columns)
    narratives/<lang>/<GE-id>.md  the narrative of each section, as written

Writing is deterministic (sorted rows, canonical cells, fixed zip timestamps), so export →
import → export gives the same bytes.  Reading checks every cell (and each indicator's SDSN
``optimum`` rule in ``extra``, alone and against the indicator's direction, local target and
thresholds, :mod:`vlrkit.validation.optimum`) and raises :class:`PackageError` naming the file,
row and column of the first problem.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.formats import spreadsheet
from vlrkit.formats.package.tables import TABLES, CellError, Table
from vlrkit.formats.safety import restore
from vlrkit.review import model as rm
from vlrkit.review.model import SECTIONS
from vlrkit.validation import optimum as vopt
from vlrkit.validation.catalogue import Problem

FORMAT_VERSION = 1
MAX_MEMBER_BYTES = 2_000_000_000  # refuse zip members that claim more (zip-bomb guard)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

#: Observation columns and their Frictionless types; text columns where "" and null differ.
OBS_TYPES: dict[str, str] = {
    c: ("integer" if t in (pl.Int32(), pl.Int64()) else "number" if t == pl.Float64() else "string")
    for c, t in tidy.SCHEMA.items()
}
OBS_NULLABLE_TEXT = {*tidy.DIMENSIONS, "import_id", "file"}


class PackageError(ValueError):
    """A review package that cannot be read; the message says where and why."""


# --- writing ----------------------------------------------------------------------------------


def _csv_bytes(header: list[str], rows: Iterable[list[str]]) -> bytes:
    """Text cells are neutralised against formula injection; :func:`_rows` restores them."""
    return spreadsheet.csv_bytes(header, rows)


def _plain(obj: Any) -> Any:
    """A dataclass as JSON-ready data (tuples as lists, mappings as dicts)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict) or hasattr(obj, "items"):
        return {str(k): _plain(v) for k, v in obj.items()}
    return obj


def _observation_rows(frame: pl.DataFrame) -> Iterator[list[str]]:
    frame = tidy.conform(frame).select(tidy.COLUMNS)
    frame = frame.sort(["indicator", "year", "period", "series", "unit", *tidy.DIMENSIONS],
                       nulls_last=False)
    floats = {c for c, t in OBS_TYPES.items() if t == "number"}
    for row in frame.iter_rows():
        out = []
        for col, value in zip(tidy.COLUMNS, row, strict=True):
            if value is None:
                out.append("")
            elif col in floats:
                out.append(repr(float(value) + 0.0))  # no -0.0: databases drop the sign
            else:
                out.append(str(value))
        yield out


def package_files(review: rm.Review) -> dict[str, bytes]:
    """The package as a mapping of relative path → bytes (what gets written to disk or zip)."""
    files: dict[str, bytes] = {}
    resources: list[dict[str, Any]] = []
    for table in TABLES:
        items = sorted(getattr(review, table.attr), key=partial(_sort_key, table))
        path = f"data/{table.name}.csv"
        files[path] = _csv_bytes([c.name for c in table.columns], (table.row(i) for i in items))
        resources.append(_tabular(table.name, path, table.title, table.schema()))
    files["data/observations.csv"] = _csv_bytes(list(tidy.COLUMNS),
                                                _observation_rows(review.observations))
    resources.append(_tabular("observations", "data/observations.csv", "Observations", {
        "fields": [{"name": c, "type": OBS_TYPES[c]} for c in tidy.COLUMNS]}))
    for n in sorted(review.narratives, key=lambda n: (n.lang, n.section)):
        path = f"narratives/{n.lang}/{n.section}.md"
        files[path] = n.text.encode("utf-8")
        resources.append({
            "name": f"narrative.{n.section}.{n.lang}".lower(), "path": path, "format": "md",
            "mediatype": "text/markdown", "encoding": "utf-8",
            "title": f"Narrative {n.section} ({n.lang})",
        })
    e, ed = review.entity, review.edition
    descriptor = {
        "profile": "data-package",
        "name": f"vlr-{e.code}-{ed.code}".lower().replace(" ", "-"),
        "title": ed.title.get("en") or f"Voluntary Local Review {ed.year}",
        "vlrkit": {"format_version": FORMAT_VERSION, "entity": _plain(e), "edition": _plain(ed)},
        "resources": resources,
    }
    files["datapackage.json"] = (
        json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")
    return files


def _sort_key(table: Table, item: Any) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in table.row(item))


def _tabular(name: str, path: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "path": path, "title": title, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def write_package(review: rm.Review, out: Path) -> Path:
    """Write the package to a folder, or to a zip file if ``out`` ends in ``.zip``."""
    files = package_files(review)
    out = Path(out)
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(files):
                info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, files[path])
        return out
    if out.exists() and not out.is_dir():
        raise PackageError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out


# --- reading ----------------------------------------------------------------------------------


def _open_files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes()
                for p in path.rglob("*") if p.is_file()}
    if zipfile.is_zipfile(path):
        files = {}
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_MEMBER_BYTES:
                raise PackageError(f"{path}: the zip would unpack to more than 2 GB; refused")
            for info in infos:
                name = PurePosixPath(info.filename)
                if info.is_dir():
                    continue
                if name.is_absolute() or ".." in name.parts:
                    raise PackageError(f"{path}: unsafe member name {info.filename!r}")
                files[name.as_posix()] = zf.read(info)
        # a zip of a folder: strip the common top folder
        if "datapackage.json" not in files:
            tops = {n.split("/", 1)[0] for n in files}
            if len(tops) == 1 and f"{next(iter(tops))}/datapackage.json" in files:
                top = next(iter(tops)) + "/"
                files = {n.removeprefix(top): b for n, b in files.items()}
        return files
    if not path.exists():
        raise PackageError(f"{path} does not exist")
    raise PackageError(f"{path} is neither a folder nor a zip file")


def _rows(files: dict[str, bytes], path: str, header: list[str]) -> Iterator[tuple[int, dict]]:
    if path not in files:
        raise PackageError(f"{path}: missing from the package")
    try:
        text = files[path].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    found = next(reader, None)
    if found != header:
        missing = [c for c in header if c not in (found or [])]
        extra = [c for c in (found or []) if c not in header]
        raise PackageError(
            f"{path}: header does not match the package format"
            + (f"; missing columns: {', '.join(missing)}" if missing else "")
            + (f"; unexpected columns: {', '.join(extra)}" if extra else "")
        )
    for n, cells in enumerate(reader, start=2):
        if len(cells) != len(header):
            raise PackageError(f"{path}, row {n}: {len(cells)} cells, expected {len(header)}")
        yield n, {h: restore(cell) for h, cell in zip(header, cells, strict=True)}


def _read_table(files: dict[str, bytes], table: Table) -> tuple[Any, ...]:
    path = f"data/{table.name}.csv"
    items = []
    for n, cells in _rows(files, path, [c.name for c in table.columns]):
        try:
            items.append(table.parse(cells))
        except (CellError, TypeError) as exc:
            raise PackageError(f"{path}, row {n}: {exc}") from None
        if isinstance(items[-1], rm.LocalIndicator):
            _check_optimum(items[-1], path, n)
    return tuple(items)


def _check_optimum(ind: rm.LocalIndicator, path: str, row: int) -> None:
    """The SDSN optimum rule travels in ``extra``; one the assessment cannot use is refused."""
    _refuse(vopt.check(ind.extra.get(vopt.FIELD, ""), unit=ind.unit, file=path, row=row,
                       column=f"extra.{vopt.FIELD}"))


def _check_optimum_records(tables: dict[str, tuple[Any, ...]]) -> None:
    """Each indicator's optimum rule against its local target and thresholds (separate tables,
    so judged once all are read); the first contradiction refuses the package."""
    path = "data/indicators.csv"
    targets = vopt.assessed_targets(tables["targets"])
    best = {t.indicator: t.optimum for t in tables["thresholds"]}
    # one item per record, in file order: the header is row 1 (as _rows numbers them)
    for row, ind in enumerate(tables["indicators"], start=2):
        _refuse(vopt.check_record(ind.extra.get(vopt.FIELD, ""), direction=ind.direction,
                                  target=targets.get(ind.code), best=best.get(ind.code), file=path,
                                  row=row, column=f"extra.{vopt.FIELD}"))


def _refuse(found: list[Problem]) -> None:
    if found:
        p = found[0]
        raise PackageError(f"{p.file}, row {p.row}, column extra ({vopt.FIELD}): {p.type}: "
                           f"{p.message['en']} / {p.message['zh-Hans']}")


def _read_observations(files: dict[str, bytes]) -> pl.DataFrame:
    path = "data/observations.csv"
    header = list(tidy.COLUMNS)
    data: dict[str, list[Any]] = {c: [] for c in header}
    for n, cells in _rows(files, path, header):
        for col in header:
            cell, kind = cells[col], OBS_TYPES[col]
            try:
                if kind == "string":
                    data[col].append(None if cell == "" and col in OBS_NULLABLE_TEXT else cell)
                elif cell == "":
                    data[col].append(None)
                else:
                    data[col].append(int(cell) if kind == "integer" else float(cell))
            except ValueError:
                raise PackageError(f"{path}, row {n}, column {col}: {cell!r} is not a {kind}") from None
    return pl.DataFrame(data, schema=tidy.SCHEMA)


def _from_plain(cls: type, data: Any, where: str) -> Any:
    try:
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            kwargs[f.name] = tuple(value) if isinstance(value, list) else value
        return cls(**kwargs)
    except TypeError as exc:
        raise PackageError(f"datapackage.json: {where}: {exc}") from None


def _read_narratives(files: dict[str, bytes], descriptor: dict[str, Any]) -> list[rm.Narrative]:
    """Every ``narratives/<lang>/<section>.md`` of the package — those ``datapackage.json``
    lists and those it does not (a city that adds a section's text by hand expects it read,
    not dropped); a listed one that is missing, an unlisted one named after no section, or
    text that is not UTF-8 is refused naming the file."""
    listed = {str(res.get("path", "")) for res in descriptor.get("resources", []) if isinstance(res, dict)}
    paths = {p for p in listed if p.startswith("narratives/") and p.endswith(".md")}
    paths |= {p for p in files if p.startswith("narratives/") and p.endswith(".md")}
    out = []
    for p in sorted(paths):
        parts = p.split("/")
        if len(parts) != 3 or p not in files:
            raise PackageError(f"{p}: narrative listed in datapackage.json but not found")
        lang, section = parts[1], parts[2][:-3]
        if p not in listed and section not in SECTIONS:  # a file of ours lists itself
            raise PackageError(f"{p}: not listed in datapackage.json and {section!r} is not a section "
                               f"of the review (one of {', '.join(SECTIONS)})")
        try:
            text = files[p].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PackageError(f"{p}: not UTF-8 text (byte {exc.start})") from None
        out.append(rm.Narrative(section, lang, text))
    return out


def read_package(path: Path) -> rm.Review:
    """Read a package folder or zip into a review; :class:`PackageError` on any problem."""
    files = _open_files(Path(path))
    if "datapackage.json" not in files:
        raise PackageError(f"{path}: no datapackage.json (is this a review package?)")
    try:
        descriptor = json.loads(files["datapackage.json"].decode("utf-8"))
        meta = descriptor["vlrkit"]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"datapackage.json: not valid JSON ({exc})") from None
    except (KeyError, TypeError):
        raise PackageError("datapackage.json: no 'vlrkit' section: not a vlrkit review package") from None
    if meta.get("format_version") != FORMAT_VERSION:
        raise PackageError(f"datapackage.json: format version {meta.get('format_version')!r} "
                           f"is not supported (this vlrkit reads {FORMAT_VERSION})")
    tables = {t.attr: _read_table(files, t) for t in TABLES}
    _check_optimum_records(tables)
    narratives = _read_narratives(files, descriptor)
    return rm.Review(
        entity=_from_plain(rm.Entity, meta.get("entity", {}), "entity"),
        edition=_edition(meta.get("edition", {})),
        observations=_read_observations(files),
        narratives=tuple(narratives),
        **tables,
    )


def _edition(data: dict[str, Any]) -> rm.Edition:
    ed = _from_plain(rm.Edition, data, "edition")
    from vlrkit.assess import editions
    from vlrkit.assess.review import METHODS

    if ed.method not in METHODS:
        raise PackageError(f"datapackage.json: edition: method {ed.method!r} is not one of {', '.join(METHODS)}"
                           f" / 评估方法 {ed.method!r} 无效")
    try:
        editions.sdsn(ed.method_edition)
    except KeyError:
        raise PackageError(f"datapackage.json: edition: method_edition {ed.method_edition!r} is not one of "
                           f"{', '.join(editions.names('sdsn'))} / 方法版本 {ed.method_edition!r} 无效") from None
    return ed
