"""Carbon: GHG balance Scope 1-3, product carbon footprints and efficiency measures.

Pure Python on top of :mod:`kreislauf.ledger`: no web, no database. The reports, which
load matplotlib and the report renderer, are imported from their modules
(:mod:`kreislauf.carbon.balance_report`, :mod:`~kreislauf.carbon.pcf_report`,
:mod:`~kreislauf.carbon.measures_report`).

The public names are loaded on first use (PEP 562 ``__getattr__``), so importing one module
(``kreislauf.carbon.eeio`` for the Leontief multipliers) does not import the balance, the
table reader, pandas and the pint registry that the others need (docs/performance.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kreislauf.carbon.activities import Activity, read_activities
    from kreislauf.carbon.balance import BalanceLine, GhgBalance, YearTotals, ghg_balance
    from kreislauf.carbon.bom import Bom, BomOrder, bom_from_frame, bom_order, read_bom
    from kreislauf.carbon.economics import (
        capital_recovery_factor,
        marginal_abatement_cost,
        npv,
        simple_payback,
    )
    from kreislauf.carbon.eeio import footprint, leontief_multipliers, spend_factors
    from kreislauf.carbon.factors import Factor, FactorLibrary, library_factors, read_factors
    from kreislauf.carbon.measures import MeasureResult, MeasuresResult, evaluate_measures
    from kreislauf.carbon.measures_file import Measure, read_measures
    from kreislauf.carbon.pcf import PcfResult, centre_intensities, product_footprints
    from kreislauf.carbon.prices import PricePath, price_path, read_price_paths
    from kreislauf.carbon.uncertainty import ScopeUncertainty, scope_uncertainty

#: Public name -> the module that defines it.
_MODULE_OF: dict[str, str] = {
    "Activity": "kreislauf.carbon.activities",
    "BalanceLine": "kreislauf.carbon.balance",
    "Bom": "kreislauf.carbon.bom",
    "BomOrder": "kreislauf.carbon.bom",
    "Factor": "kreislauf.carbon.factors",
    "FactorLibrary": "kreislauf.carbon.factors",
    "GhgBalance": "kreislauf.carbon.balance",
    "Measure": "kreislauf.carbon.measures_file",
    "MeasureResult": "kreislauf.carbon.measures",
    "MeasuresResult": "kreislauf.carbon.measures",
    "PcfResult": "kreislauf.carbon.pcf",
    "PricePath": "kreislauf.carbon.prices",
    "ScopeUncertainty": "kreislauf.carbon.uncertainty",
    "YearTotals": "kreislauf.carbon.balance",
    "bom_from_frame": "kreislauf.carbon.bom",
    "bom_order": "kreislauf.carbon.bom",
    "capital_recovery_factor": "kreislauf.carbon.economics",
    "centre_intensities": "kreislauf.carbon.pcf",
    "evaluate_measures": "kreislauf.carbon.measures",
    "footprint": "kreislauf.carbon.eeio",
    "ghg_balance": "kreislauf.carbon.balance",
    "leontief_multipliers": "kreislauf.carbon.eeio",
    "library_factors": "kreislauf.carbon.factors",
    "marginal_abatement_cost": "kreislauf.carbon.economics",
    "npv": "kreislauf.carbon.economics",
    "price_path": "kreislauf.carbon.prices",
    "product_footprints": "kreislauf.carbon.pcf",
    "read_activities": "kreislauf.carbon.activities",
    "read_bom": "kreislauf.carbon.bom",
    "read_factors": "kreislauf.carbon.factors",
    "read_measures": "kreislauf.carbon.measures_file",
    "read_price_paths": "kreislauf.carbon.prices",
    "scope_uncertainty": "kreislauf.carbon.uncertainty",
    "simple_payback": "kreislauf.carbon.economics",
    "spend_factors": "kreislauf.carbon.eeio",
}
__all__ = [
    "Activity",
    "BalanceLine",
    "Bom",
    "BomOrder",
    "Factor",
    "FactorLibrary",
    "GhgBalance",
    "Measure",
    "MeasureResult",
    "MeasuresResult",
    "PcfResult",
    "PricePath",
    "ScopeUncertainty",
    "YearTotals",
    "bom_from_frame",
    "bom_order",
    "capital_recovery_factor",
    "centre_intensities",
    "evaluate_measures",
    "footprint",
    "ghg_balance",
    "leontief_multipliers",
    "library_factors",
    "marginal_abatement_cost",
    "npv",
    "price_path",
    "product_footprints",
    "read_activities",
    "read_bom",
    "read_factors",
    "read_measures",
    "read_price_paths",
    "scope_uncertainty",
    "simple_payback",
    "spend_factors",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
