"""The job queue on the real PostgreSQL: procrastinate, ``kreislauf worker`` processes.

Every test starts real worker processes (``kreislauf worker`` through the CLI's entry point,
with the test-only kinds of :mod:`tests.web.queue_handlers`) on its own schema, submits jobs
the way the web app does, and waits for what it expects with a timeout (no fixed sleeps).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, Engine, func, select, text

from kreislauf.store import job as job_store
from kreislauf.store import make_engine, upgrade
from kreislauf.store.models import Job, LedgerFlow, LedgerUpload
from kreislauf.store.queue_schema import queue_state
from kreislauf.web import create_app, jobs
from tests.store.store_databases import fresh_database
from tests.web import queue_handlers
from tests.web.web_helpers import FACTORS, LEDGER, Member, settings_for, upload_carbon

ROOT = Path(__file__).resolve().parents[2]
#: A worker quick to notice a lost one: heartbeat 0.5 s, lost after 2 s, checked every second.
FAST = {
    "KREISLAUF_QUEUE_HEARTBEAT_S": "0.5",
    "KREISLAUF_QUEUE_STALLED_AFTER_S": "2",
    "KREISLAUF_QUEUE_STALLED_CHECK": "* * * * * *",
    "KREISLAUF_JOB_RETRY_WAIT_S": "0.2",
}


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database("postgresql", tmp_path) as url:
        upgrade(url)
        yield url


@pytest.fixture
def queue_app(pg_url: str) -> Iterator[FastAPI]:
    application = create_app(settings_for(pg_url))
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def shared_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database("postgresql", tmp_path_factory.mktemp("queue")) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="module")
def shared_app(shared_url: str) -> Iterator[FastAPI]:
    """One app and one worker (two jobs at a time) for the tests of single behaviours."""
    application = create_app(settings_for(shared_url))
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def shared_worker(
    shared_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    folder = tmp_path_factory.mktemp("queue-worker")
    ticks = folder / "ticks.txt"
    worker = WorkerProcess(
        shared_url, folder / "worker.log", concurrency=2, env={"KREISLAUF_TEST_TICKS": str(ticks)}
    )
    worker.ticks = ticks
    yield worker
    worker.stop()


@pytest.fixture
def test_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test-only kinds in this process's registry, while the test runs."""
    for kind, spec in queue_handlers.KINDS.items():
        monkeypatch.setitem(jobs._REGISTRY, kind, spec)


