"""The review domain as plain data (see :mod:`vlrkit.review.model`)."""

from vlrkit.review.model import *  # noqa: F403
from vlrkit.review.model import __all__ as _all  # noqa: F401
