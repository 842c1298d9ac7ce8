"""Indicator specifications as one editable table: filter by goal, edit many rows, save once.

The table is :mod:`vlrkit.formats.spec`'s, checked by the same ``read_rows`` as a file upload
(row, column, reason) and applied all or nothing (:func:`vlrkit.store.specs.apply`, with history);
``?format=xlsx``/``csv`` downloads it for a spreadsheet, and a file can be uploaded back.

**No save is silently lost.**  The form carries, per row, the row's version
(:func:`vlrkit.store.specs.stamps`) and the cells as the page showed them (hidden ``versions``).
A row that moved on since is merged cell by cell against what the editor saw: a cell only the
other person changed keeps their value, a cell only the editor changed takes theirs; a cell
both changed differently refuses the whole save (409) with both values shown, and the form
comes back holding the editor's values there and the newer ones elsewhere, stamped with the
current versions — saving it again is "mine over theirs".  The check, the merge and the write
are one transaction with the indicators locked.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vlrkit.web import snapshot
from vlrkit.web.conflicts import Conflict, FieldChange
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import localised
from vlrkit.web.views._common import edition_obj

#: The columns the table lets a person edit, in order (the others are shown).
#: Joins a series and its unit in the headline choice of the table.
PAIR = "||"
EDIT_COLUMNS = ("direction", "unit", "headline_series", "headline_unit", "local_target", "local_target_year",
                "national_target", "national_target_year", "optimum", "lower_bound", "green", "red",
                "yellow", "sdg_indicator", "grade")
#: The hidden field holding every row's version and the cells the page showed.
VERSIONS = "versions"


def _text(value: Any) -> str:
    """A cell as the table shows it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _canon(text: str) -> str:
    """A cell for comparing: ``80``, ``80.0`` and `` 80 `` are the same number."""
    text = text.strip()
    try:
        f = float(text)
    except ValueError:
        return text
    if not math.isfinite(f):
        return text
    return str(int(f)) if f.is_integer() else repr(f)


def _cells(row: dict[str, Any]) -> dict[str, str]:
    return {col: _text(row.get(col)) for col in EDIT_COLUMNS}


def _table(ed, edition: EditionKey, goal: str,
           proposal: dict[str, dict[str, str]] | None = None) -> tuple[list[dict[str, object]], str]:
    """The table's rows as the database holds them (``proposal``: cells to show instead, after a
    conflict) and the hidden ``versions`` value: per row, its version and the stored cells.

    The versions are read first and the rows from the database, not from the page cache: a
    write that lands in between shows as a newer version when the form is saved."""
    from types import SimpleNamespace

    from vlrkit.formats import spec
    from vlrkit.store.queries import spec_parts
    from vlrkit.store.specs import stamps

    now = stamps(ed)
    parts = spec_parts(ed)
    rows = spec.rows_of(SimpleNamespace(**parts), snapshot.assessment(edition))
    names = {i.code: localised(i.names) for i in parts["indicators"]}
    series: dict[str, list[tuple[str, str]]] = {}
    obs = snapshot.review(edition).observations  # the headline's choices only
    if obs.height:
        for code, s, u in obs.select("indicator", "series", "unit").unique().sort("indicator", "series", "unit").rows():
            series.setdefault(code, []).append((s or "", u or ""))
    out, stamped = [], {}
    for r in rows:
        if goal.isdigit() and r["goal"] != int(goal):
            continue
        code = str(r["indicator"])
        stamped[code] = {"v": now.get(code, ""), "seen": _cells(r)}
        r = {**r, **(proposal or {}).get(code, {})}
        choices = [{"value": f"{s}{PAIR}{u}", "label": f"{s or '—'} ({u or '—'})",
                    "selected": (r["headline_series"], r["headline_unit"]) == (s, u)}
                   for s, u in series.get(code, [])]
        out.append({**r, "name": names.get(code, code), "series_choices": choices})
    return out, json.dumps(stamped, ensure_ascii=False)


def _submitted(request: HttpRequest) -> dict[str, dict[str, str]]:
    out = {}
    for code in request.POST.getlist("indicator"):
        head_s, _sep, head_u = request.POST.get(f"headline:{code}", "").partition(PAIR)
        given = {"headline_series": head_s, "headline_unit": head_u}
        out[code] = {col: given.get(col, request.POST.get(f"{col}:{code}", "")) for col in EDIT_COLUMNS}
    return out


