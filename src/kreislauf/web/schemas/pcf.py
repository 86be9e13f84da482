"""Product carbon footprints as the API shows them."""

from __future__ import annotations

from pydantic import BaseModel


class StageOut(BaseModel):
    """One life-cycle stage: emissions [kg CO2e per product unit] and share of the PCF [%]."""

    stage: str
    kg_co2e: float | None
    share: float | None


class ComponentOut(BaseModel):
    """One item reachable from the product, emissions per product unit [kg CO2e].

    ``quantity`` per product unit in ``unit``; ``share`` of the PCF [%]; ``primary``: the
    emissions come from primary data (own centres, supplier-specific factors).
    """

    item: str
    level: int
    quantity: float | None
    unit: str
    raw_materials: float | None
    processing: float | None
    waste: float | None
    total: float | None
    share: float | None
    primary: bool
    factor_key: str
    factor_source: str
    recycled_share: float | None


class ProductOut(BaseModel):
    """The cradle-to-gate PCF of one product [kg CO2e per unit], mass [kg], primary-data
    share [%] (PACT Methodology v2)."""

    product: str
    pcf_kg_co2e: float | None
    primary_data_share: float | None
    mass_kg: float | None
    stages: list[StageOut]
    components: list[ComponentOut]


class PcfOut(BaseModel):
    """The PCF of every product of the stored BOM and the files it was computed from."""

    bom: str
    ledger: list[str]
    factor_files: list[str]
    products: list[ProductOut]
