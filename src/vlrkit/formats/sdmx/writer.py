"""SDMX data out: SDMX-CSV 1.0 for a national statistics office (UN SDG data structure names).

Columns: ``DATAFLOW``, ``INDICATOR`` (vlrkit's local code), ``SERIES`` (the series, or the
indicator code when there is none), ``REF_AREA`` (entity), the dimensions that carry data,
the breakdown's columns (disaggregations that are not coded dimensions, under their own names),
``TIME_PERIOD``, ``OBS_VALUE``, ``UNIT_MEASURE``, ``OBS_STATUS``, ``SOURCE_DETAIL``, then any
concept id kept in ``labels`` from an SDMX import (``UNIT_MULT``, ``FREQ``…; other labels,
such as Open SDG column names, are not SDMX concepts and stay out).  Text cells are
neutralised against formula injection.  Reading the file back gives the same observations.
"""

from __future__ import annotations

import io
import json
import math
import re

import polars as pl

from vlrkit import tidy
from vlrkit.formats import spreadsheet

#: Only labels that are SDMX concept ids (kept from an SDMX import) become columns.
_CONCEPT = re.compile(r"^[A-Z][A-Z0-9_]*$")
DEFAULT_DATAFLOW = "VLRKIT:DF_SDG_LOCAL(1.0)"
FIXED = ("DATAFLOW", "INDICATOR", "SERIES", "REF_AREA")
TAIL = ("TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS", "SOURCE_DETAIL")


def format_value(value: float | None) -> str:
    """Shortest text that reads back as the same float (``12.0`` → ``12``)."""
    if value is None:
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return "-0" if value == 0 and math.copysign(1.0, value) < 0 else str(int(value))
    return repr(value)


def to_csv(frame: pl.DataFrame, *, entity: str = "") -> bytes:
    """The tidy ``frame`` as SDMX-CSV bytes (UTF-8)."""
    frame = tidy.conform(frame).sort("indicator", "series", "period", *tidy.DIMENSIONS, nulls_last=False)
    dims = [d for d in tidy.DIMENSIONS if frame[d].is_not_null().any()]
    labels = [json.loads(x) if x else {} for x in frame["labels"].to_list()]
    kept = [tidy.breakdown_of(x) for x in frame["breakdown"].to_list()]
    groups: list[str] = []  # the breakdown's columns: dimensions of their own, so rows stay apart
    for k in kept:
        groups.extend(c for c in k if c not in groups)
    extra: list[str] = []
    skip = set(FIXED) | set(TAIL) | set(tidy.DIMENSIONS) | set(groups)
    for lab in labels:
        for k in lab:
            if k not in skip and k not in extra and _CONCEPT.match(k):
                extra.append(k)
    header = [*FIXED, *dims, *groups, *TAIL, *extra]
    out = io.StringIO()
    writer = spreadsheet.csv_writer(out)
    writer.writerow(header)
    cols = {k: frame[k].to_list() for k in ("indicator", "series", "entity", "period", "value", "unit", "obs_status", "source", *dims)}
    for i, lab in enumerate(labels):
        ind = cols["indicator"][i]
        row = [
            lab.get("DATAFLOW", DEFAULT_DATAFLOW),
            ind,
            cols["series"][i] or ind,
            cols["entity"][i] or entity,
            *[cols[d][i] or "" for d in dims],
            *[kept[i].get(g, "") for g in groups],
            cols["period"][i],
            format_value(cols["value"][i]),
            cols["unit"][i] or "",
            cols["obs_status"][i] or "",
            cols["source"][i] or "",
            *[lab.get(k, "") for k in extra],
        ]
        writer.writerow(row)
    return out.getvalue().encode("utf-8")
