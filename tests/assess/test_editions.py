"""Method editions, rule by rule, on hand-worked examples; each test names the sentence of the
edition's methodology (or the profile's note) the rule rests on.

Scores are values here (best 100, worst 0); red threshold 50, green 80, so the 0..3 position of
a score s is s/50 below 50, 1 + (s − 50)/30 up to 80 and 2 + (s − 80)/20 above it.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from vlrkit.assess import editions, rules, sdsn, sensitivity
from vlrkit.assess.editions import ProfileError, load

SPEC = {"indicator": pl.String, "goal": pl.Int32, "direction": pl.String, "best": pl.Float64,
        "worst": pl.Float64, "green": pl.Float64, "red": pl.Float64, "yellow": pl.Float64}
OBS = {"entity": pl.String, "indicator": pl.String, "year": pl.Int32, "value": pl.Float64}


def run(points, specs, profile, **kw):  # type: ignore[no-untyped-def]
    data = pl.DataFrame(points, schema=OBS, orient="row")
    spec = pl.DataFrame([(*s, None)[:8] for s in specs], schema=SPEC, orient="row")
    return sdsn.assess(data, spec, profile=profile, **kw)


def goal_of(scores, profile):  # type: ignore[no-untyped-def]
    pts = [("c", f"x{k}", 2020, s) for k, s in enumerate(scores) if s is not None]
    specs = [(f"x{k}", 1, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(len(scores))]
    return run(pts, specs, profile).goals.row(0, named=True)["colour"]


def arrow(points, profile, **kw):  # type: ignore[no-untyped-def]
    res = run([("c", "x", y, v) for y, v in points], [("x", 1, "higher", 100.0, 0.0, 80.0, 50.0)], profile, **kw)
    return res.indicators.row(0, named=True)


# --- the goal colour -----------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["vlrkit", "sdsn-2018", "sdsn-2019", "sdr-2026", "eu-cities-2019"])
def test_two_worst_red_only_if_both_red(profile):
    """METHODS §1 / SDSN: "Average the two worst indicators of the goal … red only if both are red
    (else orange)": positions 2.5, 2.5, 1.25, 0.5 → (1.25 + 0.5)/2 = 0.875 < 1, not both red → orange."""
    assert editions.sdsn(profile).goal_colour.rule == "two_worst"
    assert goal_of([90.0, 90.0, 57.5, 25.0], profile) == "orange"
    assert goal_of([90.0, 90.0, 25.0, 25.0], profile) == "red"  # both red


@pytest.mark.parametrize("profile", ["us-cities-2017", "us-cities-2018", "us-cities-2019"])
def test_city_mean_of_colours(profile):
    """US Cities (reported): "every indicator colour mapped to 0–3 and averaged over the goal":
    green 3 + green 3 + orange 1 + red 0 = 7/4 = 1.75 → yellow (1 of 4 red is not more than a third)."""
    assert goal_of([90.0, 90.0, 57.5, 25.0], profile) == "yellow"


@pytest.mark.parametrize(("scores", "us", "global_"), [
    ([90.0, 90.0, 25.0, 25.0], "red", "red"),  # 2 of 4 red > 1/3: red (the mean 1.5 alone is yellow)
    ([90.0, 90.0, 25.0], "yellow", "yellow"),  # 1 of 3 red is not *more* than a third; mean 2 → yellow
    ([95.0, 70.0], "green", "yellow"),  # mean 2.5 rounds up to green; two worst: not both green → yellow
])
def test_city_red_share_and_rounding(scores, us, global_):
    """US Cities: "a goal is red when more than one third of its coloured indicators are red"; the
    mean rounded to the nearest colour, halves up (vlrkit's reading: the published rounding was not found)."""
    assert goal_of(scores, "us-cities-2019") == us
    assert goal_of(scores, "vlrkit") == global_


