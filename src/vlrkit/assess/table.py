"""``assess-table``: any table of entities in, SDSN (or progress) results out, no database.

Input (CSV, UTF-8):

* ``OBS.csv`` — ``entity,indicator,year,value``; any further column is a disaggregation
  dimension (an empty cell = total).  ``year`` may be any period :func:`vlrkit.tidy.parse_period`
  reads (``2015``, ``2015/16``, ``2020-Q1``…).
* ``SPEC.csv`` — ``indicator,goal,direction`` (``higher``|``lower``), ``best,worst,green,red``
  (empty: derived from the peers), ``target,target_year`` (empty: no target / 2030), and an
  optional ``optimum``: how ``best`` is set — ``target`` (the target value), ``lnob`` (leave no
  one behind, percentages only: 100 when higher is better, 0 when lower is better), ``science``
  (a science-based value given in ``best``), ``top5`` (mean of the top 5 performers), or a
  number (a science-based optimum written in place); empty: as before (the given best, else the
  target, else the top 5).  See :data:`vlrkit.assess.rules.OPTIMUM_RULES`.  Optional ``yellow``
  (a yellow threshold, for method editions that publish one) and ``limit`` (a natural limit,
  for Open SDG's measure without a target).

The method edition (``method_edition``: ``vlrkit``, ``sdsn-2018``, ``us-cities-2019``…; see
:mod:`vlrkit.assess.editions`) sets the rules the SDSN and progress methods apply.

Every bad cell is reported with file, row (1-based data row, header = row 0), column and why, in
English and Chinese (:class:`TableInputError`); nothing is read past an error and nothing is
dropped silently.

Output (in DIR): ``indicator_scores.csv`` (``entity,indicator,year,value,score,colour,trend``),
``goal_scores.csv`` (``entity,goal,score,colour,trend``), ``index.csv`` (``entity,score,rank``)
for SDSN; ``progress.csv`` for the progress methods and ESCAP; ``lnob.csv`` when the
observations are disaggregated, and ``lnob_within.csv`` (gaps within each dimension, the others
held fixed) and ``lnob_intersections.csv`` (furthest-behind intersection groups) when rows are
broken down by two or more columns at once.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from vlrkit import tidy
from vlrkit.assess import escap, lnob, progress, sdsn
from vlrkit.assess.rules import LNOB_ACCESS, LNOB_DEPRIVATION, OPTIMUM_RULES, PROGRESS_METHODS
from vlrkit.formats import spreadsheet

OBS_REQUIRED = ("entity", "indicator", "year", "value")
SPEC_REQUIRED = ("indicator", "goal", "direction")
SPEC_NUMBERS = ("best", "worst", "green", "red", "yellow", "target", "limit")
TABLE_METHODS = ("sdsn", *PROGRESS_METHODS, "escap")
#: How many problems the error message lists (all are kept on the exception).
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One bad cell: where and why, in English and Chinese."""

    file: str
    row: int
    column: str
    en: str
    zh: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: {self.en} / {self.zh}"


