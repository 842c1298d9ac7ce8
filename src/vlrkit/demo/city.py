"""The fictional city of the demo: 澜江市 / Lanjiang, its districts, agencies and edition.

Lanjiang is invented.  It is drawn as a plausible prefecture-level city at the mouth of the
(equally fictional) Lan River on China's south-east coast: 3.26 million residents, an old
port and textile base turning to services and advanced manufacturing, a large migrant
workforce, a rural county in the hills, and a river that floods.  Every name, number and
person here is fictional.
"""

from __future__ import annotations

from vlrkit.review import Edition, Entity

ENTITY_CODE = "LANJIANG"
EDITION_CODE = "LJ-VLR-2025"

#: First and last year of the demo's observation data.
FIRST_YEAR = 2010
LAST_YEAR = 2024

ENTITY = Entity(
    code=ENTITY_CODE,
    names={"zh-Hans": "澜江市", "en": "Lanjiang"},
    level="city",
    country="CHN",
    population=3_260_000,
    population_year=2024,
)

EDITION = Edition(
    code=EDITION_CODE,
    year=2025,
    period_start=2015,
    period_end=LAST_YEAR,
    languages=("zh-Hans", "en"),
    priority_goals=(6, 8, 11, 13),
    previous=None,  # the 2021 progress report was not a full VLR and is not in the store
    title={
        "zh-Hans": "澜江市2025年落实2030年可持续发展议程地方自愿陈述",
        "en": "Lanjiang Voluntary Local Review 2025 on the 2030 Agenda for Sustainable Development",
    },
    status="in_review",
    next_review=2028,
)

#: The city's districts and county: GEO code → names and share of the resident population.
DISTRICTS: dict[str, dict[str, object]] = {
    "LJ01": {"zh-Hans": "老城区", "en": "Laocheng (Old Town) District", "share": 0.14},
    "LJ02": {"zh-Hans": "江北区", "en": "Jiangbei District", "share": 0.21},
    "LJ03": {"zh-Hans": "江南区", "en": "Jiangnan District", "share": 0.19},
    "LJ04": {"zh-Hans": "新港区", "en": "Xingang (New Port) District", "share": 0.18},
    "LJ05": {"zh-Hans": "滨湖区", "en": "Binhu District", "share": 0.15},
    "LJ06": {"zh-Hans": "青山县", "en": "Qingshan County", "share": 0.13},
}

#: Population shares used to keep group values consistent with the headline value.
SHARES: dict[str, dict[str, float]] = {
    "SEX": {"F": 0.49, "M": 0.51},
    "DISABILITY_STATUS": {"PD": 0.065, "PWD": 0.935},
    "MIGRATORY_STATUS": {"MIGRANT": 0.28, "NONMIGRANT": 0.72},
    "INCOME_WEALTH_QUANTILE": {q: 0.2 for q in ("Q1", "Q2", "Q3", "Q4", "Q5")},
    "GEO": {code: float(d["share"]) for code, d in DISTRICTS.items()},  # type: ignore[arg-type]
    "AGE": {
        "Y0T4": 0.05, "Y6T11": 0.06, "Y12T17": 0.05, "Y15T24": 0.10, "Y16T24": 0.09,
        "Y25T44": 0.33, "Y25T29": 0.08, "Y30T59": 0.44, "Y45T64": 0.27, "Y15T59": 0.66,
        "Y25T59": 0.55, "Y_GE60": 0.19, "Y_GE65": 0.13, "Y60T69": 0.11, "Y_GE70": 0.08,
    },
}

#: Agencies that produce or look after the data: code → names.
AGENCIES: dict[str, dict[str, str]] = {
    "STATS": {"zh-Hans": "澜江市统计局", "en": "Lanjiang Municipal Bureau of Statistics"},
    "CIVIL": {"zh-Hans": "澜江市民政局", "en": "Lanjiang Civil Affairs Bureau"},
    "HEALTH": {"zh-Hans": "澜江市卫生健康委员会", "en": "Lanjiang Health Commission"},
    "EDU": {"zh-Hans": "澜江市教育局", "en": "Lanjiang Education Bureau"},
    "HRSS": {"zh-Hans": "澜江市人力资源和社会保障局",
             "en": "Lanjiang Human Resources and Social Security Bureau"},
    "ECOENV": {"zh-Hans": "澜江市生态环境局", "en": "Lanjiang Ecology and Environment Bureau"},
    "WATER": {"zh-Hans": "澜江市水务局", "en": "Lanjiang Water Affairs Bureau"},
    "HOUSING": {"zh-Hans": "澜江市住房和城乡建设局",
                "en": "Lanjiang Housing and Urban-Rural Development Bureau"},
    "TRANSPORT": {"zh-Hans": "澜江市交通运输局", "en": "Lanjiang Transport Bureau"},
    "NATRES": {"zh-Hans": "澜江市自然资源和规划局",
               "en": "Lanjiang Natural Resources and Planning Bureau"},
    "AGRI": {"zh-Hans": "澜江市农业农村局", "en": "Lanjiang Agriculture and Rural Affairs Bureau"},
    "DEVREF": {"zh-Hans": "澜江市发展和改革委员会",
               "en": "Lanjiang Development and Reform Commission"},
    "FINANCE": {"zh-Hans": "澜江市财政局", "en": "Lanjiang Finance Bureau"},
    "PUBSEC": {"zh-Hans": "澜江市公安局", "en": "Lanjiang Public Security Bureau"},
    "EMERG": {"zh-Hans": "澜江市应急管理局", "en": "Lanjiang Emergency Management Bureau"},
    "WOMEN": {"zh-Hans": "澜江市妇女联合会", "en": "Lanjiang Women's Federation"},
    "DATA": {"zh-Hans": "澜江市大数据管理局", "en": "Lanjiang Big Data Administration"},
    "TOURISM": {"zh-Hans": "澜江市文化广电和旅游局",
                "en": "Lanjiang Culture, Radio, Television and Tourism Bureau"},
    "SURVEY": {"zh-Hans": "澜江大学社会调查中心",
               "en": "Lanjiang University Social Survey Centre"},
    "GOVSERV": {"zh-Hans": "澜江市政务服务管理局",
                "en": "Lanjiang Government Services Administration"},
    "OCEAN": {"zh-Hans": "澜江市海洋与渔业局", "en": "Lanjiang Ocean and Fisheries Bureau"},
    "FORESTRY": {"zh-Hans": "澜江市林业局", "en": "Lanjiang Forestry Bureau"},
    "DISAB": {"zh-Hans": "澜江市残疾人联合会",
              "en": "Lanjiang Disabled Persons' Federation"},
    "ECON": {"zh-Hans": "澜江市经济和信息化局",
             "en": "Lanjiang Economy and Information Technology Bureau"},
}

#: Coverage texts by key.
COVERAGE: dict[str, dict[str, str]] = {
    "city": {"zh-Hans": "澜江市全域（5个区和青山县）",
             "en": "Whole city (five districts and Qingshan County)"},
    "urban": {"zh-Hans": "澜江市城区（5个区）", "en": "Urban Lanjiang (five districts)"},
    "rural": {"zh-Hans": "青山县及各区涉农街镇", "en": "Qingshan County and rural townships"},
    "sea": {"zh-Hans": "澜江市管辖海域", "en": "Sea area under Lanjiang's jurisdiction"},
}


def bilingual(names: dict[str, str]) -> str:
    """One display string "中文 / English" for the plain-text metadata fields of the model."""
    return f"{names['zh-Hans']} / {names['en']}"
