"""Live references to the assessment's figures inside narratives ("figures by reference").

A writer types a *reference* where a figure belongs; it is replaced by the current figure each
time the review is rendered (report, public site, web preview), so a corrected or re-imported
observation never leaves a narrative stale.  The stored narrative keeps the reference.

Syntax — ``{{kind:id:field}}``, spaces around the parts allowed::

    {{ind:LJ-03-01:latest}}    latest value with its unit ("12.5 %")  → :data:`INDICATOR_FIELDS`
    {{goal:3:score}}           goal 3's score ("73.6")                  → :data:`GOAL_FIELDS`
    {{index:score}}            the review's overall index score           → :data:`INDEX_FIELDS`

``ind`` takes a local indicator code of the review, ``goal`` a goal number 1–17.  Numbers are
formatted as the report formats them, colours, statuses and trends become words of the
language.  A reference that cannot be resolved (unknown indicator, goal, field; no data yet)
is never dropped: it stays visible as ``⟦?ind:XX:latest⟧`` and is listed as a
:class:`vlrkit.report.model.RefProblem`.  References inside code spans and code blocks are
left as written.  ``\\{{`` writes a literal ``{{`` (the backslash is Markdown's own escape, so
the rendered text shows ``{{`` without it).

Pure: reads the report model's goal and indicator views (:class:`vlrkit.report.model.Report`
or a :class:`Figures`), never the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from vlrkit.report import i18n
from vlrkit.report.i18n import fmt, label
from vlrkit.report.model import GoalView, IndicatorView, RefProblem

#: A reference: ``{{`` + up to 200 characters without braces or line breaks + ``}}``.
TOKEN = re.compile(r"\{\{([^{}\r\n]{0,200})\}\}")
#: How an unresolved reference stays visible in the output.
MARK = "⟦?{}⟧"
#: Line breaks as Markdown counts them (markdown-it normalises these three).
_NEWLINE = re.compile(r"\r\n?|\n")
#: A run of backticks (opens or closes a code span of the same length).
_TICKS = re.compile(r"`+")
#: Markdown characters a figure's text must not bring into the narrative unescaped.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
#: Other spellings writers use for a field.
ALIASES = {"color": "colour"}
#: Decimals of scores (0–100) as the report's dashboard shows them.
SCORE_DECIMALS = 1

#: Why a reference did not resolve: slug → message (``{token}``, ``{subject}``).
REASONS: dict[str, dict[str, str]] = {
    "syntax": {"en": "{token} is not a reference: write {{{{kind:id:field}}}}, e.g. {{{{goal:3:score}}}}",
               "zh-Hans": "{token} 不是有效的引用：格式为 {{{{类型:编号:字段}}}}，例如 {{{{goal:3:score}}}}"},
    "unknown_kind": {"en": "{token}: unknown kind “{subject}” (use ind, goal or index)",
                     "zh-Hans": "{token}：未知的引用类型“{subject}”（可用 ind、goal、index）"},
    "unknown_indicator": {"en": "{token}: the review has no indicator “{subject}”",
                          "zh-Hans": "{token}：本审查中没有指标“{subject}”"},
    "unknown_goal": {"en": "{token}: “{subject}” is not a goal number from 1 to 17",
                     "zh-Hans": "{token}：“{subject}”不是 1 至 17 的目标编号"},
    "unknown_field": {"en": "{token}: unknown field “{subject}” (use {fields})",
                      "zh-Hans": "{token}：未知的字段“{subject}”（可用 {fields}）"},
    "no_data": {"en": "{token}: no data for this figure yet",
                "zh-Hans": "{token}：该数字尚无数据"},
}


class Source(Protocol):
    """What references are resolved against: a :class:`Report` or :class:`Figures`."""

    @property
    def goals(self) -> tuple[GoalView, ...]: ...

    @property
    def index_score(self) -> float | None: ...


@dataclass(frozen=True)
class Figures:
    """The figures references read, before the whole report exists (used while building it)."""

    goals: tuple[GoalView, ...]
    index_score: float | None = None


@dataclass(frozen=True)
class Resolved:
    """A narrative with its references replaced, and the references that did not resolve."""

    text: str
    problems: tuple[RefProblem, ...] = ()


@dataclass(frozen=True)
class Choice:
    """One reference a writer can insert, with the figure it shows now (for pickers)."""

    goal: int
    indicator: str | None  # None for a goal-level or index figure
    field: str
    token: str
    value: str | None  # None: no data yet


class _Unresolved(Exception):
    """A reference cannot be resolved (internal: becomes a :class:`RefProblem`)."""

    def __init__(self, reason: str, subject: str = "") -> None:
        super().__init__(reason)
        self.reason, self.subject = reason, subject


def _need(value: Any) -> Any:
    """``value``, unless it is missing (None, "" or empty): then the figure has no data."""
    if value is None or (isinstance(value, str | list | tuple) and not value):
        raise _Unresolved("no_data")
    return value


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}".strip()


def _colour(slug: str | None, lang: str) -> str:
    return i18n.pick(i18n.STATUS_LABELS, _need(slug), lang)


def _status(i: IndicatorView, lang: str) -> str:
    """The indicator's status in words: its colour and, when assessed, progress to its target."""
    parts = [i18n.pick(i18n.STATUS_LABELS, i.colour, lang)] if i.colour else []
    if i.status != "not_assessed" and i.target_kind:
        parts.append(label("target_status", lang, kind=label(i.target_kind, lang),
                           status=i18n.pick(i18n.STATUS_LABELS, i.status, lang)))
    return "; ".join(_need(parts))


