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
                vals["yellow"] = v.get("yellow")
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


# --- versions, for the web table's optimistic concurrency (vlrkit.web.views.spec) ------------

#: The rows the table edits with an indicator: (letter in the stamp, model, its key to the indicator).
_PARTS = (("i", m.LocalIndicator, "id"), ("t", m.Target, "indicator_id"), ("h", m.Thresholds, "indicator_id"),
          ("l", m.SdgLink, "indicator_id"))


def stamps(edition: m.Edition) -> dict[str, str]:
    """Per indicator code, the version of its table row: the latest history record of the
    indicator and of its targets, thresholds and SDG links (see :mod:`vlrkit.store.versions`).
    Any save, creation or deletion of one of them writes a newer record, so the stamp moves."""
    from django.db.models import Max

    inds = dict(m.LocalIndicator.objects.filter(edition=edition).values_list("pk", "code"))
    found: dict[int, dict[str, int]] = {pk: {} for pk in inds}
    for letter, model, key in _PARTS:
        rows = (model.history.filter(**{f"{key}__in": list(inds)})  # type: ignore[attr-defined]
                .values(key).annotate(v=Max("history_id")).values_list(key, "v"))
        for pk, v in rows:
            found[pk][letter] = v
    return {code: ".".join(f"{letter}{found[pk].get(letter, 0)}" for letter, _m, _k in _PARTS)
            for pk, code in inds.items()}


def last_change(edition: m.Edition, code: str) -> tuple[str, Any]:
    """Who saved the table row of indicator ``code`` last, and when (from its history)."""
    ind = m.LocalIndicator.objects.filter(edition=edition, code=code).first()
    if ind is None:
        return "—", None
    latest = []
    for _letter, model, key in _PARTS:
        rec = (model.history.filter(**{key: ind.pk})  # type: ignore[attr-defined]
               .select_related("history_user").order_by("-history_date").first())
        if rec is not None:
            latest.append(rec)
    if not latest:
        return "—", None
    rec = max(latest, key=lambda r: r.history_date)
    return (rec.history_user.get_username() if rec.history_user else "—"), rec.history_date


def current_rows(edition: m.Edition, codes: list[str]) -> dict[str, dict[str, Any]]:
    """The table rows (:func:`vlrkit.formats.spec.rows_of`) of ``codes`` as the database holds
    them now (read inside the saving transaction, not from a cache)."""
    from types import SimpleNamespace

    from vlrkit.formats.spec import rows_of
    from vlrkit.store.queries import spec_parts

    return {str(r["indicator"]): r for r in rows_of(SimpleNamespace(**spec_parts(edition, codes)))}
