"""Battery Pass v1.2: every exported aspect valid against its published JSON Schema in
every tier, what each tier gets, round trips, the CC BY example payloads read in and
written back (or refused where their generated values are impossible), bad input located.
"""

from __future__ import annotations

import copy
import json
import re
import urllib.parse
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kreislauf.errors import InvalidExchangeDocument, MissingForFormat, NotExpressible
from kreislauf.passport import Passport, Tier, disclose, passport_from_data, read_data
from kreislauf.passport.batterypass import ASPECTS, BY_URN, carried_fields, to_batterypass
from kreislauf.passport.batterypass_read import from_batterypass
from kreislauf.passport.formats import BATTERY_FIELDS, FORMATS, export
from kreislauf.passport.tiers import DEFAULT_TIERS
from kreislauf.passport.versions import digest
from tests.passport.passport_fixtures import demo_passport

DATA = Path(__file__).parent / "data"
BP = DATA / "batterypass-1.2"
MODULE = DATA / "battery-module.yaml"
#: aspect name -> (schema file, example payload file) as published
FILES = {
    "GeneralProductInformation": (
        "GeneralProductInformation-schema.json",
        "GeneralProductInformation-payload.json",
    ),
    "CarbonFootprintForBatteries": (
        "CarbonFootprintForBatteries-schema.json",
        "CarbonFootprintForBatteries-payload.json",
    ),
    "Circularity": ("Circularity-schema.json", "Circularity.json"),
    "Labeling": ("Labeling-schema.json", "Labeling-payload.json"),
    "MaterialComposition": ("MaterialComposition-schema.json", "MaterialComposition-payload.json"),
    "PerformanceAndDurability": (
        "PerformanceAndDurability.schema",
        "PerformanceAndDurability.json",
    ),
    "SupplyChainDueDiligence": (
        "SupplyChainDueDiligence-schema.json",
        "SupplyChainDueDiligence-payload.json",
    ),
}


def _load(name: str) -> Any:
    """A published file: UTF-16 with byte-order mark or UTF-8, as the repository has it."""
    raw = (BP / name).read_bytes()
    text = (
        raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8-sig")
    )
    return json.loads(text)


#: jsonschema checks "uri" and "date-time" only with optional packages not installed
#: here: these two checks (RFC 3986 absolute URI with a scheme; RFC 3339 date-time with
#: offset) are added so that the schemas' formats are checked too
FORMATS_CHECKED = jsonschema.FormatChecker()


@FORMATS_CHECKED.checks("uri")
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    return bool(parts.scheme) and not any(c.isspace() for c in value)


@FORMATS_CHECKED.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", value
    ):
        return False
    return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


@cache
def _validator(aspect: str) -> jsonschema.Draft4Validator:
    schema = _load(FILES[aspect][0])
    return jsonschema.Draft4Validator(schema, format_checker=FORMATS_CHECKED)


def _errors(aspect: str, payload: Any) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in _validator(aspect).iter_errors(payload)]


def _example(aspect: str) -> Any:
    return _load(FILES[aspect][1])


def module() -> Passport:
    return passport_from_data(read_data(MODULE), file=MODULE.name)


#: the one fault of the published examples against their own schemas: a CAS number
#: with a trailing space (the reader strips it)
EXAMPLE_FAULTS = {
    "MaterialComposition": [
        "['batteryMaterials', 0, 'batteryMaterialIdentifier']: '7439-93-2 ' does not match "
        "'^\\\\d{2,7}-\\\\d{2}-\\\\d{1}$'"
    ]
}


def test_the_fixtures_are_the_seven_aspects_and_their_examples_are_valid() -> None:
    assert {a.name for a in ASPECTS} == set(FILES)
    for aspect, (schema, _) in FILES.items():
        urn = next(a.urn for a in ASPECTS if a.name == aspect)
        assert _load(schema)["x-samm-aspect-model-urn"] == urn
        assert _errors(aspect, _example(aspect)) == EXAMPLE_FAULTS.get(aspect, []), aspect


