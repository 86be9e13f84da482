"""The forecast refresh job: queued with its history, run by the worker, JSON result."""

from __future__ import annotations

import json

from fastapi import FastAPI

from kreislauf.store.models import Job
from kreislauf.web.services.exchange import FORECAST, queue_forecast
from kreislauf.web.worker import run_job
from tests.exchange.forecast_fixtures import history_csv, small_history
from tests.web.web_helpers import Member


def _queued(app: FastAPI, member: Member, content: bytes) -> int:
    organisation_id = int(str(member.org("acme")["id"]))
    with app.state.sessionmaker() as session, session.begin():
        job = queue_forecast(
            session,
            organisation_id=organisation_id,
            filename="history.csv",
            content=content,
            horizon=3,
            lang="en",
        )
        session.flush()
        return job.id


def test_the_forecast_job_stores_the_forecast_document(app: FastAPI, member: Member) -> None:
    job_id = _queued(app, member, history_csv(small_history(months=36)).encode())
    run_job(app.state.sessionmaker, job_id)
    with app.state.sessionmaker() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.kind == FORECAST
        assert (job.status, job.result_name, job.result_type) == (
            "done",
            "forecast.json",
            "application/json",
        )
        data = json.loads(job.result or b"")
    assert [s["id"] for s in data["series"]] == ["PE-Halle", "PP-Leipzig"]
    assert all(len(s["forecast"]) == 3 for s in data["series"])


def test_a_bad_history_fails_the_job_with_a_located_message(app: FastAPI, member: Member) -> None:
    job_id = _queued(app, member, b"series_id,period,quantity_t\nA,2024-1,3\n")
    run_job(app.state.sessionmaker, job_id)
    with app.state.sessionmaker() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "failed"
        assert "history.csv, row 2, column 'period'" in (job.error or "")


def test_the_demo_gets_the_synthetic_market_once(db_url: str) -> None:
    from sqlalchemy import func, select

    from kreislauf.store import make_engine, make_sessionmaker
    from kreislauf.store.models import ExchangeListing, Organisation
    from kreislauf.web import create_app
    from kreislauf.web.demo import COMPANY, DEMO_EMAIL, DEMO_PASSWORD, create_demo
    from kreislauf.web.services.exchange import seed_exchange_demo
    from tests.web.web_helpers import client_for, settings_for

    create_demo(db_url)
    seed_exchange_demo(db_url)
    seed_exchange_demo(db_url)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(ExchangeListing)) == 70
        demo = session.scalars(select(Organisation).where(Organisation.slug == COMPANY)).one()
        own = session.scalar(select(func.count()).where(ExchangeListing.organisation_id == demo.id))
        assert own == 4
    engine.dispose()
    app = create_app(settings_for(db_url))
    client = client_for(app)
    login = client.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert login.status_code == 200
    matches = client.get(f"/api/v1/orgs/{COMPANY}/exchange/matches").json()
    assert matches and all(m["other_name"] is None for m in matches)
    app.state.engine.dispose()
