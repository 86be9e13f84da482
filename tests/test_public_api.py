"""Each domain's ``__init__`` exports its public names with ``__all__``."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    ("domain", "names"),
    [
        ("survey", ("read_responses", "read_questionnaire", "analyze_responses", "SurveyResults")),
        ("ledger", ("read_ledger", "read_mapping", "mfca_balance", "ledger_kpis", "Ledger")),
        ("carbon", ("read_factors", "read_bom", "ghg_balance", "product_footprints")),
        ("passport", ("read_passport", "passport_from_pcf", "disclose", "save_version")),
        ("exchange", ("read_listings", "listing_levels", "default_rules", "read_history")),
    ],
)
def test_domain_exports_its_public_functions(domain: str, names: tuple[str, ...]) -> None:
    package = importlib.import_module(f"kreislauf.{domain}")
    assert set(names) <= set(package.__all__)
    for name in package.__all__:
        assert hasattr(package, name), name
        assert not name.startswith("_")
