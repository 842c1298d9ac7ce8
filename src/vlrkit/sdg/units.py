"""Units of measure, normalised: ``"Percentage (%)"``, ``"PT"`` and ``"percent"`` are one unit.

Publishers write units in many ways (the ``Units`` / ``Unit measure`` columns of Open SDG data,
SDMX ``UNIT_MEASURE`` codes, free text).  :func:`normalise_unit` maps a spelling to a short
stable key (``percent``, ``per_100000``, ``per_1000_live_births``, ``usd_million``…) so that two
series, or a series and a global indicator, can be compared by unit.  A spelling that names no
recognisable unit (``"Total by Gender"``, ``"Maternal Mortality Rate"``) gives ``None``: the unit
is unknown, never guessed.

    >>> normalise_unit("Rate per 100,000 population"), normalise_unit("PER_100000_POP")
    ('per_100000', 'per_100000')
    >>> normalise_unit("Percentage (%)"), normalise_unit("PT"), normalise_unit("Total by Gender")
    ('percent', 'percent', None)

The keys are vlrkit's own; :data:`UNIT_LABELS` gives a label for each in en and zh-Hans.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["UNIT_LABELS", "EXTENSIVE", "SCALES", "PER_CAPITA", "Conversion", "normalise_unit", "same_unit",
           "unit_label", "is_extensive", "conversion", "per_capita"]

#: Every key :func:`normalise_unit` returns, with a label in en and zh-Hans.
UNIT_LABELS: Mapping[str, Mapping[str, str]] = {
    "percent": {"en": "%", "zh-Hans": "%"},
    "percent_change": {"en": "% change from a baseline", "zh-Hans": "较基期变化 %"},
    "growth_percent": {"en": "% annual growth", "zh-Hans": "年增长率 %"},
    "per_100": {"en": "per 100 population", "zh-Hans": "每百人"},
    "per_1000": {"en": "per 1,000 population", "zh-Hans": "每千人"},
    "per_10000": {"en": "per 10,000 population", "zh-Hans": "每万人"},
    "per_100000": {"en": "per 100,000 population", "zh-Hans": "每十万人"},
    "per_1000000": {"en": "per million population", "zh-Hans": "每百万人"},
    "per_1000_live_births": {"en": "per 1,000 live births", "zh-Hans": "每千例活产"},
    "per_100000_live_births": {"en": "per 100,000 live births", "zh-Hans": "每十万例活产"},
    "per_100000_maternities": {"en": "per 100,000 maternities", "zh-Hans": "每十万次分娩"},
    "per_1000_uninfected": {"en": "per 1,000 uninfected population", "zh-Hans": "每千名未感染者"},
    "per_1000_women": {"en": "per 1,000 women in the age group", "zh-Hans": "每千名该年龄组女性"},
    "per_100000_adults": {"en": "per 100,000 adults", "zh-Hans": "每十万成年人"},
    "per_100000_workers": {"en": "per 100,000 workers", "zh-Hans": "每十万名工人"},
    "per_1000_employees": {"en": "per 1,000 employees", "zh-Hans": "每千名雇员"},
    "number": {"en": "number", "zh-Hans": "数量"},
    "thousand": {"en": "thousands", "zh-Hans": "千"},
    "number_per_km2": {"en": "number per km²", "zh-Hans": "每平方公里数量"},
    "index": {"en": "index", "zh-Hans": "指数"},
    "score": {"en": "score", "zh-Hans": "得分"},
    "ratio": {"en": "ratio", "zh-Hans": "比率"},
    "level": {"en": "level (category)", "zh-Hans": "等级（类别）"},
    "ph": {"en": "pH", "zh-Hans": "pH"},
    "years": {"en": "years", "zh-Hans": "年"},
    "usd": {"en": "US dollars", "zh-Hans": "美元"},
    "usd_thousand": {"en": "thousand US dollars", "zh-Hans": "千美元"},
    "usd_million": {"en": "million US dollars", "zh-Hans": "百万美元"},
    "usd_per_capita": {"en": "US dollars per capita", "zh-Hans": "人均美元"},
    "usd_per_m3": {"en": "US dollars per m³", "zh-Hans": "美元/立方米"},
    "ppp_usd": {"en": "international dollars (PPP)", "zh-Hans": "国际元（购买力平价）"},
    "ppp_usd_per_labour_unit": {"en": "international dollars (PPP) per labour unit", "zh-Hans": "每劳动单位国际元（购买力平价）"},
    "currency_per_hour": {"en": "local currency per hour", "zh-Hans": "本币/小时"},
    "gbp": {"en": "pounds sterling", "zh-Hans": "英镑"},
    "gbp_thousand": {"en": "thousand pounds sterling", "zh-Hans": "千英镑"},
    "gbp_million": {"en": "million pounds sterling", "zh-Hans": "百万英镑"},
    "gbp_per_capita": {"en": "pounds sterling per capita", "zh-Hans": "人均英镑"},
    "kzt_thousand": {"en": "thousand tenge", "zh-Hans": "千坚戈"},
    "kzt_million": {"en": "million tenge", "zh-Hans": "百万坚戈"},
    "kzt_billion": {"en": "billion tenge", "zh-Hans": "十亿坚戈"},
    "tonnes": {"en": "tonnes", "zh-Hans": "吨"},
    "kilotonnes": {"en": "kilotonnes", "zh-Hans": "千吨"},
    "million_tonnes": {"en": "million tonnes", "zh-Hans": "百万吨"},
    "mt_co2e": {"en": "million tonnes CO₂ equivalent", "zh-Hans": "百万吨二氧化碳当量"},
    "t_co2e_per_capita": {"en": "tonnes CO₂ equivalent per capita", "zh-Hans": "人均吨二氧化碳当量"},
    "kg_co2e_per_usd_ppp": {"en": "kg CO₂ equivalent per international dollar", "zh-Hans": "每国际元千克二氧化碳当量"},
    "tonnes_per_capita": {"en": "tonnes per capita", "zh-Hans": "人均吨"},
    "tonnes_per_hectare": {"en": "tonnes per hectare", "zh-Hans": "吨/公顷"},
    "tonnes_per_gbp_million": {"en": "tonnes per million pounds", "zh-Hans": "吨/百万英镑"},
    "tonnes_per_usd_million": {"en": "tonnes per million US dollars", "zh-Hans": "吨/百万美元"},
    "kg_per_capita": {"en": "kg per capita", "zh-Hans": "人均千克"},
    "kg_per_usd": {"en": "kg per US dollar", "zh-Hans": "千克/美元"},
    "litres_pure_alcohol": {"en": "litres of pure alcohol per capita", "zh-Hans": "人均纯酒精升数"},
    "watts_per_capita": {"en": "watts per capita", "zh-Hans": "人均瓦"},
    "mw": {"en": "megawatts", "zh-Hans": "兆瓦"},
    "mj_per_usd_ppp": {"en": "MJ per international dollar of GDP", "zh-Hans": "每国际元 GDP 兆焦"},
    "tj_per_gbp_million": {"en": "terajoules per million pounds", "zh-Hans": "太焦/百万英镑"},
    "ug_per_m3": {"en": "µg/m³", "zh-Hans": "微克/立方米"},
    "mg_per_m3": {"en": "mg/m³", "zh-Hans": "毫克/立方米"},
    "m2": {"en": "m²", "zh-Hans": "平方米"},
    "km2": {"en": "km²", "zh-Hans": "平方公里"},
    "hectares": {"en": "hectares", "zh-Hans": "公顷"},
    "thousand_hectares": {"en": "thousand hectares", "zh-Hans": "千公顷"},
    "million_hectares": {"en": "million hectares", "zh-Hans": "百万公顷"},
    "million_m3": {"en": "million m³", "zh-Hans": "百万立方米"},
    "m3_per_kzt_thousand": {"en": "m³ per thousand tenge", "zh-Hans": "立方米/千坚戈"},
    "passenger_km": {"en": "passenger-km", "zh-Hans": "人公里"},
    "tonne_km": {"en": "tonne-km", "zh-Hans": "吨公里"},
}

# Exact spellings (after _clean): SDMX codes of the SDG data structure, their national variants,
# and plain words.  Patterns below catch the many "rate per N …" and "percentage …" forms.
_EXACT: Mapping[str, str] = {
    "pt": "percent", "%": "percent", "percent": "percent", "per cent": "percent",
    "percentage": "percent", "pc": "percent",
    "pt_prev_y": "growth_percent", "growth rate": "growth_percent", "rate of growth": "growth_percent",
    "number": "number", "num": "number", "units": "number", "unit": "number", "individuals": "number",
    "persons": "number", "people": "number", "count": "number", "median count": "number",
    "deaths": "number", "total deaths": "number", "injuries": "number",
    "th_units": "thousand", "th_people": "thousand", "thousands": "thousand",
    "ix": "index", "index": "index", "gini coefficient": "index",
    "score": "score", "ratio": "ratio", "ph": "ph", "years": "years", "yr": "years",
    "usd": "usd", "us dollars": "usd", "m_usd": "usd_million", "million usd": "usd_million",
    "usd_per_m3": "usd_per_m3", "gbp": "gbp", "th_tng": "kzt_thousand", "m_tng": "kzt_million",
    "млрд.тенге": "kzt_billion", "t": "tonnes", "tonnes": "tonnes", "metric tons": "tonnes",
    "tons": "tonnes", "kilotonnes": "kilotonnes", "m_t": "million_tonnes",
    "t_percap": "tonnes_per_capita", "tonnes per capita": "tonnes_per_capita",
    "kg_per_con_usd": "kg_per_usd", "kilograms per constant usd": "kg_per_usd",
    "kg per person": "kg_per_capita", "tonnes per hectare": "tonnes_per_hectare",
    "watts per capita": "watts_per_capita", "litres pure alcohol": "litres_pure_alcohol",
    "mw": "mw", "mj_per_gdp_con_ppp_usd": "mj_per_usd_ppp", "mg_cub_meter": "mg_per_m3",
    "sq_meter": "m2", "square km": "km2", "km2": "km2", "hectares": "hectares", "ha": "hectares",
    "th_ha": "thousand_hectares", "area (000s hectares)": "thousand_hectares",
    "million hectares": "million_hectares", "m_meter3": "million_m3",
    "meter3_th_tng": "m3_per_kzt_thousand", "тонн со2-экв/душу населения": "t_co2e_per_capita",
    "кг со2-экв/межд.доллар": "kg_co2e_per_usd_ppp",
}

_NUMBER_WORDS = {"hundred": "100", "thousand": "1000", "million": "1000000"}
# Denominators of "per N <denominator>", in the order they are tried.
_DENOMINATORS: tuple[tuple[str, str], ...] = (
    (r"live births?", "_live_births"),
    (r"maternities", "_maternities"),
    (r"uninfected", "_uninfected"),
    (r"women|females", "_women"),
    (r"adults?|adl", "_adults"),
    (r"workers", "_workers"),
    (r"employees|employed", "_employees"),
    (r"", ""),  # population, inhabitants, people or nothing
)
_RATE = re.compile(r"\bper[\s_]+(\d[\d,\s]*\d|\d|hundred|thousand|million)(?:[\s_]+(.*))?$")
_SDMX_RATE = re.compile(r"^(?:num_\w+_)?per_(\d+)_?(.*)$")


def _clean(text: str) -> str:
    s = text.replace("Â£", "£").replace("\u00a0", " ").strip().lower()
    s = re.sub(r"\s+", " ", s)
    return s


def _rate(number: str, rest: str) -> str | None:
    if re.search(r"dollar|usd|\$|gbp|£|pound|tonne|\btons?\b|yuan|\bcny\b|\brmb\b|元", rest):
        return None  # "per million dollars", "per 10 000 yuan" are not population rates
    n = _NUMBER_WORDS.get(number, re.sub(r"[,\s]", "", number))
    for pattern, suffix in _DENOMINATORS:
        if not pattern or re.search(rf"\b(?:{pattern})", rest):
            key = f"per_{n}{suffix}"
            return key if key in UNIT_LABELS else None
    return None  # pragma: no cover - the last denominator always matches


def _money(s: str) -> str | None:
    """Currency units: GBP (£), GBP (£ thousands), USD ($ Millions), Constant USD ($ thousands)…"""
    scale = "_million" if re.search(r"million|\$m\b|\(\$m", s) else "_thousand" if "thousand" in s else ""
    per_capita = "per capita" in s
    if "gbp" in s or "£" in s or "pounds sterling" in s:
        cur = "gbp"
    elif "usd" in s or "$" in s or "dollar" in s:
        cur = "usd"
    else:
        return None
    if per_capita:
        key = f"{cur}_per_capita"
    else:
        key = cur + scale
    return key if key in UNIT_LABELS else None


def normalise_unit(text: str | None) -> str | None:
    """The normalised key of a unit spelling (see :data:`UNIT_LABELS`), or ``None`` if the text
    names no unit vlrkit recognises."""
    if text is None:
        return None
    s = _clean(str(text))
    if not s:
        return None
    if s in _EXACT:
        return _EXACT[s]
    s = re.sub(r"\s*\((?:\d+ year average|3-year average)\)", "", s)  # qualifiers, not units
    if s in _EXACT:
        return _EXACT[s]
    m = _SDMX_RATE.match(s)
    if m and " " not in s:
        n, rest = m.groups()
        return _rate(n, rest.replace("_", " ") if rest not in ("pop", "") else "")
    if "growth" in s:
        return "growth_percent"
    if "change" in s and ("%" in s or "percent" in s):
        return "percent_change"
    # money and mass ratios before the generic "per N": "Tonnes per million GBP (£)"
    if re.search(r"^(?:tonnes|tons) per (?:million gbp|gdp \(millions of pounds\))", s):
        return "tonnes_per_gbp_million"
    if re.search(r"^tonnes per \$m\b", s):
        return "tonnes_per_usd_million"
    if s.startswith("terajoules per million pounds"):
        return "tj_per_gbp_million"
    if "co2" in s and ("mtco2e" in s or "million tonnes" in s):
        return "mt_co2e"
    if re.search(r"\b(?:metric )?(?:tonnes|tons) per millions? (?:of )?(?:current )?(?:dollars|usd|\$)", s):
        return "tonnes_per_usd_million"
    if re.search(r"\b(?:metric )?(?:tonnes|tons) per capita\b", s):
        return "tonnes_per_capita"
    m = _RATE.search(s)
    if m:
        return _rate(m.group(1), m.group(2) or "")
    if "%" in s or "percent" in s or "percentage" in s:
        return "percent"
    if re.search(r"\bkilogram(?:me)?s? per person\b|\bkg per (?:person|capita)\b", s):
        return "kg_per_capita"
    if re.search(r"\bkilotonnes\b", s):
        return "kilotonnes"
    if re.search(r"µg/m|μg/m|ug/m|micrograms? per cubic met", s):
        return "ug_per_m3"
    money = _money(s)
    if money:
        return money
    if re.fullmatch(r"number(?: of [\w\s]+)?", s):
        return "number"
    return None


def same_unit(a: str | None, b: str | None) -> bool:
    """Whether two unit spellings normalise to the same known key (unknown never matches)."""
    ka, kb = normalise_unit(a), normalise_unit(b)
    return ka is not None and ka == kb


#: Units of a *total* that grows with the size of the place (a count, an amount, an area): two
#: places are compared in them only per person, per area or as shares, never as they are.
EXTENSIVE = frozenset({
    "number", "thousand", "usd", "usd_thousand", "usd_million", "gbp", "gbp_thousand", "gbp_million",
    "kzt_thousand", "kzt_million", "kzt_billion", "tonnes", "kilotonnes", "million_tonnes", "mt_co2e", "mw",
    "m2", "km2", "hectares", "thousand_hectares", "million_hectares", "million_m3", "passenger_km", "tonne_km",
})


def is_extensive(text: str | None) -> bool:
    """Whether a unit spelling is a total's (:data:`EXTENSIVE`); an unknown unit is not claimed to be."""
    return normalise_unit(text) in EXTENSIVE


