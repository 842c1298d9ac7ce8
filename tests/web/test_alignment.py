"""Alignment / 政策对标 pages: upload a Chinese plan and a budget, the heat map and the attention
gap, the drill-down with its evidence, accepting and rejecting mappings, and who may do what."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.conftest import DRAFT, ENTITY, PUBLISHED, follow_job

from vlrkit.web.editions import EditionKey

# A small plan in the style of a 政府工作报告 (written for this test).
PLAN_ZH = """\
测试市二〇二五年政府工作报告（节选）

全面推行生活垃圾分类，建成厨余垃圾处理厂，城市生活垃圾回收利用率达到百分之三十五。
推进海绵城市建设，改造城镇老旧小区一百二十个，新增公共停车泊位三千个。
实施乡村振兴战略，巩固拓展脱贫攻坚成果，落实低保和特困人员救助供养政策。
加强河长制落实，开展黑臭水体治理，城市污水处理率达到百分之九十八。
""".encode()

BUDGET_CSV = """\
项目名称,预算金额（万元）,部门,功能分类
生活垃圾分类收运体系建设,1200,城市管理局,城乡社区支出
城乡居民最低生活保障资金,3400,民政局,社会保障和就业支出
黑臭水体整治工程,800,生态环境局,节能环保支出
""".encode()


def _upload(client, name: str, data: bytes, edition: str = DRAFT):
    """Upload a plan; the mapping job runs (here, in process) and the page it leads to is returned."""
    response = client.post(f"/review/{ENTITY}/{edition}/alignment/", {"file": SimpleUploadedFile(name, data)},
                           follow=True)
    if not response.redirect_chain or "/jobs/" not in response.redirect_chain[-1][0]:
        return response  # refused before any job: a bad file type, or no right to upload
    return follow_job(client, response)


def _cells(html: str) -> dict[tuple[str, int], int]:
    """(document, goal) -> the number printed in the heat map's cell."""
    out = {}
    for goal, doc, n in re.findall(r'href="[^"]*/alignment/goal/(\d+)/\?document=([^"]+)">(\d+)<', html):
        out[(doc, int(goal))] = int(n)
    return out


@pytest.mark.django_db
def test_upload_heat_map_drill_down_and_accept(review, as_role):
    from vlrkit.store.align.queries import load_alignment, report_sections

    client = as_role("coordinator")
    page = _upload(client, "plan.txt", PLAN_ZH).content.decode()
    assert "plan.txt" in page and "heat-map" in page
    page = _upload(client, "budget.csv", BUDGET_CSV).content.decode()
    cells = _cells(page)
    # the heat map is a real table with numbers: waste sorting (11 or 12) and the poverty line (1)
    assert cells.get(("budget.csv", 1), 0) >= 1
    assert cells.get(("plan.txt", 11), 0) + cells.get(("plan.txt", 12), 0) >= 1
    assert "<table class=\"heat\" id=\"goal-heat\">" in page and "<th scope=\"row\">plan.txt" in page
    # the attention gap table lists all 17 goals
    assert page.count('<tr class="flag-') == 17

    al = load_alignment(DRAFT)
    assert {s.name for s in al.sources} == {"plan.txt", "budget.csv"}
    line = next(p for p in al.passages if p.document == "budget.csv" and "最低生活保障" in p.text)
    assert 1 in line.goals

    # drill down: the passage, its evidence (a matched term and target text) and the buttons
    html = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/goal/1/", {"document": "budget.csv"}).content.decode()
    assert "最低生活保障" in html and "<mark>" in html
    assert any(e.target.startswith("1.") for e in line.evidence)
    target_text = next(e.target_text for e in line.evidence if e.target.startswith("1."))
    assert target_text[:20] in html
    assert "lexicon term" in html  # the signal is named in words, not by its code
    assert 'name="csrfmiddlewaretoken"' in html and 'value="accepted"' in html

    # nothing is accepted yet: the report sections count no budget for goal 1
    before = report_sections("en", {}, edition=DRAFT)
    assert before  # something was aligned
    # accept the mapping
    r = client.post(f"/review/{ENTITY}/{DRAFT}/alignment/decide/",
                    {"document": "budget.csv", "index": line.index, "goal": 1, "status": "accepted"})
    assert r.status_code == 302 and "/alignment/goal/1/" in r["Location"]
    after = load_alignment(DRAFT)
    decided = next(p for p in after.passages if p.document == "budget.csv" and p.index == line.index)
    assert decided.status == {1: "accepted"}
    from vlrkit.align import attention

    accepted = {a.goal: a for a in attention(after, only_accepted=True)}
    assert accepted[1].amount == pytest.approx(line.amount)
    assert sum(a.budget_lines for a in accepted.values()) == 1
    # the heat map's "accepted" column now counts one mapping for the budget
    page = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/").content.decode()
    assert re.search(r'<th scope="row">budget\.csv.*?<td class="num">\d+</td><td class="num">1</td></tr>', page, re.S)

    # reject it: the passage leaves the cell's count but stays listed as rejected
    client.post(f"/review/{ENTITY}/{DRAFT}/alignment/decide/",
                {"document": "budget.csv", "index": line.index, "goal": 1, "status": "rejected"})
    assert load_alignment(DRAFT).passages[al.passages.index(line)].status == {1: "rejected"}
    html = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/goal/1/", {"document": "budget.csv"}).content.decode()
    assert "status-rejected" in html


