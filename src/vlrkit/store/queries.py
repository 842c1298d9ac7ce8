"""Turn database rows into a plain :class:`vlrkit.review.Review` and back.

Exceptions (user errors, shown as one line by the CLI):

- :class:`EditionNotFound` — no edition with that code (or no edition at all);
- :class:`EditionExists` — saving a review whose edition is already in the database without
  ``replace=True``.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from typing import Any

import polars as pl
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from vlrkit import tidy
from vlrkit.review import model as rm
from vlrkit.series import key_hash
from vlrkit.store import models as m
from vlrkit.store.models import DIMENSION_FIELDS

BATCH = 5000


class EditionNotFound(LookupError):
    """The database holds no edition with the code asked for."""


class EditionExists(ValueError):
    """The edition is already in the database."""


# --- reading ----------------------------------------------------------------------------------


def editions() -> list[dict[str, Any]]:
    """All editions, oldest first, as plain dicts (code, entity, year, status)."""
    return [
        {"code": e.code, "entity": e.entity.code, "year": e.year, "status": e.status}
        for e in m.Edition.objects.select_related("entity").order_by("year", "id")
    ]


def get_edition(code: str | None = None, entity: str | None = None) -> m.Edition:
    """The edition with ``code`` (of ``entity`` if given); the latest one if ``code`` is None."""
    qs = m.Edition.objects.select_related("entity")
    if entity:
        qs = qs.filter(entity__code=entity)
    if code is not None:
        found = list(qs.filter(code=code)[:2])
        if len(found) == 1:
            return found[0]
        if not found:
            raise EditionNotFound(f"no edition {code!r} in the database")
        raise EditionNotFound(f"several entities have an edition {code!r}; name the entity")
    latest = qs.order_by("-year", "-id").first()
    if latest is None:
        raise EditionNotFound("the database holds no review yet (try `vlr demo` or `vlr import-package`)")
    return latest


def set_ref_area(code: str, entity: str | None = None) -> str:
    """Set the SDMX REF_AREA code of ``entity`` (the only one if None); returns the entity's code.
    :class:`ValueError` if ``code`` is not an SDMX code or the entity is not named and not alone."""
    from vlrkit.formats.sdmx.sdg import valid_ref_area

    code = valid_ref_area(code)
    qs = m.Entity.objects.all()
    if entity:
        qs = qs.filter(code=entity)
    found = list(qs[:2])
    if not found:
        raise EditionNotFound(f"no entity {entity!r} in the database" if entity else "the database holds no entity")
    if len(found) > 1:
        raise ValueError("several entities in the database: name one with --entity / 数据库中有多个主体，请用 --entity 指定")
    ent = found[0]
    ent.ref_area = code
    ent.save(update_fields=["ref_area"])
    return ent.code


def observations_frame(edition: m.Edition) -> pl.DataFrame:
    """The edition's observations as a tidy table (:mod:`vlrkit.tidy`)."""
    fields = ["indicator__code", "period", "year", "value", "unit", "series", "breakdown", *DIMENSION_FIELDS,
              "obs_status", "source", "labels", "import_run__code", "file", "row"]
    rows = list(
        m.Observation.objects.filter(indicator__edition=edition)
        .order_by("indicator__code", "year", "period", "id")
        .values_list(*fields)
    )
    if not rows:
        return tidy.empty()
    cols = list(zip(*rows, strict=True))
    n_dims = len(DIMENSION_FIELDS)
    data: dict[str, Any] = {
        "entity": [edition.entity.code] * len(rows),
        "indicator": cols[0],
        "period": cols[1],
        "year": cols[2],
        "value": cols[3],
        "unit": cols[4],
        "series": cols[5],
        "breakdown": cols[6],
    }
    for i, dim in enumerate(tidy.DIMENSIONS):
        data[dim] = [v or None for v in cols[7 + i]]
    k = 7 + n_dims
    data["obs_status"] = [v or None for v in cols[k]]
    data["source"] = cols[k + 1]
    data["labels"] = [json.dumps(v or {}, ensure_ascii=False, sort_keys=True) for v in cols[k + 2]]
    data["import_id"] = list(cols[k + 3])
    data["file"] = [v or None for v in cols[k + 4]]
    data["row"] = cols[k + 5]
    return pl.DataFrame(data, schema=tidy.SCHEMA)


