"""The writer of ``bench/web_load.py``: one person saving through the real forms while the
readers read.

It alternates a narrative save and an indicator metadata save, each as a browser does it: GET
the edit page, read the form (CSRF token, version stamp, every field as shown), change one
field to a marker that names the write, POST, and expect the redirect of a saved form (302).
After the run :func:`lost_writes` looks for every marker in the store's history: a write that
answered 302 but is not there was lost.
"""

from __future__ import annotations

import statistics
import threading
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

#: The narrative section and language the writer saves (the readers' dashboard shows its completeness).
SECTION, LANG = "GE-10", "en"
#: Marker prefixes, so that each write can be found again in the history.
NARRATIVE_MARK = "Bench write"
SOURCE_MARK = "bench source"


class Forms(HTMLParser):
    """Every ``<form>`` of a page with its fields as a browser would submit them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {}
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form[a["name"]] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = a.get("name", "")
            self._form[self._textarea] = ""
        elif tag == "select":
            self._select, self._first_option = a.get("name", ""), None
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = a.get("value", "")
                self._form.setdefault(self._select, self._first_option)
            if "selected" in a:
                self._form[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            if self._form is not None and self._textarea is not None:
                self._form[self._textarea] = self._form[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _form(html: bytes, marker: tuple[str, str]) -> dict[str, str]:
    parser = Forms()  # unescapes entities in text and attributes itself
    parser.feed(html.decode())
    for form in parser.forms:
        if form.get(marker[0]) == marker[1]:
            return form
    raise RuntimeError(f"no form with {marker[0]}={marker[1]!r}")


class Writer(threading.Thread):
    """Saves every ``interval`` seconds until ``stop`` is set; counts its writes and errors."""

    def __init__(self, client, edition: str, indicator: str, interval: float) -> None:
        super().__init__(daemon=True)
        self.client, self.interval = client, interval
        self.narrative = f"/review/{edition}/narrative/{SECTION}/{LANG}/"
        self.indicator = f"/review/{edition}/indicators/{indicator}/edit/"
        self.stop = threading.Event()
        self.saved: list[tuple[str, str]] = []  # (kind, marker) of every write answered 302
        self.errors = 0
        self.latencies: list[float] = []

    def _save(self, url: str, marker: tuple[str, str], change: dict[str, str]) -> bool:
        t0 = time.perf_counter()
        _status, _headers, page = self.client.request("GET", url)
        fields = {**_form(page, marker), **change}
        body = urlencode(fields)
        status, _headers, _page = self.client.request("POST", url, body, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1" + url})
        self.latencies.append((time.perf_counter() - t0) * 1000)
        return status == 302

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                if n % 2:
                    text = f"{NARRATIVE_MARK} #{n}: the city reports on its progress and next steps."
                    ok = self._save(self.narrative, ("lang", LANG), {"text": text})
                    kind, mark = "narrative", text
                else:
                    mark = f"{SOURCE_MARK} #{n}"
                    ok = self._save(self.indicator, ("part", "meta"), {"source": mark})
                    kind = "indicator"
            except (OSError, RuntimeError):
                ok = False
            if ok:
                self.saved.append((kind, mark))
            else:
                self.errors += 1
            self.stop.wait(self.interval)

    def p95_ms(self) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=20)[18]


def lost_writes(db, saved: list[tuple[str, str]], edition: str, indicator: str) -> int:
    """Writes answered as saved whose marker is not in the store's history (or, for the last
    write of each kind, not the current value)."""
    from vlrkit.store import setup

    setup(db)
    from vlrkit.store.models import LocalIndicator, Narrative

    entity, code = edition.split("/")
    narratives = set(Narrative.history.filter(edition__entity__code=entity, edition__code=code, section=SECTION,
                                              lang=LANG).values_list("text", flat=True))
    sources = set(LocalIndicator.history.filter(edition__entity__code=entity, edition__code=code,
                                                code=indicator).values_list("source", flat=True))
    lost = sum(1 for kind, mark in saved if mark not in (narratives if kind == "narrative" else sources))
    last = {kind: mark for kind, mark in saved}
    if "narrative" in last and Narrative.objects.get(edition__entity__code=entity, edition__code=code,
                                                      section=SECTION, lang=LANG).text != last["narrative"]:
        lost += 1
    if "indicator" in last and LocalIndicator.objects.get(edition__entity__code=entity, edition__code=code,
                                                           code=indicator).source != last["indicator"]:
        lost += 1
    return lost
