"""Benchmark: MFCA on 200 quantity centres × 36 periods (target < 2 s, issue 3).

    .venv/bin/python benchmarks/ledger_mfca.py [--rows 200000]

10 sites with a transfer chain of 20 centres each; the ledger is built in memory (not
timed), then ``mfca_balance`` is timed alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    from ledger_data import ledger_frame

    from kreislauf.ledger import build_ledger, mfca_balance

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    frame = ledger_frame(args.rows).replace("", None)
    ledger = build_ledger(frame, source="synthetic")
    start = time.perf_counter()
    result = mfca_balance(ledger)
    elapsed = time.perf_counter() - start
    centres = result.detail[["site", "centre"]].drop_duplicates()
    periods = result.detail["period"].nunique()
    print(f"rows: {len(ledger.flows):,}; centres: {len(centres)}; periods: {periods}")
    print(f"mfca_balance: {elapsed:.2f} s ({len(result.detail):,} centre-periods)")


if __name__ == "__main__":
    main()
