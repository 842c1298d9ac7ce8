"""Read SDSN's published 2018 SDG Index workbook into a panel and spec for :mod:`.sdsn`.

The workbook (``2018GlobalIndexResults.xlsx``, CC BY 4.0) holds, for 193 countries, the raw
values of 88 index indicators (plus 23 OECD-only ones), SDSN's normalised scores, the goal
dashboard colours, the goal scores and the index.  It does not hold the bounds or thresholds;
this module recovers what the workbook itself determines and nothing more:

* **Bounds (reproduced).** Each normalised score is linear in the raw value, so a least-squares
  line through the unclipped (0 < score < 100) points gives ``worst`` (score 0) and ``best``
  (score 100) exactly (residuals ~1e-13).
* **Data preparation (reproduced from the workbook's own cells).** For OECD members SDSN scores
  the *safely managed* sanitation and water indicators and blanks the *basic* ones; where an
  OECD member lacks the safely managed value, its basic value is scored in its place (Mexico,
  Turkey).  Ocean indicators do not apply to landlocked countries (those with no goal-14 data):
  with that, the ≥ 80 % coverage rule picks exactly SDSN's 156 ranked countries.
* **Recovered inputs (circular, flagged).** For the 35 OECD members the workbook blanks the raw
  unemployment rate (goal 8) and municipal solid waste (goal 12) although both count in their
  goal scores; with one unknown per goal the value follows from the published goal score.
  These 70 cells are listed in :attr:`Workbook2018.recovered` and excluded from the goal-score
  match; the index match reports them separately.
* **Thresholds (fitted, not reproduced).** Green/red thresholds, and the bounds of the OECD-only
  dashboard indicators, are not in the workbook; ``thresholds.csv`` beside it holds values
  fitted to the published goal colours (see ``bench/sdsn_2018.py --fit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

#: Goals of the 88 index indicators, in workbook order (sizes 2,6,14,3,4,6,3,4,7,1,3,7,4,6,5,9,4).
GOAL_SIZES = (2, 6, 14, 3, 4, 6, 3, 4, 7, 1, 3, 7, 4, 6, 5, 9, 4)
#: OECD-only dashboard indicators: goal and direction (+1 higher is better), workbook order.
#: The workbook does not say which goal each belongs to; this assignment is vlrkit's reading of
#: the indicator names (e.g. PISA → 4, Palma ratio and elderly poverty → 10), not SDSN's table.
OECD_GOALS = (1, 3, 3, 3, 4, 4, 4, 4, 4, 5, 7, 8, 8, 9, 9, 9, 9, 10, 10, 11, 12, 13, 17)
OECD_DIRECTIONS = (-1, -1, -1, -1, 1, 1, -1, -1, 1, -1, 1, 1, -1, -1, 1, 1, 1, -1, -1, -1, -1, 1, -1)

#: Why the bounds and thresholds of the OECD-only indicators cannot be recovered (cited when one
#: of them decides a goal colour that differs from the published one).
OECD_ONLY_REASON = (
    "OECD-only dashboard indicator: the workbook gives raw values for the 35 members but no "
    "normalised score, so no line recovers its bounds (the fit uses the members' range) and its "
    "thresholds are fitted from at most 35 colours; its goal is vlrkit's reading of its name"
)

# 0-based workbook columns
_RAW, _OECD, _NORM, _DASH, _GOAL = 12, 100, 123, 211, 228
_N, _NO = 88, 23
_SAFE_BASIC = ((29, 30), (31, 32))  # (safely managed, basic) sanitation and water
_HIDDEN = ((8, 41), (12, 53))  # (goal, indicator) blanked for OECD members
YEAR = 2018


@dataclass(frozen=True)
class Workbook2018:
    """The workbook as vlrkit frames (indicator codes ``i01``…``i88``, ``o01``…``o23``)."""

    panel: pl.DataFrame  # entity, indicator, year, value
    spec: pl.DataFrame  # indicator, name, goal, direction, best, worst, green, red, index
    regions: pl.DataFrame  # entity, region
    not_applicable: pl.DataFrame  # entity, indicator
    normalised: pl.DataFrame  # published: entity, indicator, score
    goals: pl.DataFrame  # published: entity, goal, score, colour
    index: pl.DataFrame  # published: entity, score, rank
    recovered: pl.DataFrame  # entity, indicator, value (inputs recovered from goal scores)
    oecd: frozenset[str]


def _num(v: object) -> float:
    return np.nan if v is None or v == "" else float(v)  # type: ignore[arg-type]


def fit_bounds(raw: np.ndarray, norm: np.ndarray) -> tuple[float, float]:
    """(best, worst) of the line through the unclipped (raw, normalised) points."""
    ok = ~np.isnan(raw) & ~np.isnan(norm) & (norm > 1e-9) & (norm < 100 - 1e-9)
    slope, icpt = np.polyfit(raw[ok], norm[ok], 1)
    return float((100 - icpt) / slope), float(-icpt / slope)


def load(path: Path, thresholds: Path | None = None) -> Workbook2018:
    """Read the workbook at ``path``; ``thresholds`` (CSV ``indicator,green,red[,best,worst]``)
    fills the thresholds, else they stay null."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header, body = rows[1], [r for r in rows[2:] if r[1]]
    iso = [str(r[1]) for r in body]
    oecd = np.array([r[9] == 1 for r in body])
    raw = np.array([[_num(r[_RAW + k]) for k in range(_N)] for r in body])
    oraw = np.array([[_num(r[_OECD + k]) for k in range(_NO)] for r in body])
    norm = np.array([[_num(r[_NORM + k]) for k in range(_N)] for r in body])
    gscore = np.array([[_num(r[_GOAL + g]) for g in range(17)] for r in body])
    goal = np.repeat(np.arange(1, 18), GOAL_SIZES)
    codes = [f"i{k + 1:02d}" for k in range(_N)]
    ocodes = [f"o{k + 1:02d}" for k in range(_NO)]
    bounds = [fit_bounds(raw[:, k], norm[:, k]) for k in range(_N)]

    for safe, basic in _SAFE_BASIC:
        fill = oecd & np.isnan(raw[:, safe])
        raw[fill, safe] = raw[fill, basic]
        raw[oecd, basic] = np.nan
    recovered = []
    for g, k in _HIDDEN:
        members = np.where(goal == g)[0]
        others = [j for j in members if j != k]
        best, worst = bounds[k]
        for i in np.where(oecd & ~np.isnan(gscore[:, g - 1]))[0]:
            known = norm[i, others]
            n = int(np.sum(~np.isnan(known)))
            s = gscore[i, g - 1] * (n + 1) - np.nansum(known)
            raw[i, k] = worst + s / 100.0 * (best - worst)
            recovered.append((iso[i], codes[k], float(raw[i, k])))
    oraw[~oecd] = np.nan

    values = np.column_stack([raw, oraw])
    allcodes = codes + ocodes
    ent, ind = np.meshgrid(np.arange(len(iso)), np.arange(len(allcodes)), indexing="ij")
    keep = ~np.isnan(values)
    panel = pl.DataFrame(
        {
            "entity": np.array(iso)[ent[keep]],
            "indicator": np.array(allcodes)[ind[keep]],
            "year": np.full(int(keep.sum()), YEAR, dtype=np.int32),
            "value": values[keep],
        }
    )
    spec = pl.DataFrame(
        {
            "indicator": allcodes,
            "name": [str(header[_RAW + k]).strip() for k in range(_N)]
            + [str(header[_OECD + k]).replace("OECD only :", "").strip() for k in range(_NO)],
            "goal": [int(x) for x in goal] + list(OECD_GOALS),
            "direction": ["higher" if b > w else "lower" for b, w in bounds]
            + ["higher" if d > 0 else "lower" for d in OECD_DIRECTIONS],
            "best": [b for b, _ in bounds] + [None] * _NO,
            "worst": [w for _, w in bounds] + [None] * _NO,
            "index": [True] * _N + [False] * _NO,
        },
        schema_overrides={"best": pl.Float64, "worst": pl.Float64},
    )
    if thresholds is not None:
        t = pl.read_csv(thresholds, schema_overrides={"indicator": pl.String})
        spec = spec.join(t.select("indicator", "green", "red"), on="indicator", how="left")
        if "best" in t.columns:
            extra = t.select("indicator", pl.col("best").alias("tb"), pl.col("worst").alias("tw"))
            spec = spec.join(extra, on="indicator", how="left").with_columns(
                pl.coalesce("best", "tb").alias("best"), pl.coalesce("worst", "tw").alias("worst")
            ).drop("tb", "tw")
    else:
        spec = spec.with_columns(pl.lit(None, pl.Float64).alias("green"), pl.lit(None, pl.Float64).alias("red"))

    landlocked = np.isnan(raw[:, goal == 14]).all(axis=1)
    na = [(iso[i], codes[k]) for i in np.where(landlocked)[0] for k in np.where(goal == 14)[0]]
    na += [(iso[i], codes[b]) for i in np.where(oecd)[0] for _, b in _SAFE_BASIC]
    na += [(iso[i], c) for i in np.where(~oecd)[0] for c in ocodes]

    def long(matrix: np.ndarray, cols: list, name: str) -> pl.DataFrame:
        e, c = np.meshgrid(np.arange(len(iso)), np.arange(len(cols)), indexing="ij")
        ok = ~np.isnan(matrix)
        return pl.DataFrame(
            {"entity": np.array(iso)[e[ok]], name: np.array(cols)[c[ok]], "score": matrix[ok]}
        )

    goals = long(gscore, list(range(1, 18)), "goal").with_columns(pl.col("goal").cast(pl.Int32))
    colours = pl.DataFrame(
        {
            "entity": [iso[i] for i in range(len(iso)) for _ in range(17)],
            "goal": [g for _ in iso for g in range(1, 18)],
            "colour": [
                str(body[i][_DASH + g]).replace("gray", "grey") for i in range(len(iso)) for g in range(17)
            ],
        },
        schema_overrides={"goal": pl.Int32},
    )
    return Workbook2018(
        panel=panel,
        spec=spec,
        regions=pl.DataFrame({"entity": iso, "region": [str(r[6]) for r in body]}),
        not_applicable=pl.DataFrame(na, schema=["entity", "indicator"], orient="row"),
        normalised=long(norm, codes, "indicator"),
        goals=colours.join(goals, on=["entity", "goal"], how="left"),
        index=pl.DataFrame(
            {"entity": iso, "score": [_num(r[2]) for r in body], "rank": [_num(r[3]) for r in body]}
        ).filter(pl.col("score").is_not_nan()),
        recovered=pl.DataFrame(recovered, schema=["entity", "indicator", "value"], orient="row"),
        oecd=frozenset(np.array(iso)[oecd].tolist()),
    )


