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


def test_the_refresh_extends_series_from_the_platforms_recurring_offers(app: FastAPI) -> None:
    from kreislauf.exchange import Listing

    buyer, seller = Member(app, "b@example.org", "B"), Member(app, "s@example.org", "S")
    buyer_id = int(buyer.org("buyer")["id"])  # type: ignore[call-overload]
    seller_id = int(seller.org("seller")["id"])  # type: ignore[call-overload]
    history = small_history(months=36)  # 2022-01 … 2024-12
    sessions = app.state.sessionmaker

    def offer(key: str, **fields: object) -> Listing:
        base: dict[str, object] = dict(
            id=key, side="offer", company="S", material="PP", quantity_t=6, interval="month",
            price_eur_per_t=400, lat=51.34, lon=12.37,
        )  # fmt: skip
        return Listing.model_validate({**base, **fields})

    early, february = datetime(2024, 11, 3, tzinfo=UTC), datetime(2025, 2, 15, tzinfo=UTC)
    with sessions() as session, session.begin():
        exchange_store.store_series(
            session, organisation_id=buyer_id, history=exchange.history_series(history),
            horizon=3, forecasts={},
        )  # fmt: skip
        rows = exchange_store.publish_listings(
            session,
            organisation_id=seller_id,
            listings=[
                offer("m"),  # 6 t a month in Leipzig
                offer("q", interval="quarter", quantity_t=9),  # 3 t a month
                offer("new", quantity_t=1),  # published in February
                offer("dd", lat=51.05, lon=13.74),  # Dresden: another series
                offer("lot", interval="once", quantity_t=50),  # a lot, not a stream
                # 1 t a month in Halle
                offer("pe", material="PE", interval="year", quantity_t=12, lat=51.48, lon=11.97),
                offer("r", side="request", price_eur_per_t=None),
            ],
        )
        for row in rows:
            row.created_at = february if row.key == "new" else early
        for kept in exchange_store.own_series(session, organisation_id=buyer_id):
            kept.created_at = datetime(2025, 1, 5, tzinfo=UTC)  # up to date when stored
    due = datetime(2025, 3, 2, 2, 30, tzinfo=UTC)
    assert exchange.last_ended_month(due) == "2025-02"
    assert exchange.last_ended_month(datetime(2025, 1, 2, tzinfo=UTC)) == "2024-12"
    jobs.schedules()["exchange_forecast_refresh"].run(
        jobs.ScheduleContext("exchange_forecast_refresh", due, sessions)
    )
    with sessions() as session:
        stored = {
            r.series_id: r for r in exchange_store.own_series(session, organisation_id=buyer_id)
        }
        assert set(stored) == {"PE-Halle", "PP-Leipzig"}
        leipzig, halle = stored["PP-Leipzig"], stored["PE-Halle"]
        assert leipzig.periods[-3:] == ["2024-12", "2025-01", "2025-02"]
        assert leipzig.quantities[-2:] == pytest.approx([9.0, 10.0])
        assert halle.periods[-2:] == ["2025-01", "2025-02"]
        assert halle.quantities[-2:] == pytest.approx([1.0, 1.0])
        assert len(leipzig.periods) == len(halle.periods) == 38
        extended = exchange.series_frame(
            {r.series_id: (r.periods, r.quantities) for r in stored.values()}
        )
        want = {s.id: s for s in forecast_availability(extended, horizon=3).series}
        for row in stored.values():
            assert row.forecast is not None
            assert row.forecast["forecast"][0]["period"] == "2025-03"
            assert row.forecast["model"] == want[row.series_id].model
            # the stored document keeps 6 significant digits
            assert row.forecast["mase"] == pytest.approx(want[row.series_id].mase, rel=1e-5)
