"""Job kinds and a schedule that exist only in the queue tests (tests/web/test_queue.py).

A worker process started by the tests imports this module and calls :func:`register_all`
before it runs (``python -c "…register_all(); main(['worker', …])"``); the test process
puts the same :data:`KINDS` into the registry with ``monkeypatch`` only while a test runs,
so that the registry the other tests check is left as the services made it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from kreislauf.errors import InvalidField
from kreislauf.web import jobs
from kreislauf.web.jobs import JobContext, JobKind, JobResult, ScheduleContext, Step

STEP = Step(0.0, "validating")
DONE = Step(1.0, "validating")


def flaky(job: JobContext) -> JobResult:
    """Fails with a real database fault (a refused connection) on its first run."""
    if job.attempt == 1:
        engine = create_engine(
            "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2}
        )
        try:
            with engine.connect() as connection:  # OperationalError: connection refused
                connection.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    return JobResult("attempt.txt", "text/plain", f"attempt {job.attempt}".encode())


def bad_input(job: JobContext) -> JobResult:
    """Fails like bad input does: a located message, never retried."""
    raise InvalidField(field="material", value="Unobtainium", expected="a known material")


def slow(job: JobContext) -> JobResult:
    """Works in small steps (about 0.05 s each) for ``seconds`` [s], writing progress."""
    steps = max(1, int(float(job.params.get("seconds", 30)) / 0.05))
    for done in range(steps):
        job.between(STEP, DONE, done, steps)
        time.sleep(0.05)
    return JobResult("slow.txt", "text/plain", b"slow")


KINDS = {
    "test_flaky": JobKind("test_flaky", flaky),
    "test_bad_input": JobKind("test_bad_input", bad_input),
    "test_slow": JobKind("test_slow", slow),
    "test_limited": JobKind("test_limited", slow, time_limit_s=1.0),
}


def tick(run: ScheduleContext) -> None:
    """Appends the time the run was due to the file named by KREISLAUF_TEST_TICKS."""
    with Path(os.environ["KREISLAUF_TEST_TICKS"]).open("a", encoding="utf-8") as ticks:
        ticks.write(run.due.isoformat() + "\n")


def register_all() -> None:
    for kind, spec in KINDS.items():
        jobs.register(kind, steps=spec.steps, time_limit_s=spec.time_limit_s, queue=spec.queue)(
            spec.handler
        )
    if os.environ.get("KREISLAUF_TEST_TICKS"):
        jobs.periodic("test_tick", cron="* * * * * *")(tick)  # every second
