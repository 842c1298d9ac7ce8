"""Shared fixtures: a small hand-built review (plain data) and CLI helpers."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from vlrkit import tidy
from vlrkit.review import model as rm


def make_small_review(code: str = "2025") -> rm.Review:
    """A tiny but complete review: two indicators, a disaggregated series, every table filled."""
    obs = []
    for year, v in [(2015, 10.0), (2018, 12.5), (2021, 14.0), (2024, 15.5)]:
        obs.append({"entity": "tiny", "indicator": "T-1", "period": str(year), "year": year,
                    "value": v, "unit": "%", "series": "", "obs_status": "A", "source": "Stats",
                    "labels": "{}"})
        for sex, d in (("F", -1.0), ("M", 1.0)):
            obs.append({"entity": "tiny", "indicator": "T-1", "period": str(year), "year": year,
                        "value": v + d, "unit": "%", "series": "", "SEX": sex,
                        "obs_status": "A", "source": "Stats",
                        "labels": json.dumps({"Sex": "Female" if sex == "F" else "Male"})})
    obs.append({"entity": "tiny", "indicator": "T-2", "period": "2020/21", "year": 2020,
                "value": 3.25, "unit": "t", "series": "a,b \"quoted\"", "obs_status": "E",
                "source": "", "labels": "{}", "import_id": "imp1", "file": "x.csv", "row": 7})
    frame = tidy.conform(pl.DataFrame(obs, schema_overrides={"year": pl.Int32, "value": pl.Float64}))
    return rm.Review(
        entity=rm.Entity("tiny", {"en": "Tiny Town", "zh-Hans": "小镇"}, "city", "CHN", 12000, 2020),
        edition=rm.Edition(code, 2025, 2015, 2024, ("zh-Hans", "en"), (11,), None,
                           {"en": "Tiny VLR", "zh-Hans": "小镇自愿地方审查"}, "draft", 2028),
        indicators=(
            rm.LocalIndicator("T-1", {"en": "Share, with comma", "zh-Hans": "比例"}, 11, "%",
                              "higher", "Stats office", "Bureau", "city", "city",
                              {"en": "Survey\nsecond line"}, ("SEX",), 1),
            rm.LocalIndicator("T-2", {"en": "Waste"}, 12, "t", "lower"),
        ),
        links=(rm.SdgLink("T-1", "11.2", "11.2.1", "adapted", {"en": "local definition"}),
               rm.SdgLink("T-2", "12.5", None, "proxy")),
        targets=(rm.Target("T-1", "local", 20.0, 2030), rm.Target("T-1", "national", 18.0, 2030, 2015)),
        thresholds=(rm.Thresholds("T-1", 25.0, 5.0, 18.0, 10.0),
                    rm.Thresholds("T-2", 0.0, 10.0, 2.0, 6.0)),
        observations=frame,
        narratives=(rm.Narrative("GE-1", "en", "# Opening\n\nThe mayor says *hello*."),
                    rm.Narrative("GE-1", "zh-Hans", "# 绪言\n\n市长致辞。")),
        stakeholders=(rm.Stakeholder("S1", {"en": "Youth club"}, "youth", ("youth",)),),
        engagements=(rm.Engagement("E1", {"en": "Workshop"}, date(2024, 5, 1), "workshop", 40,
                                   {"youth": 25, "women": 20}, ("S1",), (11,)),),
        contributions=(rm.Contribution("C1", "S1", date(2024, 5, 2), "en", "More buses, please",
                                       "E1", "GE-6", (11,), "accepted"),),
        actions=(rm.Action("A1", {"en": "Bus plan"}, "Transport bureau", date(2025, 12, 31),
                           "in_progress", ("11.2",), ("T-1",)),),
        code_labels=(rm.CodeLabel("GEO", "D1", {"en": "Old Town", "zh-Hans": "老城区"}),),
        imports=(rm.ImportRun("imp1", "x.csv", "2024-06-01T10:00:00+00:00",
                              "2024-06-01T10:00:01+00:00", "done", False, {"rows": 1}),),
    )


@pytest.fixture
def small_review() -> rm.Review:
    return make_small_review()
