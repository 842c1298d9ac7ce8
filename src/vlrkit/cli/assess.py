"""``vlr assess`` (a review in the database) and ``vlr assess-table`` (any CSV of entities)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from vlrkit.cli.common import USER_ERRORS, DbOption, UserError, console, open_store, print_json

METHOD_HELP = "sdsn, unsd, unsd5, statcan, eurostat, projection or escap."
_COLOUR_STYLE = {"green": "green", "yellow": "yellow", "orange": "dark_orange", "red": "red", "grey": "grey50"}
_ARROWS = {"on_track": "↑", "moderately_improving": "➚", "stagnating": "→", "decreasing": "↓",
           "insufficient_data": "·"}


def register(app: typer.Typer) -> None:
    from vlrkit.assess.table import TableInputError

    if TableInputError not in USER_ERRORS:
        USER_ERRORS.append(TableInputError)
    app.command("assess")(assess)
    app.command("assess-table")(assess_table)


def _method(method: str) -> str:
    from vlrkit.assess.review import METHODS

    if method not in METHODS:
        raise UserError(f"unknown method {method!r}; choose from {', '.join(METHODS)} / 未知方法 {method!r}")
    return method


def assess(
    db: Path = DbOption,
    edition: str = typer.Option(None, "--edition", "-e", help="Edition code (default: the latest)."),
    method: str = typer.Option("sdsn", "--method", "-m", help=METHOD_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the whole assessment as JSON."),
    csv_out: Path = typer.Option(None, "--csv", help="Write one row per indicator to this CSV file."),
    lang: str = typer.Option("en", "--lang", help="Language of the table: en or zh-Hans."),
) -> None:
    """Assess every indicator and goal of an edition: SDSN colours and trends, progress to targets."""
    from vlrkit.assess.review import assess_review
    from vlrkit.assess.rules import label

    method = _method(method)
    open_store(db)
    from vlrkit.store.queries import EditionNotFound, load_review

    try:
        review = load_review(edition)
    except EditionNotFound as exc:
        raise UserError(f"no such edition: {exc} / 没有这个版本：{exc}") from exc
    result = assess_review(review, method)
    if csv_out is not None:
        result.indicator_table().write_csv(csv_out)
    if json_out:
        print_json(result.to_dict())
        return
    zh = lang.startswith("zh")
    title = f"{review.entity.names.get('zh-Hans' if zh else 'en', review.entity.code)} — {result.edition}"
    table = Table(title=title)
    for head in (("目标", "指标", "得分", "评级", "趋势", "进展（地方目标）") if zh else
                 ("Goal", "Indicators", "Score", "Rating", "Trend", "Progress (local target)")):
        table.add_column(head)
    for g in result.goals:
        counts = ", ".join(f"{label(k.split(':')[1], lang)} {n}" for k, n in sorted(g.status_counts.items())
                           if k.startswith("local:"))
        style = _COLOUR_STYLE.get(g.colour, "")
        table.add_row(
            str(g.goal), f"{g.n_with_data}/{g.n_indicators}",
            "—" if g.score is None else f"{g.score:.1f}",
            f"[{style}]●[/] {label(g.colour, lang)}",
            f"{_ARROWS.get(g.trend, '')} {label(g.trend, lang)}", counts or "—",
        )
    console.print(table)
    if result.index_score is not None:
        console.print(("指数" if zh else "Index") + f": {result.index_score:.1f}  "
                      + ("覆盖率" if zh else "coverage") + f": {result.coverage:.0%}")


def assess_table(
    observations: Path = typer.Option(..., "--observations", help="OBS.csv: entity,indicator,year,value[,groups…]."),
    indicators: Path = typer.Option(..., "--indicators", help="SPEC.csv: indicator,goal,direction,best,worst,green,red,target,target_year."),
    method: str = typer.Option("sdsn", "--method", "-m", help=METHOD_HELP),
    out: Path = typer.Option(..., "--out", help="Directory for the result CSV files."),
) -> None:
    """Assess any table of entities without a review database (researchers, statistics offices)."""
    from vlrkit.assess.table import assess_table as run

    method = _method(method)
    for p in (observations, indicators):
        if not p.is_file():
            raise UserError(f"no such file: {p} / 文件不存在：{p}")
    written = run(observations, indicators, out, method=method)
    for name, rows in written.items():
        console.print(f"{out / name}: {rows} rows / 行")
