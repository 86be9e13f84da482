"""Queue benchmark (not a test): enqueue-to-start latency and throughput of no-op jobs.

For each number of ``kreislauf worker`` processes (``--workers 1,2,4``, one job at a time
each) on PostgreSQL (schema ``kreislauf_bench_queue`` of the local ``test`` database,
recreated):

1. latency: ``--latency-jobs`` no-op jobs submitted one every ``--interval`` seconds the way
   the web app submits them (job row and procrastinate job in one transaction); the time
   from the job row's creation to its start (``started_at - created_at``), p50/p95 [ms];
2. throughput: ``--burst`` no-op jobs submitted at once; jobs per second from the first
   submission to the last job's end, and the submission rate.

Usage::

    python benchmarks/queue_latency.py [--workers 1,2,4] [--latency-jobs 200]
                                       [--interval 0.05] [--burst 500]
"""

from __future__ import annotations

import argparse
import time

from queue_common import (
    NOOP,
    fresh_schema,
    load_average,
    percentile,
    start_workers,
    stop,
)
from sqlalchemy import func, select

from kreislauf.settings import Settings
from kreislauf.store import make_engine, make_sessionmaker, upgrade
from kreislauf.store.models import Job, Organisation
from kreislauf.web import jobs
from kreislauf.web.jobs import JobResult
from kreislauf.web.queue import QueueRunner

jobs.register(NOOP)(lambda job: JobResult("noop.txt", "text/plain", b""))


def _submit(sessions, runner: QueueRunner, organisation_id: int, n: int) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        job = jobs.create_job(session, organisation_id=organisation_id, kind=NOOP, params={"n": n})
        jobs.submit_to(runner, session, job)


def _wait_done(sessions, ids: range, timeout_s: float = 900) -> list[Job]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with sessions() as session:
            done = session.scalar(
                select(func.count()).where(
                    Job.params["n"].as_integer().in_(ids), Job.status == "done"
                )
            )
            if done == len(ids):
                rows = session.scalars(select(Job).where(Job.params["n"].as_integer().in_(ids)))
                found = list(rows)
                for row in found:
                    session.expunge(row)
                return found
        time.sleep(0.1)
    raise SystemExit("jobs did not finish in time")


def run(workers: int, latency_jobs: int, interval: float, burst: int) -> dict[str, float]:
    url = fresh_schema("kreislauf_bench_queue")
    upgrade(url)
    settings = Settings(database_url=url, secret_key="b" * 48)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        organisation = Organisation(slug="bench", name="Bench", kind="company")
        session.add(organisation)
        session.flush()
        organisation_id = organisation.id
    runner = QueueRunner(settings)
    processes = start_workers(url, workers)
    try:
        for n in range(latency_jobs):
            _submit(sessions, runner, organisation_id, n)
            time.sleep(interval)
        timed = _wait_done(sessions, range(latency_jobs))
        waits = [(j.started_at - j.created_at).total_seconds() * 1000 for j in timed]  # type: ignore[operator]
        first = latency_jobs
        began = time.monotonic()
        for n in range(first, first + burst):
            _submit(sessions, runner, organisation_id, n)
        submitted_s = time.monotonic() - began
        drained = _wait_done(sessions, range(first, first + burst))
        start = min(j.created_at for j in drained)
        end = max(j.finished_at for j in drained)  # type: ignore[type-var]
        span = (end - start).total_seconds()
    finally:
        stop(processes)
        engine.dispose()
    return {
        "p50_ms": percentile(waits, 0.50),
        "p95_ms": percentile(waits, 0.95),
        "max_ms": max(waits),
        "jobs_per_s": burst / span,
        "submitted_per_s": burst / submitted_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--latency-jobs", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--burst", type=int, default=500)
    args = parser.parse_args()
    print(f"load average at start: {load_average()}")
    print("| workers | start latency p50 | p95 | max | throughput | submitted |")
    print("|---|---|---|---|---|---|")
    for count in (int(part) for part in args.workers.split(",")):
        figures = run(count, args.latency_jobs, args.interval, args.burst)
        print(
            f"| {count} | {figures['p50_ms']:.0f} ms | {figures['p95_ms']:.0f} ms | "
            f"{figures['max_ms']:.0f} ms | {figures['jobs_per_s']:.0f} jobs/s | "
            f"{figures['submitted_per_s']:.0f} jobs/s |",
            flush=True,
        )
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
