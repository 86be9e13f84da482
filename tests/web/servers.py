"""A real ``kreislauf serve`` process on loopback (HTTP, or HTTPS with a certificate) for
tests that need a real server: a second host, the PACT conformance cases; and the database
such a server (or a CLI command) starts from: a company with its owner."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.error import URLError

import pytest
from sqlalchemy.orm import Session

from kreislauf.store import account as account_store
from kreislauf.store import make_engine, make_sessionmaker, upgrade
from kreislauf.store import passport as passport_store
from kreislauf.store.models import Organisation


def owned_organisation(
    session: Session, *, slug: str, name: str, email: str = "o@example.org"
) -> Organisation:
    """A company ``slug`` with a new user ``email`` as its owner."""
    user = account_store.create_user(session, email=email, name="Owner", password="x" * 12)
    return account_store.create_organisation(
        session, owner=user, slug=slug, name=name, kind="company"
    )


def company_database(url: str, *, slug: str = "acme", name: str = "Acme") -> None:
    """Migrate the database at ``url`` and add the company ``slug`` with its owner."""
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine).begin() as session:
            owned_organisation(session, slug=slug, name=name)
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(
    database_url: str,
    folder: Path,
    *,
    name: str = "server",
    tls: tuple[Path, Path] | None = None,
    with_worker: bool = False,
) -> Iterator[str]:
    """Start ``kreislauf serve`` on ``database_url``; yields its base URL (no slash).

    tls : certificate and key files: serve HTTPS (``--ssl-certfile/--ssl-keyfile``), the
        certificate trusted for the start-up check.
    with_worker : ``--with-worker`` (PostgreSQL: the server runs queued jobs itself).

    Waits up to 5 minutes for it to answer: on a loaded 2-core machine importing the app
    took over a minute.
    """
    port = free_port()
    env = {**os.environ, "KREISLAUF_SECRET_KEY": f"{name}-" + "k" * 40}
    command = [
        *(sys.executable, "-c", "from kreislauf.cli import main; main()", "serve"),
        *("--host", "127.0.0.1", "--port", str(port), "--database", database_url),
    ]
    if with_worker:
        command.append("--with-worker")
    context = None
    if tls is not None:
        command += ["--ssl-certfile", str(tls[0]), "--ssl-keyfile", str(tls[1])]
        context = ssl.create_default_context(cafile=str(tls[0]))
    log_path = folder / f"{name}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a loaded machine imports slowly
        while True:
            try:
                urllib.request.urlopen(
                    f"{base}/pact/.well-known/openid-configuration", timeout=2, context=context
                )
                break
            except (URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{name} did not start: " + log_path.read_text(errors="replace"))
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        log.close()


class Requester:
    """Another company's kreislauf as a PACT requester (a real server process): the base
    URL of its PACT host, its database, and the supplier's credentials there."""

    def __init__(self, base: str, url: str, credentials: dict[str, str]) -> None:
        self.base, self.url, self.credentials = base, url, credentials

    def received(self) -> list[Any]:
        """The events its inbox holds: (kind, source, data), newest first."""
        engine = make_engine(self.url)
        try:
            with make_sessionmaker(engine)() as session:
                organisation = passport_store.organisation_by_slug(session, "oem")
                rows = passport_store.pact_requests(session, organisation_id=organisation.id)
                return [(r.kind, r.source, dict(r.data)) for r in rows]
        finally:
            engine.dispose()


@contextmanager
def requester_host(folder: Path) -> Iterator[Requester]:
    """A requester's kreislauf on SQLite (organisation ``oem``) with a PACT client for the
    supplier, served on loopback HTTP."""
    url = f"sqlite:///{folder / 'oem.db'}"
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        org = owned_organisation(session, slug="oem", name="OEM", email="oem@example.org")
        client, secret = passport_store.create_pact_client(
            session, organisation_id=org.id, name="supplier acme"
        )
        credentials = {"client_id": client.client_id, "client_secret": secret}
    engine.dispose()
    with running_server(url, folder, name="requester") as base:
        yield Requester(f"{base}/pact", url, credentials)
