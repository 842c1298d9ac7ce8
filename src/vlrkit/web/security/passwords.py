"""Password validators beside Django's (ASVS 5.0 6.2.4, 6.2.11, 6.2.12).

- :class:`ContextWordsValidator` refuses passwords made mostly of words tied to this site:
  :data:`CONTEXT_WORDS`, the role names, the user's name and the entities' codes and names.
- :class:`BreachedFileValidator` looks the password's SHA-1 up in an offline copy of a breached-
  password corpus: ``VLRKIT_BREACHED_PASSWORDS_FILE``, a text file of upper-case SHA-1 hex digests
  sorted by hash, one per line, optionally followed by ``:count`` — the layout of the "Pwned
  Passwords" download (haveibeenpwned.com, CC BY 4.0), which a closed network copies in once.
  The lookup is a binary search on the file: no memory grows with its size, nothing is sent.
  Without the file, Django's ``CommonPasswordValidator`` (20,000 passwords from breach corpora,
  shipped with Django) is the offline list.
"""

from __future__ import annotations

import hashlib
import os
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vlrkit.web.security import setting

#: Words tied to this application and its users' work (documented in docs/security.md).
CONTEXT_WORDS = (
    "vlrkit", "vlr", "sdg", "sdgs", "voluntary", "local", "review", "sustainable", "development",
    "goal", "goals", "password", "passw0rd", "admin", "administrator", "coordinator", "editor",
    "provider", "stakeholder", "reader", "government", "city", "demo", "welcome", "letmein",
    "qwerty", "zhengfu", "mima",
)
#: Letters that must remain once the context words, digits and punctuation are taken out.
MIN_OWN_LETTERS = 6


def _entity_words() -> list[str]:
    try:
        from vlrkit.store.models import Entity

        words = []
        for code, names in Entity.objects.values_list("code", "names")[:200]:
            words.append(code)
            words.extend(str(n) for n in (names or {}).values())
        return words
    except Exception:  # noqa: BLE001 - no database yet (e.g. `vlr user add` before `vlr init`)
        return []


class ContextWordsValidator:
    def validate(self, password: str, user=None) -> None:  # noqa: ANN001
        words = [*CONTEXT_WORDS, *_entity_words()]
        if user is not None:
            words += [getattr(user, "username", "") or "", getattr(user, "email", "") or ""]
        rest = password.lower()
        for w in sorted({w.lower() for w in words if len(w) >= 3}, key=len, reverse=True):
            rest = rest.replace(w, " ")
        own = re.sub(r"[\W\d_]+", "", rest)
        if len(own) < MIN_OWN_LETTERS:
            raise ValidationError(
                _("This password is made mostly of words tied to this site, its users or its cities."),
                code="password_context_words")

    def get_help_text(self) -> str:
        return _("Your password cannot be made mostly of words tied to this site, its users or its cities.")


def _key_at(fh, pos: int) -> bytes | None:
    """The hash of the first line that starts at or after byte ``pos`` (None past the end)."""
    fh.seek(max(0, pos - 1))
    if pos:
        fh.readline()  # to the end of the line holding pos - 1: the next line starts at >= pos
    line = fh.readline()
    return line.split(b":", 1)[0].strip().upper() if line.strip() else None


def in_sorted_file(path: str, digest: str) -> bool:
    """Whether the upper-case hex ``digest`` starts a line of the hash-sorted file ``path``."""
    target = digest.upper().encode("ascii")
    with open(path, "rb") as fh:
        lo, hi = 0, os.fstat(fh.fileno()).st_size
        while lo < hi:  # the smallest position whose next line's hash is >= target
            mid = (lo + hi) // 2
            key = _key_at(fh, mid)
            if key is not None and key < target:
                lo = mid + 1
            else:
                hi = mid
        return _key_at(fh, lo) == target


class BreachedFileValidator:
    def validate(self, password: str, user=None) -> None:  # noqa: ANN001
        path = setting("VLRKIT_BREACHED_PASSWORDS_FILE")
        if not path:
            return
        digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest()
        if in_sorted_file(path, digest):
            raise ValidationError(_("This password has appeared in a data breach; choose another one."),
                                  code="password_breached")

    def get_help_text(self) -> str:
        return _("Your password cannot be one that has appeared in a known data breach.")
