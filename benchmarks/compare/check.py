"""Equality checks between kreislauf's figures and a plain script's.

Tolerance: relative 1.5e-6 (the issue's), plus 1e-6 absolute for figures that went through
kreislauf's JSON (``Number`` fields are rounded to 6 decimals).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

RTOL = 1.5e-6
ATOL = 1e-6


def cli_kpis(path: Path) -> dict[str, float | None]:
    """``kreislauf ledger kpis --json`` as ``{"site|period|kpi": value}``."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return {f"{k['site']}|{k['period']}|{k['id']}": k["value"] for k in document["kpis"]}


def difference(ours: dict[str, float | None], theirs: dict[str, float | None]) -> float:
    """Largest relative difference over the keys of ``theirs``, relative to
    ``max(|theirs|, ATOL / RTOL)`` so that figures near 0 are held to ``ATOL``; agreement
    is ``difference(...) <= RTOL``. inf if a key of ``theirs`` is missing in ``ours`` or one
    side is undefined where the other is not; ``ours`` may hold more keys (kreislauf's
    MFCA KPI)."""
    worst = 0.0
    for key, expected in theirs.items():
        if key not in ours:
            return math.inf
        actual = ours[key]
        if expected is None or actual is None:
            if expected is not actual:
                return math.inf
            continue
        worst = max(worst, abs(actual - expected) / max(abs(expected), ATOL / RTOL))
    return worst


def array_difference(ours: np.ndarray, theirs: np.ndarray) -> float:
    """Largest relative difference of two arrays of equal shape (inf if shapes differ)."""
    if ours.shape != theirs.shape:
        return math.inf
    scale = np.maximum(np.abs(theirs), np.finfo(float).tiny)
    return float(np.max(np.abs(ours - theirs) / scale)) if ours.size else 0.0


def read_json(path: Path) -> dict[str, float | None]:
    data: dict[str, float | None] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data
