"""kreislauf: read + validate BOM, factors and ledger, then ``product_footprints``.

    python benchmarks/compare/pcf_kreislauf.py BOM.csv FACTORS.csv LEDGER.csv OUT.json

Writes ``{product: raw-material stage [kg CO2e]}`` — the figure the plain scripts compute —
after the full rollup (three stages, primary share, component breakdown).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def footprints(bom_path: str, factor_path: str, ledger_path: str) -> dict[str, float]:
    from kreislauf.carbon.bom import read_bom
    from kreislauf.carbon.factors import read_factors
    from kreislauf.carbon.pcf import product_footprints
    from kreislauf.ledger import read_ledger

    results = product_footprints(
        read_bom(Path(bom_path)), read_ledger(Path(ledger_path)), read_factors(Path(factor_path))
    )
    return {r.product: r.stages["raw_materials"] for r in results}


if __name__ == "__main__":
    Path(sys.argv[4]).write_text(json.dumps(footprints(*sys.argv[1:4])), encoding="utf-8")
