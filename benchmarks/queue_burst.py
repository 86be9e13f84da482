"""Queue benchmark (not a test): a burst of carbon reports, and the web API meanwhile.

Starts ``kreislauf serve --workers 2`` on PostgreSQL (schema ``kreislauf_bench_burst`` of the
local ``test`` database, recreated) with the demo data, and measures the dashboard API of the
demo company (``--users`` clients, API token) in three phases:

1. quiet: no job running (``--quiet-s`` seconds);
2. burst: ``--reports`` carbon report PDFs of the demo company queued at once (each with its
   own parameters, so none is an identical twin of another), the API measured until the
   queue has drained; the time to drain [s];

in two set-ups, one after the other on a fresh schema each:

- ``separate``: the web processes run no job; ``--job-workers`` ``kreislauf worker``
  processes (two jobs at a time each) run the burst;
- ``in-web``: ``kreislauf serve --with-worker``: each web process also runs a worker (two
  jobs at a time), no separate worker process.

Usage::

    python benchmarks/queue_burst.py [--reports 100] [--users 8] [--quiet-s 20] [--job-workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from queue_common import (
    fresh_schema,
    load_average,
    percentile,
    start_workers,
    stop,
)
from sqlalchemy import func, select

from kreislauf.settings import Settings
from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store.models import Job, Organisation
from kreislauf.web import jobs
from kreislauf.web.demo import DEMO_EMAIL, DEMO_PASSWORD, create_demo
from kreislauf.web.queue import QueueRunner

REPORT = "carbon_report_pdf"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(url: str, port: int, *, with_worker: bool) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("kreislauf")), "serve", "--database", url,
               "--port", str(port), "--workers", "2"]  # fmt: skip
    if with_worker:
        command.append("--with-worker")
    env = os.environ | {"KREISLAUF_SECRET_KEY": "b" * 48, "KREISLAUF_QUEUE_CONCURRENCY": "2"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("server did not start")


def _token(base: str) -> str:
    with httpx.Client(base_url=base, timeout=60) as client:
        login = client.post(
            "/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
        login.raise_for_status()
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        token: str = client.post("/api/v1/me/tokens", json={"name": "bench"}).json()["token"]
        client.get("/api/v1/orgs/demo-gmbh/dashboard", headers={"Authorization": f"Bearer {token}"})
    return token


async def _measure(base: str, token: str, users: int, until: object) -> tuple[list[float], int]:
    """Dashboard API latencies [ms] and errors while ``until()`` is false."""
    latencies: list[float] = []
    errors = 0
    headers = {"Authorization": f"Bearer {token}"}

    async def user(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not until():  # type: ignore[operator]
            start = time.perf_counter()
            try:
                response = await client.get("/api/v1/orgs/demo-gmbh/dashboard", headers=headers)
                if response.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - start) * 1000)

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await asyncio.gather(*(user(client) for _ in range(users)))
    return latencies, errors


def _drained(sessions, ids: list[int]) -> bool:  # type: ignore[no-untyped-def]
    with sessions() as session:
        left = session.scalar(
            select(func.count()).where(Job.id.in_(ids), Job.status.in_(("queued", "running")))
        )
    return left == 0


def run(mode: str, reports: int, users: int, quiet_s: float, job_workers: int) -> dict[str, float]:
    url = fresh_schema("kreislauf_bench_burst")
    create_demo(url)
    settings = Settings(database_url=url, secret_key="b" * 48)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    port = _free_port()
    server = _serve(url, port, with_worker=mode == "in-web")
    workers = start_workers(url, job_workers, concurrency=2) if mode == "separate" else []
    base = f"http://127.0.0.1:{port}"
    try:
        token = _token(base)
        stop_at = time.monotonic() + quiet_s
        quiet, quiet_errors = asyncio.run(
            _measure(base, token, users, lambda: time.monotonic() > stop_at)
        )
        runner = QueueRunner(settings)
        with sessions() as session:
            organisation_id = session.scalar(
                select(Organisation.id).where(Organisation.slug == "demo-gmbh")
            )
        ids = []
        began = time.monotonic()
        for n in range(reports):
            with sessions() as session:
                job = jobs.create_job(
                    session,
                    organisation_id=organisation_id,
                    kind=REPORT,
                    params={"lang": "de", "n": n},
                )
                ids.append(jobs.submit_to(runner, session, job).id)
        burst, burst_errors = asyncio.run(
            _measure(base, token, users, lambda: _drained(sessions, ids))
        )
        drain_s = time.monotonic() - began
        with sessions() as session:
            done = session.scalar(select(func.count()).where(Job.id.in_(ids), Job.status == "done"))
    finally:
        stop(workers)
        stop([server])
        engine.dispose()
    return {
        "quiet_p50": percentile(quiet, 0.5),
        "quiet_p95": percentile(quiet, 0.95),
        "quiet_rps": len(quiet) / quiet_s,
        "burst_p50": percentile(burst, 0.5),
        "burst_p95": percentile(burst, 0.95),
        "burst_rps": len(burst) / drain_s,
        "drain_s": drain_s,
        "done": float(done or 0),
        "errors": float(quiet_errors + burst_errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--quiet-s", type=float, default=20)
    parser.add_argument("--job-workers", type=int, default=2)
    parser.add_argument("--modes", default="separate,in-web")
    args = parser.parse_args()
    print(f"load average at start: {load_average()}")
    print("| set-up | API p50 / p95 quiet | API p50 / p95 during the burst | req/s quiet / burst "
          "| reports done | drain time | errors |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for mode in args.modes.split(","):
        f = run(mode, args.reports, args.users, args.quiet_s, args.job_workers)
        print(
            f"| {mode} | {f['quiet_p50']:.0f} / {f['quiet_p95']:.0f} ms | "
            f"{f['burst_p50']:.0f} / {f['burst_p95']:.0f} ms | "
            f"{f['quiet_rps']:.0f} / {f['burst_rps']:.0f} | {f['done']:.0f} of {args.reports} | "
            f"{f['drain_s']:.0f} s | {f['errors']:.0f} |",
            flush=True,
        )
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
