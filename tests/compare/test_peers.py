"""Peer comparison (vlrkit.compare.peers): the demo city beside synthetic peers built from it —
shifted, one with another unit on one indicator, one with an indicator missing and one in another
scale of the same unit — where every outcome is known by construction; a city beside its own
copy (hypothesis); and two real Open SDG repositories (Rwanda and the UK) side by side."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import make_small_review
from tests.strategies import reviews

from vlrkit import tidy
from vlrkit.compare import peers, peers_out, sources
from vlrkit.demo import build_demo
from vlrkit.sdg.units import conversion, normalise_unit

DATA = Path(__file__).resolve().parents[1] / "data"


def _peer(review, code, *, factor=1.0, unit_of=None, drop=None):
    """A copy of ``review`` named ``code``: every value × ``factor``; ``unit_of`` = {indicator:
    (new unit text, value multiplier)}; ``drop`` an indicator it does not have."""
    obs = tidy.conform(review.observations).with_columns(pl.col("value") * factor, pl.lit(code).alias("entity"))
    inds = list(review.indicators)
    for ind, (unit, mult) in (unit_of or {}).items():
        hit = pl.col("indicator") == ind
        obs = obs.with_columns(pl.when(hit).then(pl.lit(unit)).otherwise(pl.col("unit")).alias("unit"),
                               pl.when(hit).then(pl.col("value") * mult).otherwise(pl.col("value")).alias("value"))
        inds = [replace(i, unit=unit) if i.code == ind else i for i in inds]
    links = review.links
    if drop:
        obs = obs.filter(pl.col("indicator") != drop)
        inds = [i for i in inds if i.code != drop]
        links = tuple(lk for lk in links if lk.indicator != drop)
    return replace(review, entity=replace(review.entity, code=code, names={"en": code}), indicators=tuple(inds),
                   links=links, observations=obs)


@pytest.fixture(scope="module")
def demo():
    return build_demo()


@pytest.fixture(scope="module")
def base(demo):
    """The demo beside its own copy: the rows any peer built from it could have."""
    return peers.compare([demo, _peer(demo, "COPY")])


@pytest.fixture(scope="module")
def chosen(base):
    """Indicators the synthetic peers change: one per 100,000 (its unit changed in B), one per
    10,000 (put per 100,000 in C: the same unit on another scale) and one % (dropped in C)."""
    def first(unit):
        return next(r for r in base.compared if r.unit == unit and r.ranked)
    return {"mismatch": first("per_100000"), "scale": first("per_10000"), "missing": first("percent")}


@pytest.fixture(scope="module")
def trio(demo, chosen):
    ind = {k: r.members[0].indicator for k, r in chosen.items()}
    b = _peer(demo, "PEER-B", factor=1.1, unit_of={ind["mismatch"]: ("tonnes", 1.0)})
    c = _peer(demo, "PEER-C", factor=0.8, unit_of={ind["scale"]: ("per 100 000 population", 10.0)},
              drop=ind["missing"])
    return peers.compare([demo, b, c])


def test_every_common_indicator_is_compared_and_the_changed_ones_say_why(base, chosen, trio):
    def served(kind):  # a local indicator may serve several global ones (1.5.1, 11.5.1, 13.1.1)
        ind = chosen[kind].members[0].indicator
        return {r.sdg_indicator for r in base.rows if r.members[0].indicator == ind}

    mismatch, missing = served("mismatch"), served("missing")
    assert mismatch and missing
    assert {r.sdg_indicator for r in trio.rows} == {r.sdg_indicator for r in base.rows} - mismatch - missing
    why = {lo.subject: lo for lo in trio.left_out}
    for g in mismatch:
        assert why[g].reason == "unit-mismatch" and "PEER-B: tonnes" in why[g].text["en"]
        assert "单位不同" in why[g].text["zh-Hans"]
    for g in missing:
        assert why[g].reason == "missing-in-peer" and why[g].text["en"].startswith("missing in PEER-C")
        assert {e for e, _ in why[g].indicators} == {"LANJIANG", "PEER-B"}


def test_values_ranks_and_gaps_follow_the_shifts(demo, chosen, trio):
    scale = chosen["scale"].sdg_indicator
    for r in trio.compared:
        own, b, c = (r.member(e) for e in ("LANJIANG", "PEER-B", "PEER-C"))
        assert r.year is not None and own.value is not None
        assert b.value == pytest.approx(own.value * 1.1) and c.value == pytest.approx(own.value * 0.8)
        if r.sdg_indicator == scale:  # written per 100,000 in C, converted back by the exact factor
            assert c.conversion is not None and c.conversion.factor == pytest.approx(0.1)
            assert c.unit == "per 100 000 population" and r.unit == "per_10000"
        else:
            assert c.conversion is None
        assert r.median == pytest.approx(own.value) and own.gap == pytest.approx(0.0, abs=1e-9)
        if r.ranked and own.value > 0:
            best = "PEER-B" if r.direction == "higher" else "PEER-C"
            assert next(m.entity for m in r.members if m.rank == 1) == best
            assert sorted(m.rank for m in r.members) == [1, 2, 3]
        if not r.ranked:
            assert all(m.rank is None for m in r.members) and r.note["en"]


def test_every_local_indicator_with_values_is_in_a_row_or_left_out_with_a_reason(demo, trio):
    placed = {(m.entity, m.indicator) for r in trio.rows for m in r.members}
    listed = {pair for lo in trio.left_out for pair in lo.indicators}
    for lo in trio.left_out:
        assert lo.reason in peers.REASONS and lo.text["en"] and lo.text["zh-Hans"]
    with_values = {i for i in tidy.conform(demo.observations).filter(pl.col("value").is_not_null())["indicator"]}
    assert {i for e, i in placed | listed if e == "LANJIANG"} == with_values & {i.code for i in demo.indicators}
    assert not placed & {p for lo in trio.left_out if lo.reason != "not-chosen" for p in lo.indicators}
    # proxies are shown apart and never ranked; contextual links never compared
    assert trio.proxies and all(not r.ranked and r.kind == "proxy" for r in trio.proxies)
    contextual = {lk.indicator for lk in demo.links if lk.grade == "contextual"}
    assert all(m.grade != "contextual" for r in trio.rows for m in r.members)
    assert contextual & {i for lo in trio.left_out if lo.reason == "contextual" for _e, i in lo.indicators}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reviews())
def test_a_review_beside_its_own_copy_has_everything_common_and_no_gap(review):
    copy = replace(review, entity=replace(review.entity, code=review.entity.code + "-copy"))
    result = peers.compare([review, copy])
    for r in result.rows:
        assert [m.values for m in r.members][0] == [m.values for m in r.members][1]
        assert all(m.gap == 0.0 for m in r.members) and r.spread in (0.0, None)
        if r.ranked:
            assert [m.rank for m in r.members] == [1, 1]
    # nothing is missing in the copy, and no unit differs from itself: what is left out is left out
    # of both, for a reason of the review itself
    assert not {lo.reason for lo in result.left_out} & {"missing-in-peer", "unit-mismatch", "series-mismatch"}
    a, b = review.entity.code, copy.entity.code
    for lo in result.left_out:
        assert sorted(i for e, i in lo.indicators if e == a) == sorted(i for e, i in lo.indicators if e == b)


@settings(max_examples=20, deadline=None)
@given(st.floats(0.5, 1e6))
def test_a_constant_shift_is_the_gap_to_the_median(shift):
    r1 = make_small_review()
    r2 = replace(r1, entity=replace(r1.entity, code="other"),
                 observations=r1.observations.with_columns(pl.col("value") + shift))
    result = peers.compare([r1, r2])
    assert result.rows
    for row in result.rows:
        lo, hi = row.member(r1.entity.code), row.member("other")
        assert hi.gap == pytest.approx(shift / 2) and lo.gap == pytest.approx(-shift / 2)
        assert row.spread == pytest.approx(shift)


def test_the_peer_dashboard_derives_its_bounds_from_the_peers_and_says_so(demo):
    five = [demo, *(_peer(demo, f"P{i}", factor=1 + i / 10) for i in range(1, 5))]
    result = peers.compare(five, peer_bounds=True)
    d = result.dashboard
    assert d is not None and "derived from the latest values of the 5 reviews" in d.note["en"]
    assert "不是 SDSN 公布的界值" in d.note["zh-Hans"]
    ranked = {r.sdg_indicator for r in result.rows if r.ranked}
    assert {b[0] for b in d.bounds} == ranked and all(b[5] == 5 for b in d.bounds)
    assert {c[5] for c in d.cells} - {"grey"}  # coloured, not all grey
    for sdg, _e, _y, value, score, _c in d.cells:
        b = next(x for x in d.bounds if x[0] == sdg)
        if score is not None and b[1] != b[2]:
            assert 0.0 <= score <= 100.0
            assert score == pytest.approx(max(0.0, min(100.0, 100 * (value - b[2]) / (b[1] - b[2]))))
    few = peers.compare(five[:3], peer_bounds=True).dashboard
    assert few is not None and all(c[5] == "grey" for c in few.cells)  # fewer than 5 peers: no bounds
    assert peers.compare(five[:2]).dashboard is None  # only when asked


def test_two_reviews_with_one_entity_code_are_refused(demo):
    with pytest.raises(ValueError, match="same entity code"):
        peers.compare([demo, demo])
    with pytest.raises(ValueError, match="at least two"):
        peers.compare([demo])


@pytest.fixture(scope="module")
def real():
    rw = sources.load(DATA / "opensdg" / "rwanda").review
    uk = sources.load(DATA / "opensdg" / "uk-ons").review
    return rw, uk, peers.compare([rw, uk])


def test_two_real_open_sdg_repositories_side_by_side(real):
    rw, uk, result = real
    assert len(result.compared) >= 40 and result.proxies
    raw = {r.entity.code: tidy.conform(r.observations).filter(
        tidy.is_total() & pl.col("value").is_not_null()) for r in (rw, uk)}
    checked = 0
    for r in result.rows:
        for m in r.members:
            # one unit: the same normalised unit, or the shipped conversion of its published unit
            if m.conversion is None:
                assert normalise_unit(m.unit) == r.unit
            else:
                c = conversion(m.unit, r.unit)
                assert c is not None and m.conversion.factor == pytest.approx(c.factor)
            if m.value is not None and m.conversion is None:
                rows = raw[m.entity].filter((pl.col("indicator") == m.indicator) & (pl.col("year") == r.year)
                                            & (pl.col("series").fill_null("") == m.series)
                                            & (pl.col("unit").fill_null("") == m.unit))
                if rows.height:
                    assert m.value == pytest.approx(rows["value"].mean())
                    checked += 1
        if r.ranked:
            vals = {m.entity: m.value for m in r.members}
            best = (max if r.direction == "higher" else min)(vals, key=vals.get)
            assert r.member(best).rank == 1
    assert checked >= 30
    reasons = {lo.reason for lo in result.left_out}
    assert {"unit-mismatch", "missing-in-peer", "no-data", "total-no-population"} <= reasons
    # the UK publishes counts where Rwanda publishes rates per 100,000: without the UK's population
    # they cannot be put per population, and the reason names the UK
    nopop = [lo for lo in result.left_out if lo.reason == "total-no-population"]
    assert all("population of uk-ons is not known" in lo.text["en"] for lo in nopop)
    # a rate on another population base is converted, never left out
    assert any(m.conversion for r in result.rows for m in r.members)


def test_the_files_written(tmp_path, real):
    _rw, _uk, result = real
    small = replace(result, rows=result.rows[:3])
    peers_out.write(small, tmp_path, "zh-Hans")
    import csv
    import json

    rows = list(csv.DictReader((tmp_path / "peers.csv").open(encoding="utf-8")))
    assert len(rows) == sum(len(r.members) for r in small.rows)
    left = list(csv.DictReader((tmp_path / "left_out.csv").open(encoding="utf-8")))
    assert len(left) == len(result.left_out) and all(x["reason"] for x in left)
    doc = json.loads((tmp_path / "peers.json").read_text(encoding="utf-8"))
    assert doc["counts"]["compared"] == len(small.compared)
    svgs = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert svgs == sorted(f"sdg-{r.sdg_indicator}.svg" for r in small.rows)
    assert "<svg" in (tmp_path / "charts" / svgs[0]).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_the_report_block_shows_our_value_the_median_and_every_left_out_reason(demo, chosen, trio, lang):
    from vlrkit.compare import blocks

    out = blocks.peers(trio, lang, own=demo.entity.code)
    table = next(b for b in out if getattr(b, "id", "") == "peer-comparison")
    by_sdg = {row[0]: row for row in table.rows}
    assert len(table.rows) == len(trio.compared)
    for r in trio.compared:
        mine = next(m for m in r.members if m.entity == demo.entity.code)
        row = by_sdg[r.sdg_indicator]
        assert row[2] == str(r.year) and row[3] == blocks._num(mine.value) and row[4] == blocks._num(r.median)
        assert (row[6] == "—") == (not r.ranked)
    # the scale conversion is said on C's side, not ours; the mismatch and the missing indicator
    # are left out, each with its reason, in the block's language
    bullets = next(b for b in out if getattr(b, "kind", "") == "bullets").items
    assert len(bullets) == len(trio.left_out)
    key = "zh-Hans" if lang == "zh-Hans" else "en"
    for lo in trio.left_out:
        assert f"{lo.subject}: {lo.text[key]}" in bullets
    assert chosen["mismatch"].sdg_indicator not in by_sdg and chosen["missing"].sdg_indicator not in by_sdg
