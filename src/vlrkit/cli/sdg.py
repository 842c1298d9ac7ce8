"""``vlr sdg``: look up the SDG framework catalogue."""

from __future__ import annotations

import typer
from rich.markup import escape
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


@app.command("knowledge")
def knowledge_(
    code: str = typer.Argument(None, help="A global indicator id (3.1.1); without it, the catalogue's counts."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the title and the note (en or zh)."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """What vlrkit knows about a global indicator: direction, 2030 value, SDSN defaults, unit — with sources."""
    from vlrkit import sdg
    from vlrkit.sdg import knowledge as kn

    if code is None:
        counts = kn.stats()
        if json_out:
            print_json(counts)
            return
        table = Table(title="Knowledge catalogue", show_header=False)
        for key, value in counts.items():
            table.add_row(key, ", ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict)
                          else str(value))
        console.print(table)
        return
    item = sdg.lookup(code)
    if not isinstance(item, sdg.Indicator):
        raise UserError(f"{code!r} is not a global indicator id (e.g. 3.1.1)")
    lang = sdg.normalise_lang(lang)
    row = kn.knowledge(code)
    data = row.to_dict()
    if json_out:
        print_json(data)
        return
    table = Table(show_header=False, box=None)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")  # CJK text has no spaces to wrap at

    def add(key: str, value: str) -> None:
        table.add_row(key, escape(value))

    add("[bold]indicator[/]", data["indicator"] + ("  (withdrawn)" if data["withdrawn"] else ""))
    add("[bold]title[/]", item.title(lang))
    add("[bold]direction[/]", data["direction"])
    add("  source", data["direction_source"])
    if row.note(lang):
        add("  note", row.note(lang))
    if data["band"]:
        add("  band", f"{data['band']['low']:g} – {data['band']['high']:g}  ({data['band']['source']})")
    add("[bold]unit[/]", f"{data['unit'] or '—'}  [{', '.join(data['unit_keys']) or 'no key'}]")
    if data["unit_note"]:
        add("  note", data["unit_note"])
    t = data["target_2030"]
    if t is None:
        add("[bold]2030 value[/]", "— (the SDG target states none)")
    else:
        value = f"{t['op']} {t['value']:g}" if t["kind"] != "relative" else (
            f"{t['op']} {t['value']:.4g} × the {t['baseline_year']} value"
            + (" (of 100 − value)" if t["of"] == "complement" else ""))
        add("[bold]2030 value[/]", f"{t['kind']}: {value}, by {t['year_read_as']}"
            + ("" if t["year"] else " (no year stated)"))
        if t["scope"]:
            add("  applies to", t["scope"] + " (not inherited)")
        add("  source", t["source"])
        if t["note"]:
            add("  note", t["note"])
    if not data["sdsn"]:
        add("[bold]SDSN[/]", "— (no SDSN indicator matches)")
    for s in data["sdsn"]:
        nums = ", ".join(f"{k} {s[k]:g}" for k in ("best", "worst", "green", "red") if s[k] is not None)
        add(f"[bold]SDSN {s['edition']}[/]", f"{s['code']} ‘{s['name']}’ — {s['match']} match")
        add("  values", (nums or "no bounds") + f"  [{s['unit_key']}]")
        add("  source", s["source"] + (f"; optimum: {s['basis']}" if s["basis"] else ""))
        if s["note"]:
            add("  note", s["note"])
    console.print(table)
