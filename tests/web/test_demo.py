"""``kreislauf demo``: the demo data, created once, usable with the printed login."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store.models import CarbonInput, LedgerUpload, Organisation, Response, User
from kreislauf.web import create_app
from kreislauf.web.demo import COMPANY, DEMO_EMAIL, DEMO_PASSWORD, NETWORK, create_demo
from tests.web.web_helpers import client_for, settings_for


def _counts(url: str) -> tuple[int, ...]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        counts = tuple(
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (User, Organisation, LedgerUpload, Response, CarbonInput)
        )
    engine.dispose()
    return counts


def test_demo_is_idempotent_and_logs_in(db_url: str) -> None:
    create_demo(db_url)
    first = _counts(db_url)
    assert first == (1, 2, 1, 25, 5)
    create_demo(db_url)
    assert _counts(db_url) == first
    app = create_app(settings_for(db_url))
    client = client_for(app)
    login = client.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert login.status_code == 200
    board = client.get(f"/api/v1/orgs/{COMPANY}/dashboard").json()
    assert board["rows"] == 696 and board["ghg_problem"] is None
    assert board["ghg"]["scope1_t"] > 0 and board["ghg"]["scope3_by_category"]["4"] > 0
    assert len(board["measures"]["measures"]) == 5
    analysis = client.get(f"/api/v1/orgs/{NETWORK}/questionnaires/1/analysis").json()
    assert analysis["n_responses"] == 25
    app.state.engine.dispose()


def test_demo_adds_carbon_inputs_to_an_older_demo_database(db_url: str) -> None:
    create_demo(db_url)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session, session.begin():
        session.execute(delete(CarbonInput))
    engine.dispose()
    create_demo(db_url)
    create_demo(db_url)
    assert _counts(db_url) == (1, 2, 1, 25, 5)
