"""Indicator specifications in bulk: one row per local indicator, as a CSV or XLSX a statistician
edits in a spreadsheet and gives back (``vlr indicators export`` / ``vlr indicators import``, and
the web's editable table).

=====================  ==============================================================  ========
column                 meaning                                                          edit
=====================  ==============================================================  ========
``indicator``          local indicator code (the row's key)                             no
``goal``               the SDG it is reported under, 1–17                               yes
``name_en``/``name_zh``  title in English / Chinese                                      yes
``unit``               the indicator's unit                                             yes
``direction``          ``higher``, ``lower`` or ``unknown`` (set by the city)           yes
``headline_series``    the series (and ``headline_unit``) the indicator leads with;     yes
``headline_unit``      empty: vlrkit's rule (:mod:`vlrkit.series`)
``local_target``       the city's target value and year (``local_target_year``, 2030)   yes
``national_target``    the national target value and year                               yes
``optimum`` …          SDSN bounds: ``optimum``, ``lower_bound``, ``green``, ``red``    yes
                       (all four, or none)
``yellow``             a yellow threshold of its own (SDSN's city editions publish one;  yes
                       between red and green; needs the four bounds; empty: none)
``sdg_indicator``      the global indicator it is linked to, and the link's ``grade``   yes
``grade``              (identical, adapted, proxy, contextual)
``resolved_direction``  what the assessment uses, and where from (catalogue, publisher…)  no
``direction_origin``
=====================  ==============================================================  ========

:func:`read` checks every cell like data is checked (file, row, column, reason in zh-Hans and
en) and returns the changes only when there are no errors: applying them is all or nothing
(:func:`vlrkit.store.specs.apply`).  Text cells are neutralised against formula injection.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vlrkit.formats.safety import neutralise, restore
from vlrkit.review import GRADES
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem

__all__ = ["COLUMNS", "EDITABLE", "Change", "SpecRead", "rows_of", "to_csv", "to_xlsx", "read", "read_rows"]

COLUMNS = ("indicator", "goal", "name_en", "name_zh", "unit", "direction", "headline_series", "headline_unit",
           "local_target", "local_target_year", "national_target", "national_target_year",
           "optimum", "lower_bound", "green", "red", "yellow", "sdg_indicator", "grade",
           "resolved_direction", "direction_origin")
#: Columns a person may change (the others are shown for reference).
EDITABLE = frozenset(COLUMNS) - {"indicator", "resolved_direction", "direction_origin"}
_NUMBERS = ("local_target", "national_target", "optimum", "lower_bound", "green", "red", "yellow")
_YEARS = ("local_target_year", "national_target_year")
_BOUNDS = ("optimum", "lower_bound", "green", "red")
DIRECTIONS = ("higher", "lower", "unknown")
DEFAULT_TARGET_YEAR = 2030


@dataclass(frozen=True)
class Change:
    """The specification of one indicator as the file gives it (None: the cell was empty)."""

    indicator: str
    row: int
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SpecRead:
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not any(p.severity == c.ERROR for p in self.problems)


def rows_of(review: Any, assessment: Any = None) -> list[dict[str, Any]]:
    """One row per indicator of ``review`` (a :class:`vlrkit.review.Review`), from what it holds
    (and what the ``assessment``, if given, resolved)."""
    targets = {(t.indicator, t.kind): t for t in review.targets if not t.series and not t.unit}
    th = {t.indicator: t for t in review.thresholds}
    links: dict[str, Any] = {}
    for lk in review.links:
        if lk.sdg_indicator and lk.indicator not in links:
            links[lk.indicator] = lk
    resolved = {i.code: i for i in assessment.indicators} if assessment is not None else {}
    out = []
    for ind in review.indicators:
        loc, nat, t, lk = targets.get((ind.code, "local")), targets.get((ind.code, "national")), th.get(ind.code), links.get(ind.code)
        a = resolved.get(ind.code)
        out.append({
            "indicator": ind.code, "goal": ind.goal, "name_en": ind.names.get("en", ""),
            "name_zh": ind.names.get("zh-Hans", ""), "unit": ind.unit, "direction": ind.direction,
            "headline_series": ind.extra.get("headline_series", ""), "headline_unit": ind.extra.get("headline_unit", ""),
            "local_target": loc.value if loc else None, "local_target_year": loc.year if loc else None,
            "national_target": nat.value if nat else None, "national_target_year": nat.year if nat else None,
            "optimum": t.optimum if t else None, "lower_bound": t.lower_bound if t else None,
            "green": t.green if t else None, "red": t.red if t else None, "yellow": t.yellow if t else None,
            "sdg_indicator": lk.sdg_indicator if lk else "", "grade": lk.grade if lk else "",
            "resolved_direction": a.direction if a else "", "direction_origin": a.direction_origin if a else "",
        })
    return out


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float):
        return int(v) if v.is_integer() else v
    return neutralise(str(v)) if isinstance(v, str) else v


def to_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([_cell(r.get(k)) for k in COLUMNS])
    return buf.getvalue().encode("utf-8")


def to_xlsx(rows: Iterable[Mapping[str, Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("indicators")
    ws.append(list(COLUMNS))
    for r in rows:
        ws.append([_cell(r.get(k)) for k in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _table(data: bytes, name: str) -> tuple[tuple[str, ...], list[tuple[int, tuple[str, ...]]]]:
    from vlrkit.formats.tabular import csvio
    from vlrkit.formats.tabular.reader import xlsx_table

    table = xlsx_table(data, name) if name.lower().endswith(".xlsx") else csvio.parse(data)
    width = len(table.header)
    rows = [(int(r[-1]), tuple(r[:width])) for r in table.frame.select([*[f"c{i}" for i in range(width)], "row"]).rows()]
    return tuple(h.strip().lower() for h in table.header), rows


def read(data: bytes, name: str, known: Mapping[str, Any]) -> SpecRead:
    """The changes a specification file gives for the indicators ``known`` (code → indicator),
    with every problem by row and column; never raises on bad cells."""
    try:
        header, rows = _table(data, name)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a problem, not a traceback
        return SpecRead((), (c.make(c.SpecInvalid, name, None, None, value="",
                                    detail=f"the file cannot be read ({type(exc).__name__})", detail_zh="无法读取该文件"),))
    return read_rows(header, rows, name, known)


def read_rows(header: tuple[str, ...], rows: list[tuple[int, tuple[str, ...]]], name: str,
              known: Mapping[str, Any]) -> SpecRead:
    """:func:`read` on rows already split into cells (the web's editable table gives these)."""
    problems: list[Problem] = []

    def bad(row: int | None, column: str | None, why: str, why_zh: str, value: str = "") -> None:
        problems.append(c.make(c.SpecInvalid, name, row, column, value=value[:80], detail=why, detail_zh=why_zh))

    if "indicator" not in header:
        problems.append(c.make(c.MissingColumn, name, None, "indicator"))
        return SpecRead((), tuple(problems))
    unknown_cols = [h for h in header if h and h not in COLUMNS]
    for h in unknown_cols:
        bad(None, h, "not a column of the specification (it is ignored)", "不是规格表的列（已忽略）")
    problems = [replace_severity(p) if p.column in unknown_cols else p for p in problems]
    changes: list[Change] = []
    seen: dict[str, int] = {}
    for n, cells in rows:
        rec = {h: restore(v).strip() if isinstance(v, str) else "" for h, v in zip(header, cells, strict=False)}
        code = rec.get("indicator", "")
        if not code:
            bad(n, "indicator", "no indicator code", "缺少指标代码")
            continue
        if code not in known:
            bad(n, "indicator", f"no indicator {code} in the review", f"本次评估中没有指标 {code}", code)
            continue
        if code in seen:
            bad(n, "indicator", f"{code} is already given in row {seen[code]}", f"{code} 已在第 {seen[code]} 行给出", code)
            continue
        seen[code] = n
        values: dict[str, Any] = {}
        for col in header:
            if col not in EDITABLE or col not in rec:
                continue
            text = rec[col]
            if col == "goal":
                if not (text.isdigit() and 1 <= int(text) <= 17):
                    bad(n, col, "a goal is a number from 1 to 17", "目标应为 1 至 17 的数字", text)
                    continue
                values[col] = int(text)
            elif col == "direction":
                if text.lower() not in DIRECTIONS:
                    bad(n, col, "higher, lower or unknown", "应为 higher、lower 或 unknown", text)
                    continue
                values[col] = text.lower()
            elif col in _NUMBERS:
                if text == "":
                    values[col] = None
                    continue
                try:
                    number = float(text.replace(",", ""))
                except ValueError:
                    bad(n, col, "not a number", "不是数字", text)
                    continue
                if not math.isfinite(number):
                    bad(n, col, "not a finite number", "不是有限数", text)
                    continue
                values[col] = number
            elif col in _YEARS:
                if text == "":
                    values[col] = None
                elif text.isdigit() and 1900 <= int(text) <= 2100:
                    values[col] = int(text)
                else:
                    bad(n, col, "a year from 1900 to 2100", "应为 1900 至 2100 年", text)
            elif col == "grade":
                if text and text not in GRADES:
                    bad(n, col, f"one of {', '.join(GRADES)}", f"应为 {'、'.join(GRADES)} 之一", text)
                    continue
                values[col] = text
            elif col == "sdg_indicator":
                if text:
                    try:
                        from vlrkit import sdg

                        sdg.indicator(text)
                    except Exception:  # noqa: BLE001 - unknown id
                        bad(n, col, "not a global SDG indicator id", "不是全球可持续发展目标指标编号", text)
                        continue
                values[col] = text
            else:
                values[col] = text
        given = [k for k in _BOUNDS if values.get(k) is not None]
        if given and len(given) != len(_BOUNDS):
            bad(n, "optimum", "the SDSN bounds go together: optimum, lower_bound, green and red, or none",
                "SDSN 上下限须同时给出：optimum、lower_bound、green 与 red，或全部留空")
        elif given:
            o, lo, g, r = (values[k] for k in _BOUNDS)
            if o == lo or not (min(o, lo) <= min(g, r) and max(g, r) <= max(o, lo)) or (g - r) * (o - lo) < 0:
                bad(n, "green", "green and red must lie between the optimum and the lower bound, green on the "
                    "optimum's side", "green 与 red 须位于最优值与下限之间，且 green 靠近最优值")
            elif values.get("yellow") is not None and not min(g, r) <= values["yellow"] <= max(g, r):
                bad(n, "yellow", "the yellow threshold must lie between red and green",
                    "yellow 阈值须位于 red 与 green 之间", str(values["yellow"]))
        elif values.get("yellow") is not None:
            bad(n, "yellow", "a yellow threshold needs the SDSN bounds: optimum, lower_bound, green and red",
                "yellow 阈值须与 SDSN 上下限（optimum、lower_bound、green、red）一同给出")
        for value_col, year_col in (("local_target", "local_target_year"), ("national_target", "national_target_year")):
            if values.get(year_col) is not None and rec.get(value_col, "") == "":
                bad(n, value_col, f"a year without a target value ({year_col})", f"只有年份没有目标值（{year_col}）")
        if values.get("sdg_indicator") and not values.get("grade") and "grade" in header:
            bad(n, "grade", "a link to a global indicator needs its comparability grade", "与全球指标的关联需要可比性等级")
        changes.append(Change(code, n, values))
    return SpecRead(tuple(changes), tuple(problems))


def replace_severity(p: Problem) -> Problem:
    """An unknown column is a warning: the file is still read, the column left alone."""
    from dataclasses import replace

    return replace(p, severity=c.WARNING)
