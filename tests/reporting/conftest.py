"""The demo company's inputs, read once per test session (they take a few seconds)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from kreislauf.carbon import Activity, GhgBalance
from kreislauf.ledger import Ledger

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-company"
LEDGER = DEMO / "ledger.csv"
FACTORS = [DEMO / "carbon" / "product-factors.csv", DEMO / "carbon" / "factors.csv"]
ACTIVITIES = DEMO / "carbon" / "activities.csv"
ANSWERS = DEMO / "reporting" / "answers.yaml"
YEAR = "2024"


@dataclass(frozen=True)
class Demo:
    ledger: Ledger
    balance: GhgBalance
    activities: list[Activity]


@pytest.fixture(scope="session")
def demo() -> Demo:
    from kreislauf.carbon import ghg_balance, read_activities, read_factors
    from kreislauf.ledger import read_ledgers

    ledger = read_ledgers([LEDGER])
    activities = read_activities(ACTIVITIES)
    balance = ghg_balance(ledger, read_factors(FACTORS), activities=activities)
    return Demo(ledger, balance, activities)


def ledger_rows(year: str = YEAR) -> list[tuple[int, dict[str, str]]]:
    """The demo ledger's rows of ``year`` read with the csv module alone (row 1 = header),
    an oracle independent of kreislauf's table reader."""
    with LEDGER.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [(n, row) for n, row in enumerate(rows, start=2) if row["period"].startswith(year)]


def scaled(row: dict[str, str]) -> float:
    """A row's quantity in t, MWh or m³ (the demo uses t, MWh, m3 only)."""
    assert row["unit"] in ("t", "MWh", "m3"), row["unit"]
    return float(row["quantity"])
