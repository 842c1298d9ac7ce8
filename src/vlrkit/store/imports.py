"""Write a validated ingest into the database: the one place an import touches the store.

Rules (issue 3):

- **All-or-nothing** by default: an ingest with any error is refused before anything is
  written (:class:`ImportRefused`), and everything else happens in one transaction, so a
  failure leaves the database as it was.  ``partial=True`` stores the valid rows (the caller
  writes the rejected ones to a rejects file).
- **Idempotent**: observations are matched on the store's unique key (indicator, period,
  series, unit, breakdown, dimensions).  Identical rows are left alone, so the same data twice adds
  nothing (not even an import record: the result's status is ``unchanged``); a changed value (or status, source) updates the observation and simple_history
  keeps the previous version (``bulk_update_with_history``).
- **Provenance**: every new or changed observation carries the import (``import_run``), the
  source file and the 1-based data row.

History and speed: new observations are written with one bulk statement per batch (``COPY``
on PostgreSQL, ``executemany`` on SQLite) — at hundreds of thousands of rows a second.  Their
creation is recorded by the :class:`~vlrkit.store.models.Import` row they point at (path,
time, user, counts), not by one historical record each; every *change* to an existing
observation does get a historical record with the old values.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from vlrkit import tidy
from vlrkit.series import key_hash_column
from vlrkit.store import models as m
from vlrkit.store.models import DIMENSION_FIELDS
from vlrkit.store.queries import get_edition

if TYPE_CHECKING:
    from vlrkit.ingest import Ingest

#: Rows per INSERT batch.
BATCH = 20_000
#: Most rows in one SQLite INSERT statement (bounded by the backend's parameter limit).
ROWS_PER_STATEMENT = 200
#: SQLite page cache during an import (KiB).
SQLITE_CACHE_KIB = 512 * 1024
#: Columns written for each observation, in order (model field names; FK ids by attname).
OBS_FIELDS = ("indicator_id", "period", "year", "value", "unit", "series", "breakdown", "skey",
              *DIMENSION_FIELDS, "obs_status", "source", "labels", "import_run_id", "file", "row")
#: Columns that, when they differ, make an existing observation "changed".
COMPARED = ("value", "obs_status", "source")
#: The store's unique key (``skey`` stands for series, unit and breakdown: vlrkit.series.key_hash).
KEY_FIELDS = ("indicator_id", "period", "skey", *DIMENSION_FIELDS)


class ImportRefused(Exception):
    """The data has errors and the import is all-or-nothing: nothing was written."""

    def __init__(self, errors: int) -> None:
        super().__init__(
            f"the data has {errors} error(s); nothing was imported (fix them, or use --partial "
            f"to store the valid rows) / 数据有 {errors} 个错误，未导入任何数据（请修正，或使用 "
            "--partial 仅导入有效行）"
        )
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    code: str
    status: str
    counts: dict[str, int] = field(default_factory=dict)


def _column(name: str) -> str:
    return connection.ops.quote_name(m.Observation._meta.get_field(name.removesuffix("_id")).column)


def _indicator_changes(obj: m.LocalIndicator, ind: Any) -> bool:
    new = {
        "names": {**obj.names, **dict(ind.names)}, "goal": ind.goal, "unit": ind.unit or obj.unit,
        "direction": ind.direction, "source": ind.source or obj.source,
        "custodian": ind.custodian or obj.custodian, "coverage": ind.coverage or obj.coverage,
        "methodology": {**obj.methodology, **dict(ind.methodology)},
        "dimensions": sorted(set(obj.dimensions) | set(ind.dimensions), key=tidy.DIMENSIONS.index),
        "decimals": ind.decimals if ind.decimals is not None else obj.decimals,
        "reporting_status": ind.reporting_status, "extra": {**obj.extra, **dict(ind.extra)},
    }
    changed = False
    for k, v in new.items():
        if getattr(obj, k) != v:
            setattr(obj, k, v)
            changed = True
    return changed


def _metadata(edition: m.Edition, ingest: Ingest) -> tuple[dict[str, m.LocalIndicator], dict[str, int]]:
    existing = {i.code: i for i in m.LocalIndicator.objects.filter(edition=edition)}
    new = [
        m.LocalIndicator(
            edition=edition, code=i.code, names=dict(i.names), goal=i.goal, unit=i.unit,
            direction=i.direction, source=i.source, custodian=i.custodian, coverage=i.coverage,
            aggregation=i.aggregation, methodology=dict(i.methodology), dimensions=list(i.dimensions),
            decimals=i.decimals, reporting_status=i.reporting_status, extra=dict(i.extra),
        )
        for i in ingest.indicators if i.code not in existing
    ]
    updated = 0
    for i in ingest.indicators:
        obj = existing.get(i.code)
        if obj is not None and _indicator_changes(obj, i):
            obj.save()
            updated += 1
    if new:
        bulk_create_with_history(new, m.LocalIndicator, batch_size=BATCH)
    inds = {i.code: i for i in m.LocalIndicator.objects.filter(edition=edition)}
    have_links = set(m.SdgLink.objects.filter(indicator__edition=edition)
                     .values_list("indicator__code", "target", "sdg_indicator"))
    links = [m.SdgLink(indicator=inds[x.indicator], target=x.target, sdg_indicator=x.sdg_indicator or "",
                       grade=x.grade, reason=dict(x.reason))
             for x in ingest.links
             if x.indicator in inds and (x.indicator, x.target, x.sdg_indicator or "") not in have_links]
    if links:
        bulk_create_with_history(links, m.SdgLink, batch_size=BATCH)
    have_targets = {(t.indicator.code, t.kind, t.year, t.series, t.unit): t for t in
                    m.Target.objects.filter(indicator__edition=edition).select_related("indicator")}
    new_targets = []
    for t in ingest.targets:
        old = have_targets.get((t.indicator, t.kind, t.year, t.series, t.unit))
        if old is None:
            new_targets.append(m.Target(indicator=inds[t.indicator], kind=t.kind, value=t.value, year=t.year,
                                        baseline_year=t.baseline_year, note=dict(t.note),
                                        series=t.series, unit=t.unit))
        elif old.value != t.value:
            old.value = t.value
            old.save()
    if new_targets:
        bulk_create_with_history(new_targets, m.Target, batch_size=BATCH)
    have_labels = {(cl.dimension, cl.code): cl for cl in m.CodeLabel.objects.filter(edition=edition)}
    new_labels = []
    for cl in ingest.code_labels:
        old_label = have_labels.get((cl.dimension, cl.code))
        if old_label is None:
            new_labels.append(m.CodeLabel(edition=edition, dimension=cl.dimension, code=cl.code, names=dict(cl.names)))
        elif {**cl.names, **old_label.names} != old_label.names:
            old_label.names = {**cl.names, **old_label.names}  # the names a person set win
            old_label.save()
    if new_labels:
        bulk_create_with_history(new_labels, m.CodeLabel, batch_size=BATCH)
    return inds, {"indicators_created": len(new), "indicators_updated": updated,
                  "links_created": len(links), "targets_created": len(new_targets),
                  "code_labels_created": len(new_labels)}


def _incoming(frame: pl.DataFrame, inds: dict[str, m.LocalIndicator], run_id: int) -> pl.DataFrame:
    """The tidy rows as store rows: FK ids, "" for totals, status default A."""
    ids = pl.DataFrame({"indicator": list(inds), "indicator_id": [i.pk for i in inds.values()]},
                       schema={"indicator": pl.String, "indicator_id": pl.Int64})
    frame = key_hash_column(frame.join(ids, on="indicator", how="left", maintain_order="left"))
    return frame.select(
        pl.col("indicator_id"),
        pl.col("period"), pl.col("year"), pl.col("value"),
        pl.col("unit").fill_null(""), pl.col("series").fill_null(""),
        pl.col("breakdown").fill_null(""), pl.col("skey"),
        *[pl.col(d).fill_null("").alias(f) for d, f in zip(tidy.DIMENSIONS, DIMENSION_FIELDS, strict=True)],
        pl.col("obs_status").fill_null(""), pl.col("source").fill_null(""),
        pl.col("labels").fill_null("{}"),
        pl.lit(run_id, dtype=pl.Int64).alias("import_run_id"),
        pl.col("file").fill_null(""), pl.col("row"),
    )


def _existing(indicator_ids: list[int]) -> pl.DataFrame:
    cols = ["id", *KEY_FIELDS, *COMPARED]
    schema = {"id": pl.Int64, "indicator_id": pl.Int64, **{k: pl.String for k in KEY_FIELDS[1:]},
              "value": pl.Float64, "obs_status": pl.String, "source": pl.String}
    if not indicator_ids:
        return pl.DataFrame(schema=schema)
    table = connection.ops.quote_name(m.Observation._meta.db_table)
    select = ", ".join(_column(c) if c != "id" else "id" for c in cols)
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cur:
        for start in range(0, len(indicator_ids), 500):
            chunk = indicator_ids[start:start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cur.execute(f"SELECT {select} FROM {table} WHERE {_column('indicator_id')} IN ({marks})", chunk)  # noqa: S608 - names are quoted model columns
            rows.extend(cur.fetchall())
    return pl.DataFrame(rows, schema=schema, orient="row")


def _insert(frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    table = connection.ops.quote_name(m.Observation._meta.db_table)
    cols = ", ".join(_column(f) for f in OBS_FIELDS)
    frame = frame.select(OBS_FIELDS)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            raw = cur.cursor  # psycopg cursor: COPY is the fast path
            # polars writes the CSV (in Rust); text is always quoted, so "" is an empty string
            # and an unquoted empty field is NULL, as PostgreSQL's CSV format reads them
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:  # noqa: S608
                for start in range(0, frame.height, BATCH):
                    copy.write(frame.slice(start, BATCH).write_csv(
                        None, include_header=False, quote_style="non_numeric", null_value=""))
            return
        cur.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        for start in range(0, frame.height, BATCH):
            part = frame.slice(start, BATCH)
            # columns with one value in the whole batch (most dimensions, the import, often the
            # file and unit) go into the statement as literals: binding 22 parameters per row is
            # most of SQLite's cost
            const = {c: part[c][0] for c in OBS_FIELDS if part[c].n_unique() == 1 and _literal(part[c][0]) is not None}
            varying = [c for c in OBS_FIELDS if c not in const]
            one = "(" + ", ".join(_literal(const[c]) if c in const else "%s" for c in OBS_FIELDS) + ")"  # type: ignore[misc]
            # many rows per statement: SQLite's per-statement cost is then paid once per k rows
            k = max(1, min(ROWS_PER_STATEMENT, connection.features.max_query_params // max(1, len(varying))))
            rows = part.select(varying).rows() if varying else [()] * part.height
            full = len(rows) // k * k
            if full:
                sql = f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([one] * k)  # noqa: S608 - quoted names, escaped literals
                cur.executemany(sql, [list(chain.from_iterable(rows[i:i + k])) for i in range(0, full, k)])
            if full < len(rows):
                sql = f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([one] * (len(rows) - full))  # noqa: S608
                cur.execute(sql, list(chain.from_iterable(rows[full:])))


def _literal(value: Any) -> str | None:
    """An SQL literal for ``value`` (NULL, an integer or a quoted string), or None if unsafe."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and "\x00" not in value and "%" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


