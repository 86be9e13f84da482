"""The synthetic exchange example: reproducible, readable, and it matches."""

from __future__ import annotations

import runpy
from pathlib import Path

from kreislauf.exchange import (
    default_rules,
    listing_levels,
    match_listings,
    read_history,
    read_listings,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "exchange-network"


def test_the_generator_writes_exactly_the_committed_files(tmp_path):
    runpy.run_path(str(EXAMPLE / "generate.py"))["main"](tmp_path)
    for name in ("listings.csv", "history.csv"):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


def test_the_example_is_labelled_synthetic():
    for name in ("listings.csv", "history.csv", "README.md"):
        assert "SYNTHETIC" in (EXAMPLE / name).read_text(encoding="utf-8").splitlines()[0]


def test_the_example_listings_have_every_level_and_match():
    listings = read_listings(EXAMPLE / "listings.csv")
    assert (
        sum(x.side == "offer" for x in listings),
        sum(x.side == "request" for x in listings),
    ) == (40, 30)
    levels = {
        x.dql for x in listing_levels(listings, default_rules()).listings if x.side == "offer"
    }
    assert levels == {1, 2, 3, 4}
    result = match_listings(listings)
    assert result.total_t > 0 and len(result.matches) > 5


def test_the_example_history_has_five_years_per_series():
    history = read_history(EXAMPLE / "history.csv")
    sizes = history.groupby("unique_id").size()
    assert len(sizes) == 24 and set(sizes) == {60}
