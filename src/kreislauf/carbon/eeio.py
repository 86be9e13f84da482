"""Environmentally-extended input-output (EEIO) multipliers for spend-based balance lines.

For an input-output table with technical coefficients ``A`` [EUR/EUR] (n × n) and stressor
coefficients ``S`` [kg/EUR] (k stressors × n sectors), the total (direct + upstream)
multipliers are ``M = S (I − A)⁻¹`` [kg/EUR]. The Leontief inverse is never formed; only
the k rows of M that a spend-based Scope 3 line needs are solved from ``(I − A)ᵀ Mᵀ = Sᵀ``:

- ``method="lu"``: one sparse LU factorization (SuperLU, :func:`scipy.sparse.linalg.splu`)
  and k triangular solves; exact, best for small and mid-sized tables.
- ``method="iterative"``: GMRES (:func:`scipy.sparse.linalg.gmres`) per stressor, started
  from the first Neumann term ``S``; each step costs one sparse product with ``Aᵀ``. For
  EXIOBASE-sized tables (≈9,800 sectors) the LU factors fill in (measured: 90 million
  non-zeros, 3 minutes), while GMRES needs seconds. For a productive economy (column sums of
  A < 1) ``cond₁(I − A) ≤ (1 + ‖A‖₁)/(1 − ‖A‖₁)``, so a relative residual of 1e-12 bounds
  the relative error near 1e-11.
- ``method="auto"``: GMRES, except for tables of at most 400 sectors, where the LU wins
  (:func:`choose_method`). Measured (``benchmarks/carbon_solver_choice.py``, docs/carbon.md):
  the LU's cost grows with its fill-in, from 0.05 s at 200 sectors to 1.0 s at 1,000 and
  14 s at 3,000 (synthetic MRIO structure), or 1.1–1.3 s at 1,000 and 5.1 s at 2,000
  (single-region tables of 5–30 % density), while GMRES stays at 0.1–0.35 s from 500 to
  3,000 sectors; the two cross between 300 and 500 sectors whatever the density.

Benchmark against pymrio's dense ``calc_all``: ``benchmarks/carbon_mrio.py``; figures in
``docs/carbon.md``.

References
----------
Miller, R. E., Blair, P. D. (2009) Input-Output Analysis, 2nd ed., ch. 2 and 10 (EEIO);
Stadler, K. (2021) Pymrio — A Python Based Multi-Regional Input-Output Analysis Toolbox,
Journal of Open Research Software 9(1), doi:10.5334/jors.251 (``calc_all``: M = S L).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.linalg import gmres, splu

if TYPE_CHECKING:
    # pandas and the factor library (pint, the table reader) only where a function needs
    # them: the multipliers alone import numpy and scipy (docs/performance.md)
    import pandas as pd

    from kreislauf.carbon.factors import Factor

#: Largest table for which ``method="auto"`` uses the sparse LU (measured crossover).
LU_MAX_SECTORS = 400
MatrixLike: TypeAlias = "np.ndarray | sparse.spmatrix | sparse.sparray | pd.DataFrame"


def _is_frame(matrix: object) -> bool:
    """Whether ``matrix`` is a pandas DataFrame (none can exist before pandas is imported)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(matrix, pandas.DataFrame)


def _sparse(matrix: MatrixLike) -> sparse.csc_matrix:
    values = matrix.to_numpy() if _is_frame(matrix) else matrix  # type: ignore[union-attr]
    return sparse.csc_matrix(values, dtype=np.float64)


def _dense(matrix: MatrixLike) -> npt.NDArray[Any]:
    if _is_frame(matrix):
        frame: npt.NDArray[Any] = matrix.to_numpy()  # type: ignore[union-attr]
        return frame
    if sparse.issparse(matrix):
        # scipy-stubs declare spmatrix and sparray as mixins without toarray(); every
        # concrete sparse class (csc_matrix, coo_array, ...) has it
        dense: npt.NDArray[Any] = matrix.toarray()  # type: ignore[union-attr,operator]
        return dense
    return np.asarray(matrix)


