"""kreislauf: ``leontief_multipliers(A, S)`` (``method="auto"``) on the same ``.npz``.

python benchmarks/compare/leontief_kreislauf.py MRIO.npz OUT.npy [auto|lu|iterative]
"""

from __future__ import annotations

import sys

import numpy as np
from mrio_data import load_mrio


def multipliers(path: str, method: str = "auto") -> np.ndarray:
    from kreislauf.carbon.eeio import leontief_multipliers

    a, s, _ = load_mrio(path)
    return leontief_multipliers(a, s, method=method)  # type: ignore[arg-type]


if __name__ == "__main__":
    np.save(sys.argv[2], multipliers(sys.argv[1], *sys.argv[3:4]))