def load_review(edition: str | None = None, entity: str | None = None, *, text: bool = True) -> rm.Review:
    """Load one edition (the latest if ``edition`` is None) as plain data.

    ``text=False`` leaves the narratives, stakeholders, engagements, contributions and actions
    empty (what the assessment reads needs none of them); :func:`load_text` loads them alone."""
    ed = get_edition(edition, entity)
    ent = ed.entity
    review = rm.Review(
        entity=rm.Entity(ent.code, dict(ent.names), ent.level, ent.country, ent.population,
                         ent.population_year, ent.ref_area),
        edition=rm.Edition(
            ed.code, ed.year, ed.period_start, ed.period_end, tuple(ed.languages),
            tuple(ed.priority_goals), ed.previous.code if ed.previous else (ed.previous_code or None),
            dict(ed.title),
            ed.status, ed.next_review, ed.method, ed.method_edition,
        ),
        **spec_parts(ed),
        observations=observations_frame(ed),
        code_labels=tuple(
            rm.CodeLabel(c.dimension, c.code, dict(c.names))
            for c in ed.code_labels.order_by("dimension", "code")
        ),
        imports=tuple(
            rm.ImportRun(r.code, r.path, r.started.isoformat(),
                         r.finished.isoformat() if r.finished else None, r.status, r.partial,
                         dict(r.counts))
            for r in m.Import.objects.filter(observations__indicator__edition=ed)
            .distinct().order_by("started", "code")
        ),
    )
    return replace(review, **_text_parts(ed)) if text else review


def spec_parts(ed: m.Edition, codes: Collection[str] | None = None) -> dict[str, tuple[Any, ...]]:
    """The edition's indicators and what describes them (SDG links, targets, thresholds) as plain
    data, for every indicator or those of ``codes`` only (a ``Review``'s fields of those names)."""
    inds_qs = ed.indicators.order_by("goal", "code")
    if codes is not None:
        inds_qs = inds_qs.filter(code__in=list(codes))
    inds = list(inds_qs)
    by_id = {i.id: i.code for i in inds}
    of = {"indicator__in": inds} if codes is not None else {"indicator__edition": ed}
    return {
        "indicators": tuple(
            rm.LocalIndicator(
                i.code, dict(i.names), i.goal, i.unit, i.direction, i.source, i.custodian,
                i.coverage, i.aggregation, dict(i.methodology), tuple(i.dimensions), i.decimals,
                i.reporting_status, dict(i.extra),
            )
            for i in inds
        ),
        "links": tuple(
            rm.SdgLink(by_id[x.indicator_id], x.target, x.sdg_indicator or None, x.grade,
                       dict(x.reason))
            for x in m.SdgLink.objects.filter(**of).order_by("indicator__code", "target", "sdg_indicator")
        ),
        "targets": tuple(
            rm.Target(by_id[t.indicator_id], t.kind, t.value, t.year, t.baseline_year,
                      dict(t.note), t.series, t.unit)
            for t in m.Target.objects.filter(**of).order_by("indicator__code", "kind", "year")
        ),
        "thresholds": tuple(
            rm.Thresholds(by_id[t.indicator_id], t.optimum, t.lower_bound, t.green, t.red, t.yellow)
            for t in m.Thresholds.objects.filter(**of).order_by("indicator__code")
        ),
    }


def load_text(edition: str | None = None, entity: str | None = None) -> dict[str, tuple[Any, ...]]:
    """The text parts of one edition (narratives, stakeholders, engagements, contributions,
    actions) as :class:`vlrkit.review.Review` fields: ``replace(review, **load_text(...))``."""
    return _text_parts(get_edition(edition, entity))


