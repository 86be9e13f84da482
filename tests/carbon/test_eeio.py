"""Input-output multipliers agree with pymrio on its shipped test MRIO."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from kreislauf.carbon.eeio import footprint, leontief_multipliers, multiplier_frame, spend_factors
from kreislauf.carbon.factors import FactorLibrary

pymrio = pytest.importorskip("pymrio")


@pytest.fixture(scope="module")
def test_mrio():
    mrio = pymrio.load_test()
    mrio.calc_all()
    return mrio


def max_relative_error(ours: np.ndarray, reference: np.ndarray) -> float:
    reference = np.asarray(reference, dtype=float)
    scale = np.where(reference == 0, 1.0, np.abs(reference))
    return float(np.max(np.abs(np.asarray(ours) - reference) / scale))


def test_multipliers_agree_with_pymrio_calc_all(test_mrio):
    ours = multiplier_frame(test_mrio.A, test_mrio.emissions.S)
    assert ours.shape == test_mrio.emissions.M.shape == (2, 48)
    assert max_relative_error(ours.to_numpy(), test_mrio.emissions.M.to_numpy()) < 1e-9
    pd.testing.assert_index_equal(ours.columns, test_mrio.emissions.M.columns)


def test_iterative_solver_agrees_with_pymrio(test_mrio):
    ours = leontief_multipliers(test_mrio.A, test_mrio.emissions.S, method="iterative")
    assert max_relative_error(ours, test_mrio.emissions.M.to_numpy()) < 1e-9


def test_factor_inputs_multipliers_and_footprint_agree(test_mrio):
    ext = test_mrio.factor_inputs
    m = leontief_multipliers(sparse.csr_matrix(test_mrio.A.to_numpy()), ext.S.to_numpy())
    assert max_relative_error(m, ext.M.to_numpy()) < 1e-9
    # consumption-based account of all final demand = Σ D_cba over sectors
    total = footprint(m, test_mrio.Y).sum(axis=1)
    assert max_relative_error(total, ext.D_cba.to_numpy().sum(axis=1)) < 1e-9


def test_leontief_by_hand():
    # two sectors, checked against the dense inverse
    a = np.array([[0.2, 0.1], [0.3, 0.4]])
    s = np.array([[1.0, 2.0]])
    expected = s @ np.linalg.inv(np.eye(2) - a)
    assert leontief_multipliers(a, s) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="columns"):
        leontief_multipliers(a, np.ones((1, 3)))


def test_spend_factors_become_library_factors(test_mrio):
    row = multiplier_frame(test_mrio.A, test_mrio.emissions.S).iloc[0]
    factors = spend_factors(
        row,
        key_prefix="spend",
        unit="kg CO2e / EUR",
        source="pymrio test MRIO (synthetic)",
        year=None,
        region="test",
    )
    library = FactorLibrary([], user=factors)
    factor = library.lookup("spend:reg1/food")
    assert factor.co2e_kg(10, "EUR") == pytest.approx(10 * row[("reg1", "food")])


def test_the_multipliers_alone_import_neither_pandas_nor_the_balance() -> None:
    """``kreislauf.carbon/__init__`` loads its names lazily (PEP 562), and ``eeio`` imports
    pandas and the factor library only inside the functions that need them."""
    import json
    import subprocess
    import sys

    watched = (
        "pandas",
        "pint",
        "kreislauf.tables",
        "kreislauf.units",
        "kreislauf.carbon.balance",
        "kreislauf.carbon.factors",
        "kreislauf.ledger",
    )
    probe = (
        "import json, sys\n"
        "from kreislauf.carbon.eeio import leontief_multipliers\n"
        "import numpy as np\n"
        "m = leontief_multipliers(np.array([[0.1, 0.2], [0.3, 0.1]]), np.array([[1.0, 2.0]]))\n"
        f"print(json.dumps([m.tolist(), [n for n in {watched!r} if n in sys.modules]]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    multipliers, loaded = json.loads(done.stdout)
    assert loaded == []
    expected = np.linalg.solve((np.eye(2) - np.array([[0.1, 0.2], [0.3, 0.1]])).T, [1.0, 2.0])
    assert multipliers[0] == pytest.approx(expected.tolist(), rel=1e-12)


def test_the_package_still_exports_every_name_on_first_use() -> None:
    import kreislauf.carbon as carbon

    assert carbon.leontief_multipliers is leontief_multipliers
    assert set(carbon.__all__) <= set(dir(carbon))
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = carbon.no_such_name  # type: ignore[attr-defined]
