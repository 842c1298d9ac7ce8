"""The checked panel: layout, averaging of sub-annual values, empty input."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit.assess import frames, progress, sdsn


def test_panel_averages_several_values_in_a_year_and_keeps_order():
    data = pl.DataFrame({"entity": ["b", "a", "a", "a", "a"], "indicator": ["x", "y", "x", "x", "x"],
                         "year": [2016, 2015, 2016, 2016, 2015], "value": [9.0, 1.0, 2.0, 4.0, None]})
    p = frames.prepare(data)
    assert p.averaged == 1  # a/x/2016 held two values
    assert p.frame.sort("entity", "indicator", "year").rows() == [
        ("a", "x", 2016, 3.0), ("a", "y", 2015, 1.0), ("b", "x", 2016, 9.0)]
    s = frames.summary(p, start=2016)
    row = s.filter((pl.col("entity") == "a") & (pl.col("indicator") == "y")).row(0, named=True)
    assert (row["n_since"], row["n_before"], row["y1"], row["yb"]) == (0, 1, 2015, 2015)


def test_rows_already_in_order_are_averaged_too():
    """Rows in series order skip the sort; several values of a year must still be averaged."""
    data = pl.DataFrame({"entity": ["a", "a", "a", "b"], "indicator": ["x", "x", "x", "x"],
                         "year": [2015, 2016, 2016, 2016], "value": [1.0, 2.0, 6.0, 5.0]})
    p = frames.prepare(data)
    assert p.averaged == 1
    assert p.frame.rows() == [("a", "x", 2015, 1.0), ("a", "x", 2016, 4.0), ("b", "x", 2016, 5.0)]


def test_summary_is_computed_once_per_window():
    data = pl.DataFrame({"entity": ["a"] * 3, "indicator": ["x"] * 3, "year": [2014, 2016, 2018],
                         "value": [1.0, 2.0, 3.0]})
    p = frames.prepare(data)
    first = frames.summary(p, start=2015)
    cached = [v for k, v in p._cache.items() if k[0] == "summary"]
    assert frames.summary(p, start=2015, categorical=True)["entity"].dtype == pl.Categorical
    assert [v for k, v in p._cache.items() if k[0] == "summary"] == cached  # not computed again
    assert frames.summary(p, start=2015).equals(first)
    assert frames.summary(p, start=2015, end=2016)["y1"].item() == 2016


def test_empty_input_gives_empty_results():
    empty = pl.DataFrame(schema=frames.PANEL_SCHEMA)
    spec = pl.DataFrame({"indicator": ["x"], "goal": [1], "direction": ["higher"], "best": [1.0],
                         "worst": [0.0], "target": [1.0]})
    res = sdsn.assess(empty, spec)
    assert res.indicators.is_empty() and res.index.is_empty()
    assert progress.assess(empty, spec).table.is_empty()


def test_missing_columns_are_a_programmer_error():
    with pytest.raises(ValueError, match="lacks columns"):
        frames.prepare(pl.DataFrame({"entity": ["a"], "value": [1.0]}))


def test_results_come_in_entity_indicator_order_whatever_the_order_of_the_rows():
    """The panel numbers series in sorted entity, indicator order and the methods keep that order
    (no sort at the end), so it must hold for rows in any order and codes of any script."""
    entities = ["b", "a", "Z", "城市", "ä", "a2", "10", "9", "Ab"]
    indicators = ["1.10.1", "1.2.1", "x", "X", "指标"]
    rows = [(e, i, y, float(len(e) * 7 + len(i) * 3 + (y - 2010) * (1 if k % 2 else -1)))
            for k, (e, i) in enumerate((e, i) for e in entities for i in indicators)
            for y in (2010, 2014, 2016, 2019)]
    data = pl.DataFrame(rows, schema=frames.PANEL_SCHEMA, orient="row").sample(
        fraction=1.0, shuffle=True, seed=11)
    spec = pl.DataFrame({"indicator": indicators[1:], "goal": [1, 2, 3, 4], "direction": ["higher"] * 4,
                         "target": [50.0, 60.0, None, 40.0]})
    keys = ["entity", "indicator"]
    res = sdsn.assess(data, spec)
    assert res.indicators.height == len(entities) * 4
    assert res.indicators.select(keys).equals(res.indicators.select(keys).sort(keys))
    assert res.indicators["entity"].dtype == pl.String
    for method in ("unsd", "eurostat"):
        table = progress.assess(data, spec, method=method).table
        assert table.height == len(entities) * 4 * (2 if method == "eurostat" else 1)
        assert table.select(*keys, "window").equals(table.select(*keys, "window").sort(*keys, "window"))
    s = frames.summary(data, start=2015)
    assert s.height == len(entities) * len(indicators)
    assert s.select(keys).equals(s.select(keys).sort(keys))


def _by_series(rows, end):
    """The values of each series by year, read one row at a time (up to ``end``)."""
    series: dict[tuple[str, str], dict[int, list[float]]] = {}
    for e, i, y, v in rows:
        if end is None or y <= end:
            series.setdefault((e, i), {}).setdefault(y, []).append(v)
    return series


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz"), st.integers(2008, 2022),
                            st.floats(-5, 5)), max_size=40),
    start=st.integers(2006, 2024),
    end=st.one_of(st.none(), st.integers(2006, 2024)),
    place=st.booleans(),
)
def test_summary_agrees_with_each_series_read_one_by_one(rows, start, end, place):
    """The summary is computed from positions in the sorted panel; here each series is read on
    its own, year by year, as the docstring defines the figures.  Rows in no order are put in
    order by placing them on the grid (``place``) or by a sort: both must agree."""
    data = pl.DataFrame(rows, schema=frames.PANEL_SCHEMA, orient="row")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(frames, "DENSE", 10**9 if place else 0)
        summary = frames.summary(data, start=start, end=end)
    got = {(r["entity"], r["indicator"]): r for r in summary.iter_rows(named=True)}
    series = _by_series(rows, end)
    assert set(got) == set(series)
    for key, by_year in series.items():
        years = sorted(by_year)
        mean = {y: sum(by_year[y]) / len(by_year[y]) for y in years}
        since = [y for y in years if y >= start]
        before = [y for y in years if y < start]
        r = got[key]
        assert (r["n_all"], r["n_since"], r["n_before"]) == (len(years), len(since), len(before))
        assert (r["y1"], r["ys"], r["yb"]) == (years[-1], since[0] if since else None,
                                               before[-1] if before else None)
        assert r["x1"] == pytest.approx(mean[years[-1]])
        assert r["xs"] == (pytest.approx(mean[since[0]]) if since else None)
        assert r["xb"] == (pytest.approx(mean[before[-1]]) if before else None)


def test_rows_in_no_order_on_a_dense_grid_are_placed_not_sorted(monkeypatch):
    """A shuffled dense panel takes the linear path (no sort) and comes out as a sort gives it."""
    rows = [(e, i, y, float(k * 31 % 17) - 8.5) for k, (e, i, y) in enumerate(
        (e, i, y) for e in ("b", "a", "城市") for i in ("x", "1.2.1") for y in range(2012, 2020))]
    data = pl.DataFrame(rows, schema=frames.PANEL_SCHEMA, orient="row").sample(fraction=1.0, shuffle=True, seed=3)
    sorted_rows = sorted(rows)
    placed, place = [], frames._place
    monkeypatch.setattr(frames, "_place", lambda *a: placed.append(1) or place(*a))
    assert frames.prepare(data).frame.rows() == sorted_rows
    assert placed  # the grid was used
    monkeypatch.setattr(frames, "DENSE", 0)  # the sort gives the same
    assert frames.prepare(data).frame.rows() == sorted_rows and len(placed) == 1


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(st.sampled_from("ab"), st.sampled_from("xyz"), st.integers(2000, 2022),
                            st.floats(-5, 5)), max_size=40),
    length=st.sampled_from([0, 1, 5, 15]),
    end=st.one_of(st.none(), st.integers(1998, 2024)),
)
def test_trailing_window_agrees_with_each_series_read_one_by_one(rows, length, end):
    """Eurostat's windows end at each series' own latest year: found by position, checked here
    series by series."""
    data = pl.DataFrame(rows, schema=frames.PANEL_SCHEMA, orient="row")
    got = {(r["entity"], r["indicator"]): r for r in frames.trailing(data, length=length, end=end).iter_rows(named=True)}
    series = _by_series(rows, end)
    assert set(got) == set(series)
    for key, by_year in series.items():
        window = [y for y in sorted(by_year) if y >= max(by_year) - length]
        r = got[key]
        assert (r["n"], r["y0"], r["y1"]) == (len(window), window[0], window[-1])
        assert r["x0"] == pytest.approx(sum(by_year[window[0]]) / len(by_year[window[0]]))
        assert r["x1"] == pytest.approx(sum(by_year[window[-1]]) / len(by_year[window[-1]]))


def test_words_is_format_without_its_streaming_panic():
    df = pl.DataFrame({"a": [1.5, None, 3e-7, -2.0], "n": [1, 2, None, 4], "s": ["x", "y", "z", None]})
    want = df.select(pl.format("v {} ({}) t {}.", "a", "n", "s")).to_series()
    got = df.select(frames.words("v {} ({}) t {}.", pl.col("a"), pl.col("n"), pl.col("s"))).to_series()
    assert got.to_list() == want.to_list() == ["v 1.5 (1) t x.", None, None, None]
    # chunks of one row, some emptied by the filter: pl.format panics here in the streaming engine
    chunked = pl.concat([pl.Series("a", [float(i)]) for i in range(6)], rechunk=False).to_frame()
    out = chunked.lazy().filter(pl.col("a") % 2 == 0).select(frames.words("x {}", pl.col("a"))).collect(
        engine="streaming")
    assert out.to_series().to_list() == ["x 0.0", "x 2.0", "x 4.0"]
    with pytest.raises(ValueError, match="placeholder"):
        frames.words("{} and {}", pl.col("a"))
