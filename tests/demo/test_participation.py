"""The demo's participation records and follow-up actions."""

from __future__ import annotations

from datetime import date

from vlrkit import sdg
from vlrkit.review import (
    ACTION_STATUSES,
    CONTRIBUTION_STATUSES,
    GROUPS,
    SECTIONS,
    STAKEHOLDER_TYPES,
)

#: The review is written in 2025: actions due before then and not finished are overdue.
REVIEW_DATE = date(2025, 1, 1)


def test_a_few_stakeholders_of_various_kinds(demo):
    assert 6 <= len(demo.stakeholders) <= 10
    assert len({s.code for s in demo.stakeholders}) == len(demo.stakeholders)
    assert len({s.kind for s in demo.stakeholders}) >= 5
    for s in demo.stakeholders:
        assert s.kind in STAKEHOLDER_TYPES
        assert set(s.groups) <= set(GROUPS)
        assert s.names["zh-Hans"] and s.names["en"]
    assert any(not s.consent for s in demo.stakeholders)  # one asked not to be named


def test_engagements_reach_groups(demo):
    codes = {s.code for s in demo.stakeholders}
    assert {"workshop", "survey", "hearing"} <= {e.format for e in demo.engagements}
    reached: set[str] = set()
    for e in demo.engagements:
        assert e.title["zh-Hans"] and e.title["en"]
        assert set(e.groups_reached) <= set(GROUPS)
        assert all(n > 0 for n in e.groups_reached.values())
        # a person is counted once per group but may belong to several groups
        assert max(e.groups_reached.values(), default=0) <= e.participants
        assert set(e.stakeholders) <= codes
        assert set(e.goals) <= set(range(1, 18))
        reached |= set(e.groups_reached)
    assert {"women", "youth", "persons_with_disabilities", "older_persons", "migrants"} <= reached


def test_contributions_in_both_languages_with_every_status(demo):
    stakeholders = {s.code for s in demo.stakeholders}
    engagements = {e.code: e for e in demo.engagements}
    statuses = [c.status for c in demo.contributions]
    assert set(statuses) == set(CONTRIBUTION_STATUSES)
    assert statuses.count("rejected") == 1
    assert {c.lang for c in demo.contributions} == {"zh-Hans", "en"}
    for c in demo.contributions:
        assert c.stakeholder in stakeholders and c.text
        assert c.section in SECTIONS
        assert c.engagement in engagements
        assert c.date >= engagements[c.engagement].date  # no input before its event


def test_actions_with_owners_deadlines_links_and_some_overdue(demo):
    indicators = {i.code for i in demo.indicators}
    overdue = []
    for a in demo.actions:
        assert a.status in ACTION_STATUSES
        assert a.owner and a.title["zh-Hans"] and a.title["en"]
        assert a.deadline is not None
        assert a.targets and a.indicators
        for t in a.targets:
            assert sdg.target(t).code == t
        assert set(a.indicators) <= indicators
        if a.deadline < REVIEW_DATE and a.status not in ("done", "cancelled"):
            overdue.append(a.code)
    assert len(overdue) == 3  # as the GE-8 narrative says
    assert {a.status for a in demo.actions} == set(ACTION_STATUSES)
