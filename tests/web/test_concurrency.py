"""Optimistic concurrency: two people edit the same thing from pages opened at the same time.
The second save never silently overwrites the first: separate fields merge, the same field
changed by both is refused with both versions shown and a choice to merge or overwrite."""

from __future__ import annotations

import re

import pytest
from tests.web.conftest import DRAFT, ENTITY, INDICATOR, PASSWORD

BASE = f"/review/{ENTITY}/{DRAFT}/"
NARRATIVE = BASE + "narrative/GE-1/en/"
INDICATOR_EDIT = BASE + f"indicators/{INDICATOR}/edit/"
ACTIONS = BASE + "actions/"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def hidden(html: str, form_marker: str = "", name: str = "version") -> str:
    """The value of hidden input ``name`` in the first form after ``form_marker``."""
    start = html.index(form_marker) if form_marker else 0
    for field, value in HIDDEN.findall(html[start:]):
        if field == name:
            return value.replace("&quot;", '"')
    raise AssertionError(f"no hidden {name} after {form_marker!r}")


@pytest.fixture
def two(review, users):
    """Two coordinators of Testville, each with their own browser session."""
    from django.test import Client

    from vlrkit.store.models import LocalIndicator
    from vlrkit.web.accounts import add_user

    ind = LocalIndicator.objects.get(edition=review["draft"], code=INDICATOR)
    ind.direction = "higher"  # as the metadata form's base values below (_meta) say
    ind.save()
    ana, ben = Client(), Client()
    ana.force_login(users["coordinator"])
    ben.force_login(add_user("ben", PASSWORD, roles=["coordinator"], entity=ENTITY))
    return ana, ben


def _narrative() -> str:
    from vlrkit.store.models import Narrative

    return Narrative.objects.get(edition__entity__code=ENTITY, edition__code=DRAFT, section="GE-1", lang="en").text


# --- narratives ----------------------------------------------------------------------------------


def test_narrative_second_save_is_refused_with_both_changes(two):
    ana, ben = two
    va = hidden(ana.get(NARRATIVE).content.decode())
    vb = hidden(ben.get(NARRATIVE).content.decode())
    assert va == vb != "0"
    ok = ana.post(NARRATIVE, {"text": "Opening statement by the mayor.", "version": va})
    assert ok.status_code == 302 and _narrative() == "Opening statement by the mayor."
    stale = ben.post(NARRATIVE, {"text": "Opening statement, revised by Ben.", "version": vb})
    assert stale.status_code == 409
    assert _narrative() == "Opening statement by the mayor."  # Ana's text stands
    page = stale.content.decode()
    assert 'id="conflict"' in page and "coordinator" in page  # who saved meanwhile
    assert "<ins>+ Opening statement by the mayor.</ins>" in page  # their change, as a diff
    assert "<ins>+ Opening statement, revised by Ben.</ins>" in page  # and Ben's
    assert "Opening statement, revised by Ben.</textarea>" in page  # his text kept in the form
    newer = hidden(page, 'id="narrative-form"')
    assert newer != vb
    # merge: Ben edits the text to hold both and saves over the current version
    merged = ben.post(NARRATIVE, {"text": "Opening statement by the mayor, revised by Ben.", "version": newer})
    assert merged.status_code == 302 and _narrative() == "Opening statement by the mayor, revised by Ben."


def test_narrative_overwrite_is_a_choice(two):
    ana, ben = two
    va, vb = hidden(ana.get(NARRATIVE).content.decode()), hidden(ben.get(NARRATIVE).content.decode())
    ana.post(NARRATIVE, {"text": "Ana's words.", "version": va})
    page = ben.post(NARRATIVE, {"text": "Ben's words.", "version": vb}).content.decode()
    overwrite = page[page.index('<form method="post" class="inline">'):page.index('id="overwrite"')]
    fields = dict(HIDDEN.findall(overwrite))
    assert fields["text"] == "Ben&#x27;s words." or fields["text"] == "Ben's words."
    assert ben.post(NARRATIVE, {"text": "Ben's words.", "version": fields["version"]}).status_code == 302
    assert _narrative() == "Ben's words."
    from vlrkit.store.models import Narrative

    texts = [h.text for h in Narrative.history.filter(section="GE-1", lang="en", edition__code=DRAFT,
                                                      edition__entity__code=ENTITY).order_by("history_id")]
    assert "Ana's words." in texts  # overwritten, never lost: it is in the history


