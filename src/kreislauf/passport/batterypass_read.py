"""Battery Pass v1.2 documents read into passports (the writer is :mod:`.batterypass`).

A document is what ``--format batterypass`` writes (an object keyed by aspect URNs) or a
GeneralProductInformation payload alone. Every value is taken with the place it came
from, so that a value the passport model refuses is reported by aspect and property
(``GeneralProductInformation.batteryMass``), with what was expected; nothing is read
half-way (the passport is built, or an error is raised).

Not kept: ``absoluteCarbonFootprint`` (checked, but a passport PCF needs a reference
period the aspect does not give); the manufacturer's e-mail and web address.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from kreislauf.errors import InvalidExchangeDocument, InvalidPassport
from kreislauf.passport.batterypass import ASPECTS, BY_URN, FORMAT, PREFIX, READINGS, TECHNICAL
from kreislauf.passport.io import passport_from_data
from kreislauf.passport.models import Passport


class _Reader:
    """Reads one aspect payload and remembers where each passport value came from, so
    that a value the passport model refuses is named by aspect and property."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.origins: dict[str, str] = {}

    def fail(self, where: str, detail: str) -> InvalidExchangeDocument:
        return InvalidExchangeDocument(file=self.file, field=where, format=FORMAT, detail=detail)

    def get(self, node: Any, key: str, where: str, to: str, *, required: bool = True) -> Any:
        if not isinstance(node, dict):
            raise self.fail(where.rpartition(".")[0] or where, "expected an object")
        value = node.get(key)
        if value is None and required:
            raise self.fail(where, "required, missing")
        self.origins[to] = where
        return value

    def items(
        self, node: Any, key: str, where: str, to: str
    ) -> Iterable[tuple[int, Any, str, str]]:
        value = self.get(node, key, where, to)
        if not isinstance(value, list):
            raise self.fail(where, "expected a list")
        self.origins |= {f"{to}.{i}": f"{where}[{i}]" for i in range(len(value))}
        return ((i, item, f"{where}[{i}]", f"{to}.{i}") for i, item in enumerate(value))

    def address(self, node: Any, key: str, where: str, to: str) -> dict[str, Any]:
        value = self.get(node, key, where, to)
        w = f"{where}."
        return {
            "street_address": self.get(
                value, "streetAddress", w + "streetAddress", to + ".street_address"
            ),
            "postal_code": self.get(value, "postalCode", w + "postalCode", to + ".postal_code"),
            "country": self.get(value, "addressCountry", w + "addressCountry", to + ".country"),
        }

    def contact(self, node: Any, key: str, where: str, to: str) -> dict[str, Any]:
        value = self.get(node, key, where, to)
        w = f"{where}."
        return _clean(
            {
                "name": self.get(value, "contactName", w + "contactName", to + ".name"),
                "address": self.address(
                    value, "postalAddress", w + "postalAddress", to + ".address"
                ),
                "identifier": self.get(value, "identifier", w + "identifier", to + ".identifier"),
                "email": self.get(
                    value, "emailAddress", w + "emailAddress", to + ".email", required=False
                ),
                "web": self.get(value, "webAddress", w + "webAddress", to + ".web", required=False),
            }
        )


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` without its ``None`` values (optional properties left out)."""
    return {k: v for k, v in node.items() if v is not None}


def _months(value: Any, where: str, r: _Reader) -> int:
    match = re.fullmatch(r"--(0[1-9]|1[0-2])", str(value))
    if match is None:
        raise r.fail(where, f"'{value}' is not a gMonth '--MM' (01 to 12)")
    return int(match.group(1))


def _read_gpi(p: Any, r: _Reader, battery: dict[str, Any]) -> dict[str, Any]:
    a, b = "GeneralProductInformation.", "battery."

    def g(key: str, to: str) -> Any:
        return r.get(p, key, a + key, b + to)

    manufacturer = r.contact(
        p, "manufacturerInformation", a + "manufacturerInformation", "manufacturer"
    )
    operator = r.contact(p, "operatorInformation", a + "operatorInformation", b + "operator")
    battery.update(
        product_identifier=g("productIdentifier", "product_identifier"),
        category=g("batteryCategory", "category"),
        manufacturing_date=g("manufacturingDate", "manufacturing_date"),
        status=g("batteryStatus", "status"),
        mass_kg=g("batteryMass", "mass_kg"),
        manufacturing_place=r.address(
            p, "manufacturingPlace", a + "manufacturingPlace", b + "manufacturing_place"
        ),
        putting_into_service=g("puttingIntoService", "putting_into_service"),
        warranty_months=_months(g("warrentyPeriod", "warranty_months"), a + "warrentyPeriod", r),
    )
    if operator != manufacturer:
        battery["operator"] = operator
    return manufacturer


def _read_cf(p: Any, r: _Reader, battery: dict[str, Any]) -> None:
    a, b = "CarbonFootprintForBatteries.", "battery.carbon_footprint."
    battery["carbon_footprint"] = {
        "kg_co2e_per_kwh": r.get(
            p, "batteryCarbonFootprint", a + "batteryCarbonFootprint", b + "kg_co2e_per_kwh"
        ),
        "stages": [
            {
                "stage": r.get(s, "lifecycleStage", w + ".lifecycleStage", t + ".stage"),
                "kg_co2e_per_kwh": r.get(
                    s, "carbonFootprint", w + ".carbonFootprint", t + ".kg_co2e_per_kwh"
                ),
            }
            for _, s, w, t in r.items(
                p,
                "carbonFootprintPerLifecycleStage",
                a + "carbonFootprintPerLifecycleStage",
                b + "stages",
            )
        ],
        "performance_class": r.get(
            p,
            "carbonFootprintPerformanceClass",
            a + "carbonFootprintPerformanceClass",
            b + "performance_class",
        ),
        "study_url": r.get(p, "carbonFootprintStudy", a + "carbonFootprintStudy", b + "study_url"),
    }
    absolute = p.get("absoluteCarbonFootprint") if isinstance(p, dict) else None
    if absolute is not None and not (isinstance(absolute, int | float) and absolute >= 0):
        raise r.fail(a + "absoluteCarbonFootprint", f"{absolute!r}; expected a number ≥ 0")


def _read_circularity(p: Any, r: _Reader, battery: dict[str, Any]) -> None:
    a, b = "Circularity.", "battery."
    battery["dismantling_documents"] = [
        {
            "kind": r.get(d, "documentType", w + ".documentType", t + ".kind"),
            "media_type": r.get(d, "mimeType", w + ".mimeType", t + ".media_type"),
            "url": r.get(d, "documentURL", w + ".documentURL", t + ".url"),
        }
        for _, d, w, t in r.items(
            p,
            "dismantlingAndRemovalInformation",
            a + "dismantlingAndRemovalInformation",
            b + "dismantling_documents",
        )
    ]
    battery["spare_part_sources"] = [
        {
            "supplier": r.get(s, "nameOfSupplier", w + ".nameOfSupplier", t + ".supplier"),
            "address": r.address(s, "addressOfSupplier", w + ".addressOfSupplier", t + ".address"),
            "email": r.get(
                s, "emailAddressOfSupplier", w + ".emailAddressOfSupplier", t + ".email"
            ),
            "web": r.get(s, "supplierWebAddress", w + ".supplierWebAddress", t + ".web"),
            "parts": [
                {
                    "name": r.get(c, "partName", cw + ".partName", ct + ".name"),
                    "number": r.get(c, "partNumber", cw + ".partNumber", ct + ".number"),
                }
                for _, c, cw, ct in r.items(s, "components", w + ".components", t + ".parts")
            ],
        }
        for _, s, w, t in r.items(
            p, "sparePartSources", a + "sparePartSources", b + "spare_part_sources"
        )
    ]
    battery["recycled_materials"] = [
        {
            "material": r.get(m, "recycledMaterial", w + ".recycledMaterial", t + ".material"),
            "pre_consumer_percent": r.get(
                m, "preConsumerShare", w + ".preConsumerShare", t + ".pre_consumer_percent"
            ),
            "post_consumer_percent": r.get(
                m, "postConsumerShare", w + ".postConsumerShare", t + ".post_consumer_percent"
            ),
        }
        for _, m, w, t in r.items(
            p, "recycledContent", a + "recycledContent", b + "recycled_materials"
        )
    ]
    safety = r.get(p, "safetyMeasures", a + "safetyMeasures", b + "safety_measures")
    battery["safety_measures"] = {
        "instructions_url": r.get(
            safety,
            "safetyInstructions",
            a + "safetyMeasures.safetyInstructions",
            b + "safety_measures.instructions_url",
        ),
        "extinguishing_agents": r.get(
            safety,
            "extinguishingAgent",
            a + "safetyMeasures.extinguishingAgent",
            b + "safety_measures.extinguishing_agents",
        ),
    }
    waste = r.get(p, "endOfLifeInformation", a + "endOfLifeInformation", b + "waste_information")
    w = a + "endOfLifeInformation."
    t = b + "waste_information."
    battery["waste_information"] = {
        "waste_prevention_url": r.get(
            waste, "wastePrevention", w + "wastePrevention", t + "waste_prevention_url"
        ),
        "separate_collection_url": r.get(
            waste, "separateCollection", w + "separateCollection", t + "separate_collection_url"
        ),
        "collection_information_url": r.get(
            waste,
            "informationOnCollection",
            w + "informationOnCollection",
            t + "collection_information_url",
        ),
    }
    battery["renewable_content_percent"] = r.get(
        p, "renewableContent", a + "renewableContent", b + "renewable_content_percent"
    )


def _read_labeling(p: Any, r: _Reader, battery: dict[str, Any]) -> None:
    a, b = "Labeling.", "battery."
    battery["declaration_of_conformity_url"] = r.get(
        p,
        "declarationOfConformity",
        a + "declarationOfConformity",
        b + "declaration_of_conformity_url",
    )
    battery["test_reports_url"] = r.get(
        p, "resultOfTestReport", a + "resultOfTestReport", b + "test_reports_url"
    )
    battery["labels"] = [
        {
            "subject": r.get(x, "labelingSubject", w + ".labelingSubject", t + ".subject"),
            "symbol_url": r.get(x, "labelingSymbol", w + ".labelingSymbol", t + ".symbol_url"),
            "meaning": r.get(x, "labelingMeaning", w + ".labelingMeaning", t + ".meaning"),
        }
        for _, x, w, t in r.items(p, "labels", a + "labels", b + "labels")
    ]


def _location_of(node: Any, key: str, where: str, to: str, r: _Reader) -> dict[str, Any]:
    location = r.get(node, key, where, to)
    return _clean(
        {
            "component": r.get(
                location, "componentName", where + ".componentName", to + ".component"
            ),
            "component_id": r.get(
                location,
                "componentId",
                where + ".componentId",
                to + ".component_id",
                required=False,
            ),
        }
    )


def _read_composition(p: Any, r: _Reader, battery: dict[str, Any]) -> None:
    a, b = "MaterialComposition.", "battery."
    chem = r.get(p, "batteryChemistry", a + "batteryChemistry", b + "chemistry")
    battery["chemistry"] = {
        "short_name": r.get(
            chem, "shortName", a + "batteryChemistry.shortName", b + "chemistry.short_name"
        ),
        "clear_name": r.get(
            chem, "clearName", a + "batteryChemistry.clearName", b + "chemistry.clear_name"
        ),
    }
    battery["materials"] = [
        {
            **_location_of(m, "batteryMaterialLocation", w + ".batteryMaterialLocation", t, r),
            "cas": str(
                r.get(m, "batteryMaterialIdentifier", w + ".batteryMaterialIdentifier", t + ".cas")
            ).strip(),
            "name": r.get(m, "batteryMaterialName", w + ".batteryMaterialName", t + ".name"),
            "mass_kg": r.get(m, "batteryMaterialMass", w + ".batteryMaterialMass", t + ".mass_kg"),
            "critical_raw_material": r.get(
                m,
                "isCriticalRawMaterial",
                w + ".isCriticalRawMaterial",
                t + ".critical_raw_material",
            ),
        }
        for _, m, w, t in r.items(p, "batteryMaterials", a + "batteryMaterials", b + "materials")
    ]
    battery["hazardous_substances"] = [
        {
            **_location_of(
                h, "hazardousSubstanceLocation", w + ".hazardousSubstanceLocation", t, r
            ),
            "hazard_class": r.get(
                h, "hazardousSubstanceClass", w + ".hazardousSubstanceClass", t + ".hazard_class"
            ),
            "name": r.get(h, "hazardousSubstanceName", w + ".hazardousSubstanceName", t + ".name"),
            "concentration_percent": r.get(
                h,
                "hazardousSubstanceConcentration",
                w + ".hazardousSubstanceConcentration",
                t + ".concentration_percent",
            ),
            "impacts": r.get(
                h, "hazardousSubstanceImpact", w + ".hazardousSubstanceImpact", t + ".impacts"
            ),
            "cas": r.get(
                h, "hazardousSubstanceIdentifier", w + ".hazardousSubstanceIdentifier", t + ".cas"
            ),
        }
        for _, h, w, t in r.items(
            p, "hazardousSubstances", a + "hazardousSubstances", b + "hazardous_substances"
        )
    ]


def _read_performance(p: Any, r: _Reader, battery: dict[str, Any]) -> None:
    a, b = "PerformanceAndDurability.", "battery."
    tp, cp = a + "batteryTechicalProperties", a + "batteryCondition"
    tech = r.get(p, "batteryTechicalProperties", tp, b + "technical")
    technical: dict[str, Any] = {
        name: r.get(tech, key, f"{tp}.{key}", f"{b}technical.{name}", required=key != "cRate")
        for key, name in TECHNICAL
    }
    t = b + "technical."
    technical["original_power_capability"] = [
        {
            "state_of_charge_percent": r.get(
                x, "atSoC", w + ".atSoC", tt + ".state_of_charge_percent"
            ),
            "power_w": r.get(x, "powerCapabilityAt", w + ".powerCapabilityAt", tt + ".power_w"),
        }
        for _, x, w, tt in r.items(
            tech,
            "originalPowerCapability",
            tp + ".originalPowerCapability",
            t + "original_power_capability",
        )
    ]
    technical["internal_resistance"] = [
        {
            "ohm": r.get(x, "ohmicResistance", w + ".ohmicResistance", tt + ".ohm"),
            "component": r.get(x, "batteryComponent", w + ".batteryComponent", tt + ".component"),
        }
        for _, x, w, tt in r.items(
            tech,
            "initialInternalResistance",
            tp + ".initialInternalResistance",
            t + "internal_resistance",
        )
    ]
    idle = r.get(
        tech,
        "temperatureRangeIdleState",
        tp + ".temperatureRangeIdleState",
        t + "idle_temperature_min_c",
    )
    if not isinstance(idle, dict):
        raise r.fail(
            tp + ".temperatureRangeIdleState", "expected {minimum, maximum} (version 1.2.1)"
        )
    technical["idle_temperature_min_c"] = r.get(
        idle, "minimum", tp + ".temperatureRangeIdleState.minimum", t + "idle_temperature_min_c"
    )
    technical["idle_temperature_max_c"] = r.get(
        idle, "maximum", tp + ".temperatureRangeIdleState.maximum", t + "idle_temperature_max_c"
    )
    battery["technical"] = _clean(technical)
    cond = r.get(p, "batteryCondition", cp, b + "condition")
    c = b + "condition."
    condition: dict[str, Any] = {}
    for key, name in READINGS:
        node = r.get(cond, key, f"{cp}.{key}", c + name)
        condition[name] = {
            "value": r.get(node, f"{key}Value", f"{cp}.{key}.{key}Value", c + name + ".value"),
            "updated": r.get(node, "lastUpdate", f"{cp}.{key}.lastUpdate", c + name + ".updated"),
        }
    temp = r.get(cond, "temperatureInformation", cp + ".temperatureInformation", c + "temperature")
    tw = cp + ".temperatureInformation."
    condition["temperature"] = {
        name: r.get(temp, key, tw + key, c + "temperature." + name)
        for key, name in (
            ("timeExtremeHighTemp", "extreme_high_h"),
            ("timeExtremeLowTemp", "extreme_low_h"),
            ("timeExtremeHighTempCharging", "extreme_high_charging_h"),
            ("timeExtremeLowTempCharging", "extreme_low_charging_h"),
            ("lastUpdate", "updated"),
        )
    }
    power = r.get(
        cond, "remainingPowerCapability", cp + ".remainingPowerCapability", c + "remaining_power"
    )
    pw = cp + ".remainingPowerCapability.remainingPowerCapabilityValue"
    value = r.get(power, "remainingPowerCapabilityValue", pw, c + "remaining_power")
    condition["remaining_power"] = {
        "state_of_charge_percent": r.get(
            value, "atSoC", pw + ".atSoC", c + "remaining_power.state_of_charge_percent"
        ),
        "power_w": r.get(
            value, "powerCapabilityAt", pw + ".powerCapabilityAt", c + "remaining_power.power_w"
        ),
        "updated": r.get(
            value, "rPCLastUpdated", pw + ".rPCLastUpdated", c + "remaining_power.updated"
        ),
    }
    condition["negative_events"] = [
        {
            "event": r.get(e, "negativeEvent", w + ".negativeEvent", tt + ".event"),
            "updated": r.get(e, "lastUpdate", w + ".lastUpdate", tt + ".updated"),
        }
        for _, e, w, tt in r.items(
            cond, "negativeEvents", cp + ".negativeEvents", c + "negative_events"
        )
    ]
    condition["internal_resistance_increase"] = [
        {
            "increase_percent": r.get(
                e,
                "internalResistanceIncreaseValue",
                w + ".internalResistanceIncreaseValue",
                tt + ".increase_percent",
            ),
            "component": r.get(e, "batteryComponent", w + ".batteryComponent", tt + ".component"),
            "updated": r.get(e, "lastUpdate", w + ".lastUpdate", tt + ".updated"),
        }
        for _, e, w, tt in r.items(
            cond,
            "internalResistanceIncrease",
            cp + ".internalResistanceIncrease",
            c + "internal_resistance_increase",
        )
    ]
    battery["condition"] = condition


def _read_due_diligence(p: Any, r: _Reader, battery: dict[str, Any]) -> None:
    a, b = "SupplyChainDueDiligence.", "battery.due_diligence."
    battery["due_diligence"] = _clean(
        {
            "report_url": r.get(
                p,
                "supplyChainDueDiligenceReport",
                a + "supplyChainDueDiligenceReport",
                b + "report_url",
            ),
            "third_party_assurances_url": r.get(
                p,
                "thirdPartyAussurances",
                a + "thirdPartyAussurances",
                b + "third_party_assurances_url",
                required=False,
            ),
            "indices": r.get(
                p, "supplyChainIndicies", a + "supplyChainIndicies", b + "indices", required=False
            ),
        }
    )


READERS: dict[str, Callable[[Any, _Reader, dict[str, Any]], Any]] = {
    "CarbonFootprintForBatteries": _read_cf,
    "Circularity": _read_circularity,
    "Labeling": _read_labeling,
    "MaterialComposition": _read_composition,
    "PerformanceAndDurability": _read_performance,
    "SupplyChainDueDiligence": _read_due_diligence,
}


def is_batterypass(document: Any) -> bool:
    """Whether ``document`` is a Battery Pass document: an object keyed by aspect URNs, or
    a GeneralProductInformation payload on its own."""
    return (
        isinstance(document, dict)
        and bool(document)
        and (
            all(isinstance(k, str) and k.startswith(PREFIX) for k in document)
            or {"batteryPassportIdentifier", "batteryCategory"} <= set(document)
        )
    )


def from_batterypass(document: Any, *, file: str | None = None) -> Passport:
    """A passport from a Battery Pass document (module docstring); the aspects present
    are read, GeneralProductInformation is required (it identifies the battery and its
    manufacturer). ``product_name`` and ``description`` become the product identifier,
    the passport id comes from ``batteryPassportIdentifier`` when it is a kreislauf one.

    Raises :class:`~kreislauf.errors.InvalidExchangeDocument` naming aspect, property and
    what was expected, for a violation of the aspect or a value the passport refuses.
    """
    r = _Reader(file)
    if not is_batterypass(document):
        raise r.fail("(document)", f"expected an object keyed by aspect URNs ({PREFIX}…)")
    if "batteryCategory" in document:  # a GeneralProductInformation payload alone
        document = {ASPECTS[0].urn: document}
    by_name: dict[str, Any] = {}
    for urn, payload in document.items():
        if urn not in BY_URN:
            known = ", ".join(BY_URN)
            raise r.fail(urn, f"unknown aspect or version; expected one of {known}")
        by_name[BY_URN[urn].name] = payload
    if "GeneralProductInformation" not in by_name:
        raise r.fail(ASPECTS[0].urn, "required, missing (it identifies the battery)")
    battery: dict[str, Any] = {}
    manufacturer = _read_gpi(by_name["GeneralProductInformation"], r, battery)
    for name, read in READERS.items():
        if name in by_name:  # absoluteCarbonFootprint is checked, not kept (no PCF period)
            read(by_name[name], r, battery)
    passport_urn = str(document[ASPECTS[0].urn].get("batteryPassportIdentifier") or "")
    product = str(battery["product_identifier"])
    data: dict[str, Any] = {
        "identification": {
            "product_name": product,
            "description": product,
            "urns": [passport_urn] if passport_urn.startswith("urn:") else [],
        },
        "manufacturer": {
            "name": manufacturer["name"],
            "company_ids": [_as_urn(manufacturer["identifier"])],
            "street": manufacturer["address"]["street_address"],
            "postcode": manufacturer["address"]["postal_code"],
            "country": manufacturer["address"]["country"],
        },
        "battery": battery,
    }
    gpi = "GeneralProductInformation."
    address = gpi + "manufacturerInformation.postalAddress."
    r.origins |= {
        "manufacturer.name": gpi + "manufacturerInformation.contactName",
        "manufacturer.street": address + "streetAddress",
        "manufacturer.postcode": address + "postalCode",
        "manufacturer.country": address + "addressCountry",
        "identification.urns": gpi + "batteryPassportIdentifier",
    }
    data["manufacturer"]["country"] = _country_code(
        data["manufacturer"]["country"], address + "addressCountry", r
    )
    own = re.fullmatch(r"urn:uuid:([0-9a-f]{32})", passport_urn)
    if own:
        data["id"] = str(uuid.UUID(own.group(1)))
    try:
        return passport_from_data(data, file=file)
    except InvalidPassport as error:
        raise _at_origin(error, r) from error


def _country_code(country: Any, where: str, r: _Reader) -> str:
    """ISO 3166-1 alpha-2 of a code or an English or German country name (babel's CLDR
    territory names); the aspects hold the country as free text."""
    from babel import Locale

    text = str(country).strip()
    if re.fullmatch(r"[A-Z]{2}", text):
        return text
    for lang in ("en", "de"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha() and name.casefold() == text.casefold():
                return str(code)
    raise r.fail(where, f"'{text}' is no country; expected an ISO 3166-1 code or its name")


def _as_urn(identifier: Any) -> str:
    text = str(identifier)
    return text if text.lower().startswith("urn:") else f"urn:batterypass:operator:{text}"


def _at_origin(error: InvalidPassport, r: _Reader) -> InvalidExchangeDocument:
    """The passport's refusal named by the aspect property the value came from."""
    field = str(error.params.get("field", ""))
    parts = field.split(".")
    for end in range(len(parts), 0, -1):
        origin = r.origins.get(".".join(parts[:end]))
        if origin:
            return r.fail(origin, f"{error.params.get('detail')} (passport field {field})")
    return r.fail(field or "(document)", str(error.params.get("detail")))
