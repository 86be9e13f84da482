"""``kreislauf worker``: run the jobs of the queue (PostgreSQL), as many processes as needed."""

from __future__ import annotations

from typing import Annotated

import typer

from kreislauf.cli.common import console_err, env_lang
from kreislauf.cli.db import DatabaseOption, database_url
from kreislauf.i18n import translate

# procrastinate, the store and the web package are imported inside the command.

ConcurrencyOption = Annotated[
    int | None,
    typer.Option(
        "--concurrency",
        min=1,
        help="Aufträge gleichzeitig / jobs at a time (Standard/default: "
        "KREISLAUF_QUEUE_CONCURRENCY, 2).",
    ),
]
QueuesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--queues",
        help="Nur diese Warteschlangen (mehrfach oder mit Komma) / only these queues "
        "(repeat or comma-separate); Standard/default: alle/all.",
    ),
]
NameOption = Annotated[
    str | None, typer.Option("--name", help="Name in Protokollen / name in the logs.")
]


def worker(
    database: DatabaseOption = None,
    concurrency: ConcurrencyOption = None,
    queues: QueuesOption = None,
    name: NameOption = None,
) -> None:
    """Aufträge der Warteschlange ausführen (PostgreSQL) / run queued jobs (PostgreSQL).

    Runs until SIGINT/SIGTERM; then takes no new job and lets the running ones finish
    (a second signal stops at once: those jobs run again on another worker). Logs one JSON
    line per event on stderr.
    """
    import asyncio

    from kreislauf.cli.web import check_database
    from kreislauf.settings import Settings
    from kreislauf.web.queue import configure_logging, conninfo, run_worker

    url = database_url(database)
    settings = Settings().model_copy(update={"database_url": url})
    conninfo(url)  # QueueNeedsPostgres on SQLite
    check_database(url)
    chosen = [part.strip() for value in queues or [] for part in value.split(",") if part.strip()]
    workers = concurrency or settings.queue_concurrency
    configure_logging()
    console_err.print(
        translate(
            "jobs.cli.worker_started",
            env_lang(),
            queues=", ".join(chosen) or "*",
            concurrency=workers,
        ),
        highlight=False,
        soft_wrap=True,
    )
    asyncio.run(run_worker(settings, concurrency=workers, queues=chosen or None, name=name))