def test_grey_rule_fifty_percent_or_any_data():
    """SDSN: "Fewer than 50 % of the goal's indicators available → grey"; the US Cities editions
    colour "a goal that has any data"; European Cities 2019's published dashboard greys such goals."""
    one_of_four = [90.0, None, None, None]
    assert goal_of(one_of_four, "vlrkit") == "grey"
    assert goal_of(one_of_four, "eu-cities-2019") == "grey"
    assert goal_of(one_of_four, "us-cities-2019") == "green"
    # a goal without any data stays grey under every edition
    spec = [("x", 1, "higher", 100.0, 0.0, 80.0, 50.0), ("y", 2, "higher", 100.0, 0.0, 80.0, 50.0)]
    res = run([("c", "y", 2020, 90.0)], spec, "us-cities-2019")
    assert res.goals.filter(pl.col("goal") == 1)["colour"].to_list() == ["grey"]


# --- the indicator colour ------------------------------------------------------------------------


def test_colouring_on_the_raw_value_keeps_a_threshold_beyond_the_bounds():
    """US Cities (reported): "some published thresholds lie outside the worst–best bounds"; green
    110 beyond the optimum 100: on the clipped score 100 ≥ 100 is green, on the value 100 < 110 is
    not (yellow: at least the midpoint (50 + 110)/2 = 80)."""
    spec = [("x", 1, "higher", 100.0, 0.0, 110.0, 50.0)]
    assert run([("c", "x", 2020, 100.0)], spec, "vlrkit").indicators["colour"][0] == "green"
    assert run([("c", "x", 2020, 100.0)], spec, "us-cities-2019").indicators["colour"][0] == "yellow"
    # lower is better: the same on the other side (best 0, green −10 beyond it)
    low = [("x", 1, "lower", 0.0, 100.0, -10.0, 50.0)]
    assert run([("c", "x", 2020, 0.0)], low, "vlrkit").indicators["colour"][0] == "green"
    assert run([("c", "x", 2020, 0.0)], low, "us-cities-2019").indicators["colour"][0] == "yellow"


def test_a_yellow_threshold_of_its_own():
    """US Cities (reported): "a separate yellow threshold per indicator; orange between the red and
    the yellow threshold"; SDSN global: "yellow (upper half) and orange (lower half), split at the
    midpoint".  Red 40, green 80: 65 is above the midpoint 60 but below a yellow threshold of 70."""
    spec = [("x", 1, "higher", 100.0, 0.0, 80.0, 40.0, 70.0)]
    assert run([("c", "x", 2020, 65.0)], spec, "vlrkit").indicators["colour"][0] == "yellow"
    assert run([("c", "x", 2020, 65.0)], spec, "us-cities-2019").indicators["colour"][0] == "orange"
    assert run([("c", "x", 2020, 72.0)], spec, "us-cities-2019").indicators["colour"][0] == "yellow"
    # without a yellow threshold the given-yellow edition falls back to the midpoint
    no_yellow = [("x", 1, "higher", 100.0, 0.0, 80.0, 40.0)]
    assert run([("c", "x", 2020, 65.0)], no_yellow, "us-cities-2019").indicators["colour"][0] == "yellow"


# --- the trend window ----------------------------------------------------------------------------


def test_2018_window_2010_to_2015_while_the_colour_uses_the_latest_value():
    """SDSN 2018: trends over 2010–2015 ("2010–2015 in 2018"): 40 → 50 is 2.0 a year against
    (80 − 40)/(2030 − 2010) = 2.0 → on track; the 2017 value 20 sets score and colour only."""
    r = arrow([(2010, 40.0), (2015, 50.0), (2017, 20.0)], "sdsn-2018")
    assert (r["trend_year0"], r["trend_observed"], r["trend"]) == (2010, pytest.approx(2.0), "on_track")
    assert (r["year"], r["colour"]) == (2017, "red")
    v = arrow([(2010, 40.0), (2015, 50.0), (2017, 20.0)], "vlrkit")  # 2015 → 2017: the score fell
    assert v["trend"] == "decreasing"


