"""``vlr assess`` (a review in the database) and ``vlr assess-table`` (any CSV of entities)."""

from __future__ import annotations

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

METHOD_HELP = "sdsn, unsd, unsd5, statcan, eurostat, projection, opensdg or escap."
EDITION_HELP = ("Method edition whose rules apply (vlr method-editions lists them): vlrkit, sdsn-2018, sdsn-2019, "
                "sdr-2026, us-cities-2017/2018/2019, eu-cities-2019 (default: the one the review remembers, else vlrkit).")
_COLOUR_STYLE = {"green": "green", "yellow": "yellow", "orange": "dark_orange", "red": "red", "grey": "grey50"}
_ARROWS = {"on_track": "↑", "moderately_improving": "➚", "stagnating": "→", "decreasing": "↓",
           "insufficient_data": "·"}


USER_ERRORS.append("vlrkit.assess.table.TableInputError")


def register(app: typer.Typer) -> None:
    app.command("assess")(assess)
    app.command("assess-table")(assess_table)
    app.command("method-editions")(method_editions)


def _method(method: str) -> str:
    from vlrkit.assess.review import METHODS

    if method not in METHODS:
        raise UserError(f"unknown method {method!r}; choose from {', '.join(METHODS)} / 未知方法 {method!r}")
    return method


def _edition(name: str | None) -> str | None:
    """A method edition's name, checked (None stays None: the review's own, else vlrkit)."""
    if name is None:
        return None
    from vlrkit.assess import editions

    try:
        return editions.sdsn(name).name
    except KeyError as exc:
        raise UserError(str(exc).strip("'\"")) from None


#: Column heads of the goal and indicator tables: (en, zh-Hans).
_GOAL_HEADS = (("Goal", "目标"), ("Indicators", "指标"), ("Score", "得分"), ("Rating", "评级"), ("Trend", "趋势"),
               ("Progress (local target)", "进展（地方目标）"), ("Progress (national target)", "进展（国家目标）"))
_INDICATOR_HEADS = (("Goal", "目标"), ("Indicator", "指标"), ("Latest", "最新值"), ("Score", "得分"),
                    ("Rating", "评级"), ("Trend", "趋势"), ("Local target", "地方目标"),
                    ("National target", "国家目标"))
KINDS = ("local", "national")
#: Progress statuses in the order the goal table lists them: best first.
_STATUS_ORDER = ("achieved", "on_track", "target_met_or_almost", "significant_progress", "substantial_progress",
                 "moderate_progress", "fair_progress", "marginal_progress", "acceleration_needed",
                 "limited_progress", "insufficient_progress", "stagnation", "stagnation_or_regression",
                 "moderate_movement_away", "deterioration", "moving_away", "significant_movement_away",
                 "insufficient_data", "no_target")
LANGS = {"en": "en", "zh": "zh-Hans", "zh-hans": "zh-Hans", "zh-cn": "zh-Hans"}


def _lang(lang: str) -> str:
    code = LANGS.get(lang.strip().lower())
    if code is None:
        raise UserError(f"unknown language {lang!r}; choose en or zh-Hans / 未知语言 {lang!r}，可选 en 或 zh-Hans")
    return code


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.4g}"


def _table(title: str, heads: tuple[tuple[str, str], ...], lang: str) -> Table:
    """An empty rich table with the column headings in ``lang`` (en or zh-Hans)."""
    table = Table(title=title)
    for en, cn in heads:
        table.add_column(cn if lang == "zh-Hans" else en)
    return table


def goal_table(result: object, title: str, lang: str = "en") -> Table:
    """The goal table of ``vlr assess``: SDSN score, colour and trend, and the progress statuses
    towards the local and the national targets counted per goal, each in its own column."""
    from vlrkit.assess.rules import label

    table = _table(title, _GOAL_HEADS, lang)
    for g in result.goals:  # type: ignore[attr-defined]
        cells = []
        for kind in KINDS:
            counts = sorted(((k.split(":", 1)[1], n) for k, n in g.status_counts.items() if k.startswith(f"{kind}:")),
                            key=lambda c: (_STATUS_ORDER.index(c[0]) if c[0] in _STATUS_ORDER else len(_STATUS_ORDER), c[0]))
            cells.append("\n".join(f"{label(st, lang)} {n}" for st, n in counts) or "—")
        colour, _rule = g.display_colour(result.method)  # type: ignore[attr-defined]
        style = _COLOUR_STYLE.get(colour, "")
        table.add_row(
            str(g.goal), f"{g.n_with_data}/{g.n_indicators}",
            "—" if g.score is None else f"{g.score:.1f}",
            f"[{style}]●[/] {label(colour, lang)}",
            f"{_ARROWS.get(g.trend, '')} {label(g.trend, lang)}", *cells,
        )
    return table


def indicator_table(result: object, title: str, lang: str = "en") -> Table:
    """One row per indicator: latest value, SDSN score, colour and trend, and progress towards
    the local and the national target side by side (``target (year): status``)."""
    from vlrkit.assess.rules import label

    table = _table(title, _INDICATOR_HEADS, lang)
    for i in result.indicators:  # type: ignore[attr-defined]
        cells = []
        for kind in KINDS:
            p = i.target(kind)
            cells.append("—" if p is None else f"{_num(p.target)} ({p.target_year}): {label(p.status, lang)}")
        style = _COLOUR_STYLE.get(i.colour, "")
        latest = "—" if i.latest_value is None else f"{_num(i.latest_value)} ({i.latest_year})"
        table.add_row(
            str(i.goal), i.code, latest, "—" if i.score is None else f"{i.score:.1f}",
            f"[{style}]●[/] {label(i.colour, lang)}", f"{_ARROWS.get(i.trend, '')} {label(i.trend, lang)}", *cells,
        )
    return table


