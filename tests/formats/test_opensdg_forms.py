"""Open SDG repositories in the forms publishers use beyond the corpus (a city's CSV metadata with
a mapping file, localised and regional ids, a national hub's Open SDG 2.x configuration in
German), written here in the shape of those repositories — no one's data copied."""

from __future__ import annotations

import json

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vlrkit import ingest, tidy
from vlrkit.formats.opensdg.writer import write_repository
from vlrkit.formats.sources import Member

CITY_CONFIG = b"""languages:
  - en
src_dir: ''
inputs:
  - class: InputCsvData
    path_pattern: data/*-*.csv
  - class: InputYamlMdMeta
    path_pattern: global-meta/*-*.md
  - class: InputCsvMeta
    path_pattern: csv-meta/*-*.csv
    metadata_mapping: 'metadata-mapping.csv'
"""
MAPPING = b"""Indicator available,indicator_available
Unit of measurement,computation_units
Non-statistical indicator,data_non_statistical
Reporting status,reporting_status
Source 1 organisation,source_organisation_1
"""


def _city() -> list[Member]:
    return [
        Member("config_data.yml", CITY_CONFIG),
        Member("metadata-mapping.csv", MAPPING),
        Member("data/indicator_11-1-1.csv", b"Year,Units,Value\n2018,Rough sleepers count ,82\n2019,Rough sleepers count ,98\n"
                                             b"2018,Households assessed homeless,1722\n2019,Households assessed homeless,2089\n"),
        Member("data/indicator_11-1-1-a.csv", b"Year,Value\n2000 - 02,5.4\n2003,n/a\n2004,6.6\n"),
        Member("data/indicator_12-12.csv", b"Year,Ward,Value\n2019,Ashley,3\n2019,Bedminster,4\n"),
        Member("data/1.5.1.csv", b"Year,Value\n2019,1\n"),
        Member("global-meta/11-1-1.md", b"---\nindicator_name: global_indicators.11-1-1-title\n---\n"),
        Member("csv-meta/11-1-1-a.csv", b"National metadata,\nIndicator available,Affordability of home ownership\n"
                                         b"Unit of measurement,Ratio - house price to earnings\n"
                                         b"Non-statistical indicator,N\nReporting status,complete\n"
                                         b"Source 1 organisation,Land Registry\nUnmapped label,kept too\n"),
        Member("csv-meta/12-12.csv", b"Indicator available,Recycling points per ward\nReporting status,complete\n"),
    ]


def test_a_city_repository_with_csv_metadata_and_its_own_ids():
    got = ingest.read_members(_city())
    assert got.report.valid, [p.to_dict() for p in got.report.problems if p.severity == "error"]
    inds = {i.code: i for i in got.indicators}
    a = inds["11.1.1.a"]
    assert a.names == {"en": "Affordability of home ownership"} and a.unit == "Ratio - house price to earnings"
    assert a.source == "Land Registry" and a.extra["Unmapped label"] == "kept too"
    assert inds["12.12"].goal == 12 and inds["12.12"].names["en"] == "Recycling points per ward"
    links = {lk.indicator: lk for lk in got.links}
    assert links["11.1.1.a"].sdg_indicator == "11.1.1" and links["11.1.1.a"].grade == "adapted"
    assert "12.12" not in links  # a regional indicator of its own: no global link, no guess
    # the global title comes from the catalogue through the translation key
    assert inds["11.1.1"].names["en"].startswith("Proportion of urban population living in slums")
    obs = got.observations
    # the two "units" of 11.1.1 are two series of their own: never one figure
    homeless = obs.filter(pl.col("indicator") == "11.1.1")
    assert set(homeless["unit"].to_list()) == {"Rough sleepers count", "Households assessed homeless"}
    a_rows = obs.filter(pl.col("indicator") == "11.1.1.a").sort("row")
    assert a_rows["period"].to_list() == ["2000 - 02", "2003", "2004"] and a_rows["value"].to_list() == [5.4, None, 6.6]
    assert a_rows["obs_status"].to_list()[1] == "M" and json.loads(a_rows["labels"][1])["Value"] == "n/a"
    wards = obs.filter(pl.col("indicator") == "12.12")
    assert set(wards["GEO"].to_list()) == {"Ashley", "Bedminster"}
    ignored = {p.file: p.message["en"] for p in got.report.of_type("ignored-file")}
    assert "data/*-*.csv" in ignored["data/1.5.1.csv"]  # sdg-build's file-name rule, said