def _merge(ed, mine: dict[str, dict[str, str]], stamped: dict[str, Any]):
    """Rows to save (merged where a row moved on), or the conflict; inside the transaction."""
    from vlrkit.store.specs import current_rows, last_change, stamps

    now = stamps(ed)
    stale = [code for code in mine if (stamped.get(code) or {}).get("v") != now.get(code)]
    theirs = {c: _cells(r) for c, r in current_rows(ed, stale).items()} if stale else {}
    merged = {code: dict(cells) for code, cells in mine.items()}
    fields: list[FieldChange] = []
    clash_rows: list[str] = []
    kept: list[str] = []
    for code in stale:
        seen = (stamped.get(code) or {}).get("seen") or {}
        now_cells = theirs.get(code, {})
        for col in EDIT_COLUMNS:
            b, t, y = seen.get(col, ""), now_cells.get(col, ""), mine[code][col]
            they, you = _canon(t) != _canon(b), _canon(y) != _canon(b)
            both = they and you and _canon(y) != _canon(t)
            if they and not you:
                merged[code][col] = t  # keep theirs
                kept.append(f"{code} · {col}")
            if they or you:
                fields.append(FieldChange(f"{col}:{code}", f"{code} · {col}", b, t, y, both))
            if both and code not in clash_rows:
                clash_rows.append(code)
    if not clash_rows:
        return merged, None, kept
    who, when = last_change(ed, clash_rows[0])
    conflict = Conflict(who=who, when=when, changes=1, created=False, deleted=False,
                        fields=tuple(f for f in fields if f.name.split(":", 1)[1] in clash_rows),
                        version=0, resubmit=(), proposal=merged)
    return merged, conflict, kept


def _resubmit(request: HttpRequest, proposal: dict[str, dict[str, str]], versions: str) -> tuple[tuple[str, str], ...]:
    """What "save mine over theirs" posts: the proposal, stamped with the current versions."""
    pairs: list[tuple[str, str]] = [("goal", request.POST.get("goal", "")), (VERSIONS, versions)]
    for code, cells in proposal.items():
        pairs.append(("indicator", code))
        pairs.append((f"headline:{code}", f"{cells['headline_series']}{PAIR}{cells['headline_unit']}"
                      if cells["headline_series"] or cells["headline_unit"] else ""))
        pairs.extend((f"{col}:{code}", v) for col, v in cells.items() if not col.startswith("headline_"))
    return tuple(pairs)


def table(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    from dataclasses import replace

    from vlrkit.formats import spec
    from vlrkit.store.models import LocalIndicator
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
    conflict = None
    kept: list[str] = []
    proposal: dict[str, dict[str, str]] | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        with transaction.atomic():
            known = {i.code: i for i in LocalIndicator.objects.select_for_update().filter(edition=ed)}
            if upload is not None:
                got = spec.read(upload.read(), upload.name, known)
            else:
                try:
                    stamped = json.loads(request.POST.get(VERSIONS) or "{}")
                except ValueError:
                    stamped = {}
                merged, conflict, kept = _merge(ed, _submitted(request), stamped if isinstance(stamped, dict) else {})
                header = ("indicator", *EDIT_COLUMNS)
                got = spec.read_rows(header, [(n, (code, *cells.values())) for n, (code, cells)
                                              in enumerate(merged.items(), start=1)], _("the table"), known)
            if conflict is None and got.valid:
                counts = apply(ed, got.changes, reason=f"indicator table ({request.user})")
                messages.success(request, _("Saved: %(n)s indicator(s), %(t)s target(s), %(h)s threshold set(s), "
                                            "%(l)s link(s) changed.") % {"n": counts["indicators"], "t": counts["targets"],
                                                                         "h": counts["thresholds"], "l": counts["links"]})
                if kept:
                    messages.info(request, _("Saved; someone else had changed %(fields)s meanwhile, and their change "
                                             "was kept.") % {"fields": ", ".join(kept)})
                return redirect(request.path + (f"?goal={goal}" if goal else ""))
        if conflict is not None:
            proposal = dict(conflict.proposal)
        else:
            zh = (request.LANGUAGE_CODE or "").startswith("zh")
            problems = [{"row": p.row, "column": p.column, "where": f"{p.file} {_('row')} {p.row}, {p.column}",
                         "text": p.message["zh-Hans" if zh else "en"]}
                        for p in got.problems if p.severity == "error"]
    rows, versions = _table(ed, edition, goal, proposal)
    if conflict is not None and proposal is not None:
        conflict = replace(conflict, resubmit=_resubmit(request, proposal, versions))
    return render(request, "web/indicator_spec.html", {
        "rows": rows, "goal": goal, "goals": range(1, 18), "problems": problems, "conflict": conflict,
        "versions": versions, "columns": EDIT_COLUMNS, "directions": ("higher", "lower", "unknown"),
        "grades": ("", "identical", "adapted", "proxy", "contextual"),
    }, status=409 if conflict is not None else 200)
