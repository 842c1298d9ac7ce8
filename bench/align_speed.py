"""Throughput of the SDG mapping on a 100-page plan.

Builds a ~150,000-character Chinese plan and a ~50,000-word English one from the development
passages (shuffled with a fixed seed, grouped into paragraphs), writes each to a text file, and
times reading + segmenting + mapping every passage (a fresh process pays the one-off loading
of lexicons and target texts, reported separately as ``load_seconds``).  Prints per plan::

    plan=zh chars=150012 passages=… seconds=…
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "align"
ZH_CHARS = 150_000
EN_WORDS = 50_000
PER_PARAGRAPH = 4


def passages(lang: str) -> list[str]:
    out = []
    for split in ("dev", "heldout", "blind"):
        with open(DATA / f"{split}_{lang}.csv", newline="", encoding="utf-8") as f:
            out += [r["text"] for r in csv.DictReader(f)]
    return out


def build(lang: str) -> str:
    rng = random.Random(7)
    pool = passages(lang)
    parts: list[str] = []
    size = 0
    goal = ZH_CHARS if lang == "zh" else EN_WORDS
    while size < goal:
        p = rng.choice(pool)
        parts.append(p)
        size += len(p) if lang == "zh" else len(p.split())
    sep = "" if lang == "zh" else " "
    paras = [sep.join(parts[i : i + PER_PARAGRAPH]) for i in range(0, len(parts), PER_PARAGRAPH)]
    return "\n\n".join(paras)


def main() -> None:
    t0 = time.perf_counter()
    from vlrkit.align import align, read_path, signals

    signals.zh_lexicon(), signals.en_lexicon(), signals.aurora_queries()
    signals.target_text("zh-Hans"), signals.target_text("en")
    print(f"load_seconds={time.perf_counter() - t0:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("zh", "en"):
            text = build(lang)
            path = Path(tmp) / f"plan_{lang}.txt"
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            al = align([read_path(path)])
            seconds = time.perf_counter() - start
            size = f"chars={len(text)}" if lang == "zh" else f"words={len(text.split())}"
            mapped = sum(1 for p in al.passages if p.goals)
            print(f"plan={lang} {size} passages={len(al.passages)} mapped={mapped} seconds={seconds:.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
