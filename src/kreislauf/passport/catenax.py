"""Catena-X PCF aspect model 9.0.0 (``urn:samm:io.catenax.pcf:9.0.0#Pcf``) from and to passports.

The aspect groups the PACT properties into nested blocks, each written as a one-element
array in the model's generated payload (``gen/Pcf.json``), which is followed here;
numbers are JSON numbers, not PACT's decimal strings, so the format is not wire-compatible
with PACT v3.0. What Catena-X requires beyond PACT comes from the passport's
``carbon_footprint`` (``geography_region``, ``waste_incineration_allocation``,
``mass_balancing_used``, ``ccs_included``) or is derived and stated here:

- ``validityPeriodEnd``: the passport's, else ``referencePeriodEnd`` + 3 years (the PACT
  v3.0 default validity, "Validity Period");
- ``retroOrProspectivePcfType``: the passport's, else ``Retrospective PCF`` when the
  reference period ended before the passport was created;
- ``partialFullPcf``: ``Cradle-to-grave`` when the stages include use or end of life;
- ``distributionStageIncluded``: whether the stages include distribution;
- ``massBalancingCertificateScheme`` and ``freeAttributionInMassBalancing``: ``not
  applicable`` when no mass balancing is used;
- ``ipccCharacterizationFactors`` (one value): the earliest report used, as PACT v2 asked;
- ``secondaryEmissionFactorSources``: ``"<name> <version>"`` (PACT has name and version).

Known deviation of the 9.0.0 model: its declared units list ``megabit`` and ``second``
where PACT v3.0 has ``megabit second``; that unit is refused.

References
----------
Catena-X PCF aspect model 9.0.0, ``eclipse-tractusx/sldt-semantic-models``,
``io.catenax.pcf/9.0.0/Pcf.ttl`` (CC BY 4.0); Catena-X PCF Rulebook v3.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kreislauf.errors import InvalidExchangeDocument, MissingForFormat
from kreislauf.passport.identifiers import gtin_urn
from kreislauf.passport.io import passport_from_data
from kreislauf.passport.models import Passport
from kreislauf.passport.pact import FieldReader, product_identification, utc
from kreislauf.passport.tiers import PassportView

FORMAT = "Catena-X PCF 9.0.0"
SPEC_VERSION = "urn:io.catenax.pcf:datamodel:version:9.0.0"
UNITS = (
    "liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer",
    "square meter", "piece", "hour",
)  # fmt: skip
IPCC = ("AR4", "AR5", "AR6")


def _years_later(moment: str, years: int) -> str:
    start = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    try:
        later = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        later = start.replace(year=start.year + years, day=28)
    return utc(later.isoformat())


def to_catenax_pcf(view: PassportView) -> dict[str, Any]:
    """The Catena-X PCF 9.0.0 aspect of a passport as ``view.tier`` sees it (module doc)."""
    read = FieldReader(view, FORMAT)
    cf = "carbon_footprint."
    unit = read.need(cf + "declared_unit")
    if unit not in UNITS:
        raise MissingForFormat(
            field=cf + "declared_unit", format=FORMAT, hint=f"9.0.0 has no unit '{unit}'"
        )
    start = utc(read.need(cf + "reference_period_start"))
    end = utc(read.need(cf + "reference_period_end"))
    validity = read.may(cf + "validity_period_end")
    created = utc(view.data["created"])
    stages = {s["stage"] for s in read.may(cf + "stages") or []}
    pcf_type = read.may(cf + "pcf_type") or (
        "Retrospective PCF" if end <= created else "Prospective PCF without forerunner"
    )
    factors = read.need(cf + "ipcc_characterization_factors")
    ipcc = next((f for f in IPCC if f in factors), "unspecified")
    mass_balancing = read.need(cf + "mass_balancing_used")
    scheme = read.may(cf + "mass_balancing_scheme")
    if mass_balancing and not scheme:
        scheme = read.need(cf + "mass_balancing_scheme", "name the certification scheme")
    quality = {
        "primaryDataShare": read.may(cf + "primary_data_share_percent"),
        "secondaryEmissionFactorSources": [
            f"{s['name']} {s['version']}" for s in read.may(cf + "secondary_factor_sources") or []
        ]
        or None,
    }
    if (dqi := read.may(cf + "dqi")) is not None:
        quality |= {
            "technologicalDQR": dqi["technological"],
            "temporalDQR": dqi["temporal"],
            "geographicalDQR": dqi["geographical"],
        }
    fossil_c = read.may(cf + "fossil_carbon_kg")
    biogenic_c = read.may(cf + "biogenic_carbon_kg")
    carbon = {
        "fossilCarbonContent": fossil_c,
        "biogenicCarbonContent": biogenic_c,
        "carbonContentTotal": None if None in (fossil_c, biogenic_c) else fossil_c + biogenic_c,
    }
    gtin = read.may("identification.gtin")
    product_ids = ([gtin_urn(gtin)] if gtin else []) + list(read.may("identification.urns") or [])
    if not product_ids:
        read.need("identification.gtin", "give a GTIN or a URN in identification.urns")
    product = {
        "productNameCompany": read.need("identification.product_name"),
        "productIds": product_ids,
        "declaredUnitOfMeasurement": unit,
        "declaredUnitAmount": read.need(cf + "declared_unit_amount"),
        "productMassPerDeclaredUnit": read.need(cf + "product_mass_kg"),
        "productClassifications": read.may("identification.classifications") or None,
        "productDescription": read.may("identification.description"),
    }
    geography = {
        "geographyRegionOrSubregion": read.need(
            cf + "geography_region", "give the UN M49 region, e.g. 'Western Europe'"
        ),
        "geographyCountry": read.may(cf + "geography_country"),
    }
    document = {
        "scopeOfPcfForm": [
            {
                "specVersion": SPEC_VERSION,
                "partialFullPcf": "Cradle-to-grave"
                if stages & {"use", "end_of_life"}
                else "Cradle-to-gate",
            }
        ],
        "companyAndProductInformation": [
            {
                "companyInformation": [
                    {
                        "companyName": read.need("manufacturer.name"),
                        "companyIds": read.need("manufacturer.company_ids"),
                    }
                ],
                "productInformation": [product],
            }
        ],
        "pcfAssessmentAndMethodology": [
            {
                "dataSourcesAndQuality": [quality],
                "pcfAssessmentInformation": [
                    {
                        "technology": [
                            {
                                "ccsTechnologicalCO2CaptureIncluded": read.need(
                                    cf + "ccs_included"
                                ),
                                "boundaryProcessesDescription": read.may(cf + "boundary"),
                            }
                        ],
                        "idAndVersion": [
                            {
                                "id": str(read.need(cf + "pact_id")),
                                "version": view.data["version"],
                                "status": view.data["status"],
                                "retroOrProspectivePcfType": pcf_type,
                            }
                        ],
                        "boundarySpecifications": [
                            {
                                "exemptedEmissionsPercent": read.need(
                                    cf + "exempted_emissions_percent"
                                ),
                                "exemptedEmissionsDescription": read.may(
                                    cf + "exempted_emissions_description"
                                ),
                            }
                        ],
                        "geography": [geography],
                        "time": [
                            {
                                "referencePeriodStart": start,
                                "referencePeriodEnd": end,
                                "created": created,
                                "validityPeriodEnd": utc(validity)
                                if validity
                                else _years_later(end, 3),
                            }
                        ],
                    }
                ],
                "pcfMethodology": [
                    {
                        "massBalancingInformation": [
                            {
                                "massBalancingUsed": mass_balancing,
                                "freeAttributionInMassBalancing": "true"
                                if mass_balancing
                                else "not applicable",
                                "massBalancingCertificateScheme": scheme or "not applicable",
                            }
                        ],
                        "standards": [
                            {
                                "crossSectoralStandards": read.need(
                                    cf + "cross_sectoral_standards"
                                ),
                                "productOrSectorSpecificRules": read.may(
                                    cf + "product_or_sector_rules"
                                )
                                or [],
                            }
                        ],
                        "gwpCharacterizationFactorDetails": [{"ipccCharacterizationFactors": ipcc}],
                        "allocationInForeground": [
                            {
                                "allocationWasteIncineration": read.need(
                                    cf + "waste_incineration_allocation"
                                )
                            }
                        ],
                    }
                ],
            }
        ],
        "general": [{"comment": read.may(cf + "comment")}],
        "attestationOfConformance": _attestations(read.may("certificates") or []) or None,
        "carbonContent": [carbon],
        "productLifeCycleStagesAndEmissions": [
            {
                "productionStage": [
                    {
                        "pcfExcludingBiogenicUptake": read.need(cf + "total_kg_co2e"),
                        "pcfIncludingBiogenicUptake": read.need(cf + "including_biogenic_kg_co2e"),
                        "fossilGhgEmissions": read.may(cf + "fossil_ghg_kg_co2e"),
                    }
                ],
                "distributionStage": [{"distributionStageIncluded": "distribution" in stages}],
                "packagingStage": [
                    {"packagingEmissionsIncluded": read.need(cf + "packaging_emissions_included")}
                ],
            }
        ],
    }
    cleaned: dict[str, Any] = _without_none(document)
    return cleaned


def _attestations(certificates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The certificates that are PCF attestations (``kind``, ``standard``, ``issuer`` given)."""
    return [
        {
            "attestationType": c["kind"],
            "standardName": c["name"],
            "attestationStandard": c["standard"],
            "attestationOfConformanceId": c.get("number") or c["name"],
            "providerName": c["issuer"],
            "attestationOfConformanceLink": c.get("url"),
            "providerId": c.get("issuer_id"),
            "completedAt": utc(c["issued"]) if c.get("issued") else None,
        }
        for c in certificates
        if c.get("kind") and c.get("standard") and c.get("issuer")
    ]


