"""A small hand-built review for the report tests (the demo review is used where it exists)."""

from __future__ import annotations

from datetime import date

import polars as pl

from vlrkit import tidy
from vlrkit.review import (
    Action,
    Contribution,
    Edition,
    Engagement,
    Entity,
    LocalIndicator,
    Narrative,
    Review,
    SdgLink,
    Stakeholder,
    Target,
)

PAYLOAD = (
    "Intro text.\n\n<script>alert('xss-script')</script>\n\n"
    "<img src=x onerror=\"alert('xss-img')\"> <a href=\"javascript:alert('xss-href')\">link</a>"
    " <b onmouseover=\"alert('xss-b')\">bold</b>\n\n"
    "<svg onload=\"alert('xss-svg')\"><circle r=1 /></svg>\n"
)


def _obs(rows: list[dict]) -> pl.DataFrame:
    for i, r in enumerate(rows, start=1):
        r.setdefault("entity", "DEMO")
        r.setdefault("period", str(r["year"]))
        r.setdefault("file", "data.csv")
        r.setdefault("row", i)
    return tidy.conform(pl.DataFrame(rows, infer_schema_length=None))


def sample_review(payload: bool = False) -> Review:
    rows: list[dict] = []
    for y, v in zip(range(2015, 2025), [12.0, 11.5, 11.0, 10.2, 9.8, 9.9, 9.1, 8.7, 8.2, 7.9], strict=True):
        rows.append({"indicator": "LJ-1-1", "year": y, "value": v, "unit": "%"})
        rows.append({"indicator": "LJ-1-1", "year": y, "value": v + 1.5, "unit": "%", "SEX": "F"})
        rows.append({"indicator": "LJ-1-1", "year": y, "value": v - 1.4, "unit": "%", "SEX": "M"})
    for y, v in zip(range(2016, 2025), [88, 89, 90, 91, 93, 94, 95, 96, 97], strict=True):
        rows.append({"indicator": "LJ-6-1", "year": y, "value": float(v), "unit": "%"})
    for y, v in zip(range(2015, 2025), [41, 40, 42, 44, 43, 45, 47, 46, 48, 50], strict=True):
        rows.append({"indicator": "LJ-11-1", "year": y, "value": float(v), "unit": "µg/m³"})
    rows.append({"indicator": "LJ-13-1", "year": 2024, "value": 5.2, "unit": "t"})
    inds = (
        LocalIndicator("LJ-1-1", {"en": "Poverty rate", "zh-Hans": "贫困发生率"}, 1, "%", "lower",
                       "Statistics Bureau", coverage="whole city", aggregation="city",
                       methodology={"en": "Household survey", "zh-Hans": "住户调查"},
                       dimensions=("SEX",)),
        LocalIndicator("LJ-6-1", {"en": "Safe drinking water", "zh-Hans": "安全饮用水覆盖率"}, 6, "%",
                       "higher", "Water Bureau", coverage="whole city", aggregation="district"),
        LocalIndicator("LJ-11-1", {"en": "PM2.5 concentration", "zh-Hans": "PM2.5 浓度"}, 11, "µg/m³",
                       "lower", "Ecology Bureau", coverage="urban area", aggregation="city"),
        LocalIndicator("LJ-13-1", {"en": "CO2 per person", "zh-Hans": "人均二氧化碳排放"}, 13, "t",
                       "lower", "Ecology Bureau"),
        LocalIndicator("LJ-17-1", {"en": "ODA received", "zh-Hans": "获得的官方发展援助"}, 17, "USD",
                       "higher", ""),
    )
    narr = [
        Narrative("GE-1", "en", "Our **vision** is a city where no one is left behind. We commit to the Decade of Action."),
        Narrative("GE-1", "zh-Hans", "我们的**愿景**是建设一座不让任何一个人掉队的城市。我们承诺在行动十年中采取行动。"),
        Narrative("GE-3", "en", PAYLOAD if payload else "The city has 3 million residents."),
        Narrative("GE-3", "zh-Hans", "本市常住人口三百万。"),
        Narrative("GE-6", "en", "Progress was analysed for all 17 goals."),
        Narrative("GE-6", "zh-Hans", "本报告分析了全部 17 个目标的进展。"),
        Narrative("GE-8", "en", "The next steps are set out below. [GE-8.4]"),
        Narrative("GE-8", "zh-Hans", "下一步行动如下。[GE-8.4]"),
    ]
    return Review(
        entity=Entity("DEMO", {"en": "Democity", "zh-Hans": "示范市"}, population=3_000_000,
                      population_year=2024),
        edition=Edition("DEMO-2025", 2025, 2015, 2024, title={"en": "Democity VLR 2025",
                                                              "zh-Hans": "示范市 2025 年自愿地方评估"},
                        priority_goals=(6, 11), next_review=2028),
        indicators=inds,
        links=(SdgLink("LJ-1-1", "1.2", "1.2.1", "adapted"), SdgLink("LJ-6-1", "6.1", "6.1.1"),
               SdgLink("LJ-11-1", "11.6", "11.6.2")),
        targets=(Target("LJ-1-1", "local", 5.0, 2030, baseline_year=2015),
                 Target("LJ-11-1", "national", 35.0, 2030)),
        observations=_obs(rows),
        narratives=tuple(narr),
        stakeholders=(Stakeholder("S1", {"en": "Youth League", "zh-Hans": "共青团"}, "youth", ("youth",)),
                      Stakeholder("S2", {"en": "Private person", "zh-Hans": "个人"}, "community", consent=False)),
        engagements=(Engagement("E1", {"en": "Youth workshop", "zh-Hans": "青年研讨会"}, date(2024, 5, 1),
                                participants=40, groups_reached={"youth": 35, "women": 20},
                                stakeholders=("S1",)),),
        contributions=(Contribution("C1", "S1", date(2024, 5, 2), "en", "More bike lanes, please.",
                                    status="accepted"),
                       Contribution("C2", "S2", date(2024, 5, 3), "en", "Rejected input.", status="rejected"),
                       Contribution("C3", "S2", date(2024, 5, 4), "en",
                                    "Accepted but anonymous <script>alert('xss-c')</script>.",
                                    status="accepted")),
        actions=(Action("A1", {"en": "Extend the metro", "zh-Hans": "延长地铁"}, "Transport Bureau",
                        date(2027, 12, 31), "in_progress", ("11.2",)),),
    )
