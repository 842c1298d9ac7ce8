"""Scale of the assessment engine: SDSN (with trends) and UNSD progress on a synthetic panel.

    .venv/bin/python bench/assess_scale.py                 # 5,000 and 10,000 entities
    .venv/bin/python bench/assess_scale.py --entities 200  # one run of any size

5,000 entities × 100 indicators × 15 years = 7.5 M observations; bounds and thresholds are
derived from the peers (the heavy path), every indicator has a target.  ``seconds`` times the
assessment only (checking the panel, then SDSN + UNSD on it), not the generation of the data;
``peak_rss_mb`` is the peak resident memory of the whole run (generation included).  Each size
runs in its own process so the figures do not mix, five times, and the two sizes alternate over
three rounds of processes, so that both meet the machine in the same states; the fastest run of
each size is reported (standard practice on a shared machine; ``cpu_seconds`` and the load
average are printed too).  The panel's rows come in series order, as a store or an ordered
export delivers them; the same panels with their rows shuffled, which the engine has to sort,
are timed once more (``seconds_shuffled``), and Eurostat and ESCAP are timed once on each
size (``seconds_eurostat``, ``seconds_escap``; not in ``seconds``).  Targets: ≤ 10 s, ≤ 4,000 MB, doubling the entities
≤ 2.1× the time.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

import numpy as np
import polars as pl

from vlrkit.assess import escap, frames, progress, sdsn

INDICATORS = 100
YEARS = tuple(range(2010, 2025))
ENTITIES = 5_000
SEED = 7
#: Each size is timed this many times in a process; the fastest run is reported (the machine is
#: shared).
REPEATS = 5
#: Processes per size, alternating between the sizes.
ROUNDS = 3


def panel(n_entities: int, seed: int = SEED) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A synthetic panel: each series a level plus a trend plus noise, 5 % missing.  The spec
    (targets) is drawn from its own generator, so that it is the same for every number of
    entities: twice the entities is twice the same kind of work."""
    rng = np.random.default_rng(seed)
    n_years = len(YEARS)
    level = rng.uniform(10, 90, size=(n_entities, INDICATORS, 1))
    slope = rng.normal(0, 1.0, size=(n_entities, INDICATORS, 1))
    noise = rng.normal(0, 1.5, size=(n_entities, INDICATORS, n_years))
    t = np.arange(n_years)[None, None, :]
    values = (level + slope * t + noise).ravel()
    values[rng.random(values.size) < 0.05] = np.nan
    ent = pl.Series("entity", [f"E{i:05d}" for i in range(n_entities)], dtype=pl.String)
    ind = pl.Series("indicator", [f"I{k:03d}" for k in range(INDICATORS)], dtype=pl.String)
    frame = pl.DataFrame({
        "entity": ent.gather(np.repeat(np.arange(n_entities), INDICATORS * n_years)),
        "indicator": ind.gather(np.tile(np.repeat(np.arange(INDICATORS), n_years), n_entities)),
        "year": np.tile(np.array(YEARS, dtype=np.int32), n_entities * INDICATORS),
        "value": values,
    })
    spec = pl.DataFrame({
        "indicator": ind,
        "goal": (np.arange(INDICATORS) % 17 + 1).astype(np.int32),
        "direction": ["higher" if k % 3 else "lower" for k in range(INDICATORS)],
        "target": np.random.default_rng([seed, INDICATORS]).uniform(20, 95, INDICATORS),
        "target_year": np.full(INDICATORS, 2030, dtype=np.int32),
    })
    return frame, spec


