"""One Vega-Lite specification per indicator chart: interactive in HTML, SVG/PNG for PDF and DOCX.

The chart shows the headline series (line and points), the baseline (a diamond) and the target
(a dashed rule labelled with its year and value).  :func:`spec` builds the specification; the
HTML site embeds it with the vendored vega-embed, and :func:`render_svg` / :func:`render_png`
turn the same specification into static images with vl-convert, using a CJK font so Chinese
units and labels render.  The static charts carry no language-specific text beyond the unit, so
one SVG (for the PDF) and one print-resolution PNG (for the DOCX) per chart serve every language
of the report; :class:`ChartFiles` keeps them on disk between runs.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from vlrkit.report.model import IndicatorView

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: The font family charts ask for (Debian fonts-noto-cjk); falls back to sans-serif.
CHART_FONT = "Noto Sans CJK SC"
WIDTH, HEIGHT = 520, 220
LINE_COLOUR = "#1F4E79"
TARGET_COLOUR = "#B3261E"
BASELINE_COLOUR = "#6B4E16"
#: Scale of the static chart images (PDF and DOCX): 2.5 × 520 px over 150 mm ≈ 220 dpi.
PRINT_SCALE = 2.5
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def spec(ind: IndicatorView, lang: str | None = None, colour: str = LINE_COLOUR) -> dict[str, Any]:
    """The Vega-Lite specification of ``ind``'s chart.

    With ``lang`` the spec is the interactive one (axis titles and tooltips in that language);
    without, it is the language-neutral static one used for PDF and DOCX.
    """
    from vlrkit.report.i18n import label

    values = [{"year": y, "period": p, "value": v} for y, p, v in ind.series]
    years = [y for y, _, _ in ind.series]
    if ind.target and ind.target.year:
        years.append(ind.target.year)
    x = {
        "field": "year",
        "type": "quantitative",
        "scale": {"domain": [min(years), max(years)], "nice": False} if years else {},
        "axis": {"format": "d", "tickMinStep": 1, "labelOverlap": True, "labelFlush": True, "grid": False,
                 "title": label("year", lang) if lang else None},
    }
    y = {"field": "value", "type": "quantitative", "scale": {"zero": False},
         "axis": {"title": ind.unit or None}}
    line: dict[str, Any] = {
        "mark": {"type": "line", "point": {"filled": True, "size": 40}, "color": colour, "strokeWidth": 2},
        "encoding": {"x": x, "y": y},
    }
    if lang:
        line["encoding"]["tooltip"] = [
            {"field": "period", "type": "nominal", "title": label("year", lang)},
            {"field": "value", "type": "quantitative", "title": label("value", lang), "format": ",.2~f"},
        ]
    layers: list[dict[str, Any]] = [line]
    if ind.baseline and ind.baseline.year is not None:
        layers.append({
            "data": {"values": [{"year": ind.baseline.year, "value": ind.baseline.value}]},
            "mark": {"type": "point", "shape": "diamond", "size": 160, "filled": True,
                     "color": BASELINE_COLOUR},
            "encoding": {"x": {"field": "year", "type": "quantitative"},
                         "y": {"field": "value", "type": "quantitative"}},
        })
    if ind.target and ind.target.value is not None:
        t = {"value": ind.target.value, "label": f"{ind.target.year}: {ind.target.text}"}
        layers.append({
            "data": {"values": [t]},
            "mark": {"type": "rule", "strokeDash": [6, 4], "color": TARGET_COLOUR, "strokeWidth": 1.5},
            "encoding": {"y": {"field": "value", "type": "quantitative"}},
        })
        layers.append({
            "data": {"values": [t]},
            "mark": {"type": "text", "align": "right", "baseline": "bottom", "dy": -3,
                     "color": TARGET_COLOUR, "x": "width"},
            "encoding": {"y": {"field": "value", "type": "quantitative"}, "text": {"field": "label"}},
        })
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "width": WIDTH if not lang else "container",
        "height": HEIGHT,
        "data": {"values": values},
        "layer": layers,
        "config": {**_font(ind, lang), "view": {"stroke": None},
                   "axis": {"labelFontSize": 11, "titleFontSize": 12}},
    }


def _font(ind: IndicatorView, lang: str | None) -> dict[str, str]:
    """Ask for the CJK font where the chart has CJK text.

    Measuring text with the large CJK font makes vl-convert about five times slower, so the
    language-neutral static charts (numbers, years and the unit) use it only when the unit is
    written in CJK characters.
    """
    if lang or _CJK.search(ind.unit or ""):
        return {"font": CHART_FONT}
    return {}


def key(chart: dict[str, Any]) -> str:
    """A stable hash of a specification (for caching and file names)."""
    return hashlib.sha1(json.dumps(chart, sort_keys=True).encode()).hexdigest()[:16]


@lru_cache(maxsize=512)
def _svg(spec_json: str) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(json.loads(spec_json))


def render_svg(chart: dict[str, Any]) -> str:
    """The chart as SVG text (vl-convert; cached per specification)."""
    return _svg(json.dumps(chart, sort_keys=True))


@lru_cache(maxsize=512)
def _png(spec_json: str, scale: float) -> bytes:
    import vl_convert as vlc

    return vlc.svg_to_png(_svg(spec_json), scale=scale)


def render_png(chart: dict[str, Any], scale: float = PRINT_SCALE) -> bytes:
    """The chart as a PNG image (``scale`` × the SVG size; cached per specification)."""
    return _png(json.dumps(chart, sort_keys=True), scale)


def static_specs(indicators: Any) -> dict[str, dict[str, Any]]:
    """Key → language-neutral static spec for every indicator with data."""
    out = {}
    for i in indicators:
        if i.series:
            s = spec(i)
            out[key(s)] = s
    return out


def print_specs(reports: Iterable[Any]) -> list[dict[str, Any]]:
    """Every static chart the PDF and the DOCX of ``reports`` show, each once."""
    out: dict[str, dict[str, Any]] = {}
    for r in reports:
        for i in r.indicators():
            if i.series:
                s = spec(i)
                out.setdefault(key(s), s)
    return list(out.values())


class ChartFiles:
    """The static charts of a rendering as files in ``folder``/charts: ``<key>.svg`` for the PDF,
    ``<key>.png`` (print resolution) for the DOCX, each rendered once and kept — a re-run
    renders only the charts whose specification changed.  Safe to use from several threads
    (a file is written under a temporary name and renamed into place)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        (folder / "charts").mkdir(parents=True, exist_ok=True)

    def _path(self, chart: dict[str, Any], suffix: str) -> Path:
        return self.folder / "charts" / f"{key(chart)}.{suffix}"

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        tmp = path.with_name(f"{path.name}.{threading.get_ident()}.part")
        tmp.write_bytes(data)
        tmp.replace(path)

    def svg(self, chart: dict[str, Any]) -> str:
        """The chart's SVG file, relative to :attr:`folder` (rendered if missing)."""
        path = self._path(chart, "svg")
        if not path.exists():
            self._write(path, render_svg(chart).encode("utf-8"))
        return path.relative_to(self.folder).as_posix()

    def png(self, chart: dict[str, Any]) -> bytes:
        """The chart as a print-resolution PNG (rendered from its SVG if missing)."""
        path = self._path(chart, "png")
        if path.exists():
            return path.read_bytes()
        import vl_convert as vlc

        data = vlc.svg_to_png((self.folder / self.svg(chart)).read_text("utf-8"), scale=PRINT_SCALE)
        self._write(path, data)
        return data

    def missing(self, charts: Iterable[dict[str, Any]], suffix: str) -> list[dict[str, Any]]:
        """The charts of ``charts`` whose ``suffix`` file is not there yet (each once)."""
        seen: dict[str, dict[str, Any]] = {}
        for c in charts:
            k = key(c)
            if k not in seen and not (self.folder / "charts" / f"{k}.{suffix}").exists():
                seen[k] = c
        return list(seen.values())
