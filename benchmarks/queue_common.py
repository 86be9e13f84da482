"""Shared by the queue benchmarks: a fresh schema, worker processes, job timings."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ROOT = Path(__file__).resolve().parents[1]
#: The no-op kind the benchmark's workers register besides the real ones.
NOOP = "bench_noop"
REGISTER_NOOP = (
    "from kreislauf.web import jobs; from kreislauf.web.jobs import JobResult; "
    f"jobs.register({NOOP!r})(lambda job: JobResult('noop.txt', 'text/plain', b'')); "
)


def fresh_schema(schema: str) -> str:
    """``schema`` of the local ``test`` database, recreated empty; its URL."""
    engine = create_engine(SERVER)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{SERVER}?options=-csearch_path%3D{schema}"


def start_workers(url: str, count: int, *, concurrency: int = 1) -> list[subprocess.Popen[bytes]]:
    """``count`` ``kreislauf worker`` processes (with the no-op kind); returns once all run."""
    code = REGISTER_NOOP + "from kreislauf.cli import main; import sys; main(sys.argv[1:])"
    args = ["worker", "--database", url, "--concurrency", str(concurrency)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            env=os.environ | {"PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    engine = create_engine(url)
    deadline = time.monotonic() + 300
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            running = connection.execute(
                text("SELECT count(*) FROM procrastinate_workers")
            ).scalar()
            connection.rollback()
            if running == count:
                break
            time.sleep(0.2)
        else:
            raise SystemExit("workers did not start")
    engine.dispose()
    return processes


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile [same unit as ``values``] (inclusive method)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())
