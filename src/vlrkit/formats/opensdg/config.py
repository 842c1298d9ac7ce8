"""A repository's ``config_data.yml``: which files sdg-build reads, and how.

Open SDG builds a site from the *inputs* its data configuration lists (sdg-build's
``open_sdg_build``): each input is a class — ``InputCsvData`` (data CSVs), ``InputYamlMdMeta``
(``*.md`` front matter), ``InputYamlMeta`` (``*.yml``), ``InputCsvMeta`` (two-column CSVs, with
an optional ``metadata_mapping`` CSV of human labels → field keys), ``InputSdmxMl_*`` (SDMX-ML
data against a DSD) … — with a glob ``path_pattern`` relative to ``src_dir``.  Without an
``inputs`` list sdg-build reads ``data/*-*.csv`` and ``meta/*-*.md``; we read its defaults the
same way.  The configuration also gives the site's ``languages`` (the first is the language of
untranslated text), the ``translations`` folders (``TranslationInputYaml``) and the indicator
options (``non_disaggregation_columns``, ``series_column``, ``unit_column``).

:func:`load` never raises on a bad configuration: it reports a problem and falls back on the
defaults, so a repository with a broken ``config_data.yml`` still gets its data read.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits, Refusal
from vlrkit.formats.opensdg import meta as mt
from vlrkit.formats.sources import Member
from vlrkit.validation import catalogue as c
from vlrkit.validation.catalogue import Problem

CONFIG_FILE = "config_data.yml"
#: Classes of data inputs we read (SDMX-ML variants all go through the SDMX reader).
DATA_CLASSES = ("InputCsvData", "InputSdmxMl_Multiple", "InputSdmxMl_Structure",
                "InputSdmxMl_StructureSpecific", "InputSdmxMl_UnitedNationsApi")
#: Classes of metadata inputs we read.
META_CLASSES = ("InputYamlMdMeta", "InputYamlMeta", "InputCsvMeta", "InputMetaFiles")
#: sdg-build's default inputs (``open_sdg_input_defaults``).
DEFAULT_INPUTS: tuple[dict[str, Any], ...] = (
    {"class": "InputCsvData", "path_pattern": "data/*-*.csv"},
    {"class": "InputYamlMdMeta", "path_pattern": "meta/*-*.md"},
)
#: sdg-build's default columns that are not disaggregations (``open_sdg_indicator_options_defaults``).
NON_DISAGGREGATION = ("Year", "Units", "Series", "Value", "GeoCode", "Observation status",
                      "Unit multiplier", "Unit measure", "UNIT_MEASURE", "SERIES")


@dataclass(frozen=True)
class Input:
    """One input of the configuration: its class, path pattern and other options."""

    cls: str
    pattern: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_data(self) -> bool:
        return self.cls in DATA_CLASSES

    @property
    def is_meta(self) -> bool:
        return self.cls in META_CLASSES

    def matches(self, name: str) -> bool:
        """Whether ``name`` (relative to the repository root) is a file of this input (a glob
        whose ``*`` does not cross folders, as Python's ``glob`` on one level)."""
        if not self.pattern:
            return False
        pat = posixpath.normpath(self.pattern)
        return (name.count("/") == pat.count("/") and fnmatch.fnmatchcase(name, pat))


@dataclass(frozen=True)
class RepoConfig:
    """What a repository's data configuration says (defaults where it says nothing)."""

    languages: tuple[str, ...] = ("en",)
    inputs: tuple[Input, ...] = tuple(Input(d["class"], d["path_pattern"]) for d in DEFAULT_INPUTS)
    translation_dirs: tuple[str, ...] = ("translations",)
    non_disaggregation: tuple[str, ...] = NON_DISAGGREGATION
    series_column: str = "Series"
    unit_column: str = "Units"
    from_file: bool = False  # a config_data.yml was found (else: sdg-build's defaults)
    inputs_given: bool = False  # its ``inputs`` list was given

    @property
    def language(self) -> str:
        """The language of text the repository does not translate (its first language)."""
        return self.languages[0] if self.languages else "en"

    def data_inputs(self) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.is_data)

    def meta_inputs(self) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.is_meta)

    def data_input(self, name: str) -> Input | None:
        """The data input that reads ``name``, if any."""
        return next((i for i in self.data_inputs() if i.matches(name)), None)


def _languages(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        langs = tuple(str(v).strip() for v in value if str(v).strip())
        return langs or ("en",)
    return ("en",)


def load(members: list[Member], problems: list[Problem], limits: Limits = DEFAULT_LIMITS) -> RepoConfig:
    """The configuration of the repository among ``members`` (its root ``config_data.yml``), read
    within ``limits`` (a deep or alias-bomb file is reported and the defaults are used)."""
    found = next((m for m in members if m.name == CONFIG_FILE), None)
    if found is None:
        return RepoConfig()
    try:
        doc = mt.parse_yaml(found.data.decode("utf-8-sig", errors="replace"), limits)
    except mt.MetaError as exc:
        problems.append(c.make(c.MetadataUnreadable, found.name, detail=str(exc)))
        return RepoConfig()
    except Refusal as exc:
        problems.append(exc.problem(found.name))
        return RepoConfig()
    src = str(doc.get("src_dir") or "").strip().strip("/")

    def under(pattern: str) -> str:
        return posixpath.normpath(posixpath.join(src, pattern)) if src else posixpath.normpath(pattern)

    inputs: list[Input] = []
    raw_inputs = doc.get("inputs")
    given = isinstance(raw_inputs, list)
    listed: list[Any] = list(raw_inputs) if isinstance(raw_inputs, list) else list(DEFAULT_INPUTS)
    for item in listed:
        if not isinstance(item, dict) or not item.get("class"):
            problems.append(c.make(c.MetadataInvalid, found.name, None, "inputs", value=str(item)[:80],
                                   detail="an input without a class", detail_zh="输入项缺少 class"))
            continue
        input_opts = {str(k): v for k, v in item.items() if k not in ("class", "path_pattern")}
        inputs.append(Input(str(item["class"]), under(str(item.get("path_pattern") or "")), input_opts))
    dirs = ["translations"]
    for t in doc.get("translations") or []:
        if isinstance(t, dict) and t.get("class") == "TranslationInputYaml" and t.get("source"):
            source = under(str(t["source"]))
            if source not in dirs:
                dirs.append(source)
    raw_opts = doc.get("indicator_options")
    opts: dict[str, Any] = raw_opts if isinstance(raw_opts, dict) else {}
    non_dis = opts.get("non_disaggregation_columns")
    extra = tuple(str(x) for x in non_dis) if isinstance(non_dis, list) else ()
    return RepoConfig(
        languages=_languages(doc.get("languages")),
        inputs=tuple(inputs),
        translation_dirs=tuple(dirs),
        non_disaggregation=tuple(dict.fromkeys(NON_DISAGGREGATION + extra)),
        series_column=str(opts.get("series_column") or "Series"),
        unit_column=str(opts.get("unit_column") or "Units"),
        from_file=True,
        inputs_given=given,
    )
