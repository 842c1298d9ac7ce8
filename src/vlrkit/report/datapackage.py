"""The open-data renderer: a Frictionless data package of everything quantitative.

Resources (CSV, UTF-8, with a Table Schema each):

- ``observations`` — the tidy observation table, every row and column with its provenance;
- ``indicators`` — per local indicator: metadata, baseline, latest, target and the assessment;
- ``goals`` — per goal: status, score, trend and data coverage;
- ``sdg_links`` — local indicator → SDG target/indicator with the comparability grade;
- ``targets`` — local and national target values;
- ``participation`` — people reached per engagement and group.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from vlrkit import tidy
from vlrkit.formats import spreadsheet
from vlrkit.report.model import Report
from vlrkit.review import Review

_POLARS_TYPES = {pl.String: "string", pl.Int32: "integer", pl.Int64: "integer",
                 pl.Float64: "number", pl.Boolean: "boolean"}


def _schema(frame: pl.DataFrame, primary: Sequence[str] = ()) -> dict[str, Any]:
    fields = [{"name": c, "type": _POLARS_TYPES.get(type(t), _POLARS_TYPES.get(t, "string"))}  # type: ignore[call-overload]
              for c, t in frame.schema.items()]
    schema: dict[str, Any] = {"fields": fields}
    if primary:
        schema["primaryKey"] = list(primary)
    return schema


def _frames(review: Review, reports: Sequence[Report]) -> dict[str, tuple[pl.DataFrame, tuple[str, ...], str]]:
    by_lang = {r.lang: r for r in reports}
    main = by_lang.get("en") or reports[0]
    names = {lang: {i.code: i.name for i in r.indicators()} for lang, r in by_lang.items()}
    ind_rows = []
    for i in main.indicators():
        row: dict[str, Any] = {"indicator": i.code, "goal": i.goal}
        for lang in by_lang:
            row[f"name_{lang}"] = names[lang].get(i.code, "")
        row.update(
            unit=i.unit, direction=i.direction, source=i.source, coverage=i.coverage,
            aggregation=i.aggregation,
            baseline_year=i.baseline.year if i.baseline else None,
            baseline_value=i.baseline.value if i.baseline else None,
            latest_year=i.latest.year if i.latest else None,
            latest_value=i.latest.value if i.latest else None,
            target_value=i.target.value if i.target else None,
            target_year=i.target.year if i.target else None,
            target_kind=i.target_kind,
            status=i.status, colour=i.colour, trend=i.trend, score=i.score,
        )
        ind_rows.append(row)
    ind_schema = {"indicator": pl.String, "goal": pl.Int64, **{f"name_{lang}": pl.String for lang in by_lang},
                  "unit": pl.String, "direction": pl.String, "source": pl.String,
                  "coverage": pl.String, "aggregation": pl.String, "baseline_year": pl.Int64,
                  "baseline_value": pl.Float64, "latest_year": pl.Int64, "latest_value": pl.Float64,
                  "target_value": pl.Float64, "target_year": pl.Int64, "target_kind": pl.String,
                  "status": pl.String, "colour": pl.String, "trend": pl.String, "score": pl.Float64}
    goals = pl.DataFrame(
        [{"goal": g.number, "status": g.status, "score": g.score, "trend": g.trend,
          "indicators_with_data": g.with_data, "indicators": g.total} for g in main.goals],
        schema={"goal": pl.Int64, "status": pl.String, "score": pl.Float64, "trend": pl.String,
                "indicators_with_data": pl.Int64, "indicators": pl.Int64},
    )
    links = pl.DataFrame(
        [{"indicator": lk.indicator, "target": lk.target, "sdg_indicator": lk.sdg_indicator,
          "grade": lk.grade} for lk in review.links],
        schema={"indicator": pl.String, "target": pl.String, "sdg_indicator": pl.String, "grade": pl.String},
    )
    targets = pl.DataFrame(
        [{"indicator": t.indicator, "kind": t.kind, "value": t.value, "year": t.year,
          "baseline_year": t.baseline_year} for t in review.targets],
        schema={"indicator": pl.String, "kind": pl.String, "value": pl.Float64, "year": pl.Int64,
                "baseline_year": pl.Int64},
    )
    part = pl.DataFrame(
        [{"engagement": e.code, "date": e.date.isoformat(), "format": e.format, "group": g, "people": n}
         for e in review.engagements for g, n in ({"_all": e.participants} | dict(e.groups_reached)).items()],
        schema={"engagement": pl.String, "date": pl.String, "format": pl.String, "group": pl.String,
                "people": pl.Int64},
    )
    obs = tidy.conform(review.observations).select(tidy.COLUMNS)
    return {
        "observations": (obs, (), "The tidy observation table with provenance (file, row, import)."),
        "indicators": (pl.DataFrame(ind_rows, schema=ind_schema), ("indicator",),
                       "Local indicators: metadata, baseline, latest, target and assessment."),
        "goals": (goals, ("goal",), "The 17 goals: status, score, trend and data coverage."),
        "sdg_links": (links, (), "Local indicators linked to SDG targets and indicators, with comparability."),
        "targets": (targets, (), "Local and national target values."),
        "participation": (part, (), "People reached per engagement and group (_all = all participants)."),
    }


def render_datapackage(review: Review, reports: Sequence[Report], folder: Path) -> Path:
    """Write the data package into ``folder``; returns the path of ``datapackage.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for name, (frame, primary, description) in _frames(review, reports).items():
        path = folder / f"{name}.csv"
        spreadsheet.write_frame_csv(frame, path)
        resources.append({
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": description, "schema": _schema(frame, primary),
        })
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"vlr-{review.entity.code}-{review.edition.code}".lower().replace("_", "-"),
        "title": reports[0].title,
        "version": str(review.edition.year),
        "created": reports[0].generated + "T00:00:00Z",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }
    out = folder / "datapackage.json"
    out.write_text(json.dumps(descriptor, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def validate(descriptor: Path) -> Any:
    """Validate a written data package with frictionless; returns the frictionless report."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        return Package(str(descriptor)).validate()