def test_battery_fields_of_the_format_table_are_the_aspects_fields() -> None:
    assert (
        frozenset().union(*(a.carries for a in ASPECTS)) | {"carbon_footprint.total_kg_co2e"}
        == BATTERY_FIELDS
    )
    assert FORMATS["batterypass"].carries == BATTERY_FIELDS


#: the aspects each tier sees completely (Art. 77(2): the status, putting into service,
#: materials, dismantling, spare parts, safety and condition are points 2 and 4, the test
#: reports point 3)
EXPECTED = {
    Tier.public: {"CarbonFootprintForBatteries", "SupplyChainDueDiligence"},
    Tier.legitimate_interest: set(FILES) - {"Labeling"},
    Tier.authority: set(FILES),
    Tier.owner: set(FILES),
}


@pytest.mark.parametrize("tier", list(Tier))
def test_every_tier_writes_valid_aspects(tier: Tier) -> None:
    document = to_batterypass(disclose(module(), tier))
    assert {BY_URN[urn].name for urn in document} == EXPECTED[tier]
    for urn, payload in document.items():
        assert _errors(BY_URN[urn].name, payload) == [], urn


def test_the_aspects_hold_the_passports_values() -> None:
    passport = module()
    document = to_batterypass(disclose(passport, Tier.owner))
    by_name = {BY_URN[urn].name: payload for urn, payload in document.items()}
    gpi = by_name["GeneralProductInformation"]
    assert gpi["batteryCategory"] == "stationary" and gpi["batteryMass"] == 42.5
    assert gpi["warrentyPeriod"] == "--12"
    assert gpi["batteryPassportIdentifier"] == f"urn:uuid:{passport.id.hex}"
    assert gpi["manufacturerInformation"]["postalAddress"] == {
        "streetAddress": "Werkstraße 7",
        "postalCode": "04109",
        "addressCountry": "DE",
    }
    # the pattern of emailAddress is "^[w.-]+@…" (the letter w): passport@example.com does
    # not match, so the optional property is left out rather than written invalid
    assert "emailAddress" not in gpi["manufacturerInformation"]
    cf = by_name["CarbonFootprintForBatteries"]
    assert cf["batteryCarbonFootprint"] == 61.4
    assert sum(
        s["carbonFootprint"] for s in cf["carbonFootprintPerLifecycleStage"]
    ) == pytest.approx(61.4)
    assert "absoluteCarbonFootprint" not in cf  # the module passport has no PCF per piece
    perf = by_name["PerformanceAndDurability"]
    assert perf["batteryTechicalProperties"]["temperatureRangeIdleState"] == {
        "minimum": -20,
        "maximum": 55,
    }
    assert perf["batteryCondition"]["stateOfCharge"] == {
        "stateOfChargeValue": 64.0,
        "lastUpdate": "2026-11-30T00:00:00Z",
    }
    circ = by_name["Circularity"]
    assert [r["recycledMaterial"] for r in circ["recycledContent"]] == [
        "Lithium",
        "Nickel",
        "Cobalt",
        "Lead",
    ]


def test_the_pcf_of_one_piece_is_the_absolute_footprint() -> None:
    data = read_data(MODULE)
    pcf = demo_passport().carbon_footprint
    assert pcf is not None and pcf.declared_unit == "piece"
    data["carbon_footprint"] = pcf.model_dump(mode="json")
    document = to_batterypass(disclose(passport_from_data(data), Tier.public))
    cf = document[ASPECTS[1].urn]
    assert cf["absoluteCarbonFootprint"] == pcf.total_kg_co2e
    assert _errors("CarbonFootprintForBatteries", cf) == []
    assert "carbon_footprint.total_kg_co2e" in carried_fields(document)


