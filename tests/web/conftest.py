"""Fixtures of the web tests: a small review (a draft and a published edition) built with the
store's models, one user per role, and a published site folder."""

from __future__ import annotations

from datetime import date

import pytest

from vlrkit.web import roles as r

ENTITY = "TESTVILLE"
DRAFT = "vlr-2025"
PUBLISHED = "vlr-2021"
INDICATOR = "T-11-2-1"
OTHER_INDICATOR = "T-3-4-1"
CONTRIBUTION = "C-0001"
PASSWORD = "correct-horse-battery-staple-9"


@pytest.fixture
def publish_dir(tmp_path, monkeypatch):
    folder = tmp_path / "published"
    monkeypatch.setenv("VLRKIT_PUBLISH_DIR", str(folder))
    for lang in ("en", "zh-Hans"):
        site = folder / ENTITY / PUBLISHED / "html" / lang
        site.mkdir(parents=True)
        (site / "index.html").write_text(f"<html><body>published {lang}</body></html>", encoding="utf-8")
    return folder


def _edition(entity, code: str, year: int, status: str):
    from vlrkit.store import models as m

    ed = m.Edition.objects.create(
        entity=entity, code=code, year=year, period_start=2015, period_end=year - 1,
        languages=["zh-Hans", "en"], title={"en": f"Testville VLR {year}", "zh-Hans": f"测试市 {year} 年自愿地方审查"},
        status=status,
    )
    for code_, goal, names, direction in (
        (INDICATOR, 11, {"en": "Share of residents near public transport", "zh-Hans": "公交便利人口比例"}, "higher"),
        (OTHER_INDICATOR, 3, {"en": "Mortality from NCDs", "zh-Hans": "非传染性疾病死亡率"}, "lower"),
    ):
        # the city states each direction (a direction is never assumed: vlrkit.assess.specs)
        ind = m.LocalIndicator.objects.create(edition=ed, code=code_, names=names, goal=goal, unit="%",
                                              direction=direction)
        m.SdgLink.objects.create(indicator=ind, target=f"{goal}.{'2' if goal == 11 else '4'}", grade="adapted")
        for y, v in ((2015, 60.0), (2018, 64.0), (2021, 70.0)):
            m.Observation.objects.create(indicator=ind, period=str(y), year=y, value=v, unit="%")
        m.Observation.objects.create(indicator=ind, period="2021", year=2021, value=66.0, unit="%", sex="F")
    m.Narrative.objects.create(edition=ed, section="GE-1", lang="en", text="Opening statement.")
    holder = m.Stakeholder.objects.create(edition=ed, code="S-1", names={"en": "Youth Council"}, kind="youth")
    m.Contribution.objects.create(
        edition=ed, code=CONTRIBUTION, stakeholder=holder, date=date(2025, 3, 1), lang="en",
        text="More bus lanes please.", goals=[11],
    )
    m.Action.objects.create(edition=ed, code="A-1", title={"en": "Bus lanes"}, owner="Transport office",
                            deadline=date(2020, 1, 1), status="planned", targets=["11.2"])
    return ed


#: Text of some substance in each language, so that an edition passes the publish gate.
FULL_TEXT = {
    "en": "Testville reports on this part of the review with the departments concerned and its residents.",
    "zh-Hans": "测试市会同有关部门和市民，就本部分内容进行了认真梳理，并如实报告进展与不足。",
}


def fill_narratives(ed) -> None:
    """Give every section of edition ``ed`` a text of substance in both languages (nothing then
    blocks its publication: vlrkit.report.gates)."""
    from vlrkit.review import SECTIONS
    from vlrkit.store import models as m

    for section in SECTIONS:
        for lang, text in FULL_TEXT.items():
            m.Narrative.objects.update_or_create(edition=ed, section=section, lang=lang,
                                                 defaults={"text": f"{text} ({section})"})