#: A reproduced number matches the published one when within this distance.
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Reproduction:
    """How far vlrkit's SDSN run reproduces the published workbook."""

    normalised_match: float
    normalised_cells: int
    goal_score_match: float
    goal_score_cells: int
    goal_score_excluded: int  # cells whose input was recovered from the goal score itself
    index_match: float
    index_cells: int
    index_match_independent: float  # countries with no recovered input
    index_cells_independent: int
    rank_match: float
    ranked_set_match: bool
    goal_colour_match: float
    goal_colour_cells: int
    colour_mismatches: pl.DataFrame  # entity, goal, published, computed, oecd, n_indicators


def compare(result: object, wb: Workbook2018) -> Reproduction:
    """Compare an :class:`~vlrkit.assess.results.SdsnResult` with the published workbook."""
    ind: pl.DataFrame = result.indicators  # type: ignore[attr-defined]
    goals: pl.DataFrame = result.goals  # type: ignore[attr-defined]
    index: pl.DataFrame = result.index  # type: ignore[attr-defined]
    n = wb.normalised.join(ind.select("entity", "indicator", pl.col("score").alias("ours")),
                           on=["entity", "indicator"], how="left")
    n_ok = n.filter((pl.col("ours") - pl.col("score")).abs() <= TOLERANCE).height

    hidden_goals = {g for g, _ in _HIDDEN}
    rec_entities = set(wb.recovered["entity"].to_list())
    g = wb.goals.filter(pl.col("score").is_not_null()).join(
        goals.select("entity", "goal", pl.col("score").alias("ours")), on=["entity", "goal"], how="left"
    )
    circular = pl.col("entity").is_in(list(rec_entities)) & pl.col("goal").is_in(list(hidden_goals))
    g_fair = g.filter(~circular)
    g_ok = g_fair.filter((pl.col("ours") - pl.col("score")).abs() <= TOLERANCE).height

    x = wb.index.join(index.select("entity", pl.col("score").alias("ours"), pl.col("rank").alias("our_rank"), "ranked"),
                      on="entity", how="left")
    close = (pl.col("ours") - pl.col("score")).abs() <= TOLERANCE
    x_ok = x.filter(close).height
    xi = x.filter(~pl.col("entity").is_in(list(rec_entities)))
    xi_ok = xi.filter(close).height
    r_ok = x.filter(pl.col("our_rank") == pl.col("rank")).height
    ranked = set(index.filter(pl.col("ranked"))["entity"].to_list())

    c = wb.goals.join(goals.select("entity", "goal", pl.col("colour").alias("computed"), "n_indicators"),
                      on=["entity", "goal"], how="left")
    mism = c.filter(pl.col("computed") != pl.col("colour")).select(
        "entity", "goal", pl.col("colour").alias("published"), "computed",
        pl.col("entity").is_in(list(wb.oecd)).alias("oecd"), "n_indicators",
    ).sort("entity", "goal")
    return Reproduction(
        normalised_match=n_ok / n.height,
        normalised_cells=n.height,
        goal_score_match=g_ok / g_fair.height,
        goal_score_cells=g_fair.height,
        goal_score_excluded=g.height - g_fair.height,
        index_match=x_ok / x.height,
        index_cells=x.height,
        index_match_independent=xi_ok / xi.height,
        index_cells_independent=xi.height,
        rank_match=r_ok / x.height,
        ranked_set_match=ranked == set(wb.index["entity"].to_list()),
        goal_colour_match=1 - mism.height / c.height,
        goal_colour_cells=c.height,
        colour_mismatches=mism,
    )
