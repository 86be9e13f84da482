"""Product carbon footprints as the API shows them.

Numbers follow the rule of :mod:`kreislauf.results`: a model holds the domain's values,
its JSON rounds them to 6 decimals (:data:`~kreislauf.results.Number`) and writes
``null`` for a value that is missing or not finite.
"""

from __future__ import annotations

from pydantic import BaseModel

from kreislauf.results import Number


class StageOut(BaseModel):
    """One life-cycle stage: emissions [kg CO2e per product unit] and share of the PCF [%]."""

    stage: str
    kg_co2e: Number | None
    share: Number | None


class ComponentOut(BaseModel):
    """One item reachable from the product, emissions per product unit [kg CO2e].

    ``quantity`` per product unit in ``unit``; ``share`` of the PCF [%]; ``primary``: the
    emissions come from primary data (own centres, supplier-specific factors).
    """

    item: str
    level: int
    quantity: Number | None
    unit: str
    raw_materials: Number | None
    processing: Number | None
    waste: Number | None
    total: Number | None
    share: Number | None
    primary: bool
    factor_key: str
    factor_source: str
    recycled_share: Number | None


class ProductOut(BaseModel):
    """The cradle-to-gate PCF of one product [kg CO2e per unit], mass [kg], primary-data
    share [%] (PACT Methodology v2)."""

    product: str
    pcf_kg_co2e: Number | None
    primary_data_share: Number | None
    mass_kg: Number | None
    stages: list[StageOut]
    components: list[ComponentOut]


class PcfOut(BaseModel):
    """The PCF of every product of the stored BOM and the files it was computed from."""

    bom: str
    ledger: list[str]
    factor_files: list[str]
    products: list[ProductOut]
