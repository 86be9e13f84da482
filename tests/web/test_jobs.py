"""The job registry: every kind registered by its service, creation checked, handlers run."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kreislauf.errors import NotFound
from kreislauf.store import job as job_store
from kreislauf.store.models import Job
from kreislauf.web import jobs
from kreislauf.web.jobs import JobContext, JobKind, JobResult, Step
from kreislauf.web.worker import Worker
from tests.web.web_helpers import Member

#: Every kind the services register, with the service module that registers it.
KINDS = {
    "ledger_import": "kreislauf.web.services.ledger",
    "carbon_report_pdf": "kreislauf.web.services.carbon",
    "pcf_report_pdf": "kreislauf.web.services.pcf",
    "survey_report_pdf": "kreislauf.web.services.survey",
    "exchange_forecast": "kreislauf.web.services.exchange",
    "advice_funding_import": "kreislauf.web.services.advice",
}
HALF = Step(0.5, "halfway")


def test_each_service_registers_its_kinds_with_ordered_steps() -> None:
    registered = jobs.job_kinds()
    assert {k: v.handler.__module__ for k, v in registered.items()} == KINDS
    for spec in registered.values():
        shares = [step.share for step in spec.steps]
        assert shares == sorted(shares) and all(0 <= s <= 1 for s in shares), spec.kind
    assert registered["ledger_import"].row_problems
    assert [k for k, v in registered.items() if v.row_problems] == ["ledger_import"]


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
