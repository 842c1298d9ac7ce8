"""What a peer comparison (:mod:`vlrkit.compare.peers`) writes: a table, a JSON document, one
chart per common indicator and, when asked, the peer dashboard.

:func:`write` puts in a folder

- ``peers.csv`` — one row per common indicator and review (compared rows, then proxies): the
  local indicator, its link grade, series, unit as published and the row's unit, the conversion
  applied (factor and why), latest year and value, the comparison year, the value in it, the gap
  to the members' median and the rank (only in a ranked row), and why a row is not ranked;
- ``left_out.csv`` — every indicator not compared, with the reason (en or zh-Hans);
- ``peers.json`` — all of it (:func:`to_dict`);
- ``charts/sdg-<indicator>.svg`` — one chart per row, the reviews as lines in the row's unit
  (:func:`chart`, rendered by :func:`vlrkit.report.charts.render_svg`);
- ``dashboard.csv`` — with ``peer_bounds``: per indicator and review the value, score and colour,
  and the bounds derived from the peers; its note says they are.

Every CSV is written by the one formula-safe writer, :mod:`vlrkit.formats.spreadsheet`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from vlrkit.compare.peers import Peers, Row
from vlrkit.formats import spreadsheet

__all__ = ["to_rows", "left_rows", "dashboard_rows", "to_dict", "chart", "write", "FILES"]

FILES = ("peers.csv", "left_out.csv", "peers.json")


def _key(lang: str) -> str:
    return "zh-Hans" if lang.startswith("zh") else "en"


def _name(result: Peers, entity: str, lang: str) -> str:
    names = result.names.get(entity, {})
    return names.get(_key(lang)) or names.get("en") or next(iter(names.values()), entity)


def to_rows(result: Peers, lang: str = "en") -> list[dict[str, Any]]:
    """One plain row per common indicator and review."""
    key = _key(lang)
    out: list[dict[str, Any]] = []
    for r in result.rows:
        for m in r.members:
            latest = m.latest
            out.append({
                "sdg_indicator": r.sdg_indicator, "kind": r.kind, "entity": m.entity,
                "name": _name(result, m.entity, lang), "local_indicator": m.indicator, "grade": m.grade,
                "series": m.series, "unit_published": m.unit, "unit": r.unit_label(lang),
                "conversion_factor": m.conversion.factor if m.conversion else None,
                "conversion": m.conversion.source[key] if m.conversion else "",
                "latest_year": latest[0] if latest else None, "latest_value": latest[1] if latest else None,
                "year": r.year, "value": m.value, "median": r.median, "gap_to_median": m.gap,
                "rank": m.rank, "of": len(r.members) if r.ranked else None, "direction": r.direction,
                "not_ranked": r.note.get(key, ""), "missing": ", ".join(r.missing),
            })
    return out


def left_rows(result: Peers, lang: str = "en") -> list[dict[str, Any]]:
    """One plain row per indicator left out, with why."""
    key = _key(lang)
    return [{"subject": lo.subject, "reason_code": lo.reason, "reason": lo.text[key],
             "indicators": "; ".join(f"{e}: {i}" for e, i in lo.indicators)} for lo in result.left_out]


def dashboard_rows(result: Peers) -> list[dict[str, Any]]:
    """The dashboard's cells with their indicator's peer-derived bounds (empty without one)."""
    d = result.dashboard
    if d is None:
        return []
    bounds = {b[0]: b for b in d.bounds}
    out = []
    for sdg, entity, year, value, score, colour in d.cells:
        b = bounds.get(sdg, (sdg, None, None, None, None, 0))
        out.append({"sdg_indicator": sdg, "entity": entity, "year": year, "value": value, "score": score,
                    "colour": colour, "best": b[1], "worst": b[2], "green": b[3], "red": b[4], "peers": b[5],
                    "bounds": "peers"})
    return out


def to_dict(result: Peers, lang: str = "en") -> dict[str, Any]:
    """The whole comparison as JSON-ready data."""
    key = _key(lang)
    rows = [{
        "sdg_indicator": r.sdg_indicator, "kind": r.kind, "unit": r.unit, "unit_label": r.unit_label(lang),
        "year": r.year, "common_years": list(r.common_years), "direction": r.direction, "ranked": r.ranked,
        "median": r.median, "spread": r.spread, "not_ranked": r.note.get(key, ""), "missing": list(r.missing),
        "members": [{
            "entity": m.entity, "indicator": m.indicator, "grade": m.grade, "series": m.series,
            "unit_published": m.unit, "direction": m.direction, "claims_allowed": m.claims_allowed,
            "conversion": ({"from": m.conversion.source_unit, "to": m.conversion.unit, "factor": m.conversion.factor,
                            "why": m.conversion.source[key]} if m.conversion else None),
            "values": [[y, v] for y, v in m.values], "value": m.value, "gap_to_median": m.gap, "rank": m.rank,
        } for m in r.members],
    } for r in result.rows]
    doc: dict[str, Any] = {
        "entities": list(result.entities), "names": {k: dict(v) for k, v in result.names.items()},
        "counts": result.counts(), "rows": rows, "left_out": left_rows(result, lang),
    }
    if result.dashboard is not None:
        doc["dashboard"] = {"edition": result.dashboard.edition, "note": result.dashboard.note[key],
                            "cells": dashboard_rows(result),
                            "goals": [{"entity": e, "goal": g, "score": s, "colour": c}
                                      for e, g, s, c in result.dashboard.goals]}
    return doc


def chart(row: Row, names: Mapping[str, str], lang: str | None = None) -> dict[str, Any]:
    """The Vega-Lite specification of ``row``: one line per review, in the row's unit."""
    from vlrkit.report import charts

    values = [{"year": y, "value": v, "city": names.get(m.entity, m.entity)} for m in row.members for y, v in m.values]
    cjk = any(charts._CJK.search(str(v["city"])) for v in values) or charts._CJK.search(row.unit_label(lang or "en"))
    colour: dict[str, Any] = {"field": "city", "type": "nominal", "title": None, "legend": {"orient": "bottom"}}
    return {
        "$schema": charts.VEGA_LITE_SCHEMA, "width": charts.WIDTH, "height": charts.HEIGHT,
        "title": {"text": f"SDG {row.sdg_indicator}", "anchor": "start", "fontSize": 13},
        "data": {"values": values},
        "mark": {"type": "line", "point": {"filled": True, "size": 30}, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "year", "type": "quantitative",
                  "axis": {"format": "d", "tickMinStep": 1, "labelOverlap": True, "grid": False, "title": None}},
            "y": {"field": "value", "type": "quantitative", "scale": {"zero": False},
                  "axis": {"title": row.unit_label(lang or "en")}},
            "color": colour,
        },
        "config": {**({"font": charts.CHART_FONT} if cjk else {}), "view": {"stroke": None},
                   "axis": {"labelFontSize": 11, "titleFontSize": 12}},
    }


