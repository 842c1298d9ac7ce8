"""The memoised database sessions of ``vlr serve``: a log-out (or any session change) in any
process ends the memo in every process, expiry still applies, and log-in works as before."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from tests.web.conftest import DRAFT, ENTITY, PASSWORD

from vlrkit.web import sessions


@pytest.fixture(autouse=True)
def _engine(settings):
    settings.SESSION_ENGINE = "vlrkit.web.sessions"
    sessions._memo.clear()
    yield
    sessions._memo.clear()


def _another_process_changed_a_session() -> None:
    """What :func:`sessions.bump` does in another process: only the file changes here."""
    path = sessions._version_file()
    path.touch()
    os.utime(path, ns=(time.time_ns(), sessions.version() + 1_000_000))


@pytest.mark.django_db
def test_memo_serves_reads_until_another_process_changes_a_session():
    store = sessions.SessionStore()
    store["who"] = "coordinator"
    store.create()
    key = store.session_key
    assert sessions.SessionStore(key).load() == {"who": "coordinator"}  # read once, memoised
    Session.objects.filter(session_key=key).delete()  # deleted by another process...
    assert sessions.SessionStore(key).load() == {"who": "coordinator"}  # ...not yet announced
    _another_process_changed_a_session()
    assert sessions.SessionStore(key).load() == {}


@pytest.mark.django_db
def test_expired_session_is_not_served_from_the_memo():
    store = sessions.SessionStore()
    store["who"] = "editor"
    store.create()
    key = store.session_key
    assert sessions.SessionStore(key).load()
    version, _, data = sessions._memo[key]
    sessions._memo[key] = (version, timezone.now() - timedelta(seconds=1), data)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert sessions.SessionStore(key).load() == {}


@pytest.mark.django_db
def test_log_in_and_log_out_through_the_pages(review, users):
    from django.test import Client

    c = Client()
    login = c.get("/accounts/login/")
    assert login.status_code == 200
    r = c.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD})
    assert r.status_code == 302
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200
    assert c.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200  # from the memo
    old_key = c.cookies["sessionid"].value
    other = Client()
    other.cookies["sessionid"] = old_key  # the same browser session seen by another client
    assert other.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 200
    assert c.post("/accounts/logout/").status_code in (200, 302)
    assert other.get(f"/review/{ENTITY}/{DRAFT}/").status_code == 302  # the log-out ended it everywhere
    assert not Session.objects.filter(session_key=old_key).exists()
