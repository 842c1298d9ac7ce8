"""The review, read: dashboard of the 17 goals, goal pages and indicator pages.

Everything shown comes from the core: the report model (:mod:`vlrkit.report.build`, which
reads the assessment of :mod:`vlrkit.assess`) through :mod:`vlrkit.web.snapshot`'s cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from vlrkit import sdg, tidy
from vlrkit.series import label as series_label
from vlrkit.web import charts, snapshot
from vlrkit.web import roles as r
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang, localised, sdg_lang
from vlrkit.web.views._common import edition_obj

#: The six UN languages the SDG titles are shown in (catalogue code, name in that language).
UN_LANGUAGES = (("ar", "العربية"), ("zh-Hans", "中文"), ("en", "English"), ("fr", "Français"),
                ("ru", "Русский"), ("es", "Español"))
STATUS_FILTERS = ("green", "yellow", "orange", "red", "none")
#: rows of the data table on an indicator page
MAX_TABLE_ROWS = 500
HISTORY_ROWS = 30


def _tile(g) -> dict[str, object]:
    return {
        "number": g.number, "title": g.short_title, "full_title": g.title, "status": g.status or "none",
        "status_label": g.status_label, "score": g.score, "arrow": g.arrow, "trend_label": g.trend_label,
        "with_data": g.with_data, "total": g.total, "priority": g.priority,
        "coverage": round(100 * g.with_data / g.total) if g.total else 0,
    }


def _page(request: HttpRequest, edition: EditionKey, template: str, title: str, context,
          depends: tuple[str, ...] = (snapshot.META, snapshot.DATA, snapshot.LABELS)) -> HttpResponse:
    """A memoised page that changes only with the parts of ``edition`` it ``depends`` on."""
    return HttpResponse(snapshot.page(request, "web/page.html", {"page_title": title}, template, context,
                                      edition=edition, depends=depends))


def dashboard(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    ed = snapshot.data_review(edition).edition  # the middleware has checked that it exists
    # the completeness shown reads the narratives: the dashboard depends on the text part too
    return _page(request, edition, "web/_dashboard_body.html", _("Dashboard"), lambda: _dashboard(request, ed, edition),
                 depends=(snapshot.META, snapshot.DATA, snapshot.LABELS, snapshot.TEXT))


def _dashboard(request: HttpRequest, ed, edition: EditionKey) -> dict[str, object]:
    lang = current_lang()
    report = snapshot.report(edition, lang)
    tiles = [_tile(g) for g in report.goals]
    status = request.GET.get("status", "")
    priority = request.GET.get("priority", "") == "1"
    data = request.GET.get("data", "")
    shown = [
        t for t in tiles
        if (status not in STATUS_FILTERS or t["status"] == status)
        and (not priority or t["priority"])
        and (data != "with" or t["with_data"])
        and (data != "without" or not t["with_data"])
    ]
    counts = report.counts  # one source: the assessment's counts (vlrkit.assess.review.Counts)
    n_ind = counts.get("indicators", sum(t["total"] for t in tiles))
    n_data = counts.get("with_data", sum(t["with_data"] for t in tiles))
    # the page's report model is built without the narratives: the completeness comes apart
    covered, total, share = snapshot.completeness(edition, lang)
    return {
        "title": localised(ed.title) or ed.code, "tiles": shown, "all": len(tiles),
        "status": status, "priority": priority, "data": data, "statuses": STATUS_FILTERS,
        "indicators": n_ind, "with_data": n_data, "coverage": round(100 * n_data / n_ind) if n_ind else 0,
        "goals_with_data": counts.get("goals_with_data", sum(1 for t in tiles if t["with_data"])),
        "completeness": {"covered": covered, "total": total, "share": round(100 * share)},
        "assessed": snapshot.assessment(edition) is not None,
        "method_label": _method_label(ed), "method_name": getattr(ed, "method", "sdsn"),
    }


def _method_label(ed) -> str:
    """The method edition the review is assessed by, in the UI language."""
    from vlrkit.assess import editions

    try:
        return editions.get(getattr(ed, "method_edition", None)).label(current_lang())
    except KeyError:
        return getattr(ed, "method_edition", "")


def goal(request: HttpRequest, edition: EditionKey, goal: int) -> HttpResponse:
    if not 1 <= goal <= 17:
        raise Http404(goal)
    return _page(request, edition, "web/_goal_body.html", f"{_('Goal')} {goal}", lambda: _goal(edition, goal))


def _goal(edition: EditionKey, goal: int) -> dict[str, object]:
    lang = current_lang()
    g = snapshot.goal_views(edition, lang)[goal]
    inds = []
    for i in g.indicators:
        chart = charts.line_chart(
            {i.name: [(y, v) for y, _p, v in i.series]}, title=i.name, unit=i.unit,
            target=(i.target.year, i.target.value) if i.target and i.target.value is not None and i.target.year else None,
        )
        inds.append({"view": i, "chart": chart})
    review = snapshot.data_review(edition)
    linked: dict[str, list[str]] = {}
    for link in review.links:
        linked.setdefault(link.target, []).append(link.indicator)
    targets = [
        {"code": t.code, "title": t.title(sdg_lang()), "indicators": sorted(set(linked.get(t.code, [])))}
        for t in sdg.goal(goal).targets()
    ]
    un_titles = [{"lang": code, "name": name, "title": sdg.goal(goal).title(code)} for code, name in UN_LANGUAGES]
    return {"goal": g, "indicators": inds, "targets": targets, "tile": _tile(g), "un_titles": un_titles}


def _frame(edition: EditionKey, code: str) -> pl.DataFrame:
    obs = snapshot.data_review(edition).observations
    return obs.filter(pl.col("indicator") == code)


def _dimensions(frame: pl.DataFrame) -> list[str]:
    return [d for d in tidy.DIMENSIONS if frame.height and frame.get_column(d).drop_nulls().len()]


def _group_label(review, dim: str, code: str | None, lang: str) -> str:
    """A group's name: the review's own label (districts), else the code list's (one place)."""
    return review.code_title(dim, code if code is not None else "_T", lang)


