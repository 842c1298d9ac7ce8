"""The publish gate: what stops an edition from being published, each with where to fix it.

An edition is not published while any :class:`Blocker` stands:

* ``unresolved`` — a figure reference of a narrative does not resolve (it would be printed
  ``⟦?…⟧``);
* ``empty`` — a section has no text in any language (the sections the report generates —
  :data:`GENERATED` — excepted), and the coordinator has not written why;
* ``no_substance`` — a section's text in a published language is headings only, the guide's
  prompts pasted, or too short to say anything (:func:`vlrkit.guide.text.substantive`);
* ``untranslated`` — a published language has no text where another has, the same text as
  another language, or text in the wrong script;

unless the writer said why, in the text itself, where the reader sees it too:
``Not covered, because …`` / ``未涉及，因为……`` for a section deliberately left out, and
``Not translated, because …`` / ``未翻译，因为……`` as a language's text for a section left in
the language it was written in (:mod:`vlrkit.guide.text`).

``vlr check`` prints the blockers and exits 1; the web's publish page lists them with a link to
each section's editor and refuses to publish.  Pure: reads the review and its report models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vlrkit.guide import text as narrative
from vlrkit.report import i18n, refs
from vlrkit.report.model import RefProblem, Report
from vlrkit.review import SECTIONS, Review

#: Sections whose content the report generates (progress, statistical and stakeholder annexes):
#: they may be published without a narrative.
GENERATED: frozenset[str] = frozenset({"GE-6", "GE-9a", "GE-9b"})
#: Below this share of Chinese characters a zh-Hans text is not Chinese; above
#: :data:`MAX_CJK_OTHER` a text in another language is not that language.
MIN_CJK_ZH = 0.2
MAX_CJK_OTHER = 0.3
#: Letters a text needs before its script is judged (a name or a number alone is not).
SCRIPT_MIN_WORDS = 8

MESSAGES: dict[str, dict[str, str]] = {
    "unresolved": {"en": "{section} ({lang}), line {line}: {detail}",
                   "zh-Hans": "{section}（{lang}）第 {line} 行：{detail}"},
    "empty": {"en": "{section} has no text in any language; write it, or say why it is not covered "
                    "(“Not covered, because …”).",
              "zh-Hans": "{section} 在所有语言中都没有正文；请撰写，或说明未涉及的原因（“未涉及，因为……”）。"},
    "no_substance:headings": {"en": "{section} ({lang}) has headings only, no text.",
                              "zh-Hans": "{section}（{lang}）只有标题，没有正文。"},
    "no_substance:prompt": {"en": "{section} ({lang}) holds the writing guidance pasted, not the city's text.",
                            "zh-Hans": "{section}（{lang}）是粘贴的写作提示，而非本地撰写的正文。"},
    "no_substance:short": {"en": "{section} ({lang}) is too short to say anything (under {n} words).",
                           "zh-Hans": "{section}（{lang}）过短（不足 {n} 个词），未形成实质内容。"},
    "untranslated:missing": {"en": "{section} has no {lang} text although it is written in {other}; translate "
                                   "it, or say why not (“Not translated, because …”).",
                             "zh-Hans": "{section} 已有{other}正文，但没有{lang}正文；请翻译，或说明原因（“未翻译，因为……”）。"},
    "untranslated:same": {"en": "{section} ({lang}) is the same text as the {other} one.",
                          "zh-Hans": "{section}（{lang}）与{other}正文完全相同。"},
    "untranslated:script": {"en": "{section} ({lang}) is not written in {lang}.",
                            "zh-Hans": "{section}（{lang}）的正文不是{lang}。"},
}


@dataclass(frozen=True)
class Blocker:
    """One reason the edition cannot be published, and where to fix it (section, language, line)."""

    kind: str  # unresolved | empty | no_substance | untranslated
    section: str
    lang: str | None  # the language to fix (None: any)
    detail: str = ""  # headings | prompt | short; missing | same | script; the reference's problem
    line: int = 0
    other: str = ""  # the other language (untranslated)
    problem: RefProblem | None = None  # the unresolved reference

    def message(self, lang: str) -> str:
        """The blocker in words, in ``lang`` (zh-Hans or en)."""
        key = self.kind if self.kind in ("unresolved", "empty") else f"{self.kind}:{self.detail}"
        name = lambda code: i18n.pick(i18n.LANGUAGE_NAMES, code, lang) if code else ""  # noqa: E731
        return i18n.pick(MESSAGES, key, lang).format(
            section=section_title(self.section, lang),
            lang=name(self.lang),
            line=self.line, other=name(self.other), n=narrative.SUBSTANTIVE_WORDS,
            detail=refs.describe(self.problem, lang) if self.problem else self.detail)


@dataclass(frozen=True)
class Gate:
    """The blockers of one edition in its published languages (:func:`gate`)."""

    languages: tuple[str, ...]
    blockers: tuple[Blocker, ...]

    @property
    def open(self) -> bool:
        """Whether the edition may be published."""
        return not self.blockers

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"open": self.open, "languages": list(self.languages),
                "blockers": [{"kind": b.kind, "section": b.section, "lang": b.lang, "line": b.line,
                              "detail": b.detail, "message": b.message(lang)} for b in self.blockers]}


def section_title(section: str, lang: str) -> str:
    """``GE-3 Introduction``: the section's id and title in ``lang``."""
    from vlrkit.guide import guide

    try:
        return f"{section} {guide().element(section).title(lang)}"
    except KeyError:
        return section


