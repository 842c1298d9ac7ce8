"""The issue's acceptance run: the demo review in every format and both languages."""

from __future__ import annotations

import subprocess

import docx
import pytest
from linkcheck import broken_links

from vlrkit.report.datapackage import validate

pytestmark = pytest.mark.slow


def test_every_format_in_both_languages(demo_out):
    out = demo_out.out
    for lang in ("zh-Hans", "en"):
        for suffix in (".pdf", ".docx", ".json"):
            assert (out / f"vlr-{lang}{suffix}").stat().st_size > 10_000
        assert (out / "html" / lang / "index.html").exists()
    assert len(demo_out.reports[0].indicators()) >= 60
    assert {g.number for g in demo_out.reports[0].goals if g.with_data} == set(range(1, 18))


def test_pdf_has_the_chinese_section_headings_and_embedded_cjk_font(demo_out):
    pdf = demo_out.out / "vlr-zh-Hans.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for s in demo_out.reports[0].sections:
        assert s.title in text, s.title
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert any("NotoSansCJK" in line.replace("-", "") and " yes " in line for line in fonts.splitlines()), fonts


def test_docx_has_one_heading_1_per_section_and_the_dashboard(demo_out):
    for r in demo_out.reports:
        d = docx.Document(demo_out.out / f"vlr-{r.lang}.docx")
        h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
        assert h1 == [s.title for s in r.sections]
        header = [c.text for c in d.tables[0].rows[0].cells]
        dashboards = [t for t in d.tables if [c.text for c in t.rows[0].cells] == list(r.dashboard.header)]
        assert len(dashboards) == 1 and len(dashboards[0].rows) == 18, header
        assert len(d.inline_shapes) == sum(1 for i in r.indicators() if i.series)


def test_site_links_resolve_and_data_package_validates(demo_out):
    assert broken_links(demo_out.out / "html") == []
    report = validate(demo_out.out / "datapackage" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_one_chart_image_serves_pdf_and_docx_in_both_languages(demo_out):
    """Each chart is rendered once (in the worker pool) and the same PNG is embedded everywhere."""
    import hashlib
    import zipfile

    from vlrkit.report import charts

    specs = charts.static_specs(i for r in demo_out.reports for i in r.indicators())
    with_series = {i.code for i in demo_out.reports[0].indicators() if i.series}
    assert len(specs) == len(with_series)  # language-neutral: both languages share the specs
    shares = charts.shares(specs, 4)
    assert sorted(k for s in shares for k, _ in s) == sorted(specs)  # each chart in one share
    some = dict(shares[0][:2])
    expected = {hashlib.sha1(png).hexdigest() for png in charts.render_batch(some.items()).values()}
    for lang in ("zh-Hans", "en"):
        with zipfile.ZipFile(demo_out.out / f"vlr-{lang}.docx") as z:
            media = {hashlib.sha1(z.read(n)).hexdigest() for n in z.namelist() if n.startswith("word/media/")}
        assert expected <= media, lang
        listing = subprocess.run(["pdfimages", "-list", str(demo_out.out / f"vlr-{lang}.pdf")],
                                 capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        images = [line.split() for line in listing if line.split()[2] == "image"]
        assert len(images) == len(with_series), lang  # every chart reached WeasyPrint
        assert all(int(cols[12]) >= 200 for cols in images), lang  # print resolution (x-ppi)