def indicator(request: HttpRequest, edition: EditionKey, code: str) -> HttpResponse:
    review = snapshot.data_review(edition)
    try:
        meta = review.indicator(code)
    except KeyError:
        raise Http404(code) from None
    return _page(request, edition, "web/_indicator_body.html", code, lambda: _indicator(request, edition, meta))


def _indicator(request: HttpRequest, edition: EditionKey, meta) -> dict[str, object]:
    lang = current_lang()
    code = meta.code
    review = snapshot.data_review(edition)
    view = next((i for i in snapshot.report(edition, lang).indicators() if i.code == code), None)
    frame = _frame(edition, code).with_columns(pl.col("unit").fill_null(""), pl.col("series").fill_null(""))
    dims = _dimensions(frame)
    dim = request.GET.get("dim", "")
    others = [d for d in tidy.DIMENSIONS if d != dim]
    # every line is one series in one unit, and says which (vlrkit.series): the headline series
    # the assessment chose, then the others; a breakdown is drawn for the headline series only
    result = snapshot.assessment(edition)
    head = result.indicator(code) if result is not None and code in {i.code for i in result.indicators} else None
    pairs = frame.filter(pl.col("value").is_not_null()).select("series", "unit").unique().sort("series", "unit").rows()
    if head is not None and (head.series, head.unit) in pairs:
        pairs.remove((head.series, head.unit))
        pairs.insert(0, (head.series, head.unit))
    head_pair = pairs[0] if pairs else ("", "")
    if dim in dims:
        # one line per group of the chosen dimension, every other dimension at its total
        sel = frame.filter((pl.col("series") == head_pair[0]) & (pl.col("unit") == head_pair[1])
                           & (pl.col("breakdown").fill_null("") == "")
                           & pl.all_horizontal(pl.col(d).is_null() for d in others))
        groups = sel.get_column(dim).unique().sort(nulls_last=False).to_list()
    else:
        dim = ""
        sel = frame.filter(tidy.is_total())
        groups = [None]
    sel = sel.filter(pl.col("value").is_not_null()).sort("year", "period")
    series: dict[str, list[tuple[int, float]]] = {}
    for g in groups:
        for s_name, s_unit in ([head_pair] if dim else pairs):
            rows = sel.filter((pl.col("series") == s_name) & (pl.col("unit") == s_unit))
            if dim:
                rows = rows.filter(pl.col(dim).is_null() if g is None else pl.col(dim) == g)
            name = series_label(s_name, s_unit, lang=lang) or localised(meta.names)
            label = f"{_group_label(review, dim, g, lang)} — {name}" if dim else name
            pts: dict[int, float] = {}
            for y, v in rows.select("year", "value").iter_rows():
                pts[y] = v  # last period of a year stands for the year on the chart
            if pts:
                series[label] = sorted(pts.items())
    targets = [t for t in review.targets if t.indicator == code]
    local = next((t for t in targets if t.kind == "local" and (t.series, t.unit) in (("", ""), head_pair)), None)
    units = {u for _s, u in ([head_pair] if dim else pairs)}
    chart = charts.line_chart(series, title=localised(meta.names), unit=units.pop() if len(units) == 1 else "",
                              target=(local.year, local.value) if local and len(series) == 1 or local and dim else None)
    table = sel.head(MAX_TABLE_ROWS).select(
        "period", "value", "unit", "series", *([dim] if dim else []), "obs_status", "source", "file", "row"
    ).to_dicts()
    for row in table:
        if dim:
            row["group"] = _group_label(review, dim, row.get(dim), lang)
    links = []
    for link in review.links:
        if link.indicator == code:
            try:
                title = sdg.target(link.target).title(sdg_lang())
            except KeyError:
                title = ""
            links.append({"target": link.target, "sdg_indicator": link.sdg_indicator, "grade": link.grade,
                          "title": title, "reason": localised(link.reason)})
    thresholds = next((t for t in review.thresholds if t.indicator == code), None)
    explanation = _explain(edition, code)
    from vlrkit.web.views.indicators import optimum_view

    return {
        "optimum": optimum_view(edition, code), "left_behind": _left_behind(edition, review, code, lang),
        "sensitivity": _sensitivity(edition, review, code, lang),
        "meta": meta, "name": localised(meta.names), "view": view, "chart": chart, "table": table,
        "dims": dims, "dim": dim, "dim_titles": {d: d.replace("_", " ").title() for d in dims},
        "targets": targets, "thresholds": thresholds, "links": links, "methodology": localised(meta.methodology),
        "history": _data_history(edition_obj(edition), code), "explanation": explanation,
        "editable": r.may_edit_indicator(request, edition, code, meta.goal) and review.edition.status != "published",
        "leads": bool(getattr(request, "vlr_roles", frozenset()) & r.LEADS),
        "truncated": sel.height > MAX_TABLE_ROWS,
    }