def _trend(slug: str, lang: str) -> str:
    if slug == "not_assessed":
        raise _Unresolved("no_data")
    return i18n.pick(i18n.TREND_LABELS, slug, lang)


#: Fields of ``{{ind:CODE:field}}``: name → the figure in a language.
INDICATOR_FIELDS: dict[str, Callable[[IndicatorView, str], str]] = {
    "latest": lambda i, _l: _with_unit(_need(i.latest).text, i.unit),
    "value": lambda i, _l: _need(i.latest).text,
    "year": lambda i, _l: str(_need(i.latest).year),
    "baseline": lambda i, _l: _with_unit(_need(i.baseline).text, i.unit),
    "baseline_year": lambda i, _l: str(_need(i.baseline).year),
    "target": lambda i, _l: _with_unit(_need(i.target).text, i.unit),
    "target_year": lambda i, _l: str(_need(i.target).year),
    "unit": lambda i, _l: _need(i.unit),
    "status": _status,
    "colour": lambda i, lang: _colour(i.colour, lang),
    "trend": lambda i, lang: _trend(i.trend, lang),
    "score": lambda i, _l: fmt(_need(i.score), SCORE_DECIMALS),
}

#: Fields of ``{{goal:N:field}}``.
GOAL_FIELDS: dict[str, Callable[[GoalView, str], str]] = {
    "score": lambda g, _l: fmt(_need(g.score), SCORE_DECIMALS),
    "colour": lambda g, lang: _colour(g.status, lang),
    "trend": lambda g, lang: _trend(g.trend, lang),
    "coverage": lambda g, lang: label("coverage_n", lang, n=g.with_data, m=g.total),
    "indicators": lambda g, _l: str(g.total),
    "with_data": lambda g, _l: str(g.with_data),
}

#: Fields of ``{{index:field}}`` (the review as a whole).
INDEX_FIELDS: dict[str, Callable[[Source, str], str]] = {
    "score": lambda s, _l: fmt(_need(s.index_score), SCORE_DECIMALS),
    "goals": lambda s, _l: str(sum(1 for g in s.goals if g.with_data)),
}


def _indicator(source: Source, code: str) -> IndicatorView:
    views = {i.code: i for g in source.goals for i in g.indicators}
    if code in views:
        return views[code]
    folded = {k.casefold(): v for k, v in views.items()}
    if code.casefold() in folded:
        return folded[code.casefold()]
    raise _Unresolved("unknown_indicator", code)


def _goal(source: Source, number: str) -> GoalView:
    for g in source.goals:
        if number.isdigit() and g.number == int(number):
            return g
    raise _Unresolved("unknown_goal", number)


def _field(table: dict[str, Any], name: str) -> Any:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in table:
        raise _Unresolved("unknown_field", name)
    return table[key]


def figure(body: str, source: Source, lang: str) -> str:
    """The figure one reference (the text between ``{{`` and ``}}``) stands for, in ``lang``.

    Raises ``_Unresolved`` (internal) when it cannot; :func:`resolve` turns that into a problem.
    """
    parts = [p.strip() for p in body.split(":")]
    kind = parts[0].lower()
    if kind == "index" and len(parts) == 2:
        return _field(INDEX_FIELDS, parts[1])(source, lang)
    if kind not in ("ind", "goal", "index") and len(parts) > 1 and all(parts):
        raise _Unresolved("unknown_kind", parts[0])
    if len(parts) < 3 or not all(parts):
        raise _Unresolved("syntax")
    subject, name = ":".join(parts[1:-1]), parts[-1]
    if kind == "ind":
        return _field(INDICATOR_FIELDS, name)(_indicator(source, subject), lang)
    if kind == "goal":
        return _field(GOAL_FIELDS, name)(_goal(source, subject), lang)
    raise _Unresolved("syntax")  # index with an id


def _code_lines(lines: Sequence[str]) -> set[int]:
    """Indexes of the lines inside fenced or indented code blocks (markdown-it's own parse)."""
    from vlrkit.report.markdown import _parser

    tokens = _parser().parse("\n".join(line.rstrip("\r\n") for line in lines))
    return {n for t in tokens if t.type in ("fence", "code_block") and t.map
            for n in range(t.map[0], t.map[1])}


