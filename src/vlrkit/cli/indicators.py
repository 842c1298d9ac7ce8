"""``vlr indicators export`` and ``vlr indicators import``: indicator specifications in bulk
(direction, unit, headline series, local and national targets, SDSN thresholds, SDG links and
grades) as one CSV or XLSX table (:mod:`vlrkit.formats.spec`)."""

from __future__ import annotations

from pathlib import Path

import typer

from vlrkit.cli.common import (
    USER_ERRORS,
    DbOption,
    EntityOption,
    UserError,
    console,
    open_store,
    print_json,
)

USER_ERRORS.append("vlrkit.store.specs.SpecRefused")

group = typer.Typer(help="Indicator specifications in bulk (export a table, edit it, import it back).",
                    no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="indicators")


@group.command("export")
def export(
    out: Path = typer.Option(..., "--out", help="spec.xlsx or spec.csv."),
    db: Path = DbOption,
    edition: str = typer.Option(None, help="Edition (default: the latest)."),
    entity: str = EntityOption,
) -> None:
    """Write every indicator's specification, with the direction the assessment resolves and its origin."""
    open_store(db)
    from vlrkit.assess import assess_review
    from vlrkit.formats import spec
    from vlrkit.store.queries import load_review

    review = load_review(edition, entity)
    rows = spec.rows_of(review, assess_review(review))
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise UserError("--out must end in .xlsx or .csv / --out 须以 .xlsx 或 .csv 结尾")
    out.write_bytes(spec.to_xlsx(rows) if out.suffix.lower() == ".xlsx" else spec.to_csv(rows))
    console.print(f"{len(rows)} indicators / 个指标 → {out}")


@group.command("import")
def import_(
    path: Path = typer.Argument(..., help="The edited spec.xlsx or spec.csv."),
    db: Path = DbOption,
    edition: str = typer.Option(None, help="Edition (default: the latest)."),
    entity: str = EntityOption,
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Apply an indicator specification: every cell checked (file, row, column, reason); all or nothing."""
    open_store(db)
    from vlrkit.formats import spec
    from vlrkit.store.queries import get_edition
    from vlrkit.store.specs import SpecRefused, apply

    ed = get_edition(edition, entity)
    known = {i.code: i for i in ed.indicators.all()}
    got = spec.read(path.read_bytes(), path.name, known)
    report = [p.to_dict() for p in got.problems]
    if not got.valid:
        if as_json:
            print_json({"applied": False, "problems": report})
        else:
            for p in got.problems:
                console.print(f"[red]{p.severity}[/] {p.file} row {p.row} {p.column or ''}: "
                              f"{p.message['en']} / {p.message['zh-Hans']}")
        raise SpecRefused(sum(1 for p in got.problems if p.severity == "error"))
    counts = apply(ed, got.changes, reason=f"vlr indicators import {path.name}")
    if as_json:
        print_json({"applied": True, **counts, "problems": report})
    else:
        console.print(f"Changed / 已更改: {counts['indicators']} indicators / 指标, {counts['targets']} targets / 目标, "
                      f"{counts['thresholds']} thresholds / 阈值, {counts['links']} links / 关联")