def test_current_edition_starts_at_the_nearest_year_from_2010():
    """SDR 2026: "annual growth rates since 2015"; without a 2015 value, the nearest year from 2010
    on (reported): 2013 → 2019 is 12/6 = 2.0 a year against (80 − 40)/17 = 2.353; 2.0 ≥ half of it
    → moderately improving.  vlrkit's default (the first year from 2015 on) leaves one point."""
    pts = [(2013, 40.0), (2019, 52.0)]
    r = arrow(pts, "sdr-2026")
    assert r["trend_year0"] == 2013
    assert r["trend_required"] == pytest.approx(40 / 17)
    assert r["trend"] == "moderately_improving"
    assert arrow(pts, "vlrkit")["trend"] == "insufficient_data"
    # a tie (2014 and 2016 both one year from 2015) takes the earlier year
    assert arrow([(2014, 40.0), (2016, 44.0), (2019, 50.0)], "sdr-2026")["trend_year0"] == 2014


def test_2019_window_from_2010():
    """SDR 2019 (vlrkit's reading: the window starts in 2010 as in 2018 and runs to the latest
    year): 30 in 2011 → 50 in 2019 is 2.5 a year against (80 − 30)/19 = 2.63 → moderately improving."""
    r = arrow([(2011, 30.0), (2019, 50.0)], "sdsn-2019")
    assert (r["trend_year0"], r["trend"]) == (2011, "moderately_improving")


# --- the index -----------------------------------------------------------------------------------


def test_cities_are_not_imputed_countries_are():
    """SDSN: "a goal with no data is filled with the regional mean (for a city: report it as
    missing, never invent it)"; city editions drop goals without data."""
    spec = [("a", 1, "higher", 100.0, 0.0, 80.0, 50.0), ("b", 2, "higher", 100.0, 0.0, 80.0, 50.0)]
    pts = [("c", "a", 2020, 70.0), ("d", "a", 2020, 70.0), ("d", "b", 2020, 40.0), ("e", "a", 2020, 70.0),
           ("e", "b", 2020, 60.0)]
    regions = pl.DataFrame({"entity": ["c", "d", "e"], "region": ["r", "r", "r"]})
    for profile, want in (("sdsn-2018", 50.0), ("us-cities-2019", None), ("eu-cities-2019", None)):
        g = run(pts, spec, profile, regions=regions).goals.filter(
            (pl.col("entity") == "c") & (pl.col("goal") == 2)).row(0, named=True)
        assert g["score"] == want and g["imputed"] == (want is not None)


