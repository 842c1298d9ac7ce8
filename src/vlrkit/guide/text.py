"""What a narrative says, as the completeness check and the publish gate read it.

A narrative (Markdown) is cut into *blocks* — paragraphs, list items run together, headings,
tables — and each block is judged:

* a **heading** says nothing on its own;
* a block is **substantive** when, with every writer's prompt of the guide removed from it
  (a prompt pasted as a placeholder is not text), it still has at least
  :data:`SUBSTANTIVE_WORDS` words — a Chinese character counts as half a word, a figure
  reference (``{{ind:X:latest}}``) as one;
* a block holds **evidence** when it has a figure reference or is a table.

Two statements are markers a writer types on purpose, in English or Chinese, with a reason of
at least :data:`REASON_WORDS` words:

* ``Not covered, because …`` / ``未涉及，因为……`` — at the start of a block: the section (or,
  after a point id, ``[GE-5d.2] Not covered, because …``, that one point) is deliberately not
  covered, and the reader sees why;
* ``Not translated, because …`` / ``未翻译，因为……`` — as a language's whole text: the section is
  deliberately left in the language it was written in.

Pure: plain strings in, frozen dataclasses out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Words a block needs, beyond pasted prompts, to count as text on its own.
SUBSTANTIVE_WORDS = 8
#: Words the reason of a "not covered" or "not translated" statement needs.
REASON_WORDS = 3

#: A point id as markers write it.
POINT_ID = r"GE-\d+[a-f]?\.(?:\d+|F\d)"
#: ``[GE-5d.2]`` or ``<!-- GE-5d.2 -->`` anywhere: the block is about that point.
MARKER = re.compile(rf"(?:\[|<!--\s*)({POINT_ID})(?:\]|\s*-->)")
_NOT_COVERED = re.compile(
    rf"^\s*(?:(?:\[|<!--\s*)(?P<point>{POINT_ID})(?:\]|\s*-->)\s*)?[*_]*\s*"
    r"(?:not\s+covered,?\s+because|未涉及[，,、\s]*(?:因为|原因是|原因：|原因:))[*_]*\s*[:：]?\s*(?P<reason>.*)$",
    re.IGNORECASE | re.DOTALL)
_NOT_TRANSLATED = re.compile(
    r"^\s*[*_]*\s*(?:not\s+translated,?\s+because|未翻译[，,、\s]*(?:因为|原因是|原因：|原因:))[*_]*\s*[:：]?\s*(?P<reason>.*)$",
    re.IGNORECASE | re.DOTALL)
#: A figure reference of :mod:`vlrkit.report.refs` (kept in sync with its ``TOKEN``).
FIGURE_REF = re.compile(r"\{\{([^{}\r\n]{0,200})\}\}")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Block:
    """One block of a narrative: its text, kind and line (1-based)."""

    text: str
    kind: str  # "heading" | "paragraph" | "table"
    line: int

    @property
    def evidence(self) -> str:
        """What evidence the block holds: "figure" (a reference), "table" or ""."""
        if self.kind == "table":
            return "table"
        return "figure" if FIGURE_REF.search(self.text) else ""


@dataclass(frozen=True)
class NotCovered:
    """A "not covered, because …" statement: for the whole section (``point`` "") or one point."""

    point: str
    reason: str
    line: int


def blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a Markdown narrative, in order (blank lines separate them; a heading line
    is always a block of its own; fenced code is not text)."""
    out: list[Block] = []
    current: list[str] = []
    start = 0
    kind = "paragraph"
    fence = False

    def flush() -> None:
        nonlocal current
        if current and "".join(current).strip():
            out.append(Block("\n".join(current).strip(), kind, start + 1))
        current = []

    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            flush()
            fence = not fence
            continue
        if fence:
            continue
        if not line.strip():
            flush()
            continue
        if _HEADING.match(line):
            flush()
            out.append(Block(line.strip().lstrip("#").strip(), "heading", n + 1))
            continue
        if _SETEXT.match(line) and current and kind == "paragraph":
            # the lines above were a Setext heading
            out.append(Block("\n".join(current).strip(), "heading", start + 1))
            current = []
            continue
        row_kind = "table" if _TABLE_ROW.match(line) else "paragraph"
        if current and row_kind != kind:
            flush()
        if not current:
            start, kind = n, row_kind
        current.append(line)
    flush()
    return tuple(out)