@pytest.mark.django_db
def test_bad_files_are_refused_with_a_clear_message(review, as_role):
    client = as_role("editor")
    page = _upload(client, "plan.exe", b"MZ").content.decode()
    assert "plan.exe" in page and "only PDF, DOCX" in page
    bad = "项目名称,预算金额（万元）,部门,功能分类\n垃圾分类,一千二,城管局,城乡社区支出\n".encode()
    page = _upload(client, "bad.csv", bad).content.decode()
    assert "bad.csv" in page and "Nothing was stored" in page
    # a zip bomb posing as a Word file is refused before python-docx opens it
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * (40 * 1024 * 1024))
    page = _upload(client, "bomb.docx", buf.getvalue()).content.decode()
    assert "bomb.docx" in page and "zip bomb" in page
    from vlrkit.store.align.queries import load_alignment

    assert load_alignment(DRAFT).sources == ()
    # an incomplete decision changes nothing and is not a server error
    r = client.post(f"/review/{ENTITY}/{DRAFT}/alignment/decide/", {"document": "x", "index": "a", "goal": 1})
    assert r.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "read", "write"), [
    ("coordinator", True, True), ("editor", True, True), ("data_provider", True, False),
    ("stakeholder", False, False), ("reader", False, False), (None, False, False),
])
def test_who_may_see_and_decide(review, as_role, role, read, write):
    client = as_role(role)
    page = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/")
    assert (page.status_code == 200) is read
    if read:
        assert ('enctype="multipart/form-data"' in page.content.decode()) is write
    r = _upload(client, "plan.txt", PLAN_ZH)
    from vlrkit.store.align.queries import load_alignment

    assert bool(load_alignment(DRAFT).sources) is write
    if not write:
        assert r.redirect_chain == [] or "login" in r.redirect_chain[0][0]


@pytest.mark.django_db
def test_published_edition_is_read_only(review, as_role):
    client = as_role("coordinator")
    assert client.get(f"/review/{ENTITY}/{PUBLISHED}/alignment/").status_code == 200
    assert client.post(f"/review/{ENTITY}/{PUBLISHED}/alignment/",
                       {"file": SimpleUploadedFile("plan.txt", PLAN_ZH)}).status_code == 403


@pytest.mark.django_db
def test_chinese_page(review, as_role):
    client = as_role("coordinator")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    _upload(client, "plan.txt", PLAN_ZH)
    html = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/").content.decode()
    for zh in ("政策对标", "关注缺口", "热力图"):
        assert zh in html, zh
    assert "Heat map" not in html


