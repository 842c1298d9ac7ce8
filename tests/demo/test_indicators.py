"""The demo's indicator framework: coverage, metadata, thresholds, targets and SDG links."""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest

from vlrkit import sdg
from vlrkit.review import DIRECTIONS, GRADES

MIN_INDICATORS = 60
MIN_PER_GOAL = 3
MIN_LOCAL_TARGETS = 30


def test_every_goal_has_at_least_three_indicators(demo):
    per_goal = Counter(i.goal for i in demo.indicators)
    assert len(demo.indicators) >= MIN_INDICATORS
    assert sorted(per_goal) == list(range(1, 18))
    assert min(per_goal.values()) >= MIN_PER_GOAL


def test_indicator_metadata_is_complete_in_both_languages(demo):
    codes = [i.code for i in demo.indicators]
    assert len(codes) == len(set(codes))
    for ind in demo.indicators:
        assert ind.names["zh-Hans"] and ind.names["en"], ind.code
        assert ind.methodology["zh-Hans"] and ind.methodology["en"], ind.code
        assert ind.unit and ind.source and ind.custodian and ind.coverage, ind.code
        assert ind.direction in DIRECTIONS, ind.code
        assert ind.decimals is not None and ind.decimals >= 0


def test_thresholds_for_all_indicators_consistent_with_direction(demo):
    by_code = {t.indicator: t for t in demo.thresholds}
    assert set(by_code) == {i.code for i in demo.indicators}
    for ind in demo.indicators:
        t = by_code[ind.code]
        # oriented so that larger is better: lower bound < red < green <= optimum
        sign = 1 if ind.direction == "higher" else -1
        lb, red, green, opt = (sign * v for v in (t.lower_bound, t.red, t.green, t.optimum))
        assert lb < red < green <= opt, ind.code


def test_enough_local_targets_and_some_national_ones(demo):
    codes = {i.code for i in demo.indicators}
    local = {t.indicator for t in demo.targets if t.kind == "local"}
    national = {t.indicator for t in demo.targets if t.kind == "national"}
    assert len(local) >= MIN_LOCAL_TARGETS
    assert len(national) >= 5
    assert local | national <= codes
    for t in demo.targets:
        assert 2025 <= t.year <= 2035, t
        assert t.note["zh-Hans"] and t.note["en"]


def test_targets_lie_within_bounds_and_ask_for_progress(demo, headline):
    inds = {i.code: i for i in demo.indicators}
    bounds = {t.indicator: t for t in demo.thresholds}
    for t in demo.targets:
        b = bounds[t.indicator]
        assert min(b.lower_bound, b.optimum) <= t.value <= max(b.lower_bound, b.optimum), t
        values = headline.filter(pl.col("indicator") == t.indicator).sort("year")
        assert t.baseline_year in values["year"].to_list(), t  # the baseline has data
        if t.kind != "local":
            continue
        sign = 1 if inds[t.indicator].direction == "higher" else -1
        base = values.filter(pl.col("year") == t.baseline_year)["value"].item()
        latest = values["value"][-1]
        # a local target is better than where the city started or where it is now
        assert sign * t.value > sign * base or sign * t.value > sign * latest, t


def test_every_sdg_link_points_at_a_real_current_id(demo):
    for link in demo.links:
        target = sdg.target(link.target)  # KeyError for an unknown id
        assert target.code == link.target
        if link.sdg_indicator is not None:
            ind = sdg.indicator(link.sdg_indicator)
            assert not ind.is_withdrawn, link
            assert link.target in ind.targets, link


def test_links_are_graded_and_explained(demo):
    codes = {i.code for i in demo.indicators}
    linked = {x.indicator for x in demo.links}
    assert linked == codes  # every indicator is tied to the SDG framework
    assert {x.grade for x in demo.links} == set(GRADES)
    for link in demo.links:
        assert link.grade in GRADES
        assert link.reason["zh-Hans"] and link.reason["en"], link
    # target-only links exist where no global indicator fits
    assert any(x.sdg_indicator is None for x in demo.links)


def test_each_indicator_links_into_its_own_goal(demo):
    goals_linked: dict[str, set[int]] = {}
    for link in demo.links:
        goals_linked.setdefault(link.indicator, set()).add(int(link.target.split(".")[0]))
    for ind in demo.indicators:
        assert ind.goal in goals_linked[ind.code], ind.code


@pytest.mark.parametrize("withdrawn", ["1.a.3", "8.9.2", "11.c.1", "13.3.2", "17.6.2"])
def test_no_link_uses_a_withdrawn_id(demo, withdrawn):
    assert withdrawn not in {x.sdg_indicator for x in demo.links}
