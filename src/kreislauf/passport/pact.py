"""PACT ProductFootprints v3.0 and v2.3 from and to passports.

Export reads a :class:`~kreislauf.passport.tiers.PassportView`, so a footprint holds only
what the caller's tier sees; a field PACT requires that the tier does not see exactly
raises :class:`~kreislauf.errors.NotDisclosed`, one the passport lacks
:class:`~kreislauf.errors.MissingForFormat`. Numbers travel as decimal strings (v3.0;
v2.3 for carbon quantities), written with every digit Python keeps (``repr``).

Mapping (passport field → v3.0 / v2.3 property): ``carbon_footprint.pact_id`` → ``id``;
``created`` → ``created``; ``version`` → v2 ``version``; ``manufacturer.name`` /
``company_ids`` → ``companyName`` / ``companyIds``; ``identification.gtin`` (as
``urn:gtin:…``) and ``urns`` → ``productIds``; ``classifications`` →
``productClassifications`` (v2: the ``urn:cpc:`` one → ``productCategoryCpc``);
``product_name`` → ``productNameCompany``; ``description`` → ``productDescription``;
``carbon_footprint.total_kg_co2e`` → ``pcfExcludingBiogenicUptake`` / ``pCfExcludingBiogenic``;
``including_biogenic_kg_co2e`` → ``pcfIncludingBiogenicUptake`` / ``pCfIncludingBiogenic``;
``declared_unit`` / ``declared_unit_amount`` → ``declaredUnitOfMeasurement`` /
``declaredUnitAmount`` (v2 ``declaredUnit`` / ``unitaryProductAmount``); the rest by name.

v2.3 knows no ``piece``: a footprint per piece is written per kilogram (values divided by
the mass per piece, ``unitaryProductAmount`` the pieces' mass). v2.3 data-quality ratings
range 1 to 3, v3.0's 1 to 5; PACT gives no conversion, so ratings above 3 leave ``dqi``
out of a v2.3 footprint. The v2.3 OpenAPI schema (which the official conformance tool
validates against) requires ``coveragePercent``, ``completenessDQR`` and
``reliabilityDQR`` in a ``dqi``: the passport holds them when the owner enters them
(``dqi.coverage_percent``, ``completeness``, ``reliability``; v3.0 has no place for
them), and a v2.3 footprint carries ``dqi`` only when all six ratings are there, else
none. ``crossSectoralStandards`` are written with the names of that
schema's enumeration, the same as v3.0 (``GHGP-Product``, ``PACT-3.0``); the v2.3 prose
spellings (``GHGP Product``, ``PACT Methodology 3.0``) are read too. The deprecated v2
``crossSectoralStandardsUsed`` and ``characterizationFactors`` are derived.

References
----------
PACT Technical Specifications for PCF Data Exchange, v3.0 (2025) and v2.3 (2024), WBCSD,
https://docs.carbon-transparency.org/ (data model, ADR-36 declared unit amount, ADR-39
decimals, ADR-41 versioning).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import ValidationError

from kreislauf.errors import InvalidExchangeDocument, InvalidGtin, MissingForFormat, NotDisclosed
from kreislauf.passport.identifiers import gtin_of_urn, gtin_urn
from kreislauf.passport.io import passport_from_data
from kreislauf.passport.models import Passport
from kreislauf.passport.pact_models import ProductFootprintV2, ProductFootprintV3, Wire
from kreislauf.passport.tiers import PassportView

V3 = "PACT v3.0"
V2 = "PACT v2.3"
SPEC_V3 = "3.0.0"
SPEC_V2 = "2.3.0"

#: the v2.3 prose spelling of a v3.0 crossSectoralStandards name (read only); PACT-x.y is
#: "PACT Methodology x.y" there.
V2_STANDARD_NAMES = {"GHGP-Product": "GHGP Product"}
#: v3.0 standards → the deprecated v2 crossSectoralStandardsUsed values.
V2_LEGACY_OF = {
    "GHGP-Product": "GHG Protocol Product standard",
    "ISO14067": "ISO Standard 14067",
    "ISO14040-44": "ISO Standard 14044",
}


def decimal(value: float) -> str:
    """``value`` as a PACT decimal string: every digit of ``repr``, ``1.0`` as ``1``."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def utc(value: str) -> str:
    """An ISO 8601 date-time as UTC with ``Z`` (PACT DateTime)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


class FieldReader:
    """Reads the fields a format needs from a view, raising located errors."""

    def __init__(self, view: PassportView, form: str) -> None:
        self.view = view
        self.form = form

    def need(self, field: str, hint: str = "add it to the passport") -> Any:
        value = self.view.value(field)
        if value is not None:
            return value
        if field in self.view.withheld:
            raise NotDisclosed(field=field, format=self.form, tier=self.view.tier.value)
        raise MissingForFormat(field=field, format=self.form, hint=hint)

    def may(self, field: str) -> Any:
        return self.view.value(field)


def _product_ids(read: FieldReader) -> list[str]:
    gtin = read.may("identification.gtin")
    ids = [gtin_urn(gtin)] if gtin else []
    ids += [u for u in read.may("identification.urns") or [] if u not in ids]
    if not ids:
        read.need("identification.gtin", "give a GTIN or a URN in identification.urns")
    return ids


def _common(read: FieldReader) -> dict[str, Any]:
    return {
        "id": str(read.need("carbon_footprint.pact_id")),
        "created": utc(read.view.data["created"]),
        "status": read.view.data["status"],
        "companyName": read.need("manufacturer.name"),
        "companyIds": read.need("manufacturer.company_ids"),
        "productDescription": read.need("identification.description"),
        "productIds": _product_ids(read),
        "productNameCompany": read.need("identification.product_name"),
    }


def _geography(read: FieldReader) -> dict[str, Any]:
    """Country if known, else region: one granularity only (PACT v3.0, CarbonFootprint scope)."""
    country = read.may("carbon_footprint.geography_country")
    if country:
        return {"geographyCountry": country}
    region = read.may("carbon_footprint.geography_region")
    return (
        {"geographyRegionOrSubregion": region} if region not in (None, "Global", "Several") else {}
    )


def _dump(model: Wire) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


def to_pact_v3(view: PassportView) -> dict[str, Any]:
    """The PACT v3.0 ProductFootprint of a passport as ``view.tier`` sees it."""
    read = FieldReader(view, V3)
    cf = "carbon_footprint."
    pcf: dict[str, Any] = {
        "declaredUnitOfMeasurement": read.need(cf + "declared_unit"),
        "declaredUnitAmount": decimal(read.need(cf + "declared_unit_amount")),
        "productMassPerDeclaredUnit": decimal(read.need(cf + "product_mass_kg")),
        "referencePeriodStart": utc(read.need(cf + "reference_period_start")),
        "referencePeriodEnd": utc(read.need(cf + "reference_period_end")),
        "pcfExcludingBiogenicUptake": decimal(read.need(cf + "total_kg_co2e")),
        "pcfIncludingBiogenicUptake": decimal(read.need(cf + "including_biogenic_kg_co2e")),
        "fossilGhgEmissions": decimal(read.need(cf + "fossil_ghg_kg_co2e")),
        "fossilCarbonContent": decimal(read.need(cf + "fossil_carbon_kg")),
        "ipccCharacterizationFactors": read.need(cf + "ipcc_characterization_factors"),
        "crossSectoralStandards": read.need(cf + "cross_sectoral_standards"),
        "exemptedEmissionsPercent": decimal(read.need(cf + "exempted_emissions_percent")),
        **_geography(read),
        "boundaryProcessesDescription": read.may(cf + "boundary"),
        "exemptedEmissionsDescription": read.may(cf + "exempted_emissions_description"),
        "packagingEmissionsIncluded": read.may(cf + "packaging_emissions_included"),
        "secondaryEmissionFactorSources": read.may(cf + "secondary_factor_sources") or None,
    }
    if (biogenic := read.may(cf + "biogenic_carbon_kg")) is not None:
        pcf["biogenicCarbonContent"] = decimal(biogenic)
    if (share := read.may(cf + "primary_data_share_percent")) is not None:
        pcf["primaryDataShare"] = decimal(share)
    if (dqi := read.may(cf + "dqi")) is not None:
        pcf["dqi"] = {
            "technologicalDQR": decimal(dqi["technological"]),
            "geographicalDQR": decimal(dqi["geographical"]),
            "temporalDQR": decimal(dqi["temporal"]),
        }
    if (validity := read.may("carbon_footprint.validity_period_end")) is not None:
        extra = {"validityPeriodEnd": utc(validity)}
    else:
        extra = {}
    document = {
        **_common(read),
        **extra,
        "specVersion": SPEC_V3,
        "productClassifications": read.may("identification.classifications") or None,
        "comment": read.may(cf + "comment"),
        "pcf": pcf,
    }
    return _dump(ProductFootprintV3.model_validate(document))


#: v2.3 DataQualityIndicators property -> the passport's dqi key
V2_DQI = {
    "coveragePercent": "coverage_percent",
    "technologicalDQR": "technological",
    "temporalDQR": "temporal",
    "geographicalDQR": "geographical",
    "completenessDQR": "completeness",
    "reliabilityDQR": "reliability",
}


def _v2_dqi(dqi: dict[str, Any] | None) -> dict[str, float] | None:
    """The v2.3 ``dqi``: all six ratings, the DQRs within v2.3's 1 to 3; else ``None``."""
    if dqi is None or any(dqi.get(key) is None for key in V2_DQI.values()):
        return None
    ratings = {wire: float(dqi[key]) for wire, key in V2_DQI.items()}
    if any(value > 3 for wire, value in ratings.items() if wire.endswith("DQR")):
        return None
    return ratings


