"""Identical carbon input uploads are stored once, also when they arrive at the same time
(issue 13: "two identical concurrent uploads are both stored"). Real threads, one session
each, on SQLite and PostgreSQL.

The content's SHA-256 is part of a unique constraint (organisation, kind, digest); a
second identical upload replaces the first (it moves to the end of the factor order, as
a new upload does), and one that loses the race to a concurrent twin returns the stored
record instead of a second one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kreislauf.store import account as account_store
from kreislauf.store import carbon as carbon_store
from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store.models import CarbonInput

CARBON = Path(__file__).resolve().parents[2] / "examples" / "demo-company" / "carbon"
THREADS = 6


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url, pool_size=THREADS + 2)
    yield engine
    engine.dispose()


def _organisation(engine: Engine) -> int:
    with make_sessionmaker(engine)() as db:
        user = account_store.create_user(
            db, email="o@example.org", name="O", password="a long enough password"
        )
        org = account_store.create_organisation(
            db, owner=user, slug="acme", name="Acme", kind="company"
        ).id
        db.commit()
    return org


def _stored(engine: Engine, org: int) -> list[tuple[str, str]]:
    with make_sessionmaker(engine)() as db:
        rows = db.execute(
            select(CarbonInput.kind, CarbonInput.filename)
            .where(CarbonInput.organisation_id == org)
            .order_by(CarbonInput.id)
        )
        return [(kind, name) for kind, name in rows]


def _upload_at_once(
    engine: Engine, org: int, files: list[dict[str, object]] | None = None, **same: object
) -> list[object]:
    """Each thread uploads ``files[index]`` (different files) or else ``same``."""
    sessions = make_sessionmaker(engine)
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = [None] * THREADS

    def run(index: int) -> None:
        barrier.wait()
        with sessions() as db:
            try:
                add = carbon_store.add_carbon_inputs
                upload = files[index] if files else same
                records = add(db, organisation_id=org, **upload)  # type: ignore[arg-type]
                db.commit()
                outcomes[index] = [r.id for r in records]
            except Exception as error:  # noqa: BLE001 - a crash is an outcome the test reports
                db.rollback()
                outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.parametrize("run", range(3))
def test_identical_concurrent_factor_uploads_are_stored_once(engine: Engine, run: int) -> None:
    org = _organisation(engine)
    outcomes = _upload_at_once(engine, org, factors=[CARBON / "factors.csv"])
    assert all(isinstance(o, list) for o in outcomes), outcomes
    assert _stored(engine, org) == [("factors", "factors.csv")]


@pytest.mark.parametrize("run", range(3))
def test_identical_concurrent_activity_uploads_are_stored_once(engine: Engine, run: int) -> None:
    org = _organisation(engine)
    outcomes = _upload_at_once(engine, org, activities=CARBON / "activities.csv")
    assert all(isinstance(o, list) for o in outcomes), outcomes
    assert _stored(engine, org) == [("activities", "activities.csv")]


@pytest.mark.parametrize("run", range(3))
def test_different_concurrent_activity_uploads_leave_one(
    engine: Engine, tmp_path: Path, run: int
) -> None:
    """Issue 13 review: two different activity files at the same moment were both stored
    (each request deleted the old one, neither saw the other's insert)."""
    org = _organisation(engine)
    text = (CARBON / "activities.csv").read_text(encoding="utf-8")
    variants = []
    for index in range(THREADS):
        path = tmp_path / f"activities-{index}.csv"
        path.write_text(text + f"# variant {index}\n", encoding="utf-8")
        variants.append({"activities": path})
    outcomes = _upload_at_once(engine, org, variants)
    assert all(isinstance(o, list) for o in outcomes), outcomes
    stored = _stored(engine, org)
    assert len(stored) == 1, stored
    assert stored[0][0] == "activities"


def test_an_identical_factor_file_uploaded_again_moves_to_the_end(engine: Engine) -> None:
    org = _organisation(engine)
    with make_sessionmaker(engine)() as db:
        add = carbon_store.add_carbon_inputs
        add(db, organisation_id=org, factors=[CARBON / "factors.csv"])
        add(db, organisation_id=org, factors=[CARBON / "product-factors.csv"])
        add(db, organisation_id=org, factors=[CARBON / "factors.csv"])
        db.commit()
    assert _stored(engine, org) == [
        ("factors", "product-factors.csv"),
        ("factors", "factors.csv"),
    ]
