"""The UN SDG data structure (IAEG-SDGs ``SDG`` DSD, version 1.14) as vlrkit writes to it.

One home for what the SDG DSD says and how a review's series map onto it:

- :data:`DIMENSIONS` and :data:`ATTRIBUTES`: the DSD's components in its order, each with the
  code list that codes it (as the DSD 1.14 published in open-sdg/sdg-build names them; see
  NOTICE), and the attributes' assignment status and attachment;
- :func:`codes`: the codes of those code lists (package data ``data/sdg_codes.json``, built by
  :mod:`vlrkit.formats.sdmx.dsd_build`), and :func:`series_of` the SDG series codes of each
  global indicator (``data/sdg_series.csv``: the CL_SERIES codes and the indicators their
  names cite);
- :data:`UNIT_CODES`: vlrkit's normalised units (:mod:`vlrkit.sdg.units`) as a ``UNIT_MEASURE``
  code and a ``UNIT_MULT`` power of ten.

Codes that are not in the SDG code lists are written with the **local prefix**
:data:`LOCAL_PREFIX` (``_L_``, the convention national SDG DSDs use for national series, e.g.
Rwanda's ``_L_RW_010301_1``) and declared in a structure message beside the data
(:mod:`vlrkit.formats.sdmx.sdg`), so a statistics office can load both.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

__all__ = ["DSD_AGENCY", "DSD_ID", "DSD_VERSION", "DSD_REF", "DIMENSIONS", "ATTRIBUTES", "MANDATORY",
           "LOCAL_PREFIX", "UNIT_CODES", "TOTAL", "codes", "series_of", "indicators_of", "local_code",
           "DATA_DIR"]

DSD_AGENCY = "IAEG-SDGs"
DSD_ID = "SDG"
DSD_VERSION = "1.14"
DSD_REF = f"{DSD_AGENCY}:{DSD_ID}({DSD_VERSION})"
DATA_DIR = Path(__file__).parent / "data"
#: The code every breakdown dimension takes for "no breakdown".
TOTAL = "_T"
#: Prefix of a code that is not in the SDG code lists (a local series, a city, a district …).
LOCAL_PREFIX = "_L_"

#: The DSD's dimensions in order: (concept id, (code list agency, id, version)).
DIMENSIONS: tuple[tuple[str, tuple[str, str, str]], ...] = (
    ("FREQ", ("SDMX", "CL_FREQ", "2.0")),
    ("REPORTING_TYPE", ("IAEG-SDGs", "CL_REPORTING_TYPE", "1.0")),
    ("SERIES", ("IAEG-SDGs", "CL_SERIES", "1.14")),
    ("REF_AREA", ("IAEG-SDGs", "CL_AREA", "1.14")),
    ("SEX", ("IAEG-SDGs", "CL_SEX", "1.1")),
    ("AGE", ("IAEG-SDGs", "CL_AGE", "1.12")),
    ("URBANISATION", ("IAEG-SDGs", "CL_URBANISATION", "1.10")),
    ("INCOME_WEALTH_QUANTILE", ("IAEG-SDGs", "CL_QUANTILE", "1.1")),
    ("EDUCATION_LEV", ("IAEG-SDGs", "CL_EDUCATION_LEV", "1.10")),
    ("OCCUPATION", ("IAEG-SDGs", "CL_OCCUPATION", "1.8")),
    ("CUST_BREAKDOWN", ("IAEG-SDGs", "CL_CUST_BREAKDOWN", "1.14")),
    ("COMPOSITE_BREAKDOWN", ("IAEG-SDGs", "CL_COMP_BREAKDOWN", "1.14")),
    ("DISABILITY_STATUS", ("IAEG-SDGs", "CL_DISABILITY", "1.0")),
    ("ACTIVITY", ("IAEG-SDGs", "CL_ACTIVITY", "1.6")),
    ("PRODUCT", ("IAEG-SDGs", "CL_PRODUCT", "1.0")),
)
TIME_DIMENSION = "TIME_PERIOD"
#: Attributes: (id, mandatory, attached to the observation (True) or to the series key,
#: code list or None for free text).
ATTRIBUTES: tuple[tuple[str, bool, bool, tuple[str, str, str] | None], ...] = (
    ("OBS_STATUS", True, True, ("SDMX", "CL_OBS_STATUS", "2.1")),
    ("UNIT_MULT", True, True, ("SDMX", "CL_UNIT_MULT", "1.1")),
    ("UNIT_MEASURE", True, False, ("IAEG-SDGs", "CL_UNIT_MEASURE", "1.8")),
    ("BASE_PER", False, True, None),
    ("NATURE", False, True, ("IAEG-SDGs", "CL_NATURE", "1.0")),
    ("TIME_DETAIL", False, True, None),
    ("COMMENT_OBS", False, True, None),
    ("TIME_COVERAGE", False, True, None),
    ("UPPER_BOUND", False, True, None),
    ("LOWER_BOUND", False, True, None),
    ("SOURCE_DETAIL", False, True, None),
    ("COMMENT_TS", False, False, None),
    ("GEO_INFO_URL", False, False, None),
    ("GEO_INFO_TYPE", False, False, ("IAEG-SDGs", "CL_GEO_INFO_TYPE", "1.0")),
    ("CUST_BREAKDOWN_LB", False, False, None),
    ("DATA_LAST_UPDATE", False, False, None),
)
MANDATORY = tuple(a[0] for a in ATTRIBUTES if a[1])

#: vlrkit unit key (:func:`vlrkit.sdg.units.normalise_unit`) → (UNIT_MEASURE code, UNIT_MULT).
UNIT_CODES: dict[str, tuple[str, int]] = {
    "percent": ("PT", 0), "number": ("NUMBER", 0), "thousand": ("NUMBER", 3),
    "per_100": ("PER_100_POP", 0), "per_1000": ("PER_1000_POP", 0), "per_10000": ("PER_10000_POP", 0),
    "per_100000": ("PER_100000_POP", 0), "per_1000000": ("PER_1000000_POP", 0),
    "per_1000_live_births": ("PER_1000_LIVE_BIRTHS", 0), "per_100000_live_births": ("PER_100000_LIVE_BIRTHS", 0),
    "per_1000_uninfected": ("PER_1000_UNINFECTED_POP", 0), "per_100000_workers": ("PER_100000_WKRS_EMP", 0),
    "index": ("IX", 0), "score": ("SCORE", 0), "ratio": ("RO", 0), "ph": ("PH", 0),
    "usd": ("USD", 0), "usd_thousand": ("USD", 3), "usd_million": ("USD", 6), "usd_per_m3": ("USD_PER_M3", 0),
    "gbp": ("CUR_LCU", 0), "gbp_thousand": ("CUR_LCU", 3), "gbp_million": ("CUR_LCU", 6),
    "kzt_thousand": ("CUR_LCU", 3), "kzt_million": ("CUR_LCU", 6), "kzt_billion": ("CUR_LCU", 9),
    "tonnes": ("T", 0), "kilotonnes": ("T", 3), "million_tonnes": ("T", 6), "mt_co2e": ("TCO2E", 6),
    "tonnes_per_hectare": ("T_PER_HA", 0), "kg_per_usd": ("KG_PER_CON_USD", 0),
    "kg_co2e_per_usd_ppp": ("KG_CO2_PER_GDP_CON_PPP_USD", 0), "mj_per_usd_ppp": ("MJ_PER_GDP_CON_PPP_USD", 0),
    "litres_pure_alcohol": ("LITRES_PURE_ALCOHOL", 0), "watts_per_capita": ("W_PER_CAPITA", 0),
    "ug_per_m3": ("GPERM3", 0), "km2": ("KM2", 0), "hectares": ("HA", 0), "thousand_hectares": ("HA", 3),
    "million_hectares": ("HA", 6), "passenger_km": ("P_KM", 0), "tonne_km": ("T_KM", 0),
}

_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")


@cache
def _codes() -> dict[str, list[str]]:
    return json.loads((DATA_DIR / "sdg_codes.json").read_text(encoding="utf-8"))["codes"]


def codes(concept: str) -> frozenset[str]:
    """The codes of the SDG code list of a dimension or attribute (empty for free text)."""
    return frozenset(_codes().get(concept, ()))


@cache
def _series() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    by_indicator: dict[str, list[str]] = {}
    by_series: dict[str, tuple[str, ...]] = {}
    with (DATA_DIR / "sdg_series.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            inds = tuple(row["indicators"].split())
            by_series[row["series"]] = inds
            for i in inds:
                by_indicator.setdefault(i, []).append(row["series"])
    return {k: tuple(v) for k, v in by_indicator.items()}, by_series


def series_of(indicator: str) -> tuple[str, ...]:
    """The SDG series codes that serve a global indicator (``11.2.1`` → ``('SP_TRN_PUBL',)``)."""
    return _series()[0].get(indicator, ())


def indicators_of(series: str) -> tuple[str, ...]:
    """The global indicators an SDG series code serves (``VC_DSR_MORT`` → 1.5.1, 11.5.1, 13.1.1)."""
    return _series()[1].get(series, ())


def local_code(*parts: str) -> str:
    """A local code: :data:`LOCAL_PREFIX` and the parts as an SDMX id (``LJ-11-04`` →
    ``_L_LJ_11_04``)."""
    text = "_".join(_NOT_ID.sub("_", p).strip("_") for p in parts if p)
    return LOCAL_PREFIX + (text.upper() or "X")
