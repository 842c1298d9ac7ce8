"""``vlr align`` (map plans and budgets for an edition), ``vlr align review`` (accept or reject
the proposed mappings) and ``vlr classify`` (batch CSV)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from typer.core import TyperGroup

from vlrkit.cli.common import USER_ERRORS, UserError, console, open_store, print_json

#: Columns ``vlr classify`` writes, in order.
PRED_COLUMNS = ("id", "lang", "goal", "goals", "target", "targets", "scores")


USER_ERRORS.append("vlrkit.align.errors.AlignInputError")


class _AlignGroup(TyperGroup):
    """``vlr align FILE...`` maps files; ``vlr align review …`` reviews the mappings.  Anything
    that is not a sub-command name goes to the mapping command, so both spellings work."""

    def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["map", *args]
        return super().parse_args(ctx, args)


group = typer.Typer(cls=_AlignGroup, help="Map plans and budgets to the SDGs (vlr align FILE...) and "
                    "review the proposed mappings (vlr align review).")
REF = re.compile(r"^(?P<doc>.+)#(?P<index>\d+):(?P<goal>\d+)$")


def register(root: typer.Typer) -> None:
    group.command("map", help="Map plans and budgets to SDG goals and targets (the default: "
                  "vlr align FILE... is vlr align map FILE...).")(align_cmd)
    group.command("review")(review_cmd)
    root.add_typer(group, name="align")
    root.command("classify")(classify_cmd)


def _ref(text: str) -> tuple[str, int, int]:
    m = REF.match(text)
    if not m:
        raise UserError(f"{text!r}: a mapping is DOCUMENT#PASSAGE:GOAL, e.g. plan.pdf#12:11 / "
                        f"映射的写法是 文件#段落:目标，例如 plan.pdf#12:11")
    return m["doc"], int(m["index"]), int(m["goal"])


def review_cmd(
    db: Annotated[Path | None, typer.Option("--db", help="Review database (default ./vlrkit.sqlite3).")] = None,
    edition: Annotated[str | None, typer.Option("--edition", help="Edition code (default: the latest).")] = None,
    accept: Annotated[list[str] | None, typer.Option("--accept", help="Accept DOCUMENT#PASSAGE:GOAL (repeatable; a goal not proposed is added).")] = None,
    reject: Annotated[list[str] | None, typer.Option("--reject", help="Reject DOCUMENT#PASSAGE:GOAL (repeatable).")] = None,
    above: Annotated[float | None, typer.Option("--accept-above", help="Accept every proposal with a calibrated score ≥ this (0–1).")] = None,
    status: Annotated[str, typer.Option("--status", help="Which mappings to list: proposed, accepted, rejected, added or all.")] = "proposed",
    by: Annotated[str | None, typer.Option("--by", help="Who decides (default: the login name).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Review the edition's mappings: list them, accept or reject some, or accept every proposal
    above a confidence.  Only accepted (and added) mappings count in the report's figures."""
    import getpass

    decisions = [(*_ref(r), "accepted") for r in accept or []] + [(*_ref(r), "rejected") for r in reject or []]
    if status not in ("proposed", "accepted", "rejected", "added", "all"):
        raise UserError(f"unknown status {status!r}; choose proposed, accepted, rejected, added or all / 未知状态 {status}")
    open_store(db)
    from vlrkit.store.align.queries import MappingNotFound, accept_above, mappings, set_status
    from vlrkit.store.queries import EditionNotFound

    user = by or getpass.getuser()
    done: list[dict[str, object]] = []
    try:
        for doc, index, goal, what in decisions:
            stored = set_status(doc, index, goal, what, user=user, edition=edition)
            done.append({"mapping": f"{doc}#{index}:{goal}", "status": stored})
        bulk = accept_above(above, user=user, edition=edition) if above is not None else None
        rows = mappings(None if status == "all" else status, edition)
    except EditionNotFound as exc:
        raise UserError(f"{exc} / 数据库中没有该版本的审查") from exc
    except MappingNotFound as exc:
        raise UserError(f"{exc} / 没有该段落") from exc
    except ValueError as exc:
        raise UserError(f"{exc} / 取值无效") from exc
    if json_out:
        print_json({"decided": done, "accepted_above": bulk, "mappings": rows})
        return
    for d in done:
        console.print(f"{d['mapping']}: {d['status']}")
    if bulk is not None:
        console.print(f"{bulk} proposals with a score ≥ {above} accepted / 已接受 {bulk} 条得分不低于 {above} 的建议映射")
    table = Table(title=f"Mappings ({status}) / 映射（{status}）")
    for col in ("mapping / 映射", "score / 得分", "status / 状态", "text / 文本"):
        table.add_column(col)
    for r in rows:
        text = str(r["text"])
        table.add_row(f"{r['document']}#{r['index']}:{r['goal']}", f"{r['score']:.2f}", str(r["status"]),
                      text if len(text) <= 80 else text[:77] + "…")
    console.print(table)


