"""The guiding elements for VLRs as data, with writing prompts and the completeness check."""

from vlrkit.guide.completeness import Completeness, check
from vlrkit.guide.elements import Element, Guide, Point, guide

__all__ = ["Completeness", "Element", "Guide", "Point", "check", "guide"]