def assess(
    db: Path = DbOption,
    edition: str = typer.Option(None, "--edition", "-e", help="Edition code (default: the latest)."),
    entity: str = EntityOption,
    method: str | None = typer.Option(None, "--method", "-m",
                                      help=METHOD_HELP + " (default: the one the review remembers, else sdsn)."),
    method_edition: str | None = typer.Option(None, "--method-edition", help=EDITION_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the whole assessment as JSON."),
    csv_out: Path = typer.Option(None, "--csv", help="Write one row per indicator to this CSV file."),
    lang: str = typer.Option("en", "--lang", help="Language of the table: en or zh-Hans."),
    indicators: bool = typer.Option(False, "--indicators", help="Also show one row per indicator (local and national target side by side)."),
) -> None:
    """Assess every indicator and goal of an edition: SDSN colours and trends, progress to local and national targets."""
    from vlrkit.assess.review import assess_review

    method = _method(method) if method is not None else None
    method_edition = _edition(method_edition)
    lang = _lang(lang)
    open_store(db)
    from vlrkit.store.queries import EditionNotFound, load_review

    try:
        review = load_review(edition, entity)
    except EditionNotFound as exc:
        raise UserError(f"no such edition: {exc} / 没有这个版本：{exc}") from exc
    result = assess_review(review, method, method_edition=method_edition)
    if csv_out is not None:
        from vlrkit.formats import spreadsheet

        spreadsheet.write_frame_csv(result.indicator_table(), csv_out)
    if json_out:
        print_json(result.to_dict())
        return
    zh = lang == "zh-Hans"
    from vlrkit.assess import editions

    title = (f"{review.entity.names.get(lang, review.entity.code)} — {result.edition} · "
             f"{editions.get(result.method_edition).label(lang)}")
    console.print(goal_table(result, title, lang))
    if result.index_score is not None:
        console.print(("指数" if zh else "Index") + f": {result.index_score:.1f}  "
                      + ("覆盖率" if zh else "coverage") + f": {result.coverage:.0%}")
    if indicators:
        console.print(indicator_table(result, title, lang))


def assess_table(
    observations: Path = typer.Option(..., "--observations", help="OBS.csv: entity,indicator,year,value[,groups…]."),
    indicators: Path = typer.Option(..., "--indicators", help="SPEC.csv: indicator,goal,direction,best,worst,green,red,target,target_year."),
    method: str = typer.Option("sdsn", "--method", "-m", help=METHOD_HELP),
    method_edition: str | None = typer.Option(None, "--method-edition", help=EDITION_HELP),
    out: Path = typer.Option(..., "--out", help="Directory for the result CSV files."),
) -> None:
    """Assess any table of entities without a review database (researchers, statistics offices)."""
    from vlrkit.assess.table import assess_table as run

    method = _method(method)
    method_edition = _edition(method_edition)
    for p in (observations, indicators):
        if not p.is_file():
            raise UserError(f"no such file: {p} / 文件不存在：{p}")
    written = run(observations, indicators, out, method=method, method_edition=method_edition)
    for name, rows in written.items():
        console.print(f"{out / name}: {rows} rows / 行")


_BASIS = {"published": ("published", "已公布"), "inferred": ("inferred from published results", "由公布结果推定"),
          "reported": ("reported (measured on published results)", "据报告（基于公布结果测定）"),
          "ours": ("vlrkit's choice", "vlrkit 的选择"), "default": ("vlrkit default", "vlrkit 默认")}


def method_editions(
    name: str | None = typer.Argument(None, help="A method edition: print every rule it sets and what it rests on."),
    json_out: bool = typer.Option(False, "--json", help="Print the profile(s) as JSON."),
    lang: str = typer.Option("en", "--lang", help="Language: en or zh-Hans."),
) -> None:
    """List the method editions (SDSN global and city editions, Open SDG's measure), or one edition's rules."""
    from vlrkit.assess import editions

    lang = _lang(lang)
    zh = lang == "zh-Hans"
    try:
        chosen = [editions.get(name)] if name else [editions.get(n) for n in editions.names()]
    except KeyError as exc:
        raise UserError(str(exc).strip("'\"")) from None
    if json_out:
        print_json([e.as_dict() for e in chosen] if not name else chosen[0].as_dict())
        return
    if not name:
        table = _table("方法版本" if zh else "Method editions",
                       (("Name", "名称"), ("Family", "类别"), ("Version", "版本"), ("Title", "标题")), lang)
        for e in chosen:
            table.add_row(e.name, e.family, e.version, e.label(lang))
        console.print(table)
        return
    e = chosen[0]
    console.print(f"[bold]{e.label(lang)}[/] ({e.name} {e.version})")
    console.print(e.summary.get(lang) or e.summary["en"])
    table = _table(e.name, (("Rule", "规则"), ("Value", "取值"), ("Basis", "依据"), ("Note", "说明")), lang)
    for c in e.choices:
        table.add_row(c.key, c.value, _BASIS[c.basis][1 if zh else 0], c.note)
    console.print(table)
    for s in e.sources:
        console.print(f"[{s.key}] {s.cite} {s.url}".rstrip())
