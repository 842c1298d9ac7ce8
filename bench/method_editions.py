"""Every method edition's rules on synthetic panels with a known answer per rule.

    .venv/bin/python bench/method_editions.py            # one line per profile, then the total

For each SDSN profile of :mod:`vlrkit.assess.editions`, each rule it sets (bounds, clipping,
the yellow threshold, colouring on the score or the raw value, three or four colours, the goal
colour rule and its red share, the grey rule, the trend window's start, fallback and end, the
arrows, the goal trend, the index's coverage and imputation) gets a small panel built so that
the rule decides the outcome.  The expected answer is worked out here from the profile's numbers
with plain arithmetic — not by the engine — and compared with what :func:`vlrkit.assess.sdsn.assess`
gives under that profile.  Prints ``profile=… rules=… cases=… agree=…`` (all agree) and every
disagreement with its inputs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import polars as pl

from vlrkit.assess import editions, sdsn
from vlrkit.assess.editions import SdsnEdition

SPEC = {"indicator": pl.String, "goal": pl.Int32, "direction": pl.String, "best": pl.Float64,
        "worst": pl.Float64, "green": pl.Float64, "red": pl.Float64, "yellow": pl.Float64, "index": pl.Boolean}
OBS = {"entity": pl.String, "indicator": pl.String, "year": pl.Int32, "value": pl.Float64}
Case = tuple[str, str, object, object]  # rule, case, expected, computed


def run(points: list[tuple], specs: list[tuple], ed: SdsnEdition, **kw: object) -> sdsn.SdsnResult:
    data = pl.DataFrame(points, schema=OBS, orient="row")
    spec = pl.DataFrame([s if len(s) == 9 else (*s, None, True)[:9] for s in specs], schema=SPEC, orient="row")
    return sdsn.assess(data, spec, profile=ed, **kw)  # type: ignore[arg-type]


def ind(res: sdsn.SdsnResult, code: str, entity: str = "c") -> dict:
    return res.indicators.filter((pl.col("indicator") == code) & (pl.col("entity") == entity)).row(0, named=True)


def goal(res: sdsn.SdsnResult, g: int, entity: str = "c") -> dict:
    return res.goals.filter((pl.col("goal") == g) & (pl.col("entity") == entity)).row(0, named=True)


# --- the oracle: each rule worked out from the profile's numbers -------------------------------


def position(ed: SdsnEdition, s: float, red: float, green: float, yellow: float | None) -> float:
    """0..3 of a score (best 100, worst 0, so scores are values) by the edition's rules."""
    y = yellow if ed.colouring.yellow == "given" and yellow is not None else (red + green) / 2
    if s >= green:
        return 3.0 if green >= 100 else 2 + (s - green) / (100 - green)
    if s >= y:
        return 1.5 + 0.5 * (s - y) / (green - y)
    if s >= red:
        return 1 + 0.5 * (s - red) / (y - red)
    return s / red


def colour_of(ed: SdsnEdition, p: float) -> str:
    if p >= 2:
        return "green"
    if ed.colouring.colours == 3:
        return "yellow" if p >= 1 else "red"
    return "yellow" if p >= 1.5 else "orange" if p >= 1 else "red"


def goal_colour_of(ed: SdsnEdition, positions: list[float], n_expected: int) -> str:
    gc = ed.goal_colour
    if not positions or len(positions) / n_expected < gc.min_coverage:
        return "grey"
    colours = [colour_of(ed, p) for p in positions]
    if gc.rule == "mean_colour":
        if gc.red_share is not None and colours.count("red") > gc.red_share * len(colours):
            return "red"
        m = sum(gc.points[c] for c in colours) / len(colours)
        return "green" if m >= 2.5 else "yellow" if m >= 1.5 else "orange" if m >= 0.5 else "red"
    a, b = sorted(positions)[:2] if len(positions) > 1 else (positions[0], positions[0])
    m = (a + b) / 2
    if m >= gc.green_at:
        return "green" if a >= gc.green_at or not gc.both_green else "yellow"
    if m >= gc.yellow_at:
        return "yellow"
    if m >= gc.orange_at:
        return "orange"
    return "red" if b < gc.orange_at or not gc.both_red else "orange"


# --- the cases ------------------------------------------------------------------------------------


def bounds_cases(ed: SdsnEdition) -> list[Case]:
    """Peer-derived bounds: the worst percentile, the top performers' mean, the thresholds' percentiles."""
    n = ed.normalisation
    values = [float(v) for v in range(1, 41)]  # 40 peers, higher is better

    def quantile(q: float) -> float:  # linear interpolation between order statistics
        h = (len(values) - 1) * q
        lo = int(h)
        return values[lo] + (h - lo) * (values[min(lo + 1, len(values) - 1)] - values[lo])

    res = run([(f"e{i:02d}", "x", 2020, v) for i, v in enumerate(values)],
              [("x", 1, "higher", None, None, None, None)], ed)
    b = res.bounds.row(0, named=True)
    return [
        ("normalisation.worst_percentile", "40 peers 1…40", quantile(n.worst_percentile), b["worst"]),
        ("normalisation.top_performers", "40 peers 1…40", sum(values[-n.top_performers:]) / n.top_performers, b["best"]),
        ("normalisation.green_percentile", "40 peers 1…40", quantile(n.green_percentile), b["green"]),
        ("normalisation.red_percentile", "40 peers 1…40", quantile(n.red_percentile), b["red"]),
    ]