def _text_parts(ed: m.Edition) -> dict[str, tuple[Any, ...]]:
    stakeholders = {s.id: s.code for s in ed.stakeholders.all()}
    engagements = list(ed.engagements.prefetch_related("stakeholders").order_by("date", "code"))
    return {
        "narratives": tuple(
            rm.Narrative(n.section, n.lang, n.text)
            for n in ed.narratives.order_by("section", "lang")
        ),
        "stakeholders": tuple(
            rm.Stakeholder(s.code, dict(s.names), s.kind, tuple(s.groups), s.consent)
            for s in ed.stakeholders.order_by("code")
        ),
        "engagements": tuple(
            rm.Engagement(
                e.code, dict(e.title), e.date, e.format, e.participants, dict(e.groups_reached),
                tuple(sorted(stakeholders[s.id] for s in e.stakeholders.all())), tuple(e.goals),
            )
            for e in engagements
        ),
        "contributions": tuple(
            rm.Contribution(
                c.code, stakeholders[c.stakeholder_id], c.date, c.lang, c.text,
                c.engagement.code if c.engagement else None, c.section or None, tuple(c.goals),
                c.status,
            )
            for c in ed.contributions.select_related("engagement").order_by("date", "code")
        ),
        "actions": tuple(
            rm.Action(
                a.code, dict(a.title), a.owner, a.deadline, a.status, tuple(a.targets),
                tuple(sorted(i.code for i in a.indicators.all())),
            )
            for a in ed.actions.prefetch_related("indicators").order_by("code")
        ),
    }


# --- writing ----------------------------------------------------------------------------------


def _observation_objects(frame: pl.DataFrame, indicators: dict[str, m.LocalIndicator],
                         imports: dict[str, m.Import]) -> list[m.Observation]:
    frame = tidy.conform(frame)
    unknown = set(frame["indicator"].unique().to_list()) - set(indicators)
    if unknown:
        raise ValueError(f"observations for unknown indicators: {', '.join(sorted(unknown))}")
    objs = []
    for r in frame.iter_rows(named=True):
        objs.append(m.Observation(
            indicator=indicators[r["indicator"]],
            period=r["period"], year=r["year"], value=r["value"], unit=r["unit"] or "",
            series=r["series"] or "", breakdown=r["breakdown"] or "",
            skey=key_hash(r["series"], r["unit"], r["breakdown"]),
            **{f: r[d] or "" for f, d in zip(DIMENSION_FIELDS, tidy.DIMENSIONS, strict=True)},
            obs_status=r["obs_status"] or "", source=r["source"] or "",
            labels=json.loads(r["labels"]) if r["labels"] else {},
            import_run=_ref(imports, r["import_id"], "import") if r["import_id"] else None,
            file=r["file"] or "", row=r["row"],
        ))
    return objs


