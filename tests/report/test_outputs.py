"""The renderers on a small review with script payloads: inert everywhere, links, fonts, styles."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile

import docx
import pytest
from linkcheck import broken_links, parse

from vlrkit.report.datapackage import validate

PAYLOAD_MARK = "xss-"


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_payloads_are_inert_in_html(sample_out):
    site = sample_out.out / "html"
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert PAYLOAD_MARK not in text, page.name
        assert not re.search(r"<[^>]+\son\w+\s*=", text), page.name  # no event handlers
        assert "javascript:" not in text.lower(), page.name
        # the only scripts are the vendored ones and JSON chart specifications
        for m in re.finditer(r"<script([^>]*)>", text):
            attrs = m.group(1)
            assert 'type="application/json"' in attrs or re.search(r'src="\.\./static/[\w.-]+\.js"', attrs), attrs
    intro = (site / "en" / "ge-3.html").read_text(encoding="utf-8")
    assert "Intro text." in intro and "<b>bold</b>" in intro  # the harmless part survives


def test_payloads_are_inert_in_pdf_and_docx(sample_out):
    for lang in ("en", "zh-Hans"):
        text = _pdf_text(sample_out.out / f"vlr-{lang}.pdf")
        assert PAYLOAD_MARK not in text
        with zipfile.ZipFile(sample_out.out / f"vlr-{lang}.docx") as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        assert PAYLOAD_MARK not in xml and "<script" not in xml
    assert "Intro text." in _pdf_text(sample_out.out / "vlr-en.pdf")


def test_every_internal_link_resolves(sample_out):
    site = sample_out.out / "html"
    assert broken_links(site) == []
    downloads = (site / "en" / "downloads.html").read_text(encoding="utf-8")
    for f in ("vlr-en.pdf", "vlr-en.docx", "vlr-en.json", "datapackage.json"):
        assert f in downloads


def test_pages_are_accessible(sample_out):
    site = sample_out.out / "html"
    for path in (site / "zh-Hans").glob("*.html"):
        page = parse(path)
        assert page.lang == "zh-Hans"
        assert page.headings.count(1) == 1, path.name  # one h1 per page
        assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), path.name
        assert page.imgs_without_alt == 0
    goal = (site / "en" / "goal-1.html").read_text(encoding="utf-8")
    assert 'role="img" aria-label="Line chart of Poverty rate: 10 values from 2015 to 2024, target 5.0 by 2030."' in goal
    ind = (site / "en" / "indicator-lj-1-1.html").read_text(encoding="utf-8")
    assert '<th scope="row">2024</th><td class="num">7.9</td>' in ind  # the table alternative
    assert (site / "en" / "data" / "lj-1-1.csv").read_text().splitlines()[1] == "LJ-1-1,2015,2015,12.0,%"
    # the language switch points at the same page in the other language
    assert 'href="../zh-Hans/goal-1.html"' in goal


def test_pdf_has_cjk_font_embedded_toc_and_bookmarks(sample_out):
    pdf = sample_out.out / "vlr-zh-Hans.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts  # emb column
    text = _pdf_text(pdf)
    for heading in ("绪言", "要点", "导言", "评估方法与筹备进程", "政策和有利环境", "统计附件", "利益攸关方意见"):
        assert heading in text
    assert "目录" in text
    from pypdf import PdfReader

    outline = [o.title for o in PdfReader(pdf).outline if not isinstance(o, list)]
    assert "落实目标和具体目标方面的进展" in outline


def test_docx_headings_dashboard_toc_and_charts(sample_out):
    d = docx.Document(sample_out.out / "vlr-en.docx")
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [s.title for s in sample_out.reports[1].sections]
    dashboard = next(t for t in d.tables if t.rows[0].cells[0].text == "Goal")
    assert len(dashboard.rows) == 18
    assert dashboard.rows[1].cells[0].text == "1. No poverty"
    body = d.element.body.xml
    assert 'TOC \\o "1-2"' in body
    assert len(d.inline_shapes) == 4  # one chart per indicator with data
    alts = [shape._inline.docPr.get("descr") for shape in d.inline_shapes]
    assert alts[0] == "Line chart of Poverty rate: 10 values from 2015 to 2024, target 5.0 by 2030."


def test_json_and_datapackage(sample, sample_out):
    data = json.loads((sample_out.out / "vlr-zh-Hans.json").read_text(encoding="utf-8"))
    assert data["lang"] == "zh-Hans" and len(data["goals"]) == 17
    report = validate(sample_out.out / "datapackage" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = (sample_out.out / "datapackage" / "observations.csv").read_text().splitlines()
    assert len(rows) - 1 == sample.observations.height


@pytest.mark.parametrize("bad", ["html,tex", ""])
def test_unknown_formats_are_user_errors(sample, tmp_path, bad):
    from vlrkit.report import ReportError, render

    with pytest.raises(ReportError, match="unknown format"):
        render(sample, bad, out=tmp_path)


def test_an_empty_review_still_renders(tmp_path):
    from linkcheck import broken_links

    from vlrkit.report import render
    from vlrkit.review import Edition, Entity, Review

    empty = Review(entity=Entity("X", {"en": "X"}), edition=Edition("E", 2025, 2015, 2024))
    result = render(empty, ("html", "docx", "json", "datapackage"), ("en",), tmp_path)
    assert len(result.reports[0].goals) == 17
    assert broken_links(tmp_path / "html") == []
    assert validate(tmp_path / "datapackage" / "datapackage.json").valid
