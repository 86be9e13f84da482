"""The in-process worker (SQLite): jobs of a stopped process marked interrupted, the heartbeat.

On PostgreSQL the queue finds lost runs instead (tests/web/test_queue.py): a job whose row
heartbeat is old stays as it is when read.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from fastapi import FastAPI

from kreislauf.store import job as job_store
from kreislauf.store.base import utcnow
from kreislauf.store.models import Job
from kreislauf.web.worker import Worker
from tests.web.web_helpers import Member


def _running_job(app: FastAPI, member: Member, *, kind: str, lang: str, age_s: float) -> int:
    """A running job of acme whose last heartbeat was ``age_s`` [s] ago."""
    organisation_id = member.client.get("/api/v1/orgs/acme").json()["id"]
    with app.state.sessionmaker() as session, session.begin():
        job = job_store.create_job(
            session, organisation_id=organisation_id, kind=kind, params={"lang": lang}
        )
        job_store.start(session, job)
        job.heartbeat_at = utcnow() - timedelta(seconds=age_s)
        return job.id


SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@SQLITE
def test_stale_running_job_is_failed_when_read(big_app: FastAPI, owner: Member) -> None:
    job_id = _running_job(big_app, owner, kind="carbon_report_pdf", lang="en", age_s=121)
    read = owner.client.get(f"/api/v1/orgs/acme/jobs/{job_id}").json()
    assert read["status"] == "failed"
    assert read["error"] == "Interrupted: the server stopped while this job ran; start it again."
    page = owner.client.get(f"/orgs/acme/jobs/{job_id}")
    assert "fehlgeschlagen" in page.text and 'http-equiv="refresh"' not in page.text


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_on_the_queue_a_stale_row_is_left_to_the_queue(big_app: FastAPI, owner: Member) -> None:
    job_id = _running_job(big_app, owner, kind="carbon_report_pdf", lang="en", age_s=10_000)
    read = owner.client.get(f"/api/v1/orgs/acme/jobs/{job_id}").json()
    assert read["status"] == "running"


@SQLITE
def test_a_starting_worker_fails_jobs_of_a_stopped_process(big_app: FastAPI, owner: Member) -> None:
    job_id = _running_job(big_app, owner, kind="ledger_import", lang="en", age_s=61)
    factory = big_app.state.sessionmaker
    worker = Worker(factory, stale_after_s=60)
    worker.shutdown()
    with factory() as session:
        ended = session.get(Job, job_id)
        assert ended is not None and ended.status == "failed"
        assert ended.error == "Interrupted: the server stopped while this job ran; start it again."


@SQLITE
def test_heartbeat_is_renewed_while_a_job_runs(
    big_app: FastAPI, owner: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = _running_job(big_app, owner, kind="ledger_import", lang="de", age_s=100)
    factory = big_app.state.sessionmaker
    worker = Worker(factory, heartbeat_s=0.05, stale_after_s=1000)
    release = threading.Event()
    monkeypatch.setattr(worker, "run", lambda _job_id: release.wait(10))
    done = worker.submit(job_id)
    time.sleep(0.5)
    with factory() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "running"
        assert not job_store.is_stale(job, now=utcnow(), stale_after_s=1), "heartbeat renewed"
    release.set()
    done.result(timeout=10)
    worker.shutdown()
