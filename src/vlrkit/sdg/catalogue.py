"""Goals, targets and global indicators of the SDG framework, with titles in six languages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from vlrkit.sdg.build import DATA_FILE, LANGUAGES

#: Accepted spellings of the six UN languages, mapped to the catalogue's codes.
LANGUAGE_ALIASES: dict[str, str] = {
    "zh": "zh-Hans", "zh-hans": "zh-Hans", "zh_hans": "zh-Hans", "zh-cn": "zh-Hans",
    "zh_cn": "zh-Hans", "cn": "zh-Hans", "chinese": "zh-Hans",
    "en": "en", "en-us": "en", "en-gb": "en", "english": "en",
    "fr": "fr", "es": "es", "ru": "ru", "ar": "ar",
}


class UnknownLanguage(ValueError):
    """A language the catalogue has no titles in."""


class UnknownSdgId(KeyError):
    """An id that is not a goal, target or indicator of the framework."""

    def __str__(self) -> str:  # KeyError quotes its argument; say it plainly
        return str(self.args[0]) if self.args else ""


def normalise_lang(lang: str) -> str:
    """Map ``zh``, ``zh-hans``, ``EN``… to the catalogue's language codes (``zh-Hans``, ``en``)."""
    code = LANGUAGE_ALIASES.get(lang.strip().lower())
    if code is None:
        raise UnknownLanguage(
            f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)} (or zh for zh-Hans)"
        )
    return code


def _titled(titles: Mapping[str, str], lang: str) -> str:
    return titles[normalise_lang(lang)]


def shorten(text: str, width: int = 60) -> str:
    """Cut ``text`` to about ``width`` characters at a word boundary (any boundary for CJK)."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut and not any("\u3000" <= ch <= "\u9fff" for ch in cut):
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:，；：") + "…"


@dataclass(frozen=True)
class Goal:
    number: int
    titles: Mapping[str, str]
    shorts: Mapping[str, str]
    colour: str

    @property
    def code(self) -> str:
        return str(self.number)

    def title(self, lang: str = "en") -> str:
        return _titled(self.titles, lang)

    def short_title(self, lang: str = "en") -> str:
        return _titled(self.shorts, lang)

    def targets(self) -> tuple[Target, ...]:
        return tuple(t for t in targets() if t.goal == self.number)

    def indicators(self, *, withdrawn: bool = False) -> tuple[Indicator, ...]:
        return tuple(i for i in indicators(withdrawn=withdrawn) if self.number in i.goals)


@dataclass(frozen=True)
class Target:
    code: str
    goal: int
    titles: Mapping[str, str]

    def title(self, lang: str = "en") -> str:
        return _titled(self.titles, lang)

    def short_title(self, lang: str = "en", width: int = 60) -> str:
        return shorten(self.title(lang), width)

    def indicators(self, *, withdrawn: bool = False) -> tuple[Indicator, ...]:
        return tuple(i for i in indicators(withdrawn=withdrawn) if self.code in i.targets)


@dataclass(frozen=True)
class Indicator:
    """A global indicator, modelled once even where it serves several targets."""

    code: str  # the first of its ids (1.5.1 for 1.5.1 = 11.5.1 = 13.1.1)
    ids: tuple[str, ...]
    targets: tuple[str, ...]
    titles: Mapping[str, str]
    withdrawn: str = ""  # why the id was retired; "" for a current indicator

    @property
    def goals(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(int(t.split(".")[0]) for t in self.targets))

    @property
    def is_withdrawn(self) -> bool:
        return bool(self.withdrawn)

    def title(self, lang: str = "en") -> str:
        return _titled(self.titles, lang)

    def short_title(self, lang: str = "en", width: int = 60) -> str:
        return shorten(self.title(lang), width)


@cache
def _data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _index() -> tuple[dict[int, Goal], dict[str, Target], dict[str, Indicator], dict[str, str]]:
    from vlrkit.sdg.colours import GOAL_COLOURS

    raw = _data()
    goal_map = {
        int(k): Goal(int(k), v["title"], v["short"], GOAL_COLOURS[int(k)])
        for k, v in raw["goals"].items()
    }
    target_map = {k: Target(k, v["goal"], v["title"]) for k, v in raw["targets"].items()}
    indicator_map: dict[str, Indicator] = {}
    aliases: dict[str, str] = {}
    for k, v in raw["indicators"].items():
        ind = Indicator(k, tuple(v["ids"]), tuple(v["targets"]), v["title"], v["withdrawn"])
        indicator_map[k] = ind
        for alias in ind.ids:
            aliases[alias] = k
    return goal_map, target_map, indicator_map, aliases


def _clean(code: object) -> str:
    """Accept ``11.2.1``, ``11-2-1``, ``indicator_11-2-1``, ``SDG 11``, `` 11.2 ``."""
    s = str(code).strip().lower().removeprefix("indicator_").removeprefix("sdg").strip()
    return s.replace("-", ".").replace("_", ".")


def goal(number: int | str) -> Goal:
    """The goal with this number (1–17)."""
    try:
        return _index()[0][int(_clean(number))]
    except (KeyError, ValueError):
        raise UnknownSdgId(f"{number!r} is not an SDG goal (1–17)") from None


def target(code: str) -> Target:
    """The target with this id, e.g. ``"11.2"`` or ``"1.a"``."""
    try:
        return _index()[1][_clean(code)]
    except KeyError:
        raise UnknownSdgId(f"{code!r} is not an SDG target") from None


def indicator(code: str) -> Indicator:
    """The indicator with this id (any of its ids: ``11.5.1`` gives indicator 1.5.1)."""
    _, _, by_code, aliases = _index()
    try:
        return by_code[aliases[_clean(code)]]
    except KeyError:
        raise UnknownSdgId(f"{code!r} is not an SDG global indicator") from None


def lookup(code: str) -> Goal | Target | Indicator:
    """Resolve any goal, target or indicator id."""
    parts = _clean(code).split(".")
    if len(parts) == 1:
        return goal(code)
    if len(parts) == 2:
        return target(code)
    return indicator(code)


def goals() -> tuple[Goal, ...]:
    return tuple(_index()[0].values())


def targets() -> tuple[Target, ...]:
    return tuple(_index()[1].values())


def indicators(*, withdrawn: bool = False) -> tuple[Indicator, ...]:
    """The unique indicators; ``withdrawn=True`` includes retired ids."""
    return tuple(i for i in _index()[2].values() if withdrawn or not i.is_withdrawn)


def framework_version() -> str:
    return str(_data()["framework"])


def stats() -> dict[str, Any]:
    """Counts that describe the catalogue (``vlr sdg stats``)."""
    current = indicators()
    everything: list[Goal | Target | Indicator] = [*goals(), *targets(), *indicators(withdrawn=True)]
    missing = sum(
        1 for item in everything for lang in LANGUAGES if not item.titles.get(lang, "").strip()
    )
    missing += sum(1 for g in goals() for lang in LANGUAGES if not g.shorts.get(lang, "").strip())
    return {
        "framework": framework_version(),
        "languages": list(LANGUAGES),
        "goals": len(goals()),
        "targets": len(targets()),
        "indicators": len(current),
        "indicator_target_links": sum(len(i.targets) for i in current),
        "repeated_indicators": sum(1 for i in current if len(i.ids) > 1),
        "withdrawn": len(indicators(withdrawn=True)) - len(current),
        "withdrawn_ids": [i.code for i in indicators(withdrawn=True) if i.is_withdrawn],
        "targets_without_indicator": [t.code for t in targets() if not t.indicators()],
        "missing_titles": missing,
    }