def test_narrative_changes_to_different_lines_are_offered_merged(two):
    from vlrkit.store.models import Narrative

    n = Narrative.objects.get(edition__entity__code=ENTITY, edition__code=DRAFT, section="GE-1", lang="en")
    n.text = "First line.\nSecond line.\nThird line.\n"
    n.save()
    ana, ben = two
    va, vb = hidden(ana.get(NARRATIVE).content.decode()), hidden(ben.get(NARRATIVE).content.decode())
    ana.post(NARRATIVE, {"text": "First line, by Ana.\nSecond line.\nThird line.\n", "version": va})
    page = ben.post(NARRATIVE, {"text": "First line.\nSecond line.\nThird line, by Ben.\n", "version": vb})
    assert page.status_code == 409
    html = page.content.decode()
    assert "First line, by Ana.\nSecond line.\nThird line, by Ben.</textarea>" in html
    assert _narrative() == "First line, by Ana.\nSecond line.\nThird line."  # not saved until Ben says so


def test_a_new_narrative_written_by_two_at_once(two):
    url = BASE + "narrative/GE-2/en/"
    ana, ben = two
    va, vb = hidden(ana.get(url).content.decode()), hidden(ben.get(url).content.decode())
    assert va == vb == "0"
    assert ana.post(url, {"text": "Highlights by Ana.", "version": va}).status_code == 302
    assert ben.post(url, {"text": "Highlights by Ben.", "version": vb}).status_code == 409


def test_a_save_without_changes_keeps_the_newer_text(two):
    ana, ben = two
    va, vb = hidden(ana.get(NARRATIVE).content.decode()), hidden(ben.get(NARRATIVE).content.decode())
    ana.post(NARRATIVE, {"text": "Ana's newer text.", "version": va})
    again = ben.post(NARRATIVE, {"text": "Opening statement.", "version": vb})  # Ben changed nothing
    assert again.status_code == 302 and _narrative() == "Ana's newer text."


# --- indicators: metadata, direction, thresholds, targets -------------------------------------


def _meta(**changes) -> dict:
    base = {"part": "meta", "code": INDICATOR, "name_zh": "公交便利人口比例",
            "name_en": "Share of residents near public transport", "goal": "11", "unit": "%",
            "direction": "higher", "source": "", "custodian": "", "coverage": ""}
    return {**base, **changes}


def _indicator():
    from vlrkit.store.models import LocalIndicator

    return LocalIndicator.objects.get(edition__entity__code=ENTITY, edition__code=DRAFT, code=INDICATOR)


def test_indicator_edits_of_different_fields_both_land(two):
    ana, ben = two
    va = hidden(ana.get(INDICATOR_EDIT).content.decode(), 'value="meta"')
    vb = hidden(ben.get(INDICATOR_EDIT).content.decode(), 'value="meta"')
    assert ana.post(INDICATOR_EDIT, {**_meta(source="City statistics bureau"), "version": va}).status_code == 302
    saved = ben.post(INDICATOR_EDIT, {**_meta(custodian="Transport office"), "version": vb}, follow=True)
    assert saved.status_code == 200 and "their change was kept" in saved.content.decode()
    ind = _indicator()
    assert ind.source == "City statistics bureau" and ind.custodian == "Transport office"  # both kept


def test_indicator_direction_changed_by_both_is_refused(two):
    ana, ben = two
    va = hidden(ana.get(INDICATOR_EDIT).content.decode(), 'value="meta"')
    vb = hidden(ben.get(INDICATOR_EDIT).content.decode(), 'value="meta"')
    ana.post(INDICATOR_EDIT, {**_meta(direction="lower", unit="per cent"), "version": va})
    refused = ben.post(INDICATOR_EDIT, {**_meta(unit="percent"), "version": vb})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert 'data-field="unit"' in page and "per cent" in page and "percent" in page
    ind = _indicator()
    assert (ind.unit, ind.direction) == ("per cent", "lower")  # Ana's save stands
    # overwrite: the conflict panel's button posts Ben's values over the current version
    overwrite = dict(HIDDEN.findall(page[page.index('class="inline"'):page.index('id="overwrite"')]))
    assert ben.post(INDICATOR_EDIT, overwrite).status_code == 302
    ind = _indicator()
    assert ind.unit == "percent" and ind.direction == "lower"  # Ben's unit; Ana's direction, which he kept


