"""Passports on the platform: publishing versions, the public page, the GS1 resolver, the
organisation's public keys, the access log.

- **Publishing** (owner pages, ``POST /api/v1/orgs/{org}/passports``, ``kreislauf
  passport publish --database``): a passport file becomes the next version of its id, as
  :func:`kreislauf.passport.save_version` does for an archive folder (same content: no new
  version; versions chained by ``previous_digest``); its PACT v3.0 footprint is published
  to the PACT host too when the passport has what PACT requires. Nothing is stored when
  any check fails.
- **Public**: ``/p/{passport_id}`` (page, German/English), ``/p/{passport_id}/passport.json``
  (the public tier, signed by the organisation's key: :mod:`kreislauf.passport.signing`),
  ``/p/{passport_id}/qr.svg`` (the GS1 Digital Link URI on this host), the resolver
  ``/01/{gtin}[/10/{batch}|/21/{serial}]`` with :mod:`kreislauf.passport.resolver`'s rules,
  and ``/.well-known/jwks.json`` (every organisation's public key; ``kid`` = RFC 7638
  thumbprint, which the JWS header of a signed passport names).
- **Access log**: every access to a passport (page, resolver, passport.json, API, PACT) is a
  row with channel, tier, format and who (``anonymous`` for the public; the user's e-mail
  address for the API; the PACT client's name); the owner sees it at
  ``/orgs/{org}/passports/access``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import Request, UploadFile
from sqlalchemy.orm import Session

from kreislauf.errors import AlreadyExists, InvalidPassport, MissingForFormat, NotFound
from kreislauf.i18n import translate
from kreislauf.passport import Passport, Tier, digest, disclose, next_version
from kreislauf.passport.identifiers import digital_link, gtin14
from kreislauf.passport.io import passport_from_data
from kreislauf.passport.resolver import Answer, Link, parse_path, resolve
from kreislauf.passport.versions import content
from kreislauf.store import passport as passport_store
from kreislauf.store import passport_web as store
from kreislauf.store.models import StoredPassport, User


@dataclass(frozen=True)
class Published:
    """What publishing did: the stored version, whether it is new, the PACT footprint id
    (``None`` when the passport lacks what PACT requires, with the reason)."""

    passport_id: str
    version: int
    new: bool
    footprint_id: str | None
    pact_skipped: str | None


def read_upload(request: Request, file: UploadFile | None) -> Passport:
    """The passport in an uploaded JSON or YAML file (a signed passport file: its
    ``passport``); errors name file and field, nothing is stored."""
    from kreislauf.passport.io import read_data
    from kreislauf.web.deps import get_settings
    from kreislauf.web.uploads import required, saved_uploads

    settings = get_settings(request)
    with saved_uploads(
        {"file": file}, max_bytes=settings.upload_max_bytes, limits=settings.limits()
    ) as paths:
        path = required(paths["file"], "file")
        data = read_data(path)
    if isinstance(data, dict) and isinstance(data.get("passport"), dict) and "signature" in data:
        data = data["passport"]
    return passport_from_data(data, file=path.name)


def _passport(record: StoredPassport) -> Passport:
    return Passport.model_validate(record.document)


def publish(session: Session, *, organisation_id: int, passport: Passport) -> Published:
    """Store ``passport`` as the next version of its id and publish its PACT footprint."""
    from kreislauf.passport.formats import export

    passport_id = str(passport.id)
    latest = store.newest(session, passport_id)
    if latest is not None and latest.organisation_id != organisation_id:
        raise AlreadyExists(what="passport", value=passport_id)
    passport = _naming_the_current_footprint(session, organisation_id, passport_id, passport)
    if latest is not None:
        previous = _passport(latest)
        if content(previous) == content(passport):
            return Published(passport_id, previous.version, False, None, None)
        passport = next_version(previous, passport)
    else:
        passport = passport.model_copy(update={"version": 1, "previous_digest": None})
    try:
        exported = json.loads(export(passport, tier=Tier.legitimate_interest, form="pact-v3"))
    except (MissingForFormat, InvalidPassport) as error:
        _store(session, organisation_id, passport)
        return Published(passport_id, passport.version, True, None, error.message("en"))
    document = _successor(session, organisation_id, passport_id, exported)
    cf = passport.carbon_footprint
    if document is not None and cf is not None and str(cf.pact_id) != str(document["id"]):
        # the stored passport names the footprint it is published as (its predecessor
        # stays reachable through the footprint's precedingPfIds)
        named = cf.model_copy(update={"pact_id": uuid.UUID(str(document["id"]))})
        passport = passport.model_copy(update={"carbon_footprint": named})
    _store(session, organisation_id, passport)
    if document is None:
        reason = "the PACT footprint is unchanged: it is published already"
        return Published(passport_id, passport.version, True, None, reason)
    passport_store.publish_footprint(
        session,
        organisation_id=organisation_id,
        document=document,
        passport_id=passport_id,
        passport_version=passport.version,
    )
    return Published(passport_id, passport.version, True, str(document["id"]), None)


def _store(session: Session, organisation_id: int, passport: Passport) -> None:
    """Store ``passport`` (numbered and chained already) as a version of its id."""
    ident = passport.identification
    gtin = gtin14(ident.gtin) if ident.gtin else None
    store.store_version(
        session,
        organisation_id=organisation_id,
        passport_id=str(passport.id),
        version=passport.version,
        digest=digest(passport),
        previous_digest=passport.previous_digest,
        identifiers=(gtin, ident.serial, ident.batch),
        product_name=ident.product_name,
        document=passport.model_dump(mode="json"),
    )


def _naming_the_current_footprint(
    session: Session, organisation_id: int, passport_id: str, passport: Passport
) -> Passport:
    """``passport`` with a ``carbon_footprint.pact_id`` that names a Deprecated footprint
    of this passport read as naming its one Active successor.

    A deprecated footprint is never published again (PACT v3.0 lifecycle), so a file that
    still carries the predecessor's id (the one the owner uploaded before its successor)
    means the footprint the platform published in its place: the same file again is no
    new version, and the stored passport keeps naming the current footprint.
    """
    cf = passport.carbon_footprint
    if cf is None:
        return passport
    published = passport_store.footprints_of_passport(
        session, organisation_id=organisation_id, passport_id=passport_id
    )
    active = [r.footprint_id for r in published if r.status == "Active"]
    named = next((r for r in published if r.footprint_id == str(cf.pact_id)), None)
    if named is None or named.status != "Deprecated" or len(active) != 1:
        return passport
    current = cf.model_copy(update={"pact_id": uuid.UUID(active[0])})
    return passport.model_copy(update={"carbon_footprint": current})


#: What may differ between a footprint and its unchanged successor (PACT v3.0 lifecycle).
_LIFECYCLE = ("id", "created", "status", "precedingPfIds")


def _successor(
    session: Session, organisation_id: int, passport_id: str, document: dict[str, Any]
) -> dict[str, Any] | None:
    """The footprint to publish for a new passport version, or None when it says what the
    published one says.

    PACT v3.0, "Product Footprint Lifecycle": a published footprint MUST NOT change except
    its status to ``Deprecated``; a change makes a new footprint with a new id that lists
    the old ids in ``precedingPfIds``, and the old ones become ``Deprecated``. So a new
    version whose footprint differs gets a new id when its ``carbon_footprint.pact_id``
    is published already, and every Active footprint of the passport is deprecated; the
    version is then stored naming the new id (:func:`publish`).
    """
    published = passport_store.footprints_of_passport(
        session, organisation_id=organisation_id, passport_id=passport_id
    )
    active = [r for r in published if r.status == "Active"]

    def content(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if k not in _LIFECYCLE}

    if any(content(r.document) == content(document) for r in active):
        return None
    taken = passport_store.published_footprint(
        session, organisation_id=organisation_id, footprint_id=str(document["id"])
    )
    if taken is not None:
        document = {**document, "id": str(uuid.uuid4())}
    preceding = [r.footprint_id for r in active]
    if preceding:
        document = {**document, "precedingPfIds": preceding}
    for record in active:
        passport_store.replace_document(
            session, record, {**record.document, "status": "Deprecated"}
        )
    return document


def _key(session: Session, organisation_id: int) -> Any:
    """The organisation's signing key, created at first use."""
    from kreislauf.passport.signing import generate_key, import_jwk, private_jwk

    record = store.signing_key(session, organisation_id=organisation_id)
    if record is not None:
        return import_jwk(record.private_jwk)
    key = generate_key()
    jwk = private_jwk(key)
    store.add_signing_key(session, organisation_id=organisation_id, kid=jwk["kid"], private_jwk=jwk)
    return key


