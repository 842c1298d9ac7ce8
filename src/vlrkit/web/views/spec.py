"""Indicator specifications as one editable table: filter by goal, edit many rows, save once.

The table is :mod:`vlrkit.formats.spec`'s, checked by the same ``read_rows`` as a file upload
(row, column, reason) and applied all or nothing (:func:`vlrkit.store.specs.apply`, with history);
``?format=xlsx``/``csv`` downloads it for a spreadsheet, and a file can be uploaded back.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vlrkit.web import snapshot
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import localised
from vlrkit.web.views._common import edition_obj

#: The columns the table lets a person edit, in order (the others are shown).
#: Joins a series and its unit in the headline choice of the table.
PAIR = "||"
EDIT_COLUMNS = ("direction", "unit", "headline_series", "headline_unit", "local_target", "local_target_year",
                "national_target", "national_target_year", "optimum", "lower_bound", "green", "red",
                "sdg_indicator", "grade")


def _rows(edition: EditionKey, goal: str) -> list[dict[str, object]]:
    from vlrkit.formats import spec

    review = snapshot.review(edition)
    rows = spec.rows_of(review, snapshot.assessment(edition))
    names = {i.code: localised(i.names) for i in review.indicators}
    series: dict[str, list[tuple[str, str]]] = {}
    obs = review.observations
    if obs.height:
        for code, s, u in obs.select("indicator", "series", "unit").unique().sort("indicator", "series", "unit").rows():
            series.setdefault(code, []).append((s or "", u or ""))
    out = []
    for r in rows:
        if goal.isdigit() and r["goal"] != int(goal):
            continue
        choices = [{"value": f"{s}{PAIR}{u}", "label": f"{s or '—'} ({u or '—'})",
                    "selected": (r["headline_series"], r["headline_unit"]) == (s, u)}
                   for s, u in series.get(str(r["indicator"]), [])]
        out.append({**r, "name": names.get(str(r["indicator"]), r["indicator"]), "series_choices": choices})
    return out


def table(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    from vlrkit.formats import spec
    from vlrkit.store.specs import apply

    ed = edition_obj(edition)
    goal = request.GET.get("goal", "") or request.POST.get("goal", "")
    fmt = request.GET.get("format", "")
    if request.method == "GET" and fmt in ("xlsx", "csv"):
        rows = spec.rows_of(snapshot.review(edition), snapshot.assessment(edition))
        data = spec.to_xlsx(rows) if fmt == "xlsx" else spec.to_csv(rows)
        kind = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                else "text/csv; charset=utf-8")
        resp = HttpResponse(data, content_type=kind)
        resp["Content-Disposition"] = f'attachment; filename="indicators-{ed.code}.{fmt}"'
        return resp
    problems: list[object] = []
    if request.method == "POST":
        known = {i.code: i for i in ed.indicators.all()}
        upload = request.FILES.get("file")
        if upload is not None:
            got = spec.read(upload.read(), upload.name, known)
        else:
            codes = request.POST.getlist("indicator")
            header = ("indicator", *EDIT_COLUMNS)
            rows = []
            for n, code in enumerate(codes, start=1):
                head_s, _sep, head_u = request.POST.get(f"headline:{code}", "").partition(PAIR)
                cells = {"headline_series": head_s, "headline_unit": head_u}
                rows.append((n, (code, *[cells.get(col, request.POST.get(f"{col}:{code}", "")) for col in EDIT_COLUMNS])))
            got = spec.read_rows(header, rows, _("the table"), known)
        if got.valid:
            counts = apply(ed, got.changes, reason=f"indicator table ({request.user})")
            messages.success(request, _("Saved: %(n)s indicator(s), %(t)s target(s), %(h)s threshold set(s), "
                                        "%(l)s link(s) changed.") % {"n": counts["indicators"], "t": counts["targets"],
                                                                     "h": counts["thresholds"], "l": counts["links"]})
            return redirect(request.path + (f"?goal={goal}" if goal else ""))
        zh = (request.LANGUAGE_CODE or "").startswith("zh")
        problems = [{"row": p.row, "column": p.column, "where": f"{p.file} {_('row')} {p.row}, {p.column}",
                     "text": p.message["zh-Hans" if zh else "en"]}
                    for p in got.problems if p.severity == "error"]
    return render(request, "web/indicator_spec.html", {
        "rows": _rows(edition, goal), "goal": goal, "goals": range(1, 18), "problems": problems,
        "columns": EDIT_COLUMNS, "directions": ("higher", "lower", "unknown"),
        "grades": ("", "identical", "adapted", "proxy", "contextual"),
    })
