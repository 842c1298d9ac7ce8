"""The tables of the review package and how each dataclass field becomes a CSV cell and back.

One codec per field type, chosen from the dataclass annotations of :mod:`vlrkit.review.model`,
so a field added there travels through the package without code here changing.  Cells are
written canonically (JSON with sorted keys, shortest round-trip floats, ISO dates) so that
export → import → export gives identical bytes.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from vlrkit.review import model as rm


class CellError(ValueError):
    """A cell that does not hold a value of its column's type."""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _float_out(v: float) -> str:
    if not math.isfinite(v):
        raise CellError(f"{v!r} is not a finite number")
    return repr(float(v) + 0.0)  # + 0.0 turns -0.0 into 0.0, which databases do anyway


def _float_in(s: str) -> float:
    v = float(s)
    if not math.isfinite(v):
        raise CellError(f"{s!r} is not a finite number")
    return v


def _bool_in(s: str) -> bool:
    if s in ("true", "false"):
        return s == "true"
    raise CellError(f"{s!r} is not true or false")


def _object_in(s: str) -> dict[str, Any]:
    v = json.loads(s)
    if not isinstance(v, dict):
        raise CellError("expected a JSON object")
    return v


def _array_in(kind: type) -> Callable[[str], tuple[Any, ...]]:
    def parse(s: str) -> tuple[Any, ...]:
        v = json.loads(s)
        if not isinstance(v, list) or not all(isinstance(x, kind) and not isinstance(x, bool)
                                                for x in v):
            raise CellError(f"expected a JSON array of {kind.__name__}")
        return tuple(v)
    return parse


@dataclass(frozen=True)
class Codec:
    """How one field type is written to and read from a cell, and its Frictionless type."""

    frictionless: str
    dump: Callable[[Any], str]
    load: Callable[[str], Any]


CODECS: dict[str, Codec] = {
    "str": Codec("string", str, str),
    "int": Codec("integer", lambda v: str(int(v)), int),
    "float": Codec("number", _float_out, _float_in),
    "bool": Codec("boolean", lambda v: "true" if v else "false", _bool_in),
    "date": Codec("date", date.isoformat, date.fromisoformat),
    "Text": Codec("object", lambda v: _json(dict(v)), _object_in),
    "Mapping[str, str]": Codec("object", lambda v: _json(dict(v)), _object_in),
    "Mapping[str, int]": Codec("object", lambda v: _json(dict(v)), _object_in),
    "tuple[str, ...]": Codec("array", lambda v: _json(list(v)), _array_in(str)),
    "tuple[int, ...]": Codec("array", lambda v: _json(list(v)), _array_in(int)),
}


@dataclass(frozen=True)
class Column:
    name: str
    codec: Codec
    optional: bool  # None allowed: an empty cell


@dataclass(frozen=True)
class Table:
    """A package resource holding one kind of dataclass."""

    name: str  # resource name and file stem
    cls: type
    attr: str  # attribute of Review holding the rows
    key: tuple[str, ...]  # primary key fields
    title: str

    @property
    def columns(self) -> tuple[Column, ...]:
        cols = []
        for f in dataclasses.fields(self.cls):
            ann = str(f.type)
            optional = ann.endswith(" | None")
            base = ann.removesuffix(" | None")
            cols.append(Column(f.name, CODECS[base], optional))
        return tuple(cols)

    def row(self, item: Any) -> list[str]:
        out = []
        for col in self.columns:
            value = getattr(item, col.name)
            out.append("" if value is None else col.codec.dump(value))
        return out

    def parse(self, cells: dict[str, str]) -> Any:
        kwargs: dict[str, Any] = {}
        for col in self.columns:
            cell = cells[col.name]
            if cell == "" and col.optional:
                kwargs[col.name] = None
            elif cell == "" and col.codec.frictionless not in ("string",):
                raise CellError("empty cell in a required column")
            else:
                try:
                    kwargs[col.name] = col.codec.load(cell)
                except (ValueError, TypeError) as exc:
                    raise CellError(f"column {col.name!r}: {exc}") from None
                except CellError as exc:
                    raise CellError(f"column {col.name!r}: {exc}") from None
        return self.cls(**kwargs)

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [
                {"name": c.name, "type": c.codec.frictionless,
                 **({} if c.optional or c.codec.frictionless == "string"
                    else {"constraints": {"required": True}})}
                for c in self.columns
            ],
        }
        if self.key:
            schema["primaryKey"] = list(self.key)
        return schema


TABLES: tuple[Table, ...] = (
    Table("indicators", rm.LocalIndicator, "indicators", ("code",), "Local indicators"),
    Table("sdg_links", rm.SdgLink, "links", (),
          "Links from local indicators to SDG targets and indicators"),
    Table("targets", rm.Target, "targets", ("indicator", "kind", "year"), "Targets"),
    Table("thresholds", rm.Thresholds, "thresholds", ("indicator",), "Assessment thresholds"),
    Table("stakeholders", rm.Stakeholder, "stakeholders", ("code",), "Stakeholders"),
    Table("engagements", rm.Engagement, "engagements", ("code",), "Engagements"),
    Table("contributions", rm.Contribution, "contributions", ("code",),
          "Stakeholder contributions"),
    Table("actions", rm.Action, "actions", ("code",), "Follow-up actions"),
    Table("imports", rm.ImportRun, "imports", ("code",), "Data imports (provenance)"),
    Table("code_labels", rm.CodeLabel, "code_labels", ("dimension", "code"),
          "Names of the codes of open dimensions (districts…)"),
)
