"""Jobs in the store: heartbeat, stale jobs marked interrupted, files kept until the end."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreislauf.errors import NotFound
from kreislauf.store import account as account_store
from kreislauf.store import job as job_store
from kreislauf.store import ledger as ledger_store
from kreislauf.store.base import utcnow
from kreislauf.store.models import Job, JobFile

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demo-company" / "ledger.csv"
INTERRUPTED_DE = (
    "Abgebrochen: Der Server wurde beendet, während dieser Auftrag lief. "
    "Bitte starten Sie ihn erneut."
)


def _org(session: Session, slug: str = "acme") -> int:
    user = account_store.create_user(session, email=f"o@{slug}.org", name="O", password="x" * 12)
    return account_store.create_organisation(
        session, owner=user, slug=slug, name=slug.title(), kind="company"
    ).id


def _job(session: Session, org: int, *, age_s: float, status: str = "running") -> Job:
    job = job_store.create_job(session, organisation_id=org, kind="ledger_import", params={})
    job_store.add_file(session, job, field="file", filename="ledger.csv", content=b"period\n")
    if status == "running":
        job_store.start(session, job)
    job.heartbeat_at = utcnow() - timedelta(seconds=age_s)
    session.commit()
    return job


def _files(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(JobFile)))


def test_get_job_marks_a_stale_job_failed_and_keeps_its_files_for_a_retry(
    session: Session,
) -> None:
    # the fault was not the input's (a lost worker): `kreislauf jobs retry` can run it again
    org = _org(session)
    job = _job(session, org, age_s=61)
    assert _files(session) == 1
    read = job_store.get_job(session, organisation_id=org, job_id=job.id, stale_after_s=60)
    assert (read.status, read.error) == ("failed", INTERRUPTED_DE)
    assert read.finished_at is not None and _files(session) == 1


def test_a_job_with_a_recent_heartbeat_keeps_running(session: Session) -> None:
    org = _org(session)
    job = _job(session, org, age_s=30)
    read = job_store.get_job(session, organisation_id=org, job_id=job.id, stale_after_s=60)
    assert read.status == "running" and read.error is None and _files(session) == 1


def test_get_job_is_scoped_to_the_organisation(session: Session) -> None:
    job = _job(session, _org(session), age_s=0)
    other = _org(session, "other")
    with pytest.raises(NotFound):
        job_store.get_job(session, organisation_id=other, job_id=job.id, stale_after_s=60)


def test_expire_stale_covers_queued_and_running_jobs_of_every_organisation(
    session: Session,
) -> None:
    first, second = _org(session), _org(session, "other")
    stale_running = _job(session, first, age_s=500)
    stale_queued = _job(session, second, age_s=500, status="queued")
    fresh = _job(session, first, age_s=1)
    ended = _job(session, first, age_s=500)
    job_store.finish(session, ended, name="ledger.csv")
    session.commit()
    assert job_store.expire_stale(session, stale_after_s=120) == 2
    session.commit()
    statuses = {j.id: j.status for j in session.scalars(select(Job))}
    assert statuses == {
        stale_running.id: "failed",
        stale_queued.id: "failed",
        fresh.id: "running",
        ended.id: "done",
    }


def test_beat_renews_only_jobs_that_have_not_ended(session: Session) -> None:
    org = _org(session)
    running = _job(session, org, age_s=100)
    ended = _job(session, org, age_s=100)
    job_store.fail(session, ended, error="x")
    ended.heartbeat_at = before = utcnow() - timedelta(seconds=100)
    session.commit()
    job_store.beat(session, [running.id, ended.id])
    session.commit()
    session.expire_all()
    now = utcnow()
    assert not job_store.is_stale(running, now=now, stale_after_s=5)
    assert ended.heartbeat_at is not None
    assert abs(job_store._aware(ended.heartbeat_at) - before) < timedelta(seconds=1)


def test_set_progress_clamps_and_renews_the_heartbeat(session: Session) -> None:
    org = _org(session)
    job = _job(session, org, age_s=100)
    job_store.set_progress(session, job, 1.5, stage="storing")
    assert (job.progress, job.stage) == (1.0, "storing")
    assert not job_store.is_stale(job, now=utcnow(), stale_after_s=5)


def test_import_reports_progress_per_chunk(session: Session) -> None:
    seen: list[tuple[int, int]] = []
    upload = ledger_store.import_ledger(
        session,
        organisation_id=_org(session),
        path=EXAMPLE,
        on_progress=lambda stored, total: seen.append((stored, total)),
        chunk_rows=300,
    )
    assert upload.rows == 696
    assert seen == [(0, 696), (300, 696), (600, 696), (696, 696)]
