"""Budget lines from CSV or XLSX: description, amount, department, programme.

The header row names the columns; English and Chinese names are recognised (``description`` /
``项目名称``, ``amount`` / ``金额`` / ``预算金额（万元）``, ``department`` / ``部门``,
``programme`` / ``功能分类``…).  Description and amount are required.  The file is read
all-or-nothing: every problem (missing column, amount that is not a number, line without a
description) is collected with its row and column and reported together as a
:class:`~vlrkit.align.errors.BudgetError`; a blank row is the only thing skipped.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from vlrkit.align.documents.text import decode
from vlrkit.align.errors import BudgetError, BudgetProblem, UnreadableFile, guard_zip

#: Accepted header names per field (compared lower-case, without spaces and brackets' content).
COLUMNS: dict[str, tuple[str, ...]] = {
    "description": ("description", "item", "project", "projectname", "line", "lineitem", "purpose",
                    "name", "项目名称", "项目", "名称", "说明", "项目说明", "内容", "用途", "摘要", "支出内容"),
    "amount": ("amount", "budget", "total", "value", "cost", "appropriation", "金额", "预算", "预算金额",
               "预算数", "资金", "合计", "预算额"),
    "department": ("department", "dept", "directorate", "agency", "service", "部门", "单位", "预算单位",
                   "主管部门", "责任单位"),
    "programme": ("programme", "program", "category", "function", "功能分类", "科目", "类别", "项目类别",
                  "支出功能分类", "分类"),
}
REQUIRED = ("description", "amount")
_BRACKETS = re.compile(r"[（(\[【].*?[）)\]】]")
_NUMBER_JUNK = re.compile(r"[,\s，¥￥$€£元]")


@dataclass(frozen=True)
class BudgetLine:
    row: int  # 1-based data row (the header is row 0)
    description: str
    amount: float
    department: str = ""
    programme: str = ""

    @property
    def text(self) -> str:
        """What the classifier reads: the description, with the programme as context."""
        return f"{self.description}（{self.programme}）" if self.programme and _cjk(self.description) \
            else (f"{self.description} ({self.programme})" if self.programme else self.description)


@dataclass(frozen=True)
class Budget:
    name: str
    kind: str  # csv | xlsx
    lines: tuple[BudgetLine, ...]
    unit: str = ""  # the amount column's unit if its header gives one, e.g. 万元

    @property
    def total(self) -> float:
        return sum(line.amount for line in self.lines)


def _cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _key(header: str) -> str:
    return _BRACKETS.sub("", header).strip().lower().replace(" ", "").replace("_", "")


def _unit(header: str) -> str:
    m = re.search(r"[（(\[【](.*?)[）)\]】]", header)
    return m.group(1).strip() if m else ""


def parse_amount(text: str) -> float | None:
    """A number from a budget cell: thousands separators, currency marks and 元 are ignored."""
    cleaned = _NUMBER_JUNK.sub("", text)
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    try:
        value = float(cleaned.strip("()"))
    except ValueError:
        return None
    return -value if negative else value


def _rows_csv(data: bytes, name: str) -> list[list[str]]:
    text = decode(data, name)
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _rows_xlsx(data: bytes, name: str) -> list[list[str]]:
    import openpyxl

    guard_zip(data, name)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(name, f"not a readable .xlsx workbook ({exc})",
                             f"不是可读取的 .xlsx 工作簿（{exc}）") from exc
    ws = wb.worksheets[0]
    rows = [["" if v is None else (repr(v) if isinstance(v, float) else str(v)) for v in r]
            for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def read_budget(data: bytes, name: str) -> Budget:
    kind = "xlsx" if name.lower().endswith(".xlsx") else "csv"
    rows = _rows_xlsx(data, name) if kind == "xlsx" else _rows_csv(data, name)
    rows = [r for r in rows]
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise BudgetError(name, [BudgetProblem(None, None, "the file is empty", "文件为空")])
    header = [c.strip() for c in rows[0]]
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        for field, names in COLUMNS.items():
            if field not in index and _key(h) in names:
                index[field] = i
    problems = [
        BudgetProblem(None, field,
                      f"missing column '{field}' (header has: {', '.join(header)})",
                      f"缺少“{field}”列（表头为：{'、'.join(header)}）")
        for field in REQUIRED if field not in index
    ]
    if problems:
        raise BudgetError(name, problems)
    amount_header = header[index["amount"]]
    lines: list[BudgetLine] = []
    for n, row in enumerate(rows[1:], start=1):
        if not any(c.strip() for c in row):
            continue

        def cell(field: str, row: list[str] = row) -> str:
            i = index.get(field)
            return row[i].strip() if i is not None and i < len(row) else ""

        desc, raw_amount = cell("description"), cell("amount")
        if not desc:
            problems.append(BudgetProblem(n, header[index["description"]], "the description is empty",
                                          "项目说明为空"))
        amount = parse_amount(raw_amount) if raw_amount else None
        if amount is None:
            problems.append(BudgetProblem(
                n, amount_header,
                f"the amount {raw_amount!r} is not a number" if raw_amount else "the amount is empty",
                f"金额“{raw_amount}”不是数字" if raw_amount else "金额为空"))
        if desc and amount is not None:
            lines.append(BudgetLine(n, desc, amount, cell("department"), cell("programme")))
    if problems:
        raise BudgetError(name, problems)
    return Budget(name, kind, tuple(lines), _unit(amount_header))
