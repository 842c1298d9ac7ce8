"""From a PDF plan (Chinese, made here with WeasyPrint) and a budget XLSX to the report's
GE-5c and GE-7 blocks; and the two commands, ``vlr align`` and ``vlr classify``."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import openpyxl
import pytest

from vlrkit.align import align, read_path, report_blocks

PLAN_HTML = """<html><head><meta charset="utf-8"><style>body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC',sans-serif}</style></head>
<body><h1>澜江市国民经济和社会发展第十四个五年规划纲要</h1>
<p>全面推行生活垃圾分类，建成厨余垃圾处理厂，城市生活垃圾无害化处理率达到100%。</p>
<p>坚持公交优先发展，新开通轨道交通线路2条，新增和优化公交线路50条，倡导绿色出行。</p>
<p>新建公办幼儿园18所，学前三年毛入园率达到95%，新增中小学学位3.6万个。</p>
<p>大力发展光伏和风电等新能源，推动碳达峰碳中和，统筹推进减污降碳协同增效。</p>
<p>加强统计能力建设，建立可持续发展目标指标体系和监测评估机制。</p>
<p>积极利用外资，深化国际友好城市交往，推动外贸稳规模优结构。</p>
</body></html>"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from weasyprint import HTML

    folder = tmp_path_factory.mktemp("align")
    pdf = folder / "plan.pdf"
    HTML(string=PLAN_HTML).write_pdf(pdf)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["预算单位", "项目名称", "预算金额（万元）", "功能分类"])
    ws.append(["城管局", "生活垃圾分类收运处置补助", 2600, "城乡社区支出"])
    ws.append(["教育局", "公办幼儿园建设补助", 4800, "教育支出"])
    ws.append(["交通局", "城市公交运营补贴", 3500, "交通运输支出"])
    ws.append(["办公室", "机关日常运行经费", 900, "一般公共服务支出"])
    xlsx = folder / "budget.xlsx"
    wb.save(xlsx)
    return pdf, xlsx


def test_pdf_and_budget_to_the_report_sections(files):
    pdf, xlsx = files
    plan = read_path(pdf)
    assert "生活垃圾分类" in plan.text  # the Chinese text layer survives PDF generation and reading
    al = align([plan, read_path(xlsx)])
    by_goal = {}
    for p in al.passages:
        for g in p.goals:
            by_goal.setdefault(g, []).append(p)
    assert {4, 7, 11, 13, 17} <= set(by_goal)
    scores = {g: 60.0 for g in range(1, 18)} | {11: 38.0, 3: 30.0, 4: 82.0}
    blocks = report_blocks(al, "zh-Hans", scores, only_accepted=False)
    tables = {b.id: b for b in blocks["GE-5c"] if b.kind == "table"}
    assert set(tables) >= {"align-coverage", "align-attention", "align-interlinkages"}
    cov = tables["align-coverage"]
    assert cov.header[0] == "文件" and [r[0] for r in cov.rows] == ["plan.pdf", "budget.xlsx"]
    att = {r[0].split()[0]: r for r in tables["align-attention"].rows}
    assert att["3"][-1] == "关注缺口"  # poor score, no attention at all
    assert att["4"][3] == "4,800"  # the kindergarten budget line under goal 4
    assert "11" in att and att["11"][4] == "38"
    ge7 = {b.id: b for b in blocks["GE-7"] if b.kind == "table"}
    budget = {r[0].split()[0]: r for r in ge7["align-budget"].rows}
    assert budget["4"][2] == "4,800" and budget["11"][2] in ("2,600", "6,100")
    assert "万元" in ge7["align-budget"].caption
    moi = {r[0]: r for r in ge7["align-moi"].rows}
    assert int(moi["数据与监测"][1]) >= 1 and int(moi["资金"][1]) >= 1
    assert any(b.kind == "paragraph" and "预算合计11,800万元" in b.text for b in blocks["GE-7"])
    en = report_blocks(al, "en", scores, only_accepted=False)
    assert en["GE-5c"][0].text.startswith("2 documents (1 budget) with")


def test_only_accepted_mappings_reach_the_report(files):
    pdf, xlsx = files
    al = align([read_path(pdf), read_path(xlsx)])
    first = next(p for p in al.passages if p.goals)
    decided = al.with_status({(first.document, first.index, first.goals[0]): "accepted"})
    tables = {b.id: b for b in report_blocks(decided, "en")["GE-5c"] if b.kind == "table"}
    counts = [int(c) for row in tables["align-coverage"].rows for c in row[1:]]
    assert sum(counts) == 1