def jwks(session: Session) -> dict[str, Any]:
    """The JWK Set of every organisation's public key (``/.well-known/jwks.json``)."""
    from kreislauf.passport.signing import import_jwk, public_jwks

    return public_jwks([import_jwk(record.private_jwk) for record in store.signing_keys(session)])


def _stored(session: Session, passport_id: str, version: int | None) -> StoredPassport:
    record = (
        store.newest(session, passport_id)
        if version is None
        else store.version_of(session, passport_id, version)
    )
    if record is None:
        raise NotFound(what="passport", id=passport_id)
    return record


def _log(
    session: Session, record: StoredPassport, *, channel: str, tier: Tier, form: str, who: str
) -> None:
    store.log_access(
        session,
        [
            {
                "organisation_id": record.organisation_id,
                "passport_id": record.passport_id,
                "version": record.version,
                "channel": channel,
                "tier": tier.value,
                "format": form,
                "who": who[:400],
            }
        ],
    )


@dataclass(frozen=True)
class PublicPassport:
    """What the public page shows: the public tier's data, the versions, the QR address."""

    passport_id: str
    version: int
    versions: int
    data: dict[str, Any]
    digital_link: str | None


def public_passport(
    session: Session, passport_id: str, *, version: int | None, base: str, channel: str = "page"
) -> PublicPassport:
    """The public tier of a stored passport (logged as one access)."""
    record = _stored(session, passport_id, version)
    view = disclose(_passport(record), Tier.public)
    _log(session, record, channel=channel, tier=Tier.public, form="html", who="anonymous")
    newest = store.newest(session, passport_id)
    return PublicPassport(
        passport_id=record.passport_id,
        version=record.version,
        versions=newest.version if newest is not None else record.version,
        data=view.data,
        digital_link=_digital_link(record, base),
    )


