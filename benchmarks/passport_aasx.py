"""Benchmark: export of 10,000 passports to AASX (issue 17, "Performance").

    .venv/bin/python benchmarks/passport_aasx.py [--count 10000] [--tier public]

Builds the demo company's TM-200 passport once (BOM, ledger, PCF), then makes ``--count``
passports from it that differ in id and serial number (as one passport per item would),
and times, in one process on one core: the disclosure and the AASX package of each
(``kreislauf.passport.formats.export``, BaSyx writer: shell, IDTA 02099-1 DppMetadata,
IDTA 02023 CarbonFootprint and the ProductPassport submodel), writing each package to
a file in a temporary folder. Prints passports per second, the median and p99 time of one
export, the process's CPU time (the machine may be shared) and the total bytes written.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--tier", default="public")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.passport.passport_fixtures import demo_passport

    from kreislauf.passport import Tier
    from kreislauf.passport.formats import export

    base = demo_passport()
    tier = Tier(args.tier)
    items = [
        base.model_copy(
            update={
                "id": uuid.uuid4(),
                "identification": base.identification.model_copy(update={"serial": f"S{n:08d}"}),
            }
        )
        for n in range(args.count)
    ]
    times: list[float] = []
    size = 0
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        started = time.perf_counter()
        cpu = time.process_time()
        for passport in items:
            start = time.perf_counter()
            data = export(passport, tier=tier, form="aasx")
            (out / f"{passport.id}.aasx").write_bytes(data)
            times.append(time.perf_counter() - start)
            size += len(data)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu
    times.sort()
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    print(f"passports: {args.count}, tier: {tier.value}")
    print(f"total: {total:.1f} s wall, {cpu:.1f} s CPU of this process")
    rate, per_cpu = args.count / total, args.count / cpu
    print(f"throughput: {rate:.1f} passports/s wall, {per_cpu:.1f} per CPU-s")
    print(f"one export: median {1000 * statistics.median(times):.1f} ms, p99 {1000 * p99:.1f} ms")
    print(f"written: {size / 1e6:.1f} MB ({size / args.count / 1e3:.1f} kB per package)")


if __name__ == "__main__":
    main()