class TableInputError(ValueError):
    """The input tables have problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [str(p) for p in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            rest = len(problems) - SHOWN_PROBLEMS
            lines.append(f"… {rest} more problem(s) / 另有 {rest} 个问题")
        super().__init__(f"{len(problems)} problem(s) in the input / 输入中有 {len(problems)} 个问题:\n"
                         + "\n".join(lines))


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise TableInputError([Problem(path.name, 0, "-", "the file is empty", "文件为空")])
    return [h.strip() for h in rows[0]], rows[1:]


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return x if x == x and abs(x) != float("inf") else None


def read_spec(path: Path) -> pl.DataFrame:
    """Read and check ``SPEC.csv``."""
    header, rows = _read(path)
    f = path.name
    problems = [Problem(f, 0, c, "required column missing", "缺少必需的列") for c in SPEC_REQUIRED if c not in header]
    if problems:
        raise TableInputError(problems)
    col = {h: i for i, h in enumerate(header)}
    out: dict[str, list] = {c: [] for c in ("indicator", "goal", "direction", *SPEC_NUMBERS, "target_year", "optimum")}
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        cell = {h: (row[i].strip() if i < len(row) else "") for h, i in col.items()}
        code = cell["indicator"]
        if not code:
            problems.append(Problem(f, n, "indicator", "empty indicator code", "指标代码为空"))
        elif code in seen:
            problems.append(Problem(f, n, "indicator", f"indicator {code} given twice", f"指标 {code} 重复"))
        seen.add(code)
        goal = cell["goal"]
        if not goal.isdigit() or not 1 <= int(goal) <= 17:
            problems.append(Problem(f, n, "goal", f"goal must be 1–17, not {goal!r}", f"目标须为 1–17，而非 {goal!r}"))
        if cell["direction"] not in ("higher", "lower"):
            problems.append(Problem(f, n, "direction", f"direction must be higher or lower, not {cell['direction']!r}",
                                    f"方向须为 higher 或 lower，而非 {cell['direction']!r}"))
        nums: dict[str, float | None] = {}
        for c in SPEC_NUMBERS:
            text = cell.get(c, "")
            nums[c] = _number(text) if text else None
            if text and nums[c] is None:
                problems.append(Problem(f, n, c, f"not a number: {text!r}", f"不是数字：{text!r}"))
        if nums["best"] is not None and nums["best"] == nums["worst"]:
            problems.append(Problem(f, n, "best", "best equals worst", "最优值与最差值相同"))
        optimum = _optimum(f, n, cell, nums, problems)
        ty = cell.get("target_year", "")
        if ty and not ty.isdigit():
            problems.append(Problem(f, n, "target_year", f"not a year: {ty!r}", f"不是年份：{ty!r}"))
        out["indicator"].append(code)
        out["goal"].append(int(goal) if goal.isdigit() else None)
        out["direction"].append(cell["direction"])
        for c in SPEC_NUMBERS:
            out[c].append(nums[c])
        out["target_year"].append(int(ty) if ty.isdigit() else None)
        out["optimum"].append(optimum)
    if problems:
        raise TableInputError(problems)
    return pl.DataFrame(out, schema={"indicator": pl.String, "goal": pl.Int32, "direction": pl.String,
                                     **{c: pl.Float64 for c in SPEC_NUMBERS}, "target_year": pl.Int32,
                                     "optimum": pl.String})


def _optimum(f: str, n: int, cell: dict[str, str], nums: dict[str, float | None],
             problems: list[Problem]) -> str | None:
    """The ``optimum`` cell: a rule of :data:`OPTIMUM_RULES` or a number (a science-based
    optimum, which then fills ``best``); checked against ``best`` and ``target``."""
    text = cell.get("optimum", "").strip().lower()
    if not text:
        return None
    best = nums["best"]

    def bad(en: str, zh: str) -> None:
        problems.append(Problem(f, n, "optimum", en, zh))

    number = _number(text)
    if number is not None:
        if best is not None and best != number:
            bad(f"optimum {number:g} contradicts best {best:g}", f"最优值规则 {number:g} 与 best {best:g} 矛盾")
        nums["best"] = number
        return "science"
    if text not in OPTIMUM_RULES:
        bad(f"optimum must be {', '.join(OPTIMUM_RULES)} or a number, not {text!r}",
            f"最优值规则须为 {', '.join(OPTIMUM_RULES)} 或数字，而非 {text!r}")
        return None
    lnob_best = LNOB_DEPRIVATION if cell.get("direction") == "lower" else LNOB_ACCESS
    if text == "target" and nums["target"] is None:
        bad("optimum 'target' needs a target value", "最优值规则 target 需要目标值（target 列）")
    elif text == "target" and best is not None and best != nums["target"]:
        bad(f"best {best:g} is not the target {nums['target']:g}", f"best {best:g} 不等于目标值 {nums['target']:g}")
    elif text == "lnob" and best is not None and best != lnob_best:
        bad(f"leave no one behind means best = {lnob_best:g} for direction {cell.get('direction')}, not {best:g}",
            f"“不让任何人掉队”规则下，方向为 {cell.get('direction')} 时 best 应为 {lnob_best:g}，而非 {best:g}")
    elif text == "top5" and best is not None:
        bad("optimum 'top5' derives best from the peers: leave best empty",
            "最优值规则 top5 由同类实体推算 best：best 列须留空")
    elif text == "science" and best is None:
        bad("optimum 'science' needs the value: give it in best or as a number in optimum",
            "最优值规则 science 需要具体数值：请填入 best 列或直接在 optimum 列填写数字")
    return text


def read_observations(path: Path, indicators: set[str],
                      percent: frozenset[str] = frozenset()) -> tuple[pl.DataFrame, list[str]]:
    """Read and check ``OBS.csv``; returns the rows and the names of the disaggregation columns.

    Values of the ``percent`` indicators (optimum rule ``lnob``) must lie in 0–100."""
    header, rows = _read(path)
    f = path.name
    problems = [Problem(f, 0, c, "required column missing", "缺少必需的列") for c in OBS_REQUIRED if c not in header]
    if problems:
        raise TableInputError(problems)
    dims = [h for h in header if h not in OBS_REQUIRED]
    col = {h: i for i, h in enumerate(header)}
    data: dict[str, list] = {c: [] for c in (*OBS_REQUIRED, *dims)}
    seen: dict[tuple, int] = {}
    for n, row in enumerate(rows, start=1):
        if not any(c.strip() for c in row):
            continue  # a blank line is not data
        cell = {h: (row[i].strip() if i < len(row) else "") for h, i in col.items()}
        for c in ("entity", "indicator"):
            if not cell[c]:
                problems.append(Problem(f, n, c, f"empty {c}", "代码为空"))
        if cell["indicator"] and cell["indicator"] not in indicators:
            problems.append(Problem(f, n, "indicator", f"indicator {cell['indicator']} is not in the spec",
                                    f"指标 {cell['indicator']} 不在指标说明表中"))
        try:
            year: int | None = tidy.parse_period(cell["year"]).year
        except tidy.PeriodError:
            year = None
            problems.append(Problem(f, n, "year", f"not a period: {cell['year']!r}", f"不是有效时期：{cell['year']!r}"))
        value = _number(cell["value"])
        if value is None:
            problems.append(Problem(f, n, "value", f"not a number: {cell['value']!r}", f"不是数字：{cell['value']!r}"))
        elif cell["indicator"] in percent and not 0.0 <= value <= 100.0:
            problems.append(Problem(f, n, "value", f"{value:g} is not a percentage (0–100), but indicator "
                                    f"{cell['indicator']} has optimum rule lnob",
                                    f"{value:g} 不是百分比（0–100），而指标 {cell['indicator']} 的最优值规则为 lnob"))
        key = (cell["entity"], cell["indicator"], cell["year"], *(cell[d] for d in dims))
        if key in seen:
            problems.append(Problem(f, n, "year", f"same entity, indicator, period and groups as row {seen[key]}",
                                    f"与第 {seen[key]} 行的实体、指标、时期和分组相同"))
        seen.setdefault(key, n)
        for c in ("entity", "indicator"):
            data[c].append(cell[c])
        data["year"].append(year)
        data["value"].append(value)
        for d in dims:
            data[d].append(cell[d] or None)
    if problems:
        raise TableInputError(problems)
    schema = {"entity": pl.String, "indicator": pl.String, "year": pl.Int32, "value": pl.Float64,
              **{d: pl.String for d in dims}}
    return pl.DataFrame(data, schema=schema), dims


def assess_table(obs_path: Path, spec_path: Path, out_dir: Path, *, method: str = "sdsn",
                 method_edition: str | None = None) -> dict[str, int]:
    """Run ``method`` by the rules of ``method_edition`` (None: ``vlrkit``) on the two CSV files
    and write the result files into ``out_dir``.

    Returns the number of rows written per file.
    """
    if method not in TABLE_METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(TABLE_METHODS)}")
    from vlrkit.assess import editions

    profile = editions.sdsn(method_edition)
    spec = read_spec(spec_path)
    lnob_rule = frozenset(spec.filter(pl.col("optimum") == "lnob")["indicator"].to_list())
    obs, dims = read_observations(obs_path, set(spec["indicator"].to_list()), lnob_rule)
    total = obs.filter(pl.all_horizontal([pl.col(d).is_null() for d in dims])) if dims else obs
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}

    def write(frame: pl.DataFrame, name: str) -> None:
        spreadsheet.write_frame_csv(frame, out_dir / name)
        written[name] = frame.height

    if method == "sdsn":
        res = sdsn.assess(total, spec, profile=profile)
        write(res.indicators.select("entity", "indicator", "year", "value", "score", "colour", "trend"),
              "indicator_scores.csv")
        write(res.goals.select("entity", "goal", "score", "colour", "trend"), "goal_scores.csv")
        write(res.index.select("entity", "score", "rank"), "index.csv")
    elif method == "escap":
        write(escap.assess(total, spec, profile=profile).indicators.drop("direction"), "progress.csv")
    else:
        write(progress.assess(total, spec, method=method, profile=profile).table, "progress.csv")
    if dims:
        lr = lnob.assess(obs, spec, dimensions=dims)
        # CSV has no lists: the latest year's group values as "group=value;…", best first
        values = pl.col("values").list.eval(
            pl.concat_str([pl.element().struct.field("group"), pl.lit("="),
                           pl.element().struct.field("value").cast(pl.String)])
        ).list.join(";")
        write(lr.gaps.with_columns(values.alias("values")), "lnob.csv")
        if lr.intersections.height:  # rows broken down by two or more dimensions at once
            write(lr.within.with_columns(values.alias("values")), "lnob_within.csv")
            write(lr.intersections.with_columns(values.alias("values")), "lnob_intersections.csv")
    return written
