"""Carbon: GHG balance Scope 1-3, product carbon footprints and efficiency measures.

Pure Python on top of :mod:`kreislauf.ledger`: no web, no database. The reports, which
load matplotlib and the report renderer, are imported from their modules
(:mod:`kreislauf.carbon.balance_report`, :mod:`~kreislauf.carbon.pcf_report`,
:mod:`~kreislauf.carbon.measures_report`).
"""

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
