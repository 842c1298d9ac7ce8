"""Build the SDG code lists vlrkit ships, and the SDG DSD test file, from their sources.

    python -m vlrkit.formats.sdmx.dsd_build tests/data

Reads

- the IAEG-SDGs and SDMX code lists (ACTIVITY, COMP_BREAKDOWN, CUST_BREAKDOWN, DISABILITY,
  EDUCATION_LEV, GEO_INFO_TYPE, NATURE, PRODUCT, QUANTILE, REPORTING_TYPE, SEX, URBANISATION,
  FREQ, OBS_STATUS, UNIT_MULT; OCCUPATION from its national copy) as Rwanda's SDG DSD
  (``opensdg/rwanda/RWA_2025_SDG DSD.xml``) carries them;
- AGE, UNIT_MEASURE and REF_AREA (the numeric M49 areas) as listed in
  brockfanning/sdg-dsd-translations (``sdmx/sdg-dsd/codes/*.yml``);
- the series codes of ``data/sdg_series.csv``;

and writes ``data/sdg_codes.json`` (the codes, by concept) and
``sdmx/sdg-dsd/SDG_DSD-1.14.xml``: a structure message holding the SDG DSD 1.14's components
as :mod:`vlrkit.formats.sdmx.dsd` lists them and those code lists, read by the tests with
sdmx1 to validate exports.  A build step: the run-time code only reads its output.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import sys
from pathlib import Path

import yaml

from vlrkit.formats.sdmx import dsd

#: Concept → code list id in Rwanda's DSD.
FROM_RWANDA = {
    "ACTIVITY": "CL_ACTIVITY", "COMPOSITE_BREAKDOWN": "CL_COMP_BREAKDOWN", "CUST_BREAKDOWN": "CL_CUST_BREAKDOWN",
    "DISABILITY_STATUS": "CL_DISABILITY", "EDUCATION_LEV": "CL_EDUCATION_LEV", "GEO_INFO_TYPE": "CL_GEO_INFO_TYPE",
    "NATURE": "CL_NATURE", "PRODUCT": "CL_PRODUCT", "INCOME_WEALTH_QUANTILE": "CL_QUANTILE",
    "REPORTING_TYPE": "CL_REPORTING_TYPE", "SEX": "CL_SEX", "URBANISATION": "CL_URBANISATION",
    "FREQ": "CL_FREQ", "OBS_STATUS": "CL_OBS_STATUS", "UNIT_MULT": "CL_UNIT_MULT", "OCCUPATION": "CL_OCCUPATION",
}
FROM_YAML = {"AGE": "AGE.yml", "UNIT_MEASURE": "UNIT_MEASURE.yml", "REF_AREA": "REF_AREA.yml"}


def _rwanda(path: Path) -> dict[str, dict[str, str]]:
    import sdmx

    logging.getLogger("sdmx").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        msg = sdmx.read_sdmx(io.BytesIO(path.read_bytes()))
    return {cid: {c.id: str(c.name.localizations.get("en", c.id)) for c in cl} for cid, cl in getattr(msg, "codelist", {}).items()}


def gather(tests_data: Path) -> dict[str, dict[str, str]]:
    """Concept → {code: English name}."""
    rw = _rwanda(tests_data / "opensdg" / "rwanda" / "RWA_2025_SDG DSD.xml")
    out = {concept: rw[cl] for concept, cl in FROM_RWANDA.items()}
    folder = tests_data / "sdmx" / "sdg-dsd" / "codes"
    for concept, name in FROM_YAML.items():
        doc = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        out[concept] = {str(k): str(v) for k, v in doc.items() if str(k) != concept}
    with (dsd.DATA_DIR / "sdg_series.csv").open(encoding="utf-8", newline="") as fh:
        out["SERIES"] = {r["series"]: f"[{r['indicators']}]" if r["indicators"] else r["series"]
                         for r in csv.DictReader(fh)}
    return out


def structure_message(lists: dict[str, dict[str, str]]):  # noqa: ANN201 - sdmx.message.StructureMessage
    """The SDG DSD with its code lists as an sdmx1 structure message."""
    from sdmx import message
    from sdmx.model import common, v21

    agencies: dict[str, common.Agency] = {}

    def agency(aid: str) -> common.Agency:
        return agencies.setdefault(aid, common.Agency(id=aid))

    msg = message.StructureMessage()
    scheme = common.ConceptScheme(id="SDG_CONCEPTS", version="1.0", maintainer=agency(dsd.DSD_AGENCY), is_final=True)
    cls: dict[str, common.Codelist] = {}

    def codelist(concept: str, ref: tuple[str, str, str]) -> common.Codelist:
        aid, cid, version = ref
        if cid not in cls:
            cl = common.Codelist(id=cid, version=version, maintainer=agency(aid), is_final=True)
            for code, name in sorted(lists.get(concept, {}).items()):
                cl.append(common.Code(id=code, name={"en": name}))
            cls[cid] = cl
            msg.add(cl)
        return cls[cid]

    def concept(cid: str) -> common.Concept:
        if cid not in scheme.items:
            scheme.append(common.Concept(id=cid, name={"en": cid}))
        return scheme[cid]

    structure = v21.DataStructureDefinition(id=dsd.DSD_ID, version=dsd.DSD_VERSION, maintainer=agency(dsd.DSD_AGENCY),
                                            is_final=True, name={"en": "SDG DSD"})
    dims = []
    for order, (cid, ref) in enumerate(dsd.DIMENSIONS, start=1):
        dims.append(structure.dimensions.getdefault(
            cid, cls=v21.Dimension, order=order, concept_identity=concept(cid),
            local_representation=common.Representation(enumerated=codelist(cid, ref))))
    structure.dimensions.getdefault(dsd.TIME_DIMENSION, cls=v21.TimeDimension, order=len(dims) + 1,
                                    concept_identity=concept(dsd.TIME_DIMENSION))
    measure = structure.measures.getdefault("OBS_VALUE", cls=v21.PrimaryMeasure, concept_identity=concept("OBS_VALUE"))
    for aid, mandatory, at_obs, aref in dsd.ATTRIBUTES:
        rep = common.Representation(enumerated=codelist(aid, aref)) if aref else None
        related = v21.PrimaryMeasureRelationship() if at_obs else v21.DimensionRelationship(dimensions=list(dims))
        structure.attributes.getdefault(
            aid, cls=v21.DataAttribute, concept_identity=concept(aid), local_representation=rep,
            related_to=related,
            usage_status=v21.UsageStatus.mandatory if mandatory else v21.UsageStatus.conditional)
    del measure
    msg.add(scheme)
    msg.add(structure)
    return msg


def build(tests_data: Path) -> tuple[Path, Path]:
    import sdmx

    lists = gather(tests_data)
    codes_file = dsd.DATA_DIR / "sdg_codes.json"
    codes_file.write_text(json.dumps({
        "dsd": dsd.DSD_REF,
        "sources": "see vlrkit.formats.sdmx.dsd_build and NOTICE",
        "codes": {k: sorted(v) for k, v in sorted(lists.items())},
    }, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    xml_file = tests_data / "sdmx" / "sdg-dsd" / f"SDG_DSD-{dsd.DSD_VERSION}.xml"
    xml_file.write_bytes(sdmx.to_xml(structure_message(lists), pretty_print=True))
    return codes_file, xml_file


if __name__ == "__main__":  # pragma: no cover - the build step
    for p in build(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data")):
        print(p)
