"""Goal icons drawn by vlrkit (SVG, no network, no font download).

The official SDG icons belong to the UN and come with usage rules; these are our own plain
tiles in the official colour with the goal number and short title, in any of the six languages.
"""

from __future__ import annotations

from html import escape

from vlrkit.sdg.catalogue import goal
from vlrkit.sdg.colours import text_colour

FONT_STACK = "'Noto Sans CJK SC','Noto Sans SC','Noto Sans',Arial,'Microsoft YaHei',sans-serif"


def _lines(text: str, per_line: int) -> list[str]:
    """Break a short title into at most three lines (by words, or by characters for CJK)."""
    cjk = any("\u3000" <= ch <= "\u9fff" for ch in text)
    if cjk:
        return [text[i : i + per_line // 2] for i in range(0, len(text), per_line // 2)][:3]
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3]


def icon_svg(number: int, lang: str = "en", size: int = 96) -> str:
    """An SVG tile for goal ``number`` with its short title in ``lang``."""
    g = goal(number)
    fg = text_colour(g.colour)
    title = g.short_title(lang)
    rtl = ' direction="rtl"' if lang == "ar" else ""
    texts = "".join(
        f'<text x="8" y="{62 + 11 * i}" font-size="10"{rtl}>{escape(line)}</text>'
        for i, line in enumerate(_lines(title.upper() if lang == "en" else title, 16))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 96 96" role="img" aria-label="{escape(g.title(lang))}">'
        f"<title>{escape(g.title(lang))}</title>"
        f'<rect width="96" height="96" fill="{g.colour}"/>'
        f'<g fill="{fg}" font-family="{FONT_STACK}" font-weight="700">'
        f'<text x="8" y="40" font-size="34">{g.number}</text>{texts}</g></svg>'
    )
