"""A stakeholder sees their own contributions and their moderation status ("My contributions");
the link to the account is web state and never reaches the review or its package."""

from __future__ import annotations

from tests.web.conftest import DRAFT, ENTITY, PASSWORD, PUBLISHED, post_form

MINE = f"/review/{ENTITY}/{DRAFT}/contributions/mine/"


def _submit(client, organisation: str, text: str) -> str:
    response = client.post(f"/review/{ENTITY}/{DRAFT}/contribute/", {"organisation": organisation, "kind": "civil_society",
                                                       "text": text, "goals": ["6", "11"]})
    assert response.status_code == 200
    from vlrkit.store.models import Contribution

    return Contribution.objects.get(edition__code=DRAFT, text=text).code


def _rows(client) -> dict[str, str]:
    """code -> data-status of the rows of the visitor's "My contributions" table."""
    import re

    page = client.get(MINE)
    assert page.status_code == 200
    return dict(re.findall(r'<tr id="contribution-([^"]+)" data-status="([^"]+)">', page.content.decode()))


def test_a_stakeholder_follows_their_contributions_through_moderation(review, as_role, users):
    from vlrkit.store.models import Contribution
    from vlrkit.web.accounts import add_user

    me = as_role("stakeholder")
    first = _submit(me, "River Friends", "Clean the river banks.")
    second = _submit(me, "River Friends", "More trees on the embankment.")
    assert Contribution.objects.get(edition__code=DRAFT, code=first).submitted_by == users["stakeholder"]
    anonymous = _submit(as_role(None), "Anonymous Group", "Lower bus fares.")
    assert Contribution.objects.get(edition__code=DRAFT, code=anonymous).submitted_by is None
    from django.test import Client

    other = Client()
    other.force_login(add_user("stakeholder2", PASSWORD, roles=["stakeholder"]))
    theirs = _submit(other, "Youth Club", "A skate park, please.")

    assert _rows(me) == {first: "submitted", second: "submitted"}  # only their own, not C-0001 nor others'
    page = me.get(MINE).content.decode()
    assert "Pending moderation" in page and "Clean the river banks." in page and "Lower bus fares." not in page
    assert "2 contributions await moderation." in page
    coordinator = as_role("coordinator")
    post_form(coordinator, f"/review/{ENTITY}/{DRAFT}/contributions/{first}/moderate/", {"decision": "accepted"}, page=f"/review/{ENTITY}/{DRAFT}/participation/")
    post_form(coordinator, f"/review/{ENTITY}/{DRAFT}/contributions/{second}/moderate/", {"decision": "rejected"}, page=f"/review/{ENTITY}/{DRAFT}/participation/")
    assert _rows(me) == {first: "accepted", second: "rejected"}
    page = me.get(MINE).content.decode()
    assert "Accepted: it appears in the stakeholder annex" in page and "Not accepted" in page
    assert _rows(other) == {theirs: "submitted"}


def test_my_contributions_in_chinese_and_the_links(review, as_role):
    me = as_role("stakeholder")
    me.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    code = _submit(me, "河流之友", "清理河岸。")
    page = me.get(MINE).content.decode()
    assert "我的意见" in page and "等待审核" in page and code in page and "1 条意见等待审核。" in page
    assert MINE in me.get(f"/review/{ENTITY}/{DRAFT}/contribute/").content.decode()
    # visitors without the stakeholder role get no link (and no page)
    assert MINE not in as_role(None).get(f"/review/{ENTITY}/{DRAFT}/contribute/").content.decode()
    assert as_role("editor").get(MINE).status_code == 403
    # a published edition: the list stays readable, the form is closed
    published = as_role("stakeholder").get(f"/review/{ENTITY}/{PUBLISHED}/contributions/mine/")
    assert published.status_code == 200 and b"contribute/" not in published.content.split(b"<main")[-1]


def test_the_submitter_is_not_review_data(review):
    from django.test import Client

    from vlrkit.formats.package import package_files
    from vlrkit.store.queries import load_review
    from vlrkit.web.accounts import add_user

    client = Client()
    client.force_login(add_user("ana.riverside.77", PASSWORD, roles=["stakeholder"]))
    _submit(client, "River Friends", "Clean the river banks.")
    loaded = load_review(DRAFT)
    (c,) = [c for c in loaded.contributions if c.text == "Clean the river banks."]
    assert "submitted_by" not in type(c).__dataclass_fields__
    files = package_files(loaded)
    assert any(b"Clean the river banks." in data for data in files.values())
    assert not any(b"submitted_by" in data or b"ana.riverside.77" in data for data in files.values())
