"""The stored company profile of the funding finder (kreislauf.store.advice): one row per
organisation, replaced by each save, also when the first saves arrive at the same time.
Real threads, one session each, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from kreislauf.store import account as account_store
from kreislauf.store import advice as advice_store
from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store.models import AdviceCompanyProfile

THREADS = 6


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url, pool_size=THREADS + 2)
    yield engine
    engine.dispose()


def _organisation(engine: Engine) -> tuple[int, int]:
    with make_sessionmaker(engine)() as db:
        user = account_store.create_user(
            db, email="o@example.org", name="O", password="a long enough password"
        )
        org = account_store.create_organisation(
            db, owner=user, slug="acme", name="Acme", kind="company"
        ).id
        db.commit()
        return org, user.id


def test_a_save_replaces_the_profile(engine: Engine) -> None:
    org, user = _organisation(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        assert advice_store.company_profile(db, organisation_id=org) is None
        advice_store.save_company_profile(
            db,
            organisation_id=org,
            values={"employees": 85.0, "turnover_eur": 14.5e6, "state": "SN", "nace": "C22.2"},
            facts={"M5": {"listed_machine": True}},
            user_id=user,
        )
        db.commit()
    with sessions() as db:
        stored = advice_store.company_profile(db, organisation_id=org)
        assert stored is not None
        assert (stored.employees, stored.turnover_eur, stored.state, stored.nace) == (
            85.0,
            14.5e6,
            "SN",
            "C22.2",
        )
        assert stored.balance_sheet_eur is None and stored.facts == {"M5": {"listed_machine": True}}
        advice_store.save_company_profile(
            db, organisation_id=org, values={"employees": 40.0}, facts={}, user_id=user
        )
        db.commit()
    with sessions() as db:
        stored = advice_store.company_profile(db, organisation_id=org)
        assert stored is not None
        assert (stored.employees, stored.state, stored.facts) == (40.0, None, {})
        assert db.scalar(select(func.count()).select_from(AdviceCompanyProfile)) == 1


def test_first_saves_at_the_same_time_end_as_one_row(engine: Engine) -> None:
    org, user = _organisation(engine)
    sessions = make_sessionmaker(engine)
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            with sessions() as db:
                start.wait()
                advice_store.save_company_profile(
                    db,
                    organisation_id=org,
                    values={"employees": float(n)},
                    facts={},
                    user_id=user,
                )
                db.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sessions() as db:
        rows = list(db.scalars(select(AdviceCompanyProfile)))
        assert len(rows) == 1
        assert rows[0].employees in {float(n) for n in range(THREADS)}
