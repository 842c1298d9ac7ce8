"""From documents to an alignment: passages mapped to goals, and what the review needs from it.

    >>> from vlrkit.align import align, attention, attention_gap
    >>> al = align([read_path("plan.pdf"), read_path("budget.xlsx")])
    >>> gap = attention_gap(attention(al), {g.goal: g.score for g in assessment.goals})

- :func:`align` maps every passage (or budget line) of every source;
- :func:`coverage` is the document × goal (or × target) matrix of mapped passages;
- :func:`attention` is the share of passages and the budget amount per goal;
- :func:`attention_gap` sets attention beside the assessment's goal scores and flags goals that
  perform poorly *and* get little attention (and the reverse);
- :func:`interlinkages` counts goals that co-occur in passages and flags possible synergies and
  trade-offs for the writer to judge.

Each mapping (passage × goal) has a status — ``proposed`` by the classifier, ``accepted`` or
``rejected`` by a person, or ``added`` by a person for a goal the classifier missed.  With
``only_accepted=True`` (what the report uses) only accepted and added mappings count; otherwise
everything not rejected counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from vlrkit.align.classify import GOALS, Evidence, classify
from vlrkit.align.documents import Document
from vlrkit.align.documents.budget import Budget
from vlrkit.align.segment import detect_lang, segment

Source = Document | Budget
STATUSES = ("proposed", "accepted", "rejected", "added")
#: A goal gets "low attention" below this fraction of an even share (1/17) of passages…
LOW_ATTENTION = 0.5
#: …and "high attention" above this multiple of it.
HIGH_ATTENTION = 1.5
#: Goal scores (0–100, SDSN scale) below this are "poor", at or above GOOD_SCORE "good".
POOR_SCORE = 50.0
GOOD_SCORE = 70.0


@dataclass(frozen=True)
class SourceInfo:
    name: str
    kind: str  # pdf | docx | text | markdown | html | csv | xlsx
    lang: str
    passages: int
    is_budget: bool = False
    total: float | None = None  # budget total
    unit: str = ""
    digest: str = ""  # sha256 of the text (or budget lines) that was mapped


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MappedPassage:
    """One passage or budget line with its mapping and the people's decisions on it."""

    document: str
    index: int
    text: str
    lang: str
    goal: int | None
    target: str | None
    goals: tuple[int, ...]  # predicted, passing the threshold
    targets: tuple[str, ...]
    scores: Mapping[int, float]
    evidence: tuple[Evidence, ...] = ()
    start: int | None = None  # character offsets in the document text
    end: int | None = None
    amount: float | None = None  # budget lines only
    department: str = ""
    programme: str = ""
    row: int | None = None  # budget file data row
    status: Mapping[int, str] = field(default_factory=dict)  # goal -> decision

    def effective_goals(self, only_accepted: bool = False) -> tuple[int, ...]:
        """The goals this passage counts for, given the decisions taken on it."""
        decided = dict(self.status)
        goals = [g for g in self.goals if decided.get(g, "proposed") != "rejected"]
        goals += [g for g, s in decided.items() if s in ("accepted", "added") and g not in goals]
        if only_accepted:
            goals = [g for g in goals if decided.get(g) in ("accepted", "added")]
        return tuple(goals)


@dataclass(frozen=True)
class Alignment:
    sources: tuple[SourceInfo, ...]
    passages: tuple[MappedPassage, ...]

    def with_status(self, decisions: Mapping[tuple[str, int, int], str]) -> Alignment:
        """A copy with decisions {(document, passage index, goal): status} applied."""
        out = []
        for p in self.passages:
            mine = {g: s for (d, i, g), s in decisions.items() if d == p.document and i == p.index}
            out.append(replace(p, status={**p.status, **mine}) if mine else p)
        return Alignment(self.sources, tuple(out))


def _mapped(doc: str, index: int, text: str, lang: str, **extra: object) -> MappedPassage:
    pred = classify(text, lang)
    return MappedPassage(doc, index, text, lang, pred.goal, pred.target, pred.goals, pred.targets,
                         pred.scores, pred.evidence, **extra)  # type: ignore[arg-type]


def map_source(source: Source, lang: str | None = None) -> tuple[SourceInfo, list[MappedPassage]]:
    """Segment one document (or take one budget's lines) and map every passage."""
    if isinstance(source, Budget):
        lang = lang or detect_lang(" ".join(line.description for line in source.lines[:200]))
        passages = [
            _mapped(source.name, i, line.text, lang, amount=line.amount, department=line.department,
                    programme=line.programme, row=line.row)
            for i, line in enumerate(source.lines)
        ]
        digest = _digest("\n".join(f"{x.description}\t{x.amount}\t{x.department}\t{x.programme}"
                                   for x in source.lines))
        info = SourceInfo(source.name, source.kind, lang, len(passages), True, source.total, source.unit, digest)
        return info, passages
    lang = lang or detect_lang(source.text)
    passages = [
        _mapped(source.name, p.index, p.text, p.lang, start=p.start, end=p.end)
        for p in segment(source.text, lang)
    ]
    return SourceInfo(source.name, source.kind, lang, len(passages), digest=_digest(source.text)), passages


def align(sources: Iterable[Source], lang: str | None = None) -> Alignment:
    """Map every passage of every source."""
    infos, passages = [], []
    for src in sources:
        info, mapped = map_source(src, lang)
        infos.append(info)
        passages.extend(mapped)
    return Alignment(tuple(infos), tuple(passages))


