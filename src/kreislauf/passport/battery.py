"""The battery section of a passport: what Regulation (EU) 2023/1542 asks of a battery.

Optional (``Passport.battery``): a passport of any other product has none and is
unchanged. The fields follow what the seven aspects of the Battery Pass data model v1.2
(:mod:`.batterypass`) require, named in kreislauf's way with the unit in the name or the
docstring; every field is one disclosure field (``battery.<name>``) whose default tier
comes from Art. 77(2) and Annex XIII (:data:`kreislauf.passport.tiers.DEFAULT_TIERS`).

Units: mass [kg], energy [kWh], capacity [Ah], voltage [V], power [W], resistance [Ω],
temperature [°C], durations [h], shares [%], carbon footprint [kg CO2e per kWh of the
total energy the battery provides over its expected service life] (Art. 7(1)).

References
----------
Regulation (EU) 2023/1542, Art. 7, 8, 13, 38, 52, 77, Annex VI Part A, Annex XIII.
Battery Pass data model v1.2.0 (``batterypass/BatteryPassDataModel``, CC BY 4.0), after
DIN DKE SPEC 99100:2025-02.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, model_validator

from kreislauf.passport.fields import Model, NonNegative, Percent, Text, Uri

Cas = Annotated[str, Field(pattern=r"^\d{2,7}-\d{2}-\d$")]
Email = Annotated[str, Field(pattern=r"^[\w.+-]+@[\w.-]+\.[A-Za-z]{2,}$", max_length=320)]
Component = Literal["pack", "module", "cell"]


class PostalAddress(Model):
    """A postal address as the Battery Pass aspects hold it (street with number, post
    code, country as a name or ISO 3166 code)."""

    street_address: Text
    postal_code: Annotated[str, Field(min_length=1, max_length=20)]
    country: Annotated[str, Field(min_length=2, max_length=100)]


class Operator(Model):
    """The economic operator placing the battery on the market (Annex VI Part A)."""

    name: Text
    address: PostalAddress
    identifier: Text
    email: Email | None = None
    web: Uri | None = None


class Chemistry(Model):
    """Battery chemistry (Annex XIII 1(b)): short name (``NMC``) and clear name."""

    short_name: Text
    clear_name: Text


class BatteryMaterial(Model):
    """A material of the battery's detailed composition (Annex XIII 2(a)).

    mass_kg : mass in one battery [kg]
    critical_raw_material : on the list of Regulation (EU) 2024/1252 Annex II
    component, component_id : where it is (cathode, anode, electrolyte …)
    """

    name: Text
    cas: Cas
    mass_kg: NonNegative
    critical_raw_material: bool
    component: Text
    component_id: Text | None = None


HazardClass = Literal["AcuteToxicity", "SkinCorrosionOrIrritation", "EyeDamageOrIrritation"]


class HazardousSubstance(Model):
    """A hazardous substance other than Hg, Cd, Pb (Annex XIII 1(b); Annex VI Part A).

    concentration_percent : [% w/w]; impacts : its effects on health and environment
    """

    name: Text
    cas: Cas
    hazard_class: HazardClass
    concentration_percent: Percent
    impacts: list[Text] = Field(default_factory=list)
    component: Text
    component_id: Text | None = None


CarbonStage = Literal["RawMaterialExtraction", "MainProduction", "Distribution", "Recycling"]


class StageCarbon(Model):
    """Carbon footprint of one life-cycle stage [kg CO2e per kWh] (Art. 7(1)(c))."""

    stage: CarbonStage
    kg_co2e_per_kwh: NonNegative


class BatteryCarbonFootprint(Model):
    """The battery carbon footprint of Art. 7(1) (Annex XIII 1(c)).

    kg_co2e_per_kwh : per kWh of total energy over the expected service life [kg CO2e/kWh]
    performance_class : the class of Art. 7(2) (as text; delegated act pending)
    study_url : the web link to the public study supporting the values (Art. 7(1)(e))
    """

    kg_co2e_per_kwh: NonNegative
    stages: list[StageCarbon] = Field(min_length=1)
    performance_class: Text
    study_url: Uri


class DueDiligence(Model):
    """Responsible sourcing (Annex XIII 1(d), Art. 52(3)): report, assurances, indices."""

    report_url: Uri
    third_party_assurances_url: Uri | None = None
    indices: NonNegative | None = None


class RecycledMaterial(Model):
    """Recycled content of one Art. 8 material [% of that material in the battery]."""

    material: Literal["Cobalt", "Lithium", "Nickel", "Lead"]
    pre_consumer_percent: Percent
    post_consumer_percent: Percent

    @model_validator(mode="after")
    def _at_most_all(self) -> RecycledMaterial:
        if self.pre_consumer_percent + self.post_consumer_percent > 100 + 1e-9:
            raise ValueError("pre_consumer_percent + post_consumer_percent exceed 100")
        return self


class PowerAtCharge(Model):
    """Power capability [W] at a state of charge [%]."""

    state_of_charge_percent: Percent
    power_w: NonNegative


class Resistance(Model):
    """Internal resistance [Ω] of the pack, a module or a cell (Annex XIII 1(o))."""

    component: Component
    ohm: NonNegative


class BatteryTechnical(Model):
    """Performance and durability of the battery model (Annex XIII 1(g)–(p), Annex IV).

    rated_capacity_ah [Ah]; rated_energy_kwh [kWh]; voltages [V]; powers [W];
    expected_lifetime_cycles [cycles] with ``lifetime_reference_test_url``;
    expected_lifetime_years [years]; c_rate, c_rate_life_cycle_test [1/h];
    percentages [%]; idle temperatures [°C] (the range it withstands when not in use)
    """

    rated_capacity_ah: NonNegative
    rated_energy_kwh: NonNegative
    nominal_voltage_v: NonNegative
    minimum_voltage_v: NonNegative
    maximum_voltage_v: NonNegative
    original_power_capability: list[PowerAtCharge] = Field(min_length=1)
    rated_maximum_power_w: NonNegative
    power_capability_ratio: NonNegative
    expected_lifetime_cycles: Annotated[int, Field(ge=0)]
    expected_lifetime_years: NonNegative
    lifetime_reference_test_url: Uri
    c_rate: NonNegative | None = None
    c_rate_life_cycle_test: NonNegative
    capacity_threshold_for_exhaustion_percent: Percent
    initial_self_discharge_percent: Percent
    round_trip_efficiency_percent: Percent
    round_trip_efficiency_at_50_percent_cycle_life_percent: Percent
    round_trip_efficiency_fade_percent: Percent
    power_fade_percent: Percent
    internal_resistance: list[Resistance] = Field(min_length=1)
    idle_temperature_min_c: float
    idle_temperature_max_c: float

    @model_validator(mode="after")
    def _ordered(self) -> BatteryTechnical:
        if not self.minimum_voltage_v <= self.nominal_voltage_v <= self.maximum_voltage_v:
            raise ValueError("expected minimum_voltage_v ≤ nominal_voltage_v ≤ maximum_voltage_v")
        if self.idle_temperature_min_c > self.idle_temperature_max_c:
            raise ValueError("idle_temperature_min_c is above idle_temperature_max_c")
        return self


class Reading(Model):
    """One value of the individual battery's condition and when it was last updated."""

    value: float
    updated: AwareDatetime


