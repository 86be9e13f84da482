"""Catena-X PCF 9.0.0: exports valid against the aspect's JSON Schema, the CC BY example
payload read and written back without losing a required property."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kreislauf.errors import InvalidExchangeDocument, NotDisclosed
from kreislauf.passport import Tier, disclose
from kreislauf.passport.aas import aasx_bytes, read_aas
from kreislauf.passport.catenax import from_catenax_pcf, to_catenax_pcf
from tests.passport.passport_fixtures import demo_passport, sentinel_passport

DATA = Path(__file__).parent / "data" / "catenax-pcf-9.0.0"
SCHEMA = json.loads((DATA / "Pcf-schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "Pcf.json").read_text(encoding="utf-8"))
    return data


def _required(node: Any, schema: dict[str, Any], path: str = "") -> dict[str, Any]:
    """Every required property of ``node`` by its path, also inside optional blocks that
    ``node`` has (one-element arrays stepped into)."""
    defs = SCHEMA["components"]["schemas"]
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("type") == "array" and isinstance(node, list) and node:
        items = schema["items"]
        while "$ref" in items:
            items = defs[items["$ref"].rsplit("/", 1)[1]]
        return _required(node[0], items, path) if items.get("type") == "object" else {path: node}
    if schema.get("type") != "object":
        return {path: node}
    found: dict[str, Any] = {}
    required = set(schema.get("required", []))
    for name, sub in schema["properties"].items():
        child = defs[sub["$ref"].rsplit("/", 1)[1]] if "$ref" in sub else sub
        block = child.get("type") in ("object", "array")
        if name in required or (block and name in node):
            found |= _required(node[name], sub, f"{path}.{name}".lstrip("."))
    return found


def test_the_example_payload_is_valid() -> None:
    VALIDATOR.validate(_example())


def test_public_sees_too_little_for_catena_x() -> None:
    """Catena-X requires methodology fields that are legitimate-interest by default."""
    with pytest.raises(NotDisclosed, match=r"tier .public. does not see"):
        to_catenax_pcf(disclose(demo_passport(), Tier.public))


@pytest.mark.parametrize("tier", [Tier.legitimate_interest, Tier.owner])
def test_exports_validate_against_the_schema(tier: Tier) -> None:
    passport = demo_passport()
    document = to_catenax_pcf(disclose(passport, tier))
    VALIDATOR.validate(document)
    assert document["scopeOfPcfForm"][0]["partialFullPcf"] == "Cradle-to-gate"
    production = document["productLifeCycleStagesAndEmissions"][0]["productionStage"][0]
    assert passport.carbon_footprint is not None
    assert production["pcfExcludingBiogenicUptake"] == passport.carbon_footprint.total_kg_co2e


def test_the_example_round_trip_keeps_every_required_property() -> None:
    original = _example()
    again = to_catenax_pcf(disclose(from_catenax_pcf(original, file="Pcf.json"), Tier.owner))
    VALIDATOR.validate(again)
    before = _required(original, SCHEMA)
    after = _required(again, SCHEMA)
    version = "pcfAssessmentAndMethodology.pcfAssessmentInformation.idAndVersion.version"
    assert before.pop(version) == 0 and after.pop(version) == 1  # passports count from 1
    assert after == before
    assert len(before) > 30


def test_catenax_through_aas_loses_nothing() -> None:
    passport = from_catenax_pcf(_example())
    via_aas = read_aas(aasx_bytes(disclose(passport, Tier.owner)))
    assert to_catenax_pcf(disclose(via_aas, Tier.owner)) == to_catenax_pcf(
        disclose(passport, Tier.owner)
    )


def test_the_sentinel_owner_export_is_valid() -> None:
    VALIDATOR.validate(to_catenax_pcf(disclose(sentinel_passport(), Tier.owner)))


def test_a_missing_required_block_is_located() -> None:
    document = copy.deepcopy(_example())
    del document["pcfAssessmentAndMethodology"][0]["pcfAssessmentInformation"][0]["geography"]
    with pytest.raises(InvalidExchangeDocument) as caught:
        from_catenax_pcf(document, file="Pcf.json")
    assert caught.value.message("en").startswith(
        "Pcf.json, field 'pcfAssessmentAndMethodology.pcfAssessmentInformation.geography'"
    )


def test_another_version_is_refused() -> None:
    document = copy.deepcopy(_example())
    document["scopeOfPcfForm"][0]["specVersion"] = "urn:io.catenax.pcf:datamodel:version:7.0.0"
    with pytest.raises(InvalidExchangeDocument, match="another version"):
        from_catenax_pcf(document)
