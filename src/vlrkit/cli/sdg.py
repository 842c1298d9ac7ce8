"""``vlr sdg``: look up the SDG framework catalogue."""

from __future__ import annotations

import typer
from rich.table import Table

from vlrkit.cli.common import USER_ERRORS, UserError, console, print_json

USER_ERRORS.extend(["vlrkit.sdg.UnknownSdgId", "vlrkit.sdg.UnknownLanguage"])

app = typer.Typer(help="The SDG framework: goals, targets and global indicators in six languages.",
                  no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="sdg")


@app.command()
def show(
    code: str = typer.Argument(..., help="A goal (11), target (11.2) or indicator (11.2.1) id."),
    lang: str = typer.Option("en", "--lang", "-l", help="ar, en, es, fr, ru or zh (zh-Hans)."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one goal, target or indicator with its title in LANG."""
    from vlrkit import sdg

    lang = sdg.normalise_lang(lang)
    item = sdg.lookup(code)
    if isinstance(item, sdg.Goal):
        data = {"kind": "goal", "id": item.code, "title": item.title(lang),
                "short": item.short_title(lang), "colour": item.colour,
                "targets": [t.code for t in item.targets()],
                "indicators": [i.code for i in item.indicators()]}
    elif isinstance(item, sdg.Target):
        data = {"kind": "target", "id": item.code, "goal": item.goal, "title": item.title(lang),
                "indicators": [i.code for i in item.indicators()]}
    else:
        data = {"kind": "indicator", "id": item.code, "ids": list(item.ids),
                "targets": list(item.targets), "title": item.title(lang),
                "withdrawn": item.withdrawn or None}
    if json_out:
        print_json(data)
        return
    table = Table(show_header=False, box=None)
    for key, value in data.items():
        if value in (None, [], ""):
            continue
        table.add_row(f"[bold]{key}[/]", ", ".join(map(str, value)) if isinstance(value, list)
                      else str(value))
    console.print(table)


@app.command()
def stats(json_out: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """Counts of the catalogue: languages, goals, targets, unique indicators, links, withdrawn."""
    from vlrkit import sdg

    data = sdg.stats()
    if json_out:
        print_json(data)
        return
    table = Table(title="SDG catalogue", show_header=False)
    for key, value in data.items():
        table.add_row(key, ", ".join(value) if isinstance(value, list) else str(value))
    console.print(table)


@app.command("list")
def list_(
    goal: int = typer.Option(None, "--goal", "-g", help="Only this goal's targets and indicators."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the titles."),
    withdrawn: bool = typer.Option(False, "--withdrawn", help="Include withdrawn indicator ids."),
) -> None:
    """List targets and indicators (of one goal, or all)."""
    from vlrkit import sdg

    lang = sdg.normalise_lang(lang)
    if goal is not None and not 1 <= goal <= 17:
        raise UserError(f"--goal must be between 1 and 17, not {goal}")
    table = Table("id", "title")
    for g in sdg.goals():
        if goal is not None and g.number != goal:
            continue
        table.add_row(f"[bold]{g.code}[/]", f"[bold]{g.title(lang)}[/]")
        for t in g.targets():
            table.add_row(t.code, t.short_title(lang, 90))
            for i in t.indicators(withdrawn=withdrawn):
                note = " (withdrawn)" if i.is_withdrawn else ""
                table.add_row("  " + i.code, i.short_title(lang, 90) + note)
    console.print(table)
