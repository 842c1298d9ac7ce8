"""Series are never mixed: an indicator with several series and units is assessed series by
series, every figure names its series and unit and equals the figure of that series alone."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit import tidy
from vlrkit.assess import assess_review
from vlrkit.review import model as rm

SERIES = [("Rough sleepers", "Number"), ("Homeless households", "Number"), ("Homeless households", "Rate per 1,000")]


def _review(rows: list[dict]) -> rm.Review:
    frame = tidy.conform(pl.DataFrame(rows, schema_overrides={"year": pl.Int32, "value": pl.Float64}))
    return rm.Review(
        entity=rm.Entity("c", {"en": "City"}),
        edition=rm.Edition("2025", 2025, 2015, 2024),
        indicators=(rm.LocalIndicator("H-1", {"en": "Homelessness"}, 11, "", "lower"),),
        observations=frame,
    )


@settings(max_examples=30, deadline=None)
@given(
    chosen=st.lists(st.sampled_from(range(len(SERIES))), min_size=2, max_size=3, unique=True),
    values=st.lists(st.floats(1, 5000, allow_nan=False), min_size=30, max_size=30),
    years=st.lists(st.integers(2012, 2024), min_size=2, max_size=8, unique=True),
    with_groups=st.booleans(),
)
def test_each_series_is_assessed_alone(chosen, values, years, with_groups):
    rows = []
    k = 0
    for s in chosen:
        name, unit = SERIES[s]
        for y in sorted(years):
            rows.append({"entity": "c", "indicator": "H-1", "period": str(y), "year": y, "value": values[k % 30],
                         "unit": unit, "series": name, "labels": "{}"})
            if with_groups:  # a breakdown the publisher gives: never a series of its own
                rows.append({"entity": "c", "indicator": "H-1", "period": str(y), "year": y,
                             "value": values[(k + 7) % 30] / 2, "unit": unit, "series": name, "SEX": "F",
                             "labels": "{}"})
            k += 1
    review = _review(rows)
    a = assess_review(review, "unsd")
    everything = a.all_series()
    assert {(s.series, s.unit) for s in everything} == {SERIES[s] for s in chosen}  # each named, none merged
    assert sum(1 for s in everything if s.headline) == 1
    for s in everything:
        alone = review.observations.filter((pl.col("series") == s.series) & (pl.col("unit") == s.unit))
        b = assess_review(replace(review, observations=alone), "unsd").indicators[0]
        assert (b.series, b.unit) == (s.series, s.unit)
        assert (s.baseline_year, s.baseline_value, s.latest_year, s.latest_value) == (
            b.baseline_year, b.baseline_value, b.latest_year, b.latest_value)
        assert (s.status, s.status_kind, s.trend) == (b.status, b.status_kind, b.trend)
        mine = alone.filter(tidy.is_total())
        if s.latest_year is not None:
            assert s.latest_value in mine.filter(pl.col("year") == s.latest_year)["value"].to_list()


def test_a_direction_to_confirm_makes_no_claim():
    rows = [{"entity": "c", "indicator": "H-1", "period": str(y), "year": y, "value": v, "unit": "Number",
             "series": "", "labels": "{}"} for y, v in ((2015, 100.0), (2024, 150.0))]
    review = _review(rows)
    review = replace(review, indicators=(replace(review.indicators[0], direction="unknown"),))
    a = assess_review(review)
    i = a.indicators[0]
    assert i.status == "direction_to_confirm" and not i.claims_allowed
    assert i.score is None and i.colour == "grey" and not i.progress
    assert a.goal(11).status_colour == "grey" and "direction" in a.goal(11).grey_reason["en"]
    assert i.latest_value == 150.0  # the data is still shown