def test_ranked_with_eighty_percent():
    """SDR 2025: "we do not calculate an overall SDG Index score and rank for countries missing
    data on more than 20 percent of the indicators"."""
    spec = [(f"x{k}", 1 + k % 2, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(10)]
    for have, ranked in ((8, True), (7, False)):
        res = run([("c", f"x{k}", 2020, 70.0) for k in range(have)], spec, "sdr-2026")
        assert res.index.row(0, named=True)["ranked"] is ranked


# --- the profiles themselves ---------------------------------------------------------------------


def test_the_vlrkit_profile_is_todays_behaviour():
    """The ``vlrkit`` profile holds the constants the engine used before editions existed."""
    e = editions.sdsn("vlrkit")
    n, c, g, t, i, p = e.normalisation, e.colouring, e.goal_colour, e.trend, e.index, e.progress
    assert (n.worst_percentile, n.top_performers, n.green_percentile, n.red_percentile) == (
        rules.SDSN_WORST_PERCENTILE, rules.SDSN_TOP_PERFORMERS, rules.SDSN_GREEN_PERCENTILE, rules.SDSN_RED_PERCENTILE)
    assert (g.green_at, g.yellow_at, g.orange_at, g.min_coverage, g.rule) == (
        rules.SDSN_GREEN_AT, rules.SDSN_YELLOW_AT, rules.SDSN_ORANGE_AT, rules.SDSN_MIN_GOAL_COVERAGE, "two_worst")
    assert (c.on, c.yellow, c.colours, c.position_decimals) == ("score", "midpoint", 4, rules.SDSN_POSITION_DECIMALS)
    assert (t.start, t.horizon, t.moderate_share, dict(t.goal_points), t.goal_bands, t.goal_min_coverage) == (
        rules.SDSN_TREND_START, rules.SDSN_TREND_HORIZON, rules.SDSN_MODERATE_SHARE, rules.SDSN_TREND_POINTS,
        rules.SDSN_TREND_BANDS, rules.SDSN_MIN_TREND_COVERAGE)
    assert (t.fallback, t.end) == ("next", None)
    assert i.min_coverage == rules.SDSN_MIN_INDEX_COVERAGE
    assert (p.base_year, p.target_year, p.epsilon, p.percent_tolerance, p.eurostat_long, p.eurostat_short) == (
        rules.BASE_YEAR, rules.TARGET_YEAR, rules.EPSILON, rules.PERCENT_TARGET_TOLERANCE, rules.EUROSTAT_LONG,
        rules.EUROSTAT_SHORT)


@pytest.mark.parametrize("name", editions.names())
def test_every_rule_says_what_it_rests_on(name):
    e = editions.get(name)
    keys = {s.key for s in e.sources}
    assert e.choices and all(c.note.strip() for c in e.choices), [c.key for c in e.choices if not c.note.strip()]
    for c in e.choices:
        assert c.basis in editions.BASES
        if c.basis in ("published", "inferred", "reported"):
            assert c.source in keys, (c.key, c.source)
    assert e.title["en"] and e.title["zh-Hans"] and e.summary["zh-Hans"]


def test_names_aliases_and_unknown():
    assert editions.names()[0] == "vlrkit"
    assert editions.get("sdr") is editions.get("sdr-2026")
    assert editions.get(None).name == "vlrkit"
    with pytest.raises(KeyError, match="us-cities-2019"):
        editions.get("us-cities-2020")
    with pytest.raises(KeyError, match="not an SDSN edition"):
        editions.sdsn("opensdg-2.4")
    with pytest.raises(KeyError):
        sdsn.assess(pl.DataFrame(schema=OBS), pl.DataFrame(schema=SPEC), profile="nope")


@pytest.mark.parametrize(("text", "message"), [
    ('name = "bad"\nfamily = "sdsn"\nversion = "1"\ntitle = {en = "x"}\nsummary = {en = "x"}\n[goal_colour]\n'
     'rule = { value = "majority", basis = "ours", note = "n" }\n', "goal_colour.rule must be one of two_worst"),
    ('name = "bad"\nfamily = "sdsn"\nversion = "1"\ntitle = {en = "x"}\nsummary = {en = "x"}\n[goal_colour]\n'
     'rule = "two_worst"\n', "must be a table { value, basis, note"),
    ('name = "bad"\nfamily = "sdsn"\nversion = "1"\ntitle = {en = "x"}\nsummary = {en = "x"}\n[trend]\n'
     'start = { value = 2015.5, basis = "ours", note = "n" }\n', "trend.start must be a whole number"),
    ('name = "bad"\nfamily = "sdsn"\nversion = "1"\ntitle = {en = "x"}\nsummary = {en = "x"}\n[trend]\n'
     'begin = { value = 2015, basis = "ours", note = "n" }\n', "unknown rule(s) begin"),
    ('name = "bad"\nfamily = "sdsn"\nversion = "1"\ntitle = {en = "x"}\nsummary = {en = "x"}\n[trend]\n'
     'start = { value = 2015, basis = "guess", note = "n" }\n', "basis must be one of"),
    ('name = "bad"\nfamily = "sdsn"\nversion = "1"\ntitle = {en = "x"}\nsummary = {en = "x"}\n[trend]\n'
     'start = { value = 2015, basis = "published", note = "n", source = "nowhere" }\n', "is not one of the file"),
    ('name = "other"\nfamily = "sdsn"\nversion = "1"\ntitle = {en = "x"}\nsummary = {en = "x"}\n',
     "equal the file's name"),
    ('name = "bad"\nfamily = "sdsn"\n[goal_colour\n', "not a readable TOML file"),
])
def test_a_bad_profile_is_refused_with_file_key_and_reason(tmp_path: Path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match="bad.toml") as exc:
        load(path, editions.get("vlrkit"))
    assert message in str(exc.value) and exc.value.zh


def test_results_name_their_edition():
    res = run([("c", "x", 2020, 70.0)], [("x", 1, "higher", 100.0, 0.0, 80.0, 50.0)], "us-cities-2019")
    assert res.edition == "us-cities-2019" and res.parameters["edition"] == "us-cities-2019"
    e = res.explain("c", "x")
    assert e.edition == "us-cities-2019" and e.as_dict()["edition"] == "us-cities-2019"
    assert "mean of the indicators' colours" in res.explain_goal("c", 1).rule


def test_sensitivity_flags_where_editions_disagree():
    """Four indicators of goal 1 (positions 2.5, 2.5, 1.25, 0.5): the two-worst editions say
    orange, the US Cities editions yellow — flagged on the goal; the indicators' own colours agree."""
    pts = [("c", f"x{k}", 2020, s) for k, s in enumerate((90.0, 90.0, 57.5, 25.0))]
    specs = [(f"x{k}", 1, "higher", 100.0, 0.0, 80.0, 50.0) for k in range(4)]
    data = pl.DataFrame(pts, schema=OBS, orient="row")
    spec = pl.DataFrame([(*s, None) for s in specs], schema=SPEC, orient="row")
    s = sensitivity.compute(data, spec, sdsn_editions=["vlrkit", "us-cities-2019"], methods=["unsd", "statcan"])
    g = s.goal_table().row(0, named=True)
    assert (g["colour:vlrkit"], g["colour:us-cities-2019"], g["colour_disagree"], g["disagree"]) == (
        "orange", "yellow", True, True)
    ind = s.indicator_table()
    assert not ind["colour_disagree"].any()  # the same thresholds colour each indicator alike
    assert ind.height == 4 and set(ind["progress:unsd"]) == {"insufficient_data"}  # one year: no side
    assert not ind["progress_disagree"].any()


def test_a_review_is_assessed_series_by_series_under_its_edition(small_review):
    """The edition reaches every series of a review, headline and others (``assess.specs``): T-1
    (2015, 2018, 2021, 2024) and a second series of it have an arrow from 2015 under vlrkit's
    window, none under the 2018 edition's 2010–2015 window ("2010–2015 in 2018", METHODS.md §1);
    the edition a review remembers applies unless another is named, and the result names it."""
    from dataclasses import replace

    from vlrkit.assess import assess_review

    obs = small_review.observations
    second = obs.filter((pl.col("indicator") == "T-1") & pl.col("SEX").is_null()).with_columns(
        pl.lit("Second").alias("series"), (pl.col("value") * 2).alias("value"))
    review = replace(small_review, observations=pl.concat([obs, second], how="vertical_relaxed"))
    base = assess_review(review)
    t1 = base.indicator("T-1")
    assert base.method_edition == "vlrkit" and len(t1.others) == 1
    assert t1.trend != "insufficient_data" and t1.others[0].trend != "insufficient_data"
    old = assess_review(review, method_edition="sdsn-2018")
    t1 = old.indicator("T-1")
    assert old.method_edition == "sdsn-2018" and old.to_dict()["method_edition"] == "sdsn-2018"
    assert t1.trend == "insufficient_data" and t1.others[0].trend == "insufficient_data"
    assert old.goal(11).trend == "insufficient_data"
    remembered = replace(review, edition=replace(review.edition, method_edition="sdsn-2018"))
    assert assess_review(remembered).indicator("T-1").trend == "insufficient_data"
    assert assess_review(remembered, method_edition="vlrkit").indicator("T-1").trend == base.indicator("T-1").trend