def unit_label(key: str, lang: str = "en") -> str:
    """The label of a normalised unit key in ``lang`` (``en`` or ``zh-Hans``)."""
    labels = UNIT_LABELS[key]
    return labels.get(lang, labels["en"])


# Conversions between units: only exact, definitional ones (a scale), never a rate that changes
# (currencies, prices, emission factors).  Each family lists its units' size in its first unit.
_SI = {"en": "a decimal multiple of the same unit (SI Brochure, 9th ed., 2019, §3)",
       "zh-Hans": "同一单位的十进倍数（《国际单位制》第 9 版，2019，§3）"}
_RATE_BASE = {"en": "the same rate on another population base (per N → per M: × M / N)",
              "zh-Hans": "同一比率换算为另一人口基数（每 N → 每 M：× M / N）"}
_AREA = {"en": "1 ha = 10⁴ m², 1 km² = 100 ha (SI Brochure, 9th ed., 2019, table 8)",
         "zh-Hans": "1 公顷 = 10⁴ 平方米，1 平方公里 = 100 公顷（《国际单位制》第 9 版，2019，表 8）"}
#: Unit families whose members differ only by a factor: family → ({key: size in the first key}, source).
SCALES: Mapping[str, tuple[Mapping[str, float], Mapping[str, str]]] = {
    "population-rate": ({"per_100": 1e-2, "per_1000": 1e-3, "per_10000": 1e-4, "per_100000": 1e-5,
                         "per_1000000": 1e-6}, _RATE_BASE),
    "live-birth-rate": ({"per_1000_live_births": 1e-3, "per_100000_live_births": 1e-5}, _RATE_BASE),
    "count": ({"number": 1.0, "thousand": 1e3}, _SI),
    "usd": ({"usd": 1.0, "usd_thousand": 1e3, "usd_million": 1e6}, _SI),
    "gbp": ({"gbp": 1.0, "gbp_thousand": 1e3, "gbp_million": 1e6}, _SI),
    "kzt": ({"kzt_thousand": 1e3, "kzt_million": 1e6, "kzt_billion": 1e9}, _SI),
    "mass": ({"tonnes": 1.0, "kilotonnes": 1e3, "million_tonnes": 1e6}, _SI),
    "area": ({"m2": 1.0, "hectares": 1e4, "thousand_hectares": 1e7, "million_hectares": 1e10, "km2": 1e6}, _AREA),
}