def to_pact_v2(view: PassportView) -> dict[str, Any]:
    """The PACT v2.3 ProductFootprint of a passport as ``view.tier`` sees it (module doc)."""
    read = FieldReader(view, V2)
    cf = "carbon_footprint."
    unit = read.need(cf + "declared_unit")
    amount = float(read.need(cf + "declared_unit_amount"))
    mass = float(read.need(cf + "product_mass_kg"))
    per = 1.0
    if unit == "piece":
        if mass <= 0:
            raise MissingForFormat(
                field=cf + "product_mass_kg", format=V2, hint="v2.3 needs the mass of a piece"
            )
        unit, per, amount, mass = "kilogram", mass, amount * mass, 1.0
    elif unit in ("hour", "megabit second"):
        raise MissingForFormat(
            field=cf + "declared_unit", format=V2, hint=f"v2.3 has no declared unit '{unit}'"
        )
    cpc = [
        urn.split(":", 2)[2]
        for urn in read.may("identification.classifications") or []
        if urn.lower().startswith("urn:cpc:")
    ]
    if not cpc:
        hint = "add the UN CPC code as 'urn:cpc:<code>'"
        read.need("identification.classifications", hint)  # raises if withheld or none
        raise MissingForFormat(field="identification.classifications", format=V2, hint=hint)
    factors = read.need(cf + "ipcc_characterization_factors")
    legacy_factor = next((f for f in ("AR5", "AR6") if f in factors), None)
    standards = read.need(cf + "cross_sectoral_standards")
    legacy = sorted({V2_LEGACY_OF[s] for s in standards if s in V2_LEGACY_OF})
    if legacy_factor is None or not legacy:
        raise MissingForFormat(
            field=cf
            + (
                "ipcc_characterization_factors"
                if legacy_factor is None
                else "cross_sectoral_standards"
            ),
            format=V2,
            hint="v2.3 needs AR5 or AR6, and one of ISO14067, GHGP-Product, ISO14040-44",
        )
    exempted = float(read.need(cf + "exempted_emissions_percent"))
    pcf: dict[str, Any] = {
        "declaredUnit": unit,
        "unitaryProductAmount": decimal(amount),
        "productMassPerDeclaredUnit": decimal(mass),
        "pCfExcludingBiogenic": decimal(read.need(cf + "total_kg_co2e") / per),
        "fossilGhgEmissions": decimal(read.need(cf + "fossil_ghg_kg_co2e") / per),
        "fossilCarbonContent": decimal(read.need(cf + "fossil_carbon_kg") / per),
        "biogenicCarbonContent": decimal(read.need(cf + "biogenic_carbon_kg") / per),
        "characterizationFactors": legacy_factor,
        "ipccCharacterizationFactorsSources": factors,
        "crossSectoralStandardsUsed": legacy,
        "crossSectoralStandards": list(standards),
        "boundaryProcessesDescription": read.may(cf + "boundary") or "",
        "referencePeriodStart": utc(read.need(cf + "reference_period_start")),
        "referencePeriodEnd": utc(read.need(cf + "reference_period_end")),
        **_geography(read),
        "secondaryEmissionFactorSources": read.may(cf + "secondary_factor_sources") or None,
        "exemptedEmissionsPercent": exempted,
        "exemptedEmissionsDescription": read.may(cf + "exempted_emissions_description") or "",
        "packagingEmissionsIncluded": read.need(cf + "packaging_emissions_included"),
        "primaryDataShare": read.may(cf + "primary_data_share_percent"),
    }
    if (including := read.may(cf + "including_biogenic_kg_co2e")) is not None:
        pcf["pCfIncludingBiogenic"] = decimal(including / per)
    if (dqi := _v2_dqi(read.may(cf + "dqi"))) is not None:
        pcf["dqi"] = dqi
    validity = read.may("carbon_footprint.validity_period_end")
    document = {
        **_common(read),
        "validityPeriodEnd": utc(validity) if validity else None,
        "specVersion": SPEC_V2,
        "version": read.view.data["version"],
        "productClassifications": read.may("identification.classifications") or None,
        "productCategoryCpc": cpc[0] if cpc else "",
        "comment": read.may(cf + "comment") or "",
        "pcf": pcf,
    }
    return _dump(ProductFootprintV2.model_validate(document))


