"""``vlr assess``: the goal and indicator tables show progress towards the local and the
national target side by side, labelled, in English and Chinese."""

from __future__ import annotations

import pytest
from rich.console import Console

from vlrkit.assess import assess_review
from vlrkit.assess.rules import label
from vlrkit.cli.assess import _STATUS_ORDER, _lang, goal_table, indicator_table
from vlrkit.cli.common import UserError


def render(table) -> str:  # type: ignore[no-untyped-def]
    c = Console(width=240, record=True, color_system=None)
    c.print(table)
    return c.export_text()


@pytest.fixture(scope="module")
def assessed():
    from vlrkit.demo import build_demo

    return assess_review(build_demo())


def test_goal_table_has_a_column_per_target_kind(assessed):
    text = render(goal_table(assessed, "t", "en"))
    assert "Progress (local target)" in text and "Progress (national target)" in text
    g = next(g for g in assessed.goals if any(k.startswith("national:") for k in g.status_counts)
             and any(k.startswith("local:") for k in g.status_counts))
    row = next(line for line in text.splitlines() if line.startswith(f"│ {g.goal} "))
    cells = [c.strip() for c in row.split("│")[1:-1]]
    local = {k.split(":")[1]: n for k, n in g.status_counts.items() if k.startswith("local:")}
    national = {k.split(":")[1]: n for k, n in g.status_counts.items() if k.startswith("national:")}
    # the first line of each cell is the best status of that kind, with its count

    def first(counts: dict[str, int]) -> str:
        return min(counts, key=_STATUS_ORDER.index)

    assert cells[5] == f"{label(first(local))} {local[first(local)]}"
    assert cells[6] == f"{label(first(national))} {national[first(national)]}"


def test_goal_table_in_chinese(assessed):
    text = render(goal_table(assessed, "t", "zh-Hans"))
    assert "进展（地方目标）" in text and "进展（国家目标）" in text and "已达目标" in text
    assert "Progress" not in text


def test_indicator_table_shows_both_targets_of_an_indicator(assessed):
    both = next(i for i in assessed.indicators if i.target("local") and i.target("national"))
    loc, nat = both.target("local"), both.target("national")
    for lang, heads in (("en", ("Local target", "National target")), ("zh-Hans", ("地方目标", "国家目标"))):
        text = render(indicator_table(assessed, "t", lang))
        assert all(h in text for h in heads)
        row = next(line for line in text.splitlines() if f" {both.code} " in line)
        cells = [c.strip() for c in row.split("│")[1:-1]]
        assert cells[6] == f"{loc.target:.4g} ({loc.target_year}): {label(loc.status, lang)}"
        assert cells[7] == f"{nat.target:.4g} ({nat.target_year}): {label(nat.status, lang)}"
    none = next(i for i in assessed.indicators if not i.target("local") and not i.target("national"))
    row = next(line for line in render(indicator_table(assessed, "t", "en")).splitlines() if f" {none.code} " in line)
    assert [c.strip() for c in row.split("│")[1:-1]][6:] == ["—", "—"]


@pytest.mark.parametrize(("given", "code"), [("en", "en"), ("zh", "zh-Hans"), ("zh-Hans", "zh-Hans"), ("ZH-CN", "zh-Hans")])
def test_language_option(given, code):
    assert _lang(given) == code


def test_unknown_language_is_a_clean_bilingual_error():
    with pytest.raises(UserError, match="unknown language") as err:
        _lang("fr")
    assert "未知语言" in str(err.value)
