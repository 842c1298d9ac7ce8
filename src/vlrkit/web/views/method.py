"""How the review is assessed: the headline method and the method edition, chosen by the
coordinators and remembered by the edition; every edition's rules, with what each rests on."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vlrkit.web.text import current_lang
from vlrkit.web.views._common import edition_obj


def _choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from vlrkit.assess import editions
    from vlrkit.assess.review import METHODS

    lang = current_lang()
    eds = [(n, editions.get(n).label(lang)) for n in editions.names("sdsn")]
    return [(m, m) for m in METHODS], eds


class MethodForm(forms.Form):
    """The method and edition a review is assessed by."""

    method = forms.ChoiceField(label=gettext_lazy("Headline method"))
    method_edition = forms.ChoiceField(label=gettext_lazy("Method edition"))

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        methods, eds = _choices()
        self.fields["method"].choices = methods
        self.fields["method_edition"].choices = eds


def method(request: HttpRequest, edition: str) -> HttpResponse:
    from vlrkit.assess import editions

    ed = edition_obj(edition)
    form = MethodForm(initial={"method": ed.method, "method_edition": ed.method_edition})
    if request.method == "POST":
        form = MethodForm(request.POST)
        if form.is_valid():
            ed.method = form.cleaned_data["method"]
            ed.method_edition = form.cleaned_data["method_edition"]
            ed.save(update_fields=["method", "method_edition"])
            messages.success(request, _("The review is now assessed by %(edition)s (%(method)s).") % {
                "edition": editions.get(ed.method_edition).label(current_lang()), "method": ed.method})
            return redirect("web:method", edition=edition)
    lang = current_lang()
    profiles = [{
        "name": e.name, "label": e.label(lang), "summary": e.summary.get(lang) or e.summary["en"],
        "version": e.version, "family": e.family, "chosen": e.name == ed.method_edition,
        "choices": e.choices, "sources": e.sources,
    } for e in (editions.get(n) for n in editions.names())]
    return render(request, "web/method.html", {
        "form": form, "profiles": profiles, "current": editions.get(ed.method_edition).label(lang),
        "current_method": ed.method,
    })
