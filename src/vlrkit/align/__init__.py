"""Policy alignment: plans, strategies, reports and budget lines mapped to SDG goals and targets,
in Chinese and English (the other UN languages through the target texts), offline.

    >>> from vlrkit.align import read_path, align, classify, attention, attention_gap, report_blocks
    >>> classify("全面推行生活垃圾分类").goal
    11
    >>> al = align([read_path("plan.pdf"), read_path("budget.xlsx")])
    >>> report_blocks(al, "zh-Hans", scores)["GE-5c"]

Modules: ``documents`` (readers), ``segment`` (passages), ``signals`` (lexicons, target texts;
with ``words`` for English tokens and ``aurora`` for the Aurora queries), ``calibrate`` (Platt
scaling, threshold), ``classify`` (one passage),
``analysis`` (coverage, attention, gap), ``links`` (interlinkages), ``sections`` (GE-5c/GE-7
report blocks).  See docs/align.md for the method and its figures.
"""

from __future__ import annotations

from vlrkit.align.analysis import (
    Alignment,
    GapRow,
    GoalAttention,
    MappedPassage,
    Matrix,
    SourceInfo,
    align,
    attention,
    attention_gap,
    coverage,
    map_source,
    passages_for,
)
from vlrkit.align.classify import Evidence, Prediction, classify, classify_many
from vlrkit.align.documents import Document, read_bytes, read_path
from vlrkit.align.documents.budget import Budget, BudgetLine
from vlrkit.align.errors import AlignInputError, BudgetError
from vlrkit.align.links import Link, interlinkages
from vlrkit.align.sections import report_blocks
from vlrkit.align.segment import Passage, detect_lang, segment

__all__ = [
    "Alignment", "GapRow", "GoalAttention", "MappedPassage", "Matrix", "SourceInfo", "align",
    "attention", "attention_gap", "coverage", "map_source", "passages_for", "Evidence", "Prediction", "classify",
    "classify_many", "Document", "read_bytes", "read_path", "Budget", "BudgetLine",
    "AlignInputError", "BudgetError", "Link", "interlinkages", "report_blocks", "Passage",
    "detect_lang", "segment",
]
