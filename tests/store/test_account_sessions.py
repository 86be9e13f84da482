"""Session generations: ending sessions, the one-query access check, password change."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from kreislauf.errors import CommonPassword, InvalidCredentials
from kreislauf.store import account as account_store
from kreislauf.store import downgrade, make_engine, make_sessionmaker, upgrade
from kreislauf.store.models import User

PASSWORD = "correct horse battery"
THREADS = 6


def _anna(session: Session) -> User:
    user = account_store.create_user(
        session, email="anna@example.org", name="Anna", password=PASSWORD
    )
    account_store.create_organisation(session, owner=user, slug="acme", name="Acme", kind="company")
    return user


def test_access_needs_the_current_generation_in_one_query(session: Session) -> None:
    user = _anna(session)
    assert user.session_generation == 0
    statements: list[str] = []
    engine = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        found = account_store.access_of(session, slug="acme", user_id=user.id, generation=0)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert found is not None and found.role == "owner"
    assert len(statements) == 1
    assert account_store.access_of(session, slug="acme", user_id=user.id, generation=1) is None


def test_end_sessions_raises_the_generation(session: Session) -> None:
    user = _anna(session)
    assert account_store.end_sessions(session, user=user) == 1
    assert account_store.access_of(session, slug="acme", user_id=user.id, generation=0) is None
    assert account_store.access_of(session, slug="acme", user_id=user.id, generation=1)
    assert account_store.session_user(session, user_id=user.id, generation=0) is None
    assert account_store.session_user(session, user_id=user.id, generation=1) is user


def test_change_password_checks_and_ends_sessions(session: Session) -> None:
    user = _anna(session)
    with pytest.raises(InvalidCredentials):
        account_store.change_password(session, user=user, current="wrong", new="a fine new one")
    with pytest.raises(CommonPassword):
        account_store.change_password(session, user=user, current=PASSWORD, new="qwertyuiop")
    assert user.session_generation == 0
    account_store.change_password(session, user=user, current=PASSWORD, new="a fine new one")
    assert user.session_generation == 1
    found = account_store.authenticate(
        session, email="anna@example.org", password="a fine new one", client="10.0.0.1",
        max_failures=3, window_s=600,
    )  # fmt: skip
    assert found is user


def test_migration_0005_keeps_users_and_starts_at_generation_0(empty_url: str) -> None:
    upgrade(empty_url, "0004")
    engine = make_engine(empty_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO users (email, name, password_hash, lang, created_at) "
                "VALUES ('old@example.org', 'Old', 'x', 'de', CURRENT_TIMESTAMP)"
            )
        upgrade(empty_url)
        with make_sessionmaker(engine)() as db:
            (user,) = db.query(User).all()
            assert (user.email, user.session_generation) == ("old@example.org", 0)
        assert downgrade(empty_url, "0004") == "0004"
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT email FROM users").all()
        assert rows == [("old@example.org",)]
    finally:
        engine.dispose()


def test_concurrent_session_ends_lose_no_increment(db_url: str) -> None:
    """Logouts and password changes of one user at once: every one raises the generation."""
    engine = make_engine(db_url)
    factory = make_sessionmaker(engine)
    try:
        with factory() as db:
            user_id = _anna(db).id
            db.commit()
        barrier = threading.Barrier(THREADS)

        def end() -> None:
            with factory() as db:
                user = db.get(User, user_id)
                assert user is not None
                barrier.wait()
                account_store.end_sessions(db, user=user)
                db.commit()

        threads = [threading.Thread(target=end) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        with factory() as db:
            assert db.get(User, user_id).session_generation == THREADS  # type: ignore[union-attr]
    finally:
        engine.dispose()
