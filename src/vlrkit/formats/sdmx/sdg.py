"""SDMX out that a national statistics office loads: SDMX-CSV 2.0 conforming to the SDG DSD.

:func:`export` writes a review's observations against ``IAEG-SDGs:SDG(1.14)``
(:mod:`vlrkit.formats.sdmx.dsd`) with every dimension of the DSD coded:

- **REF_AREA** is the code the user set for the entity (M49 for a country, the national
  sub-area code for a city); without one the export is refused (:class:`RefAreaMissing`) —
  the entity's own vlrkit code is never passed off as an area code.  A district (``GEO``) is
  ``<REF_AREA>_<district code>``;
- **SERIES** is the SDG series code where the local series maps to one global series
  (:func:`series_codes` says which rule decided); else the local code with the prefix ``_L_``
  (:data:`~vlrkit.formats.sdmx.dsd.LOCAL_PREFIX`);
- **UNIT_MEASURE** and **UNIT_MULT** from the series' unit (:data:`~vlrkit.formats.sdmx.dsd.UNIT_CODES`),
  **OBS_STATUS** from the observation (``A`` where the publisher gave none — the DSD requires
  one —, ``M`` for a missing value);
- SEX, AGE, URBANISATION, INCOME_WEALTH_QUANTILE, EDUCATION_LEV, DISABILITY_STATUS and
  ACTIVITY carry their code where the SDG code list has it, else ``_T``; what they cannot carry
  (such codes, MIGRATORY_STATUS, ETHNICITY and the publisher's other breakdowns) becomes a
  **CUST_BREAKDOWN** code (``C01`` …) with its label in ``CUST_BREAKDOWN_LB``;
- periods SDMX cannot express (``2015/16``, ``2004-2013``) are written as their first year
  with the period itself in ``TIME_DETAIL``.

Beside the data, :attr:`SdgExport.structure` is an SDMX-ML structure message (agency
:data:`AGENCY`) declaring every code the data uses that the SDG code lists lack — local series
with the local indicator, series and unit they stand for, the areas, the custom breakdowns and
local units — so the office can load both, and :func:`read_back` can give the observations
back.  Observations whose key would repeat another's are not written and are listed in
:attr:`SdgExport.skipped` with the reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vlrkit import series as sr
from vlrkit import tidy
from vlrkit.formats import spreadsheet
from vlrkit.formats.safety import restore
from vlrkit.formats.sdmx import dsd
from vlrkit.formats.sdmx.writer import format_value

__all__ = ["AGENCY", "RefAreaMissing", "SeriesCode", "SdgExport", "export", "series_codes", "read_back",
           "HEADER", "CODED", "structure_path", "summary", "valid_ref_area"]

#: Agency of the structure message that declares the local codes.
AGENCY = "VLRKIT"
#: tidy dimensions that are dimensions of the SDG DSD (coded where the SDG list has the code).
CODED = ("SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "DISABILITY_STATUS", "ACTIVITY")
_ATTRS = ("OBS_STATUS", "UNIT_MULT", "UNIT_MEASURE", "TIME_DETAIL", "SOURCE_DETAIL", "CUST_BREAKDOWN_LB")
HEADER = ("STRUCTURE", "STRUCTURE_ID", "ACTION", *[d for d, _ in dsd.DIMENSIONS], dsd.TIME_DIMENSION,
          "OBS_VALUE", *_ATTRS)
_SDMX_PERIOD = {"A": re.compile(r"^\d{4}$"), "Q": re.compile(r"^\d{4}-Q[1-4]$"),
                "M": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "D": re.compile(r"^\d{4}-\d{2}-\d{2}$")}
_AREA = re.compile(r"^[A-Za-z0-9_@$\-]+$")
_CUSTOM_CODES = 100  # C01 … C100 are in CL_CUST_BREAKDOWN


class RefAreaMissing(ValueError):
    """No REF_AREA code is set for the entity; the export is refused (a user error)."""

    def __init__(self, entity: str) -> None:
        super().__init__(
            f"no REF_AREA code is set for {entity!r}: set the code the statistics office uses for it "
            "(M49 for a country, the national sub-area code for a city) with `vlr ref-area CODE` or "
            f"--ref-area / 未设置 {entity!r} 的 REF_AREA 代码：请用 `vlr ref-area 代码` 或 --ref-area "
            "设置统计部门使用的地区代码（国家用 M49，城市用国内行政区划代码）")


@dataclass(frozen=True)
class SeriesCode:
    """The SERIES code of one local series and why."""

    indicator: str
    series: str
    unit: str
    code: str
    rule: str  # sdg-code | sdg-series | local-no-link | local-no-series | local-ambiguous | local-taken | local-other-series
    global_indicator: str = ""

    @property
    def local(self) -> bool:
        return self.code.startswith(dsd.LOCAL_PREFIX)


@dataclass(frozen=True)
class SdgExport:
    """An export: the SDMX-CSV data, the structure message of local codes and what it decided."""

    data: bytes
    structure: bytes
    ref_area: str
    series: tuple[SeriesCode, ...]
    rows: int
    skipped: tuple[tuple[str, str, str], ...] = ()  # (indicator, period, reason)
    local_codes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # concept -> codes declared


def series_codes(review: Any) -> tuple[SeriesCode, ...]:
    """The SERIES code of every series of ``review`` (see the module doc).  Rules, in order:
    the publisher's series already is an SDG series code (``sdg-code``); else the indicator's
    identical or adapted SDG links name exactly one SDG series and this is the indicator's
    headline series (``sdg-series``); else a local code, the rule saying why."""
    from vlrkit.sdg import knowledge as kn

    obs = tidy.conform(review.observations).with_columns(pl.col("unit").fill_null(""))
    links: dict[str, list[str]] = {}
    for lk in review.links:
        if lk.sdg_indicator and lk.grade in ("identical", "adapted"):
            links.setdefault(lk.indicator, []).append(lk.sdg_indicator)
    all_series = dsd.codes("SERIES")
    taken: set[str] = set()
    out: list[SeriesCode] = []
    by_ind = {k[0]: v for k, v in obs.partition_by("indicator", as_dict=True).items()} if obs.height else {}
    for code in sorted(by_ind):
        infos = [i for i in sr.summary(by_ind[code]) if i.observations]
        globals_ = sorted(set(links.get(code, [])))

        def global_unit(unit: str, globals_: list[str] = globals_) -> bool:
            for g in globals_:
                try:
                    if kn.knowledge(g).unit_matches(unit):
                        return True
                except KeyError:
                    continue
            return False

        head = sr.choose_headline(infos, global_unit=global_unit)
        candidates = sorted({s for g in globals_ for s in dsd.series_of(g)})
        for n, info in enumerate(infos, start=1):
            local = dsd.local_code(code) if len(infos) == 1 else dsd.local_code(code, str(n))
            is_head = head is not None and (info.series, info.unit) == (head.series, head.unit)
            if info.series in all_series and info.series not in taken:
                chosen, rule, via = info.series, "sdg-code", ",".join(dsd.indicators_of(info.series))
            elif not globals_:
                chosen, rule, via = local, "local-no-link", ""
            elif not candidates:
                chosen, rule, via = local, "local-no-series", ",".join(globals_)
            elif len(candidates) > 1:
                chosen, rule, via = local, "local-ambiguous", ",".join(candidates)
            elif not is_head:
                chosen, rule, via = local, "local-other-series", candidates[0]
            elif candidates[0] in taken:
                chosen, rule, via = local, "local-taken", candidates[0]
            else:
                chosen, rule, via = candidates[0], "sdg-series", ",".join(globals_)
            taken.add(chosen)
            out.append(SeriesCode(code, info.series, info.unit, chosen, rule, via))
    return tuple(out)


def _unit(unit: str, labels: Mapping[str, str]) -> tuple[str, str, bool]:
    """(UNIT_MEASURE, UNIT_MULT, is local) of a unit as the publisher wrote it."""
    from vlrkit.sdg.units import normalise_unit

    mult = str(labels.get("UNIT_MULT", "") or "")
    if unit in dsd.codes("UNIT_MEASURE"):
        return unit, mult or "0", False
    key = normalise_unit(unit)
    if key in dsd.UNIT_CODES:
        code, power = dsd.UNIT_CODES[key]
        return code, str(power), False
    return dsd.local_code("U", unit or "none"), mult or "0", True


def _period(period: str, year: int | None) -> tuple[str, str, str]:
    """(FREQ, TIME_PERIOD, TIME_DETAIL)."""
    for freq, pattern in _SDMX_PERIOD.items():
        if pattern.match(period):
            return freq, period, ""
    return "A", str(year) if year is not None else period, period


def _label(parts: Mapping[str, str], review: Any) -> str:
    """A readable label of a custom breakdown: ``Sex: Female; Crime type: Burglary``."""
    words = []
    for k, v in parts.items():
        if k in tidy.DIMENSIONS:
            words.append(f"{tidy.DIMENSION_TITLES.get(k, {}).get('en', k)}: {review.code_title(k, v, 'en')}")
        else:
            words.append(f"{k}: {v}")
    return "; ".join(words)


def valid_ref_area(code: str) -> str:
    """``code`` stripped, if it can be an SDMX REF_AREA code; else :class:`ValueError`."""
    code = code.strip()
    if not _AREA.match(code):
        raise ValueError(f"REF_AREA {code!r} is not an SDMX code (letters, digits, _ @ $ -) / "
                         f"REF_AREA {code!r} 不是有效的 SDMX 代码（字母、数字、_ @ $ -）")
    return code


def structure_path(data_path: Any) -> Any:
    """Where the structure message of an export written to ``data_path`` goes
    (``sdg.csv`` → ``sdg.structure.xml``)."""
    return data_path.with_name(data_path.stem + ".structure.xml")


def summary(result: SdgExport) -> dict[str, Any]:
    """What an export decided, as plain data (``vlr export-sdmx --json``)."""
    return {
        "ref_area": result.ref_area, "rows": result.rows, "dsd": dsd.DSD_REF,
        "series": [{"indicator": s.indicator, "series": s.series, "unit": s.unit, "code": s.code, "rule": s.rule,
                    "global_indicator": s.global_indicator} for s in result.series],
        "local_codes": {k: list(v) for k, v in result.local_codes.items()},
        "skipped": [{"indicator": i, "period": p, "reason": r} for i, p, r in result.skipped],
    }


def export(review: Any, *, ref_area: str | None = None) -> SdgExport:
    """Write ``review``'s observations as SDMX-CSV against the SDG DSD (see the module doc).
    ``ref_area`` defaults to the entity's ``ref_area``; :class:`RefAreaMissing` without one."""
    area = (ref_area if ref_area is not None else getattr(review.entity, "ref_area", "")) or ""
    if not area.strip():
        raise RefAreaMissing(review.entity.code)
    area = valid_ref_area(area)
    codes = {(s.indicator, s.series, s.unit): s for s in series_codes(review)}
    obs = tidy.conform(review.observations).with_columns(pl.col("unit").fill_null(""))
    obs = obs.sort(["indicator", "series", "unit", "year", "period", "breakdown", *tidy.DIMENSIONS], nulls_last=False)
    known = {c: dsd.codes(c) for c in CODED}
    status_codes = dsd.codes("OBS_STATUS")
    areas: dict[str, str] = {} if area in dsd.codes("REF_AREA") else {area: _entity_name(review)}
    custom: dict[str, tuple[str, str]] = {}  # canonical JSON -> (code, label)
    units: dict[str, str] = {}
    seen: set[tuple[str, ...]] = set()
    skipped: list[tuple[str, str, str]] = []
    buf = io.StringIO()
    writer = spreadsheet.csv_writer(buf)
    writer.writerow(HEADER)
    rows = 0
    for r in obs.iter_rows(named=True):
        sc = codes[(r["indicator"], r["series"] or "", r["unit"] or "")]
        labels = json.loads(r["labels"]) if r["labels"] else {}
        dims = {d: dsd.TOTAL for d, _ in dsd.DIMENSIONS}
        dims["FREQ"], period, detail = _period(r["period"], r["year"])
        dims["REPORTING_TYPE"], dims["SERIES"] = "N", sc.code
        dims["REF_AREA"] = area
        if r["GEO"]:
            sub = f"{area}_{re.sub(r'[^A-Za-z0-9_@$-]+', '_', r['GEO'])}"
            dims["REF_AREA"] = sub
            areas.setdefault(sub, review.code_title("GEO", r["GEO"], "en"))
        parts: dict[str, str] = dict(tidy.breakdown_of(r["breakdown"]))
        for d in tidy.DIMENSIONS:
            value = r[d]
            if not value or d == "GEO":
                continue
            if d in CODED and value in known[d]:
                dims[d] = value
            else:
                parts[d] = value
        lb = ""
        if parts:
            key = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            if key not in custom:
                n = len(custom) + 1
                code = f"C{n:02d}" if n <= _CUSTOM_CODES else dsd.local_code("C", str(n))
                custom[key] = (code, _label(parts, review))
            dims["CUST_BREAKDOWN"], lb = custom[key]
        unit_code, mult, local_unit = _unit(r["unit"] or "", labels)
        if local_unit:
            units.setdefault(unit_code, r["unit"] or "")
        status = r["obs_status"] if r["obs_status"] in status_codes else ("M" if r["value"] is None else "A")
        key_tuple = (*dims.values(), period)
        if key_tuple in seen:
            skipped.append((r["indicator"], r["period"], "its SDMX key (series, area, breakdowns, TIME_PERIOD) "
                            "repeats another observation's"))
            continue
        seen.add(key_tuple)
        row = ["datastructure", dsd.DSD_REF, "I", *dims.values(), period, format_value(r["value"]),
               status, mult, unit_code, detail, r["source"] or "", lb]
        writer.writerow(row)
        rows += 1
    structure = _structure(list(codes.values()), areas, custom, units)
    return SdgExport(
        data=buf.getvalue().encode("utf-8"), structure=structure, ref_area=area, series=tuple(codes.values()),
        rows=rows, skipped=tuple(skipped),
        local_codes={"SERIES": tuple(s.code for s in codes.values() if s.local), "REF_AREA": tuple(areas),
                     "CUST_BREAKDOWN": tuple(c for c, _ in custom.values()), "UNIT_MEASURE": tuple(units)},
    )


