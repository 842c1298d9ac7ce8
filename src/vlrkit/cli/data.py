"""``vlr validate``, ``vlr import``, ``vlr template``, ``vlr export-opensdg``, ``vlr export-sdmx``.

Each command parses its options, calls one core function (``vlrkit.ingest.read``,
``vlrkit.store.imports.store_ingest``, the format writers) and renders the result.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from vlrkit.cli.common import (
    USER_ERRORS,
    DbOption,
    EntityOption,
    UserError,
    console,
    open_store,
    print_json,
)

USER_ERRORS.extend(["vlrkit.formats.sources.SourceError", "vlrkit.formats.opensdg.mapping.MappingError"])

#: Problems shown in the human table before "… and N more" (``--json`` lists them all).
SHOW_PROBLEMS = 200


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command("import")(import_)
    app.command()(template)
    app.command("export-opensdg")(export_opensdg)
    app.command("export-sdmx")(export_sdmx)
    app.command("ref-area")(ref_area)


def _store_errors() -> None:
    from vlrkit.store.imports import ImportRefused
    from vlrkit.store.queries import EditionNotFound

    for exc in (ImportRefused, EditionNotFound):
        if exc not in USER_ERRORS:
            USER_ERRORS.append(exc)


def _mapping(path: Path | None, limits=None):  # noqa: ANN001, ANN202 - Limits, Mapping_ | None
    if path is None:
        return None
    from vlrkit.formats.limits import DEFAULT
    from vlrkit.formats.opensdg import mapping

    limits = limits or DEFAULT
    size = path.stat().st_size
    if size > limits.yaml_chars:  # not read at all: a mapping file is a few lines
        raise UserError(f"--mapping {path}: {size} bytes, more than the limit yaml_chars={limits.yaml_chars} / "
                        f"映射文件 {path}：{size} 字节，超过上限 yaml_chars={limits.yaml_chars}")
    return mapping.load(path.read_bytes(), limits=limits)


def _limits(values: list[str] | None):  # noqa: ANN202 - Limits
    from vlrkit.formats.limits import DEFAULT

    try:
        return DEFAULT.parse(values or ())
    except ValueError as exc:
        raise UserError(f"--limit: {exc}") from None


#: The ``--limit`` option of validate and import.
LIMIT_HELP = "Change a parsing limit, NAME=VALUE (repeatable), e.g. columns=5000; see docs/limits.md."


def _accept(values: list[str] | None) -> frozenset[str]:
    from vlrkit.validation.checks import ACCEPTABLE

    bad = set(values or ()) - ACCEPTABLE
    if bad:
        raise UserError(f"--accept takes {', '.join(sorted(ACCEPTABLE))} (not {', '.join(sorted(bad))}) / "
                        f"--accept 只接受 {', '.join(sorted(ACCEPTABLE))}")
    return frozenset(values or ())


def _render(report, title: str) -> None:  # noqa: ANN001 - a validation Report
    table = Table(title=title, show_lines=False)
    for col in ("severity", "type", "file", "row", "column", "message"):
        table.add_column(col, overflow="fold")
    for p in report.problems[:SHOW_PROBLEMS]:
        colour = "red" if p.severity == "error" else "yellow"
        table.add_row(f"[{colour}]{p.severity}[/]", p.type, p.file, "" if p.row is None else str(p.row),
                      p.column or "", f"{p.message['en']}\n{p.message['zh-Hans']}")
    if report.problems:
        console.print(table)
    if len(report.problems) > SHOW_PROBLEMS:
        console.print(f"… and {len(report.problems) - SHOW_PROBLEMS} more (use --json) / 另有 "
                      f"{len(report.problems) - SHOW_PROBLEMS} 条（请用 --json 查看）")
    verdict = "[green]valid / 有效[/]" if report.valid else "[red]not valid / 无效[/]"
    console.print(f"{verdict}: {report.files} files / 个文件, {report.rows} rows / 行, "
                  f"{report.errors} errors / 个错误, {report.warnings} warnings / 个警告")


def validate(
    path: Path = typer.Argument(..., help="A file, a folder (e.g. an Open SDG repository) or a .zip."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    mapping: Path = typer.Option(None, "--mapping", help="YAML file extending the column mapping."),
    db: Path = typer.Option(None, "--db", help="Also check indicator codes and units against this review database."),
    edition: str = typer.Option(None, help="Edition whose indicators are known (with --db; default: the latest)."),
    entity: str = EntityOption,
    accept: list[str] = typer.Option(None, "--accept", help="Error type reviewed and accepted (repeatable), as for vlr import."),
    limit: list[str] = typer.Option(None, "--limit", help=LIMIT_HELP),
) -> None:
    """Check data before importing it: every problem with file, row, column and reason."""
    from vlrkit import ingest

    known = None
    if db is not None:
        open_store(db)
        _store_errors()
        from vlrkit.store.queries import load_review

        known = {i.code: i for i in load_review(edition, entity).indicators}
    limits = _limits(limit)
    result = ingest.read(path, mapping=_mapping(mapping, limits), known=known, accept=_accept(accept), limits=limits)
    if as_json:
        print_json(result.report.to_dict())
    else:
        _render(result.report, f"vlr validate {path}")
    if not result.report.valid:
        raise typer.Exit(1)


def import_(
    path: Path = typer.Argument(..., help="A file, a folder (e.g. an Open SDG repository) or a .zip."),
    db: Path = DbOption,
    edition: str = typer.Option(None, help="Edition to import into (default: the latest)."),
    entity: str = EntityOption,
    partial: bool = typer.Option(False, "--partial", help="Store the valid rows; write the rejected ones to a rejects file."),
    rejects: Path = typer.Option(None, "--rejects", help="Rejects file for --partial (default: <name>.rejects.csv here)."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
    mapping: Path = typer.Option(None, "--mapping", help="YAML file extending the column mapping."),
    accept: list[str] = typer.Option(None, "--accept", help="Error type reviewed and accepted (repeatable): percentage-out-of-range, implausible-value, unit-mismatch."),
    limit: list[str] = typer.Option(None, "--limit", help=LIMIT_HELP),
) -> None:
    """Import data into a review: all-or-nothing unless --partial; importing twice adds nothing."""
    from vlrkit import ingest

    open_store(db)
    _store_errors()
    from vlrkit.store.imports import ImportRefused, store_ingest
    from vlrkit.store.queries import get_edition, load_review

    ed = get_edition(edition, entity)
    known = {i.code: i for i in load_review(ed.code, ed.entity.code).indicators}
    limits = _limits(limit)
    result = ingest.read(path, mapping=_mapping(mapping, limits), known=known, entity=ed.entity.code,
                         accept=_accept(accept), limits=limits)
    try:
        stored = store_ingest(result, edition=ed.code, entity=ed.entity.code, partial=partial, path=str(path))
    except ImportRefused:
        if as_json:
            print_json({**result.summary(), "imported": False, "report": result.report.to_dict()})
        else:
            _render(result.report, f"vlr import {path}")
        raise
    out = {**result.summary(), **stored.counts, "imported": True, "import": stored.code, "status": stored.status}
    if partial and ingest.rejects_count(result):
        target = rejects or Path(f"{Path(path).name}.rejects.csv")
        ingest.write_rejects(result, target)
        report_file = target.with_name(target.name.removesuffix(".csv") + ".report.json")
        report_file.write_text(json.dumps(result.report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        out["rejects_file"] = str(target)
        out["report_file"] = str(report_file)
    if as_json:  # the import's own result lists every problem and skipped file, as validate does
        print_json({**out, "report": result.report.to_dict()})
        return
    if result.report.problems:
        _render(result.report, f"vlr import {path}")
    console.print(
        f"Imported / 已导入: {out['created']} new / 新增, {out['updated']} updated / 更新, "
        f"{out['unchanged']} unchanged / 未变; {out['rejected']} rejected / 拒绝, "
        f"{out['placeholders']} placeholder files / 占位文件" + (f"; rejects / 拒绝行: {out['rejects_file']}" if "rejects_file" in out else "")
    )


def template(
    code: str = typer.Argument(..., help="Local indicator code."),
    db: Path = DbOption,
    edition: str = typer.Option(None, help="Edition (default: the latest)."),
    entity: str = EntityOption,
    fmt: str = typer.Option("xlsx", "--format", help="xlsx or csv."),
    out: Path = typer.Option(None, "--out", help="Output file (default: template-<code>.<format>)."),
) -> None:
    """Write a fill-in template for one indicator (XLSX with drop-downs and instructions, or CSV)."""
    if fmt not in ("xlsx", "csv"):
        raise UserError("--format must be xlsx or csv / --format 必须是 xlsx 或 csv")
    open_store(db)
    _store_errors()
    from vlrkit.formats.tabular import template as tpl
    from vlrkit.store.queries import load_review

    review = load_review(edition, entity)
    try:
        ind = review.indicator(code)
    except KeyError:
        raise UserError(f"no indicator {code!r} in edition {review.edition.code} / 本版本中没有指标 {code!r}") from None
    data = tpl.to_xlsx(ind) if fmt == "xlsx" else tpl.to_csv(ind)
    target = out or Path(f"template-{code}.{fmt}")
    target.write_bytes(data)
    console.print(f"Wrote / 已写入 {target}")


def export_opensdg(
    db: Path = DbOption,
    out: Path = typer.Option(..., "--out", help="Folder to write the repository into."),
    edition: str = typer.Option(None, help="Edition (default: the latest)."),
    entity: str = EntityOption,
) -> None:
    """Write the review's data as an Open SDG data repository (data/*.csv + meta/*.md)."""
    open_store(db)
    _store_errors()
    from vlrkit.formats.opensdg.writer import write_repository
    from vlrkit.store.queries import load_review

    review = load_review(edition, entity)
    counts = write_repository(out, review.indicators, review.observations, review.targets)
    console.print(f"Wrote / 已写入 {counts['data_files']} data files, {counts['rows']} rows → {out}")


