"""Validation: the error catalogue, the report and the checks on tidy observation tables.

Validation never raises on bad data: it returns a :class:`Report` listing every problem with
file, row, column, a catalogue type (stable slug), a severity and messages in zh-Hans and en.
"""

from vlrkit.validation.catalogue import CATALOGUE, ERROR, WARNING, Problem, make
from vlrkit.validation.report import Report, capped, combine, sort_problems

__all__ = ["CATALOGUE", "ERROR", "WARNING", "Problem", "Report", "capped", "combine", "make", "sort_problems"]
