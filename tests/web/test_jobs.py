"""The job registry: every kind registered by its service, creation checked, handlers run."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from kreislauf.errors import NotFound
from kreislauf.store import job as job_store
from kreislauf.store.models import Job
from kreislauf.web import jobs
from kreislauf.web.jobs import JobContext, JobKind, JobResult, Step
from kreislauf.web.worker import Worker, run_job
from tests.web.web_helpers import Member

#: Every kind the services register, with the service module that registers it.
KINDS = {
    "ledger_import": "kreislauf.web.services.ledger",
    "carbon_report_pdf": "kreislauf.web.services.carbon",
    "pcf_report_pdf": "kreislauf.web.services.pcf",
    "survey_report_pdf": "kreislauf.web.services.survey",
    "exchange_forecast": "kreislauf.web.services.exchange",
    "advice_funding_import": "kreislauf.web.services.advice",
    "pact_reply": "kreislauf.web.services.pact_inbox",
}
#: Every schedule the services declare, each next to the job it runs (advice, exchange).
SCHEDULES = {"advice_funding_import": "0 3 * * 1", "exchange_forecast_refresh": "30 2 * * *"}
HALF = Step(0.5, "halfway")


def test_each_service_registers_its_kinds_with_ordered_steps() -> None:
    registered = jobs.job_kinds()
    assert {k: v.handler.__module__ for k, v in registered.items()} == KINDS
    for spec in registered.values():
        shares = [step.share for step in spec.steps]
        assert shares == sorted(shares) and all(0 <= s <= 1 for s in shares), spec.kind
    assert registered["ledger_import"].row_problems
    assert [k for k, v in registered.items() if v.row_problems] == ["ledger_import"]


def test_each_schedule_is_declared_once_with_its_cron() -> None:
    assert {name: s.cron for name, s in jobs.schedules().items()} == SCHEDULES
    with pytest.raises(ValueError, match="advice_funding_import"):
        jobs.periodic("advice_funding_import", cron="* * * * *")(lambda run: None)


def test_a_kind_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="ledger_import"):
        jobs.register("ledger_import")(lambda job: None)


def _org_id(member: Member) -> int:
    return int(str(member.org("acme")["id"]))


def test_unknown_kind_is_refused(app: FastAPI, member: Member) -> None:
    organisation_id = _org_id(member)
    with app.state.sessionmaker() as session:
        with pytest.raises(ValueError, match="report_xls"):
            jobs.create_job(session, organisation_id=organisation_id, kind="report_xls", params={})
        assert session.scalar(select(func.count()).select_from(Job)) == 0


def _echo(job: JobContext) -> JobResult:
    job.advance(HALF)
    if job.params.get("fail"):
        raise NotFound(what="thing", id=job.params["fail"])
    return JobResult("echo.txt", "text/plain", f"{job.lang}:{job.organisation_id}".encode())


def _run(app: FastAPI, organisation_id: int, params: dict[str, object], kind: str) -> Job:
    with app.state.sessionmaker() as session, session.begin():
        job = job_store.create_job(
            session, organisation_id=organisation_id, kind=kind, params=params
        )
    worker = Worker(app.state.sessionmaker)
    try:
        worker.run(job.id)
    finally:
        worker.shutdown()
    with app.state.sessionmaker() as session:
        ended = session.get(Job, job.id)
        assert ended is not None
        return ended


def test_the_worker_runs_a_registered_handler_by_kind(
    app: FastAPI, member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(jobs._REGISTRY, "test_echo", JobKind("test_echo", _echo, steps=(HALF,)))
    organisation_id = _org_id(member)

    done = _run(app, organisation_id, {"lang": "en"}, "test_echo")
    assert (done.status, done.progress, done.result_name) == ("done", 1.0, "echo.txt")
    assert done.result == f"en:{organisation_id}".encode() and done.stage is None

    failed = _run(app, organisation_id, {"lang": "en", "fail": "x1"}, "test_echo")
    assert failed.status == "failed" and failed.progress == 0.5
    assert "x1" in (failed.error or "") and failed.problems is None


def test_a_job_of_a_kind_nobody_registered_fails_naming_it(app: FastAPI, member: Member) -> None:
    failed = _run(app, _org_id(member), {}, "gone_kind")
    assert failed.status == "failed" and "gone_kind" in (failed.error or "")


SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@SQLITE
def test_a_cancelled_queued_job_never_starts_on_the_thread_pool(
    app: FastAPI, member: Member
) -> None:
    organisation_id = _org_id(member)
    with app.state.sessionmaker() as session, session.begin():
        job = job_store.create_job(
            session, organisation_id=organisation_id, kind="carbon_report_pdf", params={}
        )
    cancelled = member.client.post(f"/api/v1/orgs/acme/jobs/{job.id}/cancel?lang=en")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert run_job(app.state.sessionmaker, job.id) == "skipped"
    again = member.client.post(f"/api/v1/orgs/acme/jobs/{job.id}/cancel?lang=en")
    assert again.status_code == 409 and "already ended" in again.json()["detail"]


@SQLITE
def test_a_running_job_stops_at_its_next_step_when_cancelled(
    app: FastAPI, member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, go_on = threading.Event(), threading.Event()

    def waits(job: JobContext) -> JobResult:
        started.set()
        go_on.wait(30)
        job.advance(HALF)  # the row is cancelled: Superseded, nothing is kept
        return JobResult("never.txt", "text/plain", b"never")

    monkeypatch.setitem(jobs._REGISTRY, "test_waits", JobKind("test_waits", waits, steps=(HALF,)))
    organisation_id = _org_id(member)
    worker = Worker(app.state.sessionmaker)
    with app.state.sessionmaker() as session:
        job = jobs.create_job(
            session, organisation_id=organisation_id, kind="test_waits", params={}
        )
        job_id = jobs.submit_to(worker, session, job).id
    assert started.wait(30)
    assert member.client.post(f"/api/v1/orgs/acme/jobs/{job_id}/cancel").status_code == 200
    go_on.set()
    worker.shutdown()
    with app.state.sessionmaker() as session:
        ended = session.get(Job, job_id)
        assert ended is not None and ended.status == "cancelled"
        assert ended.result is None and ended.progress == 0.0 and ended.attempts == 1


def _raises_transient(job: JobContext) -> JobResult:
    raise OperationalError("SELECT 1", {}, OSError("server closed the connection"))


@SQLITE
def test_a_transient_fault_requeues_for_the_queue_and_fails_in_process(
    app: FastAPI, member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = JobKind("test_transient", _raises_transient)
    monkeypatch.setitem(jobs._REGISTRY, "test_transient", spec)
    organisation_id = _org_id(member)
    with app.state.sessionmaker() as session, session.begin():
        job = job_store.create_job(
            session, organisation_id=organisation_id, kind="test_transient", params={}
        )
    with pytest.raises(OperationalError):
        run_job(app.state.sessionmaker, job.id, retry_transient=True)
    with app.state.sessionmaker() as session:
        queued = session.get(Job, job.id)
        assert queued is not None and queued.status == "queued" and queued.attempts == 1
        assert "attempt 1: OperationalError" in (queued.error or "")
    assert run_job(app.state.sessionmaker, job.id) == "failed"  # the thread pool: no retry
    with app.state.sessionmaker() as session:
        failed = session.get(Job, job.id)
        assert failed is not None and failed.status == "failed" and failed.attempts == 2


@SQLITE
def test_a_step_past_the_time_limit_ends_the_job_failed(
    app: FastAPI, member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    def late(job: JobContext) -> JobResult:
        time.sleep(0.3)
        job.advance(HALF)
        return JobResult("late.txt", "text/plain", b"late")

    monkeypatch.setitem(jobs._REGISTRY, "test_late", JobKind("test_late", late, time_limit_s=0.1))
    organisation_id = _org_id(member)
    with app.state.sessionmaker() as session, session.begin():
        job = job_store.create_job(
            session, organisation_id=organisation_id, kind="test_late", params={"lang": "en"}
        )
    assert run_job(app.state.sessionmaker, job.id) == "failed"
    with app.state.sessionmaker() as session:
        failed = session.get(Job, job.id)
        assert failed is not None and failed.result is None
        assert failed.error == "Stopped: the job ran longer than the 0.1 s allowed for 'test_late'."
