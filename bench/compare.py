"""Peer comparison at the scale of a network of cities: 50 synthetic city reviews × 100 indicators
× 15 years side by side (:func:`vlrkit.compare.peers.compare`).

    .venv/bin/python bench/compare.py                # 50 cities
    .venv/bin/python bench/compare.py --cities 10    # any size

Each city's indicators are linked to the same 100 global SDG indicators (identical, adapted and a
tenth proxies), in four units (%, per 100,000, per 1,000 population — converted to per 100,000 by
the shipped exact factor in every other city — and a number, which the global unit does not put
per population: left out as a total), 5 % of the values missing.  ``seconds`` times the whole
comparison from the reviews (each review's series read as the assessment reads them, then the
pairing, units, ranks and the peer dashboard), not the generation of the reviews; the fastest of
three runs is reported (the machine is shared; the load average is printed).  Target: ≤ 5 s.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import polars as pl

from vlrkit import sdg, tidy
from vlrkit.compare import peers
from vlrkit.review import model as rm

INDICATORS = 100
YEARS = tuple(range(2010, 2025))
CITIES = 50
SEED = 11
REPEATS = 3
UNITS = ("%", "per 100 000 population", "per 1 000 population", "number")


def globals_() -> list[tuple[str, str]]:
    """The first 100 global indicators (target, indicator) of the shipped catalogue."""
    out = []
    for t in sdg.targets():
        for i in t.indicators():
            out.append((t.code, i.code))
    return out[:INDICATORS]


def city(n: int, gl: list[tuple[str, str]], rng: np.random.Generator) -> rm.Review:
    code = f"C{n:02d}"
    inds, links, rows = [], [], []
    for k, (target, g) in enumerate(gl):
        unit = UNITS[k % 4]
        if unit == "per 1 000 population" and n % 2:  # every other city: per 100,000
            unit, scale = "per 100 000 population", 100.0
        else:
            scale = 1.0
        local = f"{code}-{k:03d}"
        inds.append(rm.LocalIndicator(local, {"en": f"indicator {k}"}, int(g.split(".")[0]), unit,
                                      "higher" if k % 3 else "lower"))
        links.append(rm.SdgLink(local, target, g, "proxy" if k % 10 == 9 else ("identical" if k % 2 else "adapted")))
        level, slope = rng.uniform(10, 90), rng.normal(0, 1)
        for j, y in enumerate(YEARS):
            if rng.random() < 0.05:
                continue
            rows.append((code, local, str(y), y, (level + slope * j + rng.normal(0, 1.5)) * scale, unit))
    frame = pl.DataFrame(rows, schema={"entity": pl.String, "indicator": pl.String, "period": pl.String,
                                       "year": pl.Int32, "value": pl.Float64, "unit": pl.String}, orient="row")
    return rm.Review(
        entity=rm.Entity(code, {"en": f"City {n}"}, "city", "CHN", 1_000_000 + n),
        edition=rm.Edition("2025", 2025, 2015, 2024),
        indicators=tuple(inds), links=tuple(links), observations=tidy.conform(frame),
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=CITIES)
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)
    gl = globals_()
    reviews = [city(n, gl, rng) for n in range(args.cities)]
    best, result = float("inf"), None
    for _ in range(REPEATS):
        t = time.perf_counter()
        result = peers.compare(reviews, peer_bounds=True)
        best = min(best, time.perf_counter() - t)
    assert result is not None
    c = result.counts()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"cities={args.cities} indicators={INDICATORS} years={len(YEARS)} "
          f"observations={sum(r.observations.height for r in reviews)}")
    print(f"common_indicators={c['compared'] + c['proxies']} compared={c['compared']} proxies={c['proxies']} "
          f"ranked={c['ranked']} left_out={c['left_out']} converted_members="
          f"{sum(1 for r in result.rows for m in r.members if m.conversion)}")
    print(f"seconds={best:.2f} target_seconds=5 load_average={load}")


if __name__ == "__main__":
    main()
