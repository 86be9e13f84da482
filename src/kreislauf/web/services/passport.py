"""The PACT host's service: access tokens, footprint lists and lookups, received events.

The rules (filters, pagination, events) are :mod:`kreislauf.passport.pact_host`'s; this
module adds the platform: client credentials from :mod:`kreislauf.store.passport`,
bearer tokens signed with the platform's secret key (itsdangerous, 1 hour), and the
organisation's published footprints. v2.3 footprints are derived from the stored v3.0 ones
through the passport model (:mod:`kreislauf.passport.pact`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from kreislauf.errors import AuthenticationRequired, PactTokenExpired
from kreislauf.passport import Tier, disclose
from kreislauf.passport.pact import from_pact_v3, to_pact_v2
from kreislauf.passport.pact_host import (
    PactEvent,
    Page,
    event_query,
    next_link,
    page_size,
    parse_query,
)
from kreislauf.store import passport as passport_store

#: Lifetime of an access token [s] (PACT: access tokens SHOULD expire).
TOKEN_SECONDS = 3600
_SALT = "kreislauf-pact-token"


@dataclass(frozen=True)
class PactCaller:
    """Who calls: the client and its organisation (whose footprints it may read)."""

    client_id: int
    organisation_id: int


def issue_token(
    session: Session, *, secret_key: str, client_id: str, client_secret: str
) -> str | None:
    """An access token for valid client credentials, else ``None``."""
    client = passport_store.authenticate_pact_client(
        session, client_id=client_id, secret=client_secret
    )
    if client is None:
        return None
    serializer = URLSafeTimedSerializer(secret_key, salt=_SALT)
    return serializer.dumps({"c": client.id, "o": client.organisation_id})


def caller(token: str | None, *, secret_key: str, max_age: int = TOKEN_SECONDS) -> PactCaller:
    """The caller a bearer token names.

    Raises :class:`~kreislauf.errors.AuthenticationRequired` for a missing or forged token
    and :class:`~kreislauf.errors.PactTokenExpired` for an expired one.
    """
    if not token:
        raise AuthenticationRequired
    serializer = URLSafeTimedSerializer(secret_key, salt=_SALT)
    try:
        data = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise PactTokenExpired from error
    except BadSignature as error:
        raise AuthenticationRequired from error
    return PactCaller(client_id=int(data["c"]), organisation_id=int(data["o"]))


def _v2(document: dict[str, Any]) -> dict[str, Any]:
    return to_pact_v2(disclose(from_pact_v3(document), Tier.legitimate_interest))


def list_footprints(
    session: Session, who: PactCaller, *, params: Iterable[tuple[str, str]], url: str, version: int
) -> Page:
    """A page of the caller's organisation's footprints (v3.0 or v2.3 documents),
    filtered and cut in SQL (:func:`kreislauf.store.passport.footprint_page`)."""
    query = parse_query(params, version=version)
    documents, more = passport_store.footprint_page(
        session, organisation_id=who.organisation_id, query=query
    )
    link = next_link(url, size=page_size(query), last=str(documents[-1]["id"])) if more else None
    _log(session, who, documents, version)
    if version == 2:
        return Page([_v2(d) for d in documents], link)
    return Page(documents, link)


def get_footprint(
    session: Session, who: PactCaller, *, footprint_id: str, version: int
) -> dict[str, Any] | None:
    """One footprint of the caller's organisation, or ``None``."""
    document = passport_store.published_footprint(
        session, organisation_id=who.organisation_id, footprint_id=footprint_id
    )
    if document is not None:
        _log(session, who, [document], version)
    if document is None or version == 3:
        return document
    return _v2(document)


def _log(session: Session, who: PactCaller, documents: list[dict[str, Any]], version: int) -> None:
    """Log the footprints a PACT client received (:mod:`.passport_platform`)."""
    from kreislauf.web.services.passport_platform import log_pact_access

    log_pact_access(
        session, organisation_id=who.organisation_id, client_id=who.client_id,
        footprint_ids=[str(d["id"]) for d in documents], form=f"pact-v{version}",
    )  # fmt: skip


def receive_event(session: Session, who: PactCaller, event: PactEvent) -> None:
    """Keep a received event in the organisation's inbox (a request's criteria checked)."""
    if event.kind == "RequestCreated":
        event_query(event)  # raises PactBadRequest for malformed criteria
    passport_store.record_request(
        session,
        organisation_id=who.organisation_id,
        client_id=who.client_id,
        event_id=event.id,
        kind=event.kind,
        source=event.source,
        data=event.data,
    )


def publish_demo_footprints(url: str) -> int:
    """Publish the demo company's two product footprints through its PACT host (once).

    The passports are built as ``kreislauf passport build`` builds them, from
    ``examples/demo-company/passport/*.yaml``, the BOM, the ledger and the product factors;
    returns how many footprints were published now (0 when they already were).
    """
    from kreislauf.carbon.bom import read_bom
    from kreislauf.carbon.factors import read_factors
    from kreislauf.carbon.pcf import product_footprints
    from kreislauf.ledger import read_ledgers
    from kreislauf.passport import passport_from_pcf, read_data
    from kreislauf.passport.formats import export
    from kreislauf.store import make_engine, make_sessionmaker
    from kreislauf.web.demo import COMPANY, examples_dir

    company = examples_dir() / "demo-company"
    bom = read_bom(company / "carbon" / "bom.csv")
    results = product_footprints(
        bom,
        read_ledgers([company / "ledger.csv"]),
        read_factors([company / "carbon" / "product-factors.csv"]),
    )
    by_product = {r.product: r for r in results}
    engine = make_engine(url)
    published = 0
    try:
        with make_sessionmaker(engine).begin() as session:
            organisation = passport_store.organisation_by_slug(session, COMPANY)
            stored = {
                d["id"]
                for d in passport_store.published_footprints(
                    session, organisation_id=organisation.id
                )
            }
            for path in sorted((company / "passport").glob("*.yaml")):
                data = read_data(path)
                pcf = by_product[data["identification"]["product_name"]]
                passport = passport_from_pcf(data, pcf, bom=bom, file=path.name)
                document = json.loads(
                    export(passport, tier=Tier.legitimate_interest, form="pact-v3")
                )
                if document["id"] in stored:
                    continue
                passport_store.publish_footprint(
                    session,
                    organisation_id=organisation.id,
                    document=document,
                    passport_id=str(passport.id),
                    passport_version=passport.version,
                )
                published += 1
    finally:
        engine.dispose()
    return published
