"""The demo's observations: years and gaps, disaggregation, trends, colours, LNOB gaps."""

from __future__ import annotations

import polars as pl

from vlrkit import tidy
from vlrkit.demo.city import DISTRICTS, SHARES

SIX_DIMENSIONS = (
    "SEX", "AGE", "INCOME_WEALTH_QUANTILE", "DISABILITY_STATUS", "MIGRATORY_STATUS", "GEO",
)
MIN_DISAGGREGATED = 15
BASE_YEAR = 2015
#: Relative change (in the good direction) below which a series counts as flat.
FLAT = 0.05


def _single(obs: pl.DataFrame, dim: str) -> pl.DataFrame:
    """Rows broken down by ``dim`` alone (not the cells of a cross-classification)."""
    return obs.filter(pl.col(dim).is_not_null(), *(pl.col(d).is_null() for d in tidy.DIMENSIONS if d != dim))


def _years(headline: pl.DataFrame) -> dict[str, list[int]]:
    grouped = headline.group_by("indicator").agg(pl.col("year").sort())
    return dict(zip(grouped["indicator"], grouped["year"].to_list(), strict=True))


def test_years_within_2010_2024(demo):
    years = demo.observations["year"]
    assert years.min() == 2010 and years.max() == 2024


def test_realistic_gaps(demo, headline):
    years = _years(headline)
    late = [c for c, ys in years.items() if ys[0] > 2010]
    discontinued = [c for c, ys in years.items() if ys[-1] < 2023]
    holes = [c for c, ys in years.items() if len(ys) < ys[-1] - ys[0] + 1]
    complete = [c for c, ys in years.items() if ys == list(range(2010, 2025))]
    assert len(late) >= 10
    assert discontinued  # a series that stopped
    assert len(holes) >= 5  # missing years or surveys every few years
    assert len(complete) >= 20


def test_discontinued_series_is_documented(demo, headline):
    years = _years(headline)
    for ind in demo.indicators:
        if years[ind.code][-1] < 2023:
            assert "discontinued" in ind.extra, ind.code


def test_disaggregation_covers_six_dimensions(demo):
    obs = demo.observations
    per_dim = {d: set(obs.filter(pl.col(d).is_not_null())["indicator"]) for d in SIX_DIMENSIONS}
    assert all(per_dim.values()), {d: len(v) for d, v in per_dim.items()}
    disaggregated = set().union(*per_dim.values())
    assert len(disaggregated) >= MIN_DISAGGREGATED
    # the indicator metadata lists exactly the dimensions its data are broken down by
    for ind in demo.indicators:
        assert set(ind.dimensions) == {d for d, codes in per_dim.items() if ind.code in codes}


def test_dimension_codes_are_known(demo):
    obs = demo.observations
    for dim in ("SEX", "INCOME_WEALTH_QUANTILE", "DISABILITY_STATUS", "MIGRATORY_STATUS"):
        assert set(obs[dim].drop_nulls()) <= set(tidy.DIMENSION_CODES[dim]), dim
    assert set(obs["GEO"].drop_nulls()) == set(DISTRICTS)
    ages = set(obs["AGE"].drop_nulls())
    assert ages and all(a.startswith("Y") for a in ages)
    for dim in ("ETHNICITY", "URBANISATION", "EDUCATION_LEV", "ACTIVITY"):
        assert obs[dim].null_count() == obs.height


def test_groups_average_to_the_headline(demo, headline):
    """Population-weighted group values stay close to the total (same year, same indicator)."""
    head = headline.select("indicator", "year", pl.col("value").alias("total"))
    errors = []
    for dim in SIX_DIMENSIONS:
        rows = _single(demo.observations, dim).with_columns(
            pl.col(dim).replace_strict(SHARES[dim], default=None).alias("share")
        )
        mean = rows.group_by("indicator", "year").agg(
            ((pl.col("value") * pl.col("share")).sum() / pl.col("share").sum()).alias("mean")
        )
        errors.append(
            mean.join(head, on=["indicator", "year"]).select(
                ((pl.col("mean") - pl.col("total")).abs() / pl.col("total").abs()).alias("e")
            )
        )
    err = pl.concat(errors)["e"]
    assert err.median() < 0.02
    assert err.max() < 0.15


