"""The vectorised ledger engine (issue 21) gives exactly what the per-row code gave.

On generated ledgers the new :func:`~kreislauf.ledger.validate._check_transfers`,
:func:`~kreislauf.ledger.validate.row_identity`, :func:`~kreislauf.ledger.mfca_balance` and
the KPIs' sums (``kreislauf.ledger.kpis._sums``) are compared with the old code kept in
``oracle_engine.py``: the same problems (position, class, every message parameter, the
English and German text), the same row hashes and occurrences, and the same MFCA figures
and KPI sums bit for bit.
"""

from __future__ import annotations

import numpy as np
import oracle_engine as old
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kreislauf.errors import InvalidLedger
from kreislauf.ledger import Allocation, build_ledger, mfca_balance, row_identity
from kreislauf.ledger.kpis import _sums
from kreislauf.ledger.models import CANONICAL_COLUMNS
from kreislauf.ledger.validate import _check_transfers, _labels, _Problems

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Transfer cells, valid or not: blank and padded sites, a site literally named "nan",
# targets that are no centre (anywhere, or only at another site), blank targets.
_SITES = ["Werk 1", "Werk 2", " Werk 1", "nan", None, ""]
_CENTRES = ["A", "B", "C", "nan", None]
_TARGETS = ["A", "B", "C", "D", "nan", None, " ", "a"]


@st.composite
def transfer_tables(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 40))
    cell = st.sampled_from
    return pd.DataFrame(
        {
            "site": draw(st.lists(cell(_SITES), min_size=n, max_size=n)),
            "centre": draw(st.lists(cell(_CENTRES), min_size=n, max_size=n)),
            "flow": draw(
                st.lists(cell(["transfer", "transfer", "material_in"]), min_size=n, max_size=n)
            ),
            "to_centre": draw(st.lists(cell(_TARGETS), min_size=n, max_size=n)),
        }
    )


def _found(problems: _Problems) -> list[tuple[object, ...]]:
    return [
        (position, type(p).__name__, p.params, p.message("en"), p.message("de"))
        for position, p in problems.found
    ]


@SETTINGS
@given(transfer_tables())
def test_transfer_checks_find_the_same_problems_as_the_per_row_code(cells: pd.DataFrame) -> None:
    table = {column: _labels(cells[column]) for column in ("site", "centre", "to_centre")}
    transfers = (cells["flow"] == "transfer").to_numpy()
    rows = np.arange(2, 2 + len(cells))
    new, reference = _Problems("t.csv", rows), _Problems("t.csv", rows)
    _check_transfers(table, transfers, new)
    old.check_transfers(table, transfers, reference)
    assert new.total == reference.total
    assert _found(new) == _found(reference)


def test_the_transfer_oracle_comparison_can_fail() -> None:
    """A target that the new code would wrongly accept shows up as a difference."""
    cells = pd.DataFrame(
        {"site": ["W", "W"], "centre": ["A", "B"], "flow": ["transfer"] * 2,
         "to_centre": ["B", "Z"]}
    )  # fmt: skip
    table = {column: _labels(cells[column]) for column in ("site", "centre", "to_centre")}
    reference = _Problems("t.csv", np.arange(2, 4))
    old.check_transfers(table, np.array([True, True]), reference)
    nothing = _Problems("t.csv", np.arange(2, 4))
    assert reference.total == 1 and _found(nothing) != _found(reference)
    assert "Z" in reference.found[0][1].message("en")


# Valid ledgers: transfers go to a later centre of the same site, so there is no cycle.
_FLOWS = {
    "material_in": {"unit": ["kg", "t"], "category": ["raw", "packaging"]},
    "product_out": {"unit": ["kg", "t"]},
    "byproduct_out": {"unit": ["kg"]},
    "waste_out": {"unit": ["kg", "t"], "treatment": ["recycling", "disposal"]},
    "stock_change": {"unit": ["kg"]},
    "energy_in": {"unit": ["kWh", "MWh"], "category": ["electricity", "natural_gas"]},
    "water_in": {"unit": ["m3", "l"]},
    "system_cost": {},
    "waste_cost": {},
    "transfer": {"unit": ["kg", "t"]},
}


def _floats(top: float) -> st.SearchStrategy[float]:
    return st.floats(0, top, allow_subnormal=False)


