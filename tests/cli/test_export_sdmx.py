"""``vlr ref-area`` and ``vlr export-sdmx``: refused without a REF_AREA, then an SDG DSD export
with its structure message that sdmx1 reads against the SDG DSD."""

from __future__ import annotations

import io
import json
from pathlib import Path

import sdmx
from tests.cli.test_cli import vlr

DSD_FILE = Path(__file__).resolve().parents[1] / "data" / "sdmx" / "sdg-dsd" / "SDG_DSD-1.14.xml"


def test_export_sdmx_needs_a_ref_area_and_then_validates(tmp_path):
    assert vlr("demo", "--db", "d.sqlite3", cwd=tmp_path).returncode == 0
    r = vlr("export-sdmx", "--db", "d.sqlite3", "--out", "sdg.csv", cwd=tmp_path)
    code, out, err = r.returncode, r.stdout, r.stderr
    assert code == 2 and "REF_AREA" in err and "Traceback" not in err + out
    assert not (tmp_path / "sdg.csv").exists()
    r = vlr("ref-area", "not a code!", "--db", "d.sqlite3", cwd=tmp_path)
    assert r.returncode == 2 and "not an SDMX code" in r.stderr
    assert vlr("ref-area", "CN_LJ", "--db", "d.sqlite3", cwd=tmp_path).returncode == 0
    r = vlr("export-sdmx", "--db", "d.sqlite3", "--out", "sdg.csv", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["ref_area"] == "CN_LJ" and info["dsd"] == "IAEG-SDGs:SDG(1.14)"
    assert any(s["rule"] == "sdg-series" and not s["code"].startswith("_L_") for s in info["series"])
    structure = sdmx.read_sdmx(DSD_FILE).structure["SDG"]
    msg = sdmx.read_sdmx(io.BytesIO((tmp_path / "sdg.csv").read_bytes()), format="csv", structure=structure)
    assert len(msg.data[0].obs) == info["rows"] > 0
    areas = {o.dimension.values["REF_AREA"].value for o in msg.data[0].obs}
    assert "CN_LJ" in areas and all(a == "CN_LJ" or a.startswith("CN_LJ_") for a in areas)  # the city, its districts
    declared = sdmx.read_sdmx(tmp_path / "sdg.structure.xml")
    assert areas == {c.id for c in declared.codelist["CL_AREA"]}  # every area not in the M49 list is declared
