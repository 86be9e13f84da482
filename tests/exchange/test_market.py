"""Offer search and price statistics with the disclosure rules."""

from __future__ import annotations

import numpy as np
import pytest

from kreislauf.exchange import Listing, default_rules
from kreislauf.exchange.market import price_statistics, search_offers

RULES = default_rules()


def offer(listing_id: str, company: str, price: float, **fields: object) -> Listing:
    base: dict[str, object] = dict(
        id=listing_id,
        side="offer",
        company=company,
        material="PP",
        quantity_t=10,
        interval="once",
        price_eur_per_t=price,
        lat=51.34,
        lon=12.37,
    )
    return Listing.model_validate({**base, **fields})


def test_prices_are_published_only_from_five_companies_on():
    four = [offer(f"o{i}", f"C{i}", 400 + 10 * i) for i in range(4)]
    (group,) = price_statistics(four).groups
    assert (group.companies, group.suppressed, group.median_eur_per_t) == (
        4,
        "too_few_companies",
        None,
    )
    five = [*four, offer("o4", "C4", 440)]
    (group,) = price_statistics(five).groups
    assert group.suppressed is None
    assert group.median_eur_per_t == pytest.approx(420.0)
    assert (group.p25_eur_per_t, group.p75_eur_per_t) == pytest.approx((410.0, 430.0))


def test_each_company_counts_once_with_its_mean_price():
    listings = [offer(f"o{i}", f"C{i}", 400.0) for i in range(5)]
    listings += [offer("x1", "C0", 800.0, quantity_t=1), offer("x2", "c0", 1200.0, quantity_t=1)]
    (group,) = price_statistics(listings).groups
    assert group.companies == 5
    expected = np.percentile([800.0, 400, 400, 400, 400], [25, 50, 75])
    assert [group.p25_eur_per_t, group.median_eur_per_t, group.p75_eur_per_t] == pytest.approx(
        expected
    )


def test_a_company_with_most_of_the_tonnage_suppresses_the_group():
    listings = [offer(f"o{i}", f"C{i}", 400.0) for i in range(5)]
    listings.append(offer("big", "C0", 400.0, quantity_t=50))
    (group,) = price_statistics(listings).groups
    assert group.suppressed == "dominant_company" and group.median_eur_per_t is None


def test_search_filters_by_material_level_quantity_and_distance():
    level_2 = frozenset(RULES.required_up_to(2))
    listings = [
        offer("near", "A", 400, elements=level_2),
        offer("far", "B", 400, elements=level_2, lat=53.55, lon=9.99),
        offer("low", "C", 400),
        offer("small", "D", 400, elements=level_2, quantity_t=1),
        offer("pe", "E", 400, elements=level_2, material="PE"),
        Listing(
            id="req",
            side="request",
            company="F",
            material="PP",
            quantity_t=5,
            interval="once",
            price_eur_per_t=None,
            lat=51.34,
            lon=12.37,
        ),
    ]
    hits = search_offers(
        listings, rules=RULES, material="pp", min_dql=2, min_quantity_t=5, near=(51.05, 13.74)
    )
    assert [h.id for h in hits] == ["near", "far"]
    assert hits[0].distance_km == pytest.approx(100.8, abs=0.5)
    close = search_offers(
        listings, rules=RULES, material="PP", near=(51.05, 13.74), max_distance_km=150
    )
    assert {h.id for h in close} == {"near", "low", "small"}
    assert search_offers(listings, rules=RULES, max_distance_km=10) == []
