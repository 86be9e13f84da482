"""EEIO multipliers at EXIOBASE size: kreislauf's solver vs pymrio ``calc_all``.

A synthetic MRIO with 49 regions × 200 sectors = 9,800 sectors (EXIOBASE 3 pxp size):
domestic blocks 10 % dense, import blocks 0.5 % dense (≈ 0.68 % of all cells non-zero),
column sums of A drawn from U(0.3, 0.7) (a productive economy), 10 stressors, one final
demand column per region. The matrices are written once to a temporary ``.npz``; each
solver then runs in its own fresh process, which reports its wall time for loading +
computing and its peak resident memory (``resource.getrusage(...).ru_maxrss``).

- kreislauf: ``leontief_multipliers(A, S, method=…)`` (``auto`` = GMRES at this size;
  ``--method lu`` times the sparse LU) — the k rows of M = S (I − A)⁻¹ a spend-based
  balance needs.
- pymrio: ``IOSystem(A=…, Y=…)`` with one extension (S), ``calc_all()`` — dense Leontief
  inverse, Z, x, M and all accounts.

Run: ``.venv/bin/python benchmarks/carbon_mrio.py [--regions 49 --sectors 200] [--method lu]
[--skip-pymrio]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy import sparse

STRESSORS = 10


def synthetic_mrio(regions: int, sectors: int, seed: int = 1) -> tuple[sparse.csc_matrix, ...]:
    rng = np.random.default_rng(seed)
    n = regions * sectors
    rows, cols = [], []
    for r in range(regions):
        for c in range(regions):
            density = 0.10 if r == c else 0.005
            count = int(sectors * sectors * density)
            rows.append(rng.integers(0, sectors, count) + r * sectors)
            cols.append(rng.integers(0, sectors, count) + c * sectors)
    row, col = np.concatenate(rows), np.concatenate(cols)
    a = sparse.csc_matrix((rng.random(row.size), (row, col)), shape=(n, n))
    a.sum_duplicates()
    column_sums = np.asarray(a.sum(axis=0)).ravel()
    column_sums[column_sums == 0] = 1.0  # empty columns (tiny test sizes) stay empty
    a = (a @ sparse.diags(rng.uniform(0.3, 0.7, n) / column_sums)).tocsc()
    s = rng.random((STRESSORS, n))
    y = np.zeros((n, regions))
    for r in range(regions):
        y[:, r] = rng.random(n) * (1.0 + 4.0 * (np.arange(n) // sectors == r))
    return a, s, y


WORKERS = {
    "kreislauf": """
import resource, sys, time
import numpy as np
from scipy import sparse
start = time.perf_counter()
from kreislauf.carbon.eeio import leontief_multipliers
data = np.load(sys.argv[1])
a = sparse.csc_matrix(
    (data["a_data"], data["a_indices"], data["a_indptr"]), shape=tuple(data["a_shape"])
)
m = leontief_multipliers(a, data["s"], method=sys.argv[3])
seconds = time.perf_counter() - start
np.save(sys.argv[2], m)
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""",
    "pymrio": """
import resource, sys, time
import numpy as np
import pandas as pd
from scipy import sparse
start = time.perf_counter()
import pymrio
data = np.load(sys.argv[1])
a = sparse.csc_matrix(
    (data["a_data"], data["a_indices"], data["a_indptr"]), shape=tuple(data["a_shape"])
)
regions = data["y"].shape[1]
n = a.shape[0]
sectors = n // regions
names = [f"r{r}" for r in range(regions)]
index = pd.MultiIndex.from_product(
    [names, [f"s{s}" for s in range(sectors)]], names=["region", "sector"]
)
y_cols = pd.MultiIndex.from_product([names, ["fd"]], names=["region", "category"])
io = pymrio.IOSystem(
    A=pd.DataFrame(a.toarray(), index=index, columns=index),
    Y=pd.DataFrame(data["y"], index=index, columns=y_cols),
)
stressors = pd.Index([f"g{k}" for k in range(data["s"].shape[0])], name="stressor")
io.ghg = pymrio.Extension(name="ghg", S=pd.DataFrame(data["s"], index=stressors, columns=index))
io.calc_all()
seconds = time.perf_counter() - start
np.save(sys.argv[2], io.ghg.M.to_numpy())
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""",
}


def run(name: str, data: Path, out: Path, method: str) -> tuple[float, float]:
    result = subprocess.run(
        [sys.executable, "-c", WORKERS[name], str(data), str(out), method],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, rss_kib = result.stdout.split()[-2:]
    return float(seconds), float(rss_kib) / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=49)
    parser.add_argument("--sectors", type=int, default=200)
    parser.add_argument("--method", choices=("auto", "lu", "iterative"), default="auto")
    parser.add_argument("--skip-pymrio", action="store_true", help="time kreislauf only")
    args = parser.parse_args()
    a, s, y = synthetic_mrio(args.regions, args.sectors)
    n = a.shape[0]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "mrio.npz"
        np.savez(
            data,
            a_data=a.data,
            a_indices=a.indices,
            a_indptr=a.indptr,
            a_shape=np.array(a.shape),
            s=s,
            y=y,
        )
        figures = {}
        names = ("kreislauf",) if args.skip_pymrio else ("kreislauf", "pymrio")
        for name in names:
            figures[name] = run(name, data, Path(folder) / f"{name}.npy", args.method)
        if args.skip_pymrio:
            seconds, peak = figures["kreislauf"]
            print(
                json.dumps(
                    {
                        "sectors": n,
                        "method": args.method,
                        "kreislauf_s": round(seconds, 2),
                        "kreislauf_peak_mb": round(peak),
                    },
                    indent=2,
                )
            )
            return
        ours, theirs = (np.load(Path(folder) / f"{k}.npy") for k in ("kreislauf", "pymrio"))
    difference = float(np.max(np.abs(ours - theirs) / np.abs(theirs)))
    report = {
        "method": args.method,
        "sectors": n,
        "nonzeros_A": int(a.nnz),
        "density_A": a.nnz / n / n,
        "stressors": STRESSORS,
        "kreislauf_s": round(figures["kreislauf"][0], 2),
        "kreislauf_peak_mb": round(figures["kreislauf"][1]),
        "pymrio_s": round(figures["pymrio"][0], 2),
        "pymrio_peak_mb": round(figures["pymrio"][1]),
        "speedup": round(figures["pymrio"][0] / figures["kreislauf"][0], 1),
        "memory_ratio": round(figures["pymrio"][1] / figures["kreislauf"][1], 1),
        "max_relative_difference_M": difference,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
