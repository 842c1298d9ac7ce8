"""Readers: PDF, DOCX, TXT, Markdown, HTML and budget CSV/XLSX, with their errors."""

from __future__ import annotations

import io

import openpyxl
import pytest

from vlrkit.align.documents import read_bytes, read_path, reflow
from vlrkit.align.documents.budget import Budget, parse_amount
from vlrkit.align.errors import BudgetError, EmptyDocument, UnreadableFile, UnsupportedFormat


def test_reflow_joins_lines_broken_inside_sentences():
    assert reflow("加快推进海绵城\n市建设。\n全面推行垃圾分类。") == "加快推进海绵城市建设。\n全面推行垃圾分类。"
    assert reflow("The council will\nfund homes.") == "The council will fund homes."
    assert reflow("a sustain-\nable city") == "a sustainable city"
    assert reflow("加 快 推 进 海 绵 城 市 建 设 。 Bus lanes") == "加快推进海绵城市建设。 Bus lanes"


def test_text_in_utf8_and_gb18030():
    doc = read_bytes("全面推行垃圾分类。".encode("gb18030"), "plan.txt")
    assert doc.text == "全面推行垃圾分类。"
    assert read_bytes("\ufeffHello.".encode("utf-8"), "a.txt").text == "Hello."


def test_markdown_syntax_is_removed():
    doc = read_bytes("# 第一章\n\n- **加快**推进[海绵城市](http://x)建设。".encode(), "plan.md")
    assert "#" not in doc.text and "**" not in doc.text and "http" not in doc.text
    assert "加快推进海绵城市建设。" in doc.text


def test_html_keeps_text_and_drops_scripts():
    html = b"<html><head><style>p{}</style></head><body><nav>Menu</nav><p>Fund <b>new</b> homes.</p><script>x()</script><li>Plant trees.</li></body></html>"
    doc = read_bytes(html, "page.html")
    assert doc.text == "Fund new homes.\n\nPlant trees."


def test_docx_paragraphs_and_tables():
    import docx

    d = docx.Document()
    d.add_paragraph("加快推进海绵城市建设。")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "项目"
    table.rows[0].cells[1].text = "垃圾分类"
    buf = io.BytesIO()
    d.save(buf)
    doc = read_bytes(buf.getvalue(), "plan.docx")
    assert doc.kind == "docx"
    assert "加快推进海绵城市建设。" in doc.text and "项目；垃圾分类" in doc.text


def test_pdf_text_layer(tmp_path):
    from weasyprint import HTML

    pdf = HTML(string="<p>The council will fund 300 affordable homes.</p><p>Plant 20,000 trees.</p>").write_pdf()
    doc = read_bytes(pdf, "plan.pdf")
    assert doc.pages == 1 and "affordable homes" in doc.text


def test_broken_files_are_named_with_the_reason():
    with pytest.raises(UnreadableFile, match="bad.pdf: not a readable PDF"):
        read_bytes(b"%PDF-1.4 garbage", "bad.pdf")
    with pytest.raises(UnreadableFile, match="不是可读取的 Word"):
        read_bytes(b"not a zip", "bad.docx")
    with pytest.raises(UnsupportedFormat, match="'.exe'"):
        read_bytes(b"x", "plan.exe")
    with pytest.raises(EmptyDocument, match="OCR"):
        read_bytes(b"   \n", "empty.txt")
    with pytest.raises(FileNotFoundError):
        read_path("/nonexistent/plan.pdf")


def test_budget_csv_with_chinese_headers():
    data = "项目名称,预算金额（万元）,部门,功能分类\n垃圾分类处理设施,\"1,200\",城管局,城乡社区支出\n\n学校建设,3000,教育局,教育支出\n"
    b = read_bytes(data.encode(), "budget.csv")
    assert isinstance(b, Budget)
    assert b.unit == "万元" and b.total == 4200
    assert [(x.row, x.description, x.amount, x.department) for x in b.lines] == [
        (1, "垃圾分类处理设施", 1200.0, "城管局"), (3, "学校建设", 3000.0, "教育局")]
    assert b.lines[0].text == "垃圾分类处理设施（城乡社区支出）"


def test_budget_xlsx_with_english_headers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Department", "Description", "Amount (£)"])
    ws.append(["Housing", "Temporary accommodation for homeless families", 1500000])
    ws.append(["Parks", "Tree planting", 250000.5])
    path = tmp_path / "budget.xlsx"
    wb.save(path)
    b = read_path(path)
    assert b.kind == "xlsx" and b.unit == "£"
    assert [x.amount for x in b.lines] == [1500000.0, 250000.5]


def test_budget_errors_name_every_row_and_column():
    data = "description,amount\nBus lanes,12x\n,40\nParks,\n"
    with pytest.raises(BudgetError) as err:
        read_bytes(data.encode(), "b.csv")
    probs = err.value.problems
    assert [(p.row, p.column) for p in probs] == [(1, "amount"), (2, "description"), (3, "amount")]
    assert "row 1, column 'amount': the amount '12x' is not a number" in str(err.value)
    assert "第1行“amount”列：金额“12x”不是数字" in str(err.value)
    assert "and 2 more" in str(err.value)


def test_budget_without_required_columns():
    with pytest.raises(BudgetError, match="missing column 'amount'"):
        read_bytes(b"description,department\nParks,Env\n", "b.csv")


def test_amounts():
    assert parse_amount("¥1,234.5") == 1234.5
    assert parse_amount("(300)") == -300
    assert parse_amount("1 200 元") == 1200
    assert parse_amount("n/a") is None
