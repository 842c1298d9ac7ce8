"""Small server-rendered SVG line charts (no script needed, allowed by the strict CSP)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.html import escape

WIDTH, HEIGHT = 640, 260
PAD_L, PAD_R, PAD_T, PAD_B = 56, 16, 16, 40
#: line colours of the groups (colour-blind-safe palette), then repeated
PALETTE = ("#00689d", "#e5243b", "#4c9f38", "#fd9d24", "#8f3fa5", "#19486a", "#bf8b2e", "#0a97d9")


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi == lo:
        return [lo]
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}".rstrip("0").rstrip(".")


def line_chart(
    series: Mapping[str, Sequence[tuple[int, float]]],
    *,
    title: str,
    unit: str = "",
    target: tuple[int, float] | None = None,
) -> str:
    """An accessible SVG chart of ``series`` (label -> (year, value) points) with an optional target."""
    points = [p for s in series.values() for p in s]
    if not points:
        return ""
    years = [y for y, _ in points] + ([target[0]] if target else [])
    values = [v for _, v in points] + ([target[1]] if target else [])
    x0, x1 = min(years), max(years)
    y0, y1 = min(values), max(values)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    margin = (y1 - y0) * 0.08
    y0, y1 = y0 - margin, y1 + margin
    if y0 < 0 <= min(values):
        y0 = 0.0

    def sx(year: float) -> float:
        return PAD_L + (year - x0) / max(x1 - x0, 1) * (WIDTH - PAD_L - PAD_R)

    def sy(value: float) -> float:
        return HEIGHT - PAD_B - (value - y0) / (y1 - y0) * (HEIGHT - PAD_T - PAD_B)

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for t in _ticks(y0, y1):
        y = sy(t)
        out.append(f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e8ee"/>')
        out.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#5b6470">{_fmt(t)}</text>')
    span = x1 - x0
    step = 1 if span <= 10 else 2 if span <= 20 else 5
    for yr in range(x0, x1 + 1, step):
        out.append(f'<text x="{sx(yr):.1f}" y="{HEIGHT - PAD_B + 16}" font-size="11" text-anchor="middle" fill="#5b6470">{yr}</text>')
    if unit:
        out.append(f'<text x="{PAD_L}" y="{HEIGHT - 6}" font-size="11" fill="#5b6470">{escape(unit)}</text>')
    for i, (label, pts) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        pts = sorted(pts)
        path = " ".join(f"{'M' if j == 0 else 'L'}{sx(y):.1f},{sy(v):.1f}" for j, (y, v) in enumerate(pts))
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for y, v in pts:
            out.append(f'<circle cx="{sx(y):.1f}" cy="{sy(v):.1f}" r="3.5" fill="{colour}"><title>{escape(label)} {y}: {_fmt(v)}</title></circle>')
    if target:
        tx, ty = sx(target[0]), sy(target[1])
        out.append(f'<path d="M{tx - 6:.1f},{ty:.1f} L{tx:.1f},{ty - 6:.1f} L{tx + 6:.1f},{ty:.1f} L{tx:.1f},{ty + 6:.1f} Z" fill="#2e7d32"><title>target {target[0]}: {_fmt(target[1])}</title></path>')
    if len(series) > 1:
        for i, label in enumerate(series):
            x = PAD_L + 8 + (i % 4) * 140
            y = PAD_T + 12 + (i // 4) * 14
            out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
                       f'<text x="{x + 14}" y="{y}" font-size="11">{escape(label)}</text>')
    out.append("</svg>")
    return "".join(out)
