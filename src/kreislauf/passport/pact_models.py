"""The PACT ProductFootprint data model, v3.0 and v2.3, as pydantic models of the wire form.

Written from the prose of the PACT Technical Specifications (WBCSD, repository
``wbcsd/data-exchange-protocol``: ``spec/v3/index.md`` and ``data-model.md`` for v3.0,
``spec/v2/index.bs`` for v2.3); the OpenAPI files are not used or shipped. What the models
check:

- v3.0: ProductFootprint requires ``id``, ``specVersion``, ``created``, ``status``,
  ``companyName``, ``companyIds``, ``productDescription``, ``productIds``,
  ``productNameCompany``, ``pcf``; CarbonFootprint requires ``declaredUnitOfMeasurement``,
  ``declaredUnitAmount``, ``productMassPerDeclaredUnit``, ``referencePeriodStart``/``End``,
  ``pcfExcludingBiogenicUptake``, ``pcfIncludingBiogenicUptake``, ``fossilGhgEmissions``,
  ``fossilCarbonContent``, ``ipccCharacterizationFactors``, ``crossSectoralStandards``,
  ``exemptedEmissionsPercent``; every fractional number is a decimal *string*
  ("Consistent typing of real numbers", ADR-39); DQRs range 1 to 5.
- v2.3: the v2 names (``declaredUnit``, ``unitaryProductAmount``, ``pCfExcludingBiogenic``,
  …), the mandatory ``version``, ``productCategoryCpc``, ``comment``,
  ``characterizationFactors``, ``crossSectoralStandardsUsed``,
  ``boundaryProcessesDescription``, ``exemptedEmissionsDescription``,
  ``packagingEmissionsIncluded``; carbon quantities are decimal strings, percentages and
  DQRs (1 to 3) JSON numbers, ``exemptedEmissionsPercent`` at most 5.

Properties the models do not name are kept (``extra="allow"``): a host MUST accept
footprints of later revisions.
"""

# The property names are the specification's (camelCase on the wire).
# ruff: noqa: N815

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

DECIMAL_PATTERN = r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"
Decimal = Annotated[str, Field(pattern=DECIMAL_PATTERN)]
Urn = Annotated[str, Field(pattern=r"^[uU][rR][nN]:\S+$")]
DateTime = Annotated[
    str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]00:00)$")
]
NonEmpty = Annotated[str, Field(min_length=1)]

V3_UNITS = (
    "liter",
    "kilogram",
    "cubic meter",
    "kilowatt hour",
    "megajoule",
    "ton kilometer",
    "square meter",
    "piece",
    "hour",
    "megabit second",
)
#: v2.3 DeclaredUnit: v3.0 without ``piece``, ``hour``, ``megabit second``.
V2_UNITS = V3_UNITS[:7]
#: v2.3 CrossSectoralStandard (deprecated, still mandatory in 2.3).
V2_LEGACY_STANDARDS = ("GHG Protocol Product standard", "ISO Standard 14067", "ISO Standard 14044")


class Wire(BaseModel):
    """Base of the wire models: camelCase names as in the spec, unknown properties kept."""

    model_config = ConfigDict(extra="allow", frozen=True)


class EmissionFactorSource(Wire):
    name: NonEmpty
    version: NonEmpty


class DqiV3(Wire):
    technologicalDQR: Decimal
    geographicalDQR: Decimal
    temporalDQR: Decimal


class CarbonFootprintV3(Wire):
    declaredUnitOfMeasurement: Literal[V3_UNITS]  # type: ignore[valid-type]
    declaredUnitAmount: Decimal
    productMassPerDeclaredUnit: Decimal
    referencePeriodStart: DateTime
    referencePeriodEnd: DateTime
    geographyCountry: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    geographyRegionOrSubregion: str | None = None
    boundaryProcessesDescription: str | None = None
    pcfExcludingBiogenicUptake: Decimal
    pcfIncludingBiogenicUptake: Decimal
    fossilGhgEmissions: Decimal
    fossilCarbonContent: Decimal
    biogenicCarbonContent: Decimal | None = None
    ipccCharacterizationFactors: list[Annotated[str, Field(pattern=r"^AR\d+$")]] = Field(
        min_length=1
    )
    crossSectoralStandards: list[NonEmpty] = Field(min_length=1)
    exemptedEmissionsPercent: Decimal
    exemptedEmissionsDescription: str | None = None
    packagingEmissionsIncluded: bool | None = None
    secondaryEmissionFactorSources: list[EmissionFactorSource] | None = Field(
        default=None, min_length=1
    )
    primaryDataShare: Decimal | None = None
    dqi: DqiV3 | None = None