def _vlr(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "VLRKIT_DATABASE_URL"}
    env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-m", "vlrkit.cli.main", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def test_vlr_align_stores_the_mapping_for_the_edition(files, tmp_path):
    pdf, xlsx = files
    db = tmp_path / "r.sqlite3"
    assert _vlr("init", "--db", str(db), "--entity", "lj", "--edition", "2025", "--period", "2015-2024",
                cwd=tmp_path).returncode == 0
    out = _vlr("align", str(pdf), str(xlsx), "--db", str(db), "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [(d["name"], d["stored"]) for d in data["documents"]] == [("plan.pdf", "added"), ("budget.xlsx", "added")]
    assert data["coverage"]["budget.xlsx"]["4"] == 1
    again = json.loads(_vlr("align", str(pdf), "--db", str(db), "--json", cwd=tmp_path).stdout)
    assert again["documents"][0]["stored"] == "unchanged"
    assert again["attention"] == data["attention"]
    empty = tmp_path / "empty.sqlite3"
    assert _vlr("init", "--db", str(empty), cwd=tmp_path).returncode == 0
    none = _vlr("align", str(pdf), "--db", str(empty), cwd=tmp_path)
    assert none.returncode == 2 and "no review yet" in none.stderr and "Traceback" not in none.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("description,amount\nParks,lots\n", encoding="utf-8")
    err = _vlr("align", str(bad), "--db", str(db), cwd=tmp_path)
    assert err.returncode == 2 and "Traceback" not in err.stderr
    assert "row 1" in err.stderr and "第1行" in err.stderr


def test_vlr_align_review_accepts_rejects_and_accepts_above(files, tmp_path):
    pdf, xlsx = files
    db = tmp_path / "r.sqlite3"
    assert _vlr("init", "--db", str(db), "--entity", "lj", "--edition", "2025", "--period", "2015-2024",
                cwd=tmp_path).returncode == 0
    assert _vlr("align", str(pdf), str(xlsx), "--db", str(db), cwd=tmp_path).returncode == 0
    listed = json.loads(_vlr("align", "review", "--db", str(db), "--json", cwd=tmp_path).stdout)["mappings"]
    assert listed and {r["status"] for r in listed} == {"proposed"}
    one, two = (f"{r['document']}#{r['index']}:{r['goal']}" for r in listed[:2])
    res = _vlr("align", "review", "--db", str(db), "--accept", one, "--reject", two, "--by", "amy",
               "--status", "all", "--json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["decided"] == [{"mapping": one, "status": "accepted"}, {"mapping": two, "status": "rejected"}]
    status = {f"{r['document']}#{r['index']}:{r['goal']}": r["status"] for r in out["mappings"]}
    assert status[one] == "accepted" and status[two] == "rejected"
    rest = json.loads(_vlr("align", "review", "--db", str(db), "--accept-above", "0", "--json",
                           cwd=tmp_path).stdout)
    assert rest["accepted_above"] == len(listed) - 2 and rest["mappings"] == []
    bad = _vlr("align", "review", "--db", str(db), "--accept", "plan.pdf:3", cwd=tmp_path)
    assert bad.returncode == 2 and "DOCUMENT#PASSAGE:GOAL" in bad.stderr and "Traceback" not in bad.stderr
    missing = _vlr("align", "review", "--db", str(db), "--accept", "nope.pdf#0:3", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.pdf" in missing.stderr


def test_vlr_classify_writes_the_documented_columns(tmp_path):
    src = tmp_path / "texts.csv"
    src.write_text("id,text,lang\n1,全面推行生活垃圾分类。,\n2,Expand bus rapid transit and cycle lanes.,en\n"
                   "3,Members are asked to note the report.,\n=4,Plant 20000 trees in the urban forest.,\n",
                   encoding="utf-8")
    out = tmp_path / "pred.csv"
    res = _vlr("classify", "--in", str(src), "--out", str(out), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["id", "lang", "goal", "goals", "target", "targets", "scores"]
    assert rows[0]["lang"] == "zh-Hans" and rows[0]["goal"] == "11" and rows[0]["goals"].split(";")[0] == "11"
    assert rows[1]["target"] == "11.2" and 1 <= len(rows[1]["targets"].split(";")) <= 3
    assert rows[2]["goals"] == ""
    assert rows[3]["id"] == "'=4"  # no formula reaches a spreadsheet
    assert max(json.loads(rows[1]["scores"]).items(), key=lambda kv: kv[1])[0] == "11"
    bad = tmp_path / "bad.csv"
    bad.write_text("key,body\n1,x\n", encoding="utf-8")
    err = _vlr("classify", "--in", str(bad), "--out", str(out), cwd=tmp_path)
    assert err.returncode == 2 and "id,text" in err.stderr and "Traceback" not in err.stderr
