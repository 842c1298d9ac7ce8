"""The JSON renderer: the report model as one JSON document per language."""

from __future__ import annotations

import json
from pathlib import Path

from vlrkit.report.model import Report

#: Version of the JSON layout (bump when the model's shape changes).
SCHEMA_VERSION = 1


def render_json(report: Report, path: Path) -> Path:
    """Write the report model of one language as JSON (UTF-8, not ASCII-escaped)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"vlrkit_report": SCHEMA_VERSION, **report.to_dict()}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