def _entity_name(review: Any) -> str:
    names = review.entity.names or {}
    return names.get("en") or next(iter(names.values()), review.entity.code)


_ANN = ("VLR_INDICATOR", "VLR_SERIES", "VLR_UNIT", "VLR_RULE", "VLR_GLOBAL")


def _structure(series: list[SeriesCode], areas: Mapping[str, str], custom: Mapping[str, tuple[str, str]],
               units: Mapping[str, str]) -> bytes:
    """The SDMX-ML structure message declaring the codes the data uses beyond the SDG lists
    (every SERIES code, with the local series it stands for, so the data can be read back)."""
    import sdmx
    from sdmx import message
    from sdmx.model import common, v21

    agency = common.Agency(id=AGENCY)
    msg = message.StructureMessage()

    def codelist(cid: str, name: str) -> common.Codelist:
        cl = common.Codelist(id=cid, version="1.0", maintainer=agency, is_final=False, name={"en": name})
        msg.add(cl)
        return cl

    cl = codelist("CL_SERIES", "Series of this export: SDG series codes and local ones (_L_)")
    for s in sorted(series, key=lambda s: s.code):
        notes: list[common.BaseAnnotation] = [v21.Annotation(type=t, text={"en": v}) for t, v in
                 zip(_ANN, (s.indicator, s.series, s.unit, s.rule, s.global_indicator), strict=True) if v]
        cl.append(common.Code(id=s.code, name={"en": sr.label(s.series, s.unit) or s.indicator}, annotations=notes))
    if areas:
        cl = codelist("CL_AREA", "Areas of this export not in the SDG area code list")
        for code, name in sorted(areas.items()):
            cl.append(common.Code(id=code, name={"en": name or code}))
    if custom:
        cl = codelist("CL_CUST_BREAKDOWN", "Custom breakdowns of this export")
        for key, (code, label) in sorted(custom.items(), key=lambda kv: kv[1][0]):
            cl.append(common.Code(id=code, name={"en": label or code},
                                  annotations=[v21.Annotation(type="VLR_BREAKDOWN", text={"en": key})]))
    if units:
        cl = codelist("CL_UNIT_MEASURE", "Units of this export not in the SDG unit code list")
        for code, text in sorted(units.items()):
            cl.append(common.Code(id=code, name={"en": text or code}))
    return sdmx.to_xml(msg, pretty_print=True)


