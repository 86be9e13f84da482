"""Deprecated alias of :meth:`kreislauf.carbon.balance.GhgBalance.to_dict`.

The JSON form of a balance is :class:`~kreislauf.carbon.balance.GhgBalanceJson`; this name
stays only while ``web/api/carbon.py`` imports it (issue 12, phase 2 moves the web layer
to ``GhgBalance.to_json()``; delete this module then).
"""

from __future__ import annotations

from typing import Any

from kreislauf.carbon.balance import GhgBalance

__all__ = ["balance_json"]


def balance_json(result: GhgBalance) -> dict[str, Any]:
    """``result.to_dict()``: the JSON of ``kreislauf carbon balance --json``."""
    return result.to_dict()
