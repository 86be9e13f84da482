"""The resource ledger: material, energy, water and waste flows, KPIs, MFCA and Sankey.

The mapping names (:class:`Mapping`, :func:`read_mapping`, :func:`apply_mapping`) are loaded
on first use (PEP 562 ``__getattr__``): reading a canonical ledger needs no mapping, and the
mapping module's schema and YAML reading are not imported for it (docs/performance.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kreislauf.ledger.io import read_ledger, read_ledgers
from kreislauf.ledger.kpis import KPI_DEFINITIONS, KpiDefinition, KpiTable, KpiValue, ledger_kpis
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

if TYPE_CHECKING:
    from kreislauf.ledger.mapping import Mapping, apply_mapping, read_mapping

_LAZY = ("Mapping", "apply_mapping", "read_mapping")

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


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("kreislauf.ledger.mapping"), name)
    globals()[name] = value
    return value
