"""The real corpus: every Open SDG repository as its publisher keeps it, with zero manual edits.

Each repository is read once per session (``corpus`` fixture).  ``vlr import`` (not --partial)
succeeds on a repository or fails only on true data errors; each error left is proven here from
the raw file, independently of the importer: a duplicate's two rows have the same cells but the
value (or are identical), a ragged row has another number of cells than the header, an SDMX
series without an indicator is absent from the publisher's DSD.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest

from vlrkit import ingest

DATA = Path(__file__).resolve().parents[1] / "data"
REPOS = {"la": DATA / "la", "uk-ons": DATA / "opensdg" / "uk-ons",
         "kazakhstan": DATA / "opensdg" / "kazakhstan", "rwanda": DATA / "opensdg" / "rwanda"}
#: The true data errors each repository holds, by type (the rows are proven one by one below).
TRUE_ERRORS = {
    "la": {"duplicate-observation": 10},
    "uk-ons": {"duplicate-observation": 76},
    "kazakhstan": {"duplicate-observation": 176, "ragged-row": 5},
    "rwanda": {"unknown-series": 4},
}


@pytest.fixture(scope="session")
def corpus() -> dict[str, ingest.Ingest]:
    return {name: ingest.read(path) for name, path in REPOS.items()}


def _rows(repo: str, name: str) -> list[list[str]]:
    """The file's lines as cells: the header first, then the data rows by their number (blank
    lines keep their number, as the report counts them)."""
    text = (REPOS[repo] / name).read_bytes().decode("utf-8-sig").lstrip("\r\n")
    return list(csv.reader(io.StringIO(text, newline=None)))


@pytest.mark.parametrize("repo", REPOS)
def test_only_true_data_errors_remain_and_each_is_proven(corpus, repo):
    got = corpus[repo]
    errors = [p for p in got.report.problems if p.severity == "error"]
    counts: dict[str, int] = {}
    for p in errors:
        counts[p.type] = counts.get(p.type, 0) + 1
    assert counts == TRUE_ERRORS[repo]
    dsd = next(REPOS[repo].glob("*DSD*.xml"), None)
    for p in errors:
        if p.type == "duplicate-observation":
            rows = _rows(repo, p.file)
            header = rows[0]
            first = p.message["en"].rsplit("row ", 1)[1]
            a, b = rows[int(first)], rows[p.row]
            value = [i for i, h in enumerate(header) if h.strip().lower() == "value"][0]
            same = [x.strip() for i, x in enumerate(a) if i != value] == [x.strip() for i, x in enumerate(b) if i != value]
            assert same, (p.file, p.row, a, b)
        elif p.type == "ragged-row":
            rows = _rows(repo, p.file)
            assert len(rows[p.row]) != len(rows[0]), (p.file, p.row)
        elif p.type == "unknown-series":
            series = p.message["en"].split("'")[1]
            assert dsd is not None and f'id="{series}"' not in dsd.read_text(encoding="utf-8")


@pytest.mark.parametrize("repo", REPOS)
def test_nothing_is_lost(corpus, repo):
    """Every row read is stored, set aside with its reason, or in a file the report names."""
    got = corpus[repo]
    s = got.summary()
    assert s["observations"] + s["rejected"] + s["placeholder_rows"] >= s["rows"] - sum(
        len(r.ragged) for r in got.raw.values())
    assert got.rejected.filter(pl.col("reasons").is_null()).is_empty()
    kept = s["observations"] / (s["observations"] + s["rejected"])
    assert kept >= 0.995


def test_uk_status_labels_periods_and_series_are_read(corpus):
    uk = corpus["uk-ons"]
    obs = uk.observations
    assert not uk.report.of_type("bad-obs-status") and not uk.report.of_type("bad-period")
    statuses = set(obs["obs_status"].drop_nulls().unique().to_list())
    assert {"A", "D", "E", "M", "Q", "U"} <= statuses  # "Normal value", "Definition differs" …
    undefined = obs.filter(pl.col("labels").str.contains('"Observation status": "Undefined"', literal=True)
                           & pl.col("value").is_not_null())
    assert undefined.height and undefined["obs_status"].is_null().all()  # kept as said, not called normal
    assert {"2013/16", "2010 to 2011", "2001-2005"} <= set(obs["period"].to_list())
    mm = obs.filter(pl.col("indicator") == "3.1.1")
    assert set(mm.select("series", "unit").unique().rows()) >= {
        ("Maternal mortality ratio", "Rate per 100,000 live births"),
        ("Maternal mortality rate", "Rate per 100,000 maternities")}
    # a file that starts with a blank line is read like sdg-build reads it
    assert obs.filter(pl.col("indicator") == "3.3.5").height == 246


def test_uk_metadata_gives_titles_grades_and_the_headline_selection(corpus):
    inds = {i.code: i for i in corpus["uk-ons"].indicators}
    assert inds["11.1.1"].names["en"].startswith("Percentage of dwellings or households failing")
    links = {lk.indicator: lk for lk in corpus["uk-ons"].links}
    assert links["11.1.1"].grade == "proxy" and "to review" in links["11.1.1"].reason["en"]
    assert "archived-1-a-1" in inds and links["archived-1-a-1"].grade == "contextual"
    start = json.loads(inds["11.3.1"].extra["data_start_values"])  # what the publisher shows first
    assert start[0] == {"field": "Series", "value": "Ratio of land consumption rate to population growth rate"}


def test_kazakhstan_codes_units_regions_and_translations(corpus):
    kz = corpus["kazakhstan"]
    obs = kz.observations
    pov = obs.filter(pl.col("indicator") == "1.2.1")
    assert set(pov["unit"].unique().to_list()) == {"PT"}  # UNIT_MEASURE is the unit
    assert pov["GEO"].drop_nulls().str.starts_with("KZ").all()  # REF_AREA: the regions
    ind = {i.code: i for i in kz.indicators}["1.2.1"]
    assert {"ru", "kk", "en"} <= set(ind.names) and ind.names["ru"].startswith("Доля населения")
    labels = {(c.dimension, c.code): c.names for c in kz.code_labels}
    assert labels[("UNIT_MEASURE", "PT")]["ru"] == "процент"
    assert "ru" in labels[("GEO", "KZAKM")]  # regions named in Russian, Kazakh, English
    assert not kz.report.of_type("empty-file")  # header-only files: no data yet, a warning
    assert len(kz.report.of_type("no-data-yet")) >= 60


def test_rwanda_sdmx_against_its_own_dsd(corpus):
    rw = corpus["rwanda"]
    obs = rw.observations
    pov = obs.filter(pl.col("indicator") == "1.1.1")
    assert set(pov["series"].unique().to_list()) == {"SI_POV_DAY1"} and set(pov["unit"].to_list()) == {"PT"}
    districts = obs.filter(pl.col("GEO").is_not_null())
    assert districts.height and "RW" not in districts["GEO"].to_list()  # the nation is the headline
    assert not rw.report.of_type("several-areas") and not rw.report.of_type("empty-file")
    names = {(c.dimension, c.code): c.names for c in rw.code_labels}
    assert names[("GEO", "12")]["en"] == "Gasabo"
    ignored = {p.file for p in rw.report.of_type("ignored-file")}
    assert ignored == {"data/2025_RW-SDG_Data.xlsx"}  # no input of the configuration reads it
    gdp = {i.code: i for i in rw.indicators}["GDP1"]
    assert gdp.goal == 0 and rw.report.of_type("metadata-invalid")  # no goal: said, not guessed


@pytest.mark.django_db
def test_import_succeeds_or_fails_only_on_the_true_errors(corpus):
    from vlrkit.store import models as m
    from vlrkit.store.imports import ImportRefused, store_ingest

    entity = m.Entity.objects.create(code="RW", names={"en": "Rwanda"}, level="region")
    m.Edition.objects.create(entity=entity, code="2025", year=2025, period_start=2015, period_end=2025)
    with pytest.raises(ImportRefused) as refused:
        store_ingest(corpus["rwanda"], edition="2025")
    assert refused.value.errors == sum(TRUE_ERRORS["rwanda"].values())
    assert not m.Observation.objects.exists()  # all or nothing
    done = store_ingest(corpus["rwanda"], edition="2025", partial=True)
    assert done.counts["created"] == corpus["rwanda"].observations.height
    assert m.CodeLabel.objects.filter(dimension="GEO", code="12").exists()
