"""The CycloneDX SBOM of vlrkit's pinned run-time dependencies: ``make sbom``.

cyclonedx-py (package ``cyclonedx-bom``, pinned in the ``test`` extra) describes the whole
virtual environment, test tools included, and its dependency graph follows every package's
optional extras (so pytest seems to be a dependency of half the packages).  This keeps the
components a deployment installs: the ``[project] dependencies`` of pyproject.toml and what they
require in turn, markers evaluated as pip does (an extra only where it is asked for, as
``psycopg[binary]``); it rebuilds the dependency graph from those requirements, checks the
result against the CycloneDX schema and writes it reproducibly.

    python scripts/sbom.py [--out build/sbom.cdx.json]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_graph() -> dict[str, set[str]]:
    """Installed run-time distributions (normalised names) -> the ones each one requires."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(d) for d in project["dependencies"]]
    graph: dict[str, set[str]] = {"": {_norm(r.name) for r in wanted}}
    todo = [(_norm(r.name), frozenset(r.extras)) for r in wanted]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in done:
            continue
        done.add((name, extras))
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            raise SystemExit(f"sbom: {name} is not installed (run make setup)") from None
        edges = graph.setdefault(name, set())
        for text in requires:
            req = Requirement(text)
            if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in (extras or {""})):
                continue
            edges.add(_norm(req.name))
            todo.append((_norm(req.name), frozenset(req.extras)))
    return graph


def prune(bom: dict, graph: dict[str, set[str]]) -> dict:
    """``bom`` with only the components of ``graph`` and the graph as its dependencies."""
    by_name = {_norm(c["name"]): c["bom-ref"] for c in bom["components"]}
    missing = sorted(set(graph) - {""} - set(by_name))
    if missing:
        raise SystemExit(f"sbom: not in the environment's SBOM: {', '.join(missing)}")
    keep = {by_name[n] for n in graph if n}
    root = bom["metadata"]["component"]["bom-ref"]
    out = dict(bom)
    out["components"] = [c for c in bom["components"] if c["bom-ref"] in keep]
    out["dependencies"] = [{"ref": root, "dependsOn": sorted(by_name[n] for n in graph[""])}] + [
        {"ref": by_name[n], "dependsOn": sorted(by_name[d] for d in graph[n] if d in by_name)}
        for n in sorted(graph) if n]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "sbom.cdx.json")
    args = parser.parse_args()
    tool = Path(sys.executable).with_name("cyclonedx-py")
    with tempfile.TemporaryDirectory() as tmp:
        whole = Path(tmp) / "environment.cdx.json"
        subprocess.run([str(tool), "environment", "--pyproject", str(ROOT / "pyproject.toml"),
                        "--output-reproducible", "--no-validate", "--of", "JSON", "-o", str(whole), sys.executable],
                       check=True, capture_output=True)  # validated below, once pruned
        bom = prune(json.loads(whole.read_text(encoding="utf-8")), runtime_graph())
    text = json.dumps(bom, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    version = SchemaVersion.from_version(bom["specVersion"])
    if (error := JsonStrictValidator(version).validate_str(text)) is not None:
        raise SystemExit(f"sbom: the SBOM is not valid CycloneDX {bom['specVersion']}: {error}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"sbom: {len(bom['components'])} components (CycloneDX {bom['specVersion']}) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
