"""The DOCX renderer: an editable Word document with real heading styles (python-docx).

One ``Heading 1`` per report chapter, ``Heading 2`` for parts and goals, ``Heading 3`` for
indicators; a table-of-contents field Word and LibreOffice fill in on update; tables as Word
tables; charts as PNG images (vl-convert, from the same Vega-Lite specification as the HTML
site).  Narratives arrive as sanitised HTML and are turned into paragraphs, lists and tables —
no raw HTML reaches the document.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from vlrkit.report import charts
from vlrkit.report.i18n import chart_alt, label
from vlrkit.report.model import Block, IndicatorView, Report, Section, Table

#: East Asian font family asked of Word/LibreOffice for Chinese text.
EAST_ASIAN_FONT = "Noto Sans CJK SC"
CHART_WIDTH_CM = 15.5
TABLE_STYLE = "Table Grid"
#: HTML heading level inside a narrative → Word heading level (chapters use 1, parts 2).
NARRATIVE_HEADINGS = {"h2": 3, "h3": 4, "h4": 5, "h5": 6, "h6": 6}


def _para(doc: Any, text: str = "", style: str | None = None) -> Any:
    """Add a paragraph with a style given by its *id* (python-docx's lookup by name is slow)."""
    par = doc.add_paragraph(text)
    if style:
        par._p.style = style.replace(" ", "")
    return par


def _heading(doc: Any, text: str, level: int) -> Any:
    return _para(doc, text, f"Heading{level}")


class _HtmlToDocx(HTMLParser):
    """Append sanitised narrative HTML to a document as paragraphs, lists and tables."""

    def __init__(self, doc: Any) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.par: Any = None
        self.style: str | None = None
        self.bold = self.italic = self.mono = 0
        self.lists: list[str] = []
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def _new(self, style: str | None = None) -> None:
        self.par = _para(self.doc, "", style)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
        elif self.table is not None:
            return
        elif tag == "p":
            self._new("Quote" if self.style == "Quote" else None)
        elif tag in NARRATIVE_HEADINGS:
            self.par = _heading(self.doc, "", NARRATIVE_HEADINGS[tag])
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            self._new("List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet")
        elif tag == "blockquote":
            self.style = "Quote"
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag in ("code", "pre"):
            self.mono += 1
        elif tag == "br" and self.par is not None:
            self.par.add_run().add_break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.table is not None and self.cell is not None:
            self.table[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table" and self.table is not None:
            rows = [r for r in self.table if r]
            self.table = None
            if rows:
                _table(self.doc, tuple(rows[0]), tuple(tuple(r) for r in rows[1:]))
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote":
            self.style = None
        elif tag in ("strong", "b"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1
        elif tag in ("code", "pre"):
            self.mono -= 1
        elif tag in ("p", "li") or tag in NARRATIVE_HEADINGS:
            self.par = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
            return
        if self.table is not None or not data.strip() and self.par is None:
            return
        if self.par is None:
            self._new()
        run = self.par.add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.mono:
            run.font.name = "Courier New"


#: Characters XML 1.0 does not allow (a cell with one would make the document unreadable).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _runs_xml(text: str, bold: bool = False) -> str:
    """``<w:r>`` elements of ``text``: line breaks and tabs as Word's own, invalid characters dropped."""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    parts = []
    for n, line in enumerate(_XML_BAD.sub("", text).split("\n")):
        if n:
            parts.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{xml_escape(piece)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>" if parts else ""


def _table(doc: Any, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...],
           caption: str | None = None) -> Any:
    """A Word table (style "Table Grid"), the header row bold.  Built as one piece of XML:
    python-docx's cell-by-cell calls took most of the document's time."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.table import Table as DocxTable

    if caption:
        _para(doc, caption, "Caption")
    width = max([len(header), *(len(r) for r in rows)])
    col = int(doc._block_width // width) if width else 0

    def row_xml(cells: tuple[str, ...], bold: bool) -> str:
        tcs = "".join(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{col // 635}"/></w:tcPr>'
                      f"<w:p>{_runs_xml(c, bold)}</w:p></w:tc>"
                      for c in (*cells, *("",) * (width - len(cells))))
        return f"<w:tr>{tcs}</w:tr>"

    xml = (f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblStyle w:val=\"{TABLE_STYLE.replace(' ', '')}\"/>"
           '<w:tblW w:type="auto" w:w="0"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
           'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>'
           + f'<w:gridCol w:w="{col // 635}"/>' * width + "</w:tblGrid>"
           + row_xml(header, True) + "".join(row_xml(r, False) for r in rows) + "</w:tbl>")
    tbl = parse_xml(xml)
    doc._body._element._insert_tbl(tbl)
    return DocxTable(tbl, doc._body)


class _Pictures:
    """Adds chart images to a document.  python-docx's ``add_picture`` compares each new image
    with every earlier one by SHA-1 and scans the whole document for the next shape id, which
    grows with the square of the number of charts; this keeps both in a dict and a counter."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.parts: dict[str, Any] = {}
        self.next_id = 1000

    def add(self, png: bytes, width: Any, descr: str) -> None:
        from docx.image.image import Image
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.shape import CT_Inline
        from docx.parts.image import ImagePart

        image = Image.from_blob(png)
        part = self.parts.get(image.sha1)
        if part is None:
            parts = self.doc.part.package.image_parts
            part = ImagePart.from_image(image, parts._next_image_partname(image.ext))
            parts.append(part)
            self.parts[image.sha1] = part
        rid = self.doc.part.relate_to(part, RT.IMAGE)
        cx, cy = image.scaled_dimensions(width, None)
        self.next_id += 1
        inline = CT_Inline.new_pic_inline(self.next_id, rid, image.filename, cx, cy)
        inline.docPr.set("descr", descr)  # alt text for screen readers
        self.doc.add_paragraph().add_run()._r.add_drawing(inline)


def _shade(cell: Any, colour: str) -> None:
    """Fill a table cell with ``colour`` and set its text black or white for contrast."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    from vlrkit.sdg import text_colour

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shd)
    ink = RGBColor.from_string(text_colour(colour).lstrip("#").upper())
    for par in cell.paragraphs:
        for run in par.runs:
            run.font.color.rgb = ink


def _blocks(doc: Any, blocks: tuple[Block, ...]) -> None:
    for b in blocks:
        if isinstance(b, Table):
            _table(doc, b.header, b.rows, b.caption)
        elif b.kind == "bullets":
            for item in b.items:  # type: ignore[union-attr]
                _para(doc, item, "List Bullet")
        else:
            _para(doc, b.text)  # type: ignore[union-attr]


def _narrative(doc: Any, html: str) -> None:
    if html:
        parser = _HtmlToDocx(doc)
        parser.feed(html)
        parser.close()


def _guidance(doc: Any, r: Report, s: Section) -> None:
    if r.draft and s.guidance:
        p = _para(doc)
        p.add_run(label("guidance", r.lang) + ": ").bold = True
        p.add_run(s.purpose).italic = True
        for g in s.guidance:
            _para(doc, g, "List Bullet 2").runs[0].italic = True


def _toc(doc: Any, r: Report) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _para(doc, label("contents", r.lang), "TOC Heading")
    par = _para(doc)
    run = par.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")  # ask Word to refresh the field on opening
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = label("toc_field", r.lang)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep, placeholder, end):
        run._r.append(el)


def _fonts(doc: Any, lang: str) -> None:
    """Chinese text in Noto Sans CJK SC: the document defaults and every style that names a
    theme East Asian font (edited in place, so the XML keeps its schema order)."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        if fonts.get(qn("w:eastAsiaTheme")) is not None or fonts.getparent().getparent().tag == qn("w:rPrDefault"):
            fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
            fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang_el = default.find(qn("w:lang")) if default is not None else None
    if lang_el is not None:
        lang_el.set(qn("w:eastAsia"), "zh-CN")
        lang_el.set(qn("w:val"), "zh-CN" if lang.startswith("zh") else "en-GB")


def _indicator(doc: Any, r: Report, i: IndicatorView, files: Any, pictures: _Pictures) -> None:
    from docx.shared import Cm

    _heading(doc, f"{i.code} {i.name}", 3)
    none = label("no_data", r.lang)

    def fig(f: Any) -> str:
        return f"{f.text} {i.unit} ({f.year})".strip() if f else none

    rows = (
        (label("series_col", r.lang), (i.series_label or "—") + (f" ({i.series_note})" if i.series_note else "")),
        (label("direction_col", r.lang), i.direction_note or "—"),
        (label("baseline", r.lang), fig(i.baseline)),
        (label("latest", r.lang), fig(i.latest)),
        (label("target", r.lang), fig(i.target) if i.target else "—"),
        (label("status", r.lang), f"{i.status_label} · {i.arrow} {i.trend_label}"),
        (label("disagg_gaps", r.lang), ", ".join(i.disaggregation_gaps) or label("none", r.lang)),
        *((label("other_series", r.lang), "; ".join(f"{o.label}: {o.latest} ({o.status})" for o in i.other_series)),)[
            : 1 if i.other_series else 0],
    )
    _table(doc, (label("indicator", r.lang), i.code), rows)
    if i.series:
        png = files.png(charts.spec(i)) if files is not None else charts.render_png(charts.spec(i))
        pictures.add(png, Cm(CHART_WIDTH_CM), chart_alt(i, r.lang))
    _para(doc, (label("chart_legend", r.lang) + " " if i.series else "") + i.provenance, "Caption")


def render_docx(report: Report, path: Path, files: Any = None) -> Path:
    """Write ``report`` as a DOCX document to ``path`` (``files``: the
    :class:`vlrkit.report.charts.ChartFiles` holding the print PNGs of the charts)."""
    import docx

    r = report
    doc = docx.Document()
    pictures = _Pictures(doc)
    _fonts(doc, r.lang)
    doc.core_properties.title = r.title
    doc.core_properties.language = r.lang
    _para(doc, r.title, "Title")
    _para(doc, f"{r.entity} · {r.period[0]}–{r.period[1]}" + (f" · {label('draft', r.lang)}" if r.draft else ""))
    if r.draft:  # the check informs the writers; a published review does not show it
        _para(doc, label("completeness", r.lang, c=r.completeness[0], t=r.completeness[1],
                         p=round(r.completeness[2] * 100)))
    _toc(doc, r)
    for s in r.sections:
        doc.add_page_break()
        _heading(doc, s.title, 1)
        _guidance(doc, r, s)
        _narrative(doc, s.narrative_html)
        if s.id == "GE-6":
            dashboard = _table(doc, r.dashboard.header, r.dashboard.rows, r.dashboard.caption)
            for row, g in zip(dashboard.rows[1:], r.goals, strict=True):
                _shade(row.cells[0], g.colour)
                _shade(row.cells[1], g.status_colour)
            for g in r.goals:
                _heading(doc, f"{label('goal', r.lang)} {g.number}: {g.title}", 2)
                _para(doc, f"{g.status_label} · {label('score', r.lang)} "
                                  f"{'—' if g.score is None else f'{g.score:.1f}'} · {g.arrow} {g.trend_label} · "
                                  + label("coverage_n", r.lang, n=g.with_data, m=g.total))
                if not g.with_data:
                    _para(doc, label("goal_no_data", r.lang)).runs[0].bold = True
                for gap in g.gaps:
                    _para(doc, gap, "List Bullet")
                for i in g.indicators:
                    _indicator(doc, r, i, files, pictures)
        else:
            _blocks(doc, s.blocks)
        for sub in s.subsections:
            _heading(doc, sub.title, 2)
            _guidance(doc, r, sub)
            _narrative(doc, sub.narrative_html)
            _blocks(doc, sub.blocks)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
