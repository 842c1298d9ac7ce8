"""Publishing an edition: render the report formats into the publication folder, find the
public files again, and start a new edition from a copy of a published one.

The folder is ``VLRKIT_PUBLISH_DIR`` or ``<database>.published`` next to the SQLite file;
each edition gets ``<folder>/<entity>/<edition>/`` with the HTML site (``html/<lang>/index.html``)
and the downloadable formats.  Sites published before editions were named with their entity
sit in ``<folder>/<edition>/``; they are still served where only one entity has that code.
Rendering is :mod:`vlrkit.report`'s; this module only decides where.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vlrkit.web.editions import EditionKey

#: Languages the public site is published in (the UI languages).
PUBLIC_LANGS = ("zh-Hans", "en")
#: Sub-folder of the rendered HTML site (vlrkit.report writes ``html/<lang>/index.html``).
SITE = "html"
#: Suffixes of the downloadable formats listed on the publish page.
DOWNLOADS = frozenset({".pdf", ".docx", ".json", ".zip"})
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class PublishError(Exception):
    """Publishing or copying an edition failed; the message says why (translated)."""


def status_label(status: str) -> str:
    return {
        "draft": _("Draft"), "in_review": _("In review"), "approved": _("Approved"), "published": _("Published"),
    }.get(status, status)


def root() -> Path:
    if env := os.environ.get("VLRKIT_PUBLISH_DIR"):
        return Path(env).resolve()
    db = Path(settings.DB_PATH)
    return db.with_name(db.name + ".published")


def edition_dir(key: EditionKey) -> Path:
    """The publication folder of edition ``key`` (the older folder without the entity if only
    that one exists and no other entity has the code)."""
    for code in (key.entity, key.code):
        if not CODE_RE.match(code):
            raise PublishError(_("Invalid edition code: %(code)s") % {"code": code})
    folder = root() / key.entity / key.code
    if not folder.exists():
        from vlrkit.web.editions import by_code

        legacy = root() / key.code
        if (legacy / SITE).is_dir() and [e.key for e in by_code(key.code)] == [key]:
            return legacy
    return folder


#: The label of each rendering step once it is done (msgids; the page translates them).
STEP_LABELS = {
    "load": gettext_noop("Review and assessment loaded"),
    "model": gettext_noop("Report built (%(lang)s)"),
    "json": gettext_noop("JSON written (%(lang)s)"),
    "datapackage": gettext_noop("Data package written"),
    "html": gettext_noop("Web site written"),
    "charts": gettext_noop("Charts drawn"),
    "pdf": gettext_noop("PDF laid out (%(lang)s)"),
    "docx": gettext_noop("Word file written (%(lang)s)"),
    "swap": gettext_noop("Files in place"),
}

#: ``progress(done, total, label, **params)``: told after each step (label: a msgid).
Progress = Callable[..., None]


def published_languages(key: EditionKey) -> tuple[str, ...]:
    """The languages edition ``key`` is published in: its own languages among the public ones
    (all public languages when it names none of them)."""
    from vlrkit.web import snapshot

    own = snapshot.review(key).edition.languages
    return tuple(lang for lang in PUBLIC_LANGS if lang in own) or PUBLIC_LANGS


def gate(key: EditionKey):
    """What blocks edition ``key`` from being published (:func:`vlrkit.report.gates.gate`)."""
    from vlrkit.report.gates import gate as core_gate
    from vlrkit.web import snapshot

    langs = published_languages(key)
    return core_gate(snapshot.review(key), [snapshot.full_report(key, lang) for lang in langs])


def render_edition(key: EditionKey, progress: Progress | None = None) -> Path:
    """Render the review of edition ``key`` in its published languages; returns its folder."""
    from vlrkit.web import rendering

    def tick(done: int, total: int, step: str) -> None:
        if progress is not None:
            what, _sep, lang = step.partition(" ")
            progress(done, total, STEP_LABELS.get(what, step), **({"lang": lang} if lang else {}))

    out = root() / key.entity / key.code
    edition_dir(key)  # checks the codes
    try:
        rendering.render(key, out, published_languages(key), progress=tick)
    except rendering.NotAvailable as exc:
        raise PublishError(str(exc)) from exc
    return out


def publish(key: EditionKey, user, note: str = "", progress: Progress | None = None) -> dict:
    """Render approved edition ``key`` and mark it published (a job's work; see jobs.tasks).

    The status changes only after every file is in place, and only if the edition is still
    approved then (someone may have sent it back to draft meanwhile).  The edition's save bumps
    its ``meta`` stamp (:mod:`vlrkit.web.snapshot`), which every web process sees."""
    from django.db import transaction

    from vlrkit.store.models import Edition
    from vlrkit.web.models import WorkflowEvent

    def approved() -> Edition:
        ed = Edition.objects.select_for_update().get(entity__code=key.entity, code=key.code)
        if ed.status != "approved":
            raise PublishError(_("The edition is no longer approved (now: %(status)s); it was not published.")
                               % {"status": status_label(ed.status)})
        return ed

    with transaction.atomic():
        approved()
    blocked = gate(key)
    if not blocked.open:  # the page refuses too; the text may have changed since
        raise PublishError(_("%(n)s problems block the publication; see the publish page.")
                           % {"n": len(blocked.blockers)})
    render_edition(key, progress)
    with transaction.atomic():
        ed = approved()
        WorkflowEvent.objects.create(entity=key.entity, edition=key.code, from_status=ed.status,
                                     to_status="published", user=user, note=note[:2000])
        ed.status = "published"
        ed.save()
    return {"files": [f["name"] for f in files(key)], "languages": languages(key)}


def _existing_dir(key: EditionKey) -> Path | None:
    try:
        return edition_dir(key)
    except PublishError:
        return None  # codes that cannot name a folder: nothing was ever published there


def languages(key: EditionKey) -> list[str]:
    """The languages the site of edition ``key`` was published in."""
    base = _existing_dir(key)
    if base is None:
        return []
    return [lang for lang in PUBLIC_LANGS if (base / SITE / lang / "index.html").is_file()]


def files(key: EditionKey) -> list[dict[str, str]]:
    """The downloadable files of a published edition (not the site's pages and assets)."""
    base = _existing_dir(key)
    out = []
    if base is not None and base.is_dir():
        for p in sorted(base.rglob("*")):
            name = p.relative_to(base).as_posix()
            # the site's own copies (html/files/, so that the html folder stands alone) aside
            if p.is_file() and p.suffix.lower() in DOWNLOADS and not name.startswith("html/"):
                out.append({"name": name})
    return out


def public_path(key: EditionKey, name: str) -> Path | None:
    """The file ``name`` of the public site, or ``None`` (never a path outside the folder)."""
    folder = _existing_dir(key)
    if folder is None:
        return None
    base = folder.resolve()
    try:
        path = (base / name).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return None
    except (ValueError, OSError):  # NUL, a name too long for the file system, a loop of links
        return None
    return path


def copy_edition(old: EditionKey, new: str, year: int):
    """Save a copy of edition ``old`` as the draft edition ``new`` of the same entity and of
    ``year`` (previous = old)."""
    from vlrkit.store import queries
    from vlrkit.store.models import Edition

    if not CODE_RE.match(new):
        raise PublishError(_("Invalid edition code: %(code)s") % {"code": new})
    if not 2000 <= year <= 2100:
        raise PublishError(_("The year must be between 2000 and 2100."))
    if Edition.objects.filter(entity__code=old.entity, code=new).exists():
        raise PublishError(_("Edition %(code)s exists already.") % {"code": new})
    review = queries.load_review(old.code, old.entity)
    ed = review.edition
    edition = replace(
        ed, code=new, year=year, status="draft", previous=old.code,
        period_end=max(ed.period_end, year - 1),
    )
    return queries.save_review(replace(review, edition=edition))
