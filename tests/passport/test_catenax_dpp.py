"""Catena-X generic DPP 7.0.0: exports valid against the aspect's JSON Schema for every
tier, the CC BY example payload valid and read, round trips of what the aspect carries."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kreislauf.errors import InvalidExchangeDocument, MissingForFormat, NotDisclosed
from kreislauf.passport import Passport, Tier, disclose, passport_from_data
from kreislauf.passport.catenax_dpp import from_catenax_dpp, to_catenax_dpp
from tests.passport.passport_fixtures import demo_passport, sentinel_passport

DATA = Path(__file__).parent / "data" / "catenax-dpp-7.0.0"
SCHEMA = json.loads((DATA / "DigitalProductPassport-schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (DATA / "DigitalProductPassport.json").read_text(encoding="utf-8")
    )
    return data


def test_the_example_payload_is_valid() -> None:
    VALIDATOR.validate(_example())


@pytest.mark.parametrize("tier", list(Tier))
@pytest.mark.parametrize("make", [demo_passport, sentinel_passport])
def test_every_tier_writes_a_valid_aspect(make: Any, tier: Tier) -> None:
    document = to_catenax_dpp(disclose(make(), tier))
    errors = [f"{list(e.path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]
    assert errors == []


def test_the_aspect_holds_the_passport_values() -> None:
    passport = demo_passport()
    document = to_catenax_dpp(disclose(passport, Tier.public))
    assert document["metadata"]["passportIdentifier"] == f"urn:uuid:{passport.id}"
    assert document["metadata"]["expirationDate"][:4] == str(passport.created.year + 10)
    (total, fossil) = document["sustainability"]["productFootprint"]["carbon"]
    assert passport.carbon_footprint is not None
    assert total["value"] == pytest.approx(passport.carbon_footprint.total_kg_co2e)
    assert fossil["type"] == "Climate Change Fossil"
    weight = document["characteristics"]["physicalDimension"]["weight"]
    assert weight == {"value": 0.43, "unit": "unit:kilogram"}
    # composition is legitimate-interest by default: the public aspect lists no material
    assert document["composition"]["materialInformation"]["materials"] == []
    legit = to_catenax_dpp(disclose(passport, Tier.legitimate_interest))
    names = [m["materialType"] for m in legit["composition"]["materialInformation"]["materials"]]
    assert names == [m.name for m in passport.composition]


def _carried(passport: Passport) -> dict[str, Any]:
    """The parts of a passport that the aspect carries back."""
    data = passport.model_dump(mode="json")
    return {
        "id": data["id"],
        "version": data["version"],
        "identification": {
            k: data["identification"][k]
            for k in ("gtin", "serial", "batch", "product_name", "classifications")
        },
        "manufacturer": {
            k: data["manufacturer"][k]
            for k in ("name", "company_ids", "street", "house_number", "postcode", "city")
        },
        "durability": data["durability"],
        "physical": data["physical"],
        "substances": [
            {k: s[k] for k in ("name", "cas", "concentration_percent", "location")}
            for s in data["substances"]
        ],
    }


@pytest.mark.parametrize("make", [demo_passport, sentinel_passport])
def test_a_round_trip_keeps_what_the_aspect_carries(make: Any) -> None:
    passport = make()
    again = from_catenax_dpp(to_catenax_dpp(disclose(passport, Tier.owner)), file="x.json")
    assert _carried(again) == _carried(passport)
    assert again.identification.urns == passport.identification.urns


def test_the_example_payload_is_read_and_written_back_valid() -> None:
    passport = from_catenax_dpp(_example(), file="DigitalProductPassport.json")
    assert passport.manufacturer.name == "ABC"
    assert passport.manufacturer.company_ids == ["urn:bpn:BPNL0123456789ZZ"]
    assert passport.physical.net_mass_kg == pytest.approx(0.02)  # 20 g
    assert passport.physical.volume_m3 == pytest.approx(20.0)
    assert passport.durability.expected_lifetime_years is None  # 36 days, not years
    again = to_catenax_dpp(disclose(passport, Tier.owner))
    VALIDATOR.validate(again)
    example = _example()
    assert again["metadata"]["passportIdentifier"] == example["metadata"]["passportIdentifier"]
    assert (
        again["identification"]["partTypeInformation"]["nameAtManufacturer"]
        == example["identification"]["partTypeInformation"]["nameAtManufacturer"]
    )


def test_missing_physical_data_is_named() -> None:
    data = json.loads(demo_passport().model_dump_json())
    data["physical"] = {}
    with pytest.raises(MissingForFormat, match=r"physical\.net_mass_kg"):
        to_catenax_dpp(disclose(passport_from_data(data), Tier.owner))


def test_a_withheld_required_field_is_named_with_the_tier() -> None:
    data = json.loads(demo_passport().model_dump_json())
    data["disclosure"] = {"manufacturer.street": [{"tier": "authority"}]}
    with pytest.raises(NotDisclosed, match=r"manufacturer\.street"):
        to_catenax_dpp(disclose(passport_from_data(data), Tier.public))


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("metadata", "specVersion"), "urn:io.catenax.generic.digital_product_passport:6.0.0",
         "another version"),
        (("identification", "partTypeInformation"), None, "partTypeInformation"),
        (("characteristics", "physicalDimension", "weight"), {"value": 1, "unit": "unit:furlong"},
         "unit:furlong"),
        (("identification", "codes"), {"key": "GTIN"}, "not a list"),
    ],
)  # fmt: skip
def test_bad_input_is_located(path: tuple[str, ...], value: Any, message: str) -> None:
    document = copy.deepcopy(_example())
    node = document
    for name in path[:-1]:
        node = node[name]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    with pytest.raises(InvalidExchangeDocument, match=message) as caught:
        from_catenax_dpp(document, file="bad.json")
    assert "bad.json" in str(caught.value)


def test_a_bad_gtin_in_the_codes_is_located() -> None:
    document = copy.deepcopy(_example())
    document["identification"]["codes"] = [{"key": "GTIN", "value": "4012345000017"}]
    with pytest.raises(Exception, match="gtin") as caught:
        from_catenax_dpp(document, file="bad.json")
    assert "bad.json" in str(caught.value)
