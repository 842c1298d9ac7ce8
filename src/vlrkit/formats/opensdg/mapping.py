"""How Open SDG columns map onto vlrkit's coded dimensions — documented and user-extendable.

Open SDG data files carry disaggregations as free-form columns (``Gender``, ``Race/ Ethnicity``,
``Education Attainment``…).  vlrkit maps a column onto one of :data:`vlrkit.tidy.DIMENSIONS` when
its *normalised* name (lower case, letters and digits only) is in :data:`COLUMN_ALIASES`, and
maps the labels of closed dimensions onto codes with :data:`LABEL_CODES` (``Female`` → ``F``);
labels of open dimensions (age ranges, race/ethnicity, areas…) are kept as their codes.

A label of a closed dimension that the mapping does not know (``Gender unclassified``,
``Long-term health condition``) is not forced onto a code: the row keeps it in its
``breakdown`` under the column's own name, as a column that maps to no dimension does
(``Revenue Source``, ``Crime Type``, ``Deprivation decile`` — a deprivation decile counts the
other way round from an income decile and is never taken for one).  Labels that name the total
(``Total``, ``_T``, ``All persons``) make the row a total of that dimension.  A *mixed* column
(``Equality group``: Women, Disabled, Migrants…; :data:`MIXED`) sends each label to the
dimension that knows it.  Every original column and label is also kept verbatim in the
observation's ``labels`` JSON, which is how an export gives back the file it came from.

Users extend the mapping with a YAML file (``vlr import --mapping FILE``, or a
``vlrkit-mapping.yml`` at the root of the repository)::

    columns:            # column spelling -> dimension (or MIXED)
      Victim Gender: SEX
      Council District: GEO
      Equality group: MIXED
    codes:              # dimension -> label -> code
      SEX:
        Mujer: F
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl
import yaml

from vlrkit import tidy
from vlrkit.formats import yamlsafe
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import LimitError, Limits

#: Name of the mapping file picked up at a repository's root.
MAPPING_FILE = "vlrkit-mapping.yml"

#: A column whose labels belong to different dimensions ("Equality group": Women, Disabled…):
#: each label goes to the dimension whose code table knows it, else stays in the breakdown.
MIXED = "MIXED"

#: Normalised column names → dimension.
COLUMN_ALIASES: dict[str, str] = {
    **dict.fromkeys(["sex", "gender", "sexe", "genero", "sexo", "性别"], "SEX"),
    **dict.fromkeys(["age", "agegroup", "agegroups", "agerange", "ages", "ageband", "agecohort",
                     "年龄", "年龄组"], "AGE"),
    **dict.fromkeys(["race", "ethnicity", "raceethnicity", "ethnicgroup", "raceandethnicity",
                     "raceorethnicity", "ethnicorigin", "民族", "族裔"], "ETHNICITY"),
    **dict.fromkeys(["education", "educationattainment", "educationalattainment",
                     "educationlevel", "levelofeducation", "education_lev", "受教育程度"],
                    "EDUCATION_LEV"),
    **dict.fromkeys(["employmentstatus", "employment", "activitystatus", "labourforcestatus",
                     "laborforcestatus", "就业状况"], "ACTIVITY"),
    **dict.fromkeys(["disability", "disabilitystatus", "残疾状况"], "DISABILITY_STATUS"),
    **dict.fromkeys(["incomequintile", "quintile", "wealthquintile", "incomewealthquantile",
                     "收入五分位"], "INCOME_WEALTH_QUANTILE"),
    **dict.fromkeys(["migratorystatus", "migrationstatus", "migrantstatus", "流动状况"],
                    "MIGRATORY_STATUS"),
    **dict.fromkeys(["urbanrural", "urbanisation", "urbanization", "城乡"],
                    "URBANISATION"),
    **dict.fromkeys(["geography", "area", "region", "district", "councildistrict",
                     "neighborhood", "neighbourhood", "localauthority", "localauthorityname",
                     "ward", "wardname", "borough", "county", "lsoa", "msoa", "refarea",
                     "province", "subcounty", "地区", "区县", "街道"], "GEO"),
    **dict.fromkeys(["incomedecile", "incomegroup10", "householdincomedecile"], "INCOME_WEALTH_QUANTILE"),
    **dict.fromkeys(["equalitygroup", "equalitycharacteristic", "populationgroup", "group",
                     "characteristic", "protectedcharacteristic"], MIXED),
}

#: Labels of closed dimensions → codes (normalised label as key).
LABEL_CODES: dict[str, dict[str, str]] = {
    "SEX": {
        **dict.fromkeys(["female", "females", "women", "woman", "girls", "girl", "f", "女", "女性",
                         "womenandgirls", "femme", "femmes", "mujer", "mujeres"], "F"),
        **dict.fromkeys(["male", "males", "men", "man", "boys", "boy", "m", "男", "男性",
                         "menandboys", "homme", "hommes", "hombre", "hombres"], "M"),
    },
    "URBANISATION": {
        **dict.fromkeys(["urban", "u", "城镇"], "U"),
        **dict.fromkeys(["rural", "r", "农村"], "R"),
    },
    "DISABILITY_STATUS": {
        **dict.fromkeys(["withadisability", "withdisability", "disabled", "personswithdisability",
                         "personswithdisabilities", "disabledpeople", "pd", "残疾人"], "PD"),
        **dict.fromkeys(["withoutadisability", "withoutdisability", "nodisability", "notdisabled",
                         "nondisabled", "personswithoutdisability", "nondisabledpeople", "pwd",
                         "非残疾人"], "PWD"),
    },
    "INCOME_WEALTH_QUANTILE": {
        **{f"q{i}": f"Q{i}" for i in range(1, 6)},
        **dict.fromkeys(["lowest", "lowestquintile", "firstquintile", "bottomquintile"], "Q1"),
        **dict.fromkeys(["secondquintile", "second"], "Q2"),
        **dict.fromkeys(["middlequintile", "thirdquintile", "middle"], "Q3"),
        **dict.fromkeys(["fourthquintile", "fourth"], "Q4"),
        **dict.fromkeys(["highest", "highestquintile", "topquintile", "fifthquintile"], "Q5"),
        # deciles (income deciles only: a deprivation decile counts the other way round and is
        # never mapped here), and the shares SDG 10.1.1 uses
        **{f"decile{i}": f"D{i}" for i in range(1, 11)},
        **dict.fromkeys(["bottom10percent", "bottom10", "lowestdecile", "firstdecile"], "D1"),
        **dict.fromkeys(["top10percent", "top10", "highestdecile", "tenthdecile"], "D10"),
        **dict.fromkeys(["bottom40percent", "bottom40"], "B40"),
        **dict.fromkeys(["top60percent", "top60"], "T60"),
    },
    "MIGRATORY_STATUS": {
        **dict.fromkeys(["migrant", "migrants", "foreignborn", "bornabroad", "流动人口"], "MIGRANT"),
        **dict.fromkeys(["nonmigrant", "nonmigrants", "nativeborn", "bornincountry", "户籍人口"],
                        "NONMIGRANT"),
    },
}

#: Labels that name the total of a dimension (the row is not disaggregated by it).
TOTAL_LABELS = frozenset({"_t", "total", "all", "allpersons", "persons", "people", "bothsexes",
                          "allsexes", "allages", "everyone", "合计", "总计", "全部"})

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_BRACKETS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")


def normalise(text: str) -> str:
    """Lower case, letters and digits only: ``"Race/ Ethnicity"`` → ``"raceethnicity"``."""
    return _NON_ALNUM.sub("", text.casefold())


def normalise_expr(column: pl.Expr) -> pl.Expr:
    """:func:`normalise` as a polars expression."""
    return column.str.to_lowercase().str.replace_all(r"[\W_]+", "")


class MappingError(ValueError):
    """A user mapping file is not valid."""


@dataclass(frozen=True)
class Mapping_:
    """The column and label mapping in force (defaults plus the user's additions)."""

    columns: Mapping[str, str] = field(default_factory=lambda: dict(COLUMN_ALIASES))
    codes: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: {k: dict(v) for k, v in LABEL_CODES.items()})

    def dimension(self, column: str) -> str | None:
        """The dimension ``column`` maps onto, or None."""
        return self.columns.get(normalise(column))

    def code_table(self, dimension: str) -> Mapping[str, str]:
        return self.codes.get(dimension, {})

    def code(self, dimension: str, label: str) -> str | None:
        """The code of ``label`` in ``dimension``: "" when the label names the total (``Total``,
        ``_T``, ``All persons``), the code of a closed dimension (``Female`` → ``F``; a code is
        its own code; a qualifier in brackets is ignored: ``Disabled (GSS harmonised)`` → ``PD``),
        the label itself for an open dimension (age groups, areas…), and None when a closed
        dimension does not know the label (the caller keeps it in the breakdown, unforced)."""
        text = label.strip()
        if not text:
            return ""
        key = normalise(text)
        if key in TOTAL_LABELS:
            return ""
        closed = tidy.DIMENSION_CODES.get(dimension)
        if closed is None:
            return text
        if text in closed:
            return text
        table = self.codes.get(dimension, {})
        if key in table:
            return table[key]
        bare = normalise(_BRACKETS.sub("", text))
        if bare in TOTAL_LABELS:
            return ""
        return table.get(bare)

    def mixed_code(self, label: str) -> tuple[str, str] | None:
        """(dimension, code) of a label of a mixed column (:data:`MIXED`), or None."""
        for dim in tidy.DIMENSION_CODES:
            code = self.code(dim, label)
            if code:
                return dim, code
        return None

    def extended(self, columns: Mapping[str, str], codes: Mapping[str, Mapping[str, str]]) -> Mapping_:
        new_cols = dict(self.columns)
        for col, dim in columns.items():
            if dim not in tidy.DIMENSIONS and dim != MIXED:
                raise MappingError(
                    f"column '{col}': '{dim}' is not a dimension ({', '.join(tidy.DIMENSIONS)}) / "
                    f"列“{col}”：“{dim}”不是维度"
                )
            new_cols[normalise(str(col))] = dim
        new_codes = {k: dict(v) for k, v in self.codes.items()}
        for dim, table in codes.items():
            if dim not in tidy.DIMENSIONS or not isinstance(table, Mapping):
                raise MappingError(f"codes: '{dim}' is not a dimension / codes：“{dim}”不是维度")
            new_codes.setdefault(dim, {}).update({normalise(str(k)): str(v) for k, v in table.items()})
        return Mapping_(new_cols, new_codes)


DEFAULT = Mapping_()


def load(text: str | bytes, base: Mapping_ = DEFAULT, limits: Limits = DEFAULT_LIMITS) -> Mapping_:
    """``base`` extended by a mapping YAML document (see the module doc for its shape).

    Read with the bounded safe loader (:mod:`vlrkit.formats.yamlsafe`): a document too deep, too
    large or full of aliases is a :class:`MappingError` naming the limit, never a crash."""
    try:
        doc = yamlsafe.load(text, limits) or {}
    except yaml.YAMLError as exc:
        raise MappingError(f"mapping file is not valid YAML: {exc} / 映射文件不是有效的 YAML") from exc
    except LimitError as exc:
        raise MappingError(f"mapping file refused: {exc.en} / 映射文件被拒绝：{exc.zh}") from exc
    if not isinstance(doc, dict):
        raise MappingError("mapping file must be a YAML mapping / 映射文件必须是 YAML 映射")
    columns = doc.get("columns") or {}
    codes = doc.get("codes") or {}
    if not isinstance(columns, dict) or not isinstance(codes, dict):
        raise MappingError("'columns' and 'codes' must be mappings / “columns”和“codes”必须是映射")
    return base.extended(columns, codes)