def choose_method(a: MatrixLike) -> Literal["lu", "iterative"]:
    """The solver ``method="auto"`` uses for ``a``: ``lu`` up to :data:`LU_MAX_SECTORS`
    sectors, else ``iterative`` (GMRES), from the measured cost (module docstring)."""
    n = _sparse(a).shape[0]
    return "lu" if n <= LU_MAX_SECTORS else "iterative"


def leontief_multipliers(
    a: MatrixLike,
    s: MatrixLike,
    *,
    method: Literal["auto", "lu", "iterative"] = "auto",
    rtol: float = 1e-12,
) -> npt.NDArray[np.float64]:
    """Total multipliers ``M = S (I − A)⁻¹`` [stressor unit per monetary unit], shape (k, n).

    a : technical coefficients (n × n) [-]; s : stressor coefficients (k × n).
    method : see the module docstring; rtol : relative residual of the iterative solver.

    Raises ``RuntimeError`` when ``I − A`` is singular (LU) or GMRES does not converge.
    """
    coefficients = _sparse(a)
    n = coefficients.shape[0]
    if coefficients.shape != (n, n):
        raise ValueError(f"A must be square, got {coefficients.shape}")
    stressors = np.atleast_2d(_dense(s).astype(np.float64))
    if stressors.shape[1] != n:
        raise ValueError(f"S must have {n} columns, got {stressors.shape[1]}")
    system = (sparse.identity(n, format="csc") - coefficients).T.tocsc()
    if method == "auto":
        method = choose_method(coefficients)
    if method == "lu":
        return splu(system).solve(np.ascontiguousarray(stressors.T)).T
    result = np.empty_like(stressors)
    for row, rhs in enumerate(stressors):
        if not rhs.any():
            result[row] = 0.0
            continue
        solution, info = gmres(system, rhs, x0=rhs.copy(), rtol=rtol, atol=0.0, restart=50)
        if info != 0:
            raise RuntimeError(f"GMRES did not converge for stressor {row} (info={info})")
        result[row] = solution
    return result


def multiplier_frame(a: pd.DataFrame, s: pd.DataFrame, **options: Any) -> pd.DataFrame:
    """:func:`leontief_multipliers` with the labels of ``s`` (stressors × sectors)."""
    import pandas as pd

    return pd.DataFrame(leontief_multipliers(a, s, **options), index=s.index, columns=s.columns)


def footprint(
    multipliers: npt.NDArray[np.float64], final_demand: MatrixLike
) -> npt.NDArray[np.float64]:
    """Consumption-based accounts ``D = M Y`` (k × demand columns) [stressor unit]."""
    accounts: npt.NDArray[np.float64] = multipliers @ _dense(final_demand)
    return accounts


def spend_factors(
    multipliers: pd.Series,
    *,
    key_prefix: str,
    unit: str,
    source: str,
    year: int | None,
    region: str,
    category: str = "1",
    quality: int = 4,
    licence: str = "",
) -> list[Factor]:
    """Spend-based Scope 3 factors ``<key_prefix>:<sector>`` from one row of M.

    multipliers : one stressor's multipliers per sector, already in ``unit`` (e.g.
        ``kg CO2e / EUR``); the caller converts the table's currency and mass units.
    """
    from kreislauf.carbon.factors import Factor

    labels: Iterable[object] = multipliers.index
    return [
        Factor(
            key=f"{key_prefix}:{_label(label)}",
            value=float(value),
            unit=unit,
            scope=3,
            category=category,
            source=source,
            year=year,
            region=region,
            gwp="as the IO table",
            quality=quality,
            licence=licence,
            note="spend-based EEIO multiplier (direct + upstream)",
            origin="user",
        )
        for label, value in zip(labels, multipliers.to_numpy(), strict=True)
    ]


def _label(label: object) -> str:
    parts = label if isinstance(label, tuple) else (label,)
    return "/".join(str(part) for part in parts)
