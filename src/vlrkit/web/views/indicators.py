"""Local indicators: create and edit them with their SDG links, targets and thresholds.

Data providers see every indicator but may change only those assigned to them (by indicator or
by goal); coordinators and admins change all and create new ones.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vlrkit import sdg
from vlrkit.web import forms as f
from vlrkit.web import roles as r
from vlrkit.web.text import localised, sdg_lang
from vlrkit.web.views._common import edition_obj, indicator_obj


def index(request: HttpRequest, edition: str) -> HttpResponse:
    from vlrkit.store.models import LocalIndicator

    ed = edition_obj(edition)
    goal = request.GET.get("goal", "")
    qs = LocalIndicator.objects.filter(edition=ed).prefetch_related("links").order_by("goal", "code")
    if goal.isdigit():
        qs = qs.filter(goal=int(goal))
    rows = [
        {
            "code": i.code, "name": localised(i.names), "goal": i.goal, "unit": i.unit,
            "links": [f"{link.sdg_indicator or link.target} ({link.grade})" for link in i.links.all()],
            "editable": r.may_edit_indicator(request, edition, i.code, i.goal),
        }
        for i in qs
    ]
    return render(request, "web/indicators.html", {"indicators": rows, "goal": goal, "goals": range(1, 18)})


def new(request: HttpRequest, edition: str) -> HttpResponse:
    from vlrkit.store.models import LocalIndicator

    ed = edition_obj(edition)
    form = f.IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if LocalIndicator.objects.filter(edition=ed, code=d["code"]).exists():
            form.add_error("code", _("An indicator with this code exists already."))
        else:
            LocalIndicator.objects.create(edition=ed, **_indicator_fields(d))
            messages.success(request, _("Indicator %(code)s created.") % {"code": d["code"]})
            return redirect("web:indicator_edit", edition=edition, code=d["code"])
    return render(request, "web/indicator_form.html", {"form": form, "creating": True})


def _indicator_fields(d: dict) -> dict:
    names = {k: v for k, v in (("zh-Hans", d["name_zh"]), ("en", d["name_en"])) if v}
    return {
        "code": d["code"], "names": names, "goal": d["goal"], "unit": d["unit"], "direction": d["direction"],
        "source": d["source"], "custodian": d["custodian"], "coverage": d["coverage"],
    }


def edit(request: HttpRequest, edition: str, code: str) -> HttpResponse:
    from vlrkit.store.models import SdgLink, Target, Thresholds

    ed = edition_obj(edition)
    ind = indicator_obj(ed, code)
    if request.method == "POST":
        r.require_indicator(request, edition, ind.code, ind.goal)
    else:
        if not r.may_edit_indicator(request, edition, ind.code, ind.goal):
            return redirect("web:indicator", edition=edition, code=code)
    part = request.POST.get("part", "")
    initial = {
        "code": ind.code, "name_zh": ind.names.get("zh-Hans", ""), "name_en": ind.names.get("en", ""),
        "goal": ind.goal, "unit": ind.unit, "direction": ind.direction, "source": ind.source,
        "custodian": ind.custodian, "coverage": ind.coverage,
    }
    th = Thresholds.objects.filter(indicator=ind).first()
    forms = {
        "meta": f.IndicatorForm(request.POST if part == "meta" else None, initial=initial),
        "link": f.LinkForm(request.POST if part == "link" else None),
        "target": f.TargetForm(request.POST if part == "target" else None),
        "thresholds": f.ThresholdsForm(
            request.POST if part == "thresholds" else None,
            initial={k: getattr(th, k) for k in ("optimum", "lower_bound", "green", "red")} if th else None,
        ),
    }
    if request.method == "POST":
        done = False
        with transaction.atomic():
            if part == "meta" and forms["meta"].is_valid():
                fields = _indicator_fields(forms["meta"].cleaned_data)
                if fields["code"] != ind.code:
                    forms["meta"].add_error("code", _("The code of an indicator cannot change."))
                elif fields["goal"] != ind.goal and not r.roles_of(request.user, edition) & r.LEADS:
                    forms["meta"].add_error("goal", _("Only a coordinator moves an indicator to another goal."))
                else:
                    for k, v in fields.items():
                        setattr(ind, k, v)
                    ind.save()
                    done = True
            elif part == "link" and forms["link"].is_valid():
                d = forms["link"].cleaned_data
                SdgLink.objects.update_or_create(
                    indicator=ind, target=d["target"], sdg_indicator=d["sdg_indicator"] or "",
                    defaults={"grade": d["grade"]},
                )
                done = True
            elif part == "unlink":
                SdgLink.objects.filter(indicator=ind, pk=request.POST.get("pk") or 0).delete()
                done = True
            elif part == "target" and forms["target"].is_valid():
                d = forms["target"].cleaned_data
                Target.objects.update_or_create(
                    indicator=ind, kind=d["kind"], year=d["year"],
                    defaults={"value": d["value"], "baseline_year": d["baseline_year"]},
                )
                done = True
            elif part == "untarget":
                Target.objects.filter(indicator=ind, pk=request.POST.get("pk") or 0).delete()
                done = True
            elif part == "thresholds" and forms["thresholds"].is_valid():
                Thresholds.objects.update_or_create(indicator=ind, defaults=forms["thresholds"].cleaned_data)
                done = True
        if done:
            from vlrkit.web.editions import forget

            forget(edition)
            messages.success(request, _("Indicator %(code)s saved.") % {"code": ind.code})
            return redirect("web:indicator_edit", edition=edition, code=code)
    lang = sdg_lang()
    links = []
    for link in SdgLink.objects.filter(indicator=ind).order_by("target"):
        try:
            title = sdg.target(link.target).short_title(lang)
        except KeyError:
            title = ""
        links.append({"pk": link.pk, "target": link.target, "sdg_indicator": link.sdg_indicator,
                      "grade": link.grade, "title": title})
    return render(request, "web/indicator_form.html", {
        "forms": forms, "form": forms["meta"], "indicator": ind, "name": localised(ind.names),
        "links": links, "targets": Target.objects.filter(indicator=ind).order_by("kind", "year"),
    })