def _normal(text: str) -> str:
    """Text folded for comparison: NFKC, lower case, Markdown marks and punctuation dropped,
    whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(" " if unicodedata.category(c)[0] in "PSZ" else c for c in text)
    return " ".join(text.split())


def words(text: str) -> float:
    """How many words ``text`` has: Latin words and numbers count one, a Chinese character half,
    a figure reference one."""
    refs = len(FIGURE_REF.findall(text))
    text = FIGURE_REF.sub(" ", text)
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN_WORD.findall(_CJK.sub(" ", text)))
    return latin + cjk / 2 + refs


@lru_cache(maxsize=1)
def _prompts() -> tuple[str, ...]:
    from vlrkit.guide.elements import guide

    found = set()
    g = guide()
    for e in g.elements:
        for lang in ("en", "zh-Hans"):
            if e.purpose(lang):
                found.add(_normal(e.purpose(lang)))
            found.add(_normal(e.title(lang)))
        for p in e.points:
            found.update({_normal(p.prompt_en), _normal(p.prompt_zh)})
    return tuple(sorted((p for p in found if p), key=len, reverse=True))


def own_words(text: str) -> str:
    """``text`` without markers, HTML comments and any prompt or title of the guide pasted into
    it (compared folded: case, punctuation and spacing do not matter)."""
    text = _COMMENT.sub(" ", MARKER.sub(" ", text))
    text = _LIST_ITEM.sub(" ", text)
    folded = _normal(FIGURE_REF.sub(" figureref ", text))
    for prompt in _prompts():
        if prompt in folded:
            folded = folded.replace(prompt, " ")
    return folded.replace("figureref", "{{ref}}")


def statement(block: Block) -> bool:
    """Whether the block is a "not covered" or "not translated" statement (a marker, not text
    on a point)."""
    return block.kind == "paragraph" and bool(_NOT_COVERED.match(block.text) or _NOT_TRANSLATED.match(block.text))


def substantive(block: Block) -> bool:
    """Whether the block is the writer's own text of some length (see the module docstring);
    a "not covered" or "not translated" statement is not."""
    if block.kind == "heading" or statement(block):
        return False
    if block.kind == "table":
        return True
    return words(own_words(block.text)) >= SUBSTANTIVE_WORDS


def not_covered(text: str) -> tuple[NotCovered, ...]:
    """Every "not covered, because …" statement of a narrative with a reason long enough."""
    out = []
    for b in blocks(text):
        if b.kind != "paragraph":
            continue
        m = _NOT_COVERED.match(b.text)
        if m and words(m.group("reason")) >= REASON_WORDS:
            out.append(NotCovered(m.group("point") or "", " ".join(m.group("reason").split()), b.line))
    return tuple(out)


def not_translated(text: str) -> str | None:
    """The reason, when the whole text is a "not translated, because …" statement."""
    parts = [b for b in blocks(text) if b.kind != "heading"]
    if len(parts) != 1:
        return None
    m = _NOT_TRANSLATED.match(parts[0].text)
    if m and words(m.group("reason")) >= REASON_WORDS:
        return " ".join(m.group("reason").split())
    return None


def script_share(text: str) -> float:
    """The share of Chinese characters among the letters of ``text`` (0 with no letters)."""
    text = FIGURE_REF.sub(" ", _COMMENT.sub(" ", text))
    cjk = len(_CJK.findall(text))
    latin = sum(len(w) for w in _LATIN_WORD.findall(_CJK.sub(" ", text)) if not w[0].isdigit())
    return cjk / (cjk + latin) if cjk + latin else 0.0


def same_text(a: str, b: str) -> bool:
    """Whether two texts are the same once folded (a text pasted unchanged into another language)."""
    return bool(_normal(a)) and _normal(a) == _normal(b)
