"""Small ledgers built in memory, row by row as a user would type them (shared by the tests)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kreislauf.cli import main
from kreislauf.ledger import Ledger, build_ledger, ledger_kpis
from kreislauf.ledger.models import CANONICAL_COLUMNS

EXAMPLE = Path(__file__).parents[2] / "examples" / "demo-company"


def make_ledger(rows: list[dict[str, object]], *, source: str = "test.csv") -> Ledger:
    frame = pd.DataFrame([{c: row.get(c) for c in CANONICAL_COLUMNS} for row in rows])
    return build_ledger(frame, source=source)


def assert_same_kpis(got: Ledger, expected: Ledger) -> None:
    """Every KPI of ``got`` equals ``expected``'s, whole and by site and period."""
    for by in [(), ("site", "period")]:
        want = ledger_kpis(expected, by=by).values  # type: ignore[arg-type]
        have = ledger_kpis(got, by=by).values  # type: ignore[arg-type]
        assert [(v.id, v.site, v.period) for v in have] == [(v.id, v.site, v.period) for v in want]
        for a, b in zip(have, want, strict=True):
            assert a.value == pytest.approx(b.value, rel=1e-9, nan_ok=True), a.id


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame([{c: row.get(c, "") for c in CANONICAL_COLUMNS} for row in rows]).to_csv(
        path, index=False
    )
    return path


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str, str]:
    """Run ``kreislauf ARGS`` through the real entry point: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


P = "2024-01"
#: Two quantity centres with a transfer, mixed units (t/kg, MWh/kWh); worked by hand in
#: test_mfca.py and test_kpis.py.
TWO_CENTRES: list[dict[str, object]] = [
    # A: Spritzguss
    dict(
        period=P,
        site="L",
        centre="A",
        flow="material_in",
        material="PP",
        category="raw",
        quantity=2,
        unit="t",
        cost_eur=4000,
        recycled_share=0.25,
    ),
    dict(
        period=P,
        site="L",
        centre="A",
        flow="material_in",
        material="MB",
        category="auxiliary",
        quantity=500,
        unit="kg",
        cost_eur=1000,
    ),
    dict(
        period=P,
        site="L",
        centre="A",
        flow="energy_in",
        category="electricity",
        quantity=1,
        unit="MWh",
        cost_eur=200,
    ),
    dict(
        period=P,
        site="L",
        centre="A",
        flow="energy_in",
        category="natural_gas",
        quantity=500,
        unit="kWh",
        cost_eur=100,
    ),
    dict(period=P, site="L", centre="A", flow="system_cost", cost_eur=700),
    dict(period=P, site="L", centre="A", flow="waste_cost", cost_eur=150),
    dict(period=P, site="L", centre="A", flow="transfer", quantity=2000, unit="kg", to_centre="B"),
    dict(
        period=P,
        site="L",
        centre="A",
        flow="waste_out",
        quantity=0.4,
        unit="t",
        treatment="recycling",
    ),
    dict(period=P, site="L", centre="A", flow="stock_change", quantity=100, unit="kg"),
    # B: Montage
    dict(
        period=P,
        site="L",
        centre="B",
        flow="material_in",
        material="Schrauben",
        category="auxiliary",
        quantity=0.5,
        unit="t",
        cost_eur=1500,
    ),
    dict(
        period=P,
        site="L",
        centre="B",
        flow="energy_in",
        category="electricity",
        quantity=2,
        unit="MWh",
        cost_eur=400,
    ),
    dict(period=P, site="L", centre="B", flow="system_cost", cost_eur=1000),
    dict(
        period=P, site="L", centre="B", flow="product_out", material="Modul", quantity=2.3, unit="t"
    ),
    dict(
        period=P,
        site="L",
        centre="B",
        flow="waste_out",
        quantity=150,
        unit="kg",
        treatment="disposal",
        cost_eur=30,
    ),
    dict(period=P, site="L", centre="B", flow="water_in", quantity=23000, unit="l"),
]