def _structure_maps(structure: bytes) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]], dict[str, str]]:
    import contextlib
    import logging

    import sdmx

    from vlrkit.formats.safety import check_xml

    check_xml(structure)
    logging.getLogger("sdmx").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        msg = sdmx.read_sdmx(io.BytesIO(structure))
    series: dict[str, dict[str, str]] = {}
    custom: dict[str, dict[str, str]] = {}
    areas: dict[str, str] = {}
    for cid, cl in (getattr(msg, "codelist", {}) or {}).items():
        for code in cl:
            ann = {str(a.type): str(a.text.localizations.get("en", "")) for a in code.annotations}
            if cid == "CL_SERIES":
                series[code.id] = ann
            elif cid == "CL_CUST_BREAKDOWN":
                custom[code.id] = json.loads(ann.get("VLR_BREAKDOWN", "{}") or "{}")
            elif cid == "CL_AREA":
                areas[code.id] = code.id
    return series, custom, areas


def read_back(data: bytes, structure: bytes, *, ref_area: str) -> pl.DataFrame:
    """The tidy observations an export holds (with its structure message): the inverse of
    :func:`export`, so that export → read back gives the same observations."""
    series, custom, _areas = _structure_maps(structure)
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    rows = []
    for n, r in enumerate(reader, start=2):
        r = {k: restore(v) for k, v in r.items()}
        s = series.get(r["SERIES"])
        if s is None:
            raise ValueError(f"row {n}: SERIES {r['SERIES']!r} is not declared in the structure message")
        out: dict[str, Any] = {d: None for d in tidy.DIMENSIONS}
        for d in CODED:
            if r.get(d, dsd.TOTAL) != dsd.TOTAL:
                out[d] = r[d]
        parts = dict(custom.get(r["CUST_BREAKDOWN"], {})) if r["CUST_BREAKDOWN"] != dsd.TOTAL else {}
        breakdown = {}
        for k, v in parts.items():
            if k in tidy.DIMENSIONS:
                out[k] = v
            else:
                breakdown[k] = v
        if r["REF_AREA"] != ref_area and r["REF_AREA"].startswith(ref_area + "_"):
            out["GEO"] = r["REF_AREA"][len(ref_area) + 1:]
        period = r["TIME_DETAIL"] or r["TIME_PERIOD"]
        rows.append({
            **out, "indicator": s["VLR_INDICATOR"], "series": s.get("VLR_SERIES", ""), "unit": s.get("VLR_UNIT", ""),
            "period": period, "year": int(r["TIME_PERIOD"][:4]),
            "value": float(r["OBS_VALUE"]) if r["OBS_VALUE"] != "" else None,
            "obs_status": r["OBS_STATUS"] or None, "source": r["SOURCE_DETAIL"] or None,
            "breakdown": tidy.breakdown_text(breakdown),
        })
    if not rows:
        return tidy.empty()
    schema = {c: tidy.SCHEMA[c] for c in rows[0]}
    return tidy.conform(pl.DataFrame(rows, schema=schema))
