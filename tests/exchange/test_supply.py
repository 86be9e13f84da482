"""Monthly supply per material and region from the platform's recurring offers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kreislauf.exchange import Listing
from kreislauf.exchange.supply import (
    REGION_RADIUS_KM,
    extended_series,
    monthly_supply,
    next_period,
    region_of,
    split_series_id,
)

LEIPZIG = (51.34, 12.37)
EARLY = datetime(2026, 1, 5, tzinfo=UTC)


def listing(listing_id: str, **fields: object) -> Listing:
    base: dict[str, object] = dict(
        id=listing_id, side="offer", company="C", material="PP", quantity_t=6,
        interval="month", price_eur_per_t=400, lat=LEIPZIG[0], lon=LEIPZIG[1],
    )  # fmt: skip
    return Listing.model_validate({**base, **fields})


def test_a_listing_lies_in_the_nearest_region_within_the_radius():
    assert region_of(*LEIPZIG) == "Leipzig"
    assert region_of(51.48, 11.97) == "Halle"
    assert region_of(51.05, 13.74) == "Dresden"
    # Berlin is about 150 km from Leipzig, farther than the radius from every centre
    assert REGION_RADIUS_KM < 150
    assert region_of(52.52, 13.40) is None


def test_series_ids_are_material_and_region():
    assert split_series_id("PE-HD-Leipzig") == ("pe-hd", "Leipzig")
    assert split_series_id("PP-halle") == ("pp", "Halle")
    assert split_series_id("PP-Berlin") is None
    assert split_series_id("-Leipzig") is None
    assert next_period("2026-12") == "2027-01" and next_period("2026-01") == "2026-02"


def test_recurring_offers_add_their_quantity_per_month():
    offers = [
        (listing("m"), EARLY),  # 6 t a month
        (listing("q", interval="quarter", quantity_t=9), EARLY),  # 3 t a month
        (listing("y", interval="year", quantity_t=24, material=" pp "), EARLY),  # 2 t a month
        (listing("d", lat=51.05, lon=13.74), EARLY),  # Dresden
        (listing("b", lat=52.52, lon=13.40), EARLY),  # Berlin: no region
        (listing("lot", interval="once", quantity_t=100), EARLY),  # a lot: not a stream
        (listing("r", side="request", price_eur_per_t=None), EARLY),  # demand, not supply
        (listing("PE", material="PE-LD"), EARLY),
    ]
    supply = monthly_supply(offers, "2026-03")
    assert supply == {
        ("pp", "Leipzig"): pytest.approx(11.0),
        ("pp", "Dresden"): pytest.approx(6.0),
        ("pe-ld", "Leipzig"): pytest.approx(6.0),
    }


def test_an_offer_counts_only_while_valid_and_once_published():
    offers = [
        (listing("late"), datetime(2026, 3, 31, 23, 0, tzinfo=UTC)),  # in March, counts
        (listing("april"), datetime(2026, 4, 1, 0, 5, tzinfo=UTC)),  # published after March
        (listing("ended", valid_to="2026-02-28"), EARLY),
        (listing("starts", valid_from="2026-04-01"), EARLY),
        (listing("last-day", valid_from="2026-03-31", quantity_t=1), EARLY),
        (listing("first-day", valid_to="2026-03-01", quantity_t=2), EARLY),
    ]
    assert monthly_supply(offers, "2026-03") == {("pp", "Leipzig"): pytest.approx(9.0)}


def test_a_series_is_extended_by_every_ended_month():
    offers = [(listing("m"), EARLY), (listing("n", valid_from="2026-11-01", quantity_t=1), EARLY)]
    periods, quantities = extended_series(
        ["2026-08", "2026-09"], [4.0, 5.0], series_id="PP-Leipzig", offers=offers,
        until="2026-11", stored_in="2026-10",
    )  # fmt: skip
    assert periods == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert quantities == pytest.approx([4.0, 5.0, 6.0, 7.0])
    same = extended_series(
        ["2026-11"],
        [4.0],
        series_id="PP-Leipzig",
        offers=offers,
        until="2026-11",
        stored_in="2026-10",
    )
    assert same == (["2026-11"], [4.0])
    other = extended_series(
        ["2026-08"],
        [4.0],
        series_id="upload-7",
        offers=offers,
        until="2026-11",
        stored_in="2026-09",
    )
    assert other == (["2026-08"], [4.0])
    nothing = extended_series(
        ["2026-09"],
        [4.0],
        series_id="PS-Halle",
        offers=offers,
        until="2026-10",
        stored_in="2026-10",
    )
    assert nothing == (["2026-09", "2026-10"], [4.0, 0.0])
    # stored in November with a history ending in August: September is a gap
    gap = extended_series(
        ["2026-08"], [4.0], series_id="PP-Leipzig", offers=offers, until="2026-11",
        stored_in="2026-11",
    )  # fmt: skip
    assert gap == (["2026-08"], [4.0])