class TemperatureReading(Model):
    """Time spent in extreme temperatures [h], idle and while charging (Annex XIII 4(d))."""

    extreme_high_h: NonNegative
    extreme_low_h: NonNegative
    extreme_high_charging_h: NonNegative
    extreme_low_charging_h: NonNegative
    updated: AwareDatetime


class PowerReading(Model):
    """Remaining power capability [W] at a state of charge [%]."""

    state_of_charge_percent: Percent
    power_w: NonNegative
    updated: AwareDatetime


class ResistanceIncrease(Model):
    """Increase of internal resistance [%] of a component since placing on the market."""

    component: Component
    increase_percent: float
    updated: AwareDatetime


class NegativeEvent(Model):
    """A negative event (an accident, deep discharge …) of the individual battery."""

    event: Text
    updated: AwareDatetime


class BatteryCondition(Model):
    """State of health and use of the individual battery (Annex XIII 4(a), (b), (d);
    Annex VII Part A). Values: energy [kWh], capacity [Ah], cycles, shares [%]."""

    energy_throughput_kwh: Reading
    capacity_throughput_ah: Reading
    full_cycles: Reading
    state_of_certified_energy_percent: Reading
    capacity_fade_percent: Reading
    remaining_energy_kwh: Reading
    remaining_capacity_ah: Reading
    negative_events: list[NegativeEvent] = Field(default_factory=list)
    temperature: TemperatureReading
    remaining_power: PowerReading
    self_discharge_evolution_percent: Reading
    self_discharge_rate_percent: Reading
    internal_resistance_increase: list[ResistanceIncrease] = Field(min_length=1)
    remaining_round_trip_efficiency_percent: Reading
    state_of_charge_percent: Reading


