"""Benchmark of the passport's public side and the PACT list (not a test; run by hand).

Starts ``kreislauf serve --workers N`` on PostgreSQL (a fresh schema) with one company, the
demo passport TM-200 published and ``--footprints`` further PACT footprints (copies of its
footprint with their own ids and product ids), then

1. ``--users`` concurrent clients for ``--duration`` seconds each: a static file
   (``/static/kreislauf.css``, the stack's ceiling), the public passport page
   ``/p/{id}`` and the GS1 resolver ``/01/{gtin}`` (its 307, not followed); reports
   requests/s, the ratio to the static file, p50/p99 latency. Every page and resolver
   request writes an access-log row (as in production);
2. a PACT client lists every footprint with ``GET /pact/3/footprints?limit=L``, following
   ``Link: rel="next"`` to the end; reports pages, footprints and seconds per limit; then
   one filtered list (``productId`` of one footprint: one match among all) on v3 and the
   v2.3 ``$filter`` ``productIds/any(…)`` form, and the first v2 page.

Usage::

    python benchmarks/passport_web.py [--workers 4] [--users 20] [--duration 20]
                                      [--footprints 10000] [--limits 100,1000] [--pact-only]

The load client (asyncio/httpx from benchmarks/web_load.py, or wrk if installed) shares
the machine with the server: the figures are a lower bound.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sqlalchemy import select
from web_load import _free_port, _fresh_schema, _load, _wrk

from kreislauf.passport.pact_host import footprint_index
from kreislauf.store import account as account_store
from kreislauf.store import make_engine, make_sessionmaker, upgrade
from kreislauf.store import passport as passport_store
from kreislauf.store.models import PactFootprintTerm, PublishedFootprint


def _seed(url: str, footprints: int) -> tuple[str, str, dict[str, str]]:
    """One company with the demo passport and ``footprints`` more footprints."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.passport.passport_fixtures import demo_passport

    from kreislauf.web.services.passport_platform import publish

    upgrade(url)
    passport = demo_passport()
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        user = account_store.create_user(session, email="b@example.org", name="B",
                                         password="x" * 12)  # fmt: skip
        org = account_store.create_organisation(
            session, owner=user, slug="bench", name="Bench", kind="company"
        )
        done = publish(session, organisation_id=org.id, passport=passport)
        template = passport_store.published_footprint(
            session, organisation_id=org.id, footprint_id=str(done.footprint_id)
        )
        assert template is not None
        rows = []
        for number in range(footprints):
            footprint_id = str(uuid.uuid4())
            document = {**template, "id": footprint_id,
                        "productIds": [f"urn:pact:bench.example:product:{number}"]}  # fmt: skip
            rows.append({"organisation_id": org.id, "footprint_id": footprint_id,
                         "passport_id": str(passport.id), "passport_version": 1,
                         **passport_store.index_columns(document),
                         "document": document})  # fmt: skip
        session.execute(PublishedFootprint.__table__.insert(), rows)
        # the list criteria's terms, as publish_footprint stores them
        found = select(PublishedFootprint.footprint_id, PublishedFootprint.id)
        ids = {footprint: row for footprint, row in session.execute(found)}
        terms = [
            {"organisation_id": org.id, "footprint": ids[row["footprint_id"]],
             "criterion": criterion, "value": value}
            for row in rows
            for criterion, value in footprint_index(row["document"]).terms
        ]  # fmt: skip
        session.execute(PactFootprintTerm.__table__.insert(), terms)
        client, secret = passport_store.create_pact_client(
            session, organisation_id=org.id, name="bench"
        )
        credentials = {"client_id": client.client_id, "client_secret": secret}
    engine.dispose()
    gtin = (passport.identification.gtin or "").zfill(14)
    return str(passport.id), gtin, credentials


def _start(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``kreislauf serve`` (up to 15 minutes to start: a loaded machine imports slowly)."""
    command = [str(Path(sys.executable).with_name("kreislauf")), "serve", "--database", url,
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, env=os.environ | {"KREISLAUF_SECRET_KEY": "b" * 48})
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(1)
    process.kill()
    raise SystemExit("server did not start")


def _httpx_run(name: str, base: str, path: str, args: argparse.Namespace) -> float:
    asyncio.run(_load(base, args.users, args.warmup, "GET", path))
    latencies, errors = asyncio.run(_load(base, args.users, args.duration, "GET", path))
    latencies.sort()
    rps = len(latencies) / args.duration
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[int(len(latencies) * 0.99)]
    print(f"{name}: {len(latencies)} requests in {args.duration:.0f} s = {rps:.1f}/s, "
          f"errors {errors}, p50 {p50:.1f} ms, p99 {p99:.1f} ms")  # fmt: skip
    return rps


def _list_all(base: str, credentials: dict[str, str], path: str, name: str) -> None:
    basic = base64.b64encode(
        f"{credentials['client_id']}:{credentials['client_secret']}".encode()
    ).decode()
    with httpx.Client(timeout=120) as client:
        token = client.post(
            f"{base}/pact/auth/token", content="grant_type=client_credentials",
            headers={"Authorization": f"Basic {basic}",
                     "Content-Type": "application/x-www-form-urlencoded"},
        ).json()["access_token"]  # fmt: skip
        auth = {"Authorization": f"Bearer {token}"}
        url: str | None = f"{base}{path}"
        pages = found = 0
        slowest = 0.0
        start = time.perf_counter()
        while url:
            began = time.perf_counter()
            response = client.get(url, headers=auth)
            response.raise_for_status()
            slowest = max(slowest, time.perf_counter() - began)
            pages += 1
            found += len(response.json()["data"])
            link = response.headers.get("link", "")
            url = link.split(";")[0].strip("<> ") if 'rel="next"' in link else None
        total = time.perf_counter() - start
    print(f"PACT list, {name}: {found} footprints in {pages} pages, {total:.1f} s "
          f"({total / pages * 1000:.0f} ms per page, slowest {slowest * 1000:.0f} ms)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--footprints", type=int, default=10_000)
    parser.add_argument("--limits", default="100,1000")
    parser.add_argument("--pact-only", action="store_true", help="only the PACT list part")
    args = parser.parse_args()
    url = args.database or _fresh_schema()
    passport_id, gtin, credentials = _seed(url, args.footprints)
    port = _free_port()
    process = _start(url, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"load average before: {os.getloadavg()}; cores: {os.cpu_count()}")
        print(f"workers {args.workers}, users {args.users}, duration {args.duration:.0f} s")
        targets = [("static file", "/static/kreislauf.css"),
                   ("public passport page", f"/p/{passport_id}"),
                   ("GS1 resolver (307)", f"/01/{gtin}")]  # fmt: skip
        if args.pact_only:
            pass
        elif shutil.which("wrk"):
            for name, path in targets:
                _wrk(name, f"{base}{path}", "static.lua", args, process.pid)
        else:
            rates = {name: _httpx_run(name, base, path, args) for name, path in targets}
            static = rates["static file"]
            for name in list(rates)[1:]:
                print(f"{name}: {rates[name] / static:.2f} × the static file's rate")
        for limit in (int(x) for x in args.limits.split(",")):
            _list_all(base, credentials, f"/pact/3/footprints?limit={limit}", f"limit {limit}")
        one = f"urn:pact:bench.example:product:{args.footprints // 2}"
        _list_all(base, credentials, f"/pact/3/footprints?productId={one}", "v3 productId")
        odata = quote(f"productIds/any(p:(p eq '{one}'))")
        _list_all(base, credentials, f"/pact/2/footprints?$filter={odata}", "v2 $filter any")
        print(f"load average after: {os.getloadavg()}")
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
