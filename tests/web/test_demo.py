"""``kreislauf demo``: the demo data, created once, usable with the printed login."""

from __future__ import annotations

from sqlalchemy import func, select

from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store.models import LedgerUpload, Organisation, Response, User
from kreislauf.web import create_app
from kreislauf.web.demo import COMPANY, DEMO_EMAIL, DEMO_PASSWORD, NETWORK, create_demo
from tests.web.web_helpers import client_for, settings_for


def _counts(url: str) -> tuple[int, ...]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        counts = tuple(
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (User, Organisation, LedgerUpload, Response)
        )
    engine.dispose()
    return counts


def test_demo_is_idempotent_and_logs_in(db_url: str) -> None:
    create_demo(db_url)
    first = _counts(db_url)
    assert first == (1, 2, 1, 25)
    create_demo(db_url)
    assert _counts(db_url) == first
    app = create_app(settings_for(db_url))
    client = client_for(app)
    login = client.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert login.status_code == 200
    assert client.get(f"/api/v1/orgs/{COMPANY}/dashboard").json()["rows"] == 696
    analysis = client.get(f"/api/v1/orgs/{NETWORK}/questionnaires/1/analysis").json()
    assert analysis["n_responses"] == 25
    app.state.engine.dispose()
