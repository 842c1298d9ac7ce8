"""A file holding several areas (SDMX ``REF_AREA``, a tidy ``entity`` column): a review holds one
place and the store's observation key has no area, so the file is refused as a whole — one
``several-areas`` error naming the areas, their rows and what to do, not a duplicate per row."""

from __future__ import annotations

from vlrkit import ingest
from vlrkit.formats.sources import Member

HEADER = b"DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n"
#: The city's figure and the national one for the same series and periods (3 rows each).
CITY_AND_NATION = HEADER + b"".join(
    b"IAEG-SDGs:DF_SDG_GLH(1.0),SI_POV_DAY1,%s,%d,%s,PT\n" % (area, year, value)
    for area, values in ((b"LJ", (b"3.5", b"3.1", b"2.8")), (b"CN", (b"1.2", b"1.0", b"0.9")))
    for year, value in zip((2019, 2020, 2021), values, strict=True)
)


def _ml(areas: dict[str, list[tuple[str, str]]]) -> bytes:
    """An SDMX-ML 2.1 generic data message: one series of SI_POV_DAY1 per area."""
    series = "".join(
        f"""<generic:Series><generic:SeriesKey><generic:Value id="SERIES" value="SI_POV_DAY1"/>
        <generic:Value id="REF_AREA" value="{area}"/></generic:SeriesKey>
        <generic:Attributes><generic:Value id="UNIT_MEASURE" value="PT"/></generic:Attributes>"""
        + "".join(f"""<generic:Obs><generic:ObsDimension value="{period}"/><generic:ObsValue value="{value}"/>
        </generic:Obs>""" for period, value in obs)
        + "</generic:Series>"
        for area, obs in areas.items()
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
 xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
 xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
  <message:Header><message:ID>T1</message:ID><message:Test>false</message:Test>
    <message:Prepared>2024-01-01T00:00:00</message:Prepared><message:Sender id="LJ"/>
    <message:Structure structureID="SDG" dimensionAtObservation="TIME_PERIOD">
      <common:Structure><Ref agencyID="IAEG-SDGs" id="SDG" version="1.0"/></common:Structure>
    </message:Structure></message:Header>
  <message:DataSet structureRef="SDG">{series}</message:DataSet>
</message:GenericData>""".encode()


def test_an_sdmx_csv_file_with_two_areas_is_one_error_naming_them():
    got = ingest.read_members([Member("poverty.csv", CITY_AND_NATION)])
    [p] = got.report.problems  # one problem for the file: no duplicate-observation per row
    assert (p.type, p.severity, p.file, p.row, p.column) == ("several-areas", "error", "poverty.csv", None, "REF_AREA")
    en, zh = p.message["en"], p.message["zh-Hans"]
    assert "2 areas in REF_AREA: CN (3 rows), LJ (3 rows)" in en
    assert "A review covers one place" in en and "Filter the file on REF_AREA" in en
    assert "REF_AREA 列含有 2 个地区的数据：CN（3 行）、LJ（3 行）" in zh and "一次评估只覆盖一个地方" in zh
    assert not got.report.valid
    # refused as a whole: every row rejected, with the file's reason for the rejects file
    assert got.observations.height == 0 and got.rejected.height == 6
    rejects = ingest.rejects_frame(got)
    assert rejects.height == 6 and all(r.startswith("several-areas: the file holds data for 2 areas")
                                       for r in rejects["reasons"].to_list())


def test_the_review_s_area_is_named_as_the_one_to_keep():
    got = ingest.read_members([Member("poverty.csv", CITY_AND_NATION)], entity="LJ")
    [p] = got.report.of_type("several-areas")
    assert "Filter the file to the rows with REF_AREA = LJ (the review's area) and import it again" in p.message["en"]
    assert "只保留 REF_AREA = LJ（本评估所属地区）的行后重新导入" in p.message["zh-Hans"]
    # an area the file does not hold is not offered
    [q] = ingest.read_members([Member("poverty.csv", CITY_AND_NATION)], entity="XX").report.of_type("several-areas")
    assert "Filter the file on REF_AREA to the rows of the review's area and import" in q.message["en"]
    assert "= XX" not in q.message["en"] and "按 REF_AREA 筛选文件，只保留本评估所属地区的行" in q.message["zh-Hans"]


def test_an_sdmx_ml_message_with_two_areas_is_refused_the_same_way():
    data = _ml({"LJ": [("2019", "3.5"), ("2020", "3.1")], "156": [("2019", "1.2"), ("2020", "1.0")]})
    got = ingest.read_members([Member("poverty.xml", data)])
    [p] = got.report.problems
    assert (p.type, p.file, p.column) == ("several-areas", "poverty.xml", "REF_AREA")
    assert "2 areas in REF_AREA: 156 (2 rows), LJ (2 rows)" in p.message["en"]
    assert got.observations.height == 0


def test_a_one_area_file_is_unaffected():
    one = HEADER + b"".join(line + b"\n" for line in CITY_AND_NATION.splitlines()[1:4])
    got = ingest.read_members([Member("poverty.csv", one)], entity="LJ")
    assert got.report.valid and not got.report.problems
    assert got.observations.select("entity", "period", "value").rows() == [
        ("LJ", "2019", 3.5), ("LJ", "2020", 3.1), ("LJ", "2021", 2.8)]
    # the SDMX-ML form too
    ml = ingest.read_members([Member("p.xml", _ml({"LJ": [("2019", "3.5"), ("2020", "3.1")]}))])
    assert ml.report.valid and ml.observations.height == 2
    # a real duplicate within the one area is still a duplicate, reported per row as before
    dup = ingest.read_members([Member("poverty.csv", one + CITY_AND_NATION.splitlines()[1] + b"\n")])
    [d] = dup.report.problems
    assert (d.type, d.row) == ("duplicate-observation", 4) and "as row 1" in d.message["en"]


def test_rows_without_an_area_are_the_review_s_place():
    # an empty REF_AREA means the review's place: with the review's code beside it, one area
    mixed = HEADER + b"X,SI_POV_DAY1,,2019,3.5,PT\nX,SI_POV_DAY1,LJ,2020,3.1,PT\n"
    assert ingest.read_members([Member("p.csv", mixed)], entity="LJ").report.valid
    [p] = ingest.read_members([Member("p.csv", mixed)], entity="CN").report.of_type("several-areas")
    assert "CN (1 row), LJ (1 row)" in p.message["en"]


def test_a_tidy_file_with_an_entity_column_and_the_other_files_of_the_source():
    tidy_csv = b"indicator,entity,period,value\nX,LJ,2020,1\nX,CN,2020,2\n"
    good = HEADER + b"D,SI_POV_DAY1,LJ,2019,3.5,PT\n"
    got = ingest.read_members([Member("t.csv", tidy_csv), Member("s.csv", good)])
    [p] = got.report.of_type("several-areas")
    assert (p.file, p.column) == ("t.csv", "entity") and "2 areas in entity: CN (1 row), LJ (1 row)" in p.message["en"]
    # the other file's rows are judged and kept as usual
    assert got.observations.select("file", "value").rows() == [("s.csv", 3.5)]
    assert set(got.rejected["file"].to_list()) == {"t.csv"}


def test_many_areas_are_counted_not_all_named():
    lines = [b"D,SI_POV_DAY1,A%02d,2020,%d,PT\n" % (i, i) for i in range(14)]
    [p] = ingest.read_members([Member("p.csv", HEADER + b"".join(lines))]).report.problems
    assert "14 areas in REF_AREA: A00 (1 row)" in p.message["en"] and "A09 (1 row) and 4 more" in p.message["en"]
    assert "A10" not in p.message["en"] and "等（另有 4 个）" in p.message["zh-Hans"]
