"""Fill the SDSN 2018 columns of ``knowledge.csv`` from SDSN's published 2018 workbook.

    python -m vlrkit.sdg.knowledge_build tests/data/sdsn-2018/sdsna-2018GlobalIndexResults.xlsx

For every row that names an SDSN 2018 indicator (``sdsn2018_code``, ``i01``…``i88`` or an
OECD-only ``o01``…``o23``), writes its name as the workbook spells it and its best (score 100)
and worst (score 0) values as :func:`vlrkit.assess.sdsn2018.load` recovers them (each normalised
score is linear in the raw value, so the line through the unclipped points gives both bounds).
The OECD-only indicators have no normalised scores, so no bounds: their columns stay empty.
Everything else in the file — the mapping, its closeness, the notes — is edited by hand.

This is a build step: it imports the assessment's reader, which the run-time knowledge module
never does.  A test checks that the shipped file equals a fresh build.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from vlrkit.sdg.knowledge import DATA_FILE, read, write

#: Bounds closer to zero than this are zero (the line fit leaves ~1e-14 residues).
ZERO = 1e-9
#: Significant digits kept for a recovered bound.
DIGITS = 10


def fmt(value: float | None) -> str:
    """A recovered bound as text: 10 significant digits, fit residues snapped to 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if abs(value) < ZERO:
        return "0"
    return f"{value:.{DIGITS}g}"


def recovered(workbook: Path) -> dict[str, tuple[str, float | None, float | None]]:
    """SDSN 2018 code → (name, best, worst) as the workbook determines them."""
    from vlrkit.assess import sdsn2018  # build time only

    spec = sdsn2018.load(workbook).spec
    return {
        row["indicator"]: (row["name"], row["best"], row["worst"])
        for row in spec.select("indicator", "name", "best", "worst").iter_rows(named=True)
    }


def build(workbook: Path, path: Path = DATA_FILE) -> list[dict[str, str]]:
    """The rows of ``path`` with their SDSN 2018 name and bounds filled from ``workbook``."""
    known = recovered(workbook)
    out = []
    for row in read(path):
        row = dict(row)
        code = row["sdsn2018_code"]
        if code:
            if code not in known:
                raise ValueError(f"{row['indicator']}: {code} is not an indicator of the SDSN 2018 workbook")
            name, best, worst = known[code]
            row["sdsn2018_name"], row["sdsn2018_best"], row["sdsn2018_worst"] = name, fmt(best), fmt(worst)
        else:
            row["sdsn2018_name"] = row["sdsn2018_best"] = row["sdsn2018_worst"] = ""
        out.append(row)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    write(build(Path(args[0])))
    print(f"wrote {DATA_FILE}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
