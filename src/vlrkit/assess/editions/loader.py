"""Read a method edition's TOML file into its profile object, checking every key.

A profile file names the edition and its sources, then sets rules section by section; every rule
is a small table that says what it rests on::

    name = "us-cities-2019"
    family = "sdsn"
    version = "2019"
    title = { en = "…", "zh-Hans" = "…" }
    summary = { en = "…", "zh-Hans" = "…" }

    [[sources]]
    key = "lynch2019"
    cite = "Lynch, A., LoPresti, A., Fox, C. (2019): The 2019 US Cities Sustainable Development Report. SDSN."
    url = "https://github.com/sdsna/2019USCitiesIndex"

    [goal_colour]
    rule = { value = "mean_colour", basis = "reported", note = "…", source = "lynch2019" }

A rule the file does not set is the ``vlrkit`` profile's (basis ``default``).  ``"none"`` stands
for an empty value (TOML has no null).  Anything wrong — an unknown key, a value of the wrong
type or outside the allowed words, a rule without its basis — is a :class:`ProfileError` naming
the file, the key and why, in English and Chinese.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from vlrkit.assess.editions import profile as p

#: Allowed words of the rules that take one.
WORDS: dict[str, tuple[Any, ...]] = {
    "colouring.on": p.COLOUR_ON, "colouring.yellow": p.YELLOW, "colouring.colours": (3, 4),
    "goal_colour.rule": p.GOAL_RULES, "goal_colour.rounding": p.ROUNDING, "trend.fallback": p.FALLBACKS,
    "index.impute": p.IMPUTE,
}
#: The sections each family's profiles may set.
FAMILY_SECTIONS = {
    "sdsn": ("normalisation", "colouring", "goal_colour", "trend", "index", "progress"),
    "progress": ("opensdg",),
}
_TOP = ("name", "family", "version", "title", "summary", "sources")


class ProfileError(ValueError):
    """A profile file that cannot be read; ``where`` is ``file: key``."""

    def __init__(self, where: str, en: str, zh: str) -> None:
        self.where, self.en, self.zh = where, en, zh
        super().__init__(f"{where}: {en} / {zh}")


def _value(where: str, key: str, raw: Any, default: Any) -> Any:
    """``raw`` checked against the type of ``default`` (and the allowed words of ``key``)."""
    if raw == "none" and (default is None or key in ("goal_colour.red_share",)):
        return None

    def bad(kind_en: str, kind_zh: str) -> ProfileError:
        return ProfileError(where, f"{key} must be {kind_en}, not {raw!r}", f"{key} 须为{kind_zh}，而非 {raw!r}")

    if isinstance(default, bool):
        if not isinstance(raw, bool):
            raise bad("true or false", " true 或 false")
        value: Any = raw
    elif isinstance(default, int) or default is None and key in ("trend.earliest", "trend.end"):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise bad("a whole number", "整数")
        value = raw
    elif isinstance(default, float) or default is None:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise bad("a number", "数字")
        value = float(raw)
    elif isinstance(default, str):
        if not isinstance(raw, str):
            raise bad("text", "文本")
        value = raw
    elif isinstance(default, tuple):
        if not isinstance(raw, list) or len(raw) != len(default) or not all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in raw):
            raise bad(f"a list of {len(default)} numbers", f" {len(default)} 个数字的列表")
        value = tuple(float(x) for x in raw)
    elif isinstance(default, Mapping):
        if not isinstance(raw, dict) or set(raw) != set(default) or not all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in raw.values()):
            raise bad(f"a table of numbers for {', '.join(default)}", f"含 {', '.join(default)} 数值的表")
        value = {k: float(v) for k, v in raw.items()}
    else:  # pragma: no cover - every field type is covered above
        raise TypeError(default)
    allowed = WORDS.get(key)
    if allowed is not None and value not in allowed:
        raise ProfileError(where, f"{key} must be one of {', '.join(map(str, allowed))}, not {raw!r}",
                           f"{key} 须为 {', '.join(map(str, allowed))} 之一，而非 {raw!r}")
    return value


def _text(where: str, key: str, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or "en" not in raw or not all(isinstance(v, str) for v in raw.values()):
        raise ProfileError(where, f"{key} must be a table of texts with at least en",
                           f"{key} 须为至少含 en 的文本表")
    return dict(raw)


def _sources(where: str, raw: Any) -> tuple[p.Source, ...]:
    if not isinstance(raw, list):
        raise ProfileError(where, "sources must be a list of [[sources]] tables", "sources 须为 [[sources]] 表的列表")
    out = []
    for s in raw:
        if not isinstance(s, dict) or not {"key", "cite"} <= set(s) or set(s) - {"key", "cite", "url", "licence"}:
            raise ProfileError(where, "each source needs key and cite (and may have url, licence)",
                               "每个来源须有 key 和 cite（可有 url、licence）")
        out.append(p.Source(**{k: str(v) for k, v in s.items()}))
    return tuple(out)


def _section(where: str, name: str, raw: Any, base: Any, base_choices: Mapping[str, p.Choice],
             sources: set[str]) -> tuple[Any, list[p.Choice]]:
    """One section of a profile: its object (``base`` with the rules set) and its choices."""
    if not isinstance(raw, dict):
        raise ProfileError(where, f"[{name}] must be a table", f"[{name}] 须为表")
    known = {f.name for f in fields(base)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ProfileError(where, f"[{name}] has unknown rule(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}",
                           f"[{name}] 含未知规则 {', '.join(unknown)}")
    values: dict[str, Any] = {}
    choices = []
    for f in fields(base):
        key = f"{name}.{f.name}"
        if f.name not in raw:
            inherited = base_choices.get(key)
            note = inherited.note if inherited else ""
            choices.append(p.Choice(key, _show(getattr(base, f.name)), "default", note,
                                    inherited.source if inherited else ""))
            continue
        rule = raw[f.name]
        if not isinstance(rule, dict) or not {"value", "basis", "note"} <= set(rule) or set(rule) - {
                "value", "basis", "note", "source"}:
            raise ProfileError(where, f"{key} must be a table {{ value, basis, note[, source] }}",
                               f"{key} 须为 {{ value, basis, note[, source] }} 表")
        if rule["basis"] not in p.BASES[:-1]:
            raise ProfileError(where, f"{key}: basis must be one of {', '.join(p.BASES[:-1])}, not {rule['basis']!r}",
                               f"{key}：basis 须为 {', '.join(p.BASES[:-1])} 之一")
        source = str(rule.get("source", ""))
        if source and source not in sources:
            raise ProfileError(where, f"{key}: source {source!r} is not one of the file's [[sources]]",
                               f"{key}：来源 {source!r} 不在本文件的 [[sources]] 中")
        values[f.name] = _value(where, key, rule["value"], getattr(base, f.name))
        choices.append(p.Choice(key, _show(values[f.name]), rule["basis"], str(rule["note"]), source))
    return replace(base, **values), choices


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {v:g}" for k, v in value.items())
    if isinstance(value, tuple):
        return ", ".join(f"{v:g}" for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def load(path: Path, base: p.Edition | None = None) -> p.Edition:
    """The profile in ``path``; rules it does not set come from ``base`` (the ``vlrkit`` profile)."""
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(where, f"not a readable TOML file ({exc})", f"不是可读取的 TOML 文件（{exc}）") from None
    family = data.get("family")
    if family not in p.FAMILIES:
        raise ProfileError(where, f"family must be one of {', '.join(p.FAMILIES)}", f"family 须为 {', '.join(p.FAMILIES)} 之一")
    unknown = sorted(set(data) - set(_TOP) - set(FAMILY_SECTIONS[family]))
    if unknown:
        raise ProfileError(where, f"unknown key(s) {', '.join(unknown)}", f"未知键 {', '.join(unknown)}")
    name = data.get("name")
    if not isinstance(name, str) or not name or name != path.stem:
        raise ProfileError(where, "name must be given and equal the file's name", "name 须填写且与文件名一致")
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ProfileError(where, "version must be given (text)", "须填写 version（文本）")
    sources = _sources(where, data.get("sources", []))
    keys = {s.key for s in sources}
    cls: type[p.Edition] = p.SdsnEdition if family == "sdsn" else p.ProgressEdition
    template = base if isinstance(base, cls) else cls(name, family, version, {}, {}, (), ())
    base_choices = {c.key: c for c in template.choices}
    parts: dict[str, Any] = {}
    choices: list[p.Choice] = []
    for section in FAMILY_SECTIONS[family]:
        obj, made = _section(where, section, data.get(section, {}), getattr(template, section), base_choices, keys)
        parts[section] = obj
        choices += made
    return cls(name=name, family=family, version=version, title=_text(where, "title", data.get("title")),
               summary=_text(where, "summary", data.get("summary")), sources=sources, choices=tuple(choices),
               **parts)
