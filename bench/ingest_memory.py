"""Peak memory of ``vlr validate`` and ``vlr import`` on large generated files (issue 19).

Generates a tidy CSV (``indicator,period,value,unit,GEO``, ~30 bytes a row) and an Open SDG data
file (``Year,Units,Series,Gender,Race/ Ethnicity,Age,Value``, ~55 bytes a row) of each size, runs
each command in a fresh process (``bench/_probe.py``: the child's own peak RSS) and prints, per
file, the peak in MB and as a multiple of the file's size:

    validate_tidy_50mb_rss_mb=… validate_tidy_50mb_ratio=…   (and import_…, opensdg_…)
    max_rss_mb=… max_ratio=…

Targets (issue 19): peak ≤ 5× the file and ≤ 2,048 MB.  Sizes: ``VLRKIT_BENCH_MB`` (default
``50,200``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _probe import run_cli  # noqa: E402

SIZES = [float(s) for s in os.environ.get("VLRKIT_BENCH_MB", "50,200").split(",")]
INDICATORS, YEARS = 100, 25


def tidy_csv(path: Path, mb: float) -> None:
    n = int(mb * 1e6 / 29.5)
    idx = np.arange(n)
    areas = max(1, n // (INDICATORS * YEARS))
    frame = pl.DataFrame({
        "indicator": (idx // (YEARS * areas)).astype(str),
        "period": (2000 + (idx // areas) % YEARS).astype(str),
        "value": np.round(np.random.default_rng(3).uniform(0, 100, n), 3),
        "unit": ["Percent"] * n,
        "GEO": (idx % areas).astype(str),
    }).with_columns(pl.format("B-{}", "indicator").alias("indicator"), pl.format("D{}", "GEO").alias("GEO"))
    frame.write_csv(path)


def opensdg_csv(path: Path, mb: float) -> None:
    n = int(mb * 1e6 / 54.8)
    idx = np.arange(n)
    gender = np.where(idx // 1000 % 3 == 0, "Female", np.where(idx // 1000 % 3 == 1, "Male", ""))
    pl.DataFrame({
        "Year": (2000 + idx % 25).astype(str), "Units": ["Percent"] * n,
        "Series": (idx // 25 % 40).astype(str), "Gender": gender,
        "Race/ Ethnicity": (idx // 3000 % 7).astype(str), "Age": (idx // 21000).astype(str),
        "Value": np.round(np.random.default_rng(4).uniform(0, 100, n), 3),
    }).with_columns(pl.format("Series {}", "Series").alias("Series"), pl.format("Age {}", "Age").alias("Age"),
                    pl.format("Group {}", "Race/ Ethnicity").alias("Race/ Ethnicity")).write_csv(path)


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    tmp = Path(tempfile.mkdtemp(prefix="vlrkit-memory-"))
    worst_rss = worst_ratio = 0.0
    try:
        for mb in SIZES:
            tidy = tmp / f"tidy{mb:g}.csv"
            tidy_csv(tidy, mb)
            repo = tmp / f"opensdg{mb:g}"
            (repo / "data").mkdir(parents=True)
            opensdg_csv(repo / "data" / "indicator_1-1-1.csv", mb)
            for kind, path, size in (("tidy", tidy, tidy.stat().st_size),
                                     ("opensdg", repo, (repo / "data" / "indicator_1-1-1.csv").stat().st_size)):
                db = tmp / f"{kind}{mb:g}.sqlite3"
                init = run_cli(["init", "--db", str(db), "--entity", "bench", "--name-en", "Bench", "--edition",
                                "2024", "--period", "2000-2024"])
                assert init.ok, init
                for command, args in (("validate", ["validate", "--json", str(path)]),
                                      ("import", ["import", str(path), "--db", str(db), "--partial", "--json",
                                                  "--rejects", str(tmp / "rejects.csv")])):
                    out = run_cli(args, timeout=1800)
                    ratio = out.rss_mb * 1024 * 1024 / size
                    key = f"{command}_{kind}_{mb:g}mb"
                    print(f"{key}_rss_mb={out.rss_mb:.0f} {key}_ratio={ratio:.1f} {key}_seconds={out.seconds:.1f} "
                          f"{key}_status={out.status} file_mb={size / 1e6:.0f}")
                    worst_rss, worst_ratio = max(worst_rss, out.rss_mb), max(worst_ratio, ratio)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"max_rss_mb={worst_rss:.0f} max_ratio={worst_ratio:.1f}")
    print("note=peaks on 2 shared cores; targets 5x the file and 2048 MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