@dataclass(frozen=True)
class Conversion:
    """How a value in one unit is written in another: ``value × factor``, and why that holds."""

    source_unit: str
    unit: str
    factor: float
    source: Mapping[str, str]


def conversion(a: str | None, b: str | None) -> Conversion | None:
    """The exact conversion of unit spelling ``a`` into ``b`` (:data:`SCALES`), or None when
    vlrkit ships none (another currency, another denominator, an unknown unit)."""
    ka, kb = normalise_unit(a), normalise_unit(b)
    if ka is None or kb is None:
        return None
    for sizes, source in SCALES.values():
        if ka in sizes and kb in sizes:
            # a quantity: value × size(a) / size(b); a rate per N is the inverse (per 1,000 → per 100,000: × 100)
            factor = sizes[ka] / sizes[kb]
            return Conversion(ka, kb, factor, source)
    return None


_PER_PERSON = {"en": "divided by the population ({n:,}, {y})", "zh-Hans": "除以人口（{n:,}，{y} 年）"}
#: Totals that become a per-population unit when divided by the population: total key →
#: (per-population key, multiplier of value / population).
PER_CAPITA: Mapping[str, tuple[str, float]] = {
    "number": ("per_100000", 1e5), "thousand": ("per_100000", 1e8),
    "usd": ("usd_per_capita", 1.0), "usd_thousand": ("usd_per_capita", 1e3), "usd_million": ("usd_per_capita", 1e6),
    "gbp": ("gbp_per_capita", 1.0), "gbp_thousand": ("gbp_per_capita", 1e3), "gbp_million": ("gbp_per_capita", 1e6),
    "tonnes": ("tonnes_per_capita", 1.0), "kilotonnes": ("tonnes_per_capita", 1e3),
    "million_tonnes": ("tonnes_per_capita", 1e6), "mt_co2e": ("t_co2e_per_capita", 1e6),
}


def per_capita(unit: str | None, population: int | None, year: int | None = None) -> Conversion | None:
    """A total in ``unit`` as a per-population unit (:data:`PER_CAPITA`), dividing by
    ``population``; None when the unit is not such a total or the population is not known."""
    key = normalise_unit(unit)
    if key is None or key not in PER_CAPITA or not population or population <= 0:
        return None
    to, mult = PER_CAPITA[key]
    return Conversion(key, to, mult / population,
                      {k: t.format(n=population, y=year or "?") for k, t in _PER_PERSON.items()})
