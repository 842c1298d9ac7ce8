"""Method editions as data: named, versioned, documented profiles the engines read.

A *method edition* is one published version of a method — SDSN's global SDG Index 2018, the
Sustainable Development Report 2019 or 2026, SDSN's US Cities (2017, 2018, 2019) and European
Cities (2019) indices, Open SDG 2.4's progress measure — written down as a profile: a TOML file
in ``data/`` (one per edition) that sets every rule the edition's methodology fixes, each with
the sentence it rests on or, where the methodology leaves a choice open, vlrkit's reason
(:mod:`.profile`, :mod:`.loader`).  ``vlrkit`` is vlrkit's own documented defaults, the profile
the engines use when none is named, and the base every other profile starts from.

    >>> from vlrkit.assess import editions
    >>> e = editions.get("us-cities-2019")
    >>> e.goal_colour.rule, e.colouring.on, e.goal_colour.min_coverage
    ('mean_colour', 'value', 0.0)
    >>> editions.names("sdsn")[:3]
    ('vlrkit', 'eu-cities-2019', 'sdr-2026')

The SDSN engine (:func:`vlrkit.assess.sdsn.assess`), the progress engine
(:func:`vlrkit.assess.progress.assess`) and Open SDG's measure (:mod:`vlrkit.assess.opensdg`)
take a profile (or its name) and read its rules; none of them branches on an edition's name.
Each profile's :attr:`~.profile.Edition.choices` say, rule by rule, what it rests on
(``published``, ``inferred``, ``reported``, ``ours`` or ``default``) — the report's method annex
prints them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from vlrkit.assess.editions.loader import ProfileError, load
from vlrkit.assess.editions.profile import (
    BASES,
    Choice,
    Edition,
    OpenSdg,
    ProgressEdition,
    SdsnEdition,
    Source,
)

DATA = Path(__file__).with_name("data")
#: The profile used when none is named: vlrkit's documented defaults.
DEFAULT = "vlrkit"
#: Names that stand for another profile: the latest edition of a family.
ALIASES = {"sdr": "sdr-2026", "sdsn-current": "sdr-2026", "opensdg": "opensdg-2.4"}


@cache
def _all() -> dict[str, Edition]:
    base = load(DATA / f"{DEFAULT}.toml")
    out: dict[str, Edition] = {DEFAULT: base}
    for path in sorted(DATA.glob("*.toml")):
        if path.stem != DEFAULT:
            out[path.stem] = load(path, base)
    return out


def names(family: str | None = None) -> tuple[str, ...]:
    """The profiles' names (of one family: ``sdsn`` or ``progress``), ``vlrkit`` first, then
    newest first within each family."""
    found = [e for e in _all().values() if family is None or e.family == family]
    found.sort(key=lambda e: (e.name != DEFAULT, e.family != "sdsn", -int(e.version.split(".")[0]), e.name))
    return tuple(e.name for e in found)


def get(name: str | Edition | None = None) -> Edition:
    """The profile named ``name`` (an alias, or a profile object itself; None: ``vlrkit``).

    An unknown name raises :class:`KeyError` naming the known ones."""
    if isinstance(name, Edition):
        return name
    key = ALIASES.get(name or DEFAULT, name or DEFAULT)
    profiles = _all()
    if key not in profiles:
        raise KeyError(f"unknown method edition {name!r}; one of {', '.join(names())} / 未知方法版本 {name!r}")
    return profiles[key]


def sdsn(name: str | Edition | None = None) -> SdsnEdition:
    """The SDSN edition named ``name`` (``vlrkit`` when None); a progress profile is refused."""
    e = get(name)
    if not isinstance(e, SdsnEdition):
        raise KeyError(f"{e.name} is not an SDSN edition; one of {', '.join(names('sdsn'))} / {e.name} 不是 SDSN 方法版本")
    return e


def progress(name: str | Edition | None = "opensdg-2.4") -> ProgressEdition:
    """The progress-measure edition named ``name``."""
    e = get(name)
    if not isinstance(e, ProgressEdition):
        raise KeyError(f"{e.name} is not a progress measure edition; one of {', '.join(names('progress'))}")
    return e


__all__ = [
    "ALIASES", "BASES", "DEFAULT", "Choice", "Edition", "OpenSdg", "ProfileError", "ProgressEdition",
    "SdsnEdition", "Source", "get", "load", "names", "progress", "sdsn",
]