class WorkerProcess:
    """``kreislauf worker`` in a process of its own, its JSON log lines in a file."""

    def __init__(self, url: str, log: Path, *, concurrency: int = 1, env: dict[str, str]) -> None:
        self.log = log
        self.ticks: Path | None = None
        code = (
            "import faulthandler, signal; faulthandler.register(signal.SIGUSR1, all_threads=True); "
            "from tests.web.queue_handlers import register_all; register_all(); "
            "from kreislauf.cli import main; import sys; main(sys.argv[1:])"
        )
        args = ["worker", "--database", url, "--concurrency", str(concurrency)]
        environment = {**os.environ, **FAST, **env, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w", encoding="utf-8"),
        )

    def dump_threads(self) -> str:
        """The worker's Python stacks (faulthandler on SIGUSR1), for a timeout's message."""
        self.process.send_signal(signal.SIGUSR1)
        time.sleep(0.5)  # faulthandler writes at once; give the file a moment
        return self.log.read_text(encoding="utf-8")[-6000:]

    def lines(self) -> list[dict[str, Any]]:
        found = []
        for line in self.log.read_text(encoding="utf-8").splitlines():
            if line.startswith("{"):
                found.append(json.loads(line))
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def start_worker(pg_url: str, tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    started: list[WorkerProcess] = []

    def start(concurrency: int = 1, **env: str) -> WorkerProcess:
        worker = WorkerProcess(
            pg_url, tmp_path / f"worker-{len(started)}.log", concurrency=concurrency, env=env
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def until(
    condition: Callable[[], Any],
    *,
    timeout_s: float,
    what: str,
    dump: Callable[[], object] | None = None,
) -> Any:
    """Poll ``condition`` until it is truthy (its value) or fail after ``timeout_s`` [s]."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            seen = f"; state: {dump()}" if dump else ""
            pytest.fail(f"timed out after {timeout_s} s waiting for {what}{seen}")
        time.sleep(0.02)


def _job(app: FastAPI, job_id: int) -> Job:
    with app.state.sessionmaker() as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


def _ended(app: FastAPI, job_id: int) -> Job | None:
    job = _job(app, job_id)
    return job if job.status in job_store.ENDED else None


def _submit(app: FastAPI, organisation_id: int, kind: str, **params: object) -> int:
    """Create and queue a job the way a service does (jobs.submit)."""
    with app.state.sessionmaker() as session:
        job = jobs.create_job(session, organisation_id=organisation_id, kind=kind, params=params)
        return jobs.submit_to(app.state.runner, session, job).id


def _org(member: Member, slug: str = "acme") -> int:
    return int(str(member.org(slug)["id"]))


def _queue(app: FastAPI, job_id: int) -> dict[str, Any]:
    queue_id = _job(app, job_id).queue_id
    assert queue_id is not None, "the job was deferred on the queue"
    with app.state.sessionmaker() as session:
        state = queue_state(session, queue_id)
    assert state is not None
    return state


def test_procrastinate_schema_lands_in_the_deployments_schema(pg_url: str) -> None:
    schema = pg_url.rsplit("%3D", 1)[1]
    engine = make_engine(pg_url)
    try:
        with engine.connect() as connection:
            where = connection.execute(
                text(
                    "SELECT table_schema FROM information_schema.tables "
                    "WHERE table_name = 'procrastinate_jobs'"
                )
            ).scalars()
            functions = connection.execute(
                text(
                    "SELECT n.nspname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE p.proname = 'procrastinate_fetch_job_v2'"
                )
            ).scalars()
            assert schema in set(where) and schema in set(functions)
    finally:
        engine.dispose()


def test_the_web_process_runs_no_job_a_worker_process_runs_the_report(
    queue_app: FastAPI, start_worker: Callable[..., WorkerProcess]
) -> None:
    member = Member(queue_app, "owner@example.org")
    member.org("acme")
    assert member.upload_ledger("acme").status_code == 201  # type: ignore[attr-defined]
    upload_carbon(member, "acme", factors=FACTORS)
    started = member.client.post("/api/v1/orgs/acme/carbon/report-jobs?lang=en")
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    assert _queue(queue_app, job_id)["status"] == "todo"
    assert member.client.get(f"/api/v1/orgs/acme/jobs/{job_id}").json()["status"] == "queued"

    worker = start_worker()
    done = until(lambda: _ended(queue_app, job_id), timeout_s=120, what="the report job")
    assert done.status == "done", done.error
    pdf = member.client.get(f"/api/v1/orgs/acme/jobs/{job_id}/result")
    assert pdf.content.startswith(b"%PDF") and done.attempts == 1
    assert _queue(queue_app, job_id)["status"] == "succeeded"
    runs = [
        line["job"] for line in worker.lines() if line.get("job", {}).get("action") == "job_run"
    ]
    assert [(r["job_id"], r["kind"], r["outcome"]) for r in runs] == [
        (job_id, "carbon_report_pdf", "done")
    ]
    assert runs[0]["duration_s"] > 0


def test_an_identical_queued_job_is_not_queued_twice(queue_app: FastAPI) -> None:
    member = Member(queue_app, "owner@example.org")
    member.org("acme")
    assert member.upload_ledger("acme").status_code == 201  # type: ignore[attr-defined]
    upload_carbon(member, "acme", factors=FACTORS)
    first = member.client.post("/api/v1/orgs/acme/carbon/report-jobs?lang=en").json()
    again = member.client.post("/api/v1/orgs/acme/carbon/report-jobs?lang=en").json()
    german = member.client.post("/api/v1/orgs/acme/carbon/report-jobs?lang=de").json()
    assert again["id"] == first["id"] and german["id"] != first["id"]
    with queue_app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 2
        count = session.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar()
        assert count == 2


def _big_ledger(path: Path, rows: int) -> Path:
    """The demo ledger's rows repeated to ``rows`` data rows (~76 bytes each)."""
    lines = LEDGER.read_text(encoding="utf-8").splitlines()
    body = [lines[1:][i % (len(lines) - 1)] for i in range(rows)]
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    return path


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        flows = connection.scalar(select(func.count()).select_from(LedgerFlow))
        uploads = connection.scalar(select(func.count()).select_from(LedgerUpload))
    return int(flows or 0), int(uploads or 0)


def test_a_killed_worker_leaves_nothing_and_a_second_worker_finishes_the_import(
    pg_url: str, start_worker: Callable[..., WorkerProcess], tmp_path: Path
) -> None:
    """kill -9 of the worker after the first 5,000 of 8,000 rows are written: nothing is
    stored, a second worker runs the import again and stores every row once."""
    rows = 8_000  # chunks of 5,000 rows; ~0.6 MB, imported in the background here
    settings = settings_for(pg_url).model_copy(update={"import_background_bytes": 10_000})
    queue_app = create_app(settings)
    member = Member(queue_app, "owner@example.org")
    member.org("acme")
    ledger = _big_ledger(tmp_path / "big-ledger.csv", rows)
    sent = member.upload_ledger("acme", ledger)
    assert sent.status_code == 202, sent.text  # type: ignore[attr-defined]
    job_id = sent.json()["id"]  # type: ignore[attr-defined]
    engine = queue_app.state.engine

    first = start_worker()
    until(lambda: _job(queue_app, job_id).stage == "storing", timeout_s=300, what="storing")
    holder = engine.connect()
    try:
        writers, blocked = _hold_the_import(engine, holder, job_id, first)
        assert _counts(engine) == (0, 0)  # written, not committed
        first.process.send_signal(signal.SIGKILL)
        assert first.process.wait(timeout=30) == -signal.SIGKILL
    finally:
        holder.rollback()
        holder.close()
    until(
        lambda: not _backends_alive(engine, writers | {blocked}),
        timeout_s=30,
        what="the killed worker's connections to close",
    )
    assert _counts(engine) == (0, 0), "no partial rows"
    assert _job(queue_app, job_id).status == "running"  # the queue, not the row, knows it is lost

    second = start_worker()
    done = until(lambda: _ended(queue_app, job_id), timeout_s=300, what="the second worker")
    assert done.status == "done", done.error
    assert done.attempts == 2 and done.params["rows"] == rows
    assert _counts(engine) == (rows, 1)
    stalled = [
        line["job"] for line in second.lines() if line.get("job", {}).get("action") == "stalled_job"
    ]
    assert [s["outcome"] for s in stalled] == ["retried"]
    queue_app.state.engine.dispose()


def _hold_the_import(
    engine: Engine, holder: Connection, job_id: int, worker: WorkerProcess
) -> tuple[set[int], int]:
    """Lock the job's row: the import's next progress write (after its first chunk of rows)
    waits for it, inside the import's open transaction. The import's writing backends and
    the blocked one. (The activity views are read outside the holder's transaction, which
    would see one snapshot of them.)"""
    status = holder.execute(
        text("SELECT status FROM jobs WHERE id = :id FOR UPDATE"), {"id": job_id}
    ).scalar()
    assert status == "running", "the import ended before it could be held; use more rows"
    own_pid = holder.execute(text("SELECT pg_backend_pid()")).scalar()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as monitor:
        blocked = until(
            lambda: monitor.execute(
                text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND :pid = ANY(pg_blocking_pids(pid))"
                ),
                {"pid": own_pid},
            ).scalar(),
            timeout_s=60,
            what="the import to wait for the held row",
            dump=worker.dump_threads,
        )
        writing = monitor.execute(
            text(
                "SELECT pid FROM pg_locks WHERE relation = 'ledger_flows'::regclass "
                "AND mode = 'RowExclusiveLock' AND granted AND pid <> :own"
            ),
            {"own": own_pid},
        ).scalars()
        writers = set(writing)
    assert writers, "the import's open transaction has inserted rows"
    return writers, int(blocked)


def _backends_alive(engine: Engine, pids: set[int]) -> bool:
    with engine.connect() as connection:
        alive = connection.execute(
            text("SELECT pid FROM pg_stat_activity WHERE pid = ANY(:pids)"), {"pids": list(pids)}
        ).scalars()
        return bool(set(alive))


def test_cancelling_a_queued_and_a_running_job(
    shared_app: FastAPI, shared_worker: WorkerProcess, test_kinds: None
) -> None:
    app = shared_app
    member = Member(app, "cancel@example.org")
    organisation_id = _org(member, "cancel")
    running = [
        _submit(app, organisation_id, "test_slow", seconds=60 + n, lang="en") for n in range(2)
    ]
    until(
        lambda: all(_job(app, job_id).progress > 0 for job_id in running),
        timeout_s=120,
        what="both of the worker's places to run a slow job",
    )
    waiting = _submit(app, organisation_id, "test_slow", seconds=59, lang="en")

    api = "/api/v1/orgs/cancel/jobs"
    queued = member.client.post(f"{api}/{waiting}/cancel?lang=en")
    assert queued.status_code == 200 and queued.json()["status"] == "cancelled"
    assert queued.json()["error"] == "Cancelled on request (by Test)."
    assert _queue(app, waiting)["status"] == "cancelled"

    page = member.client.get(f"/orgs/cancel/jobs/{running[0]}")
    assert 'id="job-cancel"' in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    sent = member.client.post(
        f"/orgs/cancel/jobs/{running[0]}/cancel",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert member.client.post(f"{api}/{running[1]}/cancel").status_code == 200
    for job_id in running:
        until(
            lambda job_id=job_id: _queue(app, job_id)["status"] == "aborted",
            timeout_s=60,
            what="the worker to abort a running job",
        )
        job = _job(app, job_id)
        assert job.status == "cancelled" and job.result is None and job.progress < 1
    again = member.client.post(f"{api}/{running[0]}/cancel?lang=en")
    assert again.status_code == 409 and "already ended" in again.json()["detail"]
    assert _job(app, waiting).attempts == 0  # never started


def test_a_transient_fault_is_retried_bad_input_never(
    shared_app: FastAPI, shared_worker: WorkerProcess, test_kinds: None
) -> None:
    app = shared_app
    member = Member(app, "retry@example.org")
    organisation_id = _org(member, "retry")
    flaky = _submit(app, organisation_id, "test_flaky", lang="en")
    bad = _submit(app, organisation_id, "test_bad_input", lang="en")
    done = until(lambda: _ended(app, flaky), timeout_s=120, what="the flaky job")
    failed = until(lambda: _ended(app, bad), timeout_s=60, what="the bad-input job")

    assert (done.status, done.attempts, done.result) == ("done", 2, b"attempt 2")
    events = [event["type"] for event in _queue(app, flaky)["events"]]
    assert "deferred_for_retry" in events and events[-1] == "succeeded"
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.error is not None
    assert "'material'" in failed.error and "Unobtainium" in failed.error
    assert "deferred_for_retry" not in [e["type"] for e in _queue(app, bad)["events"]]
    runs = [
        line["job"]
        for line in shared_worker.lines()
        if line.get("job", {}).get("action") == "job_run" and line["job"]["job_id"] == flaky
    ]
    assert [(r["attempt"], r["outcome"]) for r in runs] == [(1, "retry"), (2, "done")]
    assert "OperationalError" in runs[0]["reason"] and runs[1]["duration_s"] >= 0


def test_a_job_past_its_time_limit_ends_failed(
    shared_app: FastAPI, shared_worker: WorkerProcess, test_kinds: None
) -> None:
    member = Member(shared_app, "limit@example.org")
    limited = _submit(shared_app, _org(member, "limit"), "test_limited", seconds=30, lang="en")
    failed = until(lambda: _ended(shared_app, limited), timeout_s=120, what="the limited job")
    assert failed.status == "failed" and failed.attempts == 1
    assert failed.error == "Stopped: the job ran longer than the 1 s allowed for 'test_limited'."


def test_a_periodic_task_fires(shared_url: str, shared_worker: WorkerProcess) -> None:
    ticks = shared_worker.ticks
    assert ticks is not None
    until(lambda: ticks.exists() and ticks.read_text().strip(), timeout_s=120, what="a tick")
    engine = make_engine(shared_url)
    try:
        with engine.connect() as connection:
            defers = connection.execute(
                text(
                    "SELECT periodic_id FROM procrastinate_periodic_defers "
                    "WHERE task_name = 'kreislauf.run_schedule'"
                )
            ).scalars()
            assert "test_tick" in set(defers)
    finally:
        engine.dispose()
    runs = [line["job"] for line in shared_worker.lines() if "schedule" in line.get("job", {})]
    assert any(r["schedule"] == "test_tick" and r["outcome"] == "done" for r in runs)
