"""Apply an indicator specification (:mod:`vlrkit.formats.spec`) to an edition: all or nothing,
every change kept in history (django-simple-history records each saved row, with ``reason``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from vlrkit.formats.spec import Change
from vlrkit.store import models as m


class SpecRefused(Exception):
    """The specification has errors: nothing was changed."""

    def __init__(self, errors: int) -> None:
        super().__init__(f"the specification has {errors} error(s); nothing was changed / "
                         f"规格表有 {errors} 个错误，未作任何更改")
        self.errors = errors


def _set(obj: Any, field: str, value: Any) -> bool:
    if getattr(obj, field) != value:
        setattr(obj, field, value)
        return True
    return False


def _target(ind: m.LocalIndicator, kind: str, value: float | None, year: int | None) -> int:
    qs = m.Target.objects.filter(indicator=ind, kind=kind, series="", unit="")
    if value is None:
        n = 0
        for t in qs:  # one by one, so that history records each deletion
            t.delete()
            n += 1
        return n
    year = year or 2030
    t = qs.order_by("-year").first()
    if t is None:
        m.Target.objects.create(indicator=ind, kind=kind, value=value, year=year)
        return 1
    changed = _set(t, "value", value) | _set(t, "year", year)
    if changed:
        t.save()
    return int(changed)


@transaction.atomic
def apply(edition: m.Edition, changes: tuple[Change, ...], *, reason: str = "indicator specification") -> dict[str, int]:
    """Write ``changes`` into ``edition``; returns counts of what changed."""
    inds = {i.code: i for i in m.LocalIndicator.objects.filter(edition=edition)}
    counts = {"indicators": 0, "targets": 0, "thresholds": 0, "links": 0}
    for ch in changes:
        ind = inds[ch.indicator]
        v = ch.values
        ind._change_reason = reason  # type: ignore[attr-defined]
        changed = False
        if "goal" in v:
            changed |= _set(ind, "goal", v["goal"])
        names = dict(ind.names)
        for col, lang in (("name_en", "en"), ("name_zh", "zh-Hans")):
            if v.get(col):
                names[lang] = v[col]
        changed |= _set(ind, "names", names)
        if "unit" in v:
            changed |= _set(ind, "unit", v["unit"])
        extra = dict(ind.extra)
        if "direction" in v:
            if _set(ind, "direction", v["direction"]):
                changed = True
                extra.pop("direction_origin", None)  # now the city's own choice
        for col in ("headline_series", "headline_unit"):
            if col in v:
                if v[col]:
                    extra[col] = v[col]
                else:
                    extra.pop(col, None)
        changed |= _set(ind, "extra", extra)
        if changed:
            ind.save()
            counts["indicators"] += 1
        for kind in ("local", "national"):
            if f"{kind}_target" in v:
                counts["targets"] += _target(ind, kind, v[f"{kind}_target"], v.get(f"{kind}_target_year"))
        if "optimum" in v:
            th = m.Thresholds.objects.filter(indicator=ind).first()
            if v["optimum"] is None:
                if th is not None:
                    th.delete()
                    counts["thresholds"] += 1
            else:
                vals = {k: v[k] for k in ("optimum", "lower_bound", "green", "red")}
                if th is None:
                    m.Thresholds.objects.create(indicator=ind, **vals)
                    counts["thresholds"] += 1
                elif any(getattr(th, k) != x for k, x in vals.items()):
                    for k, x in vals.items():
                        setattr(th, k, x)
                    th.save()
                    counts["thresholds"] += 1
        if v.get("sdg_indicator"):
            target = ".".join(v["sdg_indicator"].split(".")[:2])
            link = m.SdgLink.objects.filter(indicator=ind, sdg_indicator=v["sdg_indicator"]).first()
            grade = v.get("grade") or "identical"
            if link is None:
                m.SdgLink.objects.create(indicator=ind, target=target, sdg_indicator=v["sdg_indicator"], grade=grade,
                                         reason={"en": "set in the indicator specification", "zh-Hans": "在指标规格表中设定"})
                counts["links"] += 1
            elif _set(link, "grade", grade):
                link.save()
                counts["links"] += 1
    return counts
