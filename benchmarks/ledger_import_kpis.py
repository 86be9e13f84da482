"""Benchmark: import, validate and compute all KPIs ``--by site,period`` of a large CSV.

Target (issue 3): 1,000,000 rows in < 10 s and < 2 GB peak memory on a 2-core machine.

    .venv/bin/python benchmarks/ledger_import_kpis.py [--rows 1000000] [--profile]

The CSV is generated first (not timed); the measurement runs in a fresh process so the
peak resident memory (``ru_maxrss``) belongs to the import alone.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def measure(path: Path, profile: bool) -> None:
    from kreislauf.ledger import ledger_kpis, mfca_balance, read_ledger

    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    ledger = read_ledger(path)
    read = time.perf_counter()
    mfca = mfca_balance(ledger)
    table = ledger_kpis(ledger, by=("site", "period"), mfca=mfca)
    end = time.perf_counter()
    if profiler:
        profiler.disable()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows: {len(ledger.flows):,}")
    print(f"import + validate: {read - start:.2f} s")
    print(f"MFCA + KPIs by site,period: {end - read:.2f} s ({len(table.values):,} KPI values)")
    print(f"total: {end - start:.2f} s")
    print(f"peak memory (RSS): {peak_mb:,.0f} MB")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.profile)
        return
    from ledger_data import write_ledger_csv

    with tempfile.TemporaryDirectory() as tmp:
        path = write_ledger_csv(Path(tmp) / "ledger.csv", args.rows)
        print(f"CSV: {path.stat().st_size / 1e6:.0f} MB")
        command = [sys.executable, __file__, "--measure", str(path)]
        subprocess.run(command + (["--profile"] if args.profile else []), check=True)


if __name__ == "__main__":
    main()
