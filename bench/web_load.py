"""Load on the web application: 50 concurrent clients for 30 s on loopback.

Builds the demo review (``vlr demo``), serves it with ``vlr serve`` (waitress, as in production),
logs every client in as the demo coordinator and lets each one request, back to back with no
think time (a closed loop), the dashboard, a goal page and an indicator page in turn.
Prints ``p50_ms=… p95_ms=… errors=…`` (plus the request count and throughput).

    python bench/web_load.py [--clients 50] [--seconds 30]

Target (issue 6): p95 <= 150 ms, 0 errors, on 2 cores.  The client threads run on the same
machine and share its cores with the server.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.web import browser  # noqa: E402  (server start-up helpers)

CLIENTS = 50
SECONDS = 30
WARM_UP_REQUESTS = 3
USER, PASSWORD = "coordinator", "vlrkit-demo-2025"


class Client:
    """One logged-in browser-like client on a persistent HTTP/1.1 connection."""

    def __init__(self, host: str, port: int) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def _headers(self) -> dict[str, str]:
        h = {"Host": "127.0.0.1"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return h

    def request(self, method: str, path: str, body: str | None = None, extra: dict | None = None):
        headers = {**self._headers(), **(extra or {})}
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        for value in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, resp.headers, data

    def login(self) -> None:
        _, _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token})
        status, _, _ = self.request("POST", "/accounts/login/", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/accounts/login/"})
        if status != 302:
            raise RuntimeError(f"log-in failed: HTTP {status}")


def pages(client: Client) -> list[str]:
    _, _, home = client.request("GET", "/")
    edition = re.search(rb'href="/e/([^/]+)/"', home).group(1).decode()
    _, _, goal = client.request("GET", f"/e/{edition}/goal/11/")
    indicator = re.search(rb'href="(/e/[^"]+/indicator/[^"]+/)"', goal).group(1).decode()
    return [f"/e/{edition}/", f"/e/{edition}/goal/11/", indicator]


def run(base: str, clients: int, seconds: float) -> dict[str, float]:
    parsed = urllib.parse.urlparse(base)
    workers = []
    for _ in range(clients):
        c = Client(parsed.hostname, parsed.port)
        c.login()
        workers.append(c)
    urls = pages(workers[0])
    for c in workers[:1]:
        for _ in range(WARM_UP_REQUESTS):
            for u in urls:
                c.request("GET", u)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    start_gate = threading.Barrier(clients)

    def loop(i: int, c: Client) -> None:
        mine, bad = [], 0
        start_gate.wait()
        k = i
        while time.monotonic() < stop:
            url = urls[k % len(urls)]
            k += 1
            t0 = time.perf_counter()
            try:
                status, _, _ = c.request("GET", url)
                if status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                c.conn.close()
            mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=loop, args=(i, c)) for i, c in enumerate(workers)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    q = statistics.quantiles(latencies, n=100)
    return {"p50_ms": q[49], "p95_ms": q[94], "errors": errors[0], "requests": len(latencies),
            "rps": len(latencies) / elapsed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vlr-web-load-") as tmp:
        root = Path(tmp)
        db = root / "demo.sqlite3"
        import subprocess

        subprocess.run([browser.VLR, "demo", "--db", str(db)], check=True, capture_output=True,
                       env=browser.env_for(db, root / "published"))
        proc, base = browser.start_server(db, root / "published", root / "serve.log")
        try:
            result = run(base, args.clients, args.seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    print(f"clients={args.clients} seconds={args.seconds:g} requests={result['requests']} rps={result['rps']:.1f}")
    print(f"p50_ms={result['p50_ms']:.1f} p95_ms={result['p95_ms']:.1f} errors={result['errors']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