def _csv(rows: Sequence[Mapping[str, Any]], fields: Iterable[str] | None = None) -> str:
    header = list(fields) if fields is not None else list(dict.fromkeys(k for r in rows for k in r))
    return spreadsheet.csv_text(header, (["" if r.get(k) is None else r[k] for k in header] for r in rows))


def write(result: Peers, out: Path, lang: str = "en", *, charts_too: bool = True) -> list[Path]:
    """Write the comparison's files into ``out`` (see the module doc); the paths written."""
    from vlrkit.report.charts import render_svg

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("peers.csv", _csv(to_rows(result, lang))),
                       ("left_out.csv", _csv(left_rows(result, lang), ("subject", "reason_code", "reason",
                                                                        "indicators"))),
                       ("peers.json", json.dumps(to_dict(result, lang), ensure_ascii=False, indent=1))):
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    if result.dashboard is not None:
        (out / "dashboard.csv").write_text(_csv(dashboard_rows(result)), encoding="utf-8")
        (out / "dashboard-note.txt").write_text(result.dashboard.note[_key(lang)] + "\n", encoding="utf-8")
        written += [out / "dashboard.csv", out / "dashboard-note.txt"]
    if charts_too:
        (out / "charts").mkdir(exist_ok=True)
        names = {e: _name(result, e, lang) for e in result.entities}
        for r in result.rows:
            path = out / "charts" / f"sdg-{r.sdg_indicator}.svg"
            path.write_text(render_svg(chart(r, names, lang)), encoding="utf-8")
            written.append(path)
    return written
