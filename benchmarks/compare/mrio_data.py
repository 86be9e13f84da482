"""Read and write the synthetic MRIO of ``benchmarks/carbon_mrio.py`` as one ``.npz``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import sparse


def save_mrio(path: Path, a: sparse.csc_matrix, s: np.ndarray, y: np.ndarray) -> Path:
    np.savez(
        path, a_data=a.data, a_indices=a.indices, a_indptr=a.indptr, a_shape=np.array(a.shape),
        s=s, y=y,
    )  # fmt: skip
    return path


def load_mrio(path: str | Path) -> tuple[sparse.csc_matrix, np.ndarray, np.ndarray]:
    data = np.load(path)
    a = sparse.csc_matrix(
        (data["a_data"], data["a_indices"], data["a_indptr"]), shape=tuple(data["a_shape"])
    )
    return a, data["s"], data["y"]