def classify_cmd(
    infile: Annotated[Path, typer.Option("--in", help="CSV with columns id,text (optional lang).")],
    outfile: Annotated[Path, typer.Option("--out", help="CSV to write: id,lang,goal,goals,target,targets,scores.")],
    lang: Annotated[str | None, typer.Option("--lang", help="Language of every text (default: the lang column, else detected).")] = None,
) -> None:
    """Map each text of a CSV to SDG goals and targets (batch use)."""
    from vlrkit.align.classify import classify
    from vlrkit.formats import spreadsheet

    try:
        with open(infile, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
            header = list(rows[0].keys()) if rows else []
    except UnicodeDecodeError as exc:
        raise UserError(f"{infile}: not UTF-8 text / 不是 UTF-8 编码的文本") from exc
    if rows and not {"id", "text"} <= set(header):
        raise UserError(f"{infile}: needs columns id,text (has {','.join(header)}) / "
                        f"需要 id,text 两列（现有 {','.join(header)}）")
    if not rows:
        with open(infile, newline="", encoding="utf-8-sig") as f:
            first = next(csv.reader(f), [])
        if not {"id", "text"} <= {c.strip() for c in first}:
            raise UserError(f"{infile}: needs a header row with columns id,text / 需要含 id,text 列的表头")
    with open(outfile, "w", newline="", encoding="utf-8") as f:
        w = spreadsheet.csv_writer(f, lineterminator="\r\n")
        w.writerow(PRED_COLUMNS)
        for n, row in enumerate(rows, start=1):
            text = row.get("text") or ""
            if row.get("id") is None or row.get("text") is None:
                raise UserError(f"{infile}: row {n} has fewer cells than the header / 第{n}行的单元格少于表头")
            p = classify(text, lang or (row.get("lang") or "").strip() or None)
            w.writerow([row["id"], p.lang, p.goal or "", ";".join(map(str, p.goals)),
                        p.target or "", ";".join(p.targets),
                        json.dumps({str(g): s for g, s in p.scores.items() if s > 0}, ensure_ascii=False)])
    console.print(f"Classified {len(rows)} texts → {outfile} / 已分类 {len(rows)} 条文本")


def align_cmd(
    files: Annotated[list[Path] | None, typer.Argument(help="Plans, reports (PDF, DOCX, TXT, MD, HTML) and budgets (CSV, XLSX).")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Review database (default ./vlrkit.sqlite3).")] = None,
    edition: Annotated[str | None, typer.Option("--edition", help="Edition code (default: the latest).")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Entity code, when several entities have an edition with the same code.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the documents (default: detected).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Map plans and budget lines to SDG goals and targets and store the mapping for the edition.

    Without FILE, show the edition's stored alignment.
    """
    from vlrkit.align import align, attention, coverage, interlinkages, read_path

    sources = [read_path(f) for f in files or []]
    al_new = align(sources, lang) if sources else None
    open_store(db)
    from vlrkit.store.align.queries import load_alignment, save_alignment
    from vlrkit.store.queries import EditionNotFound

    try:
        outcome = save_alignment(al_new, edition, entity) if al_new is not None else {}
        al = load_alignment(edition, entity)
    except EditionNotFound as exc:
        raise UserError(f"{exc} / 数据库中没有该版本的审查") from exc
    att = attention(al)
    cov = coverage(al)
    links = interlinkages(al)
    if json_out:
        print_json({
            "documents": [{"name": s.name, "kind": s.kind, "lang": s.lang, "passages": s.passages,
                           "budget": s.is_budget, "total": s.total, "unit": s.unit,
                           "stored": outcome.get(s.name, "unchanged" if al_new else "stored")}
                          for s in al.sources],
            "coverage": {r: dict(zip(cov.columns, vals, strict=True)) for r, vals in zip(cov.rows, cov.values, strict=True)},
            "attention": [{"goal": a.goal, "passages": a.passages, "share": round(a.share, 4),
                           "budget_lines": a.budget_lines, "amount": a.amount,
                           "amount_weighted": round(a.amount_weighted, 2),
                           "budget_share": round(a.budget_share, 4)} for a in att],
            "interlinkages": [{"goals": list(lk.goals), "passages": lk.passages, "lift": lk.lift,
                               "flags": list(lk.flags), "why": list(lk.reasons_en)} for lk in links[:20]],
        })
        return
    for name, what in outcome.items():
        console.print(f"{name}: {what}")
    table = Table(title="SDG attention / 各目标关注度")
    for col in ("goal / 目标", "passages / 段落", "share / 占比", "budget / 预算"):
        table.add_column(col, justify="right")
    for a in att:
        table.add_row(str(a.goal), str(a.passages), f"{a.share:.1%}", f"{a.amount:,.0f}" if a.budget_lines else "")
    console.print(table)
    console.print(f"{len(al.sources)} documents, {len(al.passages)} passages / "
                  f"{len(al.sources)} 份文件，{len(al.passages)} 个段落")