def export_sdmx(
    db: Path = DbOption,
    out: Path = typer.Option(..., "--out", help="SDMX-CSV file to write (its structure message is written beside it)."),
    edition: str = typer.Option(None, help="Edition (default: the latest)."),
    entity: str = EntityOption,
    ref_area: str = typer.Option(None, "--ref-area",
                                 help="REF_AREA code for this export (default: the entity's, set with `vlr ref-area`)."),
    json_out: bool = typer.Option(False, "--json", help="Print what was decided (series codes, local codes) as JSON."),
) -> None:
    """Write the observations as SDMX-CSV conforming to the UN SDG DSD (IAEG-SDGs:SDG 1.14)."""
    open_store(db)
    _store_errors()
    from vlrkit.formats.sdmx import sdg
    from vlrkit.store.queries import load_review

    review = load_review(edition, entity, text=False)
    try:
        result = sdg.export(review, ref_area=ref_area)
    except ValueError as exc:  # no REF_AREA (sdg.RefAreaMissing) or not an SDMX code
        raise UserError(str(exc)) from None
    structure = sdg.structure_path(out)
    out.write_bytes(result.data)
    structure.write_bytes(result.structure)
    if json_out:
        print_json(sdg.summary(result))
        return
    local = sum(1 for s in result.series if s.local)
    console.print(f"Wrote / 已写入 {result.rows} observations, REF_AREA {result.ref_area}, "
                  f"{len(result.series) - local} SDG series codes + {local} local (_L_) → {out}, {structure}")
    if result.skipped:
        console.print(f"{len(result.skipped)} observations not written (key repeats another) / "
                      f"{len(result.skipped)} 条观测值未写入（键重复）")


def ref_area(
    code: str = typer.Argument(..., help="The REF_AREA code (M49 for a country, the national sub-area code for a city)."),
    db: Path = DbOption,
    entity: str = EntityOption,
) -> None:
    """Set the code a statistics office knows the entity by (SDMX REF_AREA), used by export-sdmx."""
    open_store(db)
    _store_errors()
    from vlrkit.store.queries import set_ref_area

    try:
        ent = set_ref_area(code, entity)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    console.print(f"REF_AREA of {ent} = {code} / {ent} 的 REF_AREA 已设为 {code}")
