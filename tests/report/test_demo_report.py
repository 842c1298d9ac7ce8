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


def test_one_chart_file_serves_pdf_and_docx_in_both_languages(demo_out):
    """Each chart is rendered once, as an SVG (the PDF's, vector) and a PNG (the DOCX's), kept
    in the output's state folder, and the same PNG is embedded in the DOCX of each language."""
    import hashlib
    import zipfile

    from vlrkit.report import charts

    specs = charts.print_specs(demo_out.reports)
    with_series = {i.code for i in demo_out.reports[0].indicators() if i.series}
    assert len([s for s in specs if s.get("layer")]) >= len(with_series)  # language-neutral
    folder = demo_out.out / ".vlrkit" / "charts"
    keys = {charts.key(s) for s in specs}
    assert {p.stem for p in folder.glob("*.svg")} == keys
    pngs = {hashlib.sha1(p.read_bytes()).hexdigest() for p in folder.glob("*.png")}
    assert len(pngs) == len(keys)
    for lang in ("zh-Hans", "en"):
        with zipfile.ZipFile(demo_out.out / f"vlr-{lang}.docx") as z:
            media = {hashlib.sha1(z.read(n)).hexdigest() for n in z.namelist() if n.startswith("word/media/")}
        assert media == pngs, lang
