"""The resource ledger: material, energy, water and waste flows, KPIs, MFCA and Sankey."""

from kreislauf.ledger.io import read_ledger, read_ledgers
from kreislauf.ledger.kpis import KPI_DEFINITIONS, KpiDefinition, KpiTable, KpiValue, ledger_kpis
from kreislauf.ledger.mapping import Mapping, apply_mapping, read_mapping
from kreislauf.ledger.mfca import (
    Allocation,
    BalanceWarning,
    CentreCost,
    MfcaResult,
    MfcaTotal,
    mfca_balance,
    transfer_order,
)
from kreislauf.ledger.models import FLOW_KINDS, FlowKind, Ledger
from kreislauf.ledger.validate import build_ledger, merge_ledgers, row_identity

__all__ = [
    "FLOW_KINDS",
    "KPI_DEFINITIONS",
    "Allocation",
    "BalanceWarning",
    "CentreCost",
    "FlowKind",
    "KpiDefinition",
    "KpiTable",
    "KpiValue",
    "Ledger",
    "Mapping",
    "MfcaResult",
    "MfcaTotal",
    "apply_mapping",
    "build_ledger",
    "ledger_kpis",
    "merge_ledgers",
    "mfca_balance",
    "read_ledger",
    "read_ledgers",
    "read_mapping",
    "row_identity",
    "transfer_order",
]
