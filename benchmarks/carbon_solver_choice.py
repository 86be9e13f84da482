"""Measured cost of the two multiplier solvers, to set ``method="auto"`` (issue 21, scope 4).

    .venv/bin/python benchmarks/carbon_solver_choice.py [--repeat 3]

For synthetic tables of ``benchmarks/carbon_mrio.py``'s structure (regions × 200 sectors,
domestic blocks 10 % dense, imports 0.5 %) and for single-region tables of 100–2,000
sectors at 5–30 % density, times ``leontief_multipliers(A, S, method=…)`` for ``lu`` and
``iterative`` (GMRES), best of ``--repeat`` in one process, and what ``auto`` picks. Also
prints the largest relative difference between the two solutions.
"""

from __future__ import annotations

import argparse
import time
from functools import partial

import numpy as np
from carbon_mrio import synthetic_mrio
from scipy import sparse


def single_region(
    sectors: int, density: float, seed: int = 2
) -> tuple[sparse.csc_matrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = sparse.random(sectors, sectors, density=density, format="csc", random_state=rng)
    sums = np.asarray(a.sum(axis=0)).ravel()
    sums[sums == 0] = 1.0
    a = (a @ sparse.diags(rng.uniform(0.3, 0.7, sectors) / sums)).tocsc()
    return a, rng.random((10, sectors))


def best(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    from kreislauf.carbon.eeio import choose_method, leontief_multipliers

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = [(f"MRIO {r}×200", *synthetic_mrio(r, 200)[:2]) for r in (1, 2, 5, 10, 15)]
    cases += [
        (f"1 region {n}, {int(d * 100)} %", *single_region(n, d))
        for n, d in ((100, 0.3), (300, 0.3), (500, 0.3), (1000, 0.05), (1000, 0.3), (2000, 0.1))
    ]
    print("| table | sectors | density | LU [s] | GMRES [s] | auto picks | max rel. diff |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for name, a, s in cases:
        n = a.shape[0]
        lu = best(partial(leontief_multipliers, a, s, method="lu"), args.repeat)
        it = best(partial(leontief_multipliers, a, s, method="iterative"), args.repeat)
        x = leontief_multipliers(a, s, method="lu")
        y = leontief_multipliers(a, s, method="iterative")
        diff = float(np.max(np.abs(x - y) / np.abs(x)))
        print(
            f"| {name} | {n:,} | {a.nnz / n / n:.3f} | {lu:.3f} | {it:.3f} | "
            f"{choose_method(a)} | {diff:.1e} |"
        )


if __name__ == "__main__":
    main()
