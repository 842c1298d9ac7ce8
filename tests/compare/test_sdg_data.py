"""A country's series from SDMX in the SDG data structure — Rwanda's real file (NISR, as its
Open SDG platform publishes it for the UN Global SDG Database) — read as a national review."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - the project's own test data
from pathlib import Path

import polars as pl
import pytest

from vlrkit.compare import sdg_data, vertical
from vlrkit.compare.sources import SourceNotReadable
from vlrkit.demo import build_demo
from vlrkit.formats.sdmx import dsd

FILE = Path(__file__).resolve().parents[1] / "data" / "opensdg" / "rwanda" / "sdmx-data" / "2025_RWA-SDG_Data.xml"
TOTALS = {"_T", "_Z", "_X"}
DIMS = ("SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "DISABILITY_STATUS", "ACTIVITY")


def _raw_rw() -> dict[tuple, float]:
    """Every observation of REF_AREA RW in the file, read straight from the XML."""
    out = {}
    for series in ET.parse(FILE).getroot().iter("Series"):  # noqa: S314
        a = series.attrib
        if a.get("REF_AREA") != "RW":
            continue
        dims = tuple(None if a.get(d, "_T") in TOTALS else a[d] for d in DIMS)
        other = tuple(sorted((k, v) for k, v in a.items() if k in ("OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN",
                                                                  "PRODUCT") and v not in TOTALS))
        for obs in series.iter("Obs"):
            if obs.get("OBS_VALUE") not in (None, "", "NaN"):
                out[(a["SERIES"], a["UNIT_MEASURE"], obs.get("TIME_PERIOD"), dims, other)] = float(obs.get("OBS_VALUE"))
    return out


@pytest.fixture(scope="module")
def rwanda():
    return sdg_data.load(FILE, code="rwa", area="RW", country="RWA")


def test_every_observation_of_the_country_comes_from_the_file_and_no_other_area(rwanda):
    loaded, warnings = rwanda
    raw = _raw_rw()
    obs = loaded.review.observations.filter(pl.col("value").is_not_null())
    assert obs.height == len(raw)
    assert set(obs["entity"].unique()) == {"rwa"}
    got = {}
    for r in obs.iter_rows(named=True):
        dims = tuple(r[d] for d in DIMS)
        got_key = (r["indicator"], r["unit"], r["period"], dims)
        got.setdefault(got_key, []).append(r["value"])
    for (series, unit, period, dims, _), value in raw.items():
        assert value in got[(series, unit, period, dims)]
    other = sum(1 for s in ET.parse(FILE).getroot().iter("Series") if s.get("REF_AREA") != "RW"  # noqa: S314
                for _ in s.iter("Obs"))
    assert loaded.rejected == other > 0
    assert any("other areas" in w for w in warnings)


def test_each_series_is_linked_to_the_global_indicators_it_serves(rwanda):
    loaded, warnings = rwanda
    links = {}
    for lk in loaded.review.links:
        links.setdefault(lk.indicator, set()).add(lk.sdg_indicator)
        assert lk.grade == "identical" and lk.target == lk.sdg_indicator.rsplit(".", 1)[0]
    for ind in loaded.review.indicators:
        assert links.get(ind.code, set()) == set(dsd.indicators_of(ind.code))
        assert ind.direction == "unknown"  # never assumed
    unknown = [i.code for i in loaded.review.indicators if not dsd.indicators_of(i.code)]
    assert unknown and any(f"{len(unknown)} series not in the SDG series code list" in w for w in warnings)


def test_beside_the_demo_city_gaps_are_computed(rwanda):
    result = vertical.compare(build_demo(), rwanda[0].review)
    rows = [r for r in vertical.to_rows(result) if not r["left_out"]]
    assert result.counts()["pairs"] == len(rows) > 10
    for r in rows:
        assert r["national_indicator"] in dsd.series_of(r["sdg_indicator"])


def test_a_file_of_several_areas_needs_the_country_named():
    with pytest.raises(SourceNotReadable, match=r"36 areas in REF_AREA: RW \(2060 rows\)"):
        sdg_data.load(FILE, code="rwa")
    with pytest.raises(SourceNotReadable, match="no rows with REF_AREA 'RWA'"):
        sdg_data.load(FILE, code="rwa", area="RWA")
