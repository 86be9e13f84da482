"""What a resource ledger holds: flow kinds, their units, and the validated flow table.

A :class:`Ledger` is one table of flows, one row per flow, already validated and converted
to base units. Every computation (:mod:`~kreislauf.ledger.kpis`,
:mod:`~kreislauf.ledger.mfca`, :mod:`~kreislauf.ledger.sankey`) reads it and never
changes it.

Base units inside the table: mass [kg], energy [kWh], water [m³], money [EUR].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import pandas as pd

FlowKind = Literal[
    "material_in",
    "transfer",
    "product_out",
    "byproduct_out",
    "waste_out",
    "energy_in",
    "water_in",
    "water_out",
    "system_cost",
    "waste_cost",
    "stock_change",
]
FLOW_KINDS: tuple[FlowKind, ...] = get_args(FlowKind)

Dimension = Literal["mass", "energy", "volume"]

#: The physical dimension of each flow kind's quantity; cost-only flows have none.
FLOW_DIMENSION: dict[str, Dimension | None] = {
    "material_in": "mass",
    "transfer": "mass",
    "product_out": "mass",
    "byproduct_out": "mass",
    "waste_out": "mass",
    "stock_change": "mass",
    "energy_in": "energy",
    "water_in": "volume",
    "water_out": "volume",
    "system_cost": None,
    "waste_cost": None,
}

#: The base unit per dimension, as the units registry spells it, and as shown to users.
BASE_UNIT: dict[Dimension, str] = {"mass": "kg", "energy": "kWh", "volume": "m**3"}
UNIT_EXAMPLES: dict[Dimension, str] = {
    "mass": "kg, t",
    "energy": "kWh, MWh, GJ",
    "volume": "m3, l",
}

Treatment = Literal["recycling", "energy_recovery", "disposal"]
TREATMENTS: tuple[Treatment, ...] = get_args(Treatment)

MATERIAL_CATEGORIES = ("raw", "auxiliary", "operating", "packaging")
ENERGY_CARRIERS = (
    "electricity",
    "natural_gas",
    "heating_oil",
    "diesel",
    "district_heat",
    "own_pv",
)
#: Flow kinds whose ``category`` must be one of a fixed set.
CATEGORY_CHOICES: dict[str, tuple[str, ...]] = {
    "material_in": MATERIAL_CATEGORIES,
    "energy_in": ENERGY_CARRIERS,
}

#: The canonical columns, in file order; ``REQUIRED_COLUMNS`` must be present.
CANONICAL_COLUMNS = (
    "period",
    "site",
    "centre",
    "flow",
    "material",
    "category",
    "quantity",
    "unit",
    "cost_eur",
    "recycled_share",
    "treatment",
    "to_centre",
    "note",
    "waste_code",
)
REQUIRED_COLUMNS = ("period", "site", "centre", "flow", "quantity", "unit")
NUMERIC_COLUMNS = ("quantity", "cost_eur", "recycled_share")
LABEL_COLUMNS = tuple(c for c in CANONICAL_COLUMNS if c not in NUMERIC_COLUMNS)

#: Columns of :attr:`Ledger.flows`. ``amount`` is the quantity in the base unit of the
#: flow's dimension (NaN for cost-only flows); ``row_hash`` and ``occurrence`` are the
#: row identity (see :func:`kreislauf.ledger.validate.row_identity`).
FLOW_TABLE_COLUMNS = (
    *LABEL_COLUMNS,
    "quantity",
    "amount",
    "cost_eur",
    "recycled_share",
    "source",
    "row",
    "row_hash",
    "occurrence",
)


@dataclass(frozen=True)
class Ledger:
    """A validated resource ledger.

    flows : one row per flow with the columns :data:`FLOW_TABLE_COLUMNS`. Label columns are
        categorical (``period`` as ``YYYY`` or ``YYYY-MM``); ``amount`` [kg | kWh | m³ by
        flow kind]; ``cost_eur`` [EUR] (0 when blank); ``recycled_share`` [-] (0 when
        blank); ``source`` and ``row`` say where the flow was read (row as in the file,
        header = row 1).
    sources : the files the ledger was read from, in order.
    duplicates_removed : rows dropped as already present when ledgers were merged.
    """

    flows: pd.DataFrame
    sources: tuple[str, ...]
    duplicates_removed: int = 0

    @property
    def sites(self) -> list[str]:
        return sorted(self.flows["site"].dropna().unique().tolist())

    @property
    def periods(self) -> list[str]:
        return sorted(self.flows["period"].dropna().unique().tolist())

    @property
    def centres(self) -> list[tuple[str, str]]:
        """``(site, centre)`` pairs, sorted."""
        pairs = self.flows[["site", "centre"]].drop_duplicates()
        return sorted(zip(pairs["site"].astype(str), pairs["centre"].astype(str), strict=True))