@pytest.fixture
def review(db, publish_dir):
    """A draft and a published edition of one city."""
    from vlrkit.store import models as m

    entity = m.Entity.objects.create(code=ENTITY, names={"en": "Testville", "zh-Hans": "测试市"})
    return {"draft": _edition(entity, DRAFT, 2025, "draft"),
            "published": _edition(entity, PUBLISHED, 2021, "published")}


@pytest.fixture
def users(db):
    """One user per role: the admin installation-wide (a superuser), every other role in every
    edition of Testville; the data provider is assigned goal 11 only."""
    from vlrkit.web.accounts import add_user

    out = {}
    for role in r.ROLES:
        out[role] = add_user(role, PASSWORD, roles=[role], entity="" if role == r.ADMIN else ENTITY,
                             goals=[11] if role == r.DATA_PROVIDER else ())
    return out


@pytest.fixture
def as_role(client, users):
    """``as_role(role)`` -> a test client logged in with that role (None: anonymous)."""
    from django.test import Client

    def make(role: str | None) -> Client:
        c = Client()
        if role is not None:
            c.force_login(users[role])
        return c

    return make


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """Tests create many users: a fast hasher here; production uses scrypt (test_security checks)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches(settings, tmp_path):
    """Each test starts with empty caches (edition status, memberships, memoised pages)."""
    settings.VLRKIT_VERSION_FILE = str(tmp_path / "data.version")
    from django.core.cache import cache

    from vlrkit.web import editions, snapshot

    cache.clear()
    snapshot.clear()
    editions.forget()
    yield
    cache.clear()
    snapshot.clear()
    editions.forget()


_FORM = __import__("re").compile(r"<form\b([^>]*)>(.*?)</form>", __import__("re").S)
_INPUT = __import__("re").compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_NAMES = __import__("re").compile(r'name="([^"]+)"')


def post_form(client, url: str, data: dict, *, page: str | None = None, **extra):
    """POST ``data`` as a person would: through the form that holds these fields on the page
    at ``page`` (default: ``url`` itself; otherwise the form there that posts to ``url``), with
    the version stamps that form carries (optimistic concurrency) unless ``data`` gives them."""
    import html as html_lib

    html = client.get(page or url, **extra).content.decode()
    best, score = None, -1
    for attrs, body in _FORM.findall(html):
        if page is not None and f'action="{url}"' not in attrs:
            continue
        hidden = dict(_INPUT.findall(body))
        if "part" in data and hidden.get("part") != data["part"]:
            continue
        stamped = any(n == "version" or n.endswith("-version") or n == "versions" for n in hidden)
        overlap = 2 * len(set(_NAMES.findall(body)) & set(data)) + stamped
        if overlap > score:
            best, score = hidden, overlap
    full = dict(data)
    for name, value in (best or {}).items():
        if (name == "version" or name.endswith("-version") or name == "versions") and name not in full:
            full[name] = html_lib.unescape(value)
    return client.post(url, full, **extra)


@pytest.fixture
def run_jobs():
    """``run_jobs()`` runs the queued background jobs in this process, as the worker would but
    without its child processes (the test's transaction holds the data); returns how many ran."""
    from vlrkit.web.jobs.runner import drain

    return drain


def follow_job(client, response):
    """After a request that started a background job (and landed on its page): run the queued
    jobs, then go where the job page leads (the page itself when it leads nowhere)."""
    import re

    from vlrkit.web.jobs.runner import drain

    url = response.redirect_chain[-1][0] if getattr(response, "redirect_chain", None) else response["Location"]
    assert "/jobs/" in url, url
    drain()
    page = client.get(url)
    nxt = re.search(r'data-next="([^"]*)"', page.content.decode()).group(1)
    if not nxt:
        page.final_url = url
        return page
    out = client.get(nxt, follow=True)
    out.final_url = out.redirect_chain[-1][0] if out.redirect_chain else nxt
    return out
