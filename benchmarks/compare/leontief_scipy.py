"""Plain scipy: total multipliers M = S (I − A)⁻¹ with one sparse direct solve.

    python benchmarks/compare/leontief_scipy.py MRIO.npz OUT.npy

``spsolve((I − A)ᵀ, Sᵀ)ᵀ`` — what a data engineer who knows not to invert writes.
"""

from __future__ import annotations

import sys

import numpy as np
from mrio_data import load_mrio
from scipy import sparse
from scipy.sparse.linalg import spsolve


def multipliers(path: str) -> np.ndarray:
    a, s, _ = load_mrio(path)
    system = (sparse.identity(a.shape[0], format="csc") - a).T.tocsc()
    solution = spsolve(system, s.T)
    return np.atleast_2d(np.asarray(solution).T)


if __name__ == "__main__":
    np.save(sys.argv[2], multipliers(sys.argv[1]))
