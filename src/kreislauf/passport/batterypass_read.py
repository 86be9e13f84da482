"""Battery Pass v1.2 documents read into passports (the writer is :mod:`.batterypass`).

A document is what ``--format batterypass`` writes (an object keyed by aspect URNs) or a
GeneralProductInformation payload alone. Every value is taken with the place it came
from, so that a value the passport model refuses is reported by aspect and property
(``GeneralProductInformation.batteryMass``), with what was expected; nothing is read
half-way (the passport is built, or an error is raised).

Each aspect is one declarative mapping (:data:`ASPECT_READS`: aspect property → passport
field, nested objects and lists) read by one generic reader (:func:`_read`).

Not kept: ``absoluteCarbonFootprint`` (checked, but a passport PCF needs a reference
period the aspect does not give); the manufacturer's e-mail and web address.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` without its ``None`` values (optional properties left out)."""
    return {k: v for k, v in node.items() if v is not None}


def _months(value: Any, where: str, r: _Reader) -> int:
    match = re.fullmatch(r"--(0[1-9]|1[0-2])", str(value))
    if match is None:
        raise r.fail(where, f"'{value}' is not a gMonth '--MM' (01 to 12)")
    return int(match.group(1))


@dataclass(frozen=True)
class Value:
    """An aspect property ``key`` read into the passport field ``name``; ``convert``
    (value, where, reader) turns it into the passport's form."""

    key: str
    name: str
    required: bool = True
    convert: Callable[[Any, str, _Reader], Any] | None = None


@dataclass(frozen=True)
class Object:
    """An object property ``key`` read into the passport object ``name`` with ``fields``.

    ``name=None``: its values go beside those of the enclosing object (the passport has
    no object for it); the object itself is then located at the enclosing field, or at
    its field ``at``. ``to``: the passport path instead of the enclosing one's.
    ``not_object``: what a value that is no object is told it should be.
    """

    key: str
    name: str | None
    fields: tuple[Spec, ...]
    at: str | None = None
    to: str | None = None
    not_object: str = "expected an object"


@dataclass(frozen=True)
class Each:
    """A list property ``key`` read into the passport list ``name``, each item with
    ``fields``."""

    key: str
    name: str
    fields: tuple[Spec, ...]


Spec = Value | Object | Each


@dataclass(frozen=True)
class AspectRead:
    """How one aspect is read: its ``fields`` into the battery section, or into its
    object ``into``; ``check`` sees the payload afterwards (what is checked, not kept)."""

    fields: tuple[Spec, ...]
    into: str | None = None
    check: Callable[[Any, _Reader], None] | None = None


def _read(node: Any, fields: Iterable[Spec], where: str, to: str, r: _Reader) -> dict[str, Any]:
    """The passport values of ``fields`` in the aspect object ``node`` found at ``where``
    (aspect path), going to ``to`` (passport path); optional values left out."""
    out: dict[str, Any] = {}
    for spec in fields:
        w = f"{where}.{spec.key}"
        if isinstance(spec, Value):
            value = r.get(node, spec.key, w, f"{to}.{spec.name}", required=spec.required)
            if spec.convert is not None and value is not None:
                value = spec.convert(value, w, r)
            out[spec.name] = value
        elif isinstance(spec, Each):
            t = f"{to}.{spec.name}"
            out[spec.name] = [
                _read(item, spec.fields, iw, it, r)
                for _, item, iw, it in r.items(node, spec.key, w, t)
            ]
        else:
            inner = spec.to or (f"{to}.{spec.name}" if spec.name else to)
            value = r.get(node, spec.key, w, f"{to}.{spec.at}" if spec.at else inner)
            if not isinstance(value, dict):
                raise r.fail(w, spec.not_object)
            read = _read(value, spec.fields, w, inner, r)
            if spec.name is None:
                out |= read
            else:
                out[spec.name] = read
    return _clean(out)


def _cas(value: Any, where: str, r: _Reader) -> str:
    """A CAS number as text without surrounding blanks (the passport checks its form)."""
    return str(value).strip()


