"""The product passport: one pydantic model for every format kreislauf reads and writes.

A :class:`Passport` describes one product (a model, a batch or a single serialised item):
its identification, the manufacturer, composition and substances of concern, recycled
content, recyclability, repairability, durability, the product carbon footprint per
life-cycle stage with its primary-data share and data-quality ratings, certificates and
end-of-life instructions. Converters (:mod:`.pact`, :mod:`.aas`, :mod:`.catenax`) map it
to and from the exchange formats; :mod:`.tiers` decides who sees which field.

Quantities are stored in fixed base units named in the field (``_kg``, ``_percent``,
``_years``, ``kg_co2e``) so that every format converts once at its edge.

References
----------
Regulation (EU) 2024/1781 (Ecodesign for Sustainable Products Regulation, ESPR), Art. 9 and
Annex III: the information a digital product passport carries.
Regulation (EU) 2023/1542 (Batteries Regulation), Art. 77 and Annex XIII: battery passport
content. PACT Technical Specifications v3.0 (WBCSD 2025): the carbon footprint data.
ISO 14067:2018: carbon footprint of products (life-cycle stages, cradle-to-gate).
GS1 General Specifications, section 3.3.2 (GTIN) and 3.5.2 (AI 21 serial number).
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from kreislauf.passport.battery import Battery
from kreislauf.passport.fields import Country, Model, NonNegative, Percent, Text, Urn
from kreislauf.passport.identifiers import normalised_gtin

#: The version of this model's JSON form (docs/passport.schema.json).
SCHEMA_VERSION = "1.0.0"

Gtin = Annotated[str, AfterValidator(normalised_gtin)]

#: PACT v3.0 declared units (CarbonFootprint/declaredUnitOfMeasurement).
DeclaredUnit = Literal[
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
]


class Tier(StrEnum):
    """Who may see a field, from the widest audience to the narrowest (:mod:`.tiers`)."""

    public = "public"
    legitimate_interest = "legitimate_interest"
    authority = "authority"
    owner = "owner"

    @property
    def rank(self) -> int:
        """0 (public) to 3 (owner): a caller of rank r sees what is granted to ranks ≤ r."""
        return list(Tier).index(self)


class Grant(Model):
    """One way a field is shown to a tier and the tiers above it.

    form : ``exact`` (the value), ``range`` (the interval of ``edges`` holding a numeric
        value, in the field's unit) or ``statement`` (``statement`` in place of the value)
    """

    tier: Tier
    form: Literal["exact", "range", "statement"] = "exact"
    edges: list[float] | None = Field(default=None, min_length=2)
    statement: Text | None = None

    @model_validator(mode="after")
    def _form_complete(self) -> Grant:
        if self.form == "range" and (
            self.edges is None or any(b <= a for a, b in itertools.pairwise(self.edges))
        ):
            raise ValueError("a range needs 'edges', at least two numbers in increasing order")
        if self.form == "statement" and not self.statement:
            raise ValueError("a statement needs the 'statement' text")
        return self


class Status(StrEnum):
    """Status of a passport version (PACT v3.0, ProductFootprint/status)."""

    active = "Active"
    deprecated = "Deprecated"


class Identification(Model):
    """What the passport is about: GTIN (checked), serial number or batch, further URNs.

    A passport without ``serial`` and ``batch`` describes the product model; one without a
    GTIN (imported from PACT, say) is identified by its URNs. ``classifications``: URNs
    such as ``urn:cpc:0151`` (UN CPC), ``urn:eclass:…`` (PACT v3.0, product classification).
    """

    gtin: Gtin | None = None
    serial: Annotated[str, Field(pattern=r"^[!%-?A-Z_a-z\"]{1,20}$")] | None = None
    batch: Annotated[str, Field(pattern=r"^[!%-?A-Z_a-z\"]{1,20}$")] | None = None
    product_name: Text
    description: Text
    urns: list[Urn] = Field(default_factory=list)
    classifications: list[Urn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _identified(self) -> Identification:
        if self.gtin is None and not self.urns:
            raise ValueError("a product needs a 'gtin' or at least one URN in 'urns'")
        return self


class Manufacturer(Model):
    """The economic operator placing the product on the market (ESPR Annex III (k)).

    ``address`` is the postal address as one text; ``street``, ``house_number``,
    ``postcode`` and ``city`` are its parts where a format wants them structured
    (Catena-X DPP 7.0.0 ``economicOperatorAddress``).
    """

    name: Text
    company_ids: list[Urn] = Field(min_length=1)
    address: Text | None = None
    street: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    house_number: Annotated[str, Field(min_length=1, max_length=20)] | None = None
    postcode: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9\- ]{0,10}$")] | None = None
    city: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    country: Country | None = None
    contact: Text | None = None


class Material(Model):
    """One material of the product: mass per product unit [kg], recycled share [%]."""

    name: Text
    mass_kg: NonNegative
    recycled_percent: Percent = 0.0


class Substance(Model):
    """A substance of concern (ESPR Art. 7(5); REACH Art. 57 SVHC) in the product.

    concentration_percent : mass share in the article [% w/w]
    """

    name: Text
    cas: Annotated[str, Field(pattern=r"^\d{2,7}-\d{2}-\d$")] | None = None
    concentration_percent: Percent
    location: Text | None = None


class RecycledContent(Model):
    """Recycled content [% of product mass]: total and, where known, its origin.

    Pre- and post-consumer as defined in ISO 14021:2016, 7.8.1.1.
    """

    total_percent: Percent
    pre_consumer_percent: Percent | None = None
    post_consumer_percent: Percent | None = None

    @model_validator(mode="after")
    def _parts_within_total(self) -> RecycledContent:
        parts = (self.pre_consumer_percent or 0.0) + (self.post_consumer_percent or 0.0)
        if parts > self.total_percent + 1e-9:
            raise ValueError("pre_consumer_percent + post_consumer_percent exceed total_percent")
        return self


class Recyclability(Model):
    """Recyclability: recyclable share [% of mass] and how to dismantle (ESPR Annex I (j))."""

    recyclable_percent: Percent | None = None
    dismantling: Text | None = None


class Repairability(Model):
    """Repairability: a score (scale named in ``scale``), spare parts and repair information."""

    score: NonNegative | None = None
    scale: Text | None = None
    spare_parts_years: NonNegative | None = None
    repair_information: Text | None = None


class Physical(Model):
    """Mass [kg] and volume [m³] of one product unit, net and with packaging (gross).

    Catena-X DPP 7.0.0 ``physicalDimension`` requires all four; ESPR Annex III (j) lists
    the product's weight and volume.
    """

    net_mass_kg: NonNegative | None = None
    gross_mass_kg: NonNegative | None = None
    volume_m3: NonNegative | None = None
    gross_volume_m3: NonNegative | None = None


class Durability(Model):
    """Expected lifetime and warranty [years] (ESPR Annex I (a))."""

    expected_lifetime_years: NonNegative | None = None
    warranty_years: NonNegative | None = None


#: UN M49 regions and sub-regions as PACT v3.0 (RegionOrSubregion) and Catena-X PCF 9.0.0
#: name them; Catena-X adds ``Global`` and ``Several``.
Region = Literal[
    "Africa", "Americas", "Asia", "Europe", "Oceania", "Australia and New Zealand",
    "Central Asia", "Eastern Asia", "Eastern Europe", "Latin America and the Caribbean",
    "Melanesia", "Micronesia", "Northern Africa", "Northern America", "Northern Europe",
    "Polynesia", "South-eastern Asia", "Southern Asia", "Southern Europe",
    "Sub-Saharan Africa", "Western Asia", "Western Europe", "Global", "Several",
]  # fmt: skip
PcfType = Literal[
    "Retrospective PCF",
    "Prospective PCF without forerunner",
    "Prospective PCF of further developed product with forerunner",
    "Prospective PCF for current product for future production date",
    "Progressive PCF",
]
WasteAllocation = Literal[
    "cut-off", "reverse cut-off", "system expansion", "polluter pays principle"
]


class StageFootprint(Model):
    """Emissions of one life-cycle stage per declared unit [kg CO2e]."""

    stage: Literal["raw_materials", "processing", "waste", "distribution", "use", "end_of_life"]
    kg_co2e: float


class DataQuality(Model):
    """PACT data-quality ratings, 1 (best) to 5 (PACT v3.0 DataQualityIndicators).

    ``coverage_percent`` [%], ``completeness`` and ``reliability`` (1 best to 3) are the
    ratings PACT v2.3 requires besides the three (v2.3 DataQualityIndicators:
    coveragePercent, completenessDQR, reliabilityDQR) and v3.0 dropped: optional, entered
    by the owner, written only to v2.3 (:mod:`.pact`).
    """

    technological: Annotated[float, Field(ge=1, le=5)]
    geographical: Annotated[float, Field(ge=1, le=5)]
    temporal: Annotated[float, Field(ge=1, le=5)]
    coverage_percent: Percent | None = None
    completeness: Annotated[float, Field(ge=1, le=3)] | None = None
    reliability: Annotated[float, Field(ge=1, le=3)] | None = None


class FactorSource(Model):
    """A secondary emission-factor source by name and version (PACT EmissionFactorSource)."""

    name: Text
    version: Text


class CarbonFootprint(Model):
    """The product carbon footprint per declared unit (PACT v3.0 CarbonFootprint).

    total_kg_co2e : PCF excluding biogenic uptake [kg CO2e per declared unit]
    including_biogenic_kg_co2e : PCF including biogenic uptake [kg CO2e per declared unit]
    fossil_ghg_kg_co2e : fossil emissions [kg CO2e per declared unit]
    fossil_carbon_kg, biogenic_carbon_kg : carbon content [kg C per declared unit]
    product_mass_kg : mass of the product per declared unit, packaging excluded [kg]
    primary_data_share_percent : [%] (PACT Methodology v3, 4.2.2)
    exempted_emissions_percent : [%] emissions left out of the boundary
    stages : per life-cycle stage; their sum is ``total_kg_co2e``
    validity_period_end : end of validity (PACT: default reference_period_end + 3 years)
    product_or_sector_rules : product category rules applied, as URNs or names
    pcf_type, waste_incineration_allocation, mass_balancing_used, mass_balancing_scheme,
    ccs_included : what Catena-X PCF 9.0.0 requires besides PACT's properties
    """

    pact_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    declared_unit: DeclaredUnit
    declared_unit_amount: Annotated[float, Field(gt=0)] = 1.0
    product_mass_kg: NonNegative | None = None
    reference_period_start: AwareDatetime
    reference_period_end: AwareDatetime
    validity_period_end: AwareDatetime | None = None
    geography_country: Country | None = None
    geography_region: Region | None = None
    total_kg_co2e: NonNegative
    including_biogenic_kg_co2e: float | None = None
    fossil_ghg_kg_co2e: NonNegative
    fossil_carbon_kg: NonNegative | None = None
    biogenic_carbon_kg: NonNegative | None = None
    stages: list[StageFootprint] = Field(default_factory=list)
    primary_data_share_percent: Percent
    dqi: DataQuality | None = None
    ipcc_characterization_factors: list[Annotated[str, Field(pattern=r"^AR\d+$")]] = Field(
        default_factory=lambda: ["AR6"], min_length=1
    )
    cross_sectoral_standards: list[Text] = Field(
        default_factory=lambda: ["ISO14067", "GHGP-Product"], min_length=1
    )
    exempted_emissions_percent: Percent = 0.0
    exempted_emissions_description: Text | None = None
    packaging_emissions_included: bool = False
    boundary: Text | None = None
    secondary_factor_sources: list[FactorSource] = Field(default_factory=list)
    comment: Text | None = None
    product_or_sector_rules: list[Text] = Field(default_factory=list)
    pcf_type: PcfType | None = None
    waste_incineration_allocation: WasteAllocation | None = None
    mass_balancing_used: bool | None = None
    mass_balancing_scheme: Text | None = None
    ccs_included: bool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CarbonFootprint:
        if self.reference_period_end <= self.reference_period_start:
            raise ValueError("reference_period_end must be after reference_period_start")
        if self.stages:
            total = sum(stage.kg_co2e for stage in self.stages)
            if abs(total - self.total_kg_co2e) > 1e-6 * max(1.0, abs(self.total_kg_co2e)):
                raise ValueError(
                    f"the stages add up to {total:.6g} kg CO2e, not total_kg_co2e "
                    f"{self.total_kg_co2e:.6g}"
                )
        return self


class Certificate(Model):
    """A certificate, declaration of conformity or attestation (ESPR Annex III (h)).

    An attestation of a PCF (Catena-X ``attestationOfConformance``) gives ``kind``
    (``attestationType``) and ``standard`` (``attestationStandard``); ``name`` is the
    standard attested (``standardName``).
    """

    name: Text
    issuer: Text | None = None
    issuer_id: Text | None = None
    number: Text | None = None
    kind: Text | None = None
    standard: Text | None = None
    issued: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    url: Annotated[str, Field(min_length=1, max_length=2000)] | None = None


class EndOfLife(Model):
    """End-of-life instructions in German and English, take-back, waste code (EWC)."""

    instructions_de: Text | None = None
    instructions_en: Text | None = None
    take_back: Text | None = None
    waste_code: Annotated[str, Field(pattern=r"^\d{2} \d{2} \d{2}\*?$")] | None = None


class Passport(Model):
    """One version of a product passport.

    ``version`` counts from 1; each change is a new version (:mod:`.archive`) whose
    ``previous_digest`` is the SHA-256 of the previous version's canonical JSON.
    """

    schema_version: Literal["1.0.0"] = "1.0.0"
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    version: Annotated[int, Field(ge=1)] = 1
    created: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    previous_digest: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    status: Status = Status.active
    identification: Identification
    manufacturer: Manufacturer
    composition: list[Material] = Field(default_factory=list)
    substances: list[Substance] = Field(default_factory=list)
    recycled_content: RecycledContent | None = None
    recyclability: Recyclability = Recyclability()
    repairability: Repairability = Repairability()
    durability: Durability = Durability()
    physical: Physical = Physical()
    carbon_footprint: CarbonFootprint | None = None
    certificates: list[Certificate] = Field(default_factory=list)
    compliance_reports: list[Certificate] = Field(default_factory=list)
    end_of_life: EndOfLife = EndOfLife()
    #: Battery passport data (Regulation (EU) 2023/1542, Annex XIII); only for batteries.
    #: Left out when absent, so that a passport of another product serialises, and its
    #: canonical JSON, digest and version chain stay, as before the section existed.
    battery: Battery | None = Field(default=None, exclude_if=lambda value: value is None)
    notes: Text | None = None
    #: field (``section.name`` or a list's name) -> the grants replacing its default tier
    disclosure: dict[str, list[Grant]] = Field(default_factory=dict)
