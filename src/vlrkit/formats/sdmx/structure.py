"""SDMX-ML data as a publisher ships it: a data message read against the publisher's own DSD.

This is how an Open SDG repository's ``InputSdmxMl_*`` input is read (Rwanda publishes its
data this way): the DSD (a structure message, parsed with sdmx1) gives

- each series code's **indicator(s)**: the ``Indicator`` annotations of the ``CL_SERIES`` codes
  (``SI_POV_DAY1`` → 1.1.1; a series serving several indicators is read under each, as sdg-build
  does), and the indicator's title (``IndicatorTitle``);
- the **names of every code** (areas, units, series, groups) in the languages the DSD has, as
  :class:`~vlrkit.review.CodeLabel` rows.

Concepts map onto the tidy table as in :mod:`vlrkit.formats.sdmx.reader`; ``_T`` (total) is an
empty dimension.  Areas follow the input's ``dimension_map``: a ``REF_AREA|<code>: ''`` entry
names the area that is the publisher's own (the headline, no area); every other ``REF_AREA`` code
is a sub-area in the ``GEO`` dimension.  Without such an entry one area is the headline when the
message holds only one; several stay in ``entity`` for the several-areas check.  SDMX dimensions
that are not tidy dimensions (``OCCUPATION``, ``COMPOSITE_BREAKDOWN``, ``PRODUCT`` …) are kept in
the ``breakdown``; ``FREQ``, ``REPORTING_TYPE`` and every attribute (``UNIT_MULT``, ``NATURE``,
``COMMENT_OBS``, ``TIME_DETAIL`` …) are kept in ``labels``.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits, Refusal
from vlrkit.formats.safety import check_xml
from vlrkit.formats.sources import Member
from vlrkit.review import CodeLabel
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem
from vlrkit.validation.parsed import RawFile

#: SDMX dimensions that identify a series but are not disaggregations (kept in labels).
SERIES_ATTRIBUTES = ("FREQ", "REPORTING_TYPE", "TIME_COVERAGE")
#: Concepts with a role of their own.
_ROLES = {"TIME_PERIOD": "period", "OBS_VALUE": "value", "UNIT_MEASURE": "unit", "OBS_STATUS": "obs_status",
          "SOURCE_DETAIL": "source"}


@dataclass(frozen=True)
class Structured:
    """What one SDMX-ML data message holds, read against its DSD."""

    frame: pl.DataFrame  # raw text tidy rows (period, value, … file, row, labels)
    names: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    rows: int = 0
    raw: RawFile | None = None
    rejected: bool = False
    code_labels: tuple[CodeLabel, ...] = ()
    titles: Mapping[str, str] = field(default_factory=dict)  # indicator id (1-1-1) -> title


@dataclass
class _Dsd:
    series_indicators: dict[str, list[str]] = field(default_factory=dict)
    indicator_titles: dict[str, str] = field(default_factory=dict)
    code_names: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (concept, code)


def _localised(name: Any) -> dict[str, str]:
    locs = getattr(name, "localizations", None) or {}
    return {("zh-Hans" if k.lower().startswith("zh") else k): str(v) for k, v in locs.items() if str(v)}


def _dsd(data: bytes | None, limits: Limits) -> _Dsd:
    out = _Dsd()
    if not data:
        return out
    check_xml(data, limits)
    import sdmx

    logging.getLogger("sdmx").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        msg = sdmx.read_sdmx(io.BytesIO(data))
    lists = getattr(msg, "codelist", {}) or {}
    by_list: dict[str, str] = {}
    for dsd in (getattr(msg, "structure", {}) or {}).values():
        for comp in [*dsd.dimensions, *dsd.attributes]:
            rep = getattr(comp, "local_representation", None)
            enum = getattr(rep, "enumerated", None) if rep is not None else None
            if enum is not None:
                by_list[enum.id] = comp.id
    for list_id, cl in lists.items():
        concept = by_list.get(list_id, list_id.removeprefix("CL_"))
        for code in cl:
            names = _localised(code.name)
            if names:
                out.code_names[(concept, code.id)] = names
            if concept == "SERIES":
                inds = [str(a.text).strip() for a in code.annotations
                        if (a.title or a.type) == "Indicator" and str(a.text).strip()]
                titles = [str(a.text).strip() for a in code.annotations
                          if (a.title or a.type) == "IndicatorTitle" and str(a.text).strip()]
                ids_ = [i.split(" ")[0].replace(".", "-").strip("-") for i in inds]
                out.series_indicators[code.id] = ids_
                for i, oid in enumerate(ids_):
                    if titles:
                        out.indicator_titles.setdefault(oid, titles[min(i, len(titles) - 1)])
    return out


def _records(msg: Any, limits: Limits) -> tuple[list[dict[str, str]], set[str]]:
    """The observations of a data message as text records, and the concepts that are dimensions
    (the rest are attributes); rows, columns and time counted against ``limits``."""
    from vlrkit.formats.tabular.csvio import CLOCK_ROWS

    deadline = limits.deadline()
    records: list[dict[str, str]] = []
    dim_ids: set[str] = set()
    concepts: set[str] = set()
    for ds in getattr(msg, "data", []) or []:
        for obs in ds.obs:
            if len(records) % CLOCK_ROWS == 0:
                deadline.check(row=len(records))
            limits.check("rows", len(records) + 1)
            dim_ids |= set(obs.key.values)
            rec = {k: str(v.value) for k, v in obs.key.values.items()}
            rec.update({k: str(v.value) for k, v in obs.attrib.items()})
            rec["OBS_VALUE"] = "" if obs.value is None else repr(obs.value) if isinstance(obs.value, float) else str(obs.value)
            concepts.update(rec)
            limits.check("columns", len(concepts), row=len(records) + 1)
            records.append(rec)
    return records, dim_ids


def read_structured(m: Member, dsd_data: bytes | None, options: Mapping[str, Any], *, language: str = "en",
                    limits: Limits = DEFAULT_LIMITS) -> Structured:
    """Read one SDMX-ML data message of an Open SDG ``InputSdmxMl_*`` input (see module doc).

    Both XML documents are checked before sdmx1 sees them (no DTD or entities, depth within
    ``limits``); the observations are counted against ``limits`` (rows, columns, time)."""
    empty = pl.DataFrame()
    dsd_name = str(options.get("dsd", "DSD"))
    try:
        dsd = _dsd(dsd_data, limits)
    except Refusal as exc:  # a DTD or entities, too deep
        return Structured(empty, problems=(exc.problem(dsd_name),), rejected=True)
    except Exception as exc:  # noqa: BLE001 - sdmx1 raises many types on a broken DSD
        return Structured(empty, problems=(c.make(c.UnreadableFile, dsd_name, format="SDMX-ML DSD",
                                                   detail=f"{type(exc).__name__}: {exc}"[:200]),), rejected=True)
    try:
        check_xml(m.data, limits)
        import sdmx

        with contextlib.redirect_stdout(io.StringIO()):
            msg = sdmx.read_sdmx(io.BytesIO(m.data))
        records, dim_ids = _records(msg, limits)
    except Refusal as exc:  # a DTD or entities, a bound of limits crossed
        return Structured(empty, problems=(exc.problem(m.name),), rejected=True)
    except Exception as exc:  # noqa: BLE001
        return Structured(empty, problems=(c.make(c.UnreadableFile, m.name, format="SDMX-ML",
                                                   detail=f"{type(exc).__name__}: {exc}"[:200]),), rejected=True)
    raw_map = options.get("dimension_map")
    dimension_map: dict[Any, Any] = raw_map if isinstance(raw_map, dict) else {}
    headline_areas = {k.split("|", 1)[1] for k, v in dimension_map.items()
                      if str(k).startswith("REF_AREA|") and (v is None or str(v) == "")}
    header = list({k: None for rec in records for k in rec})
    raw_frame = pl.DataFrame({**{f"c{i}": pl.Series([r.get(h, "") for r in records], dtype=pl.String)
                                 for i, h in enumerate(header)},
                              "row": pl.Series(range(1, len(records) + 1), dtype=pl.Int64)})
    raw = RawFile(tuple(header), raw_frame)
    if not records:
        return Structured(empty, problems=(c.make(c.EmptyFile, m.name),), raw=raw, rejected=True)
    areas = {r.get("REF_AREA", "") for r in records} - {""}
    if not headline_areas and len(areas) == 1:
        headline_areas = areas
    problems: list[Problem] = []
    rows_out: list[dict[str, Any]] = []
    used_codes: set[tuple[str, str]] = set()
    for n, rec in enumerate(records, start=1):
        series = rec.get("SERIES", "")
        inds = dsd.series_indicators.get(series) or []
        if not inds:
            problems.append(c.make(c.UnknownSeries, m.name, n, "SERIES", value=series))
            inds = [""]
        out: dict[str, Any] = {d: None for d in tidy.DIMENSIONS}
        kept: dict[str, str] = {}
        for concept, value in rec.items():
            if concept in _ROLES or concept in ("SERIES",) or concept in SERIES_ATTRIBUTES:
                continue
            if concept == "REF_AREA":
                if value and value not in headline_areas:
                    if headline_areas:
                        out["GEO"] = value
                        used_codes.add(("REF_AREA", value))
                    else:
                        out["entity"] = value
                continue
            if value in ("", "_T", "_Z", "_X") or concept not in dim_ids:
                continue
            if concept in tidy.DIMENSIONS:
                out[concept] = value
            else:
                kept[concept] = value
            used_codes.add((concept, value))
        for role_concept in ("UNIT_MEASURE", "SERIES"):
            if rec.get(role_concept):
                used_codes.add((role_concept, rec[role_concept]))
        base = {
            "period": rec.get("TIME_PERIOD"), "value": rec.get("OBS_VALUE"), "unit": rec.get("UNIT_MEASURE") or None,
            "series": series or None, "obs_status": rec.get("OBS_STATUS") or None,
            "source": rec.get("SOURCE_DETAIL") or None, "breakdown": tidy.breakdown_text(kept),
            "labels": json.dumps({k: v for k, v in rec.items() if v and k not in ("TIME_PERIOD", "OBS_VALUE")},
                                 ensure_ascii=False),
            "file": m.name, "row": n, **out,
        }
        for oid in inds:
            rows_out.append({**base, "indicator": oid.replace("-", ".") if oid else None})
    schema = {"indicator": pl.String, "period": pl.String, "value": pl.String, "unit": pl.String,
              "series": pl.String, "obs_status": pl.String, "source": pl.String, "breakdown": pl.String,
              "labels": pl.String, "file": pl.String, "row": pl.Int64, "entity": pl.String,
              **{d: pl.String for d in tidy.DIMENSIONS}}
    frame = pl.DataFrame(rows_out, schema=schema)
    code_labels = tuple(
        CodeLabel(dimension="GEO" if concept == "REF_AREA" else concept, code=code, names=names)
        for (concept, code) in sorted(used_codes)
        if (names := dsd.code_names.get((concept, code)))
    )
    names = {"period": "TIME_PERIOD", "value": "OBS_VALUE", "obs_status": "OBS_STATUS", "indicator": "SERIES"}
    return Structured(frame, names, tuple(problems), len(records), raw, False, code_labels,
                      dict(dsd.indicator_titles))

