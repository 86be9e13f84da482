"""Generated inputs of the compare jobs (fixed seeds), written to a folder.

Reuses the generators of the other benchmarks: ``ledger_data.write_ledger_csv``,
``carbon_mrio.synthetic_mrio`` and ``carbon_pcf.bom_frame`` / ``factor_csv``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from carbon_mrio import synthetic_mrio
from carbon_pcf import bom_frame, factor_csv, ledger_rows
from ledger_data import write_ledger_csv
from mrio_data import save_mrio

LEDGER_COLUMNS = (
    "period", "site", "centre", "flow", "material", "category", "quantity", "unit",
    "cost_eur", "recycled_share", "treatment", "to_centre", "note",
)  # fmt: skip


def ledger_csv(folder: Path, rows: int) -> Path:
    return write_ledger_csv(folder / f"ledger-{rows}.csv", rows)


def mrio_npz(folder: Path, regions: int, sectors: int) -> Path:
    return save_mrio(folder / f"mrio-{regions}x{sectors}.npz", *synthetic_mrio(regions, sectors))


def pcf_inputs(folder: Path, nodes: int) -> tuple[Path, Path, Path]:
    """BOM, factor and ledger CSVs; the ledger's materials match no factor key, so the
    recycled shares come from the BOM alone (as in the plain scripts)."""
    bom = folder / f"bom-{nodes}.csv"
    bom_frame(nodes).to_csv(bom, index=False)
    factors = folder / "pcf-factors.csv"
    factors.write_text(factor_csv(), encoding="utf-8")
    ledger = pd.DataFrame([{c: r.get(c, "") for c in LEDGER_COLUMNS} for r in ledger_rows()])
    ledger["material"] = ledger["material"].map(lambda m: f"resin-{m}" if m else m)
    path = folder / "pcf-ledger.csv"
    ledger.to_csv(path, index=False)
    return bom, factors, path
