"""Local indicators: create and edit them with their SDG links, targets, thresholds and SDSN
optimum rule (kept in the indicator's metadata, ``extra["optimum"]``, where the assessment reads it).

Data providers see every indicator but may change only those assigned to them (by indicator or
by goal); coordinators and admins change all and create new ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vlrkit import sdg
from vlrkit.validation import optimum as vopt
from vlrkit.validation.optimum import FIELD as OPTIMUM_KEY
from vlrkit.web import forms as f
from vlrkit.web import roles as r
from vlrkit.web.editions import EditionKey
from vlrkit.web.text import localised, sdg_lang
from vlrkit.web.views._common import edition_obj, indicator_obj

if TYPE_CHECKING:
    from vlrkit.store import models


def index(request: HttpRequest, edition: EditionKey) -> HttpResponse:
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


def new(request: HttpRequest, edition: EditionKey) -> HttpResponse:
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


def _direction_breaks_rule(ind: models.LocalIndicator, direction: str, form: f.OptimumForm) -> vopt.Verdict | None:
    """Why changing the direction of ``ind`` to ``direction`` makes its optimum rule contradict
    its thresholds (None: it does not, or the direction is unchanged or already contradicted)."""
    rule = (ind.extra or {}).get(OPTIMUM_KEY, "")
    if direction == ind.direction or vopt.against_record(rule, direction=ind.direction, target=form.target,
                                                          best=form.best) is not None:
        return None
    return vopt.against_record(rule, direction=direction, target=form.target, best=form.best)


def edit(request: HttpRequest, edition: EditionKey, code: str) -> HttpResponse:
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
        "optimum": f.OptimumForm(
            request.POST if part == "optimum" else None,
            initial=f.OptimumForm.initial_of(str((ind.extra or {}).get(OPTIMUM_KEY, ""))),
            unit=ind.unit, direction=ind.direction, best=th.optimum if th else None,
            # the local target the assessment uses: the latest year's (vopt.assessed_targets)
            target=next((t.value for t in Target.objects.filter(indicator=ind, kind="local").order_by("-year")), None),
        ),
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
                elif (why := vopt.verdict((ind.extra or {}).get(OPTIMUM_KEY, ""), unit=fields["unit"])) is not None:
                    # a new unit must still suit the optimum rule already set (e.g. lnob needs a %)
                    forms["meta"].add_error("unit", why.zh if (get_language() or "").lower().startswith("zh") else why.en)
                elif (why := _direction_breaks_rule(ind, fields["direction"], forms["optimum"])) is not None:
                    # and a new direction (lnob: 100 % when higher is better, 0 % when lower)
                    forms["meta"].add_error("direction", why.zh if (get_language() or "").lower().startswith("zh") else why.en)
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
            elif part == "optimum" and forms["optimum"].is_valid():
                # where the assessment reads it (vlrkit.assess.review.optimum_rule)
                extra = {k: v for k, v in (ind.extra or {}).items() if k != OPTIMUM_KEY}
                if forms["optimum"].cleaned_data["stored"]:
                    extra[OPTIMUM_KEY] = forms["optimum"].cleaned_data["stored"]
                ind.extra = extra
                ind.save()
                done = True
            elif part == "thresholds" and forms["thresholds"].is_valid():
                Thresholds.objects.update_or_create(indicator=ind, defaults=forms["thresholds"].cleaned_data)
                done = True
        if done:
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


def optimum_view(edition: EditionKey, code: str) -> dict[str, object] | None:
    """The optimum rule the assessment used for ``code`` and the bounds it gave (for the
    indicator page), read from the assessment itself; None when there is no assessment."""
    from vlrkit.web import snapshot

    result = snapshot.assessment(edition)
    if result is None or not hasattr(result, "indicator"):
        return None
    try:
        ia = result.indicator(code)
    except (KeyError, StopIteration):
        return None
    lower = ia.direction == "lower"
    words = {
        "target": _("the indicator's explicit target"),
        "lnob": _("leave no one behind: zero deprivation") if lower else _("leave no one behind: universal access"),
        "science": _("a science-based target"),
        "top5": _("the mean of the top 5 performers"),
        "metadata": _("given in the thresholds, no rule named"),
        "none": _("not available"),
    }
    return {"rule": ia.optimum, "label": words.get(ia.optimum, ia.optimum),
            "bounds": {k: ia.bounds.get(k) for k in ("best", "worst", "green", "red")}}