def test_thresholds_saved_by_two(two):
    ana, ben = two
    page = ana.get(INDICATOR_EDIT).content.decode()
    va, vb = hidden(page, 'value="thresholds"'), hidden(ben.get(INDICATOR_EDIT).content.decode(), 'value="thresholds"')
    assert va == vb == "0"  # no thresholds yet
    body = {"part": "thresholds", "optimum": "100", "lower_bound": "0", "green": "80", "red": "40"}
    assert ana.post(INDICATOR_EDIT, {**body, "version": va}).status_code == 302
    refused = ben.post(INDICATOR_EDIT, {**body, "green": "90", "version": vb})
    assert refused.status_code == 409 and 'data-field="green"' in refused.content.decode()
    from vlrkit.store.models import Thresholds

    assert Thresholds.objects.get(indicator=_indicator()).green == 80


def test_targets_set_by_two(two):
    from vlrkit.store.models import Target

    ana, ben = two
    ma = hidden(ana.get(INDICATOR_EDIT).content.decode(), 'value="target"', "versions")
    mb = hidden(ben.get(INDICATOR_EDIT).content.decode(), 'value="target"', "versions")
    body = {"part": "target", "kind": "local", "year": "2030", "baseline_year": ""}
    assert ana.post(INDICATOR_EDIT, {**body, "value": "90", "versions": ma}).status_code == 302
    refused = ben.post(INDICATOR_EDIT, {**body, "value": "85", "versions": mb})
    assert refused.status_code == 409
    assert Target.objects.get(indicator=_indicator(), kind="local", year=2030).value == 90
    # a target of another year is no conflict: Ben's stale page may add it
    other = ben.post(INDICATOR_EDIT, {**body, "year": "2035", "value": "95", "versions": mb})
    assert other.status_code == 302
    assert Target.objects.get(indicator=_indicator(), kind="local", year=2035).value == 95
    # removing a target changed since the page was opened is refused too
    page = ana.get(INDICATOR_EDIT).content.decode()
    target = Target.objects.get(indicator=_indicator(), kind="local", year=2030)
    row = page[page.index(f'name="pk" value="{target.pk}"') - 200:]
    version = hidden(row, 'value="untarget"')
    ben.post(INDICATOR_EDIT, {**body, "value": "88", "versions": hidden(ben.get(INDICATOR_EDIT).content.decode(),
                                                                        'value="target"', "versions")})
    kept = ana.post(INDICATOR_EDIT, {"part": "untarget", "pk": target.pk, "version": version}, follow=True)
    assert "Not removed" in kept.content.decode()
    assert Target.objects.get(pk=target.pk).value == 88


# --- actions, stakeholders, moderation, restore -------------------------------------------------


def _action(code: str = "A-1"):
    from vlrkit.store.models import Action

    return Action.objects.get(edition__entity__code=ENTITY, edition__code=DRAFT, code=code)


ACTION = {"code": "A-1", "title": "Bus lanes", "owner": "Transport office", "deadline": "2020-01-01",
          "status": "planned", "targets": "11.2", "indicators": ""}


def test_actions_edited_by_two(two):
    ana, ben = two
    va = hidden(ana.get(ACTIONS + "?edit=A-1").content.decode(), 'id="action-form"')
    vb = hidden(ben.get(ACTIONS + "?edit=A-1").content.decode(), 'id="action-form"')
    assert ana.post(ACTIONS, {**ACTION, "status": "in_progress", "version": va}).status_code == 302
    refused = ben.post(ACTIONS, {**ACTION, "status": "cancelled", "version": vb})
    assert refused.status_code == 409 and 'data-field="status"' in refused.content.decode()
    assert _action().status == "in_progress"
    # a different field merges: Ben's owner beside Ana's status
    vb = hidden(ben.get(ACTIONS + "?edit=A-1").content.decode(), 'id="action-form"')
    va = hidden(ana.get(ACTIONS + "?edit=A-1").content.decode(), 'id="action-form"')
    ana.post(ACTIONS, {**ACTION, "status": "done", "version": va})
    assert ben.post(ACTIONS, {**ACTION, "status": "in_progress", "owner": "Mobility office", "version": vb}).status_code == 302
    assert (_action().status, _action().owner) == ("done", "Mobility office")


