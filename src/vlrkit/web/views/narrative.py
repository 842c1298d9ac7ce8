"""Narrative editor: one text per guiding-element section and language, the section's guidance
beside it, a Markdown preview (sanitised by the report's own renderer) and the completeness of
the whole review recomputed by :func:`vlrkit.guide.check` as one writes.

Figures are inserted *by reference* (``{{ind:CODE:latest}}``, :mod:`vlrkit.report.refs`): the
stored text keeps the reference, the preview, the report and the public site show the figure
the assessment holds when they are rendered, and references that do not resolve are listed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vlrkit.guide import check, guide
from vlrkit.report import refs
from vlrkit.report.markdown import to_html
from vlrkit.review import SECTIONS, Narrative, Review
from vlrkit.web import conflicts, snapshot
from vlrkit.web import forms as f
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import current_lang
from vlrkit.web.views._common import edition_obj

#: Languages a narrative is written in (the UI languages; other languages come from import).
TEXT_LANGS = ("zh-Hans", "en")
#: The reference the editor's help shows as an example.
REF_EXAMPLE = "{{goal:3:score}}"
#: Fields the figure picker offers (every field of :mod:`vlrkit.report.refs` can be typed).
PICKER_FIELDS: dict[str, Any] = {
    "latest": gettext_lazy("latest value"),
    "year": gettext_lazy("year of the latest value"),
    "baseline": gettext_lazy("baseline"),
    "target": gettext_lazy("target"),
    "status": gettext_lazy("status"),
    "trend": gettext_lazy("trend"),
    "score": gettext_lazy("score (0–100)"),
    "colour": gettext_lazy("dashboard colour"),
    "coverage": gettext_lazy("data coverage"),
    "goals": gettext_lazy("goals with data"),
}


def _element_title(section: str, lang: str) -> str:
    try:
        return guide().element(section).title(lang)
    except KeyError:
        return section


def index(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    edition_obj(edition)
    lang = current_lang()
    review = snapshot.review(edition)
    comp = check(review, snapshot.assessment(edition), lang=lang)
    rows = []
    for section in SECTIONS:
        covered, total = comp.element_share(section)
        rows.append({
            "id": section, "title": _element_title(section, lang), "covered": covered, "total": total,
            "langs": [{"lang": tl, "words": len(review.narrative(section, tl).split()),
                       "chars": len(review.narrative(section, tl))} for tl in TEXT_LANGS],
        })
    return render(request, "web/narrative.html", {
        "sections": rows, "completeness": comp, "share": round(100 * comp.share), "langs": TEXT_LANGS,
        "unresolved": unresolved_references(edition, review),
    })


def unresolved_references(edition: EditionKey, review: Review) -> list[dict[str, object]]:
    """Every figure reference of the stored narratives that does not resolve, in report order."""
    ui = current_lang()
    out = []
    for n in sorted(review.narratives, key=lambda n: (SECTIONS.index(n.section) if n.section in SECTIONS
                                                      else len(SECTIONS), n.lang)):
        if "{{" not in n.text or n.lang not in TEXT_LANGS:
            continue
        for p in refs.resolve(n.text, _figures_of(edition, n.lang), n.lang).problems:
            out.append({"section": n.section, "lang": n.lang, "line": p.line, "message": refs.describe(p, ui)})
    return out


def _figures_of(edition: EditionKey, lang: str) -> refs.Source:
    """What references in a ``lang`` narrative resolve against: the edition's report model."""
    return snapshot.report(edition, lang)


def _check_with(edition: EditionKey, section: str, lang: str, text: str):
    """Completeness of the review as it would be with ``text`` as the narrative of section/lang
    (narratives as stored: a figure reference is evidence, as the report's check reads it)."""
    review = snapshot.review(edition)
    others = tuple(n for n in review.narratives if not (n.section == section and n.lang == lang))
    draft = replace(review, narratives=(*others, Narrative(section, lang, text)))
    return check(draft, snapshot.assessment(edition), lang=current_lang())


