"""The Markdown sanitiser: whatever a narrative holds, the HTML it gives is inert."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from vlrkit.report.markdown import to_html, to_text

FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))", "<svg onload=alert(1)>", "<iframe src=//evil>", "<style>*{}</style>",
    "<b onmouseover=alert(1)>b</b>", "<p style='x'>p</p>", "**粗体。**正文", "# 标题", "- item",
    "<div onclick='x'>d</div>", "&lt;script&gt;", "<scr<script>ipt>", "<!-- c -->", "`<script>`",
    "<a href=\"JaVaScRiPt:alert(1)\">y</a>", "<form action=x><input></form>", " ", "\n\n", "text",
]


def _inert(html: str) -> bool:
    tags = re.findall(r"<\s*(\w+)([^>]*)>", html)
    return all(
        name.lower() not in {"script", "iframe", "style", "svg", "img", "form", "input", "div"}
        and not re.search(r"\son\w+\s*=", attrs, re.I)
        and not re.search(r"href\s*=\s*[\"']?\s*javascript:", attrs, re.I)
        and "style=" not in attrs
        for name, attrs in tags
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join))
def test_any_mix_of_payloads_comes_out_inert(markdown):
    assert _inert(to_html(markdown))


def test_markdown_still_works():
    html = to_html("# Title\n\n**粗体。**正文 and *em*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h2>Title</h2>" in html  # h1 belongs to the section
    assert "<strong>粗体。</strong>正文" in html and "<em>em</em>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert to_text("Hi <script>alert(1)</script>**there**") == "Hi there"