def colour_cases(ed: SdsnEdition) -> list[Case]:
    out: list[Case] = []
    # clipping: a value beyond the optimum
    r = ind(run([("c", "x", 2020, 120.0)], [("x", 1, "higher", 100.0, 0.0, 80.0, 50.0)], ed), "x")
    out.append(("normalisation.clip", "value 120 above best 100", 100.0 if ed.normalisation.clip else 120.0, r["score"]))
    # the yellow threshold: red 40, green 80, yellow given 70; the value 65 is above the midpoint 60
    r = ind(run([("c", "x", 2020, 65.0)], [("x", 1, "higher", 100.0, 0.0, 80.0, 40.0, 70.0, True)], ed), "x")
    out.append(("colouring.yellow", "65 between red 40 and green 80, yellow 70",
                colour_of(ed, position(ed, 65.0, 40.0, 80.0, 70.0)), r["colour"]))
    # colouring on the value: a green threshold beyond the optimum keeps its meaning only on the value
    r = ind(run([("c", "x", 2020, 100.0)], [("x", 1, "higher", 100.0, 0.0, 110.0, 50.0)], ed), "x")
    want = "green" if ed.colouring.on == "score" else ("yellow" if 100.0 >= (50 + 110) / 2 else "orange")
    out.append(("colouring.on", "value 100 = best, green threshold 110 beyond it", want, r["colour"]))
    # three or four colours: a value just above red, below the midpoint
    r = ind(run([("c", "x", 2020, 52.0)], [("x", 1, "higher", 100.0, 0.0, 80.0, 50.0)], ed), "x")
    out.append(("colouring.colours", "52: above red 50, below the midpoint 65",
                colour_of(ed, position(ed, 52.0, 50.0, 80.0, None)), r["colour"]))
    return out