@st.composite
def ledgers(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 60))
    periods = draw(st.sampled_from([["2024-01", "2024-02", "2024-03"], ["2023", "2024"]]))
    rows = []
    for _ in range(n):
        site = draw(st.sampled_from(["Werk 1", "Werk 2"]))
        centre = draw(st.integers(0, 3))
        flow = draw(st.sampled_from(sorted(_FLOWS)))
        spec = _FLOWS[flow]
        quantity = draw(st.sampled_from([0.5, 1.0, 2.0, 1000.0]) | _floats(1e4))
        if flow == "stock_change":
            quantity = draw(st.sampled_from([quantity, -quantity]))
        row: dict[str, object] = {
            "period": draw(st.sampled_from(periods)),
            "site": site,
            "centre": f"C{centre}",
            "flow": flow,
            "material": draw(st.sampled_from(["steel", "PP", None])),
            "quantity": None if flow in ("system_cost", "waste_cost") else quantity,
            "cost_eur": draw(st.sampled_from([None, 0.0, 10.0, 123.45]) | _floats(1e5)),
            "note": draw(st.sampled_from([None, "x"])),
        }
        if flow in ("system_cost", "waste_cost") and row["cost_eur"] is None:
            row["cost_eur"] = 1.0
        for column in ("unit", "category", "treatment"):
            if column in spec:
                row[column] = draw(st.sampled_from(spec[column]))
        if flow == "material_in":
            row["recycled_share"] = draw(st.sampled_from([None, 0.0, 0.25, 1.0]))
        if flow == "transfer":
            target = draw(st.integers(centre + 1, 4))
            row["to_centre"] = f"C{target}"
            rows.append({**row, "flow": "product_out", "centre": f"C{target}", "to_centre": None})
        rows.append(row)
    if draw(st.booleans()):  # exact copies: occurrence 1, 2, ...
        rows += draw(st.lists(st.sampled_from(rows), max_size=5))
    return pd.DataFrame([{c: r.get(c) for c in CANONICAL_COLUMNS} for r in rows])


@SETTINGS
@given(ledgers())
def test_row_identity_is_the_per_row_codes(frame: pd.DataFrame) -> None:
    ledger = build_ledger(frame, source="g.csv")
    hashes, occurrence = row_identity(ledger.flows)
    want_hashes, want_occurrence = old.row_identity(ledger.flows)
    assert np.array_equal(hashes, want_hashes)
    assert np.array_equal(occurrence, want_occurrence)
    assert np.array_equal(ledger.flows["occurrence"].to_numpy(), want_occurrence)


@SETTINGS
@given(ledgers(), st.sampled_from(["loss", "product"]), st.sampled_from(["mass", 0.3]))
def test_mfca_is_the_per_row_codes_bit_for_bit(
    frame: pd.DataFrame, byproducts: str, material: object
) -> None:
    ledger = build_ledger(frame, source="g.csv")
    allocation = Allocation(byproducts=byproducts, material=material)  # type: ignore[arg-type]
    new = mfca_balance(ledger, allocation=allocation)
    want = old.mfca_balance(ledger, allocation=allocation)
    pd.testing.assert_frame_equal(new.detail, want.detail, check_exact=True)
    assert new.centres == want.centres
    assert new.warnings == want.warnings
    assert new.total == want.total or (
        np.isnan(new.total.loss_share) and np.isnan(want.total.loss_share)
    )


@SETTINGS
@given(ledgers(), st.sampled_from([(), ("site",), ("period",), ("site", "period")]))
def test_kpi_sums_are_the_old_codes_bit_for_bit(frame: pd.DataFrame, by: tuple[str, ...]) -> None:
    ledger = build_ledger(frame, source="g.csv")
    new = _sums(ledger, by)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(new, old.sums(ledger, by), check_exact=True)
    assert len(new) >= 1


def test_the_kpi_sums_comparison_can_fail() -> None:
    """A ledger whose recycling share changed gives other sums (the check is not empty)."""
    frame = pd.DataFrame(
        [
            {"period": "2024-01", "site": "W", "centre": "A", "flow": "material_in",
             "material": "PP", "quantity": 2.0, "unit": "t", "category": "raw",
             "recycled_share": 0.5},
            {"period": "2024-01", "site": "W", "centre": "A", "flow": "waste_out",
             "material": "PP", "quantity": 1.0, "unit": "kg", "treatment": "recycling"},
        ]
    ).reindex(columns=list(CANONICAL_COLUMNS))  # fmt: skip
    ledger = build_ledger(frame, source="g.csv")
    changed = build_ledger(frame.assign(recycled_share=[0.25, None]), source="g.csv")
    new = _sums(ledger, ("site",))
    assert new.loc["W", "recycled_kg"] == 1000.0 and new.loc["W", "waste_recycled_kg"] == 1.0
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(new, old.sums(changed, ("site",)), check_exact=True)


@settings(max_examples=10, deadline=None)
@given(ledgers())
def test_generated_ledgers_are_valid(frame: pd.DataFrame) -> None:
    """The generator's ledgers pass validation (else the properties above would test
    nothing); the same with a transfer to a missing centre does not."""
    assert len(build_ledger(frame, source="g.csv").flows) == len(frame)
    bad = frame.copy()
    bad.loc[0, ["flow", "to_centre", "unit", "quantity"]] = ["transfer", "nowhere", "kg", 1.0]
    with pytest.raises(InvalidLedger, match="nowhere"):
        build_ledger(bad, source="g.csv")
