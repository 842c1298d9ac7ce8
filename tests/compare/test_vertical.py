"""Vertical coherence on the real corpus: Los Angeles beside the UK's national Open SDG data (the
corpus holds no UK city and no US national repository, so this pair is mechanical — and the
country warning says so), and the UK beside shifted copies of itself as a city, where the gap is
known by construction."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from vlrkit import tidy
from vlrkit.compare import sources, vertical
from vlrkit.sdg.units import is_extensive, same_unit

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def uk():
    r = sources.load(DATA / "opensdg" / "uk-ons", level="national", code="gbr").review
    return replace(r, entity=replace(r.entity, country="GBR", names={"en": "United Kingdom"}))


@pytest.fixture(scope="module")
def la():
    r = sources.load(DATA / "la", code="los-angeles").review
    return replace(r, entity=replace(r.entity, country="USA"))


@pytest.fixture(scope="module")
def la_uk(la, uk):
    return vertical.compare(la, uk)


def test_every_local_indicator_is_paired_or_left_out_with_a_reason(la, la_uk):
    paired = [p.local.indicator for p in la_uk.pairs]
    left = [c for c, _, _ in la_uk.left_out]
    assert len(paired) == len(set(paired)) and not set(paired) & set(left)
    with_data = {o for o in tidy.conform(la.observations)["indicator"].unique()}
    assert set(paired) | set(left) == with_data & {i.code for i in la.indicators}
    assert len(la_uk.pairs) >= 15
    for _code, reason, text in la_uk.left_out:
        assert reason in vertical.REASONS and text["en"] and text["zh-Hans"]
    assert {"no-link", "unit-mismatch", "national-not-comparable"} <= {r for _, r, _ in la_uk.left_out}


def test_pairs_are_one_unit_never_totals_and_the_gap_is_the_difference(la, uk, la_uk):
    obs = {e: tidy.conform(r.observations).with_columns(pl.col("unit").fill_null(""), pl.col("series").fill_null(""))
           for e, r in (("la", la), ("uk", uk))}
    checked = 0
    for p in la_uk.pairs:
        assert same_unit(p.local.unit, p.national.unit) and not is_extensive(p.local.unit)
        if not p.common_years:  # latest values side by side, no gap claimed
            assert p.gap is None and p.gap_year is None and p.narrowing is None
            continue
        assert p.gap_year == p.common_years[-1] and p.gap is not None
        # the gap recomputed from the raw total rows of both series, where both publish a total
        vals = []
        for side, frame in ((p.local, obs["la"]), (p.national, obs["uk"])):
            rows = frame.filter((pl.col("indicator") == side.indicator) & (pl.col("series") == side.series)
                                & (pl.col("unit") == side.unit) & (pl.col("year") == p.gap_year)
                                & pl.all_horizontal(pl.col(d).is_null() for d in tidy.DIMENSIONS)
                                & (pl.col("breakdown").fill_null("") == "") & pl.col("value").is_not_null())
            vals.append(rows["value"].mean() if rows.height else None)
        if None not in vals:
            assert p.gap == pytest.approx(vals[0] - vals[1])
            checked += 1
        if p.narrowing is not None:
            assert p.narrowing == (abs(p.gap) < abs(p.first_gap))
        if not p.claims_allowed:
            assert p.ahead is None  # no "ahead" without a confirmed direction
    assert checked >= 10


def test_a_city_and_a_country_of_different_countries_are_flagged(la_uk):
    assert any("GBR" in w["en"] and "USA" in w["en"] for w in la_uk.warnings)


def _as_city(review, shift):
    obs = tidy.conform(review.observations)
    obs = obs.with_columns((pl.col("value") + shift(pl.col("year"))).alias("value"))
    return replace(review, entity=replace(review.entity, code="copy", level="city"), observations=obs)


def test_a_copy_shifted_by_a_constant_has_that_gap_and_a_gap_that_does_not_move(uk):
    v = vertical.compare(_as_city(uk, lambda y: pl.lit(2.5)), uk)
    assert len(v.pairs) >= 40 and not v.warnings
    for p in v.pairs:
        assert p.gap == pytest.approx(2.5) and p.local.indicator == p.national.indicator
        assert p.narrowing is None
        if p.ahead is not None:
            assert p.ahead == ("local" if p.direction == "higher" else "national")
    assert {r for _, r, _ in v.left_out} <= {"total-unit", "no-link", "not-comparable-link"}


def test_a_copy_converging_on_the_country_is_narrowing(uk):
    v = vertical.compare(_as_city(uk, lambda y: (2040 - y).cast(pl.Float64)), uk)
    several = [p for p in v.pairs if len(p.common_years) > 1]
    assert len(several) >= 30
    assert all(p.narrowing for p in several)
    assert v.counts()["narrowing"] == len(several) and v.counts()["widening"] == 0


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_the_ge5a_block_is_in_the_report(la, la_uk, lang):
    from vlrkit.compare.blocks import ge5a
    from vlrkit.report.build import build_report
    from vlrkit.report.model import Table

    blocks = ge5a(la_uk, lang, local_name="Los Angeles", national_name="United Kingdom")
    report = build_report(la, lang, extra={"GE-5a": blocks})
    part = next(s for c in report.sections for s in c.subsections if s.id == "GE-5a")
    table = next(b for b in part.blocks if isinstance(b, Table) and b.id == "vertical-coherence")
    assert len(table.rows) == len(la_uk.pairs) and len(table.header) == len(table.rows[0])
    codes = [r[0] for r in table.rows]
    goals = [int(c.split(".")[0]) for c in codes]
    assert goals == sorted(goals)  # ordered by goal (11 after 2, not after 1)
    assert {p.sdg_indicator for p in la_uk.pairs} == set(codes)
    text = " ".join(b.text for b in part.blocks if hasattr(b, "text"))
    assert str(len(la_uk.pairs)) in text and ("United Kingdom" in text)
