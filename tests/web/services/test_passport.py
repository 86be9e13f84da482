"""The demo company publishes its two product footprints on the PACT host, once."""

from __future__ import annotations

from kreislauf.store import make_engine, make_sessionmaker
from kreislauf.store import passport as passport_store
from kreislauf.web.demo import COMPANY, create_demo
from kreislauf.web.services.passport import publish_demo_footprints


def test_the_demo_publishes_two_active_footprints_once(db_url: str) -> None:
    create_demo(db_url)
    assert publish_demo_footprints(db_url) == 2
    assert publish_demo_footprints(db_url) == 0
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        organisation = passport_store.organisation_by_slug(session, COMPANY)
        documents = passport_store.published_footprints(session, organisation_id=organisation.id)
    engine.dispose()
    assert sorted(d["productNameCompany"] for d in documents) == [
        "Halter-Set HS-4",
        "Türmodul-Träger TM-200",
    ]
    assert {d["status"] for d in documents} == {"Active"}
    assert all(d["pcf"]["declaredUnitOfMeasurement"] == "piece" for d in documents)