@transaction.atomic
def save_review(review: rm.Review, *, replace: bool = False) -> m.Edition:
    """Write a whole review (one edition) in one transaction; returns the edition row.

    Raises :class:`EditionExists` if the edition is there already and ``replace`` is False;
    with ``replace`` the edition's content is deleted and written anew (history keeps the old).
    """
    e = review.entity
    entity, _ = m.Entity.objects.update_or_create(
        code=e.code,
        defaults={"names": dict(e.names), "level": e.level, "country": e.country,
                  "population": e.population, "population_year": e.population_year,
                  "ref_area": e.ref_area},
    )
    ed = review.edition
    existing = m.Edition.objects.filter(entity=entity, code=ed.code).first()
    if existing is not None:
        if not replace:
            raise EditionExists(
                f"edition {ed.code!r} of {e.code!r} is already in the database "
                "(use --replace to overwrite it)"
            )
        existing.delete()
    previous = (
        m.Edition.objects.filter(entity=entity, code=ed.previous).first() if ed.previous else None
    )
    edition = m.Edition.objects.create(
        entity=entity, code=ed.code, year=ed.year, period_start=ed.period_start,
        period_end=ed.period_end, languages=list(ed.languages),
        priority_goals=list(ed.priority_goals), previous=previous, previous_code=ed.previous or "",
        title=dict(ed.title),
        status=ed.status, next_review=ed.next_review, method=ed.method, method_edition=ed.method_edition,
    )
    # editions that came first and name this one as their previous edition find it now
    for later in m.Edition.objects.filter(entity=entity, previous_code=ed.code, previous__isnull=True):
        later.previous = edition
        later.save()
    inds = {
        i.code: m.LocalIndicator(
            edition=edition, code=i.code, names=dict(i.names), goal=i.goal, unit=i.unit,
            direction=i.direction, source=i.source, custodian=i.custodian, coverage=i.coverage,
            aggregation=i.aggregation, methodology=dict(i.methodology),
            dimensions=list(i.dimensions), decimals=i.decimals,
            reporting_status=i.reporting_status, extra=dict(i.extra),
        )
        for i in review.indicators
    }
    bulk_create_with_history(list(inds.values()), m.LocalIndicator, batch_size=BATCH)
    inds = {i.code: i for i in m.LocalIndicator.objects.filter(edition=edition)}

    def ind(code: str) -> m.LocalIndicator:
        try:
            return inds[code]
        except KeyError:
            raise ValueError(f"reference to unknown indicator {code!r}") from None

    bulk_create_with_history(
        [m.SdgLink(indicator=ind(x.indicator), target=x.target,
                   sdg_indicator=x.sdg_indicator or "", grade=x.grade, reason=dict(x.reason))
         for x in review.links], m.SdgLink, batch_size=BATCH)
    bulk_create_with_history(
        [m.Target(indicator=ind(t.indicator), kind=t.kind, value=t.value, year=t.year,
                  baseline_year=t.baseline_year, note=dict(t.note), series=t.series, unit=t.unit)
         for t in review.targets],
        m.Target, batch_size=BATCH)
    bulk_create_with_history(
        [m.Thresholds(indicator=ind(t.indicator), optimum=t.optimum,
                      lower_bound=t.lower_bound, green=t.green, red=t.red, yellow=t.yellow)
         for t in review.thresholds], m.Thresholds, batch_size=BATCH)
    imports = {}
    for r in review.imports:
        run, _ = m.Import.objects.update_or_create(
            code=r.code,
            defaults={"edition": edition, "path": r.path, "status": r.status,
                      "partial": r.partial, "counts": dict(r.counts),
                      "finished": datetime.fromisoformat(r.finished) if r.finished else None})
        m.Import.objects.filter(pk=run.pk).update(started=datetime.fromisoformat(r.started))
        imports[r.code] = run
    bulk_create_with_history(_observation_objects(review.observations, inds, imports),
                             m.Observation, batch_size=BATCH)
    bulk_create_with_history(
        [m.CodeLabel(edition=edition, dimension=c.dimension, code=c.code, names=dict(c.names))
         for c in review.code_labels], m.CodeLabel, batch_size=BATCH)
    bulk_create_with_history(
        [m.Narrative(edition=edition, section=n.section, lang=n.lang, text=n.text)
         for n in review.narratives], m.Narrative, batch_size=BATCH)

    stakeholders = {}
    for s in review.stakeholders:
        stakeholders[s.code] = m.Stakeholder.objects.create(
            edition=edition, code=s.code, names=dict(s.names), kind=s.kind,
            groups=list(s.groups), consent=s.consent)
    engagements = {}
    for g in review.engagements:
        row = m.Engagement.objects.create(
            edition=edition, code=g.code, title=dict(g.title), date=g.date, format=g.format,
            participants=g.participants, groups_reached=dict(g.groups_reached),
            goals=list(g.goals))
        row.stakeholders.set([_ref(stakeholders, c, "stakeholder") for c in g.stakeholders])
        engagements[g.code] = row
    for c in review.contributions:
        m.Contribution.objects.create(
            edition=edition, code=c.code, stakeholder=_ref(stakeholders, c.stakeholder, "stakeholder"),
            engagement=_ref(engagements, c.engagement, "engagement") if c.engagement else None,
            date=c.date, lang=c.lang, text=c.text, section=c.section or "", goals=list(c.goals),
            status=c.status)
    for a in review.actions:
        row = m.Action.objects.create(
            edition=edition, code=a.code, title=dict(a.title), owner=a.owner,
            deadline=a.deadline, status=a.status, targets=list(a.targets))
        row.indicators.set([ind(c) for c in a.indicators])
    return edition


def _ref(rows: dict[str, Any], code: str, what: str) -> Any:
    try:
        return rows[code]
    except KeyError:
        raise ValueError(f"reference to unknown {what} {code!r}") from None