def _code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inline code spans of ``text`` (a run of n backticks to the next run of n)."""
    spans, pos = [], 0
    while (m := _TICKS.search(text, pos)) is not None:
        if m.start() > 0 and text[m.start() - 1] == "\\":  # an escaped backtick opens nothing
            pos = m.start() + 1
            continue
        close = next((c for c in _TICKS.finditer(text, m.end()) if len(c.group()) == len(m.group())), None)
        if close is None:
            pos = m.end()
            continue
        spans.append((m.start(), close.end()))
        pos = close.end()
    return spans


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes (Markdown escape)."""
    n = 0
    while at - n - 1 >= 0 and text[at - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _lines(text: str) -> list[str]:
    """``text`` cut into lines that keep their line break (``"".join`` gives ``text`` back)."""
    out, pos = [], 0
    for m in _NEWLINE.finditer(text):
        out.append(text[pos:m.end()])
        pos = m.end()
    if pos < len(text) or not out:
        out.append(text[pos:])
    return out


def resolve(text: str, source: Source, lang: str) -> Resolved:
    """``text`` (Markdown) with every reference replaced by its figure in ``lang``.

    Never raises on any text; text without ``{{`` comes back unchanged.  Unresolved references
    stay visible, marked ``⟦?…⟧``, and are listed in :attr:`Resolved.problems` with their line.
    """
    if "{{" not in text:
        return Resolved(text)
    lines = _lines(text)
    code = _code_lines(lines)
    problems: list[RefProblem] = []
    out: list[str] = []
    block: list[str] = []  # consecutive prose lines, so a code span may cross a line break
    start = 0

    def flush() -> None:
        if block:
            out.append(_resolve_prose("".join(block), start, source, lang, problems))
            block.clear()

    for n, line in enumerate(lines):
        if n in code or not line.strip():  # a blank line ends a paragraph, and any code span
            flush()
            out.append(line)
            continue
        if not block:
            start = n
        block.append(line)
    flush()
    return Resolved("".join(out), tuple(problems))


def _resolve_prose(text: str, first_line: int, source: Source, lang: str,
                   problems: list[RefProblem]) -> str:
    spans = _code_spans(text)

    def replace_one(m: re.Match[str]) -> str:
        if _escaped(text, m.start()) or any(a <= m.start() < b for a, b in spans):
            return m.group()
        body = m.group(1).strip()
        try:
            return _MD_SPECIAL.sub(r"\\\1", figure(body, source, lang))
        except _Unresolved as exc:
            problems.append(RefProblem(m.group(), exc.reason, exc.subject,
                                       first_line + text.count("\n", 0, m.start()) + 1))
            return MARK.format(body)

    return TOKEN.sub(replace_one, text)


def describe(problem: RefProblem, lang: str) -> str:
    """The problem as one sentence in ``lang`` (zh-Hans, en; others fall back to English); an
    unknown field's message names the fields of that kind of reference."""
    kind = problem.token[2:].split(":")[0].strip().lower()
    tables: dict[str, dict[str, Any]] = {"ind": INDICATOR_FIELDS, "goal": GOAL_FIELDS, "index": INDEX_FIELDS}
    table = tables.get(kind, {})
    return i18n.pick(REASONS, problem.reason, lang).format(
        token=problem.token, subject=problem.subject, fields=", ".join(table))


def resolve_narratives(review: Any, source: Source) -> Any:
    """``review`` with each narrative's references resolved in the narrative's own language.

    What a reader reads (e.g. to count a narrative's length); the completeness check reads the
    narratives as stored, where a reference is evidence.
    """
    narratives = tuple(replace(n, text=resolve(n.text, source, n.lang).text) for n in review.narratives)
    return replace(review, narratives=narratives)


def choices(source: Source, lang: str) -> tuple[Choice, ...]:
    """Every reference a writer can insert, grouped by goal (goal-level figures first, then each
    indicator's), with the figure each shows now in ``lang``; the index figures come last."""
    out: list[Choice] = []

    def add(goal: int, indicator: str | None, fld: str, token: str) -> None:
        try:
            value: str | None = figure(token[2:-2], source, lang)
        except _Unresolved:
            value = None
        out.append(Choice(goal, indicator, fld, token, value))

    for g in source.goals:
        for fld in GOAL_FIELDS:
            add(g.number, None, fld, f"{{{{goal:{g.number}:{fld}}}}}")
        for i in g.indicators:
            for fld in INDICATOR_FIELDS:
                add(g.number, i.code, fld, f"{{{{ind:{i.code}:{fld}}}}}")
    for fld in INDEX_FIELDS:
        add(0, None, fld, f"{{{{index:{fld}}}}}")
    return tuple(out)


def warnings(sections: Iterable[tuple[str, str, RefProblem]]) -> list[str]:
    """One line per unresolved reference, in English and Chinese, naming section and language
    (what ``vlr report`` prints); ``sections`` yields (section id, language, problem)."""
    return [
        f"warning: {sid} ({lang}) line {p.line}: {describe(p, 'en')} / "
        f"警告：{sid}（{lang}）第 {p.line} 行：{describe(p, 'zh-Hans')}"
        for sid, lang, p in sections
    ]
