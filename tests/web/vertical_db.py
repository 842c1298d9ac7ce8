"""Build the browser test's database: Los Angeles (tests/data/la) as a city and the UK's national
Open SDG data (tests/data/opensdg/uk-ons) as an entity of level national — the UK's rows cut to
the headline totals of the national indicators paired with Los Angeles (saving all 170,000 rows
takes minutes), and an editor of Los Angeles.  Run as ``python -m tests.web.vertical_db DB``."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
USER, PASSWORD = "la-editor", "correct-horse-battery-staple-9"


def build(db: str) -> None:
    import polars as pl

    from vlrkit import tidy
    from vlrkit.compare import sources, vertical
    from vlrkit.store import setup

    setup(db)
    from vlrkit.store.queries import save_review
    from vlrkit.web.accounts import add_user

    la = sources.load(DATA / "la", code="los-angeles").review
    la = replace(la, entity=replace(la.entity, names={"en": "Los Angeles"}, country="USA"))
    uk = sources.load(DATA / "opensdg" / "uk-ons", level="national", code="gbr").review
    uk = replace(uk, entity=replace(uk.entity, names={"en": "United Kingdom"}, country="GBR"))
    paired = {p.national.indicator for p in vertical.compare(la, uk).pairs}
    obs = tidy.conform(uk.observations).filter(pl.col("indicator").is_in(sorted(paired)) & tidy.is_total())
    keep = set(obs["indicator"].unique())
    uk = replace(uk, observations=obs, indicators=tuple(i for i in uk.indicators if i.code in keep),
                 links=tuple(lk for lk in uk.links if lk.indicator in keep),
                 targets=tuple(t for t in uk.targets if t.indicator in keep))
    save_review(la)
    save_review(uk)
    add_user(USER, PASSWORD, roles=["editor"], entity="los-angeles")


if __name__ == "__main__":
    build(sys.argv[1])