LabelSubject = Literal[
    "SeparateCollection", "HazardousMaterial", "CarbonFootPrint", "ExtinguishingAgent"
]


class Label(Model):
    """A label or symbol on the battery (Art. 13; Annex XIII 1(q)); meaning per language."""

    subject: LabelSubject
    symbol_url: Uri
    meaning: dict[Annotated[str, Field(pattern=r"^[a-z]{2}$")], Text] = Field(min_length=1)


DocumentKind = Literal[
    "BillOfMaterial", "Model3D", "DismantlingManual", "RemovalManual", "OtherManual", "Drawing"
]


class DismantlingDocument(Model):
    """A dismantling or removal document (Annex XIII 2(c)): kind, media type, URL."""

    kind: DocumentKind
    media_type: Annotated[str, Field(pattern=r"^[\w.+-]+/[\w.+-]+$")]
    url: Uri


class SparePart(Model):
    """A spare part: name and part number (Annex XIII 2(b))."""

    name: Text
    number: Text


class SparePartSource(Model):
    """A source of spare parts with its contact details (Annex XIII 2(b))."""

    supplier: Text
    address: PostalAddress
    email: Email
    web: Uri
    parts: list[SparePart] = Field(min_length=1)


class SafetyMeasures(Model):
    """Safety measures (Annex XIII 2(d)) and usable extinguishing agents (Annex VI Part A)."""

    instructions_url: Uri
    extinguishing_agents: list[Text] = Field(min_length=1)


class WasteInformation(Model):
    """Prevention and management of waste batteries (Art. 60(1)(b)–(f); Annex XIII 1(s))."""

    waste_prevention_url: Uri
    separate_collection_url: Uri
    collection_information_url: Uri


class Battery(Model):
    """What a battery passport holds beyond the product passport (module docstring).

    product_identifier : the unique identifier of Art. 77(3) (ISO/IEC 15459)
    mass_kg : mass of the whole battery [kg]
    warranty_months : the period of the commercial warranty [months] (Annex XIII 1(m))
    operator : the economic operator, when it is not the manufacturer
    renewable_content_percent : share of renewable content [%] (Annex XIII 1(f))
    declaration_of_conformity_url : the EU declaration of conformity (Art. 18)
    test_reports_url : test reports proving compliance (Annex XIII 3)

    A list left out means "not entered" (its aspect is then not written); an empty list
    states that there is none (no hazardous substance, say).
    """

    category: Literal["lmt", "ev", "industrial", "stationary"]
    status: Literal["Original", "Repurposed", "Reused", "Remanufactured", "Waste"]
    product_identifier: Text
    mass_kg: NonNegative
    manufacturing_place: PostalAddress
    manufacturing_date: AwareDatetime
    putting_into_service: AwareDatetime | None = None
    warranty_months: Annotated[int, Field(ge=0)] | None = None
    operator: Operator | None = None
    chemistry: Chemistry | None = None
    materials: list[BatteryMaterial] | None = None
    hazardous_substances: list[HazardousSubstance] | None = None
    carbon_footprint: BatteryCarbonFootprint | None = None
    due_diligence: DueDiligence | None = None
    recycled_materials: list[RecycledMaterial] | None = None
    renewable_content_percent: Percent | None = None
    technical: BatteryTechnical | None = None
    condition: BatteryCondition | None = None
    labels: list[Label] | None = None
    declaration_of_conformity_url: Uri | None = None
    test_reports_url: Uri | None = None
    waste_information: WasteInformation | None = None
    spare_part_sources: list[SparePartSource] | None = None
    dismantling_documents: list[DismantlingDocument] | None = None
    safety_measures: SafetyMeasures | None = None