def _substance(text: str) -> str | None:
    """Why a text has no substance ("headings", "prompt", "short"), or None when it has."""
    blocks = narrative.blocks(text)
    if any(narrative.substantive(b) for b in blocks):
        return None
    if narrative.not_covered(text) and not any(nc.point for nc in narrative.not_covered(text)):
        return None  # the whole section is declared not covered
    body = [b for b in blocks if b.kind != "heading"]
    if not body:
        return "headings"
    if any(narrative.words(b.text) >= narrative.SUBSTANTIVE_WORDS for b in body):
        return "prompt"
    return "short"


def _script(text: str, lang: str) -> bool:
    """Whether ``text`` is in the script of ``lang`` (judged only on enough text)."""
    if narrative.words(text) < SCRIPT_MIN_WORDS:
        return True
    share = narrative.script_share(text)
    return share >= MIN_CJK_ZH if lang.startswith("zh") else share <= MAX_CJK_OTHER


def _section_blockers(review: Review, section: str, langs: Sequence[str]) -> list[Blocker]:
    texts = {n.lang: n.text for n in review.narratives if n.section == section and n.text.strip()}
    if not texts:
        return [] if section in GENERATED else [Blocker("empty", section, langs[0] if langs else None)]
    out: list[Blocker] = []
    for lang in langs:
        own = texts.get(lang)
        others = [o for o in texts if o != lang]
        if own is None:
            out.append(Blocker("untranslated", section, lang, "missing", other=others[0]))
            continue
        if narrative.not_translated(own):
            continue
        why = _substance(own)
        if why:
            out.append(Blocker("no_substance", section, lang, why))
            continue
        same = next((o for o in others if narrative.same_text(own, texts[o])), None)
        if same and (not _script(own, lang) or (_script(own, same) and langs.index(lang) > (
                langs.index(same) if same in langs else -1))):
            # the copy is the one not in its language's script (or, if both could be, the later)
            out.append(Blocker("untranslated", section, lang, "same", other=same))
        elif not same and not _script(own, lang):
            out.append(Blocker("untranslated", section, lang, "script"))
    return out


def gate(review: Review, reports: Sequence[Report]) -> Gate:
    """The blockers of ``review`` published in the languages of ``reports`` (its report models,
    one per language, which hold the unresolved references)."""
    langs = tuple(r.lang for r in reports)
    blockers: list[Blocker] = []
    for section in SECTIONS:
        blockers += _section_blockers(review, section, langs)
    for r in reports:
        for sid, p in r.unresolved():
            if not review.narrative(sid, r.lang).strip() and any(
                    review.narrative(sid, o).strip() for o in langs if o != r.lang):
                continue  # the other language's text, shown here untranslated: reported there
            blockers.append(Blocker("unresolved", sid, r.lang, p.reason, p.line, problem=p))
    order = {s: n for n, s in enumerate(SECTIONS)}
    blockers.sort(key=lambda b: (order.get(b.section, len(order)), langs.index(b.lang) if b.lang in langs else 0,
                                 b.line))
    return Gate(langs, tuple(blockers))
