"""Published PACT footprints in SQL (SQLite and PostgreSQL): a page filtered and cut by the
database is the page :func:`kreislauf.passport.pact_host.page` computes in Python."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from kreislauf.errors import PactBadRequest
from kreislauf.passport.pact_host import FootprintQuery, matches, page, parse_query
from kreislauf.store import account as account_store
from kreislauf.store import make_engine, make_sessionmaker, upgrade
from kreislauf.store import passport as passport_store
from kreislauf.store.migrate import downgrade
from kreislauf.store.models import PactFootprintTerm, PublishedFootprint

DATA = Path(__file__).parents[1] / "passport" / "data"
STEEL: dict[str, Any] = json.loads((DATA / "pact-v3-steel.json").read_text(encoding="utf-8"))

COUNTRIES = ("DE", "FR", "PL")
PRODUCTS = tuple(f"urn:pact:example.org:product-id:{n}" for n in range(6))
COMPANIES = ("urn:pact:example.org:company-id:1", "urn:pact:example.org:company-id:2")
CLASSES = ("urn:cpc:41232", "urn:cpc:3342", "urn:pact:class:x")
YEARS = (2021, 2022, 2023, 2024)


def _footprint(n: int, rng: random.Random) -> dict[str, Any]:
    """A varied v3.0 footprint (steel test data with drawn ids, geography, period)."""
    document = copy.deepcopy(STEEL)
    year = rng.choice(YEARS)
    document["id"] = f"00000000-0000-4000-8000-{n:012d}"
    document["created"] = f"{year + 1}-0{rng.randint(1, 9)}-02T08:00:00Z"
    document["status"] = rng.choice(("Active", "Active", "Deprecated"))
    document["productIds"] = rng.sample(PRODUCTS, rng.randint(1, 2))
    document["companyIds"] = rng.sample(COMPANIES, rng.randint(1, 2))
    document["productClassifications"] = rng.sample(CLASSES, rng.randint(0, 2))
    pcf = document["pcf"]
    pcf["referencePeriodStart"] = f"{year}-01-01T00:00:00Z"
    pcf["referencePeriodEnd"] = f"{year + 1}-01-01T00:00:00+01:00"  # not UTC on purpose
    pcf.pop("geographyCountry", None)
    if rng.random() < 0.8:
        pcf["geographyCountry"] = rng.choice(COUNTRIES)
    else:
        pcf["geographyRegionOrSubregion"] = "Europe"
    if rng.random() < 0.3:
        document["validityPeriodStart"] = f"{year + 1}-06-01T00:00:00Z"
        document["validityPeriodEnd"] = f"{year + 2}-06-01T00:00:00Z"
    return document


def _queries(rng: random.Random) -> list[list[tuple[str, str]]]:
    fixed = [
        [],
        [("productId", PRODUCTS[0]), ("productId", PRODUCTS[3])],
        [("productId", PRODUCTS[1]), ("geography", "DE")],
        [("geography", "Europe")],
        [("classification", CLASSES[1]), ("status", "Active")],
        [("companyId", COMPANIES[1]), ("validOn", "2024-03-01T00:00:00Z")],
        [("validAfter", "2023-01-01T00:00:00Z"), ("validBefore", "2027-01-01T00:00:00Z")],
        [("status", "Bogus")],
    ]
    drawn = []
    for _ in range(24):
        params: list[tuple[str, str]] = []
        for name, values in (
            ("productId", PRODUCTS),
            ("companyId", COMPANIES),
            ("geography", (*COUNTRIES, "Europe")),
            ("classification", CLASSES),
        ):
            if rng.random() < 0.35:
                params += [(name, v) for v in rng.sample(values, rng.randint(1, 2))]
        for name in ("validOn", "validAfter", "validBefore"):
            if rng.random() < 0.25:
                year, month = rng.choice((2022, 2024, 2026)), rng.randint(1, 9)
                params.append((name, f"{year}-0{month}-01T00:00:00Z"))
        if rng.random() < 0.3:
            params.append(("status", rng.choice(("Active", "Deprecated"))))
        drawn.append(params)
    return fixed + drawn


def _seed(session: Session, documents: list[dict[str, Any]]) -> tuple[int, int]:
    user = account_store.create_user(session, email="o@example.org", name="O", password="x" * 12)
    ours = account_store.create_organisation(
        session, owner=user, slug="acme", name="Acme", kind="company"
    )
    rival = account_store.create_organisation(
        session, owner=user, slug="rival", name="Rival", kind="company"
    )
    for n, document in enumerate(documents):
        passport_store.publish_footprint(
            session,
            organisation_id=ours.id if n % 5 else rival.id,
            document=document,
            passport_id=document["id"],
            passport_version=1,
        )
    session.flush()
    return ours.id, rival.id


def _all_pages(
    session: Session, organisation_id: int, params: list[tuple[str, str]], *, version: int = 3
) -> list[list[str]]:
    """The ids of every page the store answers, following the cursor as a client does."""
    pages: list[list[str]] = []
    query = parse_query([*params, ("limit", "7")], version=version)
    while True:
        documents, more = passport_store.footprint_page(
            session, organisation_id=organisation_id, query=query
        )
        pages.append([d["id"] for d in documents])
        assert len(documents) <= 7
        if not more:
            return pages
        query = FootprintQuery(**{**query.__dict__, "after": documents[-1]["id"]})


def test_sql_pages_equal_the_python_rules(session: Session) -> None:
    rng = random.Random(17)
    documents = [_footprint(n, rng) for n in range(90)]
    ours, _ = _seed(session, documents)
    own = [d for n, d in enumerate(documents) if n % 5]
    nonempty = 0
    for params in _queries(rng):
        query = parse_query(params)
        expected = [d["id"] for d in own if matches(d, query)]
        pages = _all_pages(session, ours, params)
        assert [i for p in pages for i in p] == expected, params
        assert all(len(p) == 7 for p in pages[:-1]), params  # full pages until the last
        # the in-memory page with the same cursor gives the same first page
        first = page(own, parse_query([*params, ("limit", "7")]), url="https://h/pact/3/footprints")
        assert [d["id"] for d in first.footprints] == pages[0]
        nonempty += bool(expected)
    assert nonempty >= 20  # the drawn queries are not all empty


ODATA = [
    "created ge '2024-01-01T00:00:00Z'",
    "created lt 2023-06-01T00:00:00Z",
    "(pcf/referencePeriodStart ge '2023-01-01T00:00:00.000Z') and "
    "(pcf/referencePeriodEnd lt '2024-01-01T00:00:00.000Z')",
    "pcf/referencePeriodEnd le '2023-12-31T23:00:00Z'",
    "pcf/geographyCountry eq 'DE'",
    "productCategoryCpc eq '3342'",
    f"productIds/any(productId:(productId eq '{PRODUCTS[2]}'))",
    f"companyIds/any(c: c eq '{COMPANIES[0]}') and pcf/geographyCountry eq 'FR'",
    "updated gt '2020-01-01T00:00:00Z'",
]


@pytest.mark.parametrize("statement", ODATA)
def test_sql_evaluates_the_v2_odata_filter_as_python_does(session: Session, statement: str) -> None:
    rng = random.Random(23)
    documents = [_footprint(n, rng) for n in range(60)]
    ours, _ = _seed(session, documents)
    own = [d for n, d in enumerate(documents) if n % 5]
    query = parse_query([("$filter", statement)], version=2)
    expected = [d["id"] for d in own if matches(d, query)]
    pages = _all_pages(session, ours, [("$filter", statement)], version=2)
    assert [i for p in pages for i in p] == expected
    if statement.startswith("updated"):
        assert expected == []  # v2.3 documents here carry no `updated`
    else:
        assert 0 < len(expected) < len(own), statement  # the filter selects


def test_a_cursor_of_another_organisation_is_refused(session: Session) -> None:
    rng = random.Random(5)
    documents = [_footprint(n, rng) for n in range(10)]
    ours, _ = _seed(session, documents)
    foreign = documents[0]["id"]  # n % 5 == 0: the rival's
    with pytest.raises(PactBadRequest, match="field 'after'"):
        passport_store.footprint_page(
            session, organisation_id=ours, query=FootprintQuery(after=foreign)
        )


def test_a_status_change_between_pages_skips_and_repeats_nothing(session: Session) -> None:
    rng = random.Random(9)
    documents = [{**_footprint(n, rng), "status": "Active"} for n in range(12)]
    ours, _ = _seed(session, documents)
    query = FootprintQuery(status="Active", limit=4)
    first, _ = passport_store.footprint_page(session, organisation_id=ours, query=query)
    record = session.scalars(
        select(PublishedFootprint).where(PublishedFootprint.footprint_id == first[-1]["id"])
    ).one()
    passport_store.replace_document(session, record, {**record.document, "status": "Deprecated"})
    rest, more = passport_store.footprint_page(
        session, organisation_id=ours, query=FootprintQuery(status="Active", after=first[-1]["id"])
    )
    own = [d["id"] for n, d in enumerate(documents) if n % 5]
    assert [d["id"] for d in first] + [d["id"] for d in rest] == own and not more


def test_the_migration_backfills_stored_footprints(db_url: str) -> None:
    """Footprints stored before 0016 get their columns and terms from their documents."""
    rng = random.Random(3)
    documents = [_footprint(n, rng) for n in range(8)]
    engine = make_engine(db_url)
    with make_sessionmaker(engine).begin() as session:
        ours, _ = _seed(session, documents)
    assert downgrade(db_url, "0015") == "0015"  # derived data only: no --force needed
    with engine.connect() as connection:
        assert "pact_footprint_terms" not in inspect(connection).get_table_names()
    assert upgrade(db_url)
    with make_sessionmaker(engine)() as session:
        own = [d for n, d in enumerate(documents) if n % 5]
        for params in ([("geography", "DE")], [("productId", PRODUCTS[0])], []):
            query = parse_query(params)
            found, _ = passport_store.footprint_page(session, organisation_id=ours, query=query)
            assert [d["id"] for d in found] == [d["id"] for d in own if matches(d, query)]
        terms = session.scalars(select(PactFootprintTerm)).all()
        assert len(terms) == sum(
            len(d["productIds"]) + len(d["companyIds"]) + len(d["productClassifications"]) + 1
            for d in documents
        )
    engine.dispose()


def test_link_parameters_round_trip() -> None:
    """The next link the host writes parses back to the same criteria and the cursor."""
    from kreislauf.passport.pact_host import next_link

    link = next_link(
        "https://h.example/pact/3/footprints?geography=DE&geography=FR&limit=3&offset=9",
        size=3,
        last="00000000-0000-4000-8000-000000000042",
    )
    target = link.removeprefix("<").split(">;")[0]
    query = parse_query(parse_qsl(urlsplit(target).query))
    assert query.geographies == ("DE", "FR") and query.offset == 0 and query.limit == 3
    assert query.after == "00000000-0000-4000-8000-000000000042"
