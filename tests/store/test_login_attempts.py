"""Old failed logins are deleted: every failed login prunes the rows older than the
rate-limit window (issue 13 leftover: ``login_attempts`` grew for ever). Both databases."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreislauf.errors import InvalidCredentials
from kreislauf.store import account as account_store
from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store.base import utcnow
from kreislauf.store.models import LoginAttempt

WINDOW_S = 900


def _keys(session: Session) -> list[str]:
    return sorted(session.scalars(select(LoginAttempt.key)))


def test_a_failed_login_deletes_attempts_older_than_the_window(session: Session) -> None:
    now = utcnow()
    session.add_all(
        [
            LoginAttempt(key="old@example.org|10.0.0.1", attempted_at=now - timedelta(hours=3)),
            LoginAttempt(key="old@example.org|10.0.0.2", attempted_at=now - timedelta(days=40)),
            LoginAttempt(key="new@example.org|10.0.0.3", attempted_at=now - timedelta(minutes=5)),
        ]
    )
    session.commit()
    with pytest.raises(InvalidCredentials):
        account_store.authenticate(
            session, email="nobody@example.org", password="wrong password",
            client="10.0.0.9", max_failures=5, window_s=WINDOW_S,
        )  # fmt: skip
    session.commit()
    assert _keys(session) == ["new@example.org|10.0.0.3", "nobody@example.org|10.0.0.9"]


def test_pruning_is_bounded_per_call(session: Session) -> None:
    old = utcnow() - timedelta(days=1)
    session.add_all(
        LoginAttempt(key=f"k{i}|x", attempted_at=old) for i in range(account_store.PRUNE_BATCH + 20)
    )
    session.commit()
    assert account_store.prune_login_attempts(session, before=utcnow()) == account_store.PRUNE_BATCH
    assert account_store.prune_login_attempts(session, before=utcnow()) == 20
    session.commit()
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_concurrent_failed_logins_prune_without_errors(db_url: str) -> None:
    engine = make_engine(db_url, pool_size=10)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        old = utcnow() - timedelta(days=1)
        db.add_all(LoginAttempt(key=f"k{i}|x", attempted_at=old) for i in range(200))
        db.commit()
    barrier = threading.Barrier(8)
    outcomes: list[object] = []

    def fail(index: int) -> None:
        barrier.wait()
        with sessions() as db:
            try:
                account_store.authenticate(
                    db, email=f"u{index}@example.org", password="wrong password",
                    client="10.0.0.1", max_failures=5, window_s=WINDOW_S,
                )  # fmt: skip
            except InvalidCredentials as error:
                db.commit()
                outcomes.append(type(error))
            except Exception as error:  # noqa: BLE001 - a crash is an outcome the test reports
                outcomes.append(error)

    threads = [threading.Thread(target=fail, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with sessions() as db:
        keys = _keys(db)
    engine.dispose()
    assert outcomes == [InvalidCredentials] * 8
    assert keys == sorted(f"u{i}@example.org|10.0.0.1" for i in range(8))