def passages_for(al: Alignment, document: str | None = None, goal: int | None = None, *,
                 only_accepted: bool = False) -> tuple[MappedPassage, ...]:
    """The passages behind one cell of the heat map (document × goal), best score first.

    ``goal=None`` gives all of a document's passages, ``document=None`` a goal's passages in
    every document; each passage carries its evidence (``MappedPassage.evidence``).
    """
    out = [p for p in al.passages
           if (document is None or p.document == document)
           and (goal is None or goal in p.effective_goals(only_accepted))]
    if goal is not None:
        out.sort(key=lambda p: -p.scores.get(goal, 0.0))
    return tuple(out)


# --- coverage and attention --------------------------------------------------------------------


@dataclass(frozen=True)
class Matrix:
    """Counts of mapped passages: one row per document, one column per goal or target."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]

    def cell(self, row: str, column: str) -> int:
        return self.values[self.rows.index(row)][self.columns.index(column)]


def coverage(al: Alignment, level: str = "goal", *, only_accepted: bool = False) -> Matrix:
    """Document × goal (``level="goal"``) or document × target matrix of mapped passages."""
    from vlrkit import sdg

    columns = tuple(str(g) for g in GOALS) if level == "goal" else tuple(t.code for t in sdg.targets())
    counts: dict[str, Counter[str]] = {s.name: Counter() for s in al.sources}
    for p in al.passages:
        goals = p.effective_goals(only_accepted)
        if level == "goal":
            counts[p.document].update(str(g) for g in goals)
        else:
            counts[p.document].update({t for t in p.targets if int(t.split(".")[0]) in goals})
    rows = tuple(s.name for s in al.sources)
    return Matrix(rows, columns, tuple(tuple(counts[r][c] for c in columns) for r in rows))


@dataclass(frozen=True)
class GoalAttention:
    goal: int
    passages: int  # text passages mapped to the goal
    share: float  # of all text passages mapped to any goal
    budget_lines: int
    amount: float  # full amount of every budget line tagged with the goal
    amount_weighted: float  # amounts split between a line's goals by score (adds up to the total)
    budget_share: float  # amount_weighted / the total of tagged lines


def attention(al: Alignment, *, only_accepted: bool = False) -> tuple[GoalAttention, ...]:
    """Attention per goal: share of text passages and budget amount."""
    count: Counter[int] = Counter()
    lines: Counter[int] = Counter()
    amount: dict[int, float] = defaultdict(float)
    weighted: dict[int, float] = defaultdict(float)
    mapped_text = 0
    tagged_total = 0.0
    for p in al.passages:
        goals = p.effective_goals(only_accepted)
        if p.amount is None:
            mapped_text += bool(goals)
            count.update(goals)
            continue
        if not goals:
            continue
        tagged_total += p.amount
        weights = {g: max(p.scores.get(g, 0.0), 0.01) for g in goals}
        total_w = sum(weights.values())
        for g in goals:
            lines[g] += 1
            amount[g] += p.amount
            weighted[g] += p.amount * weights[g] / total_w
    return tuple(
        GoalAttention(g, count[g], count[g] / mapped_text if mapped_text else 0.0, lines[g],
                      amount[g], weighted[g], weighted[g] / tagged_total if tagged_total else 0.0)
        for g in GOALS
    )


@dataclass(frozen=True)
class GapRow:
    goal: int
    attention: float  # combined share (text, and budget when there is one)
    score: float | None  # the assessment's goal score (0–100), None if not assessed
    flag: str  # neglected | reverse | addressed | low-attention | unassessed | ""
    note_en: str
    note_zh: str


def attention_gap(att: Sequence[GoalAttention], scores: Mapping[int, float | None]) -> tuple[GapRow, ...]:
    """Set each goal's attention beside its assessed score and flag the gaps.

    ``neglected``: poor score and low attention (the attention gap); ``reverse``: good score and
    high attention; ``addressed``: poor score, attention not low; ``low-attention``: low attention
    but the score is not poor; ``unassessed``: no score.  Rows come worst gap first.
    """
    has_budget = any(a.budget_lines for a in att)
    has_text = any(a.passages for a in att)
    even = 1 / len(GOALS)
    rows = []
    for a in att:
        parts = ([a.share] if has_text else []) + ([a.budget_share] if has_budget else [])
        share = sum(parts) / len(parts) if parts else 0.0
        score = scores.get(a.goal)
        low, high = share < LOW_ATTENTION * even, share > HIGH_ATTENTION * even
        pct = f"{share:.1%}"
        if score is None:
            flag = "unassessed"
            en, zh = f"not assessed; {pct} of attention", f"未评估；关注度{pct}"
        elif score < POOR_SCORE and low:
            flag = "neglected"
            en = f"poor performance (score {score:.0f}) and little policy attention ({pct}): an attention gap to close"
            zh = f"表现较差（得分{score:.0f}）且政策关注少（{pct}）：需弥补的关注缺口"
        elif score >= GOOD_SCORE and high:
            flag = "reverse"
            en = f"good performance (score {score:.0f}) with high attention ({pct}): resources could shift to weaker goals"
            zh = f"表现良好（得分{score:.0f}）且关注度高（{pct}）：可考虑将资源转向薄弱目标"
        elif score < POOR_SCORE:
            flag = "addressed"
            en, zh = f"poor performance (score {score:.0f}), attention {pct}", f"表现较差（得分{score:.0f}），关注度{pct}"
        elif low:
            flag = "low-attention"
            en, zh = f"little attention ({pct}), score {score:.0f}", f"关注较少（{pct}），得分{score:.0f}"
        else:
            flag = ""
            en, zh = f"score {score:.0f}, attention {pct}", f"得分{score:.0f}，关注度{pct}"
        rows.append(GapRow(a.goal, share, score, flag, en, zh))
    order = {"neglected": 0, "addressed": 1, "low-attention": 2, "reverse": 3, "unassessed": 4, "": 5}
    return tuple(sorted(rows, key=lambda r: (order[r.flag], r.attention, r.goal)))
