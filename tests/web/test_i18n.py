"""The UI catalogues are complete (zh-Hans and en), compiled, and used by the pages."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from tests.web.conftest import DRAFT, ENTITY

import vlrkit

LOCALE = Path(vlrkit.__file__).parent / "locale"
WEB = Path(vlrkit.__file__).parent / "web"


def _entries(po: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) of every entry of a .po file (a small reader, enough for ours)."""
    out, cur, field, fuzzy = [], None, None, False
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        m = re.match(r'(msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$', line)
        if m:
            if m.group(1) == "msgid":
                cur = {"id": "", "str": [], "fuzzy": fuzzy}
                fuzzy = False
                out.append(cur)
                field = "id"
            elif m.group(1).startswith("msgstr"):
                cur["str"].append("")
                field = "str"
            else:
                field = "plural"
            value = ast.literal_eval(m.group(2))
        elif line.startswith('"') and cur is not None:
            value = ast.literal_eval(line)
        else:
            continue
        if field == "id":
            cur["id"] += value
        elif field == "str":
            cur["str"][-1] += value
    return [(e["id"], e["str"], e["fuzzy"]) for e in out if e["id"]]


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_catalogue_complete_and_compiled(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    entries = _entries(po)
    assert len(entries) > 250
    untranslated = [i for i, strs, fuzzy in entries if fuzzy or not all(strs)]
    assert not untranslated, untranslated[:10]
    with (LOCALE / lang / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = [i for i, strs, _ in entries if mo.gettext(i) != strs[0]]
    assert not stale, f"django.mo is older than django.po: {stale[:5]}"


def test_every_template_string_is_in_the_catalogue():
    ids = {i for i, _, _ in _entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")}
    found = set()
    for t in WEB.rglob("*.html"):
        found |= set(re.findall(r'\{% translate "([^"]+)"', t.read_text(encoding="utf-8")))
        found |= set(re.findall(r"\{% translate '([^']+)'", t.read_text(encoding="utf-8")))
    missing = sorted(found - ids)
    assert not missing, missing


def test_chinese_zh_hans_pages(review, as_role):
    client = as_role("coordinator")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = client.get(f"/review/{ENTITY}/{DRAFT}/").content.decode()
    assert '<html lang="zh-Hans">' in html
    for zh in ("仪表板", "筛选", "指标", "后续行动"):
        assert zh in html
    for en in (">Dashboard<", ">Filter<", "Log out"):
        assert en not in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/review/{ENTITY}/{DRAFT}/").content.decode()
    assert ">Dashboard<" in html and "仪表板" not in html