class ProductFootprintV3(Wire):
    id: Annotated[str, Field(pattern=r"^[0-9a-fA-F-]{36}$")]
    specVersion: Annotated[str, Field(pattern=r"^3\.\d+\.\d+")]
    created: DateTime
    validityPeriodEnd: DateTime | None = None
    status: Literal["Active", "Deprecated"]
    companyName: NonEmpty
    companyIds: list[Urn] = Field(min_length=1)
    productDescription: str
    productIds: list[Urn] = Field(min_length=1)
    productClassifications: list[Urn] | None = Field(default=None, min_length=1)
    productNameCompany: NonEmpty
    comment: str | None = None
    pcf: CarbonFootprintV3


class DqiV2(Wire):
    coveragePercent: Annotated[float, Field(ge=0, le=100)] | None = None
    technologicalDQR: Annotated[float, Field(ge=1, le=3)] | None = None
    temporalDQR: Annotated[float, Field(ge=1, le=3)] | None = None
    geographicalDQR: Annotated[float, Field(ge=1, le=3)] | None = None
    completenessDQR: Annotated[float, Field(ge=1, le=3)] | None = None
    reliabilityDQR: Annotated[float, Field(ge=1, le=3)] | None = None


class CarbonFootprintV2(Wire):
    declaredUnit: Literal[V2_UNITS]  # type: ignore[valid-type]
    unitaryProductAmount: Decimal
    productMassPerDeclaredUnit: Decimal | None = None
    pCfExcludingBiogenic: Decimal
    pCfIncludingBiogenic: Decimal | None = None
    fossilGhgEmissions: Decimal
    fossilCarbonContent: Decimal
    biogenicCarbonContent: Decimal
    characterizationFactors: Literal["AR5", "AR6"]
    ipccCharacterizationFactorsSources: list[Annotated[str, Field(pattern=r"^AR\d+$")]] = Field(
        min_length=1
    )
    crossSectoralStandardsUsed: list[Literal[V2_LEGACY_STANDARDS]] = Field(  # type: ignore[valid-type]
        min_length=1
    )
    crossSectoralStandards: list[NonEmpty] | None = Field(default=None, min_length=1)
    boundaryProcessesDescription: str
    referencePeriodStart: DateTime
    referencePeriodEnd: DateTime
    geographyCountry: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    geographyRegionOrSubregion: str | None = None
    secondaryEmissionFactorSources: list[EmissionFactorSource] | None = None
    exemptedEmissionsPercent: Annotated[float, Field(ge=0, le=5)]
    exemptedEmissionsDescription: str
    packagingEmissionsIncluded: bool
    primaryDataShare: Annotated[float, Field(ge=0, le=100)] | None = None
    dqi: DqiV2 | None = None


class ProductFootprintV2(Wire):
    id: Annotated[str, Field(pattern=r"^[0-9a-fA-F-]{36}$")]
    specVersion: Annotated[str, Field(pattern=r"^2\.\d+\.\d+")]
    version: Annotated[int, Field(ge=0, le=2**31 - 1)]
    created: DateTime
    updated: DateTime | None = None
    validityPeriodEnd: DateTime | None = None
    status: Literal["Active", "Deprecated"]
    companyName: NonEmpty
    companyIds: list[Urn] = Field(min_length=1)
    productDescription: str
    productIds: list[Urn] = Field(min_length=1)
    productClassifications: list[Urn] | None = None
    productCategoryCpc: NonEmpty
    productNameCompany: NonEmpty
    comment: str
    pcf: CarbonFootprintV2
