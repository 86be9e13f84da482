"""Battery Pass data model v1.2 from and to passports: the seven aspects of a battery.

The Battery Pass consortium's data model (``batterypass/BatteryPassDataModel``, v1.2.0,
CC BY 4.0; SAMM aspects after DIN DKE SPEC 99100:2025-02) splits a battery passport into
seven aspects. ``--format batterypass`` writes one JSON object whose keys are the aspect
URNs and whose values are the aspect payloads, each valid against the aspect's published
JSON Schema (``tests/passport/test_batterypass.py``):

=========================  ==================================================  ==========
aspect                     from the passport                                   version
=========================  ==================================================  ==========
GeneralProductInformation  ``battery`` identification, category, status, mass,  1.2.0
                           place and date of manufacture, putting into
                           service, warranty; ``manufacturer`` (and
                           ``battery.operator``, else the manufacturer again)
CarbonFootprintForBatteries ``battery.carbon_footprint`` (per kWh); the PCF of    1.2.0
                           one piece as ``absoluteCarbonFootprint``
Circularity                dismantling documents, spare-part sources, recycled  1.2.0
                           content of Co/Li/Ni/Pb, safety measures, waste
                           information, renewable content
Labeling                   labels, declaration of conformity, test reports      1.2.0
MaterialComposition        chemistry, materials, hazardous substances           1.2.0
PerformanceAndDurability   ``battery.technical`` and ``battery.condition``      1.2.1
SupplyChainDueDiligence    ``battery.due_diligence``                            1.2.0
=========================  ==================================================  ==========

Every property an aspect's schema requires must come from the passport: an aspect is
written only when the caller's tier sees all of its required fields (a public caller
gets CarbonFootprintForBatteries and SupplyChainDueDiligence; the status, the putting
into service, the test reports and the condition are not public under Art. 77(2)), and
nothing is invented. The export fails (``MissingForFormat`` / ``NotDisclosed``) only
when no aspect can be written.

PerformanceAndDurability is written in version 1.2.1, the consortium's correction of
1.2.0 (1.2.0 misspells ``remainingEnergyalue``, gives the idle temperature range as one
number and an energy throughput without its update time). Deviations from the aspects'
literal types, kept on purpose:

- ``batteryPassportIdentifier`` must match ``^urn:[a-z0-9]+:[a-z0-9]+$`` (no hyphen):
  written ``urn:uuid:<the passport id as 32 hex digits>``;
- ``warrentyPeriod`` is typed ``xsd:gMonth`` with unit month: kreislauf writes the
  number of months as ``--MM``, which can say 1 to 12 months only; a longer warranty
  raises :class:`~kreislauf.errors.NotExpressible` (never a shortened period);
- ``emailAddress`` of the manufacturer/operator has the pattern ``^[w.-]+@…`` (the
  letter ``w``, not ``\\w``): it is optional and written only when an address matches.

References
----------
Reading: :mod:`.batterypass_read`.

Battery Pass data model v1.2.0, ``BatteryPass/io.BatteryPass.*/1.2.0/gen/*-schema.json``
and ``io.BatteryPass.Performance/1.2.1``; Regulation (EU) 2023/1542, Art. 7, 8, 13, 77,
Annex VI Part A, Annex XIII.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kreislauf.errors import MissingForFormat, NotDisclosed, NotExpressible
from kreislauf.passport.pact import FieldReader
from kreislauf.passport.tiers import PassportView

FORMAT = "Battery Pass 1.2"
PREFIX = "urn:samm:io.BatteryPass."
#: the manufacturer's e-mail pattern of GeneralProductInformation 1.2.0, as published
GPI_EMAIL = re.compile(r"^[w.-]+@[w.-]+.[A-Za-z]{2,}$")

B = "battery."
M = "manufacturer."


def _address(node: dict[str, Any]) -> dict[str, Any]:
    return {
        "streetAddress": node["street_address"],
        "postalCode": node["postal_code"],
        "addressCountry": node["country"],
    }


def _contact(operator: dict[str, Any]) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "contactName": operator["name"],
        "postalAddress": _address(operator["address"]),
        "identifier": operator["identifier"],
    }
    if operator.get("email") and GPI_EMAIL.match(operator["email"]):
        contact["emailAddress"] = operator["email"]
    if operator.get("web"):
        contact["webAddress"] = operator["web"]
    return contact


def _manufacturer(read: FieldReader) -> dict[str, Any]:
    street = read.may(M + "street")
    if street:
        number = read.may(M + "house_number")
        street = f"{street} {number}" if number else street
    else:
        street = read.need(M + "address", "give manufacturer.street or manufacturer.address")
    return {
        "name": read.need(M + "name"),
        "address": {
            "street_address": street,
            "postal_code": read.need(M + "postcode"),
            "country": read.need(M + "country"),
        },
        "identifier": read.need(M + "company_ids")[0],
    }


def _warranty(months: int) -> str:
    if not 1 <= months <= 12:
        raise NotExpressible(
            field="battery.warranty_months",
            format=FORMAT,
            value=months,
            expected="1 to 12 months (warrentyPeriod is typed xsd:gMonth, '--MM')",
        )
    return f"--{months:02d}"


def general_product_information(read: FieldReader) -> dict[str, Any]:
    """GeneralProductInformation 1.2.0 (module docstring)."""
    manufacturer = _manufacturer(read)
    if B + "operator" in read.view.withheld:  # never the manufacturer in its place
        read.need(B + "operator")
    operator = read.may(B + "operator") or manufacturer
    return {
        "productIdentifier": read.need(B + "product_identifier"),
        "batteryPassportIdentifier": f"urn:uuid:{uuid.UUID(read.view.data['id']).hex}",
        "batteryCategory": read.need(B + "category"),
        "manufacturerInformation": _contact(manufacturer),
        "manufacturingDate": read.need(B + "manufacturing_date"),
        "batteryStatus": read.need(B + "status"),
        "batteryMass": read.need(B + "mass_kg"),
        "manufacturingPlace": _address(read.need(B + "manufacturing_place")),
        "operatorInformation": _contact(operator),
        "puttingIntoService": read.need(B + "putting_into_service"),
        "warrentyPeriod": _warranty(read.need(B + "warranty_months")),
    }


def carbon_footprint(read: FieldReader) -> dict[str, Any]:
    """CarbonFootprintForBatteries 1.2.0: per kWh, and the PCF of one piece if shown."""
    footprint = read.need(B + "carbon_footprint")
    document: dict[str, Any] = {
        "batteryCarbonFootprint": footprint["kg_co2e_per_kwh"],
        "carbonFootprintPerLifecycleStage": [
            {"lifecycleStage": s["stage"], "carbonFootprint": s["kg_co2e_per_kwh"]}
            for s in footprint["stages"]
        ],
        "carbonFootprintPerformanceClass": footprint["performance_class"],
        "carbonFootprintStudy": footprint["study_url"],
    }
    if (
        read.may("carbon_footprint.declared_unit") == "piece"
        and read.may("carbon_footprint.declared_unit_amount") == 1
        and read.may("carbon_footprint.total_kg_co2e") is not None
    ):
        document["absoluteCarbonFootprint"] = read.may("carbon_footprint.total_kg_co2e")
    return document


def _listed(read: FieldReader, field: str) -> list[Any]:
    """A list field that an aspect requires to be present (an empty list is written)."""
    value = read.may(field)
    if value is None:
        if field in read.view.withheld:
            raise NotDisclosed(field=field, format=read.form, tier=read.view.tier.value)
        raise MissingForFormat(field=field, format=read.form, hint="add it to battery")
    return list(value)


def circularity(read: FieldReader) -> dict[str, Any]:
    """Circularity 1.2.0."""
    safety = read.need(B + "safety_measures")
    waste = read.need(B + "waste_information")
    return {
        "dismantlingAndRemovalInformation": [
            {"documentType": d["kind"], "mimeType": d["media_type"], "documentURL": d["url"]}
            for d in _listed(read, B + "dismantling_documents")
        ],
        "sparePartSources": [
            {
                "nameOfSupplier": s["supplier"],
                "addressOfSupplier": _address(s["address"]),
                "emailAddressOfSupplier": s["email"],
                "supplierWebAddress": s["web"],
                "components": [
                    {"partName": p["name"], "partNumber": p["number"]} for p in s["parts"]
                ],
            }
            for s in _listed(read, B + "spare_part_sources")
        ],
        "recycledContent": [
            {
                "recycledMaterial": r["material"],
                "preConsumerShare": r["pre_consumer_percent"],
                "postConsumerShare": r["post_consumer_percent"],
            }
            for r in _listed(read, B + "recycled_materials")
        ],
        "safetyMeasures": {
            "safetyInstructions": safety["instructions_url"],
            "extinguishingAgent": safety["extinguishing_agents"],
        },
        "endOfLifeInformation": {
            "wastePrevention": waste["waste_prevention_url"],
            "separateCollection": waste["separate_collection_url"],
            "informationOnCollection": waste["collection_information_url"],
        },
        "renewableContent": read.need(B + "renewable_content_percent"),
    }


def labeling(read: FieldReader) -> dict[str, Any]:
    """Labeling 1.2.0 (the test reports are for authorities, Annex XIII 3)."""
    return {
        "declarationOfConformity": read.need(B + "declaration_of_conformity_url"),
        "resultOfTestReport": read.need(B + "test_reports_url"),
        "labels": [
            {
                "labelingSubject": label["subject"],
                "labelingSymbol": label["symbol_url"],
                "labelingMeaning": label["meaning"],
            }
            for label in _listed(read, B + "labels")
        ],
    }


def _location(node: dict[str, Any]) -> dict[str, Any]:
    location = {"componentName": node["component"]}
    if node.get("component_id"):
        location["componentId"] = node["component_id"]
    return location


def material_composition(read: FieldReader) -> dict[str, Any]:
    """MaterialComposition 1.2.0."""
    chemistry = read.need(B + "chemistry")
    return {
        "batteryChemistry": {
            "shortName": chemistry["short_name"],
            "clearName": chemistry["clear_name"],
        },
        "batteryMaterials": [
            {
                "batteryMaterialLocation": _location(m),
                "batteryMaterialIdentifier": m["cas"],
                "batteryMaterialName": m["name"],
                "batteryMaterialMass": m["mass_kg"],
                "isCriticalRawMaterial": m["critical_raw_material"],
            }
            for m in _listed(read, B + "materials")
        ],
        "hazardousSubstances": [
            {
                "hazardousSubstanceClass": h["hazard_class"],
                "hazardousSubstanceName": h["name"],
                "hazardousSubstanceConcentration": h["concentration_percent"],
                "hazardousSubstanceImpact": h["impacts"],
                "hazardousSubstanceLocation": _location(h),
                "hazardousSubstanceIdentifier": h["cas"],
            }
            for h in _listed(read, B + "hazardous_substances")
        ],
    }


#: PerformanceAndDurability 1.2.1 batteryCondition: its key, the passport's key, and
#: the name of the value inside (``<key>Value``)
READINGS = (
    ("energyThroughput", "energy_throughput_kwh"),
    ("capacityThroughput", "capacity_throughput_ah"),
    ("numberOfFullCycles", "full_cycles"),
    ("stateOfCertifiedEnergy", "state_of_certified_energy_percent"),
    ("capacityFade", "capacity_fade_percent"),
    ("remainingEnergy", "remaining_energy_kwh"),
    ("remainingCapacity", "remaining_capacity_ah"),
    ("evolutionOfSelfDischarge", "self_discharge_evolution_percent"),
    ("currentSelfDischargingRate", "self_discharge_rate_percent"),
    ("remainingRoundTripEnergyEfficiency", "remaining_round_trip_efficiency_percent"),
    ("stateOfCharge", "state_of_charge_percent"),
)
#: batteryTechicalProperties (sic) of 1.2.1: its key and the passport's key
TECHNICAL = (
    ("ratedMaximumPower", "rated_maximum_power_w"),
    ("powerCapabilityRatio", "power_capability_ratio"),
    ("ratedEnergy", "rated_energy_kwh"),
    ("expectedNumberOfCycles", "expected_lifetime_cycles"),
    ("initialSelfDischarge", "initial_self_discharge_percent"),
    ("roundtripEfficiency", "round_trip_efficiency_percent"),
    ("ratedCapacity", "rated_capacity_ah"),
    ("expectedLifetime", "expected_lifetime_years"),
    ("cRate", "c_rate"),
    ("nominalVoltage", "nominal_voltage_v"),
    ("minimumVoltage", "minimum_voltage_v"),
    ("maximumVoltage", "maximum_voltage_v"),
    ("capacityThresholdForExhaustion", "capacity_threshold_for_exhaustion_percent"),
    ("lifetimeReferenceTest", "lifetime_reference_test_url"),
    ("cRateLifeCycleTest", "c_rate_life_cycle_test"),
    (
        "roundTripEfficiencyat50PerCentCycleLife",
        "round_trip_efficiency_at_50_percent_cycle_life_percent",
    ),
    ("roundTripEfficiencyFade", "round_trip_efficiency_fade_percent"),
    ("powerFade", "power_fade_percent"),
)


def performance(read: FieldReader) -> dict[str, Any]:
    """PerformanceAndDurability 1.2.1 (module docstring)."""
    tech = read.need(B + "technical")
    cond = read.need(B + "condition")
    properties: dict[str, Any] = {
        key: tech[name] for key, name in TECHNICAL if tech.get(name) is not None
    }
    properties["originalPowerCapability"] = [
        {"atSoC": p["state_of_charge_percent"], "powerCapabilityAt": p["power_w"]}
        for p in tech["original_power_capability"]
    ]
    properties["initialInternalResistance"] = [
        {"ohmicResistance": r["ohm"], "batteryComponent": r["component"]}
        for r in tech["internal_resistance"]
    ]
    properties["temperatureRangeIdleState"] = {
        "minimum": tech["idle_temperature_min_c"],
        "maximum": tech["idle_temperature_max_c"],
    }
    condition: dict[str, Any] = {
        key: {f"{key}Value": cond[name]["value"], "lastUpdate": cond[name]["updated"]}
        for key, name in READINGS
    }
    temperature = cond["temperature"]
    condition["temperatureInformation"] = {
        "timeExtremeHighTemp": temperature["extreme_high_h"],
        "timeExtremeLowTemp": temperature["extreme_low_h"],
        "timeExtremeHighTempCharging": temperature["extreme_high_charging_h"],
        "timeExtremeLowTempCharging": temperature["extreme_low_charging_h"],
        "lastUpdate": temperature["updated"],
    }
    power = cond["remaining_power"]
    condition["remainingPowerCapability"] = {
        "remainingPowerCapabilityValue": {
            "atSoC": power["state_of_charge_percent"],
            "powerCapabilityAt": power["power_w"],
            "rPCLastUpdated": power["updated"],
        },
        "lastUpdate": power["updated"],
    }
    condition["negativeEvents"] = [
        {"negativeEvent": e["event"], "lastUpdate": e["updated"]} for e in cond["negative_events"]
    ]
    condition["internalResistanceIncrease"] = [
        {
            "internalResistanceIncreaseValue": r["increase_percent"],
            "batteryComponent": r["component"],
            "lastUpdate": r["updated"],
        }
        for r in cond["internal_resistance_increase"]
    ]
    return {"batteryTechicalProperties": properties, "batteryCondition": condition}


def due_diligence(read: FieldReader) -> dict[str, Any]:
    """SupplyChainDueDiligence 1.2.0 (``thirdPartyAussurances``, ``supplyChainIndicies``
    spelt as published)."""
    node = read.need(B + "due_diligence")
    document: dict[str, Any] = {"supplyChainDueDiligenceReport": node["report_url"]}
    if node.get("third_party_assurances_url"):
        document["thirdPartyAussurances"] = node["third_party_assurances_url"]
    if node.get("indices") is not None:
        document["supplyChainIndicies"] = node["indices"]
    return document


@dataclass(frozen=True)
class Aspect:
    """One Battery Pass aspect: its URN, writer and the passport fields it can carry."""

    urn: str
    write: Callable[[FieldReader], dict[str, Any]]
    carries: frozenset[str]

    @property
    def name(self) -> str:
        return self.urn.rpartition("#")[2]


def _fields(*names: str) -> frozenset[str]:
    return frozenset(n if "." in n else B + n for n in names)


MANUFACTURER_FIELDS = (
    M + "name",
    M + "company_ids",
    M + "street",
    M + "house_number",
    M + "postcode",
    M + "country",
)

ASPECTS: tuple[Aspect, ...] = (
    Aspect(
        PREFIX + "GeneralProductInformation:1.2.0#GeneralProductInformation",
        general_product_information,
        _fields(
            "product_identifier",
            "category",
            "manufacturing_date",
            "status",
            "mass_kg",
            "manufacturing_place",
            "operator",
            "putting_into_service",
            "warranty_months",
            *MANUFACTURER_FIELDS,
        ),
    ),
    Aspect(
        PREFIX + "CarbonFootprint:1.2.0#CarbonFootprintForBatteries",
        carbon_footprint,
        _fields("carbon_footprint"),
    ),
    Aspect(
        PREFIX + "Circularity:1.2.0#Circularity",
        circularity,
        _fields(
            "dismantling_documents",
            "spare_part_sources",
            "recycled_materials",
            "safety_measures",
            "waste_information",
            "renewable_content_percent",
        ),
    ),
    Aspect(
        PREFIX + "Labels:1.2.0#Labeling",
        labeling,
        _fields("declaration_of_conformity_url", "test_reports_url", "labels"),
    ),
    Aspect(
        PREFIX + "MaterialComposition:1.2.0#MaterialComposition",
        material_composition,
        _fields("chemistry", "materials", "hazardous_substances"),
    ),
    Aspect(
        PREFIX + "Performance:1.2.1#PerformanceAndDurability",
        performance,
        _fields("technical", "condition"),
    ),
    Aspect(
        PREFIX + "SupplyChainDueDiligence:1.2.0#SupplyChainDueDiligence",
        due_diligence,
        _fields("due_diligence"),
    ),
)
BY_URN = {a.urn: a for a in ASPECTS}


def carried_fields(document: dict[str, Any]) -> frozenset[str]:
    """The passport fields a written document carries: those of the aspects it holds,
    and the PCF of one piece where ``absoluteCarbonFootprint`` was written."""
    fields: set[str] = set()
    for urn, payload in document.items():
        fields |= BY_URN[urn].carries
        if isinstance(payload, dict) and "absoluteCarbonFootprint" in payload:
            fields.add("carbon_footprint.total_kg_co2e")
    return frozenset(fields)


def to_batterypass(view: PassportView) -> dict[str, Any]:
    """The Battery Pass aspects ``view`` can fill, keyed by aspect URN (module docstring).

    Raises the first aspect's :class:`~kreislauf.errors.MissingForFormat` /
    ``NotDisclosed`` when no aspect can be written, :class:`~kreislauf.errors.NotExpressible`
    for a value the aspect has no valid form for.
    """
    read = FieldReader(view, FORMAT)
    if view.data.get("battery") is None:
        read.need(B + "category", "a Battery Pass needs the passport's battery section")
    document: dict[str, Any] = {}
    first: MissingForFormat | NotDisclosed | None = None
    for aspect in ASPECTS:
        try:
            document[aspect.urn] = aspect.write(read)
        except (MissingForFormat, NotDisclosed) as error:
            first = first or error
    if not document:
        assert first is not None
        raise first
    return document
