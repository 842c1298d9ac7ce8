"""Background jobs run by real worker processes on a real database: ``vlr worker`` alone (progress,
the memory and time limits, a crash, SIGTERM), then ``vlr serve`` (a task worker killed mid-job
is replaced while the web keeps answering; publishing and an upload through the web as jobs).

The database is real and shared with the processes: a file for SQLite, a database of its own
on the PostgreSQL server when the suite runs on PostgreSQL (``VLRKIT_DATABASE_URL``).  This
process queues the jobs and reads their rows through the same database.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.web import browser

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork, /proc, RLIMIT_DATA")]

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data" / "web"
#: The probes' wall-clock limit in these tests (s), and what any wait here allows at most.
TIME_LIMIT_S = 4
WAIT_S = 120
EDITION = "probe"
#: The probes' edition: no such edition is needed, a probe reads nothing of it.
PROBE_KEY = ("PROBEVILLE", EDITION)


@dataclass
class Live:
    root: Path
    env: dict[str, str]


@contextmanager
def _database(root: Path):
    """Give this process's default alias a connection to a real database the subprocesses share.

    A new connection object, not the test database's (whose in-memory SQLite would be lost if
    it were closed): the old one is put back untouched afterwards."""
    from django.core.management import call_command
    from django.db import connections
    from django.db.utils import load_backend

    test_conn = connections["default"]
    settings_dict = dict(test_conn.settings_dict)
    env = browser.env_for(root / "jobs.sqlite3", root / "published")
    url = os.environ.get("VLRKIT_DATABASE_URL", "")
    name = f"vlrkit_jobs_{os.getpid()}"
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        settings_dict["NAME"] = name
        env["VLRKIT_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    else:
        settings_dict["NAME"] = str(root / "jobs.sqlite3")
    live_conn = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = live_conn
    try:
        call_command("migrate", interactive=False, verbosity=0)
        yield env
    finally:
        live_conn.close()
        connections["default"] = test_conn
        if url:
            import psycopg

            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def live(tmp_path_factory, django_db_blocker):
    root = tmp_path_factory.mktemp("jobs")
    with django_db_blocker.unblock(), _database(root) as env:
        env.update({
            "PYTHONPATH": str(ROOT), "VLRKIT_VERSION_FILE": str(root / "data.version"),
            "VLRKIT_JOB_TIME_DEFAULT_S": str(TIME_LIMIT_S), "VLRKIT_WEB_WORKERS": "1",
        })
        old = os.environ.get("VLRKIT_PUBLISH_DIR")
        os.environ["VLRKIT_PUBLISH_DIR"] = env["VLRKIT_PUBLISH_DIR"]
        try:
            yield Live(root, env)
        finally:
            if old is None:
                os.environ.pop("VLRKIT_PUBLISH_DIR", None)
            else:
                os.environ["VLRKIT_PUBLISH_DIR"] = old


@pytest.fixture(autouse=True)
def _shared_version(live, settings):
    settings.VLRKIT_VERSION_FILE = live.env["VLRKIT_VERSION_FILE"]  # the workers' changes show here


def _start(live: Live, *args: str, log: str) -> subprocess.Popen:
    return subprocess.Popen([browser.VLR, *args, "--db", str(live.root / "jobs.sqlite3")], env=live.env,
                            stdout=(live.root / log).open("w"), stderr=subprocess.STDOUT, cwd=ROOT)


def _probe(**params):
    from tests.web import job_probes

    from vlrkit.web.editions import EditionKey
    from vlrkit.web.jobs import runner

    return runner.start("probe", EditionKey(*PROBE_KEY), None, task=job_probes.probe, **params)


def _wait(job, *, until=("done", "failed"), timeout: float = WAIT_S, seen: list | None = None):
    from vlrkit.web.jobs.models import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job.pk)
        if seen is not None:
            seen.append((job.status, job.step, job.steps))
        if job.status in until:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job.pk} still {job.status} after {timeout} s")


def _task_status(job, *, timeout: float = WAIT_S) -> str:
    """The job's task status once the worker has finished with it: the job row says "failed"
    before the worker records the task's end, so follow the task (under load that gap is long)."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while True:
        status = DBTaskResult.objects.get(id=job.task_id).status
        if status not in ("READY", "RUNNING") or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


