"""A repository's translations: ``translations/<lang>/<group>.yml`` (sdg-build's
``TranslationInputYaml``), and the translation keys Open SDG writes instead of text.

Open SDG metadata and data may hold *keys* (``global_indicators.1-2-1-title``,
``UNIT_MEASURE.PT``, ``meta.Казахстан``) that the site replaces by the text of the reader's
language: the group is the file name, the key the entry.  :class:`Translations` resolves them per
language; the global goal, target and indicator titles come from vlrkit's SDG catalogue
(:mod:`vlrkit.sdg`, six UN languages) when the repository does not translate them itself.
Data codes (``SEX: M``, ``REF_AREA: KZAKM``) get their labels here too: the group is the column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits, Refusal
from vlrkit.formats.opensdg import meta as mt
from vlrkit.formats.sources import Member
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem

#: A translation key: ``group.key`` with no spaces (``global_indicators.1-2-1-title``).
KEY = re.compile(r"^([A-Za-z_][\w-]*)\.([^\s]+)$")
_GLOBAL = re.compile(r"^global_(goals|targets|indicators)\.(\w+(?:-\w+)*?)-(title|short)$")
#: Languages of vlrkit's SDG catalogue, by the codes Open SDG repositories use for them.
_CATALOGUE_LANGS = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh": "zh-Hans",
                    "zh-Hans": "zh-Hans", "zh-CN": "zh-Hans"}


@dataclass(frozen=True)
class Translations:
    """``lang → "group.key" → text`` of one repository."""

    table: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.table)

    def lookup(self, key: str, lang: str) -> str | None:
        """The text of ``group.key`` in ``lang`` (the repository's, else the SDG catalogue's)."""
        text = self.table.get(lang, {}).get(key)
        if text:
            return text
        return _catalogue(key, lang)

    def is_key(self, text: str) -> bool:
        """Whether ``text`` is a translation key this repository (or the catalogue) resolves."""
        if not KEY.match(text):
            return False
        return any(key_in(t, text) for t in self.table.values()) or _catalogue(text, "en") is not None

    def text(self, value: str, lang: str) -> str | None:
        """``value`` in ``lang``: the translation when ``value`` is a key, else None."""
        if not value or not KEY.match(value.strip()):
            return None
        return self.lookup(value.strip(), lang)

    def names(self, value: str, langs: tuple[str, ...], default_lang: str) -> dict[str, str]:
        """A :data:`vlrkit.review.Text` for ``value``: every language it is translated into
        when it is a key, else ``{default_lang: value}`` (text is in the repository's first
        language unless it says otherwise)."""
        value = value.strip()
        if not value:
            return {}
        if KEY.match(value):
            out = {}
            for lang in dict.fromkeys((*langs, *self.languages)):
                t = self.lookup(value, lang)
                if t:
                    out[_lang_code(lang)] = t
            if out:
                return out
        return {_lang_code(default_lang): value}

    def code_names(self, group: str, code: str) -> dict[str, str]:
        """Labels of a data code (``SEX``, ``M``) in every language the repository has."""
        out = {}
        for lang, entries in self.table.items():
            t = entries.get(f"{group}.{code}")
            if t:
                out[_lang_code(lang)] = t
        return out

    def code_of_label(self, group: str, label: str) -> str | None:
        """The code whose translation in some language is ``label`` (Russian labels in a data
        file come back to their code), or None."""
        want = label.strip().casefold()
        prefix = f"{group}."
        for entries in self.table.values():
            for k, v in entries.items():
                if k.startswith(prefix) and isinstance(v, str) and v.strip().casefold() == want:
                    return k[len(prefix):]
        return None


def key_in(table: Mapping[str, str], key: str) -> bool:
    return key in table


def _lang_code(lang: str) -> str:
    """Open SDG language codes as vlrkit writes them (``zh-Hans`` for Chinese)."""
    return "zh-Hans" if lang.lower() in ("zh", "zh-hans", "zh-cn") else lang


def _catalogue(key: str, lang: str) -> str | None:
    m = _GLOBAL.match(key)
    if not m:
        return None
    kind, ident = m.group(1), m.group(2).replace("-", ".")
    clang = _CATALOGUE_LANGS.get(lang)
    if clang is None:
        return None
    try:
        from vlrkit import sdg

        if kind == "goals":
            item: Any = sdg.goal(int(ident))
        elif kind == "targets":
            item = sdg.target(ident)
        else:
            item = sdg.indicator(ident)
        return item.title(clang) or None
    except Exception:  # noqa: BLE001 - an id the catalogue does not hold: no translation
        return None


def load(members: list[Member], dirs: tuple[str, ...], problems: list[Problem],
         limits: Limits = DEFAULT_LIMITS) -> Translations:
    """The translations found in the folders ``dirs`` (``<dir>/<lang>/<group>.yml``), each read
    within ``limits`` (one that crosses a bound is reported and left out)."""
    table: dict[str, dict[str, str]] = {}
    for m in members:
        parts = m.parts
        if len(parts) < 3 or m.suffix not in (".yml", ".yaml"):
            continue
        folder = "/".join(parts[:-2])
        if folder not in dirs:
            continue
        lang, group = parts[-2], m.stem
        try:
            doc = mt.parse_yaml(m.data.decode("utf-8-sig", errors="replace"), limits)
        except mt.MetaError as exc:
            problems.append(c.make(c.MetadataUnreadable, m.name, detail=str(exc)))
            continue
        except Refusal as exc:
            problems.append(exc.problem(m.name))
            continue
        entries = table.setdefault(lang, {})
        for k, v in _flatten(doc):
            entries[f"{group}.{k}"] = v
    return Translations(table)


def _flatten(doc: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, v in doc.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out += _flatten(v, key + ".")
        elif v is not None and not isinstance(v, list):
            out.append((key, str(v)))
    return out
