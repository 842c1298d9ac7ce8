"""Build the catalogue's package data from open-sdg/sdg-translations YAML files.

The source keeps one key per (indicator, target) placement, so an indicator that serves several
targets (1.5.1 = 11.5.1 = 13.1.1) appears once per target, and it still carries ids retired by the
2020 comprehensive review.  The build models each indicator once, with all its ids and targets,
and marks the retired ids as withdrawn.

Run ``python -m vlrkit.sdg.build SOURCE_DIR`` to regenerate ``data/catalogue.json``; the test
suite rebuilds from the copy in ``tests/data/sdg-translations`` and compares.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

LANGUAGES: tuple[str, ...] = ("ar", "en", "es", "fr", "ru", "zh-Hans")

#: Framework version the catalogue encodes (see NOTICE and docs/catalogue.md).
FRAMEWORK_VERSION = (
    "Global indicator framework (A/RES/71/313 annex) as revised by the 2020 comprehensive review "
    "and the annual refinements to 2024: 247 listed entries, 231 unique indicators"
)

#: Ids in the source that the 2020 comprehensive review deleted or renumbered.
WITHDRAWN: dict[str, str] = {
    "1.a.3": "deleted by the 2020 comprehensive review",
    "8.9.2": "deleted by the 2020 comprehensive review",
    "11.c.1": "deleted by the 2020 comprehensive review",
    "13.3.2": "deleted by the 2020 comprehensive review",
    "17.6.2": "renumbered 17.6.1 by the 2020 comprehensive review (old 17.6.1 deleted)",
}

DATA_FILE = Path(__file__).with_name("data") / "catalogue.json"


def _sort_key(code: str) -> tuple[Any, ...]:
    """Order SDG ids numerically, with lettered targets (1.a, 1.b) after numbered ones."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def _load(source: Path, lang: str, name: str) -> dict[str, str]:
    with (source / lang / f"global_{name}.yml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {str(k): " ".join(str(v).split()) for k, v in data.items()}


def build(source: Path) -> dict[str, Any]:
    """Read the six languages' goal, target and indicator YAML files into the catalogue dict."""
    raw = {lang: {n: _load(source, lang, n) for n in ("goals", "targets", "indicators")}
           for lang in LANGUAGES}
    en = raw["en"]

    goals = {}
    for g in range(1, 18):
        goals[str(g)] = {
            "title": {lang: raw[lang]["goals"].get(f"{g}-title", "") for lang in LANGUAGES},
            "short": {lang: raw[lang]["goals"].get(f"{g}-short", "") for lang in LANGUAGES},
        }

    targets = {}
    for key in en["targets"]:
        code = key.removesuffix("-title").replace("-", ".")
        targets[code] = {
            "goal": int(code.split(".")[0]),
            "title": {lang: raw[lang]["targets"].get(key, "") for lang in LANGUAGES},
        }

    # group placements of the same indicator by identical English title (withdrawn ids excluded)
    placements: dict[str, list[str]] = {}
    for key, title in en["indicators"].items():
        code = key.removesuffix("-title").replace("-", ".")
        group = f"withdrawn:{code}" if code in WITHDRAWN else title
        placements.setdefault(group, []).append(code)

    indicators = {}
    for codes in placements.values():
        codes = sorted(codes, key=_sort_key)
        main = codes[0]
        key = main.replace(".", "-") + "-title"
        indicators[main] = {
            "ids": codes,
            "targets": [c.rsplit(".", 1)[0] for c in codes],
            "title": {lang: raw[lang]["indicators"].get(key, "") for lang in LANGUAGES},
            "withdrawn": WITHDRAWN.get(main, ""),
        }

    return {
        "framework": FRAMEWORK_VERSION,
        "languages": list(LANGUAGES),
        "goals": goals,
        "targets": dict(sorted(targets.items(), key=lambda kv: _sort_key(kv[0]))),
        "indicators": dict(sorted(indicators.items(), key=lambda kv: _sort_key(kv[0]))),
    }


def dump(catalogue: dict[str, Any]) -> str:
    """Serialise deterministically (the shipped file is compared byte for byte in tests)."""
    return json.dumps(catalogue, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m vlrkit.sdg.build SOURCE_DIR", file=sys.stderr)
        return 2
    DATA_FILE.parent.mkdir(parents=True, exist_ok=True)
    DATA_FILE.write_text(dump(build(Path(args[0]))), encoding="utf-8")
    print(f"wrote {DATA_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
