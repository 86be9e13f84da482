"""Product passports: one model, disclosure tiers, exchange formats, signatures.

Pure Python on top of :mod:`kreislauf.carbon` (the PCF rollup): no web, no database. The
exchange formats (:mod:`.pact`, :mod:`.aas`, :mod:`.catenax`) and signing (:mod:`.signing`)
are imported from their modules, as they load their libraries.
"""

from kreislauf.passport.build import material_masses, passport_from_pcf
from kreislauf.passport.identifiers import digital_link, gtin_urn, normalised_gtin
from kreislauf.passport.io import (
    load_versions,
    passport_from_data,
    read_data,
    read_passport,
    save_version,
)
from kreislauf.passport.models import SCHEMA_VERSION, Grant, Passport, Status, Tier
from kreislauf.passport.tiers import (
    DEFAULT_TIERS,
    PassportView,
    check_disclosure,
    disclose,
    disclosure_fields,
)
from kreislauf.passport.versions import canonical_json, chain_problems, digest, next_version

__all__ = [
    "DEFAULT_TIERS",
    "SCHEMA_VERSION",
    "Grant",
    "Passport",
    "PassportView",
    "Status",
    "Tier",
    "canonical_json",
    "chain_problems",
    "check_disclosure",
    "digest",
    "digital_link",
    "disclose",
    "disclosure_fields",
    "gtin_urn",
    "load_versions",
    "material_masses",
    "next_version",
    "normalised_gtin",
    "passport_from_data",
    "passport_from_pcf",
    "read_data",
    "read_passport",
    "save_version",
]
