"""Fixtures of the report tests: a small hand-built review, the demo, and their rendered outputs.

Snapshot files (``tests/report/snapshots``) are refreshed with ``make snapshots``, i.e.
``pytest tests/report -k snapshot --snapshot-update``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sample import sample_review  # noqa: E402

from vlrkit.report import render  # noqa: E402
from vlrkit.review import Review  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--snapshot-update", action="store_true", default=False,
                     help="rewrite the report snapshot files instead of comparing with them")


@pytest.fixture
def snapshot(request: pytest.FixtureRequest):
    """Compare text with ``snapshots/<name>`` (or rewrite it with --snapshot-update)."""
    folder = Path(__file__).parent / "snapshots"
    update = request.config.getoption("--snapshot-update", default=False)

    def check(name: str, text: str) -> None:
        path = folder / name
        if update:
            folder.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no snapshot {name}; run `make snapshots`"
        assert text == path.read_text(encoding="utf-8"), f"{name} changed; if intended, run `make snapshots`"

    return check


@pytest.fixture(scope="session")
def sample() -> Review:
    return sample_review(payload=True)


@pytest.fixture(scope="session")
def sample_out(sample: Review, tmp_path_factory: pytest.TempPathFactory):
    """The hand-built review (with script payloads) rendered in every format and language."""
    out = tmp_path_factory.mktemp("sample-report")
    return render(sample, out=out, workers=1)


@pytest.fixture(scope="session")
def demo() -> Review:
    from vlrkit.demo import build_demo

    return build_demo()


@pytest.fixture(scope="session")
def demo_out(demo: Review, tmp_path_factory: pytest.TempPathFactory):
    """The demo review rendered in every format and both languages (the issue's acceptance run)."""
    from vlrkit.report.progress import assess

    out = tmp_path_factory.mktemp("demo-report")
    return render(demo, out=out, assessment=assess(demo), workers=2)  # the path `vlr report` takes