def _figures(edition: EditionKey, lang: str) -> list[dict[str, Any]]:
    """The figure picker: references by goal (goal figures, then each indicator's), with the
    figure each shows now in the narrative's language ``lang``; the whole review's last."""
    ui = current_lang()
    names = {i.code: i.name for i in snapshot.report(edition, ui).indicators()}
    titles = {g.number: g.short_title for g in snapshot.report(edition, ui).goals}
    groups: dict[int, dict[str, Any]] = {}
    indicators: dict[str, dict[str, Any]] = {}
    for c in refs.choices(_figures_of(edition, lang), lang):
        if c.field not in PICKER_FIELDS:
            continue
        group = groups.setdefault(c.goal, {
            "goal": c.goal, "title": titles.get(c.goal) if c.goal else _("The review as a whole"),
            "figures": [], "indicators": [],
        })
        item = {"token": c.token, "field": PICKER_FIELDS[c.field], "value": c.value}
        if c.indicator is None:
            group["figures"].append(item)
            continue
        if c.indicator not in indicators:
            indicators[c.indicator] = {"code": c.indicator, "name": names.get(c.indicator, ""), "figures": []}
            group["indicators"].append(indicators[c.indicator])
        indicators[c.indicator]["figures"].append(item)
    return sorted(groups.values(), key=lambda g: (g["goal"] == 0, g["goal"]))


def _panel(edition: EditionKey, section: str, text: str, lang: str) -> dict[str, object]:
    comp = _check_with(edition, section, lang, text)
    covered, total = comp.element_share(section)
    done = refs.resolve(text, _figures_of(edition, lang), lang)
    ui = current_lang()
    return {
        "preview": to_html(done.text), "completeness": comp, "share": round(100 * comp.share),
        "section_covered": covered, "section_total": total,
        "section_missing": [m for m in comp.missing if m.id.startswith(section + ".")],
        "unresolved": [{"line": p.line, "token": p.token, "message": refs.describe(p, ui)}
                       for p in done.problems],
    }


def edit(request: HttpRequest, edition: EditionKey, section: str, lang: str) -> HttpResponse:
    from vlrkit.store import versions
    from vlrkit.store.models import Narrative as Row

    if section not in SECTIONS or lang not in TEXT_LANGS:
        raise Http404(section)
    ed = edition_obj(edition)
    current = Row.objects.filter(edition=ed, section=section, lang=lang).first()
    form = f.NarrativeForm(request.POST or None, initial={"text": current.text if current else "",
                                                          "version": versions.stamp(current)})
    conflict, status = None, 200
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"].replace("\r\n", "\n")
        lookup = {"edition": ed, "section": section, "lang": lang}

        def write(row, values: dict) -> None:
            if row is None:
                versions.create(Row, lookup, text=values["text"])
            elif row.text != values["text"]:
                row.text = values["text"]
                row.save()

        res = conflicts.save(request, Row, lookup, form.cleaned_data["version"], {"text": text},
                             lambda r: {"text": r.text}, {"text": _("Text")}, write, texts=frozenset({"text"}))
        if res.conflict is None:
            messages.success(request, conflicts.kept_message(res) or _("Saved."))
            return redirect("web:narrative_edit", edition=edition, section=section, lang=lang)
        theirs = next((c.theirs for c in res.conflict.fields), "")
        base = next((c.base for c in res.conflict.fields), "")
        conflict, text = conflicts.with_text_merge(res.conflict, base, text, theirs)
        form = f.NarrativeForm(conflicts.rebound(request, conflict.version, {"text": text}))
        form.is_valid()
        status = 409
    text = form["text"].value() or ""
    ui = current_lang()
    try:
        element = guide().element(section)
    except KeyError:
        element = None
    return render(request, "web/narrative_edit.html", {
        "form": form, "section": section, "lang": lang, "title": _element_title(section, ui),
        "purpose": element.purpose(ui) if element else "",
        "prompts": element.prompts(ui) if element else (),
        "figure_groups": _figures(edition, lang), "langs": TEXT_LANGS, "ref_example": REF_EXAMPLE,
        "conflict": conflict,
        **_panel(edition, section, text, lang),
    }, status=status)


@require_POST
def preview(request: HttpRequest, edition: EditionKey) -> HttpResponse:
    section = request.POST.get("section", "")
    lang = request.POST.get("lang", "")
    if section not in SECTIONS or lang not in TEXT_LANGS:
        return HttpResponse(status=400)
    text = request.POST.get("text", "")[:200_000]
    return render(request, "web/_narrative_panel.html", _panel(edition, section, text, lang))
