"""Account invariants under concurrency: real threads, one session each, both databases.

Each case starts its threads at a barrier so that their reads and writes overlap; the
invariant must hold in every run (issue 13: 3-6 of six acceptances of one invitation
succeeded, mutual demotion left no owner in 4 of 8 runs on PostgreSQL).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from kreislauf.errors import (
    InvalidCredentials,
    InvalidField,
    InvitationForAnotherAddress,
    KreislaufError,
    NotFound,
    TooManyLoginAttempts,
)
from kreislauf.store import account as account_store
from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store.models import Membership

PASSWORD = "correct horse battery"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url, pool_size=16)
    yield engine
    engine.dispose()


def _in_threads(
    sessions: sessionmaker[Session], work: list[Callable[[Session], object]]
) -> list[object]:
    """Run each callable in its own thread and session (committed on success)."""
    barrier = threading.Barrier(len(work))
    outcomes: list[object] = [None] * len(work)

    def run(index: int) -> None:
        barrier.wait()  # (SQLite's pool holds 15 connections: connect after the barrier)
        with sessions() as session:
            try:
                outcomes[index] = work[index](session)
                session.commit()
            except KreislaufError as error:
                session.rollback()
                outcomes[index] = error
            except Exception as error:  # noqa: BLE001 - a crash is an outcome the test reports
                session.rollback()
                outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _setup(sessions: sessionmaker[Session], slug: str, *owners: str) -> tuple[int, list[int]]:
    """An organisation with ``owners`` (e-mail addresses) all owners; their membership ids."""
    with sessions() as session:
        users = [
            account_store.create_user(session, email=o, name=o, password=PASSWORD)
            if session.scalar(select(func.count()).where(account_store.User.email == o)) == 0
            else session.scalars(
                select(account_store.User).where(account_store.User.email == o)
            ).one()
            for o in owners
        ]
        org = account_store.create_organisation(
            session, owner=users[0], slug=slug, name=slug, kind="company"
        )
        for user in users[1:]:
            session.add(Membership(organisation_id=org.id, user_id=user.id, role="owner"))
        session.flush()
        ids = [m.id for m in account_store.members(session, organisation_id=org.id)]
        session.commit()
        return org.id, ids


def test_one_invitation_accepted_concurrently_has_exactly_one_winner(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    org_id, _ = _setup(sessions, "acme", "o@example.org")
    with sessions() as session:
        invitee = account_store.create_user(
            session, email="e@example.org", name="E", password=PASSWORD
        )
        _, token = account_store.create_invitation(
            session, organisation_id=org_id, email="e@example.org", role="editor", created_by=None
        )  # type: ignore[arg-type]
        session.commit()

    def accept(session: Session) -> object:
        user = session.get(account_store.User, invitee.id)
        assert user is not None
        return account_store.accept_invitation(session, token=token, user=user).role

    outcomes = _in_threads(sessions, [accept] * 8)
    assert outcomes.count("editor") == 1, outcomes
    assert all(isinstance(o, NotFound) for o in outcomes if o != "editor"), outcomes
    with sessions() as session:
        roles = [m.role for m in account_store.members(session, organisation_id=org_id)]
    assert sorted(roles) == ["editor", "owner"]


def test_an_invitation_is_bound_to_the_invited_address(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    org_id, _ = _setup(sessions, "acme", "o@example.org")
    with sessions() as session:
        others = [
            account_store.create_user(
                session, email=f"u{i}@example.org", name="U", password=PASSWORD
            )
            for i in range(6)
        ]
        invited = account_store.create_user(
            session, email="e@example.org", name="E", password=PASSWORD
        )
        _, token = account_store.create_invitation(
            session, organisation_id=org_id, email="E@example.org", role="editor", created_by=None
        )  # type: ignore[arg-type]
        session.commit()
    ids = [u.id for u in others]

    def accept_as(user_id: int) -> Callable[[Session], object]:
        def accept(session: Session) -> object:
            user = session.get(account_store.User, user_id)
            assert user is not None
            return account_store.accept_invitation(session, token=token, user=user).role

        return accept

    outcomes = _in_threads(sessions, [accept_as(i) for i in ids])
    assert all(isinstance(o, InvitationForAnotherAddress) for o in outcomes), outcomes
    with sessions() as session:  # still open for the invited address
        user = session.get(account_store.User, invited.id)
        assert user is not None
        assert account_store.accept_invitation(session, token=token, user=user).role == "editor"


@pytest.mark.parametrize("action", ["demote", "remove"])
def test_owners_demoting_each_other_never_leave_the_organisation_without_owner(
    engine: Engine, action: str
) -> None:
    sessions = make_sessionmaker(engine)
    for run in range(20):
        org_id, (first, second) = _setup(sessions, f"org-{run}", "a@example.org", "b@example.org")

        def change(target: int, org_id: int = org_id) -> Callable[[Session], object]:
            def work(session: Session) -> object:
                if action == "remove":
                    account_store.remove_member(
                        session, organisation_id=org_id, membership_id=target
                    )
                    return "removed"
                return account_store.set_role(
                    session, organisation_id=org_id, membership_id=target, role="editor"
                ).role

            return work

        outcomes = _in_threads(sessions, [change(second), change(first)])
        with sessions() as session:
            owners = session.scalar(
                select(func.count())
                .select_from(Membership)
                .where(Membership.organisation_id == org_id, Membership.role == "owner")
            )
        assert owners == 1, (run, outcomes)
        assert sum(isinstance(o, InvalidField) for o in outcomes) == 1, (run, outcomes)


def test_concurrent_wrong_passwords_reach_the_limit(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        account_store.create_user(session, email="anna@example.org", name="A", password=PASSWORD)
        session.commit()

    def login(password: str) -> Callable[[Session], object]:
        def work(session: Session) -> object:
            try:
                return account_store.authenticate(
                    session, email="anna@example.org", password=password, client="10.0.0.1",
                    max_failures=5, window_s=600,
                ).email  # fmt: skip
            except InvalidCredentials:
                session.commit()  # as the routes do: the failure is kept
                raise

        return work

    outcomes = _in_threads(sessions, [login("wrong password")] * 30)
    assert sum(isinstance(o, InvalidCredentials) for o in outcomes) == 5, outcomes
    assert sum(isinstance(o, TooManyLoginAttempts) for o in outcomes) == 25, outcomes
    (right,) = _in_threads(sessions, [login(PASSWORD)])
    assert isinstance(right, TooManyLoginAttempts)


def test_login_keys_have_a_bounded_length(engine: Engine) -> None:
    with make_sessionmaker(engine)() as session:
        account_store.create_user(session, email="anna@example.org", name="A", password=PASSWORD)
        for email, client in [
            ("a" * 400 + "@example.org", "10.0.0.1"),
            ("anna@example.org", "x" * 400),
        ]:
            with pytest.raises(InvalidField):
                account_store.authenticate(
                    session, email=email, password=PASSWORD, client=client,
                    max_failures=5, window_s=600,
                )  # fmt: skip
