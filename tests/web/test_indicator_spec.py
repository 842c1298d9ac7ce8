"""Indicator specifications in bulk on the web: one table, many rows edited, saved once; a bad cell
saves nothing and is named by row and column; the same table downloads and uploads as a file."""

from __future__ import annotations

import io

import pytest
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, OTHER_INDICATOR, post_form

from vlrkit.web import roles as r

URL = f"/review/{ENTITY}/{DRAFT}/indicators/specifications/"


def _post(client, **cells):
    data = {"indicator": [INDICATOR, OTHER_INDICATOR]}
    for code in (INDICATOR, OTHER_INDICATOR):
        data[f"direction:{code}"] = "higher" if code == INDICATOR else "lower"
        data[f"unit:{code}"] = "%"
    data.update(cells)
    return post_form(client, URL, data)  # with the versions the page's table carries


def test_many_rows_are_edited_and_saved_once_with_history(review, as_role):
    from vlrkit.store import models as m

    client = as_role(r.COORDINATOR)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'name="direction:{INDICATOR}"' in page and "Indicator specifications" in page
    resp = _post(client, **{f"local_target:{INDICATOR}": "80", f"local_target_year:{INDICATOR}": "2030",
                            f"direction:{OTHER_INDICATOR}": "unknown", f"sdg_indicator:{OTHER_INDICATOR}": "3.4.1",
                            f"grade:{OTHER_INDICATOR}": "identical"})
    assert resp.status_code == 302
    ind = m.LocalIndicator.objects.get(edition__code=DRAFT, code=INDICATOR)
    assert m.Target.objects.get(indicator=ind, kind="local").value == 80.0
    other = m.LocalIndicator.objects.get(edition__code=DRAFT, code=OTHER_INDICATOR)
    assert other.direction == "unknown" and other.history.count() >= 2  # the change is in history
    assert m.SdgLink.objects.filter(indicator=other, sdg_indicator="3.4.1", grade="identical").exists()


def test_a_bad_cell_saves_nothing_and_is_named(review, as_role):
    from vlrkit.store import models as m

    client = as_role(r.COORDINATOR)
    resp = _post(client, **{f"local_target:{INDICATOR}": "eighty", f"unit:{OTHER_INDICATOR}": "per 1,000"})
    html = resp.content.decode()
    assert resp.status_code == 200 and 'data-row="1" data-column="local_target"' in html and "not a number" in html
    assert m.LocalIndicator.objects.get(edition__code=DRAFT, code=OTHER_INDICATOR).unit == "%"  # all or nothing


def test_the_table_downloads_and_an_edited_file_uploads(review, as_role):
    from vlrkit.store import models as m

    client = as_role(r.COORDINATOR)
    csv = client.get(URL + "?format=csv").content.decode()
    header, *rows = csv.splitlines()
    assert header.startswith("indicator,goal,") and len(rows) == 2
    edited = "\n".join([header, *[row.replace(",higher,", ",lower,") for row in rows]]).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = client.post(URL, {"file": SimpleUploadedFile("spec.csv", edited)})
    assert resp.status_code == 302
    assert m.LocalIndicator.objects.get(edition__code=DRAFT, code=INDICATOR).direction == "lower"
    xlsx = client.get(URL + "?format=xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb["indicators"]["A1"].value == "indicator"


@pytest.mark.parametrize("role", [r.DATA_PROVIDER, r.EDITOR])
def test_only_leads_save_the_table(review, as_role, role):
    assert _post(as_role(role)).status_code == 403
