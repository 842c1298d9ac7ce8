"""The demo review as a whole: determinism, shape of the table, summary."""

from __future__ import annotations

import dataclasses
import json

import polars as pl
import pytest

from vlrkit import tidy
from vlrkit.demo import DemoSeedError, build_demo, summary
from vlrkit.demo.indicators import catalogue
from vlrkit.review import Review


def _key_columns(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select("indicator", "year", *tidy.DIMENSIONS)


def test_same_seed_gives_identical_review():
    a, b = build_demo(11), build_demo(11)
    for f in dataclasses.fields(Review):
        if f.name == "observations":
            assert a.observations.equals(b.observations)
        else:
            assert getattr(a, f.name) == getattr(b, f.name), f.name


def test_other_seed_changes_values_not_structure():
    a, b = build_demo(1), build_demo(2)
    assert _key_columns(a.observations).equals(_key_columns(b.observations))
    assert not a.observations["value"].equals(b.observations["value"])
    assert a.indicators == b.indicators and a.targets == b.targets


def test_default_seed_is_the_documented_one(demo):
    assert build_demo(2025).observations.equals(demo.observations)


def test_observations_follow_the_tidy_contract(demo):
    obs = demo.observations
    assert dict(obs.schema) == tidy.SCHEMA
    assert obs["entity"].unique().to_list() == [demo.entity.code]
    assert obs["value"].null_count() == 0
    assert (obs["period"] == obs["year"].cast(pl.String)).all()
    assert (obs["series"] == "").all()
    for col in ("import_id", "file", "row"):
        assert obs[col].null_count() == obs.height
    assert set(obs["obs_status"].unique()) <= set(tidy.OBS_STATUS)
    assert {"A", "E", "P"} <= set(obs["obs_status"].unique())
    for text in obs["labels"].unique():
        assert isinstance(json.loads(text), dict)


def test_rows_are_unique_and_belong_to_known_indicators(demo):
    obs = demo.observations
    assert obs.select("indicator", "year", *tidy.DIMENSIONS).is_duplicated().sum() == 0
    codes = {i.code for i in demo.indicators}
    assert set(obs["indicator"].unique()) == codes  # every indicator has data
    units = {i.code: i.unit for i in demo.indicators}
    mismatched = obs.filter(pl.col("unit") != pl.col("indicator").replace_strict(units))
    assert mismatched.height == 0


def test_rows_combine_dimensions_only_as_the_catalogue_declares(demo):
    """A row is a total, one group, or a cell of a declared cross-classification (two dims)."""
    set_dims = pl.sum_horizontal([pl.col(d).is_not_null().cast(pl.Int8) for d in tidy.DIMENSIONS])
    obs = demo.observations.with_columns(set_dims.alias("n"))
    assert obs["n"].max() == 2
    declared = {(s.code, frozenset(c.dims)) for s in catalogue() for c in s.cross}
    found = {
        (r["indicator"], frozenset(d for d in tidy.DIMENSIONS if r[d] is not None))
        for r in obs.filter(pl.col("n") == 2).iter_rows(named=True)
    }
    assert found == declared


def test_entity_and_edition(demo):
    assert demo.entity.names["zh-Hans"] and demo.entity.names["en"]
    assert demo.entity.country == "CHN" and demo.entity.level == "city"
    assert demo.entity.population and demo.entity.population > 1_000_000
    ed = demo.edition
    assert set(ed.languages) == {"zh-Hans", "en"}
    assert ed.period_start == 2015 and ed.period_end == 2024
    assert set(ed.priority_goals) <= set(range(1, 18)) and ed.priority_goals
    assert ed.next_review and ed.next_review > ed.year
    assert ed.title["zh-Hans"] and ed.title["en"]


def test_summary_matches_the_review(demo):
    s = summary(demo)
    assert json.loads(json.dumps(s, ensure_ascii=False))  # JSON-ready
    assert s["entity"] == demo.entity.code and s["names"]["zh-Hans"] == "澜江市"
    assert s["edition"] == demo.edition.code
    assert sorted(s["indicators_per_goal"]) == list(range(1, 18))
    assert sum(s["indicators_per_goal"].values()) == s["indicators"] == len(demo.indicators)
    assert s["goals_covered"] == 17
    assert s["observations"] == demo.observations.height
    assert 0 < s["headline_observations"] < s["observations"]
    n_dims = pl.sum_horizontal([pl.col(d).is_not_null().cast(pl.Int8) for d in tidy.DIMENSIONS])
    crossed = demo.observations.filter(n_dims >= 2)
    assert s["cross_classified_observations"] == crossed.height > 0
    assert s["cross_classified_indicators"] == crossed["indicator"].n_unique() == sum(
        1 for spec in catalogue() if spec.cross)
    assert s["disaggregated_indicators"] == sum(1 for i in demo.indicators if i.dimensions)
    assert s["targets"] == len(demo.targets) == s["local_targets"] + s["national_targets"]
    assert s["languages"] == ["zh-Hans", "en"]
    assert s["years"] == [2010, 2024]


def test_summary_of_an_empty_review_does_not_fail(demo):
    empty = Review(entity=demo.entity, edition=demo.edition)
    s = summary(empty)
    assert s["indicators"] == 0 and s["observations"] == 0 and s["years"] == []
    assert s["goals_covered"] == 0 and len(s["indicators_per_goal"]) == 17


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True, None])
def test_a_bad_seed_is_a_clear_bilingual_error(seed):
    with pytest.raises(DemoSeedError, match="非负整数.*non-negative integer"):
        build_demo(seed)  # type: ignore[arg-type]
