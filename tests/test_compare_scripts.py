"""The plain scripts of ``benchmarks/compare/`` still compute kreislauf's figures (issue 21).

Tiny generated inputs; only the scripts whose libraries the ``test`` extra installs
(pandas, scipy, pymrio). The polars, DuckDB and networkx scripts are checked by the runner
itself (``benchmarks/compare/run.py`` stops when a script disagrees). Not timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

COMPARE = Path(__file__).resolve().parents[1] / "benchmarks" / "compare"


@pytest.fixture(autouse=True)
def _compare_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(COMPARE))
    monkeypatch.syspath_prepend(str(COMPARE.parent))


def test_pandas_ledger_kpis_agree_with_kreislauf(tmp_path: Path) -> None:
    import check
    import data
    import ledger_kpis_kreislauf
    import ledger_kpis_pandas

    path = data.ledger_csv(tmp_path, 3000)
    ours = ledger_kpis_kreislauf.kpis(str(path))
    theirs = ledger_kpis_pandas.kpis(str(path))
    groups = {key.rsplit("|", 1)[0] for key in ours}
    assert len(groups) == 10 * 36  # every site and period of the generator
    assert len(theirs) == 8 * len(groups)  # the eight sum-based KPIs
    assert len(ours) == 9 * len(groups)  # plus the MFCA loss cost
    assert check.difference(ours, theirs) <= check.RTOL
    # the check can fail: one figure off by 1e-5 relative, or undefined on one side only
    key = next(k for k, v in theirs.items() if v)
    value = theirs[key]
    assert value is not None
    assert check.difference(ours, {**theirs, key: value * (1 + 1e-5)}) > check.RTOL
    assert check.difference(ours, {**theirs, key: None}) == float("inf")


def test_scipy_and_pymrio_multipliers_agree_with_kreislauf(tmp_path: Path) -> None:
    import check
    import data
    import leontief_kreislauf
    import leontief_pymrio
    import leontief_scipy

    path = data.mrio_npz(tmp_path, 3, 40)
    ours = leontief_kreislauf.multipliers(str(path))
    assert ours.shape == (10, 120)
    for script in (leontief_scipy, leontief_pymrio):
        assert check.array_difference(ours, script.multipliers(str(path))) <= 1e-9
    for method in ("lu", "iterative"):
        assert (
            check.array_difference(leontief_kreislauf.multipliers(str(path), method), ours) <= 1e-9
        )
    assert check.array_difference(ours, ours * (1 + 1e-6)) > 1e-9


def test_scipy_pcf_agrees_with_kreislauf(tmp_path: Path) -> None:
    import check
    import data
    import pcf_kreislauf
    import pcf_scipy

    bom, factors, ledger = data.pcf_inputs(tmp_path, 2000)
    ours = pcf_kreislauf.footprints(str(bom), str(factors), str(ledger))
    theirs = pcf_scipy.footprints(str(bom), str(factors))
    assert list(theirs) == ["I0"]
    assert theirs["I0"] > 0
    assert check.difference(dict(ours), dict(theirs)) <= check.RTOL


def test_bench_libraries_are_only_in_the_scripts_named_after_them() -> None:
    # so the scripts checked above import nothing beyond the test extra
    text = (COMPARE.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    bench = text.split("bench = [", 1)[1].split("]", 1)[0]
    for library in ("polars", "duckdb", "networkx"):
        assert f'"{library}>=' in bench
        users = [s.name for s in COMPARE.glob("*.py") if f"import {library}" in s.read_text()]
        assert users == [f"{script}_{library}.py" for script in USERS[library]]


USERS = {"polars": ["ledger_kpis"], "duckdb": ["ledger_kpis"], "networkx": ["pcf"]}
