"""``vlr`` starts at once: its help, and every command's help, load none of the heavy modules
(they are imported inside the commands).  An assertion on ``sys.modules``, not a timing: the
time is ``bench/report.py``'s ``cli_start_s``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Modules that cost most of a second to import between them; none is needed to show help.
HEAVY = ("polars", "numpy", "django", "weasyprint", "docx", "altair", "vl_convert", "openpyxl",
         "frictionless", "sdmx", "jieba", "pypdf")

PROBE = """
import json, sys
from vlrkit.cli.main import app
import typer
commands = json.loads(sys.argv[1])
if commands == "all":
    def walk(group, prefix=()):
        for name, cmd in sorted(getattr(group, "commands", {}).items()):
            yield [*prefix, name]
            yield from walk(cmd, (*prefix, name))
    commands = [[]] + list(walk(typer.main.get_command(app)))
for args in commands:
    try:
        app([*args, "--help"] if args != ["sdg", "show", "11.2.1"] else args, standalone_mode=False)
    except SystemExit:
        pass
heavy = json.loads(sys.argv[2])
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


def _heavy_after(commands) -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(commands), json.dumps(HEAVY)],
                         capture_output=True, text=True, timeout=120, env={"COLUMNS": "120", "PATH": ""})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [[], ["sdg", "show", "11.2.1"]], ids=["vlr --help", "vlr sdg show"])
def test_help_and_a_lookup_import_no_heavy_module(args):
    assert _heavy_after([args]) == []


def test_no_command_help_imports_a_heavy_module():
    assert _heavy_after("all") == []


def test_the_report_command_names_the_report_formats():
    import importlib

    from vlrkit.cli import report as cli

    render = importlib.import_module("vlrkit.report.render")
    assert cli.FORMATS == render.FORMATS and cli.LANGUAGES == render.LANGUAGES
