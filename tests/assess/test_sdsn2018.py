"""Reproduce SDSN's published SDG Index 2018 (tests/data/sdsn-2018, CC BY 4.0)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from vlrkit.assess import sdsn, sdsn2018

DATA = Path(__file__).parents[1] / "data" / "sdsn-2018"


@pytest.fixture(scope="module")
def reproduction():
    wb = sdsn2018.load(DATA / "sdsna-2018GlobalIndexResults.xlsx", DATA / "thresholds.csv")
    res = sdsn.assess(wb.panel, wb.spec, not_applicable=wb.not_applicable, regions=wb.regions)
    return wb, res, sdsn2018.compare(res, wb)


def test_every_published_normalised_score_is_reproduced(reproduction):
    _, _, rep = reproduction
    assert rep.normalised_cells > 12_000
    assert rep.normalised_match == 1.0


def test_goal_scores_index_and_ranks_are_reproduced(reproduction):
    _, _, rep = reproduction
    assert rep.goal_score_match == 1.0 and rep.goal_score_cells == 2582
    assert rep.goal_score_excluded == 70  # OECD goals 8 and 12: input recovered from the score
    assert rep.index_match == 1.0 and rep.index_cells == 156
    assert rep.index_match_independent == 1.0
    assert rep.rank_match == 1.0
    assert rep.ranked_set_match  # the 80 % rule with ocean indicators n/a for landlocked countries


def test_recovered_bounds_are_the_round_published_ones(reproduction):
    wb, _, _ = reproduction
    b = {r["name"]: r for r in wb.spec.iter_rows(named=True)}
    births = b["Births attended by skilled health personnel (%)"]
    assert births["best"] == pytest.approx(100.0) and births["worst"] == pytest.approx(23.1)
    assert b["Women in national parliaments (%)"]["best"] == pytest.approx(50.0)
    assert b["Prevalence of undernourishment (%)"]["direction"] == "lower"


def test_regional_imputation_fills_goals_without_data(reproduction):
    wb, res, _ = reproduction
    afg14 = res.goals.filter((pl.col("entity") == "AFG") & (pl.col("goal") == 14)).row(0, named=True)
    assert afg14["imputed"] and afg14["colour"] == "grey"
    published = wb.goals.filter((pl.col("entity") == "AFG") & (pl.col("goal") == 14))["score"].item()
    assert afg14["score"] == pytest.approx(published, abs=1e-9)


def test_goal_colours_with_fitted_thresholds(reproduction):
    """Thresholds are not in the workbook; they are fitted to the colours (in-sample)."""
    _, _, rep = reproduction
    assert rep.goal_colour_cells == 193 * 17
    assert rep.goal_colour_match >= 0.99  # in-sample: the thresholds were fitted to these colours
    assert rep.colour_mismatches.height == round((1 - rep.goal_colour_match) * rep.goal_colour_cells)


def test_without_fitted_thresholds_peer_quartiles_are_used(reproduction):
    _, _, fitted = reproduction
    bare = sdsn2018.load(DATA / "sdsna-2018GlobalIndexResults.xlsx")
    res = sdsn.assess(bare.panel, bare.spec, not_applicable=bare.not_applicable, regions=bare.regions)
    rep = sdsn2018.compare(res, bare)
    sources = res.bounds.filter(pl.col("index"))
    assert set(sources["green_source"]) == {"peers"} and set(sources["best_source"]) == {"metadata"}
    assert rep.normalised_match == 1.0  # scores need bounds only
    assert 0.5 < rep.goal_colour_match < fitted.goal_colour_match


def test_every_colour_mismatch_is_explained(reproduction):
    from vlrkit.assess import colourcheck

    wb, res, rep = reproduction
    extra = {c: sdsn2018.OECD_ONLY_REASON for c in wb.spec.filter(~pl.col("index"))["indicator"]}
    found = colourcheck.explain_mismatches(res.indicators, res.goals, wb.goals, dashboard_only=extra)
    assert len(found) == rep.colour_mismatches.height
    scores = res.indicators.select("entity", "indicator", "goal", "score")
    order = {"red": 0, "orange": 1, "yellow": 2, "green": 3}
    pub = {(r["entity"], r["goal"]): r["colour"] for r in wb.goals.iter_rows(named=True)}
    for m in found:
        assert m.kind in ("coverage", "impossible", "conflict", "dashboard_only", "thresholds") and m.reason
        if m.kind != "coverage":
            assert m.worst and m.cut and m.average is not None
        for w in m.witnesses:  # a witness really proves the conflict: compare the two countries' scores
            mine = dict(scores.filter((pl.col("entity") == m.entity) & (pl.col("goal") == m.goal))
                        .select("indicator", "score").iter_rows())
            theirs = dict(scores.filter((pl.col("entity") == w) & (pl.col("goal") == m.goal))
                          .select("indicator", "score").iter_rows())
            better, worse = (mine, theirs) if order[m.published] < order[pub[(w, m.goal)]] else (theirs, mine)
            assert set(better) <= set(worse) and all(better[k] >= worse[k] for k in better)
    aze = next(m for m in found if (m.entity, m.goal) == ("AZE", 1))
    assert aze.kind == "conflict" and aze.published == "yellow"  # poverty ≈ 0, yet not green
    assert sum(m.kind == "conflict" for m in found) >= 10
