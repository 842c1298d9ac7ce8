"""Narrative editor: one text per guiding-element section and language, the section's guidance
beside it, a Markdown preview (sanitised by the report's own renderer) and the completeness of
the whole review recomputed by :func:`vlrkit.guide.check` as one writes."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vlrkit.guide import check, guide
from vlrkit.report.markdown import to_html
from vlrkit.review import SECTIONS, Narrative
from vlrkit.web import forms as f
from vlrkit.web import snapshot
from vlrkit.web.text import current_lang
from vlrkit.web.views._common import edition_obj

#: Languages a narrative is written in (the UI languages; other languages come from import).
TEXT_LANGS = ("zh-Hans", "en")
#: Figures offered for insertion on the editor page, at most.
MAX_FIGURES = 60


def _element_title(section: str, lang: str) -> str:
    try:
        return guide().element(section).title(lang)
    except KeyError:
        return section


def index(request: HttpRequest, edition: str) -> HttpResponse:
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
    })


def _check_with(edition: str, section: str, lang: str, text: str):
    """Completeness of the review as it would be with ``text`` as the narrative of section/lang."""
    review = snapshot.review(edition)
    others = tuple(n for n in review.narratives if not (n.section == section and n.lang == lang))
    draft = replace(review, narratives=(*others, Narrative(section, lang, text)))
    return check(draft, snapshot.assessment(edition), lang=current_lang())


def _figures(edition: str) -> list[dict[str, str]]:
    """Figures of the assessment the writer can insert: latest value and status per indicator."""
    out = []
    for ind in snapshot.report(edition, current_lang()).indicators()[:MAX_FIGURES]:
        if ind.latest is None:
            continue
        status = f", {ind.status_label}" if ind.status != "not_assessed" else ""
        out.append({
            "label": f"{ind.code}: {ind.latest.text}",
            "insert": f"{ind.name}: **{ind.latest.text}** ({ind.latest.year}, {ind.code}{status})",
        })
    return out


def _panel(edition: str, section: str, text: str, lang: str) -> dict[str, object]:
    comp = _check_with(edition, section, lang, text)
    covered, total = comp.element_share(section)
    return {
        "preview": to_html(text), "completeness": comp, "share": round(100 * comp.share),
        "section_covered": covered, "section_total": total,
        "section_missing": [m for m in comp.missing if m.id.startswith(section + ".")],
    }


def edit(request: HttpRequest, edition: str, section: str, lang: str) -> HttpResponse:
    from vlrkit.store.models import Narrative as Row

    if section not in SECTIONS or lang not in TEXT_LANGS:
        raise Http404(section)
    ed = edition_obj(edition)
    current = Row.objects.filter(edition=ed, section=section, lang=lang).first()
    form = f.NarrativeForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"].replace("\r\n", "\n")
        Row.objects.update_or_create(edition=ed, section=section, lang=lang, defaults={"text": text})
        messages.success(request, _("Saved."))
        return redirect("web:narrative_edit", edition=edition, section=section, lang=lang)
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
        "figures": _figures(edition), "langs": TEXT_LANGS,
        **_panel(edition, section, text, lang),
    })


@require_POST
def preview(request: HttpRequest, edition: str) -> HttpResponse:
    section = request.POST.get("section", "")
    lang = request.POST.get("lang", "")
    if section not in SECTIONS or lang not in TEXT_LANGS:
        return HttpResponse(status=400)
    text = request.POST.get("text", "")[:200_000]
    return render(request, "web/_narrative_panel.html", _panel(edition, section, text, lang))
