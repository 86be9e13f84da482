"""Plain pymrio: ``IOSystem(A, Y)`` with one extension S, ``calc_all()``, then M.

    python benchmarks/compare/leontief_pymrio.py MRIO.npz OUT.npy

pymrio forms the dense Leontief inverse L and all accounts (Z, x, M, D); M = S L.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pymrio
from mrio_data import load_mrio


def multipliers(path: str) -> np.ndarray:
    a, s, y = load_mrio(path)
    regions = y.shape[1]
    sectors = a.shape[0] // regions
    names = [f"r{r}" for r in range(regions)]
    index = pd.MultiIndex.from_product(
        [names, [f"s{k}" for k in range(sectors)]], names=["region", "sector"]
    )
    columns = pd.MultiIndex.from_product([names, ["fd"]], names=["region", "category"])
    io = pymrio.IOSystem(
        A=pd.DataFrame(a.toarray(), index=index, columns=index),
        Y=pd.DataFrame(y, index=index, columns=columns),
    )
    stressors = pd.Index([f"g{k}" for k in range(s.shape[0])], name="stressor")
    io.ghg = pymrio.Extension(name="ghg", S=pd.DataFrame(s, index=stressors, columns=index))
    io.calc_all()
    return np.asarray(io.ghg.M.to_numpy(), dtype=float)


if __name__ == "__main__":
    np.save(sys.argv[2], multipliers(sys.argv[1]))
