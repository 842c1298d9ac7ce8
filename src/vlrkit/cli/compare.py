"""``vlr import-national`` and ``vlr vertical``: the country's series beside the city's
(:mod:`vlrkit.compare.vertical`); ``vlr diff``: what changed since the last edition
(:mod:`vlrkit.compare.diff`); ``vlr compare``: peer cities side by side (:mod:`vlrkit.compare.peers`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

USER_ERRORS.extend(["vlrkit.compare.sources.SourceNotReadable", "vlrkit.store.queries.EditionNotFound"])


def register(app: typer.Typer) -> None:
    app.command("import-national")(import_national)
    app.command("vertical")(vertical)
    app.command("diff")(diff)
    app.command("compare")(compare)


def _national_review(path: Path, code: str, names: dict[str, str], country: str, ref_area: str,
                     area: str | None = None) -> Any:
    from dataclasses import replace

    from vlrkit.compare import sdg_data, sources

    if sdg_data.looks_sdg_sdmx(path):
        loaded, warnings = sdg_data.load(path, code=code, area=area, names=names, country=country.upper())
        for w in warnings:
            console.print(f"[yellow]{w}[/yellow]")
    else:
        loaded = sources.load(path, level="national", code=code)
    r = loaded.review
    entity = replace(r.entity, code=code, level="national", names=names or r.entity.names,
                     country=country.upper() or r.entity.country, ref_area=ref_area or r.entity.ref_area)
    return replace(r, entity=entity), loaded


def import_national(
    path: Path = typer.Argument(..., help="The country's Open SDG data repository or review package (folder or zip), "
                                "or an SDMX file in the SDG data structure (.xml or .csv)."),
    db: Path = DbOption,
    code: str = typer.Option(..., "--code", help="Entity code of the country, e.g. gbr."),
    name_en: str = typer.Option("", "--name-en", help="English name, e.g. United Kingdom."),
    name_zh: str = typer.Option("", "--name-zh", help="Chinese name, e.g. 英国."),
    country: str = typer.Option("", "--country", help="ISO 3166-1 alpha-3 code, e.g. GBR."),
    ref_area: str = typer.Option("", "--ref-area", help="M49 code, e.g. 826."),
    area: str = typer.Option("", "--area", help="For an SDMX file of several areas: the country's REF_AREA "
                             "code in the file, e.g. RW."),
) -> None:
    """Store a country's series as a second entity of level national, for `vlr vertical`: from its
    Open SDG repository, a review package, or an SDMX file in the SDG data structure (SDMX-ML or
    SDMX-CSV, as reported to the UN Global SDG Database)."""
    open_store(db)
    from vlrkit.store.queries import save_review

    names = {k: v for k, v in (("en", name_en), ("zh-Hans", name_zh)) if v}
    review, loaded = _national_review(path, code, names, country, ref_area, area or None)
    try:
        save_review(review)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    console.print(f"Stored / 已存储 {code} (national / 国家级): {len(review.indicators)} indicators, "
                  f"{review.observations.height} observations; {loaded.rejected} rows rejected by the reader")


def _local(entity: str | None, edition: str | None) -> Any:
    from vlrkit.store import models as m
    from vlrkit.store.queries import load_review

    if entity is None:
        locals_ = list(m.Entity.objects.exclude(level="national").values_list("code", flat=True)[:2])
        if len(locals_) == 1:
            entity = locals_[0]
        elif not locals_:
            raise UserError("the database holds no local review (only national entities) / 数据库中没有地方评估（只有国家主体）")
        else:
            raise UserError("several local entities in the database: name one with --entity / "
                            "数据库中有多个地方主体，请用 --entity 指定")
    return load_review(edition, entity, text=False)


def vertical(
    national: str = typer.Argument(..., help="A national entity in the database (see import-national), or a "
                                              "national Open SDG repository or review package to read."),
    db: Path = DbOption,
    edition: str = typer.Option(None, help="Edition of the local review (default: the latest)."),
    entity: str = EntityOption,
    json_out: bool = typer.Option(False, "--json", help="Print every pair and every indicator left out as JSON."),
    csv_out: Path = typer.Option(None, "--csv", help="Write the table for the VNR team as CSV."),
    lang: str = typer.Option("en", "--lang", help="en or zh-Hans (the reasons' language)."),
) -> None:
    """The review's indicators beside the country's: latest values, gap, whether it narrows, targets."""
    open_store(db)
    from vlrkit.compare import vertical as vt
    from vlrkit.store import models as m
    from vlrkit.store.queries import load_review

    local = _local(entity, edition)
    if m.Entity.objects.filter(code=national).exists():
        nat = load_review(None, national, text=False)
    elif Path(national).exists():
        nat = _national_review(Path(national), "national", {}, "", "")[0]
    else:
        raise UserError(f"{national!r} is neither a national entity in the database nor a path / "
                        f"{national!r} 既不是数据库中的国家主体，也不是路径")
    result = vt.compare(local, nat)
    rows = vt.to_rows(result, lang)
    if csv_out is not None:
        csv_out.write_bytes(vt.to_csv(result, lang))
    if json_out:
        print_json({"local": result.local_entity, "national": result.national_entity, "counts": result.counts(),
                    "warnings": [w["zh-Hans" if lang.startswith("zh") else "en"] for w in result.warnings],
                    "rows": rows})
        return
    for w in result.warnings:
        console.print(f"[yellow]{w['zh-Hans' if lang.startswith('zh') else 'en']}[/yellow]")
    table = Table("SDG", "local / 地方", "national / 国家", "unit / 单位", "gap / 差距", "narrowing / 缩小")
    for p in result.pairs:
        table.add_row(p.sdg_indicator, f"{p.local.latest:g} ({p.local.latest_year})",
                      f"{p.national.latest:g} ({p.national.latest_year})", p.local.unit,
                      "—" if p.gap is None else f"{p.gap:+.4g} ({p.gap_year})",
                      {True: "yes / 是", False: "no / 否", None: "—"}[p.narrowing])
    console.print(table)
    c = result.counts()
    console.print(f"{c['pairs']} pairs, {c['left_out']} indicators left out (see --json or --csv for why) / "
                  f"{c['pairs']} 对，{c['left_out']} 个指标未比较（原因见 --json 或 --csv）")


def diff(
    db: Path = DbOption,
    edition: str = typer.Option(None, "--edition", help="The new edition (default: the latest)."),
    against: str = typer.Option(None, "--against", help="The earlier edition (default: the new one's previous)."),
    entity: str = EntityOption,
    method: str = typer.Option(None, "--method", help="Assessment method for both (default: the new edition's)."),
    method_edition: str = typer.Option(None, "--method-edition", help="Method edition for both (default: the new's)."),
    json_out: bool = typer.Option(False, "--json", help="Print every change as JSON."),
    lang: str = typer.Option("en", "--lang", help="en or zh-Hans."),
) -> None:
    """What changed since the last review: indicators, data, statuses, colours, trends, targets, actions, texts."""
    open_store(db)
    from vlrkit.compare import diff as df
    from vlrkit.store.queries import load_review

    new = load_review(edition, entity)
    old_code = against or new.edition.previous
    if not old_code:
        raise UserError("no earlier edition: name it with --against / 没有上一版本：请用 --against 指定")
    old = load_review(old_code, new.entity.code)
    result = df.diff(new, old, method=method, method_edition=method_edition)
    key = "zh-Hans" if lang.startswith("zh") else "en"
    if json_out:
        print_json({
            "new": result.new, "old": result.old, "method": result.method, "method_edition": result.method_edition,
            "methods": {k: list(v) for k, v in result.methods.items()}, "same_method": result.same_method,
            "counts": result.counts(),
            "changes": [{"kind": c.kind, "subject": c.subject, "before": c.before, "after": c.after,
                         "before_value": list(c.before_value) if c.before_value else None,
                         "after_value": list(c.after_value) if c.after_value else None,
                         "note": c.note.get(key, "")} for c in result.changes],
            "actions": [{"code": c.subject, "before": c.before, "after": c.after} for c in result.actions],
        })
        return
    if not result.same_method:
        console.print(f"Both editions assessed with {result.method} / {result.method_edition}; they remember "
                      + ", ".join(f"{k}: {m} / {e}" for k, (m, e) in result.methods.items()))
    table = Table("change / 变化", "subject / 对象", "before / 之前", "after / 之后")
    for c in result.changes:
        bv = f" ({c.before_value[1]:g}, {c.before_value[0]})" if c.before_value else ""
        av = f" ({c.after_value[1]:g}, {c.after_value[0]})" if c.after_value else ""
        table.add_row(c.kind, c.subject, (c.before + bv).strip(), (c.after + av).strip() or c.note.get(key, ""))
    console.print(table)
    console.print(f"{len(result.changes)} changes {result.old} → {result.new} / {len(result.changes)} 项变化")


def compare(
    paths: list[Path] = typer.Argument(..., help="Two or more review packages (vlr export: folder or zip) or Open "
                                                 "SDG data repositories."),
    out: Path = typer.Option(None, "--out", help="Folder for peers.csv, left_out.csv, peers.json, charts/ "
                                                 "(and dashboard.csv)."),
    peer_bounds: bool = typer.Option(False, "--peer-bounds", help="Add an SDSN-style dashboard whose bounds are "
                                                                  "derived from these peers."),
    min_reviews: int = typer.Option(None, "--min-reviews", help="Compare an indicator among the reviews that have "
                                                                "it when at least this many do (default: all)."),
    charts: bool = typer.Option(True, "--charts/--no-charts", help="Write one chart per common indicator."),
    json_out: bool = typer.Option(False, "--json", help="Print the whole comparison as JSON."),
    lang: str = typer.Option("en", "--lang", help="en or zh-Hans (reasons, units, names)."),
) -> None:
    """Peer cities side by side on their common SDG indicators; every indicator left out says why."""
    from vlrkit.compare import peers as pr
    from vlrkit.compare import peers_out as po
    from vlrkit.compare import sources

    if len(paths) < 2:
        raise UserError("name at least two reviews to compare / 请至少指定两个要比较的评估")
    loaded = [sources.load(p) for p in paths]
    try:
        result = pr.compare([ld.review for ld in loaded], min_reviews=min_reviews, peer_bounds=peer_bounds)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if out is not None:
        po.write(result, out, lang, charts_too=charts)
    if json_out:
        print_json(po.to_dict(result, lang))
        return
    key = "zh-Hans" if lang.startswith("zh") else "en"
    for ld in loaded:
        if ld.rejected:
            console.print(f"[yellow]{ld.path}: {ld.rejected} rows rejected by the reader / 读取时拒绝 {ld.rejected} 行"
                          "[/yellow]")
    table = Table("SDG", *[f"{e}" for e in result.entities], "unit / 单位", "year / 年份", "rank / 排名")
    for r in result.rows:
        cells = []
        for e in result.entities:
            m = r.member(e)
            v = None if m is None else m.value if m.value is not None else (m.latest[1] if m.latest else None)
            cells.append("—" if v is None else f"{v:,.4g}")
        ranks = " ".join(f"{m.entity}:{m.rank}" for m in r.members if m.rank) or r.note.get(key, "")
        table.add_row(r.sdg_indicator + (" (proxy)" if r.kind == "proxy" else ""), *cells, r.unit_label(lang),
                      str(r.year or "—"), ranks)
    console.print(table)
    if result.dashboard is not None:
        console.print(result.dashboard.note[key])
    c = result.counts()
    console.print(f"{c['compared']} indicators compared, {c['proxies']} proxies shown apart, {c['left_out']} left out "
                  f"(why: left_out.csv or --json) / 比较 {c['compared']} 个指标，替代指标 {c['proxies']} 个单列，"
                  f"{c['left_out']} 个未比较（原因见 left_out.csv 或 --json）")