HUB_CONFIG = b"""languages:
  - de
  - en
translations:
  - class: TranslationInputYaml
    source: translations
"""
HUB_META = """---
indicator_name: Anteil der Bevölkerung unter der Armutsgrenze
indicator_number: 1.2.1
computation_units: Prozent
progress_calculation_options:
  - direction: negative
    target: 10
    series: Insgesamt
graph_target_lines:
  - value: 10
    year: 2030
    series: Insgesamt
  - value: 12
    year: 2030
    series: Insgesamt
---
"""


def test_a_national_hub_s_open_sdg_2_configuration_in_german():
    got = ingest.read_members([
        Member("config_data.yml", HUB_CONFIG),
        Member("translations/de/global_indicators.yml", b"1-2-1-title: Anteil (global)\n"),
        Member("data/indicator_1-2-1.csv", b"Year,Series,Value\n2015,Insgesamt,16\n2020,Insgesamt,14\n"),
        Member("meta/1-2-1.md", HUB_META.encode()),
    ])
    (ind,) = got.indicators
    assert ind.names == {"de": "Anteil der Bevölkerung unter der Armutsgrenze"}  # German, labelled German
    assert ind.direction == "lower" and ind.extra["direction_origin"] == "publisher"
    # two target lines for one series and year: the first is used, the other reported, no crash
    assert [(t.value, t.year, t.series) for t in got.targets] == [(10.0, 2030, "Insgesamt")]
    (conflict,) = [p for p in got.report.of_type("metadata-invalid") if "two targets" in p.message["en"]]
    assert "the first listed (10) is used" in conflict.message["en"] and conflict.severity == "warning"


def test_no_direction_in_the_metadata_is_unknown_never_higher():
    got = ingest.read_members([Member("data/indicator_3-2-1.csv", b"Year,Value\n2015,10\n2020,8\n")])
    assert got.indicators[0].direction == "unknown"


_LABEL = st.text(alphabet=st.characters(whitelist_categories=("L", "N"), whitelist_characters=" -"),
                 min_size=1, max_size=12).map(str.strip).filter(bool)
_PERIODS = st.sampled_from(["2015", "2015/16", "2012-14", "2000 - 02", "2010 to 2011", "2020-Q1", "1993 01",
                            "2019/20 [Note 5]", "2001-2005 (baseline)"])
_VALUES = st.one_of(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: repr(round(v, 3))),
                    st.sampled_from(["", "n/a", "..", "x", "-"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extra=st.lists(_LABEL, min_size=1, max_size=3, unique=True),
       rows=st.lists(st.tuples(_PERIODS, st.lists(_LABEL, min_size=3, max_size=3), _VALUES), min_size=1, max_size=12))
def test_any_open_sdg_csv_round_trips_with_every_row_and_label(tmp_path_factory, extra, rows):
    extra = [f"Col {c}" for c in extra]
    header = ["Year", *extra, "Units", "Value"]
    lines = [",".join(header)]
    seen = set()
    for period, labels, value in rows:
        cells = [period, *labels[: len(extra)], "Number", value]
        key = tuple(cells[:-1])
        if key in seen:
            continue
        seen.add(key)
        lines.append(",".join(cells))
    data = ("\n".join(lines) + "\n").encode()
    first = ingest.read_members([Member("data/indicator_16-1-1.csv", data)])
    assert first.report.errors == 0
    assert first.observations.height == len(lines) - 1  # every row, missing ones included
    out = tmp_path_factory.mktemp("rt")
    write_repository(out, first.indicators, first.observations, first.targets)
    again = ingest.read(out)
    cols = ["indicator", "period", "year", "value", "unit", "series", "breakdown", *tidy.DIMENSIONS, "obs_status"]
    a = first.observations.select(cols).sort(cols, nulls_last=True)
    b = again.observations.select(cols).sort(cols, nulls_last=True)
    assert a.equals(b)
    labels = lambda f: sorted(json.dumps(json.loads(x), sort_keys=True) for x in f["labels"])  # noqa: E731
    assert labels(first.observations) == labels(again.observations)
