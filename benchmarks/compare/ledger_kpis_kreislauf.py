"""kreislauf's Python API: read + validate the ledger, MFCA, all KPIs by site and period.

    python benchmarks/compare/ledger_kpis_kreislauf.py LEDGER.csv OUT.json

Writes the same ``{"site|period|kpi": value}`` shape as the plain scripts, all nine KPIs
(the plain scripts have the eight that are sums; ``material_loss_cost_eur`` needs the MFCA).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path


def kpis(path: str) -> dict[str, float | None]:
    from kreislauf.ledger import ledger_kpis, read_ledger

    table = ledger_kpis(read_ledger(Path(path)), by=("site", "period"))
    return {
        f"{v.site}|{v.period}|{v.id}": None if math.isnan(v.value) else v.value
        for v in table.values
    }


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(json.dumps(kpis(sys.argv[1])), encoding="utf-8")