def once(n_entities: int, shuffled: bool = False) -> None:
    frame, spec = panel(n_entities)
    if shuffled:  # rows in no order: the panel has to be sorted
        frame = frame.sample(fraction=1.0, shuffle=True, seed=SEED)
    obs = frame.filter(pl.col("value").is_not_nan()).height
    runs = []
    for _ in range(REPEATS):  # fresh Panel each time: nothing cached between runs
        t0 = time.perf_counter()
        c0 = time.process_time()
        checked = frames.prepare(frame)  # checked once, shared by both methods
        res = sdsn.assess(checked, spec, trend_start=2015)
        prog = progress.assess(checked, spec, method="unsd", base_year=2015)
        runs.append((time.perf_counter() - t0, time.process_time() - c0))
        del checked
    seconds, cpu = min(runs)
    # the other methods at the same scale, once each (not in ``seconds``)
    checked = frames.prepare(frame)
    others = {}
    for name, run in (("eurostat", lambda: progress.assess(checked, spec, method="eurostat")),
                      ("escap", lambda: escap.assess(checked, spec, base_year=2015))):
        t0 = time.perf_counter()
        run()
        others[name] = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ranked = res.index.filter(pl.col("ranked")).height
    print(f"entities={n_entities} obs={obs} seconds={seconds:.2f} cpu_seconds={cpu:.2f} "
          f"load={os.getloadavg()[0]:.1f} peak_rss_mb={rss:.0f} "
          f"indicator_rows={res.indicators.height} goal_rows={res.goals.height} ranked={ranked} "
          f"progress_rows={prog.table.height} threads={pl.thread_pool_size()} "
          f"runs={','.join(f'{w:.2f}' for w, _ in runs)} "
          f"seconds_eurostat={others['eurostat']:.2f} seconds_escap={others['escap']:.2f}")


def _child(n: int, *flags: str) -> dict[str, str]:
    out = subprocess.run([sys.executable, __file__, "--entities", str(n), *flags], check=True,
                         capture_output=True, text=True, env=os.environ.copy()).stdout
    return dict(kv.split("=", 1) for kv in out.split())


def _fastest(children: list[dict[str, str]]) -> dict[str, str]:
    """The fastest child; its runs, and the peak memory, over all of them."""
    best = min(children, key=lambda c: float(c["seconds"]))
    return {**best, "runs": " ".join(c["runs"] for c in children),
            "peak_rss_mb": str(max(int(c["peak_rss_mb"]) for c in children))}


def main() -> None:
    if "--entities" in sys.argv:
        once(int(sys.argv[sys.argv.index("--entities") + 1]), "--shuffled" in sys.argv)
        return
    ones, twos = [], []
    for _ in range(ROUNDS):  # the two sizes alternate, so both see the machine in the same moods
        ones.append(_child(ENTITIES))
        twos.append(_child(2 * ENTITIES))
    one, two = _fastest(ones), _fastest(twos)
    print(f"obs={one['obs']}")
    print(f"seconds={one['seconds']}  # fastest of runs={one['runs']}")
    print(f"cpu_seconds={one['cpu_seconds']}  # CPU time of all threads")
    print(f"load={one['load']}  # 1-minute load average during the run")
    print(f"peak_rss_mb={one['peak_rss_mb']}")
    print(f"obs_2x={two['obs']}")
    print(f"seconds_2x={two['seconds']}  # fastest of runs={two['runs']}")
    print(f"cpu_seconds_2x={two['cpu_seconds']}")
    print(f"peak_rss_mb_2x={two['peak_rss_mb']}")
    print(f"ratio={float(two['seconds']) / float(one['seconds']):.2f}  # wall clock, swings with the load")
    print(f"cpu_ratio={float(two['cpu_seconds']) / float(one['cpu_seconds']):.2f}  # CPU time of those runs")
    print(f"seconds_eurostat={one['seconds_eurostat']} seconds_eurostat_2x={two['seconds_eurostat']}  "
          "# Eurostat's two windows, once, on the checked panel")
    print(f"seconds_escap={one['seconds_escap']} seconds_escap_2x={two['seconds_escap']}  # ESCAP, once")
    # the same panel with its rows shuffled: the engine sorts it (the rows above come in order)
    one_s, two_s = _child(ENTITIES, "--shuffled"), _child(2 * ENTITIES, "--shuffled")
    print(f"seconds_shuffled={one_s['seconds']}  # rows in no order, one process")
    print(f"seconds_shuffled_2x={two_s['seconds']}")
    print(f"ratio_shuffled={float(two_s['seconds']) / float(one_s['seconds']):.2f}")
    print(f"cores={os.cpu_count()} threads={one['threads']}  # cores shared with other work: timings pessimistic")


if __name__ == "__main__":
    main()
