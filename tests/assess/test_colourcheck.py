"""Explaining goal colours that differ from published ones (vlrkit.assess.colourcheck)."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit.assess import colourcheck, sdsn

SCHEMA = {"indicator": pl.String, "goal": pl.Int32, "direction": pl.String, "best": pl.Float64,
          "worst": pl.Float64, "green": pl.Float64, "red": pl.Float64}
ORDER = {"red": 0, "orange": 1, "yellow": 2, "green": 3}


def run(values: dict[str, tuple[float, ...]], thresholds: list[tuple[float, float]]):  # type: ignore[no-untyped-def]
    codes = [f"i{k}" for k in range(len(thresholds))]
    spec = pl.DataFrame([(c, 1, "higher", 100.0, 0.0, g, r) for c, (r, g) in zip(codes, thresholds, strict=True)],
                        schema=SCHEMA, orient="row")
    rows = [(e, c, 2020, v) for e, vs in values.items() for c, v in zip(codes, vs, strict=True) if v == v]
    data = pl.DataFrame(rows, schema={"entity": pl.String, "indicator": pl.String, "year": pl.Int32,
                                      "value": pl.Float64}, orient="row")
    return sdsn.assess(data, spec)


def published(pairs: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"entity": list(pairs), "goal": [1] * len(pairs), "colour": list(pairs.values())},
                        schema_overrides={"goal": pl.Int32})


def test_a_dominated_pair_is_a_conflict_with_a_witness():
    # A is better than B on both indicators, yet published worse: no thresholds give both
    res = run({"A": (90.0, 95.0), "B": (85.0, 90.0)}, [(50.0, 80.0), (50.0, 80.0)])
    assert dict(zip(res.goals["entity"], res.goals["colour"], strict=True)) == {"A": "green", "B": "green"}
    (m,) = colourcheck.explain_mismatches(res.indicators, res.goals, published({"A": "yellow", "B": "green"}))
    assert (m.entity, m.kind, m.witnesses) == ("A", "conflict", ("B",))
    assert [w.indicator for w in m.worst] == ["i0", "i1"]
    assert m.worst[0].position == 2 + (90 - 80) / 20 and m.average == (2.5 + 2.75) / 2
    assert "both green" in m.cut and "no thresholds reproduce both" in m.reason
    # the smallest change giving A yellow: i0's green threshold up to just above 90 — and it breaks B? no:
    # B (85) also falls below it, so B's published green breaks
    ch = m.smallest
    assert ch is not None and ch.indicator == "i0" and ch.threshold == "green"
    assert 90.0 < ch.new_score <= 90.01 and ch.breaks == ("B",)


def test_a_fixable_mismatch_names_the_threshold_change_and_breaks_nothing():
    # C: 0..3 positions 1.9 and 3 → average 2.45 but worst 1.9 < 2 → yellow; published green needs
    # the worst at 2: i0's green threshold down to C's score 79
    res = run({"C": (79.0, 100.0), "D": (60.0, 100.0)}, [(50.0, 80.0), (50.0, 80.0)])
    (m,) = colourcheck.explain_mismatches(res.indicators, res.goals,
                                          published({"C": "green", "D": res.goals["colour"][1]}))
    assert m.kind == "thresholds" and m.witnesses == ()
    ch = m.smallest
    assert ch is not None and (ch.indicator, ch.threshold) == ("i0", "green")
    assert abs(ch.new_score - 79.0) < 1e-9 and ch.breaks == () and ch.fixes == ()


def test_dominance_needs_the_same_indicators():
    # E lacks i1: a single indicator alone sets the colour, so E cannot witness against F
    res = run({"E": (60.0, float("nan")), "F": (70.0, 100.0)}, [(50.0, 80.0), (50.0, 80.0)])
    out = colourcheck.explain_mismatches(res.indicators, res.goals, published({"E": "green", "F": "orange"}))
    assert all(m.witnesses == () for m in out)


def test_grey_differences_are_coverage():
    res = run({"G": (60.0, 70.0)}, [(50.0, 80.0), (50.0, 80.0)])
    (m,) = colourcheck.explain_mismatches(res.indicators, res.goals, published({"G": "grey"}))
    assert m.kind == "coverage" and "50 %" in m.reason


@settings(max_examples=60, deadline=None)
@given(scores=st.lists(st.lists(st.one_of(st.just(float("nan")), st.floats(0, 100)), min_size=3, max_size=3),
                       min_size=1, max_size=8),
       cuts=st.lists(st.tuples(st.floats(1, 98), st.floats(1, 98)), min_size=3, max_size=3))
def test_numpy_rule_agrees_with_the_engine(scores, cuts):
    """colourcheck's numpy two-worst rule gives the engine's colours (it searches on them)."""
    thresholds = [(min(a, b), max(a, b) + 1.0) for a, b in cuts]
    values = {f"e{k}": tuple(row) for k, row in enumerate(scores) if any(v == v for v in row)}
    if not values:
        return
    res = run(values, thresholds)
    goals = res.goals.filter(pl.col("colour") != "grey").sort("entity")
    if goals.is_empty():
        return
    g = colourcheck._Goal(res.indicators, goals["entity"].to_list(), ["i0", "i1", "i2"])
    ours = g.colours(g.red, g.green)
    assert ours.tolist() == [ORDER[c] for c in goals["colour"]]
    assert np.isin(ours, [0, 1, 2, 3]).all()
