"""Metadata forms (front matter, YAML, indicator-config, CSV key/value) and export from the store."""

from __future__ import annotations

import json

import pytest

from vlrkit import ingest, tidy
from vlrkit.formats.opensdg.writer import write_repository
from vlrkit.formats.sdmx import writer as sdmx_writer
from vlrkit.formats.sources import Member
from vlrkit.store import models as m
from vlrkit.store.imports import store_ingest
from vlrkit.store.queries import load_review


def test_every_metadata_form_is_read_and_later_forms_win():
    members = [
        Member("data/indicator_11-6-1.csv", b"Year,Units,Value\n2019,Tonnes,10\n2020,Tonnes,9\n"),
        Member("meta/11-6-1.md", b"---\nreporting_status: inprogress\ngraph_title: Waste\n"
                                 b"computation_units: Tonnes\n---\nSome *text*.\n"),
        Member("meta/11-6-1.yml", b"source_organisation_1: Sanitation Bureau\nsource_active_1: true\n"),
        Member("indicator-config/11-6-1.yml", b"reporting_status: complete\n"
                                              b"graph_target_lines:\n  - value: 5\n    label_content: 2030 goal\n"),
        Member("meta/11-6-1.csv", b"field,value\nnational_geographical_coverage,Lanjiang\n"),
    ]
    got = ingest.read_members(members)
    (ind,) = got.indicators
    assert ind.reporting_status == "complete" and ind.names["en"] == "Waste"
    assert ind.source == "Sanitation Bureau" and ind.coverage == "Lanjiang" and ind.unit == "Tonnes"
    assert ind.extra["page_content"].strip() == "Some *text*."
    (target,) = got.targets
    assert (target.indicator, target.value, target.year, target.note["en"]) == ("11.6.1", 5.0, 2030, "2030 goal")
    assert got.report.valid and got.observations.height == 2


def test_invalid_metadata_fields_are_reported_with_the_field():
    members = [
        Member("data/indicator_3-2-1.csv", b"Year,Value\n2019,10\n"),
        Member("meta/3-2-1.md", b"---\nreporting_status: done\nsdg_goal: 4\ndata_non_statistical: maybe\n"
                                b"graph_target_lines:\n  - value: soon\n---\n"),
        Member("meta/3-2-2.md", b"---\nreporting_status: [unclosed\n---\n"),
    ]
    got = ingest.read_members(members)
    fields = {(p.type, p.column) for p in got.report.problems}
    assert {("metadata-invalid", "reporting_status"), ("metadata-invalid", "sdg_goal"),
            ("metadata-invalid", "data_non_statistical"), ("metadata-invalid", "graph_target_lines"),
            ("metadata-unreadable", None)} <= fields
    unreadable = got.report.of_type("metadata-unreadable")[0]
    assert unreadable.file == "meta/3-2-2.md" and unreadable.message["zh-Hans"].startswith("无法读取元数据")
    assert got.observations.height == 1  # metadata problems do not block the data


@pytest.fixture
def la_in_store(db, la_ingest):
    entity = m.Entity.objects.create(code="la", names={"en": "Los Angeles"})
    m.Edition.objects.create(entity=entity, code="2024", year=2024, period_start=2015, period_end=2023)
    store_ingest(la_ingest, edition="2024", partial=True)
    return load_review("2024")


COLS = ["indicator", "period", "year", "value", "unit", "series", "breakdown", *tidy.DIMENSIONS, "obs_status"]


def _norm(frame):
    """The store keeps "no unit" as "" and "normal" status as A; a file read leaves them null."""
    import polars as pl

    return frame.with_columns(pl.col("unit").fill_null(""), pl.col("obs_status").fill_null("A")).select(COLS).sort(
        COLS, nulls_last=True)


@pytest.mark.django_db
def test_open_sdg_export_from_the_store_reimports_to_the_same_observations(la_in_store, la_ingest, tmp_path):
    obs = la_in_store.observations
    assert obs.height == la_ingest.observations.height
    write_repository(tmp_path, la_in_store.indicators, obs, la_in_store.targets)
    again = ingest.read(tmp_path)
    assert _norm(obs).equals(_norm(again.observations))
    assert _norm(obs).equals(_norm(la_ingest.observations))  # and the store kept what was read
    labels_a = sorted(json.dumps(json.loads(x), sort_keys=True) for x in obs["labels"])
    labels_b = sorted(json.dumps(json.loads(x), sort_keys=True) for x in again.observations["labels"])
    assert labels_a == labels_b


@pytest.mark.django_db
def test_sdmx_export_from_the_store_reads_back(la_in_store):
    out = sdmx_writer.to_csv(la_in_store.observations, entity="la")
    # the spending at 103 % of the budget is a judgement on an SDMX file: accepted, as a city would
    back = ingest.read_members([Member("la.csv", out)], accept=frozenset({"percentage-out-of-range"}))
    assert back.report.valid and back.observations.height == la_in_store.observations.height
    assert set(back.observations["entity"].unique().to_list()) == {"la"}
    assert _norm(la_in_store.observations).equals(_norm(back.observations))
