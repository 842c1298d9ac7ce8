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
from vlrkit.web import conflicts
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


#: The fields of the metadata form that are the indicator's (the code is its key, never changed).
META_FIELDS = ("name_zh", "name_en", "goal", "unit", "direction", "source", "custodian", "coverage")
THRESHOLD_FIELDS = ("optimum", "lower_bound", "green", "red", "yellow")


def _meta_of(row) -> dict[str, object]:
    """The metadata form's fields of an indicator row (or of one of its history records)."""
    names = row.names or {}
    return {"name_zh": names.get("zh-Hans", ""), "name_en": names.get("en", ""), "goal": row.goal,
            "unit": row.unit, "direction": row.direction, "source": row.source, "custodian": row.custodian,
            "coverage": row.coverage}


def _optimum_of(row) -> dict[str, object]:
    return {"stored": str((row.extra or {}).get(OPTIMUM_KEY, ""))}


def _labels(form) -> dict[str, str]:
    return {name: str(field.label) for name, field in form.fields.items()}


def _versions(ind) -> dict[str, object]:
    """The versions the page's forms carry: the indicator's, its thresholds', and per target and
    per SDG link (by natural key, for the add forms; per row, for the remove buttons)."""
    from vlrkit.store import versions
    from vlrkit.store.models import SdgLink, Target, Thresholds

    targets = list(Target.objects.filter(indicator=ind).order_by("kind", "year"))
    for t in targets:
        t.version = versions.stamp(t)
    links = list(SdgLink.objects.filter(indicator=ind).order_by("target"))
    for link in links:
        link.version = versions.stamp(link)
    return {
        "indicator": versions.stamp(ind),
        "thresholds": versions.stamp(Thresholds.objects.filter(indicator=ind).first()),
        "targets": targets, "links": links,
        "target_map": {f"{t.kind}:{t.year}": t.version for t in targets},
        "link_map": {f"{k.target}|{k.sdg_indicator}": k.version for k in links},
    }


def _meta_problem(request: HttpRequest, edition: EditionKey, ind, forms: dict) -> bool:
    """Checks of a metadata save against the indicator as it is; adds the form error, True if any."""
    form = forms["meta"]
    fields = _indicator_fields(form.cleaned_data)
    zh = (get_language() or "").lower().startswith("zh")
    if fields["code"] != ind.code:
        form.add_error("code", _("The code of an indicator cannot change."))
    elif fields["goal"] != ind.goal and not r.roles_of(request.user, edition) & r.LEADS:
        form.add_error("goal", _("Only a coordinator moves an indicator to another goal."))
    elif (why := vopt.verdict((ind.extra or {}).get(OPTIMUM_KEY, ""), unit=fields["unit"])) is not None:
        # a new unit must still suit the optimum rule already set (e.g. lnob needs a %)
        form.add_error("unit", why.zh if zh else why.en)
    elif (why := _direction_breaks_rule(ind, fields["direction"], forms["optimum"])) is not None:
        # and a new direction (lnob: 100 % when higher is better, 0 % when lower)
        form.add_error("direction", why.zh if zh else why.en)
    else:
        return False
    return True


def _remove(request: HttpRequest, model, ind, what: str) -> None:
    """Remove one target or SDG link, unless it changed since the page showing it was opened."""

    from vlrkit.store import versions

    try:
        version = int(request.POST.get("version") or 0)
    except ValueError:
        version = -1
    try:
        with transaction.atomic():
            row = versions.guard(model, version, pk=request.POST.get("pk") or 0, indicator=ind)
            if row is not None:
                row.delete()
    except versions.Stale as stale:
        who = stale.since[0].history_user.get_username() if stale.since and stale.since[0].history_user else "—"
        messages.error(request, _("Not removed: %(what)s was changed by %(who)s since you opened the page. "
                                  "Look at it again below.") % {"what": what, "who": who})


def _save(request: HttpRequest, edition: EditionKey, ind, part: str, forms: dict):
    """Save one part of the edit page; returns True when saved, a Conflict when refused, None
    when a form did not validate."""
    from vlrkit.store import versions
    from vlrkit.store.models import LocalIndicator, SdgLink, Target, Thresholds

    if part in ("meta", "optimum"):
        form = forms[part]
        if not form.is_valid() or (part == "meta" and _meta_problem(request, edition, ind, forms)):
            return None
        if part == "meta":
            mine = {k: form.cleaned_data[k] for k in META_FIELDS}

            def write(row, values):
                for k, v in _indicator_fields({**values, "code": row.code}).items():
                    setattr(row, k, v)
                row.save()
        else:
            mine = {"stored": form.cleaned_data["stored"]}

            def write(row, values):  # where the assessment reads it (vlrkit.assess.review.optimum_rule)
                extra = {k: v for k, v in (row.extra or {}).items() if k != OPTIMUM_KEY}
                if values["stored"]:
                    extra[OPTIMUM_KEY] = values["stored"]
                row.extra = extra
                row.save()
        res = conflicts.save(request, LocalIndicator, {"pk": ind.pk}, form.cleaned_data["version"], mine,
                             _meta_of if part == "meta" else _optimum_of, {**_labels(form), "stored": _("Optimum (SDSN)")},
                             write)
    elif part == "thresholds":
        form = forms[part]
        if not form.is_valid():
            return None
        mine = {k: form.cleaned_data[k] for k in THRESHOLD_FIELDS}

        def write(row, values):
            if row is None:
                versions.create(Thresholds, {"indicator": ind}, **values)
            else:
                for k, v in values.items():
                    setattr(row, k, v)
                row.save()
        res = conflicts.save(request, Thresholds, {"indicator": ind}, form.cleaned_data["version"], mine,
                             lambda row: {k: getattr(row, k) for k in THRESHOLD_FIELDS}, _labels(form), write)
    elif part in ("target", "link"):
        form = forms[part]
        if not form.is_valid():
            return None
        d = form.cleaned_data
        if part == "target":
            model, lookup, key = Target, {"indicator": ind, "kind": d["kind"], "year": d["year"]}, f"{d['kind']}:{d['year']}"
            mine = {"value": d["value"], "baseline_year": d["baseline_year"]}
        else:
            sdg_indicator = d["sdg_indicator"] or ""
            model, key = SdgLink, f"{d['target']}|{sdg_indicator}"
            lookup = {"indicator": ind, "target": d["target"], "sdg_indicator": sdg_indicator}
            mine = {"grade": d["grade"]}

        def write(row, values):
            if row is None:
                versions.create(model, lookup, **values)
            else:
                for k, v in values.items():
                    setattr(row, k, v)
                row.save()
        res = conflicts.save(request, model, lookup, (d["versions"] or {}).get(key, 0), mine,
                             lambda row: {k: getattr(row, k) for k in mine}, _labels(form), write)
    elif part in ("untarget", "unlink"):
        _remove(request, Target if part == "untarget" else SdgLink, ind,
                _("the target") if part == "untarget" else _("the SDG link"))
        return True
    else:
        return None
    if res.conflict is not None:
        return res.conflict
    if note := conflicts.kept_message(res):
        messages.info(request, note)
    return True