# --- `vlr worker` alone ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def worker(live):
    proc = _start(live, "worker", log="worker.log")
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=20)


def test_a_job_runs_in_a_child_of_the_worker_and_reports_progress(live, worker):
    seen: list = []
    job = _wait(_probe(steps=4, pause=0.5), seen=seen)
    assert job.status == "done", job.error
    assert job.result["worker"] == worker.pid and job.result["pid"] != worker.pid  # a child per job
    assert (job.step, job.steps) == (4, 4) and job.label_text() == "Reading and validating part 4"
    running = {step for status, step, _n in seen if status == "running"}
    assert running & {1, 2, 3}, seen  # the progress was readable while the job ran
    assert _task_status(job) == "SUCCESSFUL"
    assert job.peak_mb and job.started <= job.finished


@pytest.mark.parametrize("runtime", ["python", "polars"])
def test_a_job_over_its_memory_limit_fails_and_the_worker_carries_on(live, worker, runtime):
    job = _wait(_probe(steps=1, allocate=runtime, mb=3000))  # the limit: 2048 MB
    assert job.status == "failed"
    assert job.error_text() == "The job needed more memory than its limit of 2048 MB and was stopped."
    assert _task_status(job) == "FAILED"
    after = _wait(_probe(steps=1))
    assert after.status == "done" and after.result["worker"] == worker.pid


def test_a_job_over_its_time_limit_or_crashing_fails_and_the_worker_carries_on(live, worker):
    start = time.monotonic()
    slow = _wait(_probe(steps=1, hang=True))
    assert slow.status == "failed" and time.monotonic() - start < TIME_LIMIT_S + 15
    assert slow.error_text() == f"The job took longer than its time limit of {TIME_LIMIT_S} seconds and was stopped."
    crash = _wait(_probe(steps=1, crash=True))
    assert crash.status == "failed" and crash.error_text() == "The job's process crashed (SIGSEGV)."
    from django.utils import translation

    with translation.override("zh-hans"):
        assert crash.error_text() == "任务进程崩溃（SIGSEGV）。"
    after = _wait(_probe(steps=1))
    assert after.status == "done" and after.result["worker"] == worker.pid


def test_sigterm_interrupts_the_running_job_and_stops_the_worker(live, worker):
    job = _wait(_probe(steps=1, hang=True, pause=0), until=("running",))
    time.sleep(0.5)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0
    job = _wait(job)
    assert job.status == "failed"
    assert job.error_text() == "The job was interrupted because the server stopped; start it again."


# --- `vlr serve`: supervised workers, and jobs started through the web ---------------------------

@pytest.fixture(scope="module")
def server(live, worker):
    assert worker.poll() is not None  # the lone worker is gone: jobs go to the server's own
    proc = _start(live, "serve", "--port", str(port := browser.free_port()), log="serve.log")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + browser.READY_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2)
            break
        except OSError:
            assert proc.poll() is None, (live.root / "serve.log").read_text()
            time.sleep(0.3)
    yield proc, base
    proc.terminate()
    proc.wait(timeout=30)