def _without_none(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_none(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_without_none(v) for v in node]
    return node


def _one(document: Any, path: str, *, file: str | None, required: bool = True) -> Any:
    """The value at ``path`` (dots; a one-element array is stepped into), or ``None``."""
    node = document
    walked: list[str] = []
    for name in path.split("."):
        if isinstance(node, list):
            node = node[0] if node else None
        walked.append(name)
        if not isinstance(node, dict) or node.get(name) is None:
            if required:
                raise InvalidExchangeDocument(
                    file=file, field=".".join(walked), format=FORMAT, detail="required, missing"
                )
            return None
        node = node[name]
    return node


def _source(text: str) -> dict[str, str]:
    name, _, version = text.rpartition(" ")
    if name and any(c.isdigit() for c in version):
        return {"name": name, "version": version}
    return {"name": text, "version": "unspecified"}


def from_catenax_pcf(document: Any, *, file: str | None = None) -> Passport:
    """A passport from a Catena-X PCF 9.0.0 aspect; errors name the property's path."""

    def one(path: str, required: bool = True) -> Any:
        return _one(document, path, file=file, required=required)

    product = "companyAndProductInformation.productInformation."
    info = "pcfAssessmentAndMethodology.pcfAssessmentInformation."
    method = "pcfAssessmentAndMethodology.pcfMethodology."
    quality = "pcfAssessmentAndMethodology.dataSourcesAndQuality."
    stage = "productLifeCycleStagesAndEmissions."
    spec = one("scopeOfPcfForm.specVersion")
    if not str(spec).endswith(":9.0.0"):
        raise InvalidExchangeDocument(
            file=file, field="scopeOfPcfForm.specVersion", format=FORMAT,
            detail=f"'{spec}' is another version",
        )  # fmt: skip
    ipcc = one(method + "gwpCharacterizationFactorDetails.ipccCharacterizationFactors")
    if ipcc == "unspecified":
        raise InvalidExchangeDocument(
            file=file, field="ipccCharacterizationFactors", format=FORMAT,
            detail="'unspecified': a passport names the IPCC report (AR4, AR5, AR6)",
        )  # fmt: skip
    gtin, urns = product_identification(list(one(product + "productIds")), file)
    dqi = {
        "technological": one(quality + "technologicalDQR", False),
        "geographical": one(quality + "geographicalDQR", False),
        "temporal": one(quality + "temporalDQR", False),
    }
    scheme = one(method + "massBalancingInformation.massBalancingCertificateScheme", False)
    pcf = {
        "pact_id": one(info + "idAndVersion.id"),
        "declared_unit": one(product + "declaredUnitOfMeasurement"),
        "declared_unit_amount": one(product + "declaredUnitAmount"),
        "product_mass_kg": one(product + "productMassPerDeclaredUnit"),
        "reference_period_start": one(info + "time.referencePeriodStart"),
        "reference_period_end": one(info + "time.referencePeriodEnd"),
        "validity_period_end": one(info + "time.validityPeriodEnd"),
        "geography_country": one(info + "geography.geographyCountry", False),
        "geography_region": one(info + "geography.geographyRegionOrSubregion"),
        "total_kg_co2e": one(stage + "productionStage.pcfExcludingBiogenicUptake"),
        "including_biogenic_kg_co2e": one(stage + "productionStage.pcfIncludingBiogenicUptake"),
        "fossil_ghg_kg_co2e": one(stage + "productionStage.fossilGhgEmissions"),
        "fossil_carbon_kg": one("carbonContent.fossilCarbonContent", False),
        "biogenic_carbon_kg": one("carbonContent.biogenicCarbonContent", False),
        "primary_data_share_percent": one(quality + "primaryDataShare", False),
        "dqi": dqi if None not in dqi.values() else None,
        "secondary_factor_sources": [
            _source(s) for s in one(quality + "secondaryEmissionFactorSources", False) or []
        ],
        "ipcc_characterization_factors": [ipcc],
        "cross_sectoral_standards": one(method + "standards.crossSectoralStandards"),
        "product_or_sector_rules": one(method + "standards.productOrSectorSpecificRules", False)
        or [],
        "exempted_emissions_percent": one(info + "boundarySpecifications.exemptedEmissionsPercent"),
        "exempted_emissions_description": one(
            info + "boundarySpecifications.exemptedEmissionsDescription", False
        ),
        "packaging_emissions_included": one(stage + "packagingStage.packagingEmissionsIncluded"),
        "boundary": one(info + "technology.boundaryProcessesDescription", False),
        "comment": one("general.comment", False),
        "pcf_type": one(info + "idAndVersion.retroOrProspectivePcfType"),
        "waste_incineration_allocation": one(
            method + "allocationInForeground.allocationWasteIncineration"
        ),
        "mass_balancing_used": one(method + "massBalancingInformation.massBalancingUsed"),
        "mass_balancing_scheme": None if scheme == "not applicable" else scheme,
        "ccs_included": one(info + "technology.ccsTechnologicalCO2CaptureIncluded"),
    }
    return passport_from_data(
        {
            "created": one(info + "time.created"),
            "status": one(info + "idAndVersion.status"),
            "version": max(1, int(one(info + "idAndVersion.version"))),
            "identification": {
                "gtin": gtin,
                "urns": urns,
                "product_name": one(product + "productNameCompany"),
                "description": one(product + "productDescription", False)
                or one(product + "productNameCompany"),
                "classifications": one(product + "productClassifications", False) or [],
            },
            "manufacturer": {
                "name": one("companyAndProductInformation.companyInformation.companyName"),
                "company_ids": one("companyAndProductInformation.companyInformation.companyIds"),
            },
            "carbon_footprint": {k: v for k, v in pcf.items() if v is not None},
            "certificates": [
                {
                    "name": a["standardName"],
                    "kind": a["attestationType"],
                    "standard": a["attestationStandard"],
                    "number": a["attestationOfConformanceId"],
                    "issuer": a["providerName"],
                    "issuer_id": a.get("providerId"),
                    "url": a.get("attestationOfConformanceLink"),
                    "issued": a.get("completedAt"),
                }
                for a in document.get("attestationOfConformance") or []
                if isinstance(a, dict)
            ],
        },
        file=file,
    )
