"""The knowledge catalogue: a sourced row for every global indicator, target words quoted exactly,
SDSN numbers from their editions, and the resolver's precedence and grade rules."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit import sdg
from vlrkit.review.model import SdgLink
from vlrkit.sdg import knowledge as kn
from vlrkit.sdg.knowledge_build import build
from vlrkit.sdg.resolve import GRADES, Stated, resolve, short_source
from vlrkit.sdg.units import UNIT_LABELS, normalise_unit, same_unit

ROOT = Path(__file__).parents[2]
WORKBOOK = ROOT / "tests" / "data" / "sdsn-2018" / "sdsna-2018GlobalIndexResults.xlsx"
QUOTE = re.compile(r"“([^”]+)”")
CURRENT = [k for k in kn.rows() if not k.withdrawn]


def target_text(code: str) -> str:
    return sdg.target(code).title("en")


# --- the catalogue covers the framework --------------------------------------------------


def test_one_row_per_indicator_current_and_withdrawn_in_framework_order():
    assert [k.indicator for k in kn.rows()] == [i.code for i in sdg.indicators(withdrawn=True)]
    assert len(CURRENT) == len(sdg.indicators()) == 231
    for k in kn.rows():
        assert k.title == sdg.indicator(k.indicator).title("en")


def test_an_alias_gives_the_row_of_the_indicator():
    assert kn.knowledge("11.5.1") is kn.knowledge("13.1.1") is kn.knowledge("1.5.1")
    with pytest.raises(sdg.UnknownSdgId):
        kn.knowledge("3.1")


def test_every_current_indicator_has_a_sourced_direction_or_an_explained_unknown():
    for k in CURRENT:
        assert k.direction in kn.DIRECTIONS, k.indicator
        assert k.direction_source.strip(), k.indicator
        if k.direction == "unknown":
            assert len(k.direction_note) > 40, f"{k.indicator}: unknown needs a note saying why"
        if k.direction == "band":
            assert k.band is not None and k.band.low <= k.band.high and k.band.source, k.indicator
        else:
            assert k.band is None, k.indicator


def test_every_direction_note_is_in_english_and_chinese():
    for k in kn.rows():
        assert bool(k.direction_note) == bool(k.direction_note_zh), k.indicator
        if k.direction_note_zh:
            assert re.search(r"[\u4e00-\u9fff]", k.direction_note_zh), k.indicator
            assert k.note("zh") == k.direction_note_zh and k.note("en") == k.direction_note


def test_withdrawn_ids_are_unknown_and_say_so():
    withdrawn = [k for k in kn.rows() if k.withdrawn]
    assert [k.indicator for k in withdrawn] == ["1.a.3", "8.9.2", "11.c.1", "13.3.2", "17.6.2"]
    for k in withdrawn:
        assert k.direction == "unknown" and k.target is None and not k.sdsn
        assert "2020 comprehensive review" in k.direction_note


def _clauses(source: str) -> list[tuple[str, str]]:
    """(target id, clause) for each "SDG target X.Y: …" clause of a source text."""
    return [(m.group(1), clause) for clause in source.split("; ")
            if (m := re.match(r"SDG target ([0-9]+\.[0-9a-z]+): ", clause))]


def test_every_quoted_target_phrase_is_the_targets_own_english_words():
    checked = 0
    for k in CURRENT:
        targets = sdg.indicator(k.indicator).targets
        for field in ("direction_source", "target_source"):
            text = getattr(k, field) if field == "direction_source" else (k.target.source if k.target else "")
            for code, clause in _clauses(text):
                assert code in targets, f"{k.indicator} cites target {code}, not one of {targets}"
                quotes = QUOTE.findall(clause)
                assert quotes, f"{k.indicator}: {clause!r} quotes nothing"
                for q in quotes:
                    assert q in target_text(code), f"{k.indicator}: “{q}” is not in target {code}"
                    checked += 1
    assert checked > 250


def test_every_2030_value_quotes_its_target_and_is_well_formed():
    for k in CURRENT:
        t = k.target
        if t is None:
            continue
        assert t.kind in kn.TARGET_KINDS and t.op in kn.TARGET_OPS and t.of in ("value", "complement")
        assert _clauses(t.source), f"{k.indicator}: a 2030 value must quote its SDG target"
        assert k.direction in ("higher", "lower", "band")
        assert t.implied_direction == k.direction, k.indicator
        if t.kind == "relative":
            assert t.baseline_year == kn.DEFAULT_BASELINE_YEAR and t.value > 0
            assert "baseline" in t.note, f"{k.indicator}: say which baseline year is assumed"
        if t.year is None:
            assert "states no year" in t.note, k.indicator
        else:
            assert f"By {t.year}" in t.source or f"by {t.year}" in t.source, k.indicator
        if t.kind == "zero":
            assert t.value == 0
        if t.kind == "universal":
            assert t.value == 100


def test_a_stated_year_other_than_2030_is_kept():
    years = {k.indicator: k.target.year for k in CURRENT if k.target and k.target.year not in (None, 2030)}
    assert years["3.6.1"] == 2020 and years["8.7.1"] == 2025 and years["14.5.1"] == 2020


def test_units_are_known_keys_and_every_sdsn_number_carries_its_edition():
    for k in CURRENT:
        assert all(u in UNIT_LABELS for u in k.unit_keys), k.indicator
        for s in k.sdsn:
            assert s.edition in kn.SDSN_EDITIONS and s.match in kn.MATCHES and s.code and s.name
            assert s.unit_key in UNIT_LABELS
            assert s.source == kn.SDSN_SOURCES[s.edition]
            if s.match == "same":
                assert s.unit_key in k.unit_keys, f"{k.indicator}: a same match has the same unit"
            if s.match != "same":
                assert s.note, f"{k.indicator}: say how SDSN {s.edition}'s indicator differs"


def test_sdsn_numbers_agree_with_the_direction_and_thresholds_lie_between_the_bounds():
    for k in CURRENT:
        for s in k.sdsn:
            if not s.has_bounds:
                continue
            assert s.direction == k.direction, f"{k.indicator}: SDSN {s.edition} says {s.direction}"
            if s.green is None:
                continue
            seq = [s.worst, s.red, s.green, s.best]
            if k.direction == "lower":
                seq = [-v for v in seq]  # type: ignore[operator]
            assert seq == sorted(seq), f"{k.indicator}: SDSN {s.edition} worst ≤ red ≤ green ≤ best"


def test_sdsn_2018_columns_are_a_fresh_recovery_from_the_published_workbook():
    assert build(WORKBOOK) == kn.read()


def test_no_fitted_threshold_is_shipped_as_sdsns():
    # 2018 thresholds are not in the workbook: vlrkit's fitted ones (thresholds.csv) stay out
    for k in CURRENT:
        s = k.sdsn_edition("2018")
        assert s is None or (s.green is None and s.red is None)
    assert "green" not in " ".join(c for c in kn.COLUMNS if c.startswith("sdsn2018"))


# --- hand-checked against the target texts ------------------------------------------------

EXAMPLES = [
    # indicator, kind, op, value, year, words of the target text
    ("3.1.1", "absolute", "<", 70, 2030, "reduce the global maternal mortality ratio to less than 70 per 100,000 live births"),
    ("3.2.1", "absolute", "<=", 25, 2030, "under‐5 mortality to at least as low as 25 per 1,000 live births"),
    ("3.2.2", "absolute", "<=", 12, 2030, "neonatal mortality to at least as low as 12 per 1,000 live births"),
    ("1.1.1", "zero", "=", 0, 2030, "eradicate extreme poverty for all people everywhere"),
    ("3.6.1", "relative", "<=", 0.5, 2020, "By 2020, halve the number of global deaths"),
    ("1.2.1", "relative", "<=", 0.5, 2030, "reduce at least by half the proportion"),
    ("3.4.1", "relative", "<=", 2 / 3, 2030, "reduce by one third premature mortality"),
    ("8.7.1", "zero", "=", 0, 2025, "by 2025 end child labour in all its forms"),
    ("10.c.1", "absolute", "<", 3, 2030, "reduce to less than 3 per cent the transaction costs"),
    ("14.5.1", "absolute", ">=", 10, 2020, "conserve at least 10 per cent of coastal and marine areas"),
    ("6.1.1", "universal", ">=", 100, 2030, "universal and equitable access to safe and affordable drinking water for all"),
    ("16.9.1", "universal", ">=", 100, 2030, "provide legal identity for all, including birth registration"),
    ("7.1.1", "universal", ">=", 100, 2030, "ensure universal access to affordable, reliable and modern energy services"),
    ("2.3.2", "relative", ">=", 2, 2030, "double the agricultural productivity and incomes of small-scale food producers"),
    ("6.3.1", "relative", "<=", 0.5, 2030, "halving the proportion of untreated wastewater"),
    ("5.3.1", "zero", "=", 0, 2030, "Eliminate all harmful practices, such as child, early and forced marriage"),
    ("17.2.1", "absolute", ">=", 0.7, 2030, "0.7 per cent of gross national income for official development assistance"),
    ("4.5.1", "absolute", "=", 1, 2030, "eliminate gender disparities in education"),
]


@pytest.mark.parametrize(("code", "kind", "op", "value", "year", "words"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_hand_checked_2030_values(code, kind, op, value, year, words):
    k = kn.knowledge(code)
    assert any(words in target_text(t) for t in sdg.indicator(code).targets)  # the words are the UN's
    assert (k.target.kind, k.target.op, k.target.target_year) == (kind, op, year)
    assert k.target.value == pytest.approx(value)
    assert words in k.target.source


def test_relative_targets_turn_into_levels_from_a_baseline():
    assert kn.knowledge("3.6.1").target.level(baseline=8.0) == 4.0
    assert kn.knowledge("3.4.1").target.level(baseline=12.0) == pytest.approx(8.0)
    assert kn.knowledge("6.3.1").target.level(baseline=60.0) == 80.0  # untreated 40 % halved to 20 %
    assert kn.knowledge("3.4.1").target.level() is None
    assert kn.knowledge("3.1.1").target.level() == 70.0


def test_targets_restricted_to_a_group_of_countries_say_so():
    assert "least developed countries" in kn.knowledge("8.1.1").target.scope  # 7 % growth, LDCs only
    assert "least developed countries" in kn.knowledge("9.c.1").target.scope
    assert "youth" in kn.knowledge("4.6.1").target.scope


@pytest.mark.parametrize("code", ["3.3.1", "3.3.2", "7.3.1", "11.6.2", "5.5.1", "1.3.1", "15.3.1", "4.1.1"])
def test_no_number_where_the_target_states_none(code):
    assert kn.knowledge(code).target is None


def test_judgements_that_are_not_obvious():
    assert kn.knowledge("8.8.2").direction == "lower"  # ILO: 0 is the best score, 10 the worst
    assert kn.knowledge("4.5.1").direction == "band" and kn.knowledge("4.5.1").band.low == 0.97
    assert kn.knowledge("16.6.1").band.high == 105  # PEFA: within 95–105 % of the budget
    for flow in ("1.a.1", "2.a.2", "3.b.2", "17.3.1", "17.9.1", "17.17.1"):
        assert kn.knowledge(flow).direction == "unknown"
    for mixed in ("12.4.2", "15.4.2", "5.4.1", "17.13.1"):
        assert kn.knowledge(mixed).direction == "unknown"


def test_the_counts_in_the_docs_are_the_catalogues():
    docs = (ROOT / "docs" / "knowledge.md").read_text(encoding="utf-8")
    s = kn.stats()
    for figure in (f"{s['direction']['higher']} higher", f"{s['direction']['lower']} lower",
                   f"{s['direction']['band']} band", f"{s['direction']['unknown']} unknown",
                   f"{s['target_2030']} indicators have a 2030 value",
                   f"{s['sdsn_2025_thresholds']} have SDSN's published green and red thresholds",
                   f"{s['sdsn_2018_bounds']} have SDSN 2018 bounds"):
        assert figure in docs, figure
    assert sum(s["direction"].values()) == s["indicators"]


# --- the unit normaliser on spellings of the real repositories ------------------------------

REAL_SPELLINGS = [
    # UK ONS, Kazakhstan, Rwanda (SDMX) and Los Angeles Open SDG data, as written there
    ("Percentage (%)", "percent"), ("percentage (%)", "percent"), ("PT", "percent"),
    ("Percentage of households (%)", "percent"), ("% of total land area", "percent"),
    ("Percent by Race/ Ethnicity", "percent"), ("women's earnings as a percentage of men's earnings", "percent"),
    ("Rate per 100,000 population", "per_100000"), ("PER_100000_POP", "per_100000"),
    ("Rate per 100000 population", "per_100000"), ("Rate per 100,000 (3 year average)", "per_100000"),
    ("Number of refugees per 100,000 population", "per_100000"), ("Rate per 100,000", "per_100000"),
    ("Rate per 1,000 live births", "per_1000_live_births"), ("PER_1000_LIVE_BIRTHS", "per_1000_live_births"),
    ("Rate per 100,000 live births", "per_100000_live_births"), ("PER_100000_LIVE_BIRTHS", "per_100000_live_births"),
    ("Rate per 100,000 maternities", "per_100000_maternities"),
    ("PER_1000_UNINFECTED_POP", "per_1000_uninfected"), ("Birth rate per 1,000 women in age group", "per_1000_women"),
    ("Number per 100,000 adults", "per_100000_adults"), ("NUM_ATM_PER_100000_ADL", "per_100000_adults"),
    ("Rate per 100,000 workers", "per_100000_workers"), ("Rate per 10,000 population", "per_10000"),
    ("Rate per 100 population", "per_100"), ("PER_100_POP", "per_100"), ("Per million population", "per_1000000"),
    ("PER_1000000_POP", "per_1000000"), ("PER_1000_POP", "per_1000"), ("Death Rate per 1,000", "per_1000"),
    ("Number", "number"), ("NUMBER", "number"), ("Individuals", "number"), ("Number of tables", "number"),
    ("Index", "index"), ("IX", "index"), ("Score", "score"), ("Ratio", "ratio"),
    ("% change from baseline", "percent_change"), ("Growth rate (%)", "growth_percent"),
    ("PT_PREV_Y", "growth_percent"), ("Year Over Year Growth Rate (%)", "growth_percent"),
    ("GBP (£)", "gbp"), ("GBP (£ thousands)", "gbp_thousand"), ("GBP (£ Millions)", "gbp_million"),
    ("USD ($ Millions)", "usd_million"), ("M_USD", "usd_million"), ("million USD", "usd_million"),
    ("Tonnes", "tonnes"), ("Metric tons", "tonnes"), ("Tonnes per capita", "tonnes_per_capita"),
    ("Kilograms per constant USD", "kg_per_usd"), ("KG_PER_CON_USD", "kg_per_usd"),
    ("Million tonnes carbon dioxide equivalent (MtCO2e)", "mt_co2e"),
    ("Terajoules per million pounds (TJ/Â£ million)", "tj_per_gbp_million"),
    ("GHG efficiency (metric tons per million dollars)", "tonnes_per_usd_million"),
    ("Litres pure alcohol", "litres_pure_alcohol"), ("Watts per capita", "watts_per_capita"),
    ("MJ_PER_GDP_CON_PPP_USD", "mj_per_usd_ppp"), ("USD_PER_M3", "usd_per_m3"),
    ("Area (000s hectares)", "thousand_hectares"), ("TH_HA", "thousand_hectares"),
    ("Food and inedible waste (Kilogrammes per person)", "kg_per_capita"),
    ("тонн СО2-экв/душу населения", "t_co2e_per_capita"), ("млрд.тенге", "kzt_billion"),
]
NOT_UNITS = ["Total by Gender", "By Race/Ethnicity", "Maternal Mortality Rate", "Unemployment rate",
             "City of Los Angeles", "Commercial Landings Poundage (Pounds)", "", "   ", None]


@pytest.mark.parametrize(("spelling", "key"), REAL_SPELLINGS, ids=[s for s, _ in REAL_SPELLINGS])
def test_real_unit_spellings_normalise(spelling, key):
    assert normalise_unit(spelling) == key


@pytest.mark.parametrize("spelling", NOT_UNITS)
def test_what_names_no_unit_stays_unknown(spelling):
    assert normalise_unit(spelling) is None
    assert not same_unit(spelling, spelling)


def test_a_series_in_the_global_indicators_unit_is_recognised():
    assert kn.knowledge("3.1.1").unit_matches("Rate per 100,000 live births")
    assert not kn.knowledge("3.1.1").unit_matches("Rate per 100,000 maternities")  # another denominator
    assert kn.knowledge("8.4.1").unit_matches("Tonnes per capita") and kn.knowledge("8.4.1").unit_matches("T")
    assert not kn.knowledge("17.13.1").unit_matches("%")  # no usual unit: nothing matches


def test_every_unit_key_has_both_labels():
    assert all(set(v) == {"en", "zh-Hans"} for v in UNIT_LABELS.values())


# --- the resolver -------------------------------------------------------------------------


def test_identical_inherits_direction_target_and_bounds_with_their_sources():
    r = resolve([("3.1.1", "identical")], unit="PER_100000_LIVE_BIRTHS")
    assert (r.direction.value, r.direction.origin.code, r.direction.origin.source) == ("lower", "catalogue", "SDG target 3.1")
    assert "reduce the global maternal mortality ratio" in r.direction.origin.detail
    assert r.target.value.level() == 70 and r.target.origin.via == "3.1.1"
    b = r.bounds.value
    assert (b.optimum, b.lower_bound, b.green, b.red, b.edition) == (3.4, 814, 70, 140, "2025")
    assert r.claims_allowed and not r.direction_to_confirm
    assert r.direction.origin.text("en") == "vlrkit knowledge catalogue: SDG target 3.1 (via 3.1.1, identical)"
    assert r.direction.origin.text("zh") == "vlrkit 知识目录：SDG 具体目标 3.1（经由 3.1.1，相同）"


def test_adapted_inherits_the_target_only_when_units_agree():
    same = resolve([("3.1.1", "adapted")], unit="Rate per 100,000 live births")
    assert same.direction.value == "lower" and same.target.known and same.bounds.known
    other = resolve([("3.1.1", "adapted")], unit="Number")
    assert other.direction.value == "lower" and not other.target.known and not other.bounds.known
    assert any("unit" in n["en"] for n in other.notes) and all(n["zh-Hans"] for n in other.notes)
    unknown_unit = resolve([("1.1.1", "adapted")])  # zero target, but the unit cannot be checked
    assert unknown_unit.direction.value == "lower" and not unknown_unit.target.known


def test_identical_with_a_different_unit_keeps_unit_free_targets_only():
    r = resolve([("3.1.1", "identical")], unit="Number")  # deaths, not a ratio
    assert r.direction.value == "lower" and not r.target.known and not r.bounds.known
    halve = resolve([("3.6.1", "identical")], unit="Number")  # "halve" needs no unit
    assert halve.target.value.kind == "relative" and halve.target.value.year == 2020


def test_proxy_gives_the_direction_to_confirm_and_nothing_else():
    r = resolve([("3.1.1", "proxy")], unit="per 100,000 live births")
    assert r.direction.value == "lower" and r.direction.origin.to_confirm
    assert r.direction_to_confirm and not r.claims_allowed
    assert not r.target.known and not r.bounds.known
    assert r.direction.origin.text("en").endswith(", to confirm")
    assert r.direction.origin.text("zh-Hans").endswith("，待确认")


def test_contextual_gives_nothing():
    r = resolve([("3.1.1", "contextual")], unit="per 100,000 live births")
    assert r.direction.value == "unknown" and r.direction.origin.code == "unknown"
    assert r.direction.origin.text("en") == "direction to confirm"
    assert r.direction.origin.text("zh") == "方向待确认"
    assert not r.target.known and not r.bounds.known and not r.claims_allowed


def test_no_links_or_an_unknown_direction_is_unknown_never_higher():
    for links in ([], [("17.3.1", "identical")], [("1.a.3", "identical")], [SdgLink("X", "3.1", None)]):
        r = resolve(links)
        assert r.direction.value == "unknown" and r.direction_to_confirm


def test_the_best_grade_wins_and_disagreeing_links_give_unknown():
    r = resolve([("3.1.2", "proxy"), ("3.1.1", "identical")])
    assert r.direction.value == "lower" and r.direction.origin.via == "3.1.1"
    clash = resolve([("3.1.1", "identical"), ("3.1.2", "identical")])  # lower and higher
    assert clash.direction.value == "unknown" and "disagree" in clash.notes[0]["en"]


def test_user_wins_then_publisher_then_catalogue():
    links = [("3.1.1", "identical")]
    pub = Stated(direction="lower", target_value=50.0, target_year=2028, source="progress_calculation_options")
    r = resolve(links, publisher=pub)
    assert (r.direction.origin.code, r.target.origin.code, r.target.value.level()) == ("publisher", "publisher", 50.0)
    assert r.bounds.origin.code == "catalogue"  # the publisher stated no bounds
    u = resolve(links, publisher=pub, user=Stated(target_value=60.0, optimum=5, lower_bound=500, green=60, red=120))
    assert (u.direction.origin.code, u.target.origin.code, u.bounds.origin.code) == ("publisher", "user", "user")
    assert u.target.origin.text("en") == "set by user" and u.target.origin.text("zh") == "用户设定"
    assert r.direction.origin.text("en") == "publisher config: progress_calculation_options"


def test_incomplete_user_bounds_are_not_used_silently():
    r = resolve([("3.1.1", "identical")], user=Stated(green=60.0, red=120.0))
    assert r.bounds.origin.code == "catalogue"
    assert any("lack an optimum" in n["en"] for n in r.notes)


def test_a_catalogue_value_that_contradicts_the_winning_direction_is_not_inherited():
    r = resolve([("3.1.1", "identical")], user=Stated(direction="higher"))
    assert r.direction.value == "higher" and r.direction.origin.code == "user"
    assert not r.target.known and not r.bounds.known
    assert any("contradict" in n["en"] for n in r.notes)


def test_scoped_targets_and_partial_sdsn_matches_are_not_inherited():
    r = resolve([("8.1.1", "identical")], unit="% (annual growth)")
    assert r.direction.value == "higher" and not r.target.known
    assert "least developed countries" in r.notes[0]["en"]
    p = resolve([("5.5.1", "identical")], unit="%")  # SDSN: national parliaments only
    assert not p.bounds.known and any("part of" in n["en"] for n in p.notes)


def test_sdsn_edition_preference():
    r = resolve([("3.6.1", "identical")], unit="per 100,000 population", sdsn_editions=("2018",))
    b = r.bounds.value
    assert b.edition == "2018" and b.green is None and b.optimum == pytest.approx(3.18)
    assert r.bounds.origin.source == "SDSN SDG Index 2018 workbook, bounds recovered"


def test_a_band_direction_brings_its_band():
    r = resolve([("4.5.1", "identical")], unit="Ratio")
    assert r.direction.value == "band" and (r.band.low, r.band.high) == (0.97, 1.03)
    assert not r.claims_allowed  # neither more nor less is an improvement


def test_review_model_links_are_accepted_and_bad_grades_refused():
    link = SdgLink(indicator="LJ-03-01", target="3.1", sdg_indicator="3.1.1", grade="adapted")
    assert resolve([link], unit="per 100,000 live births").target.origin.grade == "adapted"
    with pytest.raises(ValueError, match="grade"):
        resolve([("3.1.1", "similar")])
    with pytest.raises(ValueError, match="direction"):
        resolve([], user=Stated(direction="positive"))


def test_short_sources():
    assert short_source("SDG target 3.1: “reduce”; SDSN …") == "SDG target 3.1"
    assert short_source("SDSN SDR 2025 codebook (sdg13_co2gcp, 'x'): lower") == "SDSN SDR 2025 codebook"
    assert short_source("UN SDG metadata 8.8.2 (ILO): the score …") == "UN SDG metadata 8.8.2"


_DIRECTED = [k.indicator for k in CURRENT if k.direction in ("higher", "lower")][:60]
stated = st.builds(
    Stated,
    direction=st.none() | st.sampled_from(["higher", "lower", "band"]),
    target_value=st.none() | st.floats(-1e6, 1e6, allow_nan=False),
    optimum=st.none() | st.floats(0, 100), lower_bound=st.none() | st.floats(100, 200),
)


@settings(max_examples=150, deadline=None)
@given(
    links=st.lists(st.tuples(st.sampled_from(_DIRECTED + ["17.3.1", "4.5.1"]), st.sampled_from(GRADES)), max_size=3),
    user=stated, publisher=stated, unit=st.sampled_from([None, "%", "PT", "Number", "per 100,000 population"]),
)
def test_precedence_and_grades_hold_for_any_input(links, user, publisher, unit):
    r = resolve(links, unit=unit, user=user, publisher=publisher)
    # direction: user > publisher > catalogue > unknown
    expect = "user" if user.direction else "publisher" if publisher.direction else None
    if expect:
        assert r.direction.origin.code == expect
    else:
        assert r.direction.origin.code in ("catalogue", "unknown")
        if r.direction.origin.code == "catalogue":
            assert r.direction.origin.grade != "contextual"
            assert r.direction.origin.to_confirm == (r.direction.origin.grade == "proxy")
        if not links or all(g == "contextual" for _, g in links):
            assert r.direction.value == "unknown"
    # target: user > publisher > catalogue (identical or adapted only, never contradicting)
    t_expect = "user" if user.target_value is not None else "publisher" if publisher.target_value is not None else None
    if t_expect:
        assert r.target.origin.code == t_expect
    elif r.target.known:
        assert r.target.origin.grade in ("identical", "adapted") and not r.target.value.scope
        assert r.target.value.implied_direction == r.direction.value
    # bounds: user (all of optimum and lower bound) > catalogue
    if user.optimum is not None and user.lower_bound is not None:
        assert r.bounds.origin.code == "user"
    elif r.bounds.known:
        assert r.bounds.origin.grade in ("identical", "adapted")
        assert r.bounds.value.direction == r.direction.value
    assert not (r.claims_allowed and r.direction_to_confirm)
    for lang in ("en", "zh-Hans"):
        for what, value in (("direction", r.direction), ("target", r.target), ("bounds", r.bounds)):
            assert value.origin.text(lang, what)


# --- the command ----------------------------------------------------------------------------


def run_vlr(capsys, monkeypatch, *args):
    from vlrkit.cli.main import run

    monkeypatch.setattr(sys, "argv", ["vlr", *args])
    monkeypatch.setenv("COLUMNS", "200")
    try:
        run()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_the_row_with_its_sources(capsys, monkeypatch):
    code, out, _ = run_vlr(capsys, monkeypatch, "sdg", "knowledge", "3.6.1", "--json")
    data = json.loads(out)
    assert code == 0 and data == json.loads(json.dumps(kn.knowledge("3.6.1").to_dict()))
    assert data["target_2030"]["year"] == 2020
    code, out, _ = run_vlr(capsys, monkeypatch, "sdg", "knowledge", "3.1.1")
    assert code == 0 and "less than 70 per 100,000 live births" in out and "sdg3_matmort" in out
    assert "[per_100000_live_births]" in out
    code, out, _ = run_vlr(capsys, monkeypatch, "sdg", "knowledge", "8.8.2", "--lang", "zh")
    assert code == 0 and "国际劳工组织" in out and sdg.indicator("8.8.2").title("zh")[:6] in out
    code, out, _ = run_vlr(capsys, monkeypatch, "sdg", "knowledge", "--json")
    assert json.loads(out) == kn.stats()
    code, _, err = run_vlr(capsys, monkeypatch, "sdg", "knowledge", "3.1")
    assert code == 2 and "not a global indicator" in err


def test_the_examples_in_the_docstrings_hold():
    import doctest

    from vlrkit.sdg import resolve as resolve_module
    from vlrkit.sdg import units

    for module in (kn, resolve_module, units):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