def _change_since_base(demo, headline) -> dict[str, float]:
    """Relative change from 2015 (or the first later year) to the latest, + = better."""
    direction = {i.code: 1 if i.direction == "higher" else -1 for i in demo.indicators}
    out = {}
    for code, rows in headline.sort("year").group_by("indicator"):
        since = rows.filter(pl.col("year") >= BASE_YEAR)
        if since.height < 2:
            continue
        base, latest = since["value"][0], since["value"][-1]
        out[code[0]] = direction[code[0]] * (latest - base) / abs(base)
    return out


def test_a_mix_of_trends(demo, headline):
    change = _change_since_base(demo, headline)
    better = [c for c, v in change.items() if v > FLAT]
    worse = [c for c, v in change.items() if v < 0]
    flat = [c for c, v in change.items() if 0 <= v <= FLAT]
    assert len(better) >= 30
    assert len(worse) >= 6
    assert len(flat) >= 5


def _colour(value: float, green: float, red: float, sign: int) -> str:
    """SDSN dashboard band of one value (a value on a threshold takes the better colour)."""
    v, g, r = sign * value, sign * green, sign * red
    if v >= g:
        return "green"
    if v < r:
        return "red"
    return "yellow" if v >= (g + r) / 2 else "orange"


def test_a_mix_of_colours(demo, headline):
    bounds = {t.indicator: t for t in demo.thresholds}
    latest = headline.sort("year").group_by("indicator").agg(pl.col("value").last())
    colours: dict[str, int] = {}
    for code, value in latest.iter_rows():
        sign = 1 if demo.indicator(code).direction == "higher" else -1
        c = _colour(value, bounds[code].green, bounds[code].red, sign)
        colours[c] = colours.get(c, 0) + 1
    assert all(colours.get(c, 0) >= 5 for c in ("green", "yellow", "orange", "red")), colours


def _gap_ratio(rows: pl.DataFrame, dim: str, year: int) -> float:
    values = rows.filter(pl.col("year") == year)["value"]
    return float(values.max() / values.min())


def test_gaps_between_groups_narrow_and_widen(demo):
    obs = demo.observations
    narrowing, widening = [], []
    for dim in SIX_DIMENSIONS:
        rows = _single(obs, dim)
        for (code,), part in rows.group_by("indicator"):
            years = sorted(set(part["year"]))
            first, last = _gap_ratio(part, dim, years[0]), _gap_ratio(part, dim, years[-1])
            if last < first * 0.95:
                narrowing.append((code, dim))
            elif last > first * 1.05:
                widening.append((code, dim))
    assert len(narrowing) >= 5, narrowing
    assert len(widening) >= 5, widening
    # e.g. migrants catch up on pensions; persons with disabilities fall further behind on income
    assert ("LJ-01-02", "MIGRATORY_STATUS") in narrowing
    assert ("LJ-10-03", "DISABILITY_STATUS") in widening


def _scale03(value: float, t, sign: int) -> float:
    """Piecewise-linear 0..3 scale: lower bound 0, red 1, green 2, optimum 3 (clipped)."""
    points = [sign * p for p in (t.lower_bound, t.red, t.green, t.optimum)]
    v = min(max(sign * value, points[0]), points[3])
    for k in range(3):
        if v <= points[k + 1]:
            return k + (v - points[k]) / (points[k + 1] - points[k])
    return 3.0


def _goal_colour(scores: list[float]) -> str:
    """SDSN goal colour from the two worst indicators."""
    worst = sorted(scores)[:2]
    mean = sum(worst) / len(worst)
    if mean >= 2:
        return "green" if all(s >= 2 for s in worst) else "yellow"
    if mean >= 1.5:
        return "yellow"
    if mean >= 1:
        return "orange"
    return "red" if all(s < 1 for s in worst) else "orange"


def test_goal_dashboard_is_not_one_colour(demo, headline):
    bounds = {t.indicator: t for t in demo.thresholds}
    latest = dict(headline.sort("year").group_by("indicator").agg(pl.col("value").last()).iter_rows())
    scores: dict[int, list[float]] = {}
    for ind in demo.indicators:
        sign = 1 if ind.direction == "higher" else -1
        scores.setdefault(ind.goal, []).append(_scale03(latest[ind.code], bounds[ind.code], sign))
    colours = [_goal_colour(s) for s in scores.values()]
    assert {"green", "yellow", "orange", "red"} <= set(colours), colours