W = TypeVar("W", bound=Wire)


def _wire(model: type[W], document: Any, form: str, file: str | None) -> W:
    try:
        return model.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        more = len(error.errors()) - 1
        raise InvalidExchangeDocument(
            file=file,
            field=".".join(str(p) for p in first["loc"]),
            format=form,
            detail=first["msg"] + (f" (and {more} more problems)" if more else ""),
        ) from error


def product_identification(
    product_ids: list[str], file: str | None
) -> tuple[str | None, list[str]]:
    gtin: str | None = None
    urns: list[str] = []
    for index, urn in enumerate(product_ids):
        try:
            found = gtin_of_urn(urn)
        except ValueError as error:  # PydanticCustomError is a ValueError
            raise InvalidGtin(
                file=file, field=f"productIds.{index}", value=urn, detail=str(error)
            ) from error
        if found and gtin is None:
            gtin = found
        else:
            urns.append(urn)
    return gtin, urns


def _passport(
    document: ProductFootprintV2 | ProductFootprintV3,
    pcf: dict[str, Any],
    *,
    file: str | None,
    classifications: list[str],
) -> Passport:
    gtin, urns = product_identification(list(document.productIds), file)
    data = document.model_dump(mode="json")
    return passport_from_data(
        {
            "id": str(uuid.UUID(data["id"])),
            "created": data["created"],
            "status": data["status"],
            "version": max(1, int(data.get("version", 1))),
            "identification": {
                "gtin": gtin,
                "urns": urns,
                "product_name": data["productNameCompany"],
                "description": data["productDescription"] or data["productNameCompany"],
                "classifications": classifications,
            },
            "manufacturer": {"name": data["companyName"], "company_ids": data["companyIds"]},
            "carbon_footprint": {k: v for k, v in pcf.items() if v is not None},
        },
        file=file,
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def from_pact_v3(document: Any, *, file: str | None = None) -> Passport:
    """A passport from a PACT v3.0 ProductFootprint (validated; errors name the property)."""
    wire = _wire(ProductFootprintV3, document, V3, file)
    p = wire.pcf
    pcf = {
        "pact_id": wire.id,
        "declared_unit": p.declaredUnitOfMeasurement,
        "declared_unit_amount": float(p.declaredUnitAmount),
        "product_mass_kg": float(p.productMassPerDeclaredUnit),
        "reference_period_start": p.referencePeriodStart,
        "reference_period_end": p.referencePeriodEnd,
        "geography_country": p.geographyCountry,
        "geography_region": p.geographyRegionOrSubregion,
        "total_kg_co2e": float(p.pcfExcludingBiogenicUptake),
        "including_biogenic_kg_co2e": float(p.pcfIncludingBiogenicUptake),
        "fossil_ghg_kg_co2e": float(p.fossilGhgEmissions),
        "fossil_carbon_kg": float(p.fossilCarbonContent),
        "biogenic_carbon_kg": _float(p.biogenicCarbonContent),
        "primary_data_share_percent": _float(p.primaryDataShare),
        "dqi": None
        if p.dqi is None
        else {
            "technological": float(p.dqi.technologicalDQR),
            "geographical": float(p.dqi.geographicalDQR),
            "temporal": float(p.dqi.temporalDQR),
        },
        "ipcc_characterization_factors": p.ipccCharacterizationFactors,
        "cross_sectoral_standards": p.crossSectoralStandards,
        "exempted_emissions_percent": float(p.exemptedEmissionsPercent),
        "exempted_emissions_description": p.exemptedEmissionsDescription or None,
        "packaging_emissions_included": bool(p.packagingEmissionsIncluded),
        "boundary": p.boundaryProcessesDescription or None,
        "secondary_factor_sources": [
            s.model_dump() for s in p.secondaryEmissionFactorSources or []
        ],
        "comment": wire.comment or None,
        "validity_period_end": wire.validityPeriodEnd,
    }
    return _passport(wire, pcf, file=file, classifications=list(wire.productClassifications or []))


def _v3_standards(standards: list[str]) -> list[str]:
    back = {v: k for k, v in V2_STANDARD_NAMES.items()}
    return [
        "PACT-" + s.removeprefix("PACT Methodology ")
        if s.startswith("PACT Methodology ")
        else back.get(s, s)
        for s in standards
    ]


def from_pact_v2(document: Any, *, file: str | None = None) -> Passport:
    """A passport from a PACT v2.3 ProductFootprint (validated; errors name the property).

    Without ``crossSectoralStandards`` the deprecated ``crossSectoralStandardsUsed`` are
    mapped to their v3.0 names.
    """
    wire = _wire(ProductFootprintV2, document, V2, file)
    p = wire.pcf
    legacy = {v: k for k, v in V2_LEGACY_OF.items()}
    standards = (
        _v3_standards(list(p.crossSectoralStandards))
        if p.crossSectoralStandards
        else [legacy[s] for s in p.crossSectoralStandardsUsed]
    )
    dqi = p.dqi
    complete = dqi is not None and None not in (
        dqi.technologicalDQR,
        dqi.geographicalDQR,
        dqi.temporalDQR,
    )
    pcf = {
        "pact_id": wire.id,
        "declared_unit": p.declaredUnit,
        "declared_unit_amount": float(p.unitaryProductAmount),
        # "If the declared unit is kilogram, this attribute SHOULD by definition be 1"
        "product_mass_kg": _float(p.productMassPerDeclaredUnit)
        if p.productMassPerDeclaredUnit is not None or p.declaredUnit != "kilogram"
        else 1.0,
        "reference_period_start": p.referencePeriodStart,
        "reference_period_end": p.referencePeriodEnd,
        "geography_country": p.geographyCountry,
        "geography_region": p.geographyRegionOrSubregion,
        "total_kg_co2e": float(p.pCfExcludingBiogenic),
        "including_biogenic_kg_co2e": _float(p.pCfIncludingBiogenic),
        "fossil_ghg_kg_co2e": float(p.fossilGhgEmissions),
        "fossil_carbon_kg": float(p.fossilCarbonContent),
        "biogenic_carbon_kg": float(p.biogenicCarbonContent),
        "primary_data_share_percent": p.primaryDataShare,
        "dqi": {key: getattr(dqi, wire) for wire, key in V2_DQI.items()}
        if complete and dqi is not None
        else None,
        "ipcc_characterization_factors": p.ipccCharacterizationFactorsSources,
        "cross_sectoral_standards": standards,
        "exempted_emissions_percent": p.exemptedEmissionsPercent,
        "exempted_emissions_description": p.exemptedEmissionsDescription or None,
        "packaging_emissions_included": p.packagingEmissionsIncluded,
        "boundary": p.boundaryProcessesDescription or None,
        "secondary_factor_sources": [
            s.model_dump() for s in p.secondaryEmissionFactorSources or []
        ],
        "comment": wire.comment or None,
        "validity_period_end": wire.validityPeriodEnd,
    }
    classifications = list(wire.productClassifications or [])
    cpc = f"urn:cpc:{wire.productCategoryCpc}"
    if cpc not in classifications:
        classifications.append(cpc)
    return _passport(wire, pcf, file=file, classifications=classifications)
