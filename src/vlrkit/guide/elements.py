"""The guiding elements for VLRs as data: elements, checklist points, strength markers, prompts.

The elements are loaded once from ``data/elements.yaml`` (package data, written in vlrkit's own
words from UN DESA's *Global Guiding Elements for VLRs*) into frozen dataclasses.  Element ids
(``GE-1`` … ``GE-10``, ``GE-5a`` … ``GE-5f``, ``GE-9a``/``GE-9b``) match
:data:`vlrkit.review.SECTIONS`; point ids are ``GE-x.y``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

#: Languages every prompt is written in; other languages fall back to English.
LANGS: tuple[str, ...] = ("zh-Hans", "en")
FALLBACK_LANG = "en"
#: Strength marker of points that state a fact, not a content point; never counted.
CONTEXT = "context"


def _pick(text: dict[str, str], lang: str) -> str:
    return text.get(lang) or text.get(FALLBACK_LANG, "")


@dataclass(frozen=True)
class Point:
    """One checklist point (``GE-5d.2``) with its strength marker and the writer's prompt."""

    id: str
    element: str
    strength: str
    prompt_en: str
    prompt_zh: str
    keywords: tuple[str, ...] = ()  # phrases (en and zh) whose presence covers the point
    data: str | None = None  # name of a data rule in vlrkit.guide.completeness
    title_en: str = ""
    title_zh: str = ""

    @property
    def counted(self) -> bool:
        """Whether the point counts in the completeness check (context points do not)."""
        return self.strength != CONTEXT

    def prompt(self, lang: str) -> str:
        """The writer's prompt in ``lang`` (zh-Hans or en; others fall back to en)."""
        return self.prompt_zh if lang.startswith("zh") else self.prompt_en

    def title(self, lang: str) -> str:
        """A short title of the point (for checklists)."""
        return self.title_zh if lang.startswith("zh") else self.title_en


@dataclass(frozen=True)
class Element:
    """A guiding element (``GE-4``) or a part of one (``GE-5c``) with its points."""

    id: str
    titles: dict[str, str]
    purposes: dict[str, str]
    points: tuple[Point, ...]
    parent: str | None = None  # GE-5 for GE-5a…GE-5f, GE-9 for GE-9a/9b

    def title(self, lang: str) -> str:
        return _pick(self.titles, lang)

    def purpose(self, lang: str) -> str:
        return _pick(self.purposes, lang)

    def prompts(self, lang: str) -> tuple[str, ...]:
        """The writer's prompts of the counted points, in order."""
        return tuple(p.prompt(lang) for p in self.points if p.counted)


@dataclass(frozen=True)
class Guide:
    """All guiding elements in seed order, with the strength-marker labels."""

    elements: tuple[Element, ...]
    strengths: dict[str, dict[str, str]]

    def element(self, element_id: str) -> Element:
        for e in self.elements:
            if e.id == element_id:
                return e
        raise KeyError(element_id)

    def point(self, point_id: str) -> Point:
        for e in self.elements:
            for p in e.points:
                if p.id == point_id:
                    return p
        raise KeyError(point_id)

    def points(self) -> tuple[Point, ...]:
        return tuple(p for e in self.elements for p in e.points)

    def strength_label(self, strength: str, lang: str) -> str:
        return _pick(self.strengths.get(strength, {}), lang) or strength


@lru_cache(maxsize=1)
def guide() -> Guide:
    """The guiding elements (loaded once from package data)."""
    data = resources.files("vlrkit.guide").joinpath("data")
    raw = yaml.safe_load(data.joinpath("elements.yaml").read_text("utf-8"))
    titles = yaml.safe_load(data.joinpath("point_titles.yaml").read_text("utf-8"))
    elements = []
    for e in raw["elements"]:
        points = tuple(
            Point(
                id=p["id"],
                element=e["id"],
                strength=p["strength"],
                prompt_en=p["en"],
                prompt_zh=p["zh"],
                keywords=tuple(p.get("kw_en", ())) + tuple(p.get("kw_zh", ())),
                data=p.get("data"),
                title_en=titles[p["id"]][0],
                title_zh=titles[p["id"]][1],
            )
            for p in e["points"]
        )
        elements.append(
            Element(
                id=e["id"],
                titles=dict(e["title"]),
                purposes=dict(e["purpose"]),
                points=points,
                parent=e.get("parent"),
            )
        )
    return Guide(elements=tuple(elements), strengths=raw["strengths"])
