"""Check a static site: every internal link and resource resolves, nothing loads from the web."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()
        self.headings: list[int] = []
        self.imgs_without_alt = 0
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.lang = a.get("lang")
        for attr in ("href", "src"):
            if a.get(attr):
                self.refs.append((tag, attr, a[attr]))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "img" and not a.get("alt"):
            self.imgs_without_alt += 1


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    """Every internal href/src of every page that does not resolve (file or #anchor)."""
    pages = {p.resolve(): parse(p) for p in site.rglob("*.html")}
    problems = []
    for path, page in pages.items():
        for _tag, attr, url in page.refs:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                problems.append(f"{path.name}: external {attr} {url}")
                continue
            if parts.scheme in ("mailto", "data"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.exists():
                problems.append(f"{path.relative_to(site.resolve().parent)}: {url} does not exist")
                continue
            if parts.fragment and target.suffix == ".html":
                if parts.fragment not in pages[target].ids:
                    problems.append(f"{path.name}: anchor #{parts.fragment} missing in {target.name}")
    return problems