def test_a_round_trip_keeps_the_battery_section() -> None:
    original = module()
    document = json.loads(export(original, tier=Tier.owner, form="batterypass"))
    again = from_batterypass(document, file="bm-48.batterypass.json")
    assert again.id == original.id
    assert again.battery == original.battery
    assert again.manufacturer.name == original.manufacturer.name
    assert again.manufacturer.company_ids == original.manufacturer.company_ids
    assert again.manufacturer.country == "DE"
    # what the aspects cannot carry (docs/passport.md#battery-pass): the GTIN, serial and
    # product name (the product identifier stands in), the house number apart from the
    # street, the city, the contact, durability, physical and all non-battery sections
    assert again.identification.product_name == original.battery.product_identifier  # type: ignore[union-attr]
    assert again.identification.gtin is None and again.manufacturer.city is None
    assert again.manufacturer.street == "Werkstraße 7" and again.manufacturer.house_number is None
    assert json.loads(export(again, tier=Tier.owner, form="batterypass")) == document


#: example payloads whose generated values the passport model refuses: aspect ->
#: (the property named, the words of the reason)
REFUSED = {
    "GeneralProductInformation": ("operatorInformation.emailAddress", "pattern"),
    "CarbonFootprintForBatteries": ("absoluteCarbonFootprint", "expected a number ≥ 0"),
    "Circularity": ("recycledContent[0]", "exceed 100"),
    "MaterialComposition": (
        "hazardousSubstances[0].hazardousSubstanceConcentration",
        "greater than or equal to 0",
    ),
    "PerformanceAndDurability": (
        "batteryTechicalProperties.nominalVoltage",
        "greater than or equal to 0",
    ),
}


@pytest.mark.parametrize("aspect", list(FILES))
def test_the_example_payloads_are_read_and_written_back(aspect: str) -> None:
    """Each published example beside the module's own GeneralProductInformation: read in
    and written back equal and valid, or refused naming aspect and property."""
    urn = next(a.urn for a in ASPECTS if a.name == aspect)
    document = json.loads(export(module(), tier=Tier.owner, form="batterypass"))
    document[urn] = _example(aspect)
    if aspect in REFUSED:
        where, reason = REFUSED[aspect]
        with pytest.raises(InvalidExchangeDocument) as caught:
            from_batterypass(document, file="example.json")
        message = str(caught.value)
        assert f"{aspect}.{where}" in message and reason in message and "example.json" in message
        return
    again = from_batterypass(document, file="example.json")
    written = to_batterypass(disclose(again, Tier.owner))[urn]
    assert written == _example(aspect)
    assert _errors(aspect, written) == []


