"""A country's series as the UN SDG data structure carries them: SDMX-ML or SDMX-CSV in the SDG
DSD (the form national statistics offices report to the UN Global SDG Database, and in which
Open SDG platforms publish their ``sdmx-data``), read as a *national* review for
:mod:`vlrkit.compare.vertical`.

What :func:`load` does with the file, and why:

- **one area.** A file may hold the nation and its provinces (Rwanda's ``RW`` beside ``1``, ``11``…).
  The nation is the ``area`` the user names (the file's own ``REF_AREA`` code); without one, a file
  of a single area is taken whole and a file of several is refused with every area and its row
  count, so that a province is never taken for the country. The rows of the other areas are
  counted in :attr:`Loaded.rejected`, never silently mixed in.
- **one indicator per SDG series code** (``SI_POV_DAY1``), linked *identical* to every global
  indicator the series serves (the SDG series code list, :func:`vlrkit.formats.sdmx.dsd.indicators_of`).
  A series code the code list does not know is kept, without a link, and named in the warnings.
- **units as published**: ``UNIT_MEASURE`` (``PT``, ``PER_100000_POP``) is the unit,
  :mod:`vlrkit.sdg.units` reads these codes; a ``UNIT_MULT`` other than 0 stays in the unit
  (``NUMBER ×10^3``) so that thousands are never compared with units.
- **totals**: the DSD's total codes (``_T``, ``_Z``, ``_X``) in a dimension mean "not broken
  down" and become empty, as a tidy table writes a total.
- rows the SDMX reader rejects (an unreadable value, a bad period) are counted, with the reader's
  problems, in :attr:`Loaded.errors`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from vlrkit import sdg, tidy
from vlrkit.compare.sources import Loaded, SourceNotReadable, review_of
from vlrkit.formats.limits import DEFAULT as DEFAULT_LIMITS
from vlrkit.formats.limits import Limits, Refusal
from vlrkit.formats.sdmx import dsd
from vlrkit.formats.sdmx import reader as sdmx_reader
from vlrkit.formats.sources import Member
from vlrkit.review import model as rm

__all__ = ["looks_sdg_sdmx", "load"]

#: Codes of the SDG DSD that mean "no breakdown" in a dimension.
TOTALS = frozenset({"_T", "_Z", "_X"})


def looks_sdg_sdmx(path: Path) -> bool:
    """A single ``.xml`` or ``.csv`` file (not a folder, not a zip): what :func:`load` reads."""
    return path.is_file() and path.suffix.lower() in (".xml", ".csv")


def _areas(obs: pl.DataFrame) -> list[tuple[str, int]]:
    counts = obs.filter(pl.col("entity").is_not_null()).group_by("entity").len().sort(["len", "entity"],
                                                                                        descending=[True, False])
    return [(str(a), int(n)) for a, n in counts.iter_rows()]


def _clean_breakdown(text: str | None) -> str:
    if not text:
        return ""
    try:
        parts = json.loads(text)
    except ValueError:
        return text
    if not isinstance(parts, dict):
        return text
    return tidy.breakdown_text({k: v for k, v in parts.items() if str(v) not in TOTALS})


def _unit(unit: str | None, labels: str | None) -> str:
    mult = ""
    if labels:
        try:
            mult = str(json.loads(labels).get("UNIT_MULT", "") or "")
        except ValueError:
            mult = ""
    base = unit or ""
    return f"{base} ×10^{mult}" if mult not in ("", "0") else base


def _title(code: str, indicators: tuple[str, ...]) -> dict[str, str]:
    for ind in indicators:
        try:
            titles = sdg.indicator(ind).titles
        except (KeyError, AttributeError, ValueError):
            continue
        return {"en": f"{code}: {titles.get('en', ind)}",
                **({"zh-Hans": f"{code}：{titles['zh-Hans']}"} if titles.get("zh-Hans") else {})}
    return {"en": code}


def load(path: Path | str, *, code: str, area: str | None = None, names: Mapping[str, str] | None = None,
         country: str = "", limits: Limits = DEFAULT_LIMITS) -> tuple[Loaded, tuple[str, ...]]:
    """Read an SDG-DSD SDMX file as the national review ``code`` (see the module doc); returns
    the review as loaded and the warnings (en · zh-Hans). Raises :class:`SourceNotReadable`."""
    p = Path(path)
    try:
        limits.check("file_bytes", p.stat().st_size)
        data = p.read_bytes()
    except OSError as exc:
        raise SourceNotReadable(f"{p}: cannot be read ({exc.strerror}) / 无法读取") from None
    except Refusal as exc:
        raise SourceNotReadable(f"{p}: {exc.problem(p.name).message['en']}") from None
    parsed = sdmx_reader.read([Member(p.name, data)], limits)
    errors = [x for x in parsed.problems if x.severity == "error"]
    obs = parsed.observations
    if "_reject" in obs.columns:
        rejected_rows = int(obs["_reject"].sum() or 0)
        obs = obs.filter(~pl.col("_reject")).drop("_reject")
    else:
        rejected_rows = 0
    if obs.is_empty():
        why = "; ".join(x.message["en"] for x in errors[:3]) or "no observations"
        raise SourceNotReadable(f"{p}: not SDMX data in the SDG data structure ({why}) / "
                                f"不是 SDG 数据结构的 SDMX 数据")
    areas = _areas(obs)
    listing = ", ".join(f"{a} ({n} rows)" for a, n in areas[:12]) + (f" and {len(areas) - 12} more"
                                                                     if len(areas) > 12 else "")
    if area is None:
        if len(areas) > 1:
            raise SourceNotReadable(
                f"{p}: the file holds {len(areas)} areas in REF_AREA: {listing}; name the country's with --area / "
                f"文件含 {len(areas)} 个地区（REF_AREA），请用 --area 指明国家的代码")
        area = areas[0][0] if areas else None
    elif area not in {a for a, _ in areas}:
        raise SourceNotReadable(f"{p}: no rows with REF_AREA {area!r}; the file holds {listing} / "
                                f"文件中没有 REF_AREA 为 {area!r} 的行")
    other_rows = int(obs.filter(pl.col("entity") != area).height) if area else 0
    obs = obs.filter(pl.col("entity") == area) if area else obs
    dims = [d for d in tidy.DIMENSIONS if d in obs.columns]
    obs = obs.with_columns(
        *[pl.when(pl.col(d).is_in(list(TOTALS))).then(None).otherwise(pl.col(d)).alias(d) for d in dims],
        pl.col("breakdown").map_elements(_clean_breakdown, return_dtype=pl.String).alias("breakdown"),
        pl.struct("unit", "labels").map_elements(lambda s: _unit(s["unit"], s["labels"]),
                                                 return_dtype=pl.String).alias("unit"),
        pl.col("indicator").alias("series"),
        pl.lit(code).alias("entity"),
    )
    indicators: list[rm.LocalIndicator] = []
    links: list[rm.SdgLink] = []
    unknown: list[str] = []
    for series in sorted(obs["indicator"].unique().to_list()):
        serves = dsd.indicators_of(series)
        if not serves:
            unknown.append(series)
        goal = int(serves[0].split(".")[0]) if serves else 17
        units = obs.filter(pl.col("indicator") == series)["unit"].unique().to_list()
        indicators.append(rm.LocalIndicator(series, _title(series, serves), goal,
                                            unit=units[0] if len(units) == 1 else "", direction="unknown",
                                            source=p.name, aggregation="national"))
        for ind in serves:
            links.append(rm.SdgLink(series, ind.rsplit(".", 1)[0], ind, "identical",
                                    {"en": "the SDG series code list: this series serves the indicator",
                                     "zh-Hans": "SDG 序列代码表：该序列服务于此指标"}))
    warnings = []
    if other_rows:
        warnings.append(f"{other_rows} rows of other areas (not {area}) left out / 其他地区的 {other_rows} 行未纳入")
    if unknown:
        warnings.append(f"{len(unknown)} series not in the SDG series code list (no global link): "
                        f"{', '.join(unknown[:10])} / {len(unknown)} 个序列不在 SDG 序列代码表中（无全球指标关联）")
    review = review_of(obs, tuple(indicators), tuple(links), code=code, names=dict(names or {"en": code}),
                       level="national", country=country)
    return Loaded(review, str(p), "sdg-sdmx", rejected_rows + other_rows, len(errors)), tuple(warnings)
