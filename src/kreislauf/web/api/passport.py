"""Passports on the platform: publish a passport version, list them, read one (owner
tier), the access log. The public side and the PACT host are not part of /api/v1
(:mod:`kreislauf.web.pages.passport`, :mod:`kreislauf.web.api.pact`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Request, UploadFile

from kreislauf.web.deps import DB, Editor, Viewer
from kreislauf.web.schemas.passport import (
    PassportAccessEntry,
    PassportSummary,
    PassportVersions,
    PublishedPassport,
)
from kreislauf.web.services import passport_platform as platform

router = APIRouter(tags=["passport"])

PassportRef = Annotated[
    str,
    Path(min_length=1, max_length=36, pattern=r"^[0-9a-fA-F-]+$", description="Passport id"),
]


@router.post("/orgs/{org}/passports", status_code=201)
def publish_passport(
    request: Request,
    access: Editor,
    db: DB,
    file: Annotated[
        UploadFile | None,
        File(description="Passport (JSON/YAML), as 'kreislauf passport build' writes"),
    ] = None,
) -> PublishedPassport:
    """Publish a passport as the next version of its id (unchanged content: no new
    version) and its PACT footprint. Errors name file and field; nothing is stored."""
    passport = platform.read_upload(request, file)
    done = platform.publish(db, organisation_id=access.organisation_id, passport=passport)
    return PublishedPassport(**done.__dict__)


@router.get("/orgs/{org}/passports")
def list_passports(request: Request, access: Viewer, db: DB) -> list[PassportSummary]:
    """The organisation's passports (newest version each) with their public links."""
    base = str(request.base_url).rstrip("/")
    return [
        PassportSummary(
            **p.__dict__,
            page=f"{base}/p/{p.passport_id}",
            signed=f"{base}/p/{p.passport_id}/passport.json",
            qr=f"{base}/p/{p.passport_id}/qr.svg",
        )
        for p in platform.own_passports(db, organisation_id=access.organisation_id)
    ]


@router.get("/orgs/{org}/passports/access")
def passport_access(access: Viewer, db: DB) -> list[PassportAccessEntry]:
    """The newest 200 accesses to the organisation's passports."""
    return [
        PassportAccessEntry(**row.__dict__)
        for row in platform.access_log(db, organisation_id=access.organisation_id)
    ]


@router.get("/orgs/{org}/passports/{passport_ref}")
def get_passport(
    passport_ref: PassportRef,
    access: Viewer,
    db: DB,
    version: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> PassportVersions:
    """One passport in the owner tier (the newest version, or ``version``) and its
    version chain; the access is logged."""
    found = platform.own_passport(
        db,
        organisation_id=access.organisation_id,
        passport_id=passport_ref,
        version=version,
        user_id=access.user_id,
    )
    return PassportVersions(**found)