@pytest.mark.django_db
def test_accepted_mappings_reach_the_report_sections(review, as_role):
    """Accepted mappings feed GE-5c and GE-7 of the report built for publishing (and by the CLI)."""
    from vlrkit.report.build import added_blocks, build_report
    from vlrkit.store.align.queries import load_alignment
    from vlrkit.store.queries import load_review
    from vlrkit.web import rendering

    client = as_role("editor")
    _upload(client, "budget.csv", BUDGET_CSV)
    line = next(p for p in load_alignment(DRAFT).passages if "最低生活保障" in p.text)
    rev = load_review(DRAFT)

    def budget_rows(lang: str) -> list[tuple]:
        # as publishing and `vlr report` do: the blocks are active around the whole rendering
        with added_blocks(rendering._alignment(EditionKey(ENTITY, DRAFT), None, [lang])):
            ge7 = build_report(rev, lang).section("GE-7")
        table = next(b for b in ge7.blocks if getattr(b, "id", "") == "align-budget")
        return list(table.rows)

    assert "align-coverage" in {getattr(b, "id", "") for b in
                                build_report(rev, "en", None, rendering._alignment(EditionKey(ENTITY, DRAFT), None, ["en"])["en"])
                                .section("GE-5c").blocks}
    before = budget_rows("en")
    client.post(f"/review/{ENTITY}/{DRAFT}/alignment/decide/",
                {"document": "budget.csv", "index": line.index, "goal": 1, "status": "accepted"})
    after = budget_rows("en")
    assert after != before
    assert any("3,400" in " ".join(map(str, row)) or "3400" in " ".join(map(str, row)) for row in after)
    # the Chinese report gets the same blocks in Chinese
    zh = build_report(rev, "zh-Hans", None, rendering._alignment(EditionKey(ENTITY, DRAFT), None, ["zh-Hans"])["zh-Hans"])
    assert any("预算" in getattr(b, "caption", "") for b in zh.section("GE-7").blocks)
    # without extra blocks the report has none of them (the core never reads the store)
    assert not any(getattr(b, "id", "").startswith("align-") for b in build_report(rev, "en").section("GE-7").blocks)


@pytest.mark.django_db
def test_docx_and_html_plans(review, as_role):
    """Word and HTML plans go through the same upload (DOCX passes the zip guard)."""
    import io

    import docx

    from vlrkit.store.align.queries import load_alignment

    d = docx.Document()
    d.add_paragraph("推进海绵城市建设，改造城镇老旧小区一百二十个。")
    d.add_paragraph("全面推行生活垃圾分类，建成厨余垃圾处理厂。")
    buf = io.BytesIO()
    d.save(buf)
    client = as_role("coordinator")
    _upload(client, "plan.docx", buf.getvalue())
    html = ("<html><head><script>var x='乡村振兴';</script></head><body><nav>首页</nav>"
            "<p>We will build 2,000 affordable homes and extend the bus rapid transit network.</p></body></html>")
    _upload(client, "strategy.html", html.encode())
    al = load_alignment(DRAFT)
    assert [(s.name, s.kind) for s in al.sources] == [("plan.docx", "docx"), ("strategy.html", "html")]
    assert any(11 in p.goals for p in al.passages if p.document == "plan.docx")
    assert not any("乡村振兴" in p.text for p in al.passages)  # the script was left out


# Sentences that serve two goals at once, and one that serves none (written for this test).
PLAN_LINKS_ZH = """\
测试市生态环境专项规划（节选）

统筹推进海绵城市建设和黑臭水体治理，协同提升城市排水防涝能力和水环境质量。
发展光伏发电和风电，推进工业企业节能改造，减少温室气体排放。
本规划由市人民政府办公室负责解释，自印发之日起施行。
""".encode()


def _unmapped_count(html: str, doc: str) -> int:
    m = re.search(r'<td class="num unmapped">(?:<a href="[^"]*/alignment/goal/0/\?document=' + re.escape(doc)
                  + r'">(\d+)</a>|<span class="muted">(0)</span>)</td>', html)
    assert m, "the heat map has a 'no goal' column"
    return int(m.group(1) or m.group(2))


