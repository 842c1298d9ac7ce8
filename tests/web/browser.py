"""The Playwright harness: a real ``vlr serve`` on a demo database and Debian's headless Chromium.

Never downloads a browser: it launches ``/usr/bin/chromium`` (scripts/setup.sh installs it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
VLR = str(Path(sys.executable).with_name("vlr"))
READY_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(db: Path, publish: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VLRKIT_DATABASE_URL"))}
    env.update({"VLRKIT_DB": str(db), "VLRKIT_PUBLISH_DIR": str(publish), "PYTHONUNBUFFERED": "1"})
    return env


def start_server(db: Path, publish: Path, log: Path,
                 extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``vlr serve`` on a free loopback port; returns the process and its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [VLR, "serve", "--db", str(db), "--port", str(port)],
        env={**env_for(db, publish), **(extra_env or {})}, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"vlr serve exited: {log.read_text()}")
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return proc, base
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"vlr serve did not answer within {READY_TIMEOUT_S}s: {log.read_text()}")


def demo_server(root: Path, extra_env: dict[str, str] | None = None):
    """Build the demo review in ``root`` and serve it; yields the base URL, stops the server after.

    For a module-scoped fixture: ``yield from browser.demo_server(tmp_path_factory.mktemp(…))``.
    """
    db = root / "demo.sqlite3"
    subprocess.run([VLR, "demo", "--db", str(db)], check=True, capture_output=True,
                   env=env_for(db, root / "published"), timeout=300)
    proc, base = start_server(db, root / "published", root / "serve.log", extra_env)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
