"""``kreislauf jobs …``: the operators' view of background jobs, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kreislauf.cli.common import console, env_lang
from kreislauf.cli.db import DatabaseOption, database_url
from kreislauf.i18n import translate

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from kreislauf.settings import Settings
    from kreislauf.store.models import Job

# the store, the settings and the web package are imported inside the commands.

app = typer.Typer(
    help="Hintergrundaufträge / background jobs: list, show, retry, cancel, schedules.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="JSON statt Tabelle / JSON output.")]
JobId = Annotated[int, typer.Argument(help="Auftrags-ID / job id.", min=1)]


@contextmanager
def _database(database: str | None) -> Iterator[tuple[Settings, sessionmaker[Session]]]:
    from kreislauf.cli.web import check_database
    from kreislauf.settings import Settings
    from kreislauf.store import make_engine, make_sessionmaker

    url = database_url(database)
    check_database(url)
    engine = make_engine(url)
    try:
        yield Settings().model_copy(update={"database_url": url}), make_sessionmaker(engine)
    finally:
        engine.dispose()


def _duration_s(job: Job) -> float | None:
    if job.started_at is None:
        return None
    end = job.finished_at or datetime.now(UTC)
    start, end = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in (job.started_at, end))
    return round((end - start).total_seconds(), 3)


def _record(job: Job, slug: str | None = None) -> dict[str, Any]:
    return {
        "id": job.id,
        "organisation": slug,
        "kind": job.kind,
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "attempts": job.attempts,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "duration_s": _duration_s(job),
        "error": job.error,
        "result_name": job.result_name,
        "queue_id": job.queue_id,
    }


@app.command("list")
def list_command(
    database: DatabaseOption = None,
    status: Annotated[
        str | None, typer.Option("--status", help="z. B./e.g. failed,running")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Art / kind.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Organisation (slug).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Höchstens / at most.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Aufträge aller Organisationen, neueste zuerst / jobs of every organisation, newest first."""
    from rich.table import Table

    from kreislauf.store import job as job_store

    statuses = [part.strip() for part in (status or "").split(",") if part.strip()]
    with _database(database) as (_settings, sessions), sessions() as session:
        rows = job_store.list_jobs(
            session, statuses=statuses, kind=kind, organisation=org, limit=limit
        )
        records = [_record(job, slug) for job, slug in rows]
    if as_json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    lang = env_lang()
    table = Table(*(translate(f"jobs.cli.column.{c}", lang) for c in _COLUMNS))
    for record in records:
        table.add_row(*(_cell(record, column) for column in _COLUMNS))
    console.print(table)


_COLUMNS = ("id", "organisation", "kind", "status", "attempts", "progress", "duration_s", "error")


def _cell(record: dict[str, Any], column: str) -> str:
    value = record[column]
    if value is None:
        return "–"
    if column == "progress":
        return f"{value:.0%}"
    if column == "error":
        return str(value)[:60]
    return str(value)


@app.command("show")
def show_command(job_id: JobId, database: DatabaseOption = None) -> None:
    """Ein Auftrag mit allen Feldern (JSON), auf PostgreSQL mit seinem Lauf in der
    Warteschlange / one job with every field (JSON), on PostgreSQL with its queue run."""
    from kreislauf.store import job as job_store
    from kreislauf.store.queue_schema import queue_state

    with _database(database) as (_settings, sessions), sessions() as session:
        job = job_store.any_job(session, job_id)
        record = _record(job)
        record["params"] = job.params
        record["queue"] = queue_state(session, job.queue_id) if job.queue_id else None
    typer.echo(json.dumps(record, ensure_ascii=False, indent=2, default=str))


@app.command("retry")
def retry_command(job_id: JobId, database: DatabaseOption = None) -> None:
    """Einen beendeten Auftrag erneut einreihen / queue an ended job again.

    On SQLite it runs in this command, which waits for its end.
    """
    from kreislauf.store import job as job_store
    from kreislauf.web.jobs import retry_job
    from kreislauf.web.worker import make_runner

    with _database(database) as (settings, sessions):
        runner = make_runner(settings, sessions)
        try:
            with sessions() as session:
                job = retry_job(runner, session, job_store.any_job(session, job_id))
                queued = job.id
        finally:
            runner.shutdown()
        with sessions() as session:
            status = job_store.any_job(session, queued).status
    console.print(translate("jobs.cli.retried", env_lang(), id=queued, status=status))


@app.command("cancel")
def cancel_command(job_id: JobId, database: DatabaseOption = None) -> None:
    """Einen wartenden oder laufenden Auftrag abbrechen / cancel a queued or running job."""
    from kreislauf.store import job as job_store
    from kreislauf.web.jobs import cancel_job
    from kreislauf.web.worker import make_runner

    with _database(database) as (settings, sessions):
        runner = make_runner(settings, sessions)
        try:
            with sessions() as session:
                job = job_store.any_job(session, job_id)
                cancel_job(runner, session, job, by=translate("jobs.cli.operator", env_lang()))
        finally:
            runner.shutdown()
    console.print(translate("jobs.cli.cancelled", env_lang(), id=job_id))


@app.command("schedules")
def schedules_command(as_json: JsonOption = False) -> None:
    """Die geplanten Aufgaben (cron, UTC) und ihr nächster Termin / the schedules and when
    each runs next."""
    from croniter import croniter

    import kreislauf.web.services  # noqa: F401  (every domain declares its schedules)
    from kreislauf.web.jobs import schedules

    now = datetime.now(UTC)
    records = [
        {
            "name": name,
            "cron": schedule.cron,
            "next": croniter(schedule.cron, now).get_next(datetime).isoformat(),
            "doc": (schedule.run.__doc__ or "").strip().splitlines()[0:1],
        }
        for name, schedule in sorted(schedules().items())
    ]
    if as_json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for record in records:
        summary = " ".join(record["doc"])
        console.print(f"{record['name']}  [{record['cron']}]  → {record['next']}  {summary}")


@app.command("run")
def run_command(
    name: Annotated[str, typer.Argument(help="Name der geplanten Aufgabe / schedule name.")],
    database: DatabaseOption = None,
) -> None:
    """Eine geplante Aufgabe jetzt einmal ausführen (SQLite: aus cron) / run a schedule
    once now (SQLite: from cron)."""
    import kreislauf.web.services  # noqa: F401
    from kreislauf.errors import InvalidOption
    from kreislauf.web.jobs import schedules
    from kreislauf.web.queue import configure_logging, run_schedule

    declared = schedules()
    if name not in declared:
        raise InvalidOption(value=name, option="NAME", expected=", ".join(sorted(declared)))
    configure_logging()
    with _database(database) as (_settings, sessions):
        run_schedule(name, sessions=sessions, due=datetime.now(UTC))
    console.print(translate("jobs.cli.ran", env_lang(), name=name))