def _task_worker(serve_pid: int, timeout: float = 30) -> int:
    """The pid of the server's task worker while it runs a job (the child that has a child)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [p for p in _children(serve_pid) if _children(p)]
        if busy:
            return busy[0]
        time.sleep(0.1)
    raise AssertionError("no task worker running a job")


def test_a_task_worker_killed_mid_job_is_replaced_and_the_web_keeps_answering(live, server):
    proc, base = server
    job = _wait(_probe(steps=60, pause=0.5), until=("running",))
    victim = _task_worker(proc.pid)
    _wait(job, until=("running",))
    os.kill(victim, signal.SIGKILL)
    failed = _wait(job)
    assert failed.status == "failed"  # not retried: the job may be what killed its worker
    assert failed.error_text() == ("The worker running this job stopped (killed by SIGKILL) before the "
                                   "job finished. Start it again.")
    assert _task_status(failed) == "FAILED"
    assert urllib.request.urlopen(base + "/accounts/login/", timeout=10).status == 200
    after = _wait(_probe(steps=1))
    assert after.status == "done" and after.result["worker"] != victim
    assert after.result["worker"] in _children(proc.pid)  # the new worker, started by the server
    assert "task worker 1 stopped (killed by SIGKILL); starting a new one" in (live.root / "serve.log").read_text()


@pytest.fixture(scope="module")
def city(live):
    """A small draft edition and a coordinator, committed (the workers must see them)."""
    from tests.web.conftest import _edition, fill_narratives

    from vlrkit.store import models as m
    from vlrkit.web.accounts import add_user

    entity = m.Entity.objects.create(code="JOBVILLE", names={"en": "Jobville", "zh-Hans": "任务市"})
    fill_narratives(_edition(entity, "job-2025", 2025, "draft"))
    return add_user("jobs-coordinator", "correct-horse-battery-staple-9", roles=["coordinator"], entity="JOBVILLE")


def _follow(client, url: str) -> dict:
    """Poll a job's status (as the page's script does) until it ends; return the last state."""
    status = url.rstrip("/") + "/status/"
    deadline = time.monotonic() + WAIT_S
    states = []
    while time.monotonic() < deadline:
        state = client.get(status).json()
        states.append(state)
        if not state["active"]:
            state["seen"] = states
            return state
        time.sleep(0.2)
    raise AssertionError(f"{url}: still running after {WAIT_S} s: {states[-1]}")


def test_publishing_through_the_web_is_a_job_with_progress(live, server, city):
    from django.test import Client

    from vlrkit.store.models import Edition

    client = Client()
    client.force_login(city)
    url = "/review/JOBVILLE/job-2025/publish/"
    for to in ("in_review", "approved"):
        client.post(url, {"action": "transition", "to": to})
    started = time.monotonic()
    response = client.post(url, {"action": "transition", "to": "published"})
    assert response.status_code == 302 and time.monotonic() - started < 5  # the request does not render
    job_url = response["Location"]
    assert re.fullmatch(r"/review/JOBVILLE/job-2025/jobs/\d+/", job_url)
    page = client.get(job_url).content.decode()
    assert 'id="job-bar"' in page and "web/jobs.js" in page
    state = _follow(client, job_url)
    assert state["status"] == "done", state
    assert {s["step"] for s in state["seen"]} >= {0, state["steps"]} and len({s["step"] for s in state["seen"]}) > 2
    assert Edition.objects.get(code="job-2025").status == "published"
    done = client.get(job_url).content.decode()
    for name in ("vlr-zh-Hans.pdf", "vlr-en.docx", "vlr-en.json"):
        assert f"/review/JOBVILLE/job-2025/public/{name}" in done
    assert (Path(live.env["VLRKIT_PUBLISH_DIR"]) / "JOBVILLE" / "job-2025" / "vlr-zh-Hans.pdf").stat().st_size > 1000


def test_an_upload_is_validated_and_imported_by_jobs(live, server, city):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from vlrkit.store import models as m

    client = Client()
    client.force_login(city)
    m.Edition.objects.create(entity=m.Entity.objects.get(code="JOBVILLE"), code="job-2026", year=2026,
                             period_start=2015, period_end=2025, languages=["zh-Hans", "en"], title={"en": "Jobs"})
    csv = (DATA / "indicator_11-2-1.csv").read_bytes()
    dashboard = "/review/JOBVILLE/job-2026/"
    assert "0 local indicators" in client.get(dashboard).content.decode()  # now cached in this process
    response = client.post(dashboard + "data/", {"file": SimpleUploadedFile("indicator_11-2-1.csv", csv)})
    assert "/jobs/" in response["Location"]
    state = _follow(client, response["Location"])
    assert state["status"] == "done" and "/data/import/" in state["next"], state
    report = client.get(state["next"]).content.decode()
    assert 'data-valid="1"' in report and "confirm-import" in report
    response = client.post(state["next"], {"action": "import"})
    state = _follow(client, response["Location"])
    assert state["status"] == "done" and state["next"] == dashboard, state
    rows = len(csv.decode().strip().splitlines()) - 1
    assert m.Observation.objects.filter(indicator__edition__code="job-2026").count() == rows
    # the import ran in the server's task worker (another process): this process's cached review
    # of the edition was invalidated by the stamps the stored rows bumped (vlrkit.web.snapshot)
    assert "1 local indicators, 1 with data" in client.get(dashboard).content.decode()
