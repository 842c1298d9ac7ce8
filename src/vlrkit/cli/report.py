"""``vlr check`` (guiding-element completeness) and ``vlr report`` (render the review)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vlrkit.cli.common import (
    USER_ERRORS,
    DbOption,
    EntityOption,
    UserError,
    console,
    console_err,
    open_store,
    print_json,
)

USER_ERRORS.append("vlrkit.report.render.ReportError")

#: The report's formats and languages as :mod:`vlrkit.report.render` names them, written out
#: here for the help texts so that ``vlr --help`` does not load the report stack
#: (``tests/cli/test_startup.py`` checks that the two agree).
FORMATS: tuple[str, ...] = ("html", "pdf", "docx", "json", "datapackage")
LANGUAGES: tuple[str, ...] = ("zh-Hans", "en")

#: Where `vlr report` writes when --out is not given.
DEFAULT_OUT = Path("report")


def _load(db: Path | None, edition: str | None, entity: str | None = None):  # type: ignore[no-untyped-def]
    open_store(db)
    from vlrkit.store.queries import EditionNotFound, load_review

    try:
        return load_review(edition, entity)
    except EditionNotFound as exc:
        raise UserError(f"{exc} / 未找到评估版本：{edition or '（数据库中尚无评估）'}") from exc


def _assessment(review):  # type: ignore[no-untyped-def]
    from vlrkit.report.progress import assess

    return assess(review)


def alignment_sections(review, assessment, langs) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """The GE-5c and GE-7 policy-alignment blocks per language, from the edition's accepted
    mappings (``{}`` per language when nothing was aligned)."""
    from vlrkit.report.progress import from_assessment
    from vlrkit.store.align.queries import report_sections

    scores = {g: p.score for g, p in from_assessment(assessment).goals.items()}
    return {lang: report_sections(lang, scores, edition=review.edition.code, entity=review.entity.code)
            for lang in langs}


def vertical_sections(review, national, langs) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """The GE-5a block (the review beside the national entity ``national``) per language."""
    from vlrkit.compare import blocks, vertical
    from vlrkit.report.i18n import text
    from vlrkit.store import models as m
    from vlrkit.store.queries import load_review

    if not m.Entity.objects.filter(code=national, level="national").exists():
        raise UserError(f"--national {national}: no national entity with that code (see `vlr import-national`) / "
                        f"没有代码为 {national} 的国家主体（见 `vlr import-national`）")
    nat = load_review(None, national, text=False)
    result = vertical.compare(review, nat)
    return {lang: {"GE-5a": blocks.ge5a(result, lang, local_name=text(review.entity.names, lang),
                                        national_name=text(nat.entity.names, lang))} for lang in langs}


def peer_sections(review, paths, langs) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """The "how we compare" block (GE-10: the review beside its peers' packages or Open SDG
    repositories ``paths``) per language."""
    from vlrkit.compare import blocks, peers, sources

    others = [sources.load(p).review for p in paths]
    result = peers.compare([review, *others])
    return {lang: {"GE-10": blocks.peers(result, lang, own=review.entity.code)} for lang in langs}


def diff_sections(review, since, langs) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """The GE-3 block (what changed since the edition ``since``) per language."""
    from vlrkit.compare import blocks, diff
    from vlrkit.store.queries import EditionNotFound, load_review

    try:
        old = load_review(since, review.entity.code)
    except EditionNotFound as exc:
        raise UserError(f"--since {since}: {exc} / 未找到版本 {since}") from exc
    result = diff.diff(review, old)
    return {lang: {"GE-3": blocks.ge3(result, lang)} for lang in langs}


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_cmd(
        db: Path | None = DbOption,
        edition: str | None = typer.Option(None, "--edition", help="Edition code (default: the latest)."),
        entity: str | None = EntityOption,
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
        lang: str = typer.Option("en", "--lang", help="Language of the guidance: zh-Hans or en."),
        points: bool = typer.Option(False, "--points", help="List every point with what satisfied it."),
    ) -> None:
        """What stops the edition from being published (exit status 1 while anything does), which
        checklist points of the guiding elements the review covers, and what is missing."""
        from vlrkit.guide import check, guide

        if lang not in LANGUAGES:
            raise UserError(f"unknown language {lang}; choose from {', '.join(LANGUAGES)} / 未知语言 {lang}")
        from vlrkit.report.build import build_report
        from vlrkit.report.gates import gate

        review = _load(db, edition, entity)
        assessment = _assessment(review)
        result = check(review, assessment, lang=lang)
        published = [code for code in LANGUAGES if code in review.edition.languages] or list(LANGUAGES)
        blockers = gate(review, [build_report(review, code, assessment) for code in published])
        if as_json:
            print_json({**result.to_dict(), "gate": blockers.to_dict(lang)})
            if not blockers.open:
                raise typer.Exit(1)
            return
        from rich.markup import escape
        from rich.table import Table

        zh = lang.startswith("zh")
        declared = f" — {result.declared} {'项说明了未涉及的原因' if zh else 'declared not covered, with the reason'}" \
            if result.declared else ""
        console.print(f"[bold]{'已覆盖' if zh else 'Covered'}: {result.covered}/{result.total} ({result.share:.0%})[/]"
                      + declared)
        table = Table(show_header=True)
        for col in (("要素" if zh else "Element"), ("标题" if zh else "Title"), ("已覆盖" if zh else "Covered")):
            table.add_column(col)
        for el in guide().elements:
            c, t = result.element_share(el.id)
            if t:
                table.add_row(el.id, el.title(lang), f"{c}/{t}")
        console.print(table)
        if points:
            listing = Table(show_header=True)
            for col in (("要点" if zh else "Point"), ("依据" if zh else "By"), ("证据" if zh else "Evidence")):
                listing.add_column(col)
            for p in result.points:
                listing.add_row(p.id, p.by or "—", escape(p.evidence) or "—")
            console.print(listing)
        if result.missing:
            console.print("[bold]" + ("缺少的要点" if zh else "Missing points") + ":[/]")
            for m in result.missing:
                point = guide().point(m.id)
                console.print(f"  {m.id:<9} [bold]{point.title(lang)}[/] — {m.guidance}")
        if blockers.open:
            console.print("[bold green]" + ("可以发布：没有阻碍发布的问题。" if zh else
                                            "Ready to publish: nothing blocks publication.") + "[/]")
            return
        console_err.print("[bold red]" + (f"不能发布：{len(blockers.blockers)} 个问题" if zh else
                                          f"Not ready to publish: {len(blockers.blockers)} blockers") + "[/]")
        for b in blockers.blockers:
            console_err.print(f"  [{b.kind}] {escape(b.message(lang))}", soft_wrap=True)
        raise typer.Exit(1)

    @app.command("report")
    def report_cmd(
        db: Path | None = DbOption,
        edition: str | None = typer.Option(None, "--edition", help="Edition code (default: the latest)."),
        entity: str | None = EntityOption,
        formats: str = typer.Option(",".join(FORMATS), "--format", help=f"Comma-separated: {', '.join(FORMATS)}."),
        langs: str = typer.Option(",".join(LANGUAGES), "--lang", help="Comma-separated: zh-Hans, en."),
        out: Annotated[Path, typer.Option("--out", help="Output folder.")] = DEFAULT_OUT,
        national: str | None = typer.Option(None, "--national",
                                            help="A national entity (vlr import-national): adds the GE-5a table."),
        since: str | None = typer.Option(None, "--since",
                                         help="An earlier edition: adds 'what changed since the last review' (GE-3)."),
        peer: Annotated[list[Path] | None, typer.Option(
            "--peer", help="A peer city's review package or Open SDG repository (repeat for several): "
                           "adds 'how we compare' (GE-10).")] = None,
    ) -> None:
        """Render the review as an HTML site, PDF, DOCX, JSON and a Frictionless data package."""
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from vlrkit.report.build import added_blocks
        from vlrkit.report.render import parse_list, render, steps

        fmts = parse_list(formats, FORMATS, "format")
        lngs = parse_list(langs, LANGUAGES, "language")
        review = _load(db, edition, entity)
        assessment = _assessment(review)
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console, transient=False) as bar:
            task = bar.add_task("report", total=steps(fmts, lngs))
            sections = alignment_sections(review, assessment, lngs)
            more_sections: dict[str, dict] = {}
            if national:
                more_sections = vertical_sections(review, national, lngs)
            if since:
                for lang, blocks_ in diff_sections(review, since, lngs).items():
                    more_sections.setdefault(lang, {}).update(blocks_)
            if peer:
                for lang, blocks_ in peer_sections(review, peer, lngs).items():
                    more_sections.setdefault(lang, {}).update(blocks_)
            if more_sections:
                for lang, more in more_sections.items():
                    sections[lang] = {**sections.get(lang, {}), **{k: (*sections.get(lang, {}).get(k, ()), *v)
                                                                   for k, v in more.items()}}
            with added_blocks(sections):
                result = render(review, fmts, lngs, out, assessment=assessment, workers=None,
                                progress=lambda step: bar.update(task, advance=1, description=step))
        for f in result.files:
            console.print(str(f))
        from rich.markup import escape

        from vlrkit.report.refs import warnings

        # unresolved figure references do not stop the build: they show marked ⟦?…⟧ and are named
        for line in warnings((sid, r.lang, p) for r in result.reports for sid, p in r.unresolved()):
            console_err.print(f"[yellow]{escape(line)}[/]", soft_wrap=True)