def goal_colour_cases(ed: SdsnEdition) -> list[Case]:
    """Goals of indicators with red 50, green 80 (scores = values): the two rules disagree."""
    def goal_of(scores: list[float | None]) -> tuple[str, str]:
        pts = [("c", f"x{k}", 2020, s) for k, s in enumerate(scores) if s is not None]
        specs = [(f"x{k}", 1, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(len(scores))]
        got = goal(run(pts, specs, ed), 1)["colour"]
        want = goal_colour_of(ed, [position(ed, s, 50.0, 80.0, None) for s in scores if s is not None], len(scores))
        return want, got

    out: list[Case] = []
    for rule, case, scores in (
        ("goal_colour.rule", "four green, one orange, one red", [90.0, 90.0, 90.0, 90.0, 57.5, 25.0]),
        ("goal_colour.rule", "green and yellow", [95.0, 70.0]),
        ("goal_colour.red_share", "two of six red (exactly a third)", [90.0, 90.0, 90.0, 90.0, 25.0, 25.0]),
        ("goal_colour.red_share", "one of five red", [90.0, 90.0, 90.0, 90.0, 25.0]),
        ("goal_colour.red_share", "two of five red", [90.0, 90.0, 90.0, 25.0, 25.0]),
        ("goal_colour.min_coverage", "one of four with data", [90.0, None, None, None]),
        ("goal_colour.min_coverage", "two of four with data", [90.0, 85.0, None, None]),
    ):
        want, got = goal_of(scores)
        out.append((rule, case, want, got))
    return out


def window(ed: SdsnEdition, years: list[int]) -> tuple[int | None, int | None, int]:
    """The trend window of a series observed in ``years`` by the edition's rules: first year,
    last year and the number of points in it."""
    t = ed.trend
    upto = [y for y in years if t.end is None or y <= t.end]
    if not upto:
        return None, None, 0
    t1 = upto[-1]
    since = [y for y in upto if y >= t.start]
    before = [y for y in upto if y < t.start]
    y0, n = (since[0], len(since)) if since else (None, 0)
    if t.fallback == "nearest" and before:
        yb = before[-1]
        lowest = t.start if t.earliest is None else t.earliest
        if yb >= lowest and yb < t1 and (y0 is None or n < 2 or t.start - yb <= y0 - t.start):
            y0, n = yb, n + 1
    return y0, t1, n


def trend_cases(ed: SdsnEdition) -> list[Case]:
    """Series observed in chosen years (best 100, worst 0, green 80): the window, the pace, the arrow."""
    t = ed.trend
    out: list[Case] = []
    values = {2011: 30.0, 2013: 36.0, 2014: 40.0, 2016: 44.0, 2017: 46.0, 2019: 50.0}
    for years in ([2011, 2014, 2017, 2019], [2013, 2016, 2019], [2014, 2019]):
        y0, t1, n = window(ed, years)
        res = run([("c", "x", y, values[y]) for y in years], [("x", 1, "higher", 100.0, 0.0, 80.0, 50.0)], ed)
        r = ind(res, "x")
        label = "years " + ", ".join(map(str, years))
        rated = y0 is not None and t1 is not None and n >= 2 and t1 > y0
        out.append(("trend.fallback", label, rated, r["trend"] != "insufficient_data"))
        if not rated:
            continue
        out.append(("trend.start", label, y0, r["trend_year0"]))
        observed = (values[t1] - values[y0]) / (t1 - y0)
        required = (80.0 - values[y0]) / max(t.horizon - y0, 1)
        out.append(("trend.end", label, observed, r["trend_observed"]))
        out.append(("trend.horizon", label, required, r["trend_required"]))
        arrow = ("on_track" if values[t1] >= 80 else "decreasing" if observed < 0
                 else "stagnating" if observed < t.moderate_share * required
                 else "moderately_improving" if observed < required else "on_track")
        out.append(("trend.moderate_share", label, arrow, r["trend"]))
    return out


def goal_trend_cases(ed: SdsnEdition) -> list[Case]:
    """A goal of four indicators with known arrows (2015 and 2020 values, green 80)."""
    t = ed.trend
    pts, specs, arrows = [], [], []
    for k, (v0, v1) in enumerate(((50.0, 60.0), (50.0, 61.0), (50.0, 52.0), (50.0, 45.0))):
        pts += [("c", f"x{k}", 2015, v0), ("c", f"x{k}", 2020, v1)]
        specs.append((f"x{k}", 1, "higher", 100.0, 0.0, 80.0, 50.0))
    res = run(pts, specs, ed, trend_start=2015)
    for k in range(4):
        arrows.append(ind(res, f"x{k}")["trend"])
    pts_ = [t.goal_points[a] for a in arrows if a != "insufficient_data"]
    if len(pts_) < t.goal_min_coverage * 4:
        want = "insufficient_data"
    else:
        m = sum(pts_) / len(pts_)
        b = t.goal_bands
        want = "decreasing" if m < b[0] else "stagnating" if m < b[1] else "moderately_improving" if m < b[2] else "on_track"
    return [("trend.goal_points", f"arrows {', '.join(arrows)}", want, goal(res, 1)["trend"])]


def index_cases(ed: SdsnEdition) -> list[Case]:
    """Ranking by coverage, and a goal without data: imputed or not."""
    out: list[Case] = []
    n = 10
    specs = [(f"x{k}", 1 + k % 2, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(n)]
    for have in (7, 8):
        pts = [("c", f"x{k}", 2020, 70.0) for k in range(have)]
        got = run(pts, specs, ed).index.row(0, named=True)["ranked"]
        out.append(("index.min_coverage", f"{have} of {n} indicators", have / n >= ed.index.min_coverage, got))
    # entity "c" has no goal-2 data; "d" and "e", in the same region, have 40 and 60
    specs2 = [("a", 1, "higher", 100.0, 0.0, 80.0, 50.0), ("b", 2, "higher", 100.0, 0.0, 80.0, 50.0)]
    pts = [("c", "a", 2020, 70.0), ("d", "a", 2020, 70.0), ("d", "b", 2020, 40.0),
           ("e", "a", 2020, 70.0), ("e", "b", 2020, 60.0)]
    regions = pl.DataFrame({"entity": ["c", "d", "e"], "region": ["r", "r", "r"]})
    res = run(pts, specs2, ed, regions=regions)
    got = goal(res, 2)["score"]
    want = 50.0 if ed.index.impute == "regional_mean" else None
    out.append(("index.impute", "a city without goal-2 data, region mean 50", want, got))
    return out


CASES: tuple[Callable[[SdsnEdition], list[Case]], ...] = (
    bounds_cases, colour_cases, goal_colour_cases, trend_cases, goal_trend_cases, index_cases)


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return a == b


def main() -> int:
    t0 = time.perf_counter()
    total = agree_all = 0
    wrong: list[str] = []
    for name in editions.names("sdsn"):
        ed = editions.sdsn(name)
        cases = [c for make in CASES for c in make(ed)]
        agree = sum(same(want, got) for _, _, want, got in cases)
        wrong += [f"  {name} {rule} [{case}]: expected {want!r}, computed {got!r}"
                  for rule, case, want, got in cases if not same(want, got)]
        print(f"profile={name} rules={len({r for r, _, _, _ in cases})} cases={len(cases)} agree={agree}")
        total += len(cases)
        agree_all += agree
    print(f"profiles={len(editions.names('sdsn'))} cases={total} agree={agree_all} "
          f"seconds={time.perf_counter() - t0:.1f}")
    for line in wrong:
        print(line)
    return 0 if agree_all == total else 1


if __name__ == "__main__":
    sys.exit(main())
