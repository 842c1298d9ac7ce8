"""``vlr init``, ``vlr demo``, ``vlr export``, ``vlr import-package``, ``vlr editions``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from vlrkit.cli.common import (
    DEFAULT_DB,
    USER_ERRORS,
    EntityOption,
    UserError,
    console,
    open_store,
    print_json,
)

USER_ERRORS.append("vlrkit.formats.package.PackageError")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(demo)
    app.command("export")(export)
    app.command("import-package")(import_package)
    app.command()(editions)


def _store_errors() -> None:
    from vlrkit.store.queries import EditionExists, EditionNotFound

    for exc in (EditionExists, EditionNotFound):
        if exc not in USER_ERRORS:
            USER_ERRORS.append(exc)


def init(
    db: Path = typer.Option(DEFAULT_DB, "--db", help="SQLite file to create."),
    entity: str = typer.Option(None, help="Code of the city/region (e.g. 'lanjiang')."),
    name_en: str = typer.Option(None, "--name-en", help="English name."),
    name_zh: str = typer.Option(None, "--name-zh", help="Chinese name."),
    level: str = typer.Option("city", help="city, county, province or region."),
    country: str = typer.Option("", help="ISO 3166-1 alpha-3 country code, e.g. CHN."),
    edition: str = typer.Option(None, help="Code of the first edition, e.g. 2025."),
    period: str = typer.Option(None, help="Reporting period of the edition, e.g. 2015-2024."),
) -> None:
    """Create a review database (and optionally its entity and first edition)."""
    from vlrkit.review import model as rm

    if level not in rm.LEVELS:
        raise UserError(f"--level must be one of {', '.join(rm.LEVELS)}")
    if country and (len(country) not in (2, 3) or not country.isalpha()):
        raise UserError("--country must be an ISO 3166-1 code such as CHN or CN")
    span: tuple[int, int] | None = None
    if edition:
        try:
            start, end = (int(x) for x in (period or "").split("-"))
        except ValueError:
            raise UserError("--period must look like 2015-2024") from None
        span = (start, end)
    open_store(db, must_exist=False)
    _store_errors()
    if entity is None:
        console.print(f"Created {db}.")
        return
    names = {k: v for k, v in (("en", name_en), ("zh-Hans", name_zh)) if v}
    from vlrkit.store import models as m

    ent, _ = m.Entity.objects.update_or_create(
        code=entity, defaults={"names": names or {"en": entity}, "level": level,
                               "country": country.upper()})
    if edition and span:
        start, end = span
        if m.Edition.objects.filter(entity=ent, code=edition).exists():
            raise UserError(f"edition {edition!r} exists already")
        m.Edition.objects.create(entity=ent, code=edition, year=end + 1 if end < 3000 else end,
                                 period_start=start, period_end=end,
                                 languages=["zh-Hans", "en"])
    console.print(f"Created {db} with entity {entity}" + (f", edition {edition}" if edition else "") + ".")


def demo(
    db: Path = typer.Option(DEFAULT_DB, "--db", help="SQLite file to write the demo review to."),
    seed: int = typer.Option(2025, min=0, help="Random seed (the same seed gives the same city)."),
    replace: bool = typer.Option(True, help="Replace the demo edition if it is there already."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Build the demo city's review in DB and print a summary."""
    from vlrkit.demo import build_demo, summary

    open_store(db, must_exist=False)
    _store_errors()
    from vlrkit.store.queries import save_review

    review = build_demo(seed=seed)
    save_review(review, replace=replace)
    logins = _demo_accounts(review.entity.code)
    info = summary(review)
    if json_out:
        print_json({**info, "logins": logins})
        return
    _print_summary(info, db)
    console.print("Demo logins (password for all: "
                  f"[bold]{next(iter(logins.values()))}[/]): {', '.join(logins)}")


#: Demo accounts, one per role, so each role's view of the workspace can be tried.
DEMO_ACCOUNTS: dict[str, dict] = {
    "coordinator": {"roles": ["coordinator"]},
    "editor": {"roles": ["editor"]},
    "provider": {"roles": ["data_provider"], "goals": [6, 11]},
    "stakeholder": {"roles": ["stakeholder"]},
    "reader": {"roles": ["reader"]},
}


def _demo_accounts(entity: str) -> dict[str, str]:
    """Create the demo web accounts, with their roles in the demo ``entity`` (idempotent);
    returns user name → password."""
    from vlrkit.cli.serve import DEMO_PASSWORD
    from vlrkit.web import accounts

    for name, spec in DEMO_ACCOUNTS.items():
        accounts.add_user(name, DEMO_PASSWORD, roles=spec["roles"], entity=entity, goals=spec.get("goals", ()),
                          check_password=False)
    return {name: DEMO_PASSWORD for name in DEMO_ACCOUNTS}


def _print_summary(info: dict, db: Path) -> None:
    from vlrkit import sdg

    names = info.get("names") or {}
    console.print(f"[bold]Demo review written to {db}[/]: "
                  f"{' / '.join(names.values()) or info.get('entity', '')}")
    per_goal = {int(k): v for k, v in info.get("indicators_per_goal", {}).items()}
    for key, value in info.items():
        if key in ("indicators_per_goal", "names"):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
        console.print(f"  {key.replace('_', ' ')}: {shown}")
    table = Table("SDG", "goal", "indicators", title="Indicators per goal")
    for g in sdg.goals():
        n = per_goal.get(g.number, 0)
        table.add_row(f"[on {g.colour}] {g.number:>2} [/]", g.short_title("en"),
                      str(n) if n else "[red]0[/]")
    console.print(table)
    covered = sum(1 for v in per_goal.values() if v)
    console.print(f"[bold]Goals covered: {covered}/17[/]")


def export(
    db: Path = typer.Option(DEFAULT_DB, "--db", help="Review database."),
    out: Path = typer.Option(..., "--out", help="Folder, or a file ending in .zip."),
    edition: str = typer.Option(None, help="Edition code (default: the latest)."),
    entity: str = EntityOption,
) -> None:
    """Export one edition as a review package (Frictionless data package)."""
    open_store(db)
    _store_errors()
    from vlrkit.store.queries import load_review

    review = load_review(edition, entity)
    from vlrkit.formats.package import write_package

    path = write_package(review, out)
    console.print(f"Exported {review.entity.code} {review.edition.code} to {path}.")


def import_package(
    path: Path = typer.Argument(..., help="A review package folder or zip."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="Review database (created if missing)."),
    replace: bool = typer.Option(False, help="Replace the edition if it is already there."),
) -> None:
    """Import a review package into DB (all or nothing)."""
    from vlrkit.formats.package import read_package

    review = read_package(path)
    open_store(db, must_exist=False)
    _store_errors()
    from vlrkit.store.queries import save_review

    save_review(review, replace=replace)
    console.print(
        f"Imported {review.entity.code} {review.edition.code}: {len(review.indicators)} indicators, "
        f"{review.observations.height} observations, {len(review.narratives)} narratives."
    )


def editions(db: Path = typer.Option(DEFAULT_DB, "--db", help="Review database."),
             json_out: bool = typer.Option(False, "--json")) -> None:
    """List the editions in DB."""
    open_store(db)
    from vlrkit.store.queries import editions as list_editions

    rows = list_editions()
    if json_out:
        print_json(rows)
        return
    table = Table("entity", "edition", "year", "status")
    for r in rows:
        table.add_row(r["entity"], r["code"], str(r["year"]), r["status"])
    console.print(table)