def _sensitivity(edition: EditionKey, review, code: str, lang: str) -> dict[str, object] | None:
    """The indicator under every method edition and progress method (vlrkit.assess.sensitivity)."""
    from vlrkit.assess import editions
    from vlrkit.assess.rules import label

    result = snapshot.sensitivity(edition)
    if result is None:
        return None
    rows = {(r["kind"], r["method"]): r for r in result.indicator(code, review.entity.code)}
    if not rows:
        return None
    flags = result.indicator_table().filter(pl.col("indicator") == code).row(0, named=True)
    eds = []
    for name in result.editions:
        c, t = rows.get(("colour", name), {}), rows.get(("trend", name), {})
        colour = c.get("outcome") or "grey"
        eds.append({"name": name, "label": editions.get(name).label(lang), "chosen": name == result.chosen,
                    "colour": colour, "colour_label": label(colour, lang),
                    "trend_label": label(t.get("outcome") or "insufficient_data", lang)})
    prog = [{"method": m, "label": label(rows.get(("progress", m), {}).get("outcome") or "not_available", lang)}
            for m in result.methods]
    return {"editions": eds, "progress": prog, **{k: flags[k] for k in (
        "disagree", "colour_disagree", "trend_disagree", "progress_disagree")}}


def _dimension_title(dimension: str, lang: str) -> str:
    """``SEX×AGE`` → "Sex × Age group" / "性别 × 年龄组" (the code list's titles; else the code)."""
    from vlrkit.assess.lnob import CROSS

    key = "zh-Hans" if lang.startswith("zh") else "en"
    return " × ".join(tidy.DIMENSION_TITLES.get(d, {}).get(key, d) for d in dimension.split(CROSS))