def test_adding_an_action_whose_code_exists_is_a_conflict(two):
    ana, _ben = two
    refused = ana.post(ACTIONS, {**ACTION, "title": "Something else"})  # the add form: version 0
    assert refused.status_code == 409 and "exists already" in refused.content.decode()
    assert _action().title == {"en": "Bus lanes"}


def test_a_stakeholder_replaced_from_a_stale_form_is_a_conflict(two):
    ana, ben = two
    url = BASE + "participation/"
    body = {"s-code": "S-1", "s-name_en": "Youth Council", "s-kind": "youth", "s-consent": "on"}
    assert ana.post(url, {**body, "s-name_en": "Youth Council of Testville", "s-version": "0"}).status_code == 409
    from vlrkit.store.models import Stakeholder

    assert Stakeholder.objects.get(edition__entity__code=ENTITY, edition__code=DRAFT, code="S-1").names == {"en": "Youth Council"}


def test_two_moderators_of_one_contribution(two):
    from tests.web.conftest import CONTRIBUTION

    ana, ben = two
    url = BASE + f"contributions/{CONTRIBUTION}/moderate/"
    page = BASE + "participation/"
    va, vb = hidden(ana.get(page).content.decode(), f'action="{url}"'), hidden(ben.get(page).content.decode(), f'action="{url}"')
    ana.post(url, {"decision": "accepted", "version": va})
    late = ben.post(url, {"decision": "rejected", "version": vb}, follow=True)
    assert "your decision was not saved" in late.content.decode()
    from vlrkit.store.models import Contribution

    assert Contribution.objects.get(edition__entity__code=ENTITY, edition__code=DRAFT, code=CONTRIBUTION).status == "accepted"


def test_a_restore_over_a_newer_version_is_refused(two):
    from vlrkit.store.models import Narrative

    ana, ben = two
    first = Narrative.history.filter(section="GE-1", lang="en", edition__code=DRAFT,
                                     edition__entity__code=ENTITY).order_by("history_id").first()
    item = BASE + f"history/narrative/{first.history_id}/"
    stale = hidden(ben.get(item).content.decode(), 'method="post" class="card"')
    ana.post(NARRATIVE, {"text": "Ana's newest.", "version": hidden(ana.get(NARRATIVE).content.decode())})
    refused = ben.post(item, {"version": stale}, follow=True)
    assert "Not restored" in refused.content.decode() and _narrative() == "Ana's newest."


def test_two_people_decide_one_alignment_mapping(two):
    from tests.web.test_alignment import BUDGET_CSV, _upload

    from vlrkit.store.align.queries import load_alignment

    ana, ben = two
    _upload(ana, "budget.csv", BUDGET_CSV)
    line = next(p for p in load_alignment(DRAFT).passages if "最低生活保障" in p.text)
    cell = BASE + "alignment/goal/1/?document=budget.csv"
    marker = f'name="index" value="{line.index}"'
    va, vb = hidden(ana.get(cell).content.decode(), marker), hidden(ben.get(cell).content.decode(), marker)
    decide = BASE + "alignment/decide/"
    body = {"document": "budget.csv", "index": line.index, "goal": 1}
    ana.post(decide, {**body, "status": "accepted", "version": va})
    late = ben.post(decide, {**body, "status": "rejected", "version": vb}, follow=True)
    assert "your decision was not saved" in late.content.decode()
    after = next(p for p in load_alignment(DRAFT).passages if p.index == line.index and p.document == "budget.csv")
    assert after.status == {1: "accepted"}


# --- the indicator table (many rows saved at once) ---------------------------------------------

SPEC = BASE + "indicators/specifications/"


