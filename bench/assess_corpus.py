"""An honest assessment of real data (issue 15): each real repository imported, the shipped
catalogue applied, every series assessed.  Per repository it prints::

    repo=… indicators=… series=… with_direction=… direction_from_catalogue=… direction_unknown=…
    goals_assessed=… goals_grey=… mixed_series_figures=0 claims_without_direction=0 seconds=…

- ``with_direction``: headline series with a direction that may be claimed (user, publisher or
  the catalogue through an identical/adapted link); ``direction_from_catalogue``: of them, from
  the catalogue; ``direction_unknown``: headline series with data whose direction is to confirm;
- ``goals_assessed`` / ``goals_grey``: goals with a status colour / without (for want of data or
  of a direction, and each says why);
- ``mixed_series_figures``: figures (baseline, latest) that do not equal the value of their own
  series, unit and year in the observations — checked here, independently of the engine;
- ``claims_without_direction``: series with a score, a colour, a status or a best/worst-off group
  while their direction is to confirm.
Targets: the last two are 0.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from opensdg_corpus import REPOS  # noqa: E402

CLAIMS = ("achieved", "on_track", "target_met_or_almost", "significant_progress", "substantial_progress",
          "moderate_progress", "fair_progress", "acceleration_needed", "limited_progress", "marginal_progress",
          "insufficient_progress", "stagnation", "moderate_movement_away", "deterioration", "moving_away",
          "significant_movement_away", "stagnation_or_regression")


def mixed(a, review) -> int:  # noqa: ANN001 - an assessment and its review
    """Figures outside the range of their own series' values in their year (a year's sub-annual
    values are averaged: the mean lies within them; a value of another series or unit does not)."""
    obs = review.observations.with_columns(pl.col("unit").fill_null(""))
    bad = 0
    for s in a.all_series():
        for year, value in ((s.baseline_year, s.baseline_value), (s.latest_year, s.latest_value)):
            if year is None:
                continue
            rows = obs.filter((pl.col("indicator") == s.code) & (pl.col("series") == s.series)
                              & (pl.col("unit") == s.unit) & (pl.col("year") == year))
            values = [v for v in rows["value"].to_list() if v is not None]
            if not values or not min(values) - 1e-9 <= value <= max(values) + 1e-9:
                bad += 1
    return bad


def claims(a) -> int:  # noqa: ANN001
    out = 0
    for s in a.all_series():
        if not s.claims_allowed and (s.score is not None or s.colour != "grey" or s.status in CLAIMS):
            out += 1
    allowed = {i.code for i in a.indicators if i.claims_allowed}
    if a.lnob.gaps.height:
        out += a.lnob.gaps.filter(~pl.col("indicator").is_in(list(allowed))).height
    return out


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)
    from vlrkit import ingest
    from vlrkit.assess import assess_review
    from vlrkit.store import setup

    setup(Path(tempfile.mkdtemp(prefix="vlrkit-assess-")) / "corpus.sqlite3")
    from vlrkit.store import models as m
    from vlrkit.store.imports import store_ingest
    from vlrkit.store.queries import load_review

    print(f"load_average={os.getloadavg()[0]:.2f}")
    status = 0
    for name, repo in REPOS.items():
        entity = m.Entity.objects.create(code=name, names={"en": name})
        m.Edition.objects.create(entity=entity, code=name, year=2025, period_start=2015, period_end=2025)
        store_ingest(ingest.read(repo, entity=name), edition=name, partial=True, path=str(repo))
        review = load_review(name, name)
        t0 = time.perf_counter()
        a = assess_review(review, "sdsn")
        seconds = time.perf_counter() - t0
        heads = [i for i in a.indicators if i.n_points]
        c = a.counts()
        row = {
            "repo": name, "indicators": len(a.indicators), "series": c.series,
            "with_direction": sum(1 for i in heads if i.claims_allowed),
            "direction_from_catalogue": sum(1 for i in heads if i.claims_allowed and i.direction_origin == "catalogue"),
            "direction_unknown": c.to_confirm, "goals_assessed": c.goals_assessed, "goals_grey": c.goals_grey,
            "mixed_series_figures": mixed(a, review), "claims_without_direction": claims(a),
            "seconds": round(seconds, 2),
        }
        print(" ".join(f"{k}={v}" for k, v in row.items()))
        if row["mixed_series_figures"] or row["claims_without_direction"]:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
