"""JSON embedded in HTML: nothing in a value can end the <script> element, open a comment or
break a JavaScript line, and the JSON still parses to the same value."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from vlrkit.formats.safety import script_json

HOSTILE = ["</script><script>alert(1)</script>", "<!--<script>", "a & b > c", "\u2028\u2029", "]]>"]
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.sampled_from(HOSTILE)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


@given(VALUES)
def test_embedded_json_parses_back_and_holds_no_markup(value):
    text = script_json(value)
    assert json.loads(text) == value
    for ch in ("<", ">", "&", "\u2028", "\u2029"):
        assert ch not in text


def test_a_unit_with_a_comment_opener_does_not_swallow_the_page():
    text = script_json({"unit": "<!--<script>", "title": "</script>"})
    assert "<!--" not in text and "</script" not in text.lower()