def _gpi(document: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = document[ASPECTS[0].urn]
    return payload


@pytest.mark.parametrize(
    ("change", "where", "expected"),
    [
        (
            lambda d: _gpi(d).update(batteryMass=-3),
            "GeneralProductInformation.batteryMass",
            "greater than or equal to 0",
        ),
        (
            lambda d: _gpi(d).pop("batteryCategory"),
            "GeneralProductInformation.batteryCategory",
            "required, missing",
        ),
        (
            lambda d: _gpi(d).update(batteryCategory="portable"),
            "GeneralProductInformation.batteryCategory",
            "'lmt', 'ev', 'industrial' or 'stationary'",
        ),
        (
            lambda d: _gpi(d).update(warrentyPeriod="P8Y"),
            "GeneralProductInformation.warrentyPeriod",
            "gMonth",
        ),
        (
            lambda d: _gpi(d)["manufacturerInformation"]["postalAddress"].update(
                addressCountry="Atlantis"
            ),
            "postalAddress.addressCountry",
            "no country",
        ),
        (lambda d: d.pop(ASPECTS[0].urn), "GeneralProductInformation", "required, missing"),
        (
            lambda d: d.update({"urn:samm:io.BatteryPass.Labels:9.9.9#Labeling": {}}),
            "Labels:9.9.9",
            "unknown aspect",
        ),
        (
            lambda d: d[ASPECTS[5].urn]["batteryCondition"]["stateOfCharge"].pop("lastUpdate"),
            "PerformanceAndDurability.batteryCondition.stateOfCharge.lastUpdate",
            "required, missing",
        ),
        (
            lambda d: d[ASPECTS[2].urn]["sparePartSources"][0].update(
                emailAddressOfSupplier="nobody"
            ),
            "Circularity.sparePartSources[0].emailAddressOfSupplier",
            "pattern",
        ),
    ],
)
def test_bad_input_is_located(change: Any, where: str, expected: str) -> None:
    document = copy.deepcopy(json.loads(export(module(), tier=Tier.owner, form="batterypass")))
    change(document)
    with pytest.raises(InvalidExchangeDocument) as caught:
        from_batterypass(document, file="bad.json")
    message = str(caught.value)
    assert "bad.json" in message and where in message and expected in message, message


def test_a_warranty_above_twelve_months_is_not_written_shortened() -> None:
    data = read_data(MODULE)
    data["battery"]["warranty_months"] = 96
    passport = passport_from_data(data)
    with pytest.raises(NotExpressible, match=r"battery\.warranty_months"):
        export(passport, tier=Tier.owner, form="batterypass")
    # the public tier does not need the warranty (GeneralProductInformation is not public)
    assert export(passport, tier=Tier.public, form="batterypass")


def test_a_passport_without_battery_section_is_unchanged_and_has_no_battery_pass() -> None:
    passport = demo_passport()
    assert passport.battery is None and "battery" not in passport.model_dump(mode="json")
    assert "battery" not in json.loads(passport.model_dump_json())
    assert digest(passport) == digest(Passport.model_validate(passport.model_dump(mode="json")))
    with pytest.raises(MissingForFormat, match="battery"):
        export(passport, tier=Tier.owner, form="batterypass")


def test_the_tiers_follow_art_77() -> None:
    tiers = {f: t for f, t in DEFAULT_TIERS.items() if f.startswith("battery.")}
    assert {f for f, t in tiers.items() if t is Tier.authority} == {"battery.test_reports_url"}
    assert {f for f, t in tiers.items() if t is Tier.legitimate_interest} == {
        "battery.status",
        "battery.putting_into_service",
        "battery.condition",
        "battery.materials",
        "battery.spare_part_sources",
        "battery.dismantling_documents",
        "battery.safety_measures",
    }


def test_a_general_product_information_payload_alone_is_read() -> None:
    original = module()
    document = json.loads(export(original, tier=Tier.owner, form="batterypass"))
    alone = from_batterypass(document[ASPECTS[0].urn], file="gpi.json")
    assert alone.id == original.id and alone.battery is not None
    assert alone.battery.mass_kg == 42.5 and alone.battery.technical is None


def test_the_format_checks_refuse_what_they_should() -> None:
    assert not FORMATS_CHECKED.conforms("not a uri", "uri")
    assert FORMATS_CHECKED.conforms("telnet://192.0.2.16:80/", "uri")
    assert not FORMATS_CHECKED.conforms("2026-03-02T08:00:00", "date-time")  # no offset
    assert FORMATS_CHECKED.conforms("2025-06-17T11:14:27.698+02:00", "date-time")
    document = json.loads(export(module(), tier=Tier.owner, form="batterypass"))
    _gpi(document)["manufacturingDate"] = "March 2026"
    assert _errors("GeneralProductInformation", _gpi(document)) != []


def test_a_list_not_entered_is_not_written_as_empty() -> None:
    data = read_data(MODULE)
    del data["battery"]["hazardous_substances"]
    document = to_batterypass(disclose(passport_from_data(data), Tier.owner))
    assert "urn:samm:io.BatteryPass.MaterialComposition:1.2.0#MaterialComposition" not in document
    data["battery"]["hazardous_substances"] = []  # stated: there is none
    document = to_batterypass(disclose(passport_from_data(data), Tier.owner))
    payload = document["urn:samm:io.BatteryPass.MaterialComposition:1.2.0#MaterialComposition"]
    assert payload["hazardousSubstances"] == []
    assert _errors("MaterialComposition", payload) == []
