"""Comparisons of an edition: what changed since an earlier edition of the same entity (GE-3,
:mod:`vlrkit.compare.diff`) and the review beside its country (GE-5a, vertical coherence,
:mod:`vlrkit.compare.vertical`), with the VNR team's table as CSV.

Each view picks what to compare (an earlier edition of the same entity that the visitor may
read; a national entity stored with ``vlr import-national``), calls the core through
:mod:`vlrkit.web.snapshot`'s cache and renders the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vlrkit.web import editions, snapshot
from vlrkit.web import roles as r
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang, localised

#: The command shown when the database holds no national entity (docs/compare.md).
IMPORT_NATIONAL = ('vlr import-national uk-sdg-data/ --code gbr --name-en "United Kingdom" '
                   "--country GBR --ref-area 826")
#: Headings of the change kinds (vlrkit.compare.diff.KINDS), in the order the page lists them.
KIND_TITLES: dict[str, Any] = {
    "indicator-added": gettext_lazy("Indicators added"),
    "indicator-dropped": gettext_lazy("Indicators dropped"),
    "data-new": gettext_lazy("New data"),
    "status": gettext_lazy("Status changed"),
    "colour": gettext_lazy("Colour changed"),
    "trend": gettext_lazy("Trend changed"),
    "target-reached": gettext_lazy("Targets reached"),
    "goal-colour": gettext_lazy("Goal colours changed"),
    "narrative-added": gettext_lazy("Narrative sections added"),
    "narrative-removed": gettext_lazy("Narrative sections removed"),
    "narrative-rewritten": gettext_lazy("Narrative sections rewritten"),
}
#: Kinds whose before/after are assessment slugs (colour, trend, status labels of vlrkit.assess.rules).
ASSESSED = frozenset({"status", "colour", "trend", "target-reached", "goal-colour"})
ACTION_STATUS: dict[str, Any] = {
    "planned": gettext_lazy("planned"), "in_progress": gettext_lazy("in progress"), "done": gettext_lazy("done"),
    "cancelled": gettext_lazy("cancelled"), "not_carried_over": gettext_lazy("not carried over"),
}
AHEAD: dict[str, Any] = {"local": gettext_lazy("local"), "national": gettext_lazy("national"),
                         "level": gettext_lazy("level")}


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:,.4g}"


def _dated(value: tuple[int, float] | None) -> str:
    return "" if value is None else f"{_num(value[1])} ({value[0]})"


def _may_read(request: HttpRequest, info: editions.EditionInfo) -> bool:
    """Whether the visitor may read edition ``info`` (the rule of its dashboard)."""
    roles = r.effective_roles(request, info.key, info.status)
    return r.allowed(r.ACCESS["web:dashboard"], roles, "GET", info.status)


def _method_label(name: str) -> str:
    from vlrkit.assess import editions as method_editions

    try:
        return method_editions.get(name).label(current_lang())
    except KeyError:
        return name


# --- what changed since the last review ------------------------------------------------------


def changes(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    """What changed from an earlier edition of the same entity (``?against=CODE``, default: the
    edition's ``previous``) to this one."""
    lang = current_lang()
    new = snapshot.data_review(edition)
    others = [i for i in editions.all_editions()
              if i.key.entity == edition.entity and i.key != edition and _may_read(request, i)]
    wanted = request.GET.get("against") or new.edition.previous or ""
    old = next((i for i in others if i.code == wanted), None)
    context: dict[str, Any] = {
        "choices": [{"code": i.code, "title": localised(i.title) or i.code, "year": i.year} for i in others],
        "against": old.code if old else "", "previous": new.edition.previous or "",
        "unknown": wanted if wanted and old is None else "",
    }
    if old is not None:
        context.update(_changes(snapshot.edition_diff(edition, old.key), edition, lang))
    return render(request, "web/changes.html", context)


def _changes(result: Any, edition: EditionKey, lang: str) -> dict[str, Any]:
    from vlrkit.assess.rules import label

    key = "zh-Hans" if lang.startswith("zh") else "en"
    indicators = {i.code for i in snapshot.data_review(edition).indicators}
    groups = []
    for kind, title in KIND_TITLES.items():
        rows = []
        for c in result.of(kind):
            assessed = kind in ASSESSED
            rows.append({
                "subject": c.subject, "link": c.subject if c.subject in indicators and kind != "goal-colour" else "",
                "before": label(c.before, lang) if assessed and c.before else c.before,
                "after": label(c.after, lang) if assessed and c.after else c.after,
                "before_slug": c.before, "after_slug": c.after,
                "before_value": _dated(c.before_value), "after_value": _dated(c.after_value),
                "note": c.note.get(key) or c.note.get("en", ""),
            })
        if rows:
            groups.append({"kind": kind, "title": str(title), "rows": rows, "assessed": kind in ASSESSED})
    actions = [{"code": c.subject, "title": localised(c.note), "before": str(ACTION_STATUS.get(c.before, c.before)),
                "after": str(ACTION_STATUS.get(c.after, c.after)), "changed": c.before != c.after}
               for c in result.actions]
    remembered = [{"edition": code, "method": m, "method_edition": _method_label(me)}
                  for code, (m, me) in result.methods.items()]
    return {"result": result, "groups": groups, "actions": actions, "total": len(result.changes),
            "method": result.method, "method_edition": _method_label(result.method_edition),
            "same_method": result.same_method, "remembered": remembered}


# --- beside the nation -----------------------------------------------------------------------


@dataclass(frozen=True)
class National:
    """A national entity stored in the database, by its latest edition."""

    key: EditionKey
    name: str
    country: str


def _nationals(edition: EditionKey) -> list[National]:
    """Every entity of level national (``vlr import-national``), by its latest edition."""
    from vlrkit.store.models import Edition

    out: dict[str, National] = {}
    rows = (Edition.objects.filter(entity__level="national").exclude(entity__code=edition.entity)
            .select_related("entity").order_by("entity__code", "-year", "-id"))
    for ed in rows:
        out.setdefault(ed.entity.code, National(EditionKey(ed.entity.code, ed.code),
                                                localised(ed.entity.names) or ed.entity.code, ed.entity.country))
    return list(out.values())


def _pick(request: HttpRequest, edition: EditionKey) -> tuple[list[National], National | None]:
    """The national entities and the one asked for (``?national=CODE``), else the one of the
    local entity's country, else the first."""
    nationals = _nationals(edition)
    wanted = request.GET.get("national", "")
    chosen = next((n for n in nationals if n.key.entity == wanted), None)
    if chosen is None and not wanted:
        country = (snapshot.data_review(edition).entity.country or "").upper()
        chosen = next((n for n in nationals if country and n.country.upper() == country), None)
        chosen = chosen or (nationals[0] if nationals else None)
    return nationals, chosen


def vertical(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    """The review's indicators beside the country's (GE-5a)."""
    nationals, chosen = _pick(request, edition)
    context: dict[str, Any] = {
        "nationals": nationals, "chosen": chosen, "command": IMPORT_NATIONAL,
        "unknown": request.GET.get("national", "") if chosen is None else "",
    }
    if chosen is not None:
        context.update(_vertical(edition, chosen, current_lang()))
    return render(request, "web/vertical.html", context)


def _assessed(result: Any, code: str) -> Any:
    if result is None:
        return None
    return next((i for i in result.indicators if i.code == code), None)


def _side(side: Any, assessed: Any, lang: str) -> dict[str, Any]:
    from vlrkit.assess.rules import label

    return {
        "indicator": side.indicator, "latest": _num(side.latest), "year": side.latest_year,
        "change": "—" if side.change_per_year is None else f"{side.change_per_year:+,.3g}",
        "since": side.first_year,
        "trend": label(assessed.trend, lang) if assessed else "—", "arrow": assessed.trend if assessed else "",
        "status": label(assessed.status, lang) if assessed else "—",
        "colour": assessed.colour if assessed else "grey",
        "target": "—" if side.target is None else f"{_num(side.target[0])} ({side.target[1]})",
    }


def _vertical(edition: EditionKey, national: National, lang: str) -> dict[str, Any]:
    key = "zh-Hans" if lang.startswith("zh") else "en"
    result = snapshot.vertical(edition, national.key)
    mine, theirs = snapshot.assessment(edition), snapshot.assessment(national.key)
    order = {i.code: n for n, i in enumerate(snapshot.data_review(edition).indicators)}
    rows = []
    for p in sorted(result.pairs, key=lambda p: order.get(p.local.indicator, len(order))):
        rows.append({
            "sdg": p.sdg_indicator, "grade": p.grade, "unit": p.local.unit,
            "local": _side(p.local, _assessed(mine, p.local.indicator), lang),
            "national": _side(p.national, _assessed(theirs, p.national.indicator), lang),
            "gap": "—" if p.gap is None else f"{p.gap:+,.4g}", "gap_year": p.gap_year,
            "first_gap": "—" if p.first_gap is None else f"{p.first_gap:+,.4g}", "first_gap_year": p.first_gap_year,
            "narrowing": p.narrowing, "ahead": str(AHEAD[p.ahead]) if p.ahead else "",
        })
    left = [{"code": code, "reason": reason, "text": text.get(key) or text.get("en", "")}
            for code, reason, text in result.left_out]
    return {"rows": rows, "left": left, "counts": result.counts(),
            "warnings": [w.get(key) or w.get("en", "") for w in result.warnings],
            "local_name": localised(snapshot.data_review(edition).entity.names) or edition.entity,
            "local_method": _method_label(snapshot.data_review(edition).edition.method_edition),
            "national_method": _method_label(snapshot.data_review(national.key).edition.method_edition)}


def vertical_csv(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    """The table of :func:`vertical` for the VNR team, as CSV (every text cell neutralised)."""
    from django.http import Http404

    from vlrkit.compare import vertical as vt

    _nationals_, chosen = _pick(request, edition)
    if chosen is None:
        raise Http404(_("No national entity in the database."))
    body = vt.to_csv(snapshot.vertical(edition, chosen.key), current_lang())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{edition.entity}-{edition.code}-beside-{chosen.key.entity}") + ".csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