def store_ingest(
    ingest: Ingest,
    *,
    edition: str | None = None,
    entity: str | None = None,
    partial: bool = False,
    path: str = "",
    user: Any = None,
) -> ImportResult:
    """Store ``ingest`` in ``edition`` of ``entity`` (the latest if None); see the module doc.

    Raises :class:`ImportRefused` (nothing written) when the ingest has errors and ``partial``
    is False, and :class:`vlrkit.store.queries.EditionNotFound` when there is no edition.
    """
    if ingest.report.errors and not partial:
        raise ImportRefused(ingest.report.errors)
    ed = get_edition(edition, entity)
    with transaction.atomic():
        run = m.Import.objects.create(edition=ed, path=path, partial=partial, user=user, status="running")
        inds, counts = _metadata(ed, ingest)
        frame = ingest.observations
        if ingest.indicators or frame.height:
            missing = set(frame["indicator"].unique().to_list()) - set(inds)
            if missing:  # validation lets unknown indicators through only if the caller said so
                raise ValueError(f"observations for unknown indicators: {', '.join(sorted(missing))}")
        incoming = _incoming(frame, inds, run.pk)
        old = _existing(incoming["indicator_id"].unique().to_list())
        joined = incoming.join(old.rename({c: f"_old_{c}" for c in COMPARED}), on=list(KEY_FIELDS),
                               how="left", nulls_equal=True)
        new = joined.filter(pl.col("id").is_null())
        matched = joined.filter(pl.col("id").is_not_null())
        changed_mask = [
            not all(_same(a, b) for a, b in zip(row[:3], row[3:], strict=True))
            for row in matched.select(*COMPARED, *[f"_old_{c}" for c in COMPARED]).iter_rows()
        ]
        changed = matched.filter(pl.Series(changed_mask, dtype=pl.Boolean)) if changed_mask else matched
        _insert(new)
        if changed.height:
            objs = m.Observation.objects.in_bulk(changed["id"].to_list())
            # rows written in bulk have no historical record yet: record their old state first,
            # so that the history holds the value before the change
            have = set(m.Observation.history.filter(id__in=list(objs)).values_list("id", flat=True).distinct())
            first = [o for k, o in objs.items() if k not in have]
            runs = {r.pk: r for r in m.Import.objects.filter(pk__in={o.import_run_id for o in first})}
            for run_id in {o.import_run_id for o in first}:
                written = runs[run_id] if run_id in runs else None
                m.Observation.history.bulk_history_create(
                    [o for o in first if o.import_run_id == run_id], batch_size=BATCH,
                    default_change_reason=f"import {written.code}" if written else "before import",
                    default_date=written.started if written else run.started)
            updates = []
            for rec in changed.iter_rows(named=True):
                obj = objs[rec["id"]]
                obj.value, obj.obs_status, obj.source = rec["value"], rec["obs_status"], rec["source"]
                obj.labels = json.loads(rec["labels"])
                obj.import_run_id, obj.file, obj.row = run.pk, rec["file"], rec["row"]
                updates.append(obj)
            bulk_update_with_history(updates, m.Observation,
                                     ["value", "obs_status", "source", "labels", "import_run", "file", "row"],
                                     batch_size=BATCH, default_change_reason=f"import {run.code}")
        counts.update({
            "files": ingest.report.files, "rows": ingest.report.rows,
            "indicators": len(ingest.indicators) or len(set(frame["indicator"].to_list())),
            "observations": frame.height, "created": new.height, "updated": changed.height,
            "unchanged": matched.height - changed.height,
            "rejected": ingest.summary()["rejected"], "placeholders": len(ingest.placeholders),
            "errors": ingest.report.errors, "warnings": ingest.report.warnings,
        })
        touched = (new.height + changed.height + counts["indicators_created"] + counts["indicators_updated"]
                   + counts["links_created"] + counts["targets_created"] + counts["code_labels_created"])
        if not touched:
            # idempotent: the same data again adds nothing, not even an import record — roll
            # the (empty) run back so that the database file is left exactly as it was
            transaction.set_rollback(True)
            return ImportResult("", "unchanged", counts)
        run.counts = counts
        run.status = "partial" if partial and ingest.report.errors else "done"
        run.finished = timezone.now()
        run.save()
    return ImportResult(run.code, run.status, counts)


__all__ = ["BATCH", "ImportRefused", "ImportResult", "store_ingest"]
