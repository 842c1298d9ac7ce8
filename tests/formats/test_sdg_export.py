"""SDMX out conforming to the SDG DSD: validated with sdmx1 against the DSD shipped as test data
(tests/data/sdmx/sdg-dsd, sources in NOTICE), read back to the same observations."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
import sdmx

from vlrkit import tidy
from vlrkit.compare import sources
from vlrkit.demo import build_demo
from vlrkit.formats.sdmx import dsd, dsd_build, sdg

DATA = Path(__file__).resolve().parents[1] / "data"
DSD_FILE = DATA / "sdmx" / "sdg-dsd" / "SDG_DSD-1.14.xml"
KEY = ["indicator", "series", "unit", "period", "year", "value", "breakdown", *tidy.DIMENSIONS]


@pytest.fixture(scope="module")
def structure():
    return sdmx.read_sdmx(DSD_FILE).structure["SDG"]


@pytest.fixture(scope="module")
def demo():
    return build_demo()


@pytest.fixture(scope="module")
def la():
    return sources.load(DATA / "la", code="los-angeles").review


def validate(export: sdg.SdgExport, structure) -> int:
    """Every observation's dimensions and mandatory attributes coded: each code is in the SDG
    DSD's code list, or declared in the export's structure message (and then local: the
    ``_L_`` prefix, or an area the user named).  Returns the observations checked."""
    ext = sdmx.read_sdmx(io.BytesIO(export.structure))
    declared = {cid: {c.id for c in cl} for cid, cl in ext.codelist.items()}
    msg = sdmx.read_sdmx(io.BytesIO(export.data), format="csv", structure=structure)
    assert len(msg.data) == 1 and msg.data[0].structured_by is structure
    obs = msg.data[0].obs
    assert len(obs) == export.rows
    dims = [d for d in structure.dimensions if d.id != "TIME_PERIOD"]
    for o in obs:
        assert set(o.dimension.values) == {d.id for d in structure.dimensions}
        for d in dims:
            value = o.dimension.values[d.id].value
            cl = d.local_representation.enumerated
            if value not in cl:
                assert value in declared.get(cl.id, set()), (d.id, value)
                assert d.id == "REF_AREA" or value.startswith(dsd.LOCAL_PREFIX), (d.id, value)
        for a in structure.attributes:
            if a.usage_status.name == "mandatory":
                value = o.attached_attribute[a.id].value
                assert value, (a.id, o)
                cl = a.local_representation.enumerated
                assert value in cl or (value in declared.get(cl.id, set()) and value.startswith(dsd.LOCAL_PREFIX)), (a.id, value)
    return len(obs)


def test_the_demo_export_validates_against_the_sdg_dsd(demo, structure):
    e = sdg.export(demo, ref_area="CN_LJ")
    assert validate(e, structure) == demo.observations.height and not e.skipped
    head = e.data.decode().splitlines()[0].split(",")
    assert head[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert head[3:19] == [d.id for d in structure.dimensions]  # the DSD's order
    assert "IAEG-SDGs:SDG(1.14)" in e.data.decode().splitlines()[1]
    assert e.local_codes["REF_AREA"][0] == "CN_LJ"  # the user's code, declared


def test_los_angeles_export_validates_and_codes_global_series(la, structure):
    e = sdg.export(la, ref_area="USA_LOS_ANGELES")
    assert validate(e, structure) == la.observations.height - len(e.skipped)
    sdg_coded = [s for s in e.series if not s.local]
    assert len(sdg_coded) >= 20
    for s in sdg_coded:  # each SDG series code serves the global indicator the series is linked to
        linked = {lk.sdg_indicator for lk in la.links if lk.indicator == s.indicator}
        assert set(dsd.indicators_of(s.code)) & linked
    assert len({s.code for s in e.series}) == len(e.series)  # one code per series, never shared


def test_export_then_read_back_gives_the_same_observations(demo, la):
    for review, area in ((demo, "CN_LJ"), (la, "840_LA")):
        e = sdg.export(review, ref_area=area)
        back = sdg.read_back(e.data, e.structure, ref_area=area)
        skipped = {(i, p) for i, p, _ in e.skipped}
        orig = tidy.conform(review.observations).with_columns(pl.col("unit").fill_null(""))
        if skipped:
            drop = pl.DataFrame(sorted(skipped), schema=["indicator", "period"], orient="row")
            orig = orig.join(drop, on=["indicator", "period"], how="anti")
        a = orig.select(KEY).sort(KEY, nulls_last=True)
        b = back.with_columns(pl.col("unit").fill_null("")).select(KEY).sort(KEY, nulls_last=True)
        assert a.equals(b), review.entity.code
        given = orig.filter(pl.col("obs_status").is_not_null()).select([*KEY, "obs_status"]).sort(KEY, nulls_last=True)
        got = back.join(given.select(KEY), on=KEY, how="semi", nulls_equal=True).select([*KEY, "obs_status"]).sort(KEY, nulls_last=True)
        assert given["obs_status"].to_list() == got["obs_status"].to_list()


def test_no_ref_area_no_export(demo):
    with pytest.raises(sdg.RefAreaMissing, match="REF_AREA"):
        sdg.export(demo)
    with pytest.raises(ValueError, match="not an SDMX code"):
        sdg.export(demo, ref_area="Lan jiang!")
    set_ = replace(demo, entity=replace(demo.entity, ref_area="CN_LJ"))
    assert sdg.export(set_).ref_area == "CN_LJ"


def test_series_codes_say_why(demo):
    rules = {s.indicator: s for s in sdg.series_codes(demo)}
    linked: dict[str, set[str]] = {}
    for lk in demo.links:
        if lk.sdg_indicator and lk.grade in ("identical", "adapted"):
            linked.setdefault(lk.indicator, set()).add(lk.sdg_indicator)

    def candidates(code: str) -> set[str]:
        return {s for g in linked.get(code, ()) for s in dsd.series_of(g)}

    for code, s in rules.items():
        if s.rule == "sdg-series":  # the indicator's links name this one SDG series and no other
            assert candidates(code) == {s.code}
        elif s.rule == "local-ambiguous":
            assert len(candidates(code)) > 1 and s.code.startswith("_L_")
        elif s.rule == "local-no-link":
            assert code not in linked and s.code.startswith("_L_")
    assert {"sdg-series", "local-ambiguous"} <= {s.rule for s in rules.values()}


def test_unknown_units_become_declared_local_codes(demo, structure):
    obs = demo.observations.with_columns(
        pl.when(pl.col("indicator") == demo.indicators[0].code).then(pl.lit("widgets per hut"))
        .otherwise(pl.col("unit")).alias("unit"))
    e = sdg.export(replace(demo, observations=obs), ref_area="CN_LJ")
    assert "_L_U_WIDGETS_PER_HUT" in e.local_codes["UNIT_MEASURE"]
    validate(e, structure)


def test_the_shipped_code_lists_are_a_fresh_build():
    fresh = {k: sorted(v) for k, v in dsd_build.gather(DATA).items()}
    shipped = json.loads((dsd.DATA_DIR / "sdg_codes.json").read_text(encoding="utf-8"))["codes"]
    assert shipped == fresh
