"""Load on the web application: 50 concurrent readers and one writer for 30 s on loopback.

Builds the demo review (``vlr demo``), serves it with ``vlr serve`` (waitress, as in production),
logs every client in with an account of its own (a coordinator of the demo city) and lets each one request, back to back with no
think time (a closed loop), the dashboard, a goal page and an indicator page in turn, each on
its own kept-alive connection.  A response counts when all of it has been read (Content-Length
bytes, ending in ``</html>``); anything else (status not 200, a short page, a broken
connection) is an error.
Beside them one writer (``bench/_web_writer.py``), logged in as the coordinator too, saves through
the real forms every ``--write-interval`` seconds, alternately a narrative and an indicator's
metadata (of an indicator the readers read); afterwards every write answered as saved is looked
up in the store's history, and ``lost_writes`` counts those not found.
Prints ``readers=… writers=… p95_ms=… errors=… lost_writes=…`` (errors: the readers' and the
writer's), then ``p50_ms``, the request count and throughput, p99, the writes and their p95,
the mean latency of the luckiest and unluckiest client, the clients' own CPU time and the load
average before and after, since the 2 cores may be shared with other work).

    python bench/web_load.py [--clients 50] [--writers 1] [--write-interval 1] [--seconds 30]

Targets: issue 6, readers alone: p95 <= 150 ms, 0 errors; issue 19, with one writer: p95 <= 300 ms,
0 errors, 0 lost writes; on 2 cores.  The clients run in this process, apart
from the server's, in one thread that multiplexes their connections (``selectors``): they cost
about a second of CPU per 30 s run and do not queue behind each other's Python locks.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import selectors
import socket
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests.web import browser  # noqa: E402  (server start-up helpers)

from _web_writer import Writer, lost_writes  # noqa: E402

CLIENTS = 50
SECONDS = 30
WARM_UP_REQUESTS = 3
WRITE_INTERVAL_S = 1.0
USER, PASSWORD = "coordinator", "vlrkit-demo-2025"
#: The readers' accounts: one per reader (an account keeps at most ``VLRKIT_MAX_SESSIONS`` sessions,
#: and 50 people are 50 accounts), coordinators of the demo city like the writer.
READER = "bench-reader-{:02d}"
READER_PASSWORD = "bench-readers-pass-phrase-2025"
RECV_BYTES = 256 * 1024
#: a complete page ends with </html> within its last bytes
COMPLETE_TAIL = 64


class Client:
    """One logged-in browser-like client on a persistent HTTP/1.1 connection."""

    def __init__(self, host: str, port: int, username: str = USER, password: str = PASSWORD) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.username, self.password = username, password

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
        body = urllib.parse.urlencode({"username": self.username, "password": self.password,
                                       "csrfmiddlewaretoken": token})
        status, _, _ = self.request("POST", "/accounts/login/", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/accounts/login/"})
        if status != 302:
            raise RuntimeError(f"log-in failed: HTTP {status}")


def pages(client: Client) -> list[str]:
    _, _, home = client.request("GET", "/")
    edition = re.search(rb'href="/review/([^/]+/[^/]+)/"', home).group(1).decode()
    _, _, goal = client.request("GET", f"/review/{edition}/goal/11/")
    indicator = re.search(rb'href="(/review/[^"]+/indicator/[^"]+/)"', goal).group(1).decode()
    return [f"/review/{edition}/", f"/review/{edition}/goal/11/", indicator]


class Stream:
    """One client's keep-alive connection in the load phase: sends a request, reads the whole
    response (headers, then exactly Content-Length bytes of body), non-blocking."""

    def __init__(self, host: str, port: int, cookies: dict[str, str], urls: list[str], first: int) -> None:
        self.addr, self.cookies, self.urls, self.k = (host, port), cookies, urls, first
        self.sock: socket.socket | None = None
        self.latencies: list[float] = []
        self.errors = 0

    def connect(self) -> None:
        self.sock = socket.create_connection(self.addr, timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)

    def send(self) -> None:
        url = self.urls[self.k % len(self.urls)]
        self.k += 1
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.buf, self.length, self.head = bytearray(), None, None
        self.t0 = time.perf_counter()
        self.sock.sendall(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
                          f"Accept: text/html\r\nUser-Agent: vlrkit-bench\r\n\r\n".encode())

    def readable(self) -> bool:
        """Read what arrived; True once the whole response is in (then it is checked and timed)."""
        chunk = self.sock.recv(RECV_BYTES)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf += chunk
        if self.head is None:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return False
            self.head = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
            del self.buf[: end + 4]
            headers = [line.partition(":") for line in self.head[1:]]
            self.status = int(self.head[0].split()[1])
            self.length = next((int(v) for k, _, v in headers if k.lower() == "content-length"), None)
            if self.length is None:
                raise ConnectionError("response without Content-Length")
            for k, _, v in headers:
                if k.lower() == "set-cookie":
                    name, _, rest = v.strip().partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
        if len(self.buf) < self.length:
            return False
        self.latencies.append((time.perf_counter() - self.t0) * 1000)
        if self.status != 200 or b"</html>" not in self.buf[-COMPLETE_TAIL:]:
            self.errors += 1
        return True


def load(host: str, port: int, logins: list[tuple[dict[str, str], list[str]]], seconds: float):
    """The load phase: every client sends its next request as soon as its last response is in.

    One thread multiplexes all connections with ``selectors``, so the clients cost little CPU
    and no client waits for a Python lock of the benchmark (as 50 threads would) before it can
    time a response.  Returns (latencies in ms, errors).
    """
    streams = [Stream(host, port, dict(cookies), urls, i) for i, (cookies, urls) in enumerate(logins)]
    sel = selectors.DefaultSelector()
    for s in streams:
        s.connect()
        sel.register(s.sock, selectors.EVENT_READ, s)
    stop = time.perf_counter() + seconds
    for s in streams:
        s.send()
    live = len(streams)
    while live:
        for key, _ in sel.select(timeout=1.0):
            s = key.data
            try:
                done = s.readable()
            except (OSError, ValueError, IndexError):
                s.errors += 1
                sel.unregister(s.sock)
                s.sock.close()
                s.connect()
                sel.register(s.sock, selectors.EVENT_READ, s)
                done = True
            if not done:
                continue
            if time.perf_counter() < stop:
                s.send()
            else:
                sel.unregister(s.sock)
                s.sock.close()
                live -= 1
    latencies = [x for s in streams for x in s.latencies]
    return latencies, sum(s.errors for s in streams), [statistics.fmean(s.latencies) for s in streams if s.latencies]


def run(base: str, clients: int, seconds: float, writers: int, interval: float) -> dict[str, float]:
    parsed = urllib.parse.urlparse(base)
    logins = []
    for k in range(clients):
        c = Client(parsed.hostname, parsed.port, READER.format(k), READER_PASSWORD)
        c.login()
        logins.append(c)
    urls = pages(logins[0])
    for _ in range(WARM_UP_REQUESTS):
        for u in urls:
            logins[0].request("GET", u)
    for c in logins:
        c.conn.close()
    edition = urls[0].removeprefix("/review/").strip("/")
    indicator = urls[2].rstrip("/").rsplit("/", 1)[-1]
    team = []
    for _ in range(writers):
        w = Client(parsed.hostname, parsed.port)
        w.login()
        team.append(Writer(w, edition, indicator, interval))
    cpu0, t0 = time.process_time(), time.perf_counter()
    for w in team:
        w.start()
    latencies, errors, means = load(parsed.hostname, parsed.port, [(c.cookies, urls) for c in logins], seconds)
    for w in team:
        w.stop.set()
        w.join(60)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    q = statistics.quantiles(latencies, n=100)
    return {"writes": sum(len(w.saved) for w in team), "write_errors": sum(w.errors for w in team),
            "write_p95_ms": max((w.p95_ms() for w in team), default=0.0),
            "saved": [s for w in team for s in w.saved], "edition": edition, "indicator": indicator,"p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98], "errors": errors, "requests": len(latencies),
            "rps": len(latencies) / elapsed, "client_cpu_s": cpu, "elapsed_s": elapsed,
            "client_mean_ms_min": min(means), "client_mean_ms_max": max(means)}


def add_readers(db: Path, publish: Path, n: int) -> None:
    """Create the readers' accounts in the demo database (one process, ``accounts.add_user``)."""
    import subprocess

    script = (
        "import django, sys; django.setup()\n"
        "from vlrkit.demo.city import ENTITY_CODE\n"
        "from vlrkit.web.accounts import add_user\n"
        f"for k in range({n}):\n"
        f"    add_user({READER!r}.format(k), {READER_PASSWORD!r}, roles=['coordinator'], entity=ENTITY_CODE)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                   env={**browser.env_for(db, publish), "DJANGO_SETTINGS_MODULE": "vlrkit.settings"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--writers", type=int, default=1, choices=(0, 1))
    parser.add_argument("--write-interval", type=float, default=WRITE_INTERVAL_S,
                        help="seconds the writer waits between two saves")
    args = parser.parse_args()
    from vlrkit.web.server import default_threads, default_workers

    workers, threads = default_workers(), default_threads()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="vlr-web-load-") as tmp:
        root = Path(tmp)
        db = root / "demo.sqlite3"
        import subprocess

        subprocess.run([browser.VLR, "demo", "--db", str(db)], check=True, capture_output=True,
                       env=browser.env_for(db, root / "published"))
        add_readers(db, root / "published", args.clients)
        proc, base = browser.start_server(db, root / "published", root / "serve.log")
        try:
            result = run(base, args.clients, args.seconds, args.writers, args.write_interval)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        lost = lost_writes(db, result["saved"], result["edition"], result["indicator"])
    load_after = os.getloadavg()
    print(f"readers={args.clients} writers={args.writers} p95_ms={result['p95_ms']:.1f} "
          f"errors={result['errors'] + result['write_errors']} lost_writes={lost}")
    print(f"p50_ms={result['p50_ms']:.1f} seconds={args.seconds:g} requests={result['requests']} rps={result['rps']:.1f} "
          f"writes={result['writes']} write_interval_s={args.write_interval:g} write_p95_ms={result['write_p95_ms']:.1f}")
    print(f"p99_ms={result['p99_ms']:.1f} client_mean_ms_min={result['client_mean_ms_min']:.1f} "
          f"client_mean_ms_max={result['client_mean_ms_max']:.1f} client_cpu_s={result['client_cpu_s']:.1f}")
    print(f"cores={os.cpu_count()} loadavg_before={load_before[0]:.2f} loadavg_after={load_after[0]:.2f} "
          f"server_workers={workers} server_threads={threads}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
