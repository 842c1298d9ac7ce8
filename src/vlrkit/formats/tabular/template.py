"""A fill-in template per local indicator, in vlrkit's tidy layout (XLSX or CSV).

The XLSX template has a ``data`` sheet with the indicator's columns, drop-down lists (data
validation) for the indicator code, the closed dimensions and ``obs_status``, a number check on
``value``, a ``codes`` sheet with the code lists and an ``instructions`` sheet in Chinese and
English.  The CSV template is the header row (CSV cannot hold drop-down lists).
"""

from __future__ import annotations

from vlrkit import tidy
from vlrkit.formats import spreadsheet
from vlrkit.review import LocalIndicator

#: Rows of an XLSX template covered by the drop-down lists and checks.
TEMPLATE_ROWS = 200

INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("填写说明", "How to fill in this template"),
    ("每行一个观测值：指标代码、期间、数值。", "One row per observation: indicator code, period, value."),
    ("期间可写 2015、2015/16、2020-Q1、2020-03 或 2020-03-01。", "Period: 2015, 2015/16, 2020-Q1, 2020-03 or 2020-03-01."),
    ("数值只写数字；缺失值留空。", "Value: a number only; leave it empty when the value is missing."),
    ("分组列留空表示合计；有下拉列表的列请从列表中选择代码。", "Leave a group column empty for the total; pick codes from the drop-down lists."),
    ("obs_status：A 正常、E 估计、P 初步、F 预测、B 断点、M 缺失。", "obs_status: A normal, E estimated, P provisional, F forecast, B break, M missing."),
    ("填好后用 `vlr validate 文件` 检查，再用 `vlr import 文件 --db 数据库` 导入。", "Check with `vlr validate FILE`, then import with `vlr import FILE --db DB`."),
)


def header(ind: LocalIndicator) -> list[str]:
    return ["indicator", "period", "value", "unit", "series", *ind.dimensions, "obs_status", "source"]


def to_csv(ind: LocalIndicator) -> bytes:
    return spreadsheet.csv_bytes(header(ind), ())


def to_xlsx(ind: LocalIndicator) -> bytes:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = spreadsheet.Book()
    ws = wb.sheet("data")
    cols = header(ind)
    ws.append(cols)
    last = TEMPLATE_ROWS + 1
    codes = wb.sheet("codes")
    lists = {"indicator": [ind.code], **{d: list(tidy.DIMENSION_CODES[d]) for d in ind.dimensions if d in tidy.DIMENSION_CODES}}
    lists["obs_status"] = list(tidy.OBS_STATUS)
    for j, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(j)
        codes.cell(row=1, column=j, value=name)
        for i, v in enumerate(values, start=2):
            codes.cell(row=i, column=j, value=v)
        dv = DataValidation(type="list", formula1=f"=codes!${letter}$2:${letter}${len(values) + 1}",
                            allow_blank=True, showErrorMessage=True,
                            errorTitle="代码无效 / Invalid code", error=f"{name}: " + ", ".join(values))
        col = get_column_letter(cols.index(name) + 1)
        dv.add(f"{col}2:{col}{last}")
        ws.raw.add_data_validation(dv)
    dv_num = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                            allow_blank=True, showErrorMessage=True,
                            errorTitle="不是数字 / Not a number", error="数值只能是数字 / The value must be a number")
    dv_num.add(f"C2:C{last}")
    ws.raw.add_data_validation(dv_num)
    info = wb.sheet("instructions")
    info.append(["中文", "English"])
    for zh, en in INSTRUCTIONS:
        info.append([zh, en])
    info.append([f"指标：{ind.code} {ind.names.get('zh-Hans', '')}", f"Indicator: {ind.code} {ind.names.get('en', '')}"])
    info.append([f"单位：{ind.unit}", f"Unit: {ind.unit}"])
    for d in ind.dimensions:
        title = tidy.DIMENSION_TITLES.get(d, {"zh-Hans": d, "en": d})
        info.append([f"{d}：{title['zh-Hans']}", f"{d}: {title['en']}"])
    info.raw.column_dimensions["A"].width = 60
    info.raw.column_dimensions["B"].width = 80
    return wb.to_bytes()
