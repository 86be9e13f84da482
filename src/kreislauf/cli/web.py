"""``kreislauf serve`` and ``kreislauf demo``: run the web platform."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from kreislauf.cli.common import console, env_lang
from kreislauf.cli.db import DatabaseOption, database_url
from kreislauf.errors import InvalidOption
from kreislauf.i18n import translate

# uvicorn, kreislauf.store, kreislauf.settings and the web app are imported inside the
# commands, so that ``kreislauf --help`` does not load them.

HostOption = Annotated[str, typer.Option("--host", help="Adresse / bind address.")]
PortOption = Annotated[int, typer.Option("--port", help="Port.")]
#: uvicorn's httptools protocol with TCP_NODELAY (see kreislauf.web.server; imported by name
#: so that the CLI does not load the web app before it is needed).
NODELAY_PROTOCOL = "kreislauf.web.server:NoDelayHttpToolsProtocol"
WorkersOption = Annotated[int, typer.Option("--workers", min=1, help="Prozesse / processes.")]
CertOption = Annotated[
    Path | None, typer.Option("--ssl-certfile", help="TLS-Zertifikat (PEM) / certificate.")
]
KeyOption = Annotated[
    Path | None, typer.Option("--ssl-keyfile", help="TLS-Schlüssel (PEM) / private key.")
]
WithWorkerOption = Annotated[
    bool,
    typer.Option(
        "--with-worker/--without-worker",
        help="PostgreSQL: auch Aufträge in jedem Webprozess ausführen / also run jobs in "
        "every web process (Standard/default: nur/only 'kreislauf worker'). SQLite: "
        "Aufträge laufen immer im Webprozess / jobs always run in the web process.",
    ),
]


def check_database(url: str) -> None:
    """Refuse to start on an unreachable or un-migrated database (clear message, exit 4)."""
    from kreislauf.store import check_schema, make_engine

    engine = make_engine(url)
    try:
        check_schema(engine)
    finally:
        engine.dispose()


def run_server(
    url: str,
    *,
    host: str,
    port: int,
    workers: int,
    ssl_certfile: Path | None = None,
    ssl_keyfile: Path | None = None,
    with_worker: bool = False,
) -> None:
    """Serve the app with uvicorn; workers read the database URL from the environment.

    uvicorn reads ``X-Forwarded-For``/``-Proto`` only from the ``trusted_proxies`` setting
    (its own default would trust 127.0.0.1, letting anyone behind a local proxy pick their
    address); an empty list trusts nobody. With ``ssl_certfile`` and ``ssl_keyfile`` it
    serves HTTPS (PACT requires it for ``/pact``).
    """
    import uvicorn

    from kreislauf.settings import Settings

    check_database(url)
    # not get_settings(): its cache would keep the database URL set just below unread
    proxies = [str(network) for network in Settings().trusted_proxies]
    os.environ["KREISLAUF_DATABASE_URL"] = url
    os.environ["KREISLAUF_QUEUE_WITH_WORKER"] = "true" if with_worker else "false"
    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise InvalidOption(
            option="--ssl-certfile/--ssl-keyfile", value="one of them", expected="both or none"
        )
    scheme = "https" if ssl_certfile else "http"
    console.print(
        translate("web.serving", env_lang(), url=f"{scheme}://{host}:{port}/"),
        highlight=False,
        soft_wrap=True,
    )
    if url.startswith("postgresql") and not with_worker:
        console.print(translate("jobs.cli.serve_no_worker", env_lang()), highlight=False)
    uvicorn.run(
        "kreislauf.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=True,
        forwarded_allow_ips=proxies,
        http=NODELAY_PROTOCOL,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
    )


def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    database: DatabaseOption = None,
    workers: WorkersOption = 1,
    ssl_certfile: CertOption = None,
    ssl_keyfile: KeyOption = None,
    with_worker: WithWorkerOption = False,
) -> None:
    """Web-Plattform starten / start the web platform.

    On PostgreSQL jobs (reports, big imports) run in 'kreislauf worker' processes, unless
    --with-worker; on SQLite in the web process.
    """
    run_server(
        database_url(database),
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        with_worker=with_worker,
    )


def demo(
    database: DatabaseOption = None,
    port: PortOption = 8000,
    host: HostOption = "127.0.0.1",
    ssl_certfile: CertOption = None,
    ssl_keyfile: KeyOption = None,
) -> None:
    """Demo anlegen und starten / create the demo database and serve it."""
    from kreislauf.settings import Settings
    from kreislauf.web.demo import DEMO_EMAIL, DEMO_PASSWORD, create_demo
    from kreislauf.web.services.exchange import seed_exchange_demo
    from kreislauf.web.services.passport import publish_demo_footprints

    url = database or Settings(database_url=_demo_default()).database_url
    create_demo(url)
    publish_demo_footprints(url)  # two Active footprints on the PACT host (docs/passport.md)
    seed_exchange_demo(url)
    console.print(
        translate(
            "web.demo.ready",
            env_lang(),
            url=f"{'https' if ssl_certfile else 'http'}://{host}:{port}/",
            email=DEMO_EMAIL,
            password=DEMO_PASSWORD,
        ),
        highlight=False,
        soft_wrap=True,  # URL and login on one line, whatever the terminal width
    )
    run_server(  # with_worker: on PostgreSQL the demo runs its jobs too
        url,
        host=host,
        port=port,
        workers=1,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        with_worker=True,
    )


def _demo_default() -> str:
    from kreislauf.settings import data_dir

    return os.environ.get("KREISLAUF_DATABASE_URL") or f"sqlite:///{data_dir() / 'demo.db'}"
