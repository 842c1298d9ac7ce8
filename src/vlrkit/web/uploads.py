"""An uploaded file's way in.  A data file: validate it into a report, then import it (all or
nothing).  A plan or budget: read it, map it to the goals, store the mapping.

Both steps are the work of background jobs (:mod:`vlrkit.web.jobs.tasks`), so a hostile or huge
file meets the job's memory and time limits in a child process, never the web server.  Reading
and validating is :func:`vlrkit.ingest.read`'s; storing is
:func:`vlrkit.store.imports.store_ingest`'s.  The upload's row (:class:`vlrkit.web.models.Upload`)
keeps the file's place and the report between the two steps; its ``status`` goes
``validating`` → ``pending`` (the report is ready) → ``importing`` → ``imported``, or ends
``failed`` (unreadable, or the job failed) or ``discarded``.  A plan needs no row of its own:
its job holds the file's place, and the file is removed when the job ends.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

from django.utils.translation import gettext_noop

from vlrkit.web import roles as r
from vlrkit.web import snapshot
from vlrkit.web.editions import EditionKey
from vlrkit.web.jobs.limits import JobError

#: Problems kept in the report page, at most (the counts always cover all of them).
MAX_PROBLEMS = 500

VALIDATING, PENDING, IMPORTING, IMPORTED, DISCARDED, FAILED = (
    "validating", "pending", "importing", "imported", "discarded", "failed")


def key_of(upload) -> EditionKey:
    """The edition an upload was made for."""
    return EditionKey(upload.entity, upload.edition)


def _known(edition: EditionKey) -> dict:
    return {i.code: i for i in snapshot.review(edition).indicators}


def read(edition: EditionKey, path: Path):
    """Read and validate ``path`` against the edition's indicators (``vlrkit.ingest.read``)."""
    from vlrkit.ingest import read as ingest_read

    return ingest_read(path, known=_known(edition), entity=snapshot.review(edition).entity.code)


def _problem_rows(ingest, problems) -> dict[str, dict]:
    """Original cells of the rows named by problems: file -> {header, rows: row -> cells}."""
    import polars as pl

    wanted: dict[str, set[int]] = {}
    for p in problems:
        if p.row is not None:
            wanted.setdefault(p.file, set()).add(p.row)
    out: dict[str, dict] = {}
    for file, rows in wanted.items():
        raw = ingest.raw.get(file)
        if raw is None:
            continue
        sel = raw.frame.filter(pl.col("row").is_in(sorted(rows)))
        cols = [c for c in sel.columns if c != "row"]
        out[file] = {"header": list(raw.header), "rows": {
            str(rec["row"]): ["" if rec[c] is None else str(rec[c]) for c in cols] for rec in sel.to_dicts()
        }}
    return out


def _indicators_in(ingest) -> set[str]:
    codes = {i.code for i in ingest.indicators}
    if ingest.observations.height:
        codes |= set(ingest.observations.get_column("indicator").unique().to_list())
    return codes


def not_assigned(user, edition: EditionKey, ingest) -> list[str]:
    """Indicators of the upload ``user`` may not change (data providers: not assigned)."""
    known = _known(edition)
    who = SimpleNamespace(user=user)  # the role checks read only the request's user
    out = []
    for code in sorted(_indicators_in(ingest)):
        goal = known[code].goal if code in known else next((i.goal for i in ingest.indicators if i.code == code), 0)
        if not r.may_edit_indicator(who, edition, code, goal):
            out.append(code)
    return out


def validate(upload, progress) -> dict:
    """Read and validate the upload's file and keep the report on the upload (a job's work)."""
    from vlrkit.validation import sort_problems

    path = Path(upload.path)
    progress(0, 2, gettext_noop("Reading and validating %(name)s"), name=upload.name)
    try:
        ingest = read(key_of(upload), path)
    except Exception as exc:  # noqa: BLE001 - unreadable or unsafe source: tell the user, keep nothing
        discard_file(upload, FAILED)
        raise JobError(gettext_noop("%(name)s could not be read: %(why)s"), name=upload.name, why=exc) from exc
    progress(1, 2, gettext_noop("Validated; writing the report"))
    report = ingest.report.to_dict()
    problems = sort_problems(ingest.report.problems)
    report["problems"] = [{**p.to_dict(), "message": p.message} for p in problems[:MAX_PROBLEMS]]
    report["rows_of"] = _problem_rows(ingest, problems[:MAX_PROBLEMS])
    report["summary"] = ingest.summary()
    report["not_assigned"] = not_assigned(upload.user, key_of(upload), ingest)
    upload.report = report
    upload.status = PENDING
    upload.save(update_fields=["report", "status"])
    return {"valid": bool(report.get("valid")), "upload": upload.pk}


