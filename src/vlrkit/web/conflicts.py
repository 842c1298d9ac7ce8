"""Stale saves: every edit form carries the version of the row it shows (a hidden ``version``,
:mod:`vlrkit.store.versions`); a save over a row that moved on since is never silent.

- A form of separate fields (indicator metadata, thresholds, actions…) is merged field by field
  against the version the editor started from (:func:`resolve`): a field only they changed keeps
  their value, a field only you changed takes yours, a field both changed alike is fine.  Only
  a field both changed differently is a *conflict*.
- A text (a narrative) is one field: changed by both, it is a conflict, never merged silently.
- A conflict refuses the save (HTTP 409) and shows, per field, the value you started from, theirs
  now and yours, with a line diff (:mod:`difflib`) of texts; the form comes back with your values
  (for a text: both changes merged line by line when they touch different lines,
  :func:`merge_text`) and the current version, so that saving it again merges; a second button
  saves yours over theirs as it is (overwrite).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vlrkit.store.versions import Stale

#: Name of the hidden form field that holds the version an editor started from.
FIELD = "version"


def diff_html(old: str, new: str) -> SafeString:
    """Line diff of two texts: removed lines in ``<del>``, added in ``<ins>``, all escaped."""
    out = []
    for tok in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, line = tok[:1], escape(tok[2:])
        if tag == "-":
            out.append(f"<del>- {line}</del>")
        elif tag == "+":
            out.append(f"<ins>+ {line}</ins>")
        elif tag == " ":
            out.append(f"  {line}")
    return mark_safe("\n".join(out))  # noqa: S308 - every piece escaped above


def _changes(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _clash(a: tuple[int, int, list[str]], b: tuple[int, int, list[str]]) -> bool:
    (a1, a2, _x), (b1, b2, _y) = a, b
    if a == b:
        return False  # the same change made twice
    if a1 == b1:
        return True  # both change (or insert at) the same place
    if a1 == a2:
        return b1 < a1 < b2  # an insertion inside the other's change
    if b1 == b2:
        return a1 < b1 < a2
    return a1 < b2 and b1 < a2


def merge_text(base: str, mine: str, theirs: str) -> str | None:
    """Three-way line merge: ``base`` with both changes, or ``None`` when they touch the same lines.
    Lines compare without their line ends (forms strip a text's last one)."""
    lines = base.splitlines()
    ours = _changes(lines, mine.splitlines())
    other = _changes(lines, theirs.splitlines())
    if any(_clash(a, b) for a in ours for b in other):
        return None
    merged, pos = [], 0
    for i1, i2, new in sorted({(i1, i2, tuple(new)) for i1, i2, new in ours + other}):
        merged.extend(lines[pos:i1])
        merged.extend(new)
        pos = i2
    merged.extend(lines[pos:])
    return "\n".join(merged) + ("\n" if mine.endswith("\n") else "")


@dataclass(frozen=True)
class FieldChange:
    """One field as the editor started from it, as it is now and as the editor wanted it."""

    name: str
    label: str
    base: str
    theirs: str
    mine: str
    conflict: bool
    theirs_diff: SafeString | None = None
    mine_diff: SafeString | None = None


@dataclass(frozen=True)
class Conflict:
    """What the conflict panel (``web/_conflict.html``) shows."""

    who: str
    when: datetime | None
    changes: int
    created: bool  # the row did not exist when the editor opened the page
    deleted: bool  # the row was deleted since
    fields: tuple[FieldChange, ...]
    version: int  # the version to save over now
    resubmit: tuple[tuple[str, str], ...]  # what "save mine over theirs" posts (see :func:`offer`)
    #: field -> value the form offers again: yours where both changed, else the merge
    proposal: Mapping[str, Any] = field(default_factory=dict)
    merged: bool = False  # the form holds a clean line merge of both texts


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _who(stale: Stale) -> tuple[str, datetime | None]:
    if not stale.since:
        return "—", None
    latest = stale.since[0]
    user = getattr(latest, "history_user", None)
    return (user.get_username() if user is not None else "—"), latest.history_date


def _resubmit(request: HttpRequest, version: int, replace: Mapping[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    out = []
    for name, values in request.POST.lists():
        if name == "csrfmiddlewaretoken":
            continue
        if name == FIELD or name.endswith("-" + FIELD):
            values = [str(version)]
        elif replace and name in replace:
            values = [replace[name]]
        out.extend((name, v) for v in values)
    return tuple(out)


@dataclass
class Resolution:
    """:func:`resolve`'s answer: the values to save (``merged``) or a :class:`Conflict`."""

    merged: dict[str, Any] = field(default_factory=dict)
    conflict: Conflict | None = None
    kept: tuple[str, ...] = ()  # labels of fields whose newer value (theirs) was kept


def resolve(stale: Stale, request: HttpRequest, mine: Mapping[str, Any],
            values_of: Callable[[Any], Mapping[str, Any]], labels: Mapping[str, str], *,
            texts: frozenset[str] = frozenset(), version_field: str = FIELD) -> Resolution:
    """Merge ``mine`` (field -> value the editor saved) into the row as it is now, field by
    field against the editor's version; ``values_of(row)`` gives the same fields of a row or of
    a history record.  Fields in ``texts`` conflict on any change (and get a line diff)."""
    base = dict(values_of(stale.base)) if stale.base is not None else {}
    theirs = dict(values_of(stale.current)) if stale.current is not None else {}
    merged: dict[str, Any] = {}
    rows, kept, clash = [], [], False
    for name, value in mine.items():
        b, t = base.get(name), theirs.get(name)
        conflict = t != b and value != b and value != t
        if not conflict:
            merged[name] = t if (t != b and value == b) else value
            if t != b and value == b:
                kept.append(labels.get(name, name))
        clash |= conflict
        if t != b or value != b:
            bt, tt, mt = _text(b), _text(t), _text(value)
            long = name in texts or "\n" in bt + tt + mt or max(len(bt), len(tt), len(mt)) > 80
            rows.append(FieldChange(name, labels.get(name, name), bt, tt, mt, conflict,
                                    diff_html(bt, tt) if long else None, diff_html(bt, mt) if long else None))
    deleted = stale.current is None
    if not clash and not deleted and not (stale.base is None and stale.current is not None):
        return Resolution(merged=merged, kept=tuple(kept))
    who, when = _who(stale)
    proposal = {name: merged.get(name, value) for name, value in mine.items()}
    return Resolution(conflict=Conflict(
        who=who, when=when, changes=len(stale.since), created=stale.base is None, deleted=deleted,
        fields=tuple(rows), version=stale.version, resubmit=_resubmit(request, stale.version),
        proposal=proposal))


def offer(conflict: Conflict, form: Any, request: HttpRequest) -> Conflict:
    """The conflict with "save mine over theirs" posting what ``form`` (unbound, its initial the
    :attr:`Conflict.proposal` and the current version) holds: your values where you both
    changed a field, their newer values where only they did — never a silent revert of theirs.
    POST entries that are not the form's fields (e.g. which part of a page) are posted again."""
    from dataclasses import replace

    pairs: list[tuple[str, str]] = []
    names = set()
    for bf in form:
        names.add(bf.html_name)
        value = bf.value()
        if value is None or value is False:
            continue
        for v in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((bf.html_name, "on" if v is True else str(v)))
    for name, values in request.POST.lists():
        if name != "csrfmiddlewaretoken" and name not in names:
            pairs.extend((name, v) for v in values)
    return replace(conflict, resubmit=tuple(pairs))


def rebound(request: HttpRequest, version: int, replace: Mapping[str, str] | None = None,
            prefix: str = "") -> QueryDict:
    """The editor's POST with the current version (and ``replace``d values), to bind the form
    shown again: saving it then saves over the current version."""
    data = request.POST.copy()
    data[f"{prefix}-{FIELD}" if prefix else FIELD] = str(version)
    for k, v in (replace or {}).items():
        data[k] = v
    return data


def with_text_merge(conflict: Conflict, base: str, mine: str, theirs: str) -> tuple[Conflict, str]:
    """For a text: the text to put in the form again (both changes merged where they fit)."""
    from dataclasses import replace

    merged = merge_text(base, mine, theirs)
    if merged is None or merged in (mine, theirs):
        return conflict, mine
    return replace(conflict, merged=True), merged


def save(request: HttpRequest, model: Any, lookup: Mapping[str, Any], expected: int | None,
         mine: Mapping[str, Any], values_of: Callable[[Any], Mapping[str, Any]], labels: Mapping[str, str],
         write: Callable[[Any, dict[str, Any]], None], *, texts: frozenset[str] = frozenset()) -> Resolution:
    """Save ``mine`` into the row ``lookup`` of ``model`` if it is still at version ``expected``
    (``write(row or None, values)`` does the writing), else merge it field by field
    (:func:`resolve`) and save the merge, or return the conflict: in one transaction, the row
    locked from the check to the write."""
    from django.db import transaction

    from vlrkit.store import versions

    with transaction.atomic():
        try:
            row = versions.guard(model, expected, **lookup)
            write(row, dict(mine))
            return Resolution(merged=dict(mine))
        except versions.Stale as stale:
            res = resolve(stale, request, mine, values_of, labels, texts=texts)
            if res.conflict is None:
                write(stale.current, res.merged)
            return res


def kept_message(res: Resolution) -> str:
    """Tells the editor which newer values of someone else's were kept beside theirs."""
    from django.utils.translation import gettext as _

    if not res.kept:
        return ""
    return _("Saved; someone else had changed %(fields)s meanwhile, and their change was kept.") % {
        "fields": ", ".join(res.kept)}
