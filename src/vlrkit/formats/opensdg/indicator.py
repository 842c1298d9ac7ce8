"""An Open SDG indicator's merged metadata → a :class:`~vlrkit.review.LocalIndicator`, its SDG
links and its targets, with every field that is not valid reported, never raised.

- **Names** carry their real language: text is in the repository's first language (its
  ``languages``), a translation key (``global_indicators.1-2-1-title``) is resolved in every
  language the repository (or vlrkit's SDG catalogue) translates it into, and ``meta/<lang>/``
  files give their language's fields.  The title is the national one where given
  (``indicator_available``, ``national_indicator_available``, ``graph_title``), else
  ``indicator_name``, else the global indicator's title from the catalogue, else the code.
- **Links and grades from the data's own evidence** (:mod:`~vlrkit.formats.opensdg.ids`): a file
  named after a global indicator links to it ``identical`` unless its metadata says otherwise —
  ``proxy: proxy`` → ``proxy``, ``proxy: both`` or a national title that differs from the global
  one → ``adapted``; a localised variant (``11-1-1-a``) is ``adapted``; an archived one
  ``contextual``; regional and local ids get no link.  A grade vlrkit inferred (anything but a
  plain identical match) says "to review" in its reason.
- **Assessment inputs of Open SDG 2.x**: ``progress_calculation_options`` (direction, target,
  per series/unit), ``graph_target_lines`` (targets, per series/unit), ``data_start_values`` (the
  headline selection, kept for :mod:`vlrkit.series`), ``computation_units``,
  ``reporting_status``, ``data_non_statistical``.  No direction in the metadata leaves the
  direction ``unknown`` — never "higher" by default.
- **Conflicts are resolved by a documented rule, never an exception**: two target lines for one
  series and year → the first listed is used and the other reported; progress options that give
  different directions to different series → each series keeps its own, the indicator's direction
  is the first option's, and the mix is reported.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from typing import Any

from vlrkit.formats.opensdg.ids import IdInfo
from vlrkit.formats.opensdg.translations import KEY, Translations
from vlrkit.review import LocalIndicator, SdgLink, Target
from vlrkit.validation import catalogue as c
from vlrkit.validation import optimum as vopt
from vlrkit.validation.catalogue import Problem

REPORTING_STATUSES = ("complete", "inprogress", "notstarted", "notapplicable")
#: Horizon year of target lines that give no year of their own.
DEFAULT_TARGET_YEAR = 2030
#: Metadata fields holding the indicator's title, in order of preference: the publisher's own
#: name, then its national definition, then the chart's title; ``indicator_name`` that is only
#: the global title's translation key comes after the national fields (the global title is not
#: what a localised indicator measures).
TITLE_FIELDS = ("indicator_name", "indicator_available", "national_indicator_available", "graph_title", "title")
_GLOBAL_KEY = re.compile(r"^global_indicators\.")
#: Source fields of Open SDG metadata, per source number, in order of preference.
SOURCE_FIELDS = ("source_organisation_{}", "source_compilation_{}", "source_implementation_{}")


def text(value: Any) -> str:
    """A metadata value as text (non-strings JSON-encoded, so nothing is lost)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def boolean(value: Any) -> bool | None:
    """``true``/``false``/``yes``/``no``/``y``/``n`` (as CSV metadata writes them), else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "y", "n"):
        return value.strip().lower() in ("true", "yes", "y")
    return None


def _number(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if out == out and abs(out) != float("inf") else None


def _year(value: Any, default: int) -> int:
    if isinstance(value, int):
        return value
    s = str(value or "").strip()
    return int(s) if s.isdigit() and len(s) == 4 else default


def _goal(info: IdInfo, fields: Mapping[str, Any]) -> int | None:
    if info.goal:
        return info.goal
    for key in ("sdg_goal", "goal"):
        v = text(fields.get(key)).strip()
        if v.isdigit() and 1 <= int(v) <= 17:
            return int(v)
    number = text(fields.get("indicator_number")).strip()
    head = re.split(r"[.\-]", number)[0] if number else ""
    return int(head) if head.isdigit() and 1 <= int(head) <= 17 else None


def _names(info: IdInfo, fields: Mapping[str, Any], tr: Translations, languages: tuple[str, ...],
           language: str) -> dict[str, str]:
    names: dict[str, str] = {}
    own = text(fields.get("indicator_name")).strip()
    global_title = (tr.lookup(f"global_indicators.{info.sdg_indicator.replace('.', '-')}-title", "en") or ""
                    if info.sdg_indicator else "")
    only_global = bool(_GLOBAL_KEY.match(own)) or (bool(own) and _same_title(own, global_title))
    keys = [k for k in TITLE_FIELDS if not (k == "indicator_name" and only_global)]
    for key in [*keys, "indicator_name"]:
        value = text(fields.get(key)).strip()
        if value:
            for lang, t in tr.names(value, languages, language).items():
                names.setdefault(lang, t)
            break
    for lang in languages:  # meta/<lang>/<id>.md: that language's own fields
        per_lang = fields.get(lang)
        if isinstance(per_lang, Mapping):
            for key in TITLE_FIELDS:
                own_value = text(per_lang.get(key)).strip()
                if own_value:
                    names[lang] = tr.text(own_value, lang) or own_value
                    break
    if info.sdg_indicator and (not names or all(KEY.match(v) for v in names.values())):
        names = {}
        for lang in ("en", "zh-Hans", "fr", "es", "ru", "ar"):
            title = tr.lookup(f"global_indicators.{info.sdg_indicator.replace('.', '-')}-title",
                              "zh" if lang == "zh-Hans" else lang)
            if title:
                names.setdefault(lang, title)
    return names or {language: info.code}


def _grade(info: IdInfo, fields: Mapping[str, Any], names: Mapping[str, str], tr: Translations) -> tuple[str, dict[str, str]]:
    """The comparability grade of a global-id indicator, and why (see the module doc)."""
    proxy = text(fields.get("proxy")).strip().lower()
    if proxy in ("proxy", "true", "yes"):
        return "proxy", {"en": "the publisher marks it a proxy (proxy: proxy) — to review",
                         "zh-Hans": "发布方标注为替代指标（proxy: proxy）— 待审核"}
    if proxy in ("both", "partial"):
        return "adapted", {"en": f"the publisher marks it partly a proxy (proxy: {proxy}) — to review",
                           "zh-Hans": f"发布方标注为部分替代（proxy: {proxy}）— 待审核"}
    national = next((text(fields.get(k)).strip() for k in ("indicator_available", "national_indicator_available")
                     if text(fields.get(k)).strip()), "")
    if national and not tr.is_key(national):
        global_title = tr.lookup(f"global_indicators.{info.sdg_indicator.replace('.', '-')}-title", "en") or ""  # type: ignore[union-attr]
        if not _same_title(national, global_title):
            return "adapted", {"en": f"its national definition ('{national[:80]}') differs from the global "
                                     "indicator's — to review",
                               "zh-Hans": f"其本国定义（“{national[:80]}”）与全球指标不同 — 待审核"}
    return "identical", {}


def _plain(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


#: Two titles this alike are one indicator's (editions of the global list reword titles slightly).
SAME_TITLE = 0.85


def _same_title(a: str, b: str) -> bool:
    """Whether ``a`` is the global title ``b`` in an older or newer wording."""
    if not a or not b:
        return False
    return difflib.SequenceMatcher(None, _plain(a), _plain(b)).ratio() >= SAME_TITLE


def _links(info: IdInfo, fields: Mapping[str, Any], names: Mapping[str, str], tr: Translations) -> tuple[SdgLink, ...]:
    if not info.sdg_indicator or not info.target:
        return ()
    if info.kind == "global":
        grade, reason = _grade(info, fields, names, tr)
    elif info.kind == "variant":
        grade = "adapted"
        reason = {"en": f"a localised variant of {info.sdg_indicator} (its file name {info.oid}) — to review",
                  "zh-Hans": f"{info.sdg_indicator} 的本地化变体（文件名 {info.oid}）— 待审核"}
    else:  # archived
        grade = "contextual"
        reason = {"en": f"archived by the publisher (was {info.sdg_indicator}) — to review",
                  "zh-Hans": f"发布方已归档（原为 {info.sdg_indicator}）— 待审核"}
    return (SdgLink(indicator=info.code, target=info.target, sdg_indicator=info.sdg_indicator, grade=grade,
                    reason=reason),)


def _options(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, dict):
        raw = [raw]
    return [o for o in raw if isinstance(o, dict)] if isinstance(raw, list) else []


def to_indicator(
    info: IdInfo, fields: Mapping[str, Any], file: str, *, language: str = "en",
    languages: tuple[str, ...] = ("en",), translations: Translations | None = None,
    unit_default: str = "", optimum_at: tuple[str, int | None] | None = None,
) -> tuple[LocalIndicator, tuple[SdgLink, ...], tuple[Target, ...], list[Problem]]:
    """The local indicator, its SDG links and targets described by ``fields`` (see the module
    doc); ``file`` is where the metadata came from, for problems; ``optimum_at`` the file and row
    of the ``optimum`` field (default ``file``)."""
    tr = translations or Translations()
    problems: list[Problem] = []
    code = info.code

    def invalid(field_: str, detail: str, detail_zh: str, value: Any = None) -> None:
        problems.append(c.make(c.MetadataInvalid, file, None, field_,
                               value=text(fields.get(field_) if value is None else value)[:200],
                               detail=detail, detail_zh=detail_zh))

    goal = _goal(info, fields)
    if goal is None:
        invalid("sdg_goal", "no SDG goal: neither the id nor the metadata says which goal the indicator is for "
                "(set sdg_goal); it is kept under no goal", "没有所属目标：编号和元数据都未说明该指标属于哪个目标"
                "（请设置 sdg_goal）；暂不归入任何目标", value=info.oid)
    elif info.goal and "sdg_goal" in fields and text(fields["sdg_goal"]).strip().lstrip("0") not in (str(goal), ""):
        invalid("sdg_goal", f"the file is for goal {goal}", f"该文件属于目标 {goal}")
    status = text(fields.get("reporting_status", "")).strip() or "complete"
    if status not in REPORTING_STATUSES:
        invalid("reporting_status", f"not one of {', '.join(REPORTING_STATUSES)}",
                f"不是 {', '.join(REPORTING_STATUSES)} 之一")
    if "data_non_statistical" in fields and boolean(fields["data_non_statistical"]) is None:
        invalid("data_non_statistical", "not true or false", "不是 true 或 false")
    names = _names(info, fields, tr, languages, language)
    active: list[str] = []
    inactive: list[str] = []
    for i in range(1, 10):
        org = next((text(fields.get(f.format(i))).strip() for f in SOURCE_FIELDS if text(fields.get(f.format(i))).strip()), "")
        data_ = text(fields.get(f"source_data_{i}")).strip() or text(fields.get(f"source_url_text_{i}")).strip()
        if data_.lower() in ("link to source", "link to data source"):  # the starter's placeholder text
            data_ = ""
        org, data_ = (tr.text(org, language) or org), (tr.text(data_, language) or data_)
        if org or data_:
            named = f"{org} ({data_})" if org and data_ else org or data_
            (inactive if boolean(fields.get(f"source_active_{i}", True)) is False else active).append(named)
    # the sources the site shows; when the publisher switched them all off, the ones it named
    # (a source is still the source of the figures, and the statistical annex needs it)
    sources = active or inactive
    unit_field = text(fields.get("computation_units")).strip()
    unit = (tr.text(unit_field, language) or unit_field) if unit_field else unit_default
    # direction and targets of Open SDG 2.x progress options
    opts = _options(fields.get("progress_calculation_options"))
    directions = []
    targets: list[Target] = []
    seen: dict[tuple[str, str, int], float] = {}

    def add_target(value: float, year: int, series: str, unit_: str, note: str, where: str) -> None:
        key = (series, unit_, year)
        if key in seen:
            if seen[key] != value:
                invalid(where, f"two targets for {year}{' (' + series + ')' if series else ''}: {seen[key]:g} and "
                        f"{value:g}; the first listed ({seen[key]:g}) is used",
                        f"{year} 年有两个目标值{'（' + series + '）' if series else ''}：{seen[key]:g} 和 {value:g}；"
                        f"采用先列出的 {seen[key]:g}")
            return
        seen[key] = value
        targets.append(Target(indicator=code, kind="local", value=value, year=year,
                              note={language: note} if note else {}, series=series, unit=unit_))

    for o in opts:
        d = str(o.get("direction", "")).strip().lower()
        if d in ("negative", "lower", "down", "decrease"):
            directions.append("lower")
        elif d in ("positive", "higher", "up", "increase"):
            directions.append("higher")
        elif d:
            invalid("progress_calculation_options", f"direction '{d}' is not positive or negative",
                    f"方向“{d}”不是 positive 或 negative", value=d)
        t = _number(o.get("target"))
        if t is not None:
            add_target(t, _year(o.get("target_year"), DEFAULT_TARGET_YEAR), text(o.get("series")).strip(),
                       text(o.get("unit")).strip(), "", "progress_calculation_options")
    if len(set(directions)) > 1:
        invalid("progress_calculation_options", "the series have different directions; each series keeps its own "
                f"and the indicator shows the first ({directions[0]})",
                f"各系列方向不同；各系列保留自己的方向，指标显示第一个（{directions[0]}）")
    direction = directions[0] if directions else "unknown"
    lines = fields.get("graph_target_lines")
    if lines is not None and not isinstance(lines, list):
        invalid("graph_target_lines", "not a list", "不是列表")
        lines = []
    for line in lines or []:
        value = _number(line.get("value")) if isinstance(line, dict) else None
        if value is None:
            invalid("graph_target_lines", "a target line without a numeric value", "目标线缺少数值")
            continue
        label = text(line.get("label_content") or line.get("label") or "")
        add_target(value, _year(line.get("year", line.get("target_year")), DEFAULT_TARGET_YEAR),
                   text(line.get("series")).strip(), text(line.get("unit")).strip(),
                   tr.text(label, language) or label, "graph_target_lines")
    decimals = None
    precision = fields.get("precision")
    if isinstance(precision, list) and precision and isinstance(precision[0], dict):
        dec = precision[0].get("decimals")
        decimals = dec if isinstance(dec, int) else None
    extra = {k: text(v) for k, v in fields.items()}
    if directions:
        extra["direction_origin"] = "publisher"
    methodology = {}
    if fields.get("computation_calculations"):
        calc = text(fields["computation_calculations"])
        methodology = {lang: t for lang, t in tr.names(calc, languages, language).items()}
    indicator = LocalIndicator(
        code=code, names=names, goal=goal or 0, unit=unit, direction=direction,
        source="; ".join(sources),
        custodian=text(fields.get("un_custodian_agency")).strip(),
        coverage=(tr.text(text(fields.get("national_geographical_coverage")).strip(), language)
                  or text(fields.get("national_geographical_coverage")).strip()),
        methodology=methodology, decimals=decimals,
        reporting_status=status if status in REPORTING_STATUSES else "complete",
        extra=extra,
    )
    if vopt.FIELD in fields:  # the SDSN optimum rule travels verbatim in extra; judged here
        where, row = optimum_at or (file, None)
        optimum_problems = vopt.check(extra[vopt.FIELD], unit=indicator.unit, file=where, row=row)
        problems += optimum_problems
        if not optimum_problems:
            # Open SDG metadata carries no thresholds: the checks that need them are made where
            # thresholds are set
            problems += vopt.check_record(extra[vopt.FIELD], direction=direction,
                                          target=vopt.assessed_targets(targets).get(code),
                                          thresholds_known=False, file=where, row=row)
    return indicator, _links(info, fields, names, tr), tuple(targets), problems
