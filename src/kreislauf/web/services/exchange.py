"""Exchange service: the forecast refresh as a background job.

A history (CSV/XLSX, ``series_id, period, quantity_t``) is kept with a queued job; the
worker (or a task of a queue in another process, :func:`kreislauf.web.worker.run_job`)
fits and backtests every series and stores the forecast document (JSON, the same as
``kreislauf exchange forecast --json``) as the job's result. Pages and API for listings,
matches and forecasts are not built yet (docs/exchange.md, "Not done").
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kreislauf.store import job as job_store
from kreislauf.store.models import Job
from kreislauf.web.jobs import JobContext, JobResult, Step, create_job, register

FORECAST = "exchange_forecast"
READING = Step(0.05, "reading")
#: Backtests and fits: most of the time (statsforecast reports no progress of its own).
FITTING = Step(0.2, "fitting")
DONE = Step(0.95)


def queue_forecast(
    db: Session,
    *,
    organisation_id: int,
    filename: str,
    content: bytes,
    horizon: int,
    lang: str,
) -> Job:
    """A queued forecast job keeping the history file (not committed: the route submits)."""
    job = create_job(
        db,
        organisation_id=organisation_id,
        kind=FORECAST,
        params={"lang": lang, "horizon": horizon},
    )
    job_store.add_file(db, job, field="history", filename=filename, content=content)
    return job


@register(FORECAST, steps=(READING, FITTING, DONE))
def exchange_forecast(job: JobContext) -> JobResult | None:
    """Read the kept history, forecast every series with its backtest, return the JSON."""
    from kreislauf.exchange.forecast import forecast_availability
    from kreislauf.exchange.io import history_from_table
    from kreislauf.tables import read_table_text

    job.advance(READING)
    with job.sessions() as session:
        row = session.get(Job, job.job_id)
        if row is None:
            return None
        (kept,) = [f for f in job_store.job_files(session, row) if f.field == "history"]
        name, content = kept.filename, kept.content
    history = history_from_table(read_table_text(content, name=name, comments=True))
    job.advance(FITTING)
    result = forecast_availability(history, horizon=int(job.params["horizon"]), source=name)
    job.advance(DONE)
    return JobResult("forecast.json", "application/json", result.to_json(indent=2).encode())
