"""``vlr serve``'s worker processes: kept connections are spread evenly among them, and when a
worker dies the others still take every new connection and a new worker takes its place."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from tests.web import browser

CONNECTIONS = 40
WORKERS = 2


def _sockets(pid: int) -> int:
    fds = f"/proc/{pid}/fd"
    return sum(1 for fd in os.listdir(fds) if os.readlink(f"{fds}/{fd}").startswith("socket:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts sockets in /proc")
def test_connections_are_spread_evenly_and_answered(tmp_path, monkeypatch):
    monkeypatch.setenv("VLRKIT_WEB_WORKERS", str(WORKERS))
    monkeypatch.setenv("VLRKIT_TASK_WORKERS", "0")  # web workers only (test_jobs_live has the others)
    db = tmp_path / "web.sqlite3"
    subprocess.run([browser.VLR, "init", "--db", str(db)], check=True, capture_output=True,
                   env=browser.env_for(db, tmp_path / "published"))
    proc, base = browser.start_server(db, tmp_path / "published", tmp_path / "serve.log")
    try:
        port = int(base.rsplit(":", 1)[1])
        # a burst of connections, as when many browsers arrive at once; each stays open
        held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(CONNECTIONS)]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            kids = [int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                                   text=True).stdout.split()]
            counts = [_sockets(k) for k in kids]
            if len(kids) == WORKERS and sum(counts) >= CONNECTIONS:
                break
            time.sleep(0.2)
        assert len(kids) == WORKERS
        assert max(counts) - min(counts) <= 3, counts  # not the burst in one process
        # a worker dies; the survivor must take every new connection, though it holds more
        os.kill(kids[0], signal.SIGKILL)
        time.sleep(0.5)
        statuses, opened = [], []
        for _ in range(CONNECTIONS // 2):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            statuses.append(conn.getresponse().status)
            opened.append(conn)  # kept open, as a browser does
        assert statuses == [200] * (CONNECTIONS // 2)
        # and the server starts a new worker in place of the one that died
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            now = [int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                                  text=True).stdout.split()]
            if len(now) == WORKERS and kids[0] not in now:
                break
            time.sleep(0.2)
        assert len(now) == WORKERS and kids[0] not in now and kids[1] in now, (kids, now)
        for conn in opened:
            conn.close()
        for s in held:
            s.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