def _digital_link(record: StoredPassport, base: str) -> str | None:
    if record.gtin is None:
        return None
    return digital_link(base, record.gtin, serial=record.serial, batch=record.batch)


def signed_public(session: Session, passport_id: str, *, version: int | None) -> bytes:
    """The public tier of a stored passport, signed by its organisation (logged)."""
    from kreislauf.passport.signing import signed_bytes

    record = _stored(session, passport_id, version)
    view = disclose(_passport(record), Tier.public)
    key = _key(session, record.organisation_id)
    _log(session, record, channel="download", tier=Tier.public, form="json-signed", who="anonymous")
    return signed_bytes(view, key)


def qr_svg(session: Session, passport_id: str, *, base: str) -> tuple[str, bytes]:
    """The QR code of a stored passport: its Digital Link URI on this host, else the
    address of its public page (a passport without GTIN)."""
    from kreislauf.passport.qr import qr_bytes

    record = _stored(session, passport_id, None)
    uri = _digital_link(record, base) or f"{base.rstrip('/')}/p/{record.passport_id}"
    return uri, qr_bytes(uri, kind="svg")


def _links(record: StoredPassport, base: str) -> list[Link]:
    page = f"{base.rstrip('/')}/p/{record.passport_id}"
    links: list[Link] = []
    for lang in ("de", "en"):
        title = translate("web.passport.link_pip", lang, product=record.product_name)
        links.append(Link("gs1:pip", lang, f"{page}?lang={lang}", title))
        carbon = translate("web.passport.link_sustainability", lang, product=record.product_name)
        links.append(Link("gs1:sustainabilityInfo", lang, f"{page}?lang={lang}#carbon", carbon))
    dpp = translate("web.passport.link_dpp", "en", product=record.product_name)
    links.append(Link("gs1:dpp", "en", f"{page}/passport.json", dpp, "application/json"))
    return links


