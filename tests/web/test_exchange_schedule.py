"""The nightly forecast refresh: declared with @periodic, and running it refreshes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from kreislauf.exchange.forecast import forecast_availability
from kreislauf.store import exchange as exchange_store
from kreislauf.store.models import ExchangeSeries
from kreislauf.web import jobs
from kreislauf.web.services import exchange
from tests.exchange.forecast_fixtures import small_history
from tests.web.web_helpers import Member


def test_the_refresh_is_declared_next_to_the_exchange_job() -> None:
    schedule = jobs.schedules()["exchange_forecast_refresh"]
    assert schedule.cron == "30 2 * * *"
    assert schedule.run is exchange.exchange_forecast_refresh
    assert schedule.run.__module__ == "kreislauf.web.services.exchange"


def test_running_it_recomputes_every_stored_series(app: FastAPI) -> None:
    members = [Member(app, f"o{n}@example.org", "O") for n in range(2)]
    ids = [int(m.org(f"org-{n}")["id"]) for n, m in enumerate(members)]  # type: ignore[call-overload]
    history = small_history(months=36)
    sessions = app.state.sessionmaker
    with sessions() as session, session.begin():
        for organisation_id in ids:  # stored without forecast, as if never computed
            exchange_store.store_series(
                session, organisation_id=organisation_id,
                history=exchange.history_series(history), horizon=3, forecasts={},
            )  # fmt: skip
    due = datetime(2026, 12, 2, 2, 30, tzinfo=UTC)
    jobs.schedules()["exchange_forecast_refresh"].run(
        jobs.ScheduleContext("exchange_forecast_refresh", due, sessions)
    )
    expected = {s.id: s for s in forecast_availability(history, horizon=3).series}
    with sessions() as session:
        rows = session.query(ExchangeSeries).order_by(ExchangeSeries.id).all()
        assert len(rows) == 4
        for row in rows:
            assert row.forecast is not None and row.forecast_at is not None
            want = expected[row.series_id]
            assert row.forecast["model"] == want.model
            assert row.forecast["mase"] == pytest.approx(want.mase)
            assert [p["mean"] for p in row.forecast["forecast"]] == pytest.approx(
                [p.mean for p in want.forecast]
            )
