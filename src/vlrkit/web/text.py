"""Multilingual text in the web: pick the visitor's language from a :data:`vlrkit.review.Text`."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language

#: Django language codes -> vlrkit's (BCP 47) codes.
LANG_CODES = {"zh-hans": "zh-Hans", "en": "en"}
FALLBACK = ("en", "zh-Hans")


def current_lang() -> str:
    """The visitor's language as vlrkit spells it (``zh-Hans`` or ``en``)."""
    return LANG_CODES.get((get_language() or "en").lower(), "en")


def sdg_lang() -> str:
    """The visitor's language as the SDG catalogue spells it."""
    return current_lang()


def localised(text: Mapping[str, str] | str | None, lang: str | None = None) -> str:
    """``text`` in ``lang`` (default: the visitor's), else English, else Chinese, else any."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    lang = lang or current_lang()
    for code in (lang, *FALLBACK):
        if text.get(code):
            return text[code]
    return next((v for v in text.values() if v), "")
