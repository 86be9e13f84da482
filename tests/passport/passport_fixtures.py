"""Passports for the tests: the demo company's TM-200 built from its BOM and PCF, and a
passport whose every field holds a value found nowhere else (for the tier tests)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

from kreislauf.carbon.bom import Bom, read_bom
from kreislauf.carbon.factors import read_factors
from kreislauf.carbon.pcf import PcfResult, product_footprints
from kreislauf.ledger import read_ledgers
from kreislauf.passport import Passport, passport_from_data, passport_from_pcf, read_data

EXAMPLE = Path(__file__).parents[2] / "examples" / "demo-company"
PRODUCT = "Türmodul-Träger TM-200"


@cache
def demo_pcf() -> tuple[Bom, PcfResult]:
    bom = read_bom(EXAMPLE / "carbon" / "bom.csv")
    (result,) = product_footprints(
        bom,
        read_ledgers([EXAMPLE / "ledger.csv"]),
        read_factors([EXAMPLE / "carbon" / "product-factors.csv"]),
        products=[PRODUCT],
    )
    return bom, result


def demo_passport() -> Passport:
    bom, pcf = demo_pcf()
    data = read_data(EXAMPLE / "passport" / "tm-200.yaml")
    return passport_from_pcf(data, pcf, bom=bom, file="tm-200.yaml")


#: field -> the texts that show the field's value in some format (unique in the passport);
#: a quoted marker also counts in its escaped form (JSON text inside a JSON string)
MARKERS: dict[str, tuple[str, ...]] = {}


def _mark(field: str, value: Any, *markers: str) -> Any:
    found = markers or (str(value),)
    if isinstance(value, float) and not markers:  # German documents write a decimal comma
        found = (*found, str(value).replace(".", ","))
    MARKERS[field] = tuple(found) + tuple(m.replace('"', '\\"') for m in found if '"' in m)
    return value


def sentinel_data() -> dict[str, Any]:
    """Passport data with a distinct value in every disclosable field."""
    m = _mark
    return {
        "identification": {
            "gtin": m("identification.gtin", "4012345000016", "4012345000016"),
            "serial": m("identification.serial", "SER4711"),
            "batch": m("identification.batch", "BATCH0815"),
            "product_name": m("identification.product_name", "Name-PRODUCTNAME"),
            "description": m("identification.description", "Text-DESCRIPTION"),
            "urns": [m("identification.urns", "urn:pact:x.example:supplier-id:URNMARK")],
            "classifications": [
                m("identification.classifications", "urn:cpc:42999", "urn:cpc:42999", '"42999"')
            ],
        },
        "manufacturer": {
            "name": m("manufacturer.name", "Maker-NAME"),
            "company_ids": [m("manufacturer.company_ids", "urn:pact:x.example:company:CIDMARK")],
            "address": m("manufacturer.address", "Street-ADDRESS"),
            "street": m("manufacturer.street", "Road-STREET"),
            "house_number": m("manufacturer.house_number", "No-HOUSENO"),
            "postcode": m("manufacturer.postcode", "pc-4711"),
            "city": m("manufacturer.city", "Town-CITY"),
            "country": m("manufacturer.country", "AT", '"AT"', ">AT<"),
            "contact": m("manufacturer.contact", "mail-CONTACT@example.com"),
        },
        "composition": [{"name": m("composition", "Material-COMPOSITION"), "mass_kg": 0.5}],
        "substances": [{"name": m("substances", "Substance-SVHC"), "concentration_percent": 0.05}],
        "recycled_content": {
            "total_percent": m("recycled_content.total_percent", 41.17),
            "pre_consumer_percent": m("recycled_content.pre_consumer_percent", 11.13),
            "post_consumer_percent": m("recycled_content.post_consumer_percent", 22.19),
        },
        "recyclability": {
            "recyclable_percent": m("recyclability.recyclable_percent", 83.21),
            "dismantling": m("recyclability.dismantling", "Text-DISMANTLING"),
        },
        "repairability": {
            "score": m("repairability.score", 6.37),
            "scale": m("repairability.scale", "Text-SCALE"),
            "spare_parts_years": m("repairability.spare_parts_years", 12.41),
            "repair_information": m("repairability.repair_information", "Text-REPAIRINFO"),
        },
        "durability": {
            "expected_lifetime_years": m("durability.expected_lifetime_years", 17.43),
            "warranty_years": m("durability.warranty_years", 3.47),
        },
        "physical": {
            "net_mass_kg": m("physical.net_mass_kg", 0.4813),
            "gross_mass_kg": m("physical.gross_mass_kg", 0.5237),
            "volume_m3": m("physical.volume_m3", 0.00617),
            "gross_volume_m3": m("physical.gross_volume_m3", 0.00829),
        },
        "carbon_footprint": {
            "pact_id": m("carbon_footprint.pact_id", "5b7e4a2c-1111-4d2e-9f00-0123456789ab"),
            "declared_unit": m(
                "carbon_footprint.declared_unit", "cubic meter", "cubic meter", '"cbm"'
            ),
            "declared_unit_amount": m("carbon_footprint.declared_unit_amount", 2.53),
            "product_mass_kg": m("carbon_footprint.product_mass_kg", 0.61),
            "reference_period_start": m(
                "carbon_footprint.reference_period_start", "2021-03-04T05:06:07Z", "2021-03-04"
            ),
            "reference_period_end": m(
                "carbon_footprint.reference_period_end", "2022-05-06T07:08:09Z", "2022-05-06"
            ),
            "validity_period_end": m(
                "carbon_footprint.validity_period_end", "2023-07-08T09:10:11Z", "2023-07-08"
            ),
            "geography_country": m("carbon_footprint.geography_country", "FR", '"FR"', ">FR<"),
            "geography_region": m("carbon_footprint.geography_region", "Southern Europe"),
            "total_kg_co2e": m("carbon_footprint.total_kg_co2e", 5.5),
            "including_biogenic_kg_co2e": m("carbon_footprint.including_biogenic_kg_co2e", 5.43),
            "fossil_ghg_kg_co2e": m("carbon_footprint.fossil_ghg_kg_co2e", 5.29),
            "fossil_carbon_kg": m("carbon_footprint.fossil_carbon_kg", 0.71),
            "biogenic_carbon_kg": m("carbon_footprint.biogenic_carbon_kg", 0.73),
            "stages": [
                {"stage": "raw_materials", "kg_co2e": m("carbon_footprint.stages", 2.25)},
                {"stage": "processing", "kg_co2e": 3.25},
            ],
            "primary_data_share_percent": m("carbon_footprint.primary_data_share_percent", 37.91),
            "dqi": {
                "technological": m("carbon_footprint.dqi", 1.83),
                "geographical": 1.89,
                "temporal": 1.97,
                "coverage_percent": 87.3,
                "completeness": 2.11,
                "reliability": 2.23,
            },
            "ipcc_characterization_factors": [
                m("carbon_footprint.ipcc_characterization_factors", "AR5", '"AR5"', ">AR5<")
            ],
            "cross_sectoral_standards": [
                m("carbon_footprint.cross_sectoral_standards", "ISO14067", "14067")
            ],
            "exempted_emissions_percent": m("carbon_footprint.exempted_emissions_percent", 0.97),
            "exempted_emissions_description": m(
                "carbon_footprint.exempted_emissions_description", "Text-EXEMPTED"
            ),
            "packaging_emissions_included": True,
            "boundary": m("carbon_footprint.boundary", "Text-BOUNDARY"),
            "secondary_factor_sources": [
                {
                    "name": m("carbon_footprint.secondary_factor_sources", "Db-FACTORS"),
                    "version": "9",
                }
            ],
            "comment": m("carbon_footprint.comment", "Text-COMMENT"),
            "product_or_sector_rules": [m("carbon_footprint.product_or_sector_rules", "Rule-PCR")],
            "pcf_type": m("carbon_footprint.pcf_type", "Progressive PCF"),
            "waste_incineration_allocation": m(
                "carbon_footprint.waste_incineration_allocation", "reverse cut-off"
            ),
            "mass_balancing_used": True,
            "mass_balancing_scheme": m("carbon_footprint.mass_balancing_scheme", "Scheme-MB"),
            "ccs_included": False,
        },
        "certificates": [{"name": m("certificates", "Cert-CERTIFICATE")}],
        "compliance_reports": [{"name": m("compliance_reports", "Report-TESTREPORT")}],
        "end_of_life": {
            "instructions_de": m("end_of_life.instructions_de", "Text-ANLEITUNG"),
            "instructions_en": m("end_of_life.instructions_en", "Text-INSTRUCTIONS"),
            "take_back": m("end_of_life.take_back", "Text-TAKEBACK"),
            "waste_code": m("end_of_life.waste_code", "16 02 14"),
        },
        "notes": m("notes", "Text-OWNERNOTE"),
        "disclosure": {
            "recyclability.recyclable_percent": [{"tier": "legitimate_interest"}],
            # a grant to the owner is never used (the owner sees every value): its edges
            # are text only the policy holds, the marker of the `disclosure` field
            "durability.expected_lifetime_years": [
                {"tier": "public"},
                {"tier": "owner", "form": "range", "edges": [91.123, 92.456]},
            ],
            "durability.warranty_years": [
                {"tier": "public", "form": "statement", "statement": "Said-WARRANTY"}
            ],
        },
    }


BATTERY_MODULE = Path(__file__).parent / "data" / "battery-module.yaml"


def sentinel_battery() -> dict[str, Any]:
    """The synthetic battery module's section with a marker in every battery field."""
    m = _mark
    battery: dict[str, Any] = copy.deepcopy(read_data(BATTERY_MODULE)["battery"])
    battery.update(
        category=m("battery.category", "lmt", '"lmt"', ">lmt<", "lmt"),
        status=m("battery.status", "Remanufactured"),
        product_identifier=m("battery.product_identifier", "Ident-BATTERYID"),
        mass_kg=m("battery.mass_kg", 7.3219),
        manufacturing_date=m("battery.manufacturing_date", "2019-02-03T04:05:06Z", "2019-02-03"),
        putting_into_service=m(
            "battery.putting_into_service", "2018-04-05T06:07:08Z", "2018-04-05"
        ),
        renewable_content_percent=m("battery.renewable_content_percent", 2.7183),
        declaration_of_conformity_url=m(
            "battery.declaration_of_conformity_url", "https://example.com/DECLARATION"
        ),
        test_reports_url=m("battery.test_reports_url", "https://example.com/TESTREPORTS"),
        operator={
            "name": m("battery.operator", "Op-OPERATORNAME"),
            "address": {"street_address": "Kai 1", "postal_code": "20457", "country": "DE"},
            "identifier": "urn:example:operator:1",
        },
    )
    battery["manufacturing_place"]["street_address"] = m(
        "battery.manufacturing_place", "Road-MFGPLACE"
    )
    battery["chemistry"]["clear_name"] = m("battery.chemistry", "Chem-CLEARNAME")
    battery["materials"][0]["name"] = m("battery.materials", "Mat-BATTMATERIAL")
    battery["hazardous_substances"][0]["name"] = m("battery.hazardous_substances", "Haz-HAZARD")
    battery["carbon_footprint"]["performance_class"] = m(
        "battery.carbon_footprint", "Class-CFCLASS"
    )
    battery["due_diligence"]["report_url"] = m(
        "battery.due_diligence", "https://example.com/DUEDILIGENCE"
    )
    battery["recycled_materials"][0]["pre_consumer_percent"] = m(
        "battery.recycled_materials", 3.1415, "3.1415", "3,1415"
    )
    battery["technical"]["lifetime_reference_test_url"] = m(
        "battery.technical", "https://example.com/LIFETIMETEST"
    )
    battery["condition"]["negative_events"] = [
        {"event": m("battery.condition", "Event-NEGATIVE"), "updated": "2020-01-01T00:00:00Z"}
    ]
    battery["labels"][0]["meaning"] = {"en": m("battery.labels", "Meaning-LABEL")}
    battery["waste_information"]["waste_prevention_url"] = m(
        "battery.waste_information", "https://example.com/WASTEPREVENTION"
    )
    battery["spare_part_sources"][0]["supplier"] = m(
        "battery.spare_part_sources", "Supplier-SPARES"
    )
    battery["dismantling_documents"][0]["url"] = m(
        "battery.dismantling_documents", "https://example.com/DISMANTLINGDOC"
    )
    battery["safety_measures"]["extinguishing_agents"] = [
        m("battery.safety_measures", "Agent-EXTINGUISH")
    ]
    battery["warranty_months"] = 7  # an integer: checked by its key (BOOLEAN_KEYS)
    return battery


def sentinel_passport() -> Passport:
    """The sentinel passport with a battery section (also the platform's public page test)."""
    data = sentinel_data()
    data["battery"] = sentinel_battery()
    MARKERS["disclosure"] = ("91.123", "91,123")
    return passport_from_data(data, file="sentinel.yaml")