def resolve_path(
    session: Session,
    path: str,
    *,
    base: str,
    link_type: str | None,
    accept: str | None,
    accept_language: str | None,
) -> Answer:
    """The resolver's answer to a Digital Link path (logged when a passport is found)."""
    key = parse_path(path)
    record = (
        None
        if key is None
        else store.by_gtin(session, key.gtin, serial=key.serial, batch=key.batch)
    )
    anchor = f"{base.rstrip('/')}{path}"
    if record is None:
        return resolve(anchor, None)
    answer = resolve(
        anchor,
        _links(record, base),
        link_type=link_type,
        accept=accept,
        accept_language=accept_language,
    )
    if answer.status != 404:
        form = "linkset" if answer.linkset is not None else (link_type or "gs1:pip")
        _log(session, record, channel="resolver", tier=Tier.public, form=form, who="anonymous")
    return answer


@dataclass(frozen=True)
class OwnPassport:
    """A row of the owner's passport list."""

    passport_id: str
    version: int
    product_name: str
    gtin: str | None
    serial: str | None
    batch: str | None
    created: str


def own_passports(session: Session, *, organisation_id: int) -> list[OwnPassport]:
    """The organisation's passports (newest version each)."""
    return [
        OwnPassport(
            r.passport_id,
            r.version,
            r.product_name,
            r.gtin,
            r.serial,
            r.batch,
            r.created_at.strftime("%Y-%m-%d %H:%M"),
        )
        for r in store.passports_of(session, organisation_id=organisation_id)
    ]


def own_passport(
    session: Session, *, organisation_id: int, passport_id: str, version: int | None, user_id: int
) -> dict[str, Any]:
    """One of the organisation's passports in the owner tier, with its version list (API;
    logged with the user)."""
    versions = store.versions_of(session, organisation_id=organisation_id, passport_id=passport_id)
    chosen = (
        versions[-1]
        if version is None
        else next((r for r in versions if r.version == version), None)
    )
    if chosen is None:
        raise NotFound(what="passport version", id=f"{passport_id} v{version}")
    user = session.get(User, user_id)
    who = user.email if user is not None else f"user {user_id}"
    _log(session, chosen, channel="api", tier=Tier.owner, form="json", who=who)
    return {
        "passport": chosen.document,
        "versions": [
            {
                "version": r.version,
                "digest": r.digest,
                "previous_digest": r.previous_digest,
                "created": r.created_at.isoformat(),
            }
            for r in versions
        ],
    }


@dataclass(frozen=True)
class AccessRow:
    """One row of the access log page."""

    at: str
    passport_id: str
    version: int | None
    channel: str
    tier: str
    format: str
    who: str


def access_log(session: Session, *, organisation_id: int) -> list[AccessRow]:
    """The organisation's newest accesses to its passports."""
    return [
        AccessRow(
            r.at.strftime("%Y-%m-%d %H:%M:%S"),
            r.passport_id,
            r.version,
            r.channel,
            r.tier,
            r.format,
            r.who,
        )
        for r in store.access_log(session, organisation_id=organisation_id)
    ]


def log_pact_access(
    session: Session, *, organisation_id: int, client_id: int, footprint_ids: list[str], form: str
) -> None:
    """Log the footprints a PACT client received (one row per footprint)."""
    found = store.footprint_passports(
        session, organisation_id=organisation_id, footprint_ids=footprint_ids
    )
    who = store.pact_client_name(session, client_id)
    store.log_access(
        session,
        [
            {
                "organisation_id": organisation_id,
                "passport_id": passport_id,
                "version": version,
                "channel": "pact",
                "tier": Tier.legitimate_interest.value,
                "format": form,
                "who": who,
            }
            for passport_id, version in found.values()
        ],
    )
