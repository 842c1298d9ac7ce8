"""YAML from users through the bounded loader: deep nesting, alias bombs and recursion are
refused before anything is built, with a clear problem; ordinary YAML reads as PyYAML reads it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.formats.conftest import LA

from vlrkit import ingest
from vlrkit.formats import yamlsafe
from vlrkit.formats.limits import DEFAULT, LimitError, Limits
from vlrkit.formats.opensdg import mapping, meta
from vlrkit.formats.sources import Member

DATA = Member("data/indicator_1-1-1.csv", b"Year,Value\n2015,1\n2016,2\n")


def laughs(anchors: int = 9, refs: int = 9) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * refs)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * refs)}]" for i in range(1, anchors)]
    return "\n".join(lines)


def front(body: str) -> bytes:
    return f"---\n{body}\n---\npage\n".encode()


def limit_problem(members: list[Member], file: str) -> dict[str, object]:
    got = ingest.read_members(members)
    hits = [p for p in got.report.problems if p.type == "limit-exceeded"]
    assert [p.file for p in hits] == [file]
    assert not got.report.valid
    return hits[0].to_dict()


def test_the_50000_bracket_front_matter_no_longer_kills_the_process(tmp_path):
    # in a child process: a regression would segfault (exit 139) and fail this test, not the run
    (tmp_path / "data").mkdir()
    (tmp_path / "meta").mkdir()
    (tmp_path / "data" / "indicator_1-1-1.csv").write_bytes(DATA.data)
    (tmp_path / "meta" / "1-1-1.md").write_bytes(front("x: " + "[" * 50_000 + "]" * 50_000))
    code = textwrap.dedent(f"""
        import json
        from vlrkit import ingest
        r = ingest.read({str(tmp_path)!r})
        print(json.dumps([p.to_dict() for p in r.report.problems if p.type == "limit-exceeded"]))
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    [problem] = json.loads(run.stdout)
    assert problem["file"] == "meta/1-1-1.md"
    assert "nesting depth" in problem["message"] and "yaml_depth" in problem["message"]
    assert "嵌套深度" in problem["message_zh"] and "yaml_depth" in problem["message_zh"]


@pytest.mark.parametrize(("body", "limit"), [
    (laughs(9, 9), "yaml_nodes"),
    ("x: " + "{a: " * 50_000 + "1" + "}" * 50_000, "yaml_depth"),
    ("".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "v: 1", "yaml_depth"),
    ("a: &a " + "[" * 60 + "]" * 60 + "\nb: [[[[[[*a]]]]]]", "yaml_depth"),  # deep only once expanded
    ("a: &a {x: 1}\n" + "\n".join(f"b{i}: &b{i} {{<<: [{', '.join([f'*b{i - 1}' if i > 1 else '*a'] * 9)}]}}"
                                 for i in range(1, 9)), "yaml_nodes"),
    ("a: &a " + "x" * 100_000 + "\n" + "\n".join(f"b{i}: *a" for i in range(200)), "yaml_expanded_chars"),
])
def test_bombs_in_front_matter_and_config_are_refused_naming_file_and_limit(body, limit):
    for place, data in (("meta/1-1-1.md", front(body)), ("indicator-config/1-1-1.yml", body.encode())):
        problem = limit_problem([DATA, Member(place, data)], place)
        assert f"--limit {limit}=N" in str(problem["message"]) and f"--limit {limit}=N" in str(problem["message_zh"])
        assert problem["severity"] == "error"


def test_a_bomb_does_not_stop_the_rest_of_the_repository():
    other = Member("data/indicator_2-1-1.csv", b"Year,Value\n2015,3\n")
    got = ingest.read_members([DATA, other, Member("meta/1-1-1.md", front(laughs())),
                               Member("meta/2-1-1.md", front("reporting_status: complete"))])
    assert got.report.by_type()["limit-exceeded"] == 1
    assert sorted(got.observations["indicator"].to_list()) == ["1.1.1", "1.1.1", "2.1.1"]


@pytest.mark.parametrize("body", ["x: &a [*a]", "x: &a {k: [1, *a]}", "x: *nowhere", "a: &a 1\nb: &a 2",
                                  "x: 2020-13-45", "x: " + "9" * 5000, "--- 1\n--- 2"])
def test_malformed_or_unbuildable_yaml_is_unreadable_metadata_not_a_traceback(body):
    with pytest.raises(meta.MetaError):
        meta.parse_yaml(body)
    got = ingest.read_members([DATA, Member("meta/1-1-1.yml", body.encode())])
    assert [p.type for p in got.report.problems if p.file == "meta/1-1-1.yml"] == ["metadata-unreadable"]


def test_the_limits_are_the_callers(tmp_path):
    text = "a: [[[[1]]]]"
    assert yamlsafe.load(text) == {"a": [[[[1]]]]}
    with pytest.raises(LimitError) as err:
        yamlsafe.load(text, Limits(yaml_depth=4))
    assert (err.value.name, err.value.limit, err.value.found) == ("yaml_depth", 4, 5)
    with pytest.raises(LimitError, match="aliases"):
        yamlsafe.load("a: &x 1\nb: [*x, *x, *x]", DEFAULT.replace(yaml_aliases=2))
    with pytest.raises(LimitError, match="characters in one YAML document"):
        yamlsafe.load("a: " + "x" * 100, Limits(yaml_chars=50))


def test_a_deep_mapping_file_is_a_clean_error_on_the_command_line(tmp_path, capsys, monkeypatch):
    from tests.cli.test_cli import vlr_in_process

    deep = tmp_path / "map.yml"
    deep.write_text("columns: " + "{a: " * 50_000 + "1" + "}" * 50_000)
    with pytest.raises(mapping.MappingError, match="yaml_depth"):
        mapping.load(deep.read_bytes())
    code, out, err = vlr_in_process(capsys, monkeypatch, "validate", str(LA), "--mapping", str(deep))
    assert code == 2
    assert "Traceback" not in err and "nesting depth" in err and "嵌套深度" in err
    with pytest.raises(mapping.MappingError, match="yaml_nodes"):
        mapping.load(laughs())


def test_every_metadata_file_of_los_angeles_reads_as_pyyaml_reads_it():
    files = sorted((LA / "meta").glob("*.md")) + sorted(LA.glob("*.yml"))
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            body = meta._FRONT.match(text)
            if body is None:
                continue
            text = body.group(1)
        assert yamlsafe.load(text) == yaml.safe_load(text), path.name


plain = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(plain, st.sampled_from([None, False, True]))
def test_any_plain_document_reads_as_pyyaml_reads_it(doc, flow):
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True)
    assert yamlsafe.load(text) == yaml.safe_load(text)
