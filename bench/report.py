"""Benchmark: render the demo review in every format and both languages.

Prints ``report_cpu_s`` (CPU seconds of this process and its PDF workers: a figure that does
not depend on how busy the machine is) and ``report_s`` (wall time of ``vlrkit.report.render``: models, JSON, data package, charts,
PDF, DOCX and the HTML site, zh-Hans + en), the time of each step, and the size of the job.
Targets (issue 18): report_s ≤ 10 and rerun_s (the same render after one narrative edit) ≤ 3 on the
reference machine (2 cores).  The 1-minute load average
before and after the run is printed because wall time on a shared machine depends on it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from vlrkit.demo import build_demo
from vlrkit.report import render
from vlrkit.report.progress import assess


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _cli_start() -> tuple[float, float]:
    """Wall time of ``vlr --help`` and of ``vlr sdg show 11.2.1``, best of 5 each (s)."""
    import sys

    vlr = str(Path(sys.executable).with_name("vlr"))
    best = []
    for args in (["--help"], ["sdg", "show", "11.2.1"]):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run([vlr, *args], check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        best.append(min(times))
    return best[0], best[1]


def main() -> None:
    load_start = os.getloadavg()[0]
    review = build_demo()
    t0 = time.perf_counter()
    assessment = assess(review)
    assess_s = time.perf_counter() - t0
    steps: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        last = start

        def tick(step: str) -> None:
            nonlocal last
            now = time.perf_counter()
            steps.append((step, now - last))
            last = now

        cpu0 = _cpu()
        result = render(review, out=out, assessment=assessment, progress=tick, workers=None)
        total = time.perf_counter() - start
        cpu = _cpu() - cpu0
        pages = subprocess.run(["pdfinfo", str(out / "vlr-zh-Hans.pdf")], capture_output=True,
                               text=True).stdout
        n_pages = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages")), "?")
        n_html = sum(1 for _ in (out / "html").rglob("*.html"))
        # a re-run after one narrative edit, into the same folder: only what changed is rebuilt
        edited = replace(review, narratives=tuple(
            replace(n, text=n.text + "\n\nOne more sentence, added by the benchmark's edit of this section.")
            if (n.section, n.lang) == ("GE-2", "en") else n for n in review.narratives))
        again = time.perf_counter()
        render(edited, out=out, assessment=assessment, workers=None)
        rerun = time.perf_counter() - again
    indicators = len(result.reports[0].indicators())
    goals = sum(1 for g in result.reports[0].goals if g.with_data)
    print(f"indicators={indicators}")
    print(f"goals_with_data={goals}")
    print(f"languages={','.join(r.lang for r in result.reports)}")
    print(f"cpus={os.cpu_count()}")
    print(f"assess_s={assess_s:.2f}")
    for step, secs in steps:
        print(f"step_{step.replace(' ', '_').replace('-', '_')}_s={secs:.2f}")
    print(f"pdf_pages_zh={n_pages}")
    print(f"html_pages={n_html}")
    print(f"load_avg_1min_start={load_start:.2f}")
    print(f"load_avg_1min={os.getloadavg()[0]:.2f}")
    print(f"report_cpu_s={cpu:.2f}")
    print(f"report_s={total:.2f}")
    print(f"rerun_s={rerun:.2f}  # after one narrative edit (GE-2, en), same folder; target 3")
    print("cli_start_s={:.2f} (vlr --help) {:.2f} (vlr sdg show 11.2.1), target 0.3".format(*_cli_start()))


if __name__ == "__main__":
    main()