def edit(request: HttpRequest, edition: EditionKey, code: str) -> HttpResponse:
    from vlrkit.store.models import Target, Thresholds

    ed = edition_obj(edition)
    ind = indicator_obj(ed, code)
    if request.method == "POST":
        r.require_indicator(request, edition, ind.code, ind.goal)
    else:
        if not r.may_edit_indicator(request, edition, ind.code, ind.goal):
            return redirect("web:indicator", edition=edition, code=code)
    part = request.POST.get("part", "")
    th = Thresholds.objects.filter(indicator=ind).first()
    target_now = next((t.value for t in Target.objects.filter(indicator=ind, kind="local").order_by("-year")), None)
    v = _versions(ind)

    def make(data, offered: dict | None = None) -> dict:
        """The page's forms; the one of ``part`` bound to ``data``, or offering ``offered``."""
        def bound(name: str):
            return data if part == name else None

        def initial(name: str, default: dict) -> dict:
            return offered if offered is not None and name == part else default

        return {
            "meta": f.IndicatorForm(bound("meta"), initial=initial(
                "meta", {"code": ind.code, **_meta_of(ind), "version": v["indicator"]})),
            "link": f.LinkForm(bound("link"), initial=initial("link", {"versions": v["link_map"]})),
            "target": f.TargetForm(bound("target"), initial=initial("target", {"versions": v["target_map"]})),
            "optimum": f.OptimumForm(
                bound("optimum"),
                initial=initial("optimum", {**f.OptimumForm.initial_of(str((ind.extra or {}).get(OPTIMUM_KEY, ""))),
                                            "version": v["indicator"]}),
                unit=ind.unit, direction=ind.direction, best=th.optimum if th else None,
                # the local target the assessment uses: the latest year's (vopt.assessed_targets)
                target=target_now,
            ),
            "thresholds": f.ThresholdsForm(
                bound("thresholds"),
                initial=initial("thresholds", {**({k: getattr(th, k) for k in THRESHOLD_FIELDS} if th else {}),
                                               "version": v["thresholds"]}),
            ),
        }

    forms = make(request.POST if request.method == "POST" else None)
    conflict, status = None, 200
    if request.method == "POST":
        outcome = _save(request, edition, ind, part, forms)
        if outcome is True:
            messages.success(request, _("Indicator %(code)s saved.") % {"code": ind.code})
            return redirect("web:indicator_edit", edition=edition, code=code)
        if isinstance(outcome, conflicts.Conflict):
            # the form again over the current version(s): yours where both changed, else merged
            conflict, status = outcome, 409
            proposal = dict(conflict.proposal)
            if part == "meta":
                offered = {"code": ind.code, **proposal, "version": conflict.version}
            elif part == "optimum":
                offered = {**f.OptimumForm.initial_of(str(proposal["stored"])), "version": conflict.version}
            elif part == "thresholds":
                offered = {**proposal, "version": conflict.version}
            else:  # the add forms: the same row again, with the whole set's versions now
                keys = ("kind", "year") if part == "target" else ("target", "sdg_indicator")
                offered = {**{k: forms[part].cleaned_data[k] for k in keys}, **proposal,
                           "versions": v["target_map" if part == "target" else "link_map"]}
            forms = make(None, offered)
            conflict = conflicts.offer(conflict, forms[part], request)
    lang = sdg_lang()
    links = []
    for link in v["links"]:
        try:
            title = sdg.target(link.target).short_title(lang)
        except KeyError:
            title = ""
        links.append({"pk": link.pk, "target": link.target, "sdg_indicator": link.sdg_indicator,
                      "grade": link.grade, "title": title, "version": link.version})
    return render(request, "web/indicator_form.html", {
        "forms": forms, "form": forms["meta"], "indicator": ind, "name": localised(ind.names),
        "links": links, "targets": v["targets"], "conflict": conflict, "conflict_part": part,
    }, status=status)


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