def _absolute_footprint(payload: Any, r: _Reader) -> None:
    """``absoluteCarbonFootprint`` is checked, not kept (a passport PCF needs a period)."""
    absolute = payload.get("absoluteCarbonFootprint") if isinstance(payload, dict) else None
    if absolute is not None and not (isinstance(absolute, int | float) and absolute >= 0):
        raise r.fail(
            "CarbonFootprintForBatteries.absoluteCarbonFootprint",
            f"{absolute!r}; expected a number ≥ 0",
        )


def _values(*pairs: tuple[str, str]) -> tuple[Value, ...]:
    """Required values, ``(aspect key, passport name)`` each."""
    return tuple(Value(key, name) for key, name in pairs)


ADDRESS = _values(
    ("streetAddress", "street_address"), ("postalCode", "postal_code"),
    ("addressCountry", "country"),
)  # fmt: skip
CONTACT = (
    Value("contactName", "name"),
    Object("postalAddress", "address", ADDRESS),
    Value("identifier", "identifier"),
    Value("emailAddress", "email", required=False),
    Value("webAddress", "web", required=False),
)
LOCATION = (Value("componentName", "component"), Value("componentId", "component_id", False))
GENERAL_PRODUCT_INFORMATION = AspectRead((
    Object("manufacturerInformation", "manufacturer", CONTACT, to="manufacturer"),
    Object("operatorInformation", "operator", CONTACT),
    *_values(
        ("productIdentifier", "product_identifier"), ("batteryCategory", "category"),
        ("manufacturingDate", "manufacturing_date"), ("batteryStatus", "status"),
        ("batteryMass", "mass_kg"),
    ),
    Object("manufacturingPlace", "manufacturing_place", ADDRESS),
    Value("puttingIntoService", "putting_into_service"),
    Value("warrentyPeriod", "warranty_months", convert=_months),
))  # fmt: skip
#: The aspects after GeneralProductInformation, read in this order when present.
ASPECT_READS: dict[str, AspectRead] = {
    "CarbonFootprintForBatteries": AspectRead(
        (
            Value("batteryCarbonFootprint", "kg_co2e_per_kwh"),
            Each("carbonFootprintPerLifecycleStage", "stages", _values(
                ("lifecycleStage", "stage"), ("carbonFootprint", "kg_co2e_per_kwh"),
            )),
            Value("carbonFootprintPerformanceClass", "performance_class"),
            Value("carbonFootprintStudy", "study_url"),
        ),
        into="carbon_footprint",
        check=_absolute_footprint,
    ),
    "Circularity": AspectRead((
        Each("dismantlingAndRemovalInformation", "dismantling_documents", _values(
            ("documentType", "kind"), ("mimeType", "media_type"), ("documentURL", "url"),
        )),
        Each("sparePartSources", "spare_part_sources", (
            Value("nameOfSupplier", "supplier"),
            Object("addressOfSupplier", "address", ADDRESS),
            *_values(("emailAddressOfSupplier", "email"), ("supplierWebAddress", "web")),
            Each("components", "parts", _values(("partName", "name"), ("partNumber", "number"))),
        )),
        Each("recycledContent", "recycled_materials", _values(
            ("recycledMaterial", "material"), ("preConsumerShare", "pre_consumer_percent"),
            ("postConsumerShare", "post_consumer_percent"),
        )),
        Object("safetyMeasures", "safety_measures", _values(
            ("safetyInstructions", "instructions_url"),
            ("extinguishingAgent", "extinguishing_agents"),
        )),
        Object("endOfLifeInformation", "waste_information", _values(
            ("wastePrevention", "waste_prevention_url"),
            ("separateCollection", "separate_collection_url"),
            ("informationOnCollection", "collection_information_url"),
        )),
        Value("renewableContent", "renewable_content_percent"),
    )),
    "Labeling": AspectRead((
        *_values(
            ("declarationOfConformity", "declaration_of_conformity_url"),
            ("resultOfTestReport", "test_reports_url"),
        ),
        Each("labels", "labels", _values(
            ("labelingSubject", "subject"), ("labelingSymbol", "symbol_url"),
            ("labelingMeaning", "meaning"),
        )),
    )),
    "MaterialComposition": AspectRead((
        Object("batteryChemistry", "chemistry", _values(
            ("shortName", "short_name"), ("clearName", "clear_name"),
        )),
        Each("batteryMaterials", "materials", (
            Object("batteryMaterialLocation", None, LOCATION),
            Value("batteryMaterialIdentifier", "cas", convert=_cas),
            *_values(
                ("batteryMaterialName", "name"), ("batteryMaterialMass", "mass_kg"),
                ("isCriticalRawMaterial", "critical_raw_material"),
            ),
        )),
        Each("hazardousSubstances", "hazardous_substances", (
            Object("hazardousSubstanceLocation", None, LOCATION),
            *_values(
                ("hazardousSubstanceClass", "hazard_class"), ("hazardousSubstanceName", "name"),
                ("hazardousSubstanceConcentration", "concentration_percent"),
                ("hazardousSubstanceImpact", "impacts"), ("hazardousSubstanceIdentifier", "cas"),
            ),
        )),
    )),
    "PerformanceAndDurability": AspectRead((
        Object("batteryTechicalProperties", "technical", (
            *(Value(key, name, required=key != "cRate") for key, name in TECHNICAL),
            Each("originalPowerCapability", "original_power_capability", _values(
                ("atSoC", "state_of_charge_percent"), ("powerCapabilityAt", "power_w"),
            )),
            Each("initialInternalResistance", "internal_resistance", _values(
                ("ohmicResistance", "ohm"), ("batteryComponent", "component"),
            )),
            Object(
                "temperatureRangeIdleState", None,
                _values(("minimum", "idle_temperature_min_c"),
                        ("maximum", "idle_temperature_max_c")),
                at="idle_temperature_min_c",
                not_object="expected {minimum, maximum} (version 1.2.1)",
            ),
        )),
        Object("batteryCondition", "condition", (
            *(
                Object(key, name, _values((f"{key}Value", "value"), ("lastUpdate", "updated")))
                for key, name in READINGS
            ),
            Object("temperatureInformation", "temperature", _values(
                ("timeExtremeHighTemp", "extreme_high_h"),
                ("timeExtremeLowTemp", "extreme_low_h"),
                ("timeExtremeHighTempCharging", "extreme_high_charging_h"),
                ("timeExtremeLowTempCharging", "extreme_low_charging_h"),
                ("lastUpdate", "updated"),
            )),
            Object("remainingPowerCapability", "remaining_power", (
                Object("remainingPowerCapabilityValue", None, _values(
                    ("atSoC", "state_of_charge_percent"), ("powerCapabilityAt", "power_w"),
                    ("rPCLastUpdated", "updated"),
                )),
            )),
            Each("negativeEvents", "negative_events", _values(
                ("negativeEvent", "event"), ("lastUpdate", "updated"),
            )),
            Each("internalResistanceIncrease", "internal_resistance_increase", _values(
                ("internalResistanceIncreaseValue", "increase_percent"),
                ("batteryComponent", "component"), ("lastUpdate", "updated"),
            )),
        )),
    )),
    "SupplyChainDueDiligence": AspectRead(
        (
            Value("supplyChainDueDiligenceReport", "report_url"),
            Value("thirdPartyAussurances", "third_party_assurances_url", required=False),
            Value("supplyChainIndicies", "indices", required=False),
        ),
        into="due_diligence",
    ),
}  # fmt: skip


def _read_aspect(
    name: str, read: AspectRead, payload: Any, r: _Reader, battery: dict[str, Any]
) -> None:
    """Read one aspect's payload into the battery section."""
    if read.into is None:
        battery |= _read(payload, read.fields, name, "battery", r)
    else:
        battery[read.into] = _read(payload, read.fields, name, f"battery.{read.into}", r)
    if read.check is not None:
        read.check(payload, r)


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
    gpi = "GeneralProductInformation"
    _read_aspect(gpi, GENERAL_PRODUCT_INFORMATION, by_name[gpi], r, battery)
    manufacturer, operator = battery.pop("manufacturer"), battery.pop("operator")
    if operator != manufacturer:
        battery["operator"] = operator
    for name, read in ASPECT_READS.items():
        if name in by_name:
            _read_aspect(name, read, by_name[name], r, battery)
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
    address = f"{gpi}.manufacturerInformation.postalAddress."
    r.origins |= {
        "manufacturer.name": f"{gpi}.manufacturerInformation.contactName",
        "manufacturer.street": address + "streetAddress",
        "manufacturer.postcode": address + "postalCode",
        "manufacturer.country": address + "addressCountry",
        "identification.urns": f"{gpi}.batteryPassportIdentifier",
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