def _table(client) -> tuple[dict[str, list[str]], str]:
    """The table as the page shows it: every row's cells as a browser would post them."""
    import html as html_lib

    page = client.get(SPEC).content.decode()
    form = page[page.index('class="spec-table"'):]
    form = form[:form.index("</form>")]
    data: dict[str, list[str]] = {"indicator": re.findall(r'name="indicator" value="([^"]+)"', form)}
    for name, value in re.findall(r'<input name="([^"]+:[^"]+)" value="([^"]*)"', form):
        data[name] = [html_lib.unescape(value)]
    for name, body in re.findall(r'<select name="([^"]+:[^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = [html_lib.unescape(chosen.group(1)) if chosen else ""]
    return data, html_lib.unescape(hidden(form, "", "versions"))


def _save(client, table, versions, **cells):
    data = {**table, **{k.replace("__", ":"): [v] for k, v in cells.items()}, "versions": versions}
    return client.post(SPEC, data)


def test_the_table_saved_by_two_keeps_both_rows_changes(two):
    """Ana sets a target in one row; Ben, from the page he opened before, changes the direction
    of another row and posts the whole table: Ana's target stays."""
    from tests.web.conftest import OTHER_INDICATOR

    from vlrkit.store.models import LocalIndicator, Target

    ana, ben = two
    ta, va = _table(ana)
    tb, vb = _table(ben)
    assert _save(ana, ta, va, **{f"local_target__{INDICATOR}": "77", f"local_target_year__{INDICATOR}": "2030"}).status_code == 302
    saved = _save(ben, tb, vb, **{f"direction__{OTHER_INDICATOR}": "unknown"}, )
    assert saved.status_code == 302
    assert Target.objects.get(indicator=_indicator(), kind="local", series="", unit="").value == 77
    assert LocalIndicator.objects.get(edition__entity__code=ENTITY, edition__code=DRAFT, code=OTHER_INDICATOR).direction == "unknown"
    kept = ben.get(SPEC).content.decode()
    assert "their change was kept" in kept and f"{INDICATOR} · local_target" in kept


def test_the_same_cell_changed_by_two_is_refused_then_overwritten_by_choice(two):
    from vlrkit.store.models import Target

    ana, ben = two
    ta, va = _table(ana)
    tb, vb = _table(ben)
    target = {f"local_target_year__{INDICATOR}": "2030"}
    assert _save(ana, ta, va, **{f"local_target__{INDICATOR}": "77"}, **target).status_code == 302
    refused = _save(ben, tb, vb, **{f"local_target__{INDICATOR}": "66"}, **target)
    page = refused.content.decode()
    assert refused.status_code == 409 and 'id="conflict"' in page and "coordinator" in page
    clash = page[page.index(f'data-field="local_target:{INDICATOR}"'):]
    assert "77" in clash[:400] and "66" in clash[:400]
    assert Target.objects.get(indicator=_indicator(), kind="local", series="", unit="").value == 77  # nothing of Ben's
    # the form comes back with Ben's value; "save mine over theirs" posts it over the current version
    assert f'name="local_target:{INDICATOR}" value="66"' in page
    overwrite = page[page.index('id="conflict"'):]
    overwrite = overwrite[:overwrite.index('id="overwrite"')]
    import html as html_lib

    pairs: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(overwrite):
        if name != "csrfmiddlewaretoken":
            pairs.setdefault(name, []).append(html_lib.unescape(value))
    assert ben.post(SPEC, pairs).status_code == 302
    assert Target.objects.get(indicator=_indicator(), kind="local", series="", unit="").value == 66


def test_the_yellow_threshold_is_saved_and_checked(two):
    from vlrkit.store.models import Thresholds

    ana, _ = two
    va = hidden(ana.get(INDICATOR_EDIT).content.decode(), 'value="thresholds"')
    body = {"part": "thresholds", "optimum": "100", "lower_bound": "0", "green": "80", "red": "40", "version": va}
    outside = ana.post(INDICATOR_EDIT, {**body, "yellow": "90"})
    assert outside.status_code == 200 and "must lie between red and green" in outside.content.decode()
    assert not Thresholds.objects.filter(indicator=_indicator()).exists()
    assert ana.post(INDICATOR_EDIT, {**body, "yellow": "55"}).status_code == 302
    assert Thresholds.objects.get(indicator=_indicator()).yellow == 55
