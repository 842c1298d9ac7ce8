"""``make sbom``: a valid CycloneDX SBOM of the pinned run-time dependencies, not the test tools."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_sbom_lists_the_pinned_runtime_dependencies(tmp_path):
    out = tmp_path / "sbom.cdx.json"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "sbom.py"), "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    bom = json.loads(out.read_text(encoding="utf-8"))
    assert bom["bomFormat"] == "CycloneDX" and bom["metadata"]["component"]["name"] == "vlrkit"
    versions = {c["name"].lower(): c["version"] for c in bom["components"]}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for dep in project["dependencies"]:
        name, version = re.match(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(.+)", dep).groups()
        assert versions[name.lower()] == version, dep  # every pin, at its pinned version
    assert "psycopg-binary" in versions  # an extra asked for (psycopg[binary]) is followed
    for tool in ("pytest", "mypy", "ruff", "playwright", "cyclonedx-bom"):
        assert tool not in versions  # test tools are not shipped
    assert all(c.get("purl", "").startswith("pkg:pypi/") for c in bom["components"])
