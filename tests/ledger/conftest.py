"""Fixtures of the ledger tests."""

from __future__ import annotations

import pytest
from ledger_fixtures import TWO_CENTRES, make_ledger

from kreislauf.ledger import Ledger


@pytest.fixture
def two_centres() -> Ledger:
    return make_ledger(TWO_CENTRES)
