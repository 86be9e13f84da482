"""Load benchmark of the web platform (not a test): dashboard API latency, submission rate.

Starts ``kreislauf serve --workers N`` on PostgreSQL with the demo data, then
1. ``--users`` concurrent clients request the dashboard API of the demo company for
   ``--duration`` seconds (API token auth); reports p50/p95/p99 latency [ms], requests/s
   and errors;
2. the same number of clients submit complete questionnaire responses through an anonymous
   token link for ``--duration`` seconds; reports responses/s and errors.

Usage::

    python benchmarks/web_load.py [--database URL] [--workers 4] [--users 50] [--duration 60]

The database URL defaults to the local PostgreSQL (``test`` database, schema
``kreislauf_bench``, recreated on each run). Client and server share the machine, so the
figures are a lower bound for a server with its own cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from kreislauf.web.demo import DEMO_EMAIL, DEMO_PASSWORD, create_demo

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA = "kreislauf_bench"
LIKERT = ("strategisches_ziel", "tagesgeschaeft", "marktposition", "eigenmotivation",
          "wettbewerbsdruck", "umsetzung", "wettbewerbsvorteil")  # fmt: skip


def _fresh_schema() -> str:
    engine = create_engine(SERVER)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    engine.dispose()
    return f"{SERVER}?options=-csearch_path%3D{SCHEMA}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("kreislauf")), "serve", "--database", url,
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, env=os.environ | {"KREISLAUF_SECRET_KEY": "b" * 48})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("server did not start")


def _prepare(base: str) -> tuple[str, str]:
    """An API token of the demo user and an anonymous link to the demo questionnaire."""
    with httpx.Client(base_url=base) as client:
        login = client.post(
            "/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
        login.raise_for_status()
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        token = client.post("/api/v1/me/tokens", json={"name": "bench"}).json()["token"]
        qid = client.get("/api/v1/orgs/demo-netzwerk/questionnaires").json()[0]["id"]
        link = client.post(
            f"/api/v1/orgs/demo-netzwerk/questionnaires/{qid}/links", json={"kind": "anonymous"}
        ).json()["token"]
    return token, link


async def _load(
    base: str, users: int, duration: float, method: str, path: str, **kwargs: object
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + duration
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)

    async def user(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
                ok = response.status_code < 400
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - start) * 1000)
            errors += 0 if ok else 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await asyncio.gather(*(user(client) for _ in range(users)))
    return latencies, errors


def _summary(name: str, latencies: list[float], errors: int, duration: float, cpu: float) -> None:
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{name}: the load client itself used {cpu:.0f} s CPU in {duration:.0f} s")
    print(
        f"{name}: {len(latencies)} requests in {duration:.0f} s = "
        f"{len(latencies) / duration:.1f}/s, "
        f"errors {errors}, latency p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, "
        f"p99 {cuts[98]:.1f} ms, max {max(latencies):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    args = parser.parse_args()
    url = args.database or _fresh_schema()
    create_demo(url)
    port = _free_port()
    process = _start(url, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        token, link = _prepare(base)
        auth = {"Authorization": f"Bearer {token}"}
        httpx.get(f"{base}/api/v1/orgs/demo-gmbh/dashboard", headers=auth)  # warm one worker
        print(f"workers {args.workers}, users {args.users}, duration {args.duration:.0f} s")
        cpu = time.process_time()
        latencies, errors = asyncio.run(
            _load(
                base,
                args.users,
                args.duration,
                "GET",
                "/api/v1/orgs/demo-gmbh/dashboard",
                headers=auth,
            )
        )
        _summary("dashboard API", latencies, errors, args.duration, time.process_time() - cpu)
        body = {"answers": dict.fromkeys(LIKERT, "4") | {"position": "Fachkraft"}, "submit": True}
        cpu = time.process_time()
        latencies, errors = asyncio.run(
            _load(base, args.users, args.duration, "POST", f"/api/v1/respond/{link}", json=body)
        )
        _summary(
            "questionnaire submission", latencies, errors, args.duration, time.process_time() - cpu
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