@pytest.mark.django_db
def test_targets_interlinkages_and_adding_a_missed_goal(review, as_role):
    from vlrkit.align import coverage, interlinkages
    from vlrkit.store.align.queries import load_alignment

    client = as_role("coordinator")
    page = _upload(client, "eco.txt", PLAN_LINKS_ZH).content.decode()
    al = load_alignment(DRAFT)

    # the target × document table has one row per served target, with the stored counts
    matrix = coverage(al, level="target")
    served = {c: matrix.cell("eco.txt", c) for c in matrix.columns if matrix.cell("eco.txt", c)}
    assert served, "the plan serves some target"
    for code, n in served.items():
        goal = code.split(".")[0]
        link = f'/alignment/goal/{goal}/?document=eco.txt&amp;target={code}">{n}<'
        assert link in page, code
    # the drill-down by target lists only the passages whose best targets include it
    code = next(iter(served))
    html = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/goal/{code.split('.')[0]}/",
                      {"document": "eco.txt", "target": code}).content.decode()
    wanted = [p for p in al.passages if code in p.targets and int(code.split(".")[0]) in p.effective_goals()]
    assert html.count('class="card passage') == len(wanted) and len(wanted) == served[code]

    # interlinkages: a person adds a second goal to a mapped passage; the pair appears in the
    # table with the analysis' count, linked to the passages that serve both
    first = next(p for p in al.passages if p.effective_goals())
    extra = next(g for g in (13, 3, 9) if g not in first.effective_goals())
    client.post(f"/review/{ENTITY}/{DRAFT}/alignment/decide/",
                {"document": "eco.txt", "index": first.index, "goal": extra, "status": "accepted"})
    al = load_alignment(DRAFT)
    links = interlinkages(al)
    pair = tuple(sorted((first.effective_goals()[0], extra)))
    assert pair in {link.goals for link in links}
    page = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/").content.decode()
    for link in links:
        a, b = link.goals
        assert f'/alignment/goal/{a}/?also={b}">{link.passages}<' in page
    a, b = pair
    html = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/goal/{a}/", {"also": b}).content.decode()
    both = [p for p in al.passages if {a, b} <= set(p.effective_goals())]
    assert html.count('class="card passage') == len(both) >= 1

    # the administrative sentence serves no goal: counted, listed, and a person can add one
    none = [p for p in al.passages if not p.effective_goals()]
    assert _unmapped_count(page, "eco.txt") == len(none) >= 1
    html = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/goal/0/", {"document": "eco.txt"}).content.decode()
    assert "自印发之日起施行" in html and 'class="decide add-goal"' in html
    missed = next(p for p in none if "施行" in p.text)
    r = client.post(f"/review/{ENTITY}/{DRAFT}/alignment/decide/",
                    {"document": "eco.txt", "index": missed.index, "goal": 16, "status": "accepted"}, follow=True)
    assert "added" in r.content.decode()
    after = next(p for p in load_alignment(DRAFT).passages if p.document == "eco.txt" and p.index == missed.index)
    assert after.status == {16: "added"} and 16 in after.effective_goals(only_accepted=True)
    page = client.get(f"/review/{ENTITY}/{DRAFT}/alignment/").content.decode()
    assert _unmapped_count(page, "eco.txt") == len(none) - 1


@pytest.mark.django_db
def test_unknown_goal_in_the_drill_down_is_not_found(review, as_role):
    client = as_role("coordinator")
    assert client.get(f"/review/{ENTITY}/{DRAFT}/alignment/goal/18/").status_code == 404
    assert client.get(f"/review/{ENTITY}/{DRAFT}/alignment/goal/0/").status_code == 200


def test_every_evidence_signal_has_a_name_in_words():
    """Each signal the classifier can cite is named in words on the drill-down page."""
    import csv
    from pathlib import Path

    from vlrkit.align import classify
    from vlrkit.web.views.alignment import _signal_labels

    data = Path(__file__).resolve().parents[1] / "data" / "align"
    seen = set()
    for name in ("dev_zh.csv", "dev_en.csv"):
        with (data / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                seen |= {e.signal for e in classify(row["text"], row["lang"]).evidence}
    assert {"lexicon", "text"} <= seen
    assert seen <= set(_signal_labels()), seen - set(_signal_labels())
