"""Load benchmark of the web platform (not a test): dashboard API latency, submission rate.

Starts ``kreislauf serve --workers N`` on PostgreSQL with the demo data, then
1. ``--users`` concurrent clients request the dashboard API of the demo company for
   ``--duration`` seconds (API token auth); reports p50/p95/p99 latency [ms], requests/s
   and errors;
2. the same number of clients submit complete questionnaire responses through an anonymous
   token link for ``--duration`` seconds; reports responses/s and errors.

3. with ``--client wrk``, also a static file (``/static/kreislauf.css``) as the machine's
   ceiling for comparison.

Usage::

    python benchmarks/web_load.py [--database URL] [--workers 4] [--users 50] [--duration 60]
                                  [--client wrk|httpx] [--threads 2] [--warmup 5]

Each wrk run is preceded by ``--warmup`` seconds of the same load that are not counted
(every worker process computes and caches the dashboard on its first request).

``--client wrk`` (the default) drives the load with `wrk` (Debian package ``wrk``) and the Lua
scripts in ``benchmarks/wrk/``; ``--client httpx`` uses the older asyncio/httpx client in this
file, which costs far more CPU per request. Besides latency, the CPU seconds used by the load
client and by the server processes are printed.

The database URL defaults to the local PostgreSQL (``test`` database, schema
``kreislauf_bench``, recreated on each run). Client and server share the machine, so the
figures are a lower bound for a server with its own cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
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


WRK_DIR = Path(__file__).resolve().parent / "wrk"


def _server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the server process and its workers so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids, total = [pid], 0.0
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _wrk(
    name: str, url: str, script: str, args: argparse.Namespace, server: int, token: str = ""
) -> None:
    """Run wrk against ``url`` and print its figures with the client and server CPU.

    A warm-up run of ``args.warmup`` seconds comes first and is not counted: every worker
    process computes (and caches) the dashboard on its first request.
    """
    command = ["wrk", f"-t{args.threads}", f"-c{args.users}", f"-d{args.duration:.0f}s",
               "--timeout", "10s", "-s", str(WRK_DIR / script), url]  # fmt: skip
    if args.warmup > 0:
        warm = [*command[:3], f"-d{args.warmup:.0f}s", *command[4:]]
        env = os.environ | {"KREISLAUF_TOKEN": token}
        subprocess.run(warm, env=env, capture_output=True, text=True, check=False)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = _server_cpu(server)
    output = subprocess.run(
        command, env=os.environ | {"KREISLAUF_TOKEN": token}, capture_output=True, text=True
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if output.returncode != 0:
        raise SystemExit(f"wrk failed: {output.stderr}{output.stdout}")
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    errors = sum(v for k, v in figures.items() if k.startswith("errors_"))
    print(
        f"{name}: {figures['requests']} requests in {figures['seconds']:.0f} s = "
        f"{figures['rps']:.1f}/s, errors {errors}, latency p50 {figures['p50_ms']:.1f} ms, "
        f"p95 {figures['p95_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
        f"max {figures['max_ms']:.1f} ms; CPU: wrk {client:.1f} s, "
        f"server {_server_cpu(server) - server_before:.1f} s"
    )
    if errors:
        print(f"{name}: error detail {figures}")


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
    parser.add_argument("--client", choices=("wrk", "httpx"), default="wrk")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="seconds of load before each measured run"
    )
    args = parser.parse_args()
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk) - or use --client httpx")
    url = args.database or _fresh_schema()
    create_demo(url)
    port = _free_port()
    process = _start(url, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        token, link = _prepare(base)
        auth = {"Authorization": f"Bearer {token}"}
        httpx.get(f"{base}/api/v1/orgs/demo-gmbh/dashboard", headers=auth)  # warm one worker
        print(
            f"workers {args.workers}, users {args.users}, duration {args.duration:.0f} s, "
            f"warm-up {args.warmup:.0f} s (wrk only)"
        )
        if args.client == "wrk":
            print(f"load client: wrk, {args.threads} threads, {args.users} connections")
            dashboard = f"{base}/api/v1/orgs/demo-gmbh/dashboard"
            _wrk("static file", f"{base}/static/kreislauf.css", "static.lua", args, process.pid)
            _wrk("dashboard API", dashboard, "dashboard.lua", args, process.pid, token)
            submit = f"{base}/api/v1/respond/{link}"
            _wrk("questionnaire submission", submit, "submit.lua", args, process.pid)
            return
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
