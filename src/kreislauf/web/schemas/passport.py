"""Passports on the platform as the API shows them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class PassportSummary(BaseModel):
    """The newest version of one of the organisation's passports, with its public links.

    page : the public page; signed : the public tier as a signed file; qr : its QR code
    """

    passport_id: str
    version: int
    product_name: str
    gtin: str | None
    serial: str | None
    batch: str | None
    created: str
    page: str
    signed: str
    qr: str


class PublishedPassport(BaseModel):
    """What publishing did: the version stored (``new`` false: unchanged, no new version)
    and the PACT footprint published with it (``null`` with the reason when PACT's
    required fields are missing)."""

    passport_id: str
    version: int
    new: bool
    footprint_id: str | None
    pact_skipped: str | None


class PassportVersions(BaseModel):
    """One passport in the owner tier (all fields) and its chain of versions."""

    passport: dict[str, Any]
    versions: list[dict[str, Any]]


class PassportAccessEntry(BaseModel):
    """One access to a passport: time [UTC], channel (page, resolver, download, api,
    pact), tier, format and who."""

    at: str
    passport_id: str
    version: int | None
    channel: str
    tier: str
    format: str
    who: str