def store(upload, user, progress) -> dict:
    """Import the validated upload for ``user`` (who confirmed it), all or nothing (a job's work)."""
    from vlrkit.store.imports import ImportRefused, store_ingest

    path = Path(upload.path)
    if not path.is_file():
        raise JobError(gettext_noop("The uploaded file is no longer there; upload it again."))
    progress(0, 3, gettext_noop("Reading and validating %(name)s"), name=upload.name)
    key = key_of(upload)
    ingest = read(key, path)
    refused = not_assigned(user, key, ingest)
    if refused:
        raise JobError(gettext_noop("You are not assigned to these indicators: %(codes)s"), codes=", ".join(refused))
    progress(1, 3, gettext_noop("Storing the data"))
    try:
        result = store_ingest(ingest, edition=key.code, entity=key.entity, path=upload.name, user=user)
    except ImportRefused as exc:
        raise JobError(gettext_noop(
            "The data has errors; nothing was imported. Fix the file and upload it again.")) from exc
    # no cache to clear: the stored rows bumped their edition's stamps (vlrkit.web.snapshot),
    # which the web processes read, from this job's process as from any other
    progress(2, 3, gettext_noop("Stored; cleaning up"))
    upload.status = IMPORTED
    upload.result = {"code": result.code, "status": result.status, "counts": result.counts}
    upload.save(update_fields=["status", "result"])
    shutil.rmtree(path.parent, ignore_errors=True)
    return {"name": upload.name, "counts": result.counts}


#: Budget problems named in a refused budget's message, at most.
MAX_BUDGET_PROBLEMS = 50


def store_plan(edition: EditionKey, path: Path, name: str) -> dict:
    """Read one plan or budget file, map it to the goals and store the mapping for ``edition``
    (a job's work, in the job's language); returns the lines to show the user."""
    from django.utils.translation import gettext as _

    from vlrkit.align import AlignInputError, BudgetError, align, read_bytes
    from vlrkit.formats.sources import SourceError
    from vlrkit.store.align.queries import save_alignment
    from vlrkit.web.text import current_lang

    zh = current_lang().startswith("zh")
    try:
        try:
            source = read_bytes(path.read_bytes(), name)  # DOCX/XLSX readers refuse zip bombs themselves
        except SourceError as exc:
            raise JobError("%(why)s", why=exc.zh if zh else exc.en) from exc
        except BudgetError as exc:
            lines = [f"{p.where('zh' if zh else 'en')}: {p.zh if zh else p.en}" for p in exc.problems[:MAX_BUDGET_PROBLEMS]]
            if len(exc.problems) > MAX_BUDGET_PROBLEMS:
                lines.append(_("… and %(n)s more problems.") % {"n": len(exc.problems) - MAX_BUDGET_PROBLEMS})
            raise JobError("%(name)s: %(why)s", name=name, why="; ".join(lines) + ". " + _(
                "Nothing was stored; fix the file and upload it again.")) from exc
        except AlignInputError as exc:
            raise JobError("%(why)s", why=exc.message(current_lang())) from exc
        except Exception as exc:  # noqa: BLE001 - an unreadable or unsafe file: tell the user, keep nothing
            raise JobError(gettext_noop("%(name)s could not be read: %(why)s"), name=name, why=exc) from exc
        al = align([source])
        outcome = save_alignment(al, edition.code, edition.entity)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    done = {"added": _("added"), "replaced": _("replaced (earlier decisions on it were dropped)"),
            "unchanged": _("unchanged (same text as before; decisions kept)")}
    mapped = sum(1 for p in al.passages if p.goals)
    return {"lines": [_("%(name)s: %(how)s; %(n)s passages, %(m)s mapped to a goal.") % {
        "name": n, "how": done.get(how, how), "n": len(al.passages), "m": mapped} for n, how in outcome.items()]}


def discard_file(upload, status: str = DISCARDED) -> None:
    """Forget the upload's file (its row stays, with ``status``)."""
    upload.status = status
    upload.save(update_fields=["status"])
    shutil.rmtree(Path(upload.path).parent, ignore_errors=True)