def _left_behind(edition: EditionKey, review, code: str, lang: str) -> list[dict[str, object]]:
    """Who is left behind on this indicator: the assessment's leave-no-one-behind comparisons —
    each single breakdown, each dimension within combined breakdowns (the others held fixed) and
    the combined groups as wholes — with the group furthest behind, the best-off group, the gap
    in the latest year and whether it widened or narrowed."""
    from vlrkit.assess.rules import label

    result = snapshot.assessment(edition)
    lnob = getattr(result, "lnob", None)
    if lnob is None:
        return []
    suffix = "_zh" if lang.startswith("zh") else "_en"
    rows = []
    for kind, frame in (("single", lnob.gaps), ("within", lnob.within), ("intersection", lnob.intersections)):
        if "indicator" not in frame.columns:
            continue
        mine = frame.filter((pl.col("indicator") == code) & (pl.col("entity") == review.entity.code))
        for g in mine.sort("dimension", *(["context"] if kind == "within" else [])).iter_rows(named=True):
            if g["furthest_behind"] is None:  # no gap in the latest year: nobody is behind
                behind = best = "—"
            elif kind == "single":
                behind = _group_label(review, g["dimension"], g["furthest_behind"], lang)
                best = _group_label(review, g["dimension"], g["best_off"], lang)
            else:
                behind, best = g["furthest_behind" + suffix], g["best_off" + suffix]
            context = g.get("context" + suffix) or ""
            rows.append({
                "kind": kind, "dimension": _dimension_title(g["dimension"], lang), "context": context,
                "behind": behind, "best": best, "year": g["latest_year"], "difference": g["latest_difference"],
                "ratio": g["latest_ratio"], "first_year": g["first_year"], "trend": g["trend"],
                "trend_label": label(g["trend"], lang) if g["trend"] else "",
            })
    return rows


def _explain(edition: EditionKey, code: str) -> str:
    """The assessment's own explanation of an indicator's result (inputs, bounds, rule), if any."""
    result = snapshot.assessment(edition)
    if result is None or not hasattr(result, "explain"):
        return ""
    try:
        entity = snapshot.data_review(edition).entity.code
        exp = result.explain(entity, code)
    except (KeyError, ValueError, LookupError):
        return ""
    data = exp.as_dict() if hasattr(exp, "as_dict") else exp
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _data_history(ed, code: str) -> list[dict[str, object]]:
    """Changes of the indicator's observations, and the imports that brought rows in (bulk
    inserts are recorded by their import, not row by row)."""
    from django.db.models import Count, Max, Min

    from vlrkit.store.models import Import, Observation

    rows = []
    runs = (Import.objects.filter(observations__indicator__edition=ed, observations__indicator__code=code)
            .select_related("user").distinct().order_by("-started")[:HISTORY_ROWS])
    for run in runs:
        # what the import brought for this indicator: its periods (first–last) and how many rows
        got = Observation.objects.filter(import_run=run, indicator__edition=ed, indicator__code=code).aggregate(
            first=Min("year"), last=Max("year"), n=Count("id"))
        span = "" if got["first"] is None else (
            str(got["first"]) if got["first"] == got["last"] else f"{got['first']}–{got['last']}")
        rows.append({"pk": None, "at": run.started, "type": "import", "period": span, "value": None,
                     "rows": got["n"], "file": Path(run.path).name,
                     "user": run.user.get_username() if run.user else "—"})
    qs = (Observation.history.filter(indicator__edition=ed, indicator__code=code)
          .select_related("history_user").order_by("-history_date")[:HISTORY_ROWS])
    for h in qs:
        rows.append({"pk": h.history_id, "at": h.history_date, "type": h.history_type, "period": h.period,
                     "value": h.value, "user": h.history_user.get_username() if h.history_user else "—"})
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows[:HISTORY_ROWS]
