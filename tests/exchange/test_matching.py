"""Matching: optimal against networkx, every arc restriction, lots split."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kreislauf.exchange import Listing, default_rules
from kreislauf.exchange.matching import (
    CENTS_PER_EUR,
    EARTH_RADIUS_KM,
    KG_PER_T,
    candidate_arcs,
    haversine_km,
    match_listings,
)
from tests.exchange.matching_market import market_arcs, networkx_optimum, random_market

RULES = default_rules()
LEVEL_2 = frozenset(RULES.required_up_to(2))
LEIPZIG = (51.3397, 12.3731)


def offer(listing_id: str, **fields: object) -> Listing:
    base: dict[str, object] = dict(
        id=listing_id,
        side="offer",
        company=f"C-{listing_id}",
        material="PP",
        quantity_t=10,
        interval="once",
        price_eur_per_t=400.0,
        lat=LEIPZIG[0],
        lon=LEIPZIG[1],
        elements=LEVEL_2,
    )
    return Listing.model_validate({**base, **fields})


def request(listing_id: str, **fields: object) -> Listing:
    return offer(listing_id, side="request", price_eur_per_t=None, elements=frozenset(), **fields)


def test_haversine_one_degree_of_the_equator_and_a_known_city_pair():
    assert haversine_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360)
    # Leipzig - Dresden city centres, about 100 km as the crow flies
    assert float(haversine_km(*LEIPZIG, 51.0504, 13.7373)) == pytest.approx(100.0, abs=1.5)
    assert float(haversine_km(10.0, 20.0, 10.0, 20.0)) == 0.0


def test_a_lot_is_split_across_two_buyers_and_cost_adds_up():
    listings = [
        offer("o1", quantity_t=10),
        request("r1", quantity_t=6, lat=51.0504, lon=13.7373),
        request("r2", quantity_t=4, lat=LEIPZIG[0], lon=LEIPZIG[1] + 0.5),
    ]
    result = match_listings(listings, transport_eur_per_tkm=0.2)
    split = {(m.offer, m.request): m for m in result.matches}
    assert {k: v.quantity_t for k, v in split.items()} == {("o1", "r1"): 6.0, ("o1", "r2"): 4.0}
    r1 = split[("o1", "r1")]
    assert r1.cost_eur == pytest.approx(6 * (400 + r1.distance_km * 0.2))
    assert r1.goods_eur + r1.transport_eur == pytest.approx(r1.cost_eur)
    assert r1.co2e_kg == pytest.approx(6 * r1.distance_km * 0.10163)
    assert result.total_t == 10.0 and result.unmatched == []


def test_one_request_is_served_by_several_offers_cheapest_first():
    listings = [
        offer("cheap", quantity_t=3, price_eur_per_t=300.0),
        offer("dear", quantity_t=5, price_eur_per_t=500.0),
        request("r1", quantity_t=6),
    ]
    result = match_listings(listings)
    assert {m.offer: m.quantity_t for m in result.matches} == {"cheap": 3.0, "dear": 3.0}
    assert [(u.id, u.quantity_t) for u in result.unmatched] == [("dear", 2.0)]


def test_most_tonnage_wins_over_a_cheaper_partial_assignment():
    # cheapest pairing o1→r1 leaves r2 (only served by o1) empty; max flow must use o2→r1
    listings = [
        offer("o1", quantity_t=5, price_eur_per_t=100.0),
        offer("o2", quantity_t=5, price_eur_per_t=900.0),
        request("r1", quantity_t=5),
        request("r2", quantity_t=5, material="PP", max_price_eur_per_t=200.0),
    ]
    result = match_listings(listings)
    assert {(m.offer, m.request) for m in result.matches} == {("o1", "r2"), ("o2", "r1")}
    assert result.total_t == 10.0


@pytest.mark.parametrize(
    ("offer_fields", "request_fields"),
    [
        ({"material": "PE"}, {}),
        ({"elements": frozenset(RULES.required_up_to(1))}, {"min_dql": 2}),
        ({"price_eur_per_t": 501.0}, {"max_price_eur_per_t": 500.0}),
        ({}, {"lat": 51.0504, "lon": 13.7373, "max_distance_km": 99.0}),
        ({"interval": "month"}, {}),
        ({"valid_to": "2026-01-31"}, {"valid_from": "2026-02-01"}),
        ({"company": "Same GmbH"}, {"company": "same gmbh"}),
    ],
    ids=["material", "min_dql", "max_price", "max_distance", "interval", "validity", "company"],
)
def test_each_restriction_removes_the_arc_and_its_boundary_keeps_it(offer_fields, request_fields):
    assert (
        len(candidate_arcs([offer("o")], [request("r")], rules=RULES, transport_eur_per_tkm=0.1))
        == 1
    )
    arcs = candidate_arcs(
        [offer("o", **offer_fields)],
        [request("r", **request_fields)],
        rules=RULES,
        transport_eur_per_tkm=0.1,
    )
    assert len(arcs) == 0


@pytest.mark.parametrize(
    ("offer_fields", "request_fields"),
    [
        ({"material": " pp "}, {"material": "PP"}),
        ({"elements": LEVEL_2}, {"min_dql": 2}),
        ({"price_eur_per_t": 500.0}, {"max_price_eur_per_t": 500.0}),
        ({}, {"lat": 51.0504, "lon": 13.7373, "max_distance_km": 101.0}),
        ({"interval": "year", "quantity_t": 120}, {"interval": "month", "quantity_t": 10}),
        ({"valid_to": "2026-02-01"}, {"valid_from": "2026-02-01"}),
    ],
    ids=["material", "min_dql", "max_price", "max_distance", "interval", "validity"],
)
def test_at_the_boundary_the_arc_is_kept(offer_fields, request_fields):
    arcs = candidate_arcs(
        [offer("o", **offer_fields)],
        [request("r", **request_fields)],
        rules=RULES,
        transport_eur_per_tkm=0.1,
    )
    assert len(arcs) == 1


def test_recurring_listings_are_matched_per_month():
    result = match_listings(
        [
            offer("o", interval="year", quantity_t=120),
            request("r", interval="quarter", quantity_t=15),
        ]
    )
    (match,) = result.matches
    assert (match.interval, match.quantity_t) == ("month", 5.0)


def _networkx_optimum(listings: list[Listing], rate: float) -> tuple[int, int]:
    """(max flow [kg], its least cost [kg × cents/t]) by networkx on the same integer graph."""
    return networkx_optimum(listings, market_arcs(listings, rate))


def _our_optimum(listings: list[Listing], rate: float) -> tuple[int, int]:
    result = match_listings(listings, transport_eur_per_tkm=rate)
    kg = round(result.total_t * KG_PER_T)
    offers = [x for x in listings if x.side == "offer"]
    requests = [x for x in listings if x.side == "request"]
    arcs = candidate_arcs(offers, requests, rules=RULES, transport_eur_per_tkm=rate)
    cents = {
        (offers[i].id, requests[j].id): int(np.rint(c * CENTS_PER_EUR))
        for i, j, c in zip(arcs.offer, arcs.request, arcs.cost_eur_per_t, strict=True)
    }
    cost = sum(round(m.quantity_t * KG_PER_T) * cents[(m.offer, m.request)] for m in result.matches)
    return kg, cost


def test_optimal_on_a_small_market_as_networkx_finds():
    listings = random_market(8, seed=7, materials=2, distances=(80.0,))
    ours, theirs = _our_optimum(listings, 0.1), _networkx_optimum(listings, 0.1)
    assert ours == theirs and ours[0] > 0


def test_optimal_on_the_benchmarks_market_as_networkx_finds():
    """The generator of benchmarks/exchange_matching.py, at a size a test can afford."""
    listings = random_market(150, seed=1)
    ours, theirs = _our_optimum(listings, 0.1), _networkx_optimum(listings, 0.1)
    assert ours == theirs and ours[0] > 0


coordinate = st.floats(50.0, 52.0, allow_nan=False)
tonnes = st.integers(1, 30).map(float)


@st.composite
def markets(draw: st.DrawFn) -> list[Listing]:
    n_offers, n_requests = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    material = st.sampled_from(["PP", "PE"])
    levels = st.sampled_from([frozenset(), frozenset(RULES.required_up_to(1)), LEVEL_2])
    offers = [
        offer(
            f"o{i}",
            quantity_t=draw(tonnes),
            price_eur_per_t=float(draw(st.integers(0, 900))),
            lat=draw(coordinate),
            lon=draw(coordinate),
            material=draw(material),
            elements=draw(levels),
        )
        for i in range(n_offers)
    ]
    requests = [
        request(
            f"r{j}",
            quantity_t=draw(tonnes),
            lat=draw(coordinate),
            lon=draw(coordinate),
            material=draw(material),
            min_dql=draw(st.integers(0, 2)),
            max_price_eur_per_t=draw(st.one_of(st.none(), st.integers(100, 900).map(float))),
            max_distance_km=draw(st.one_of(st.none(), st.integers(10, 300).map(float))),
        )
        for j in range(n_requests)
    ]
    return offers + requests


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markets(), st.sampled_from([0.0, 0.1, 0.35]))
def test_generated_markets_have_networkx_optimum_and_conserve_tonnage(listings, rate):
    assert _our_optimum(listings, rate) == _networkx_optimum(listings, rate)
    result = match_listings(listings, transport_eur_per_tkm=rate)
    for listing in listings:
        used = sum(m.quantity_t for m in result.matches if listing.id in (m.offer, m.request))
        left = sum(u.quantity_t for u in result.unmatched if u.id == listing.id)
        assert used + left == pytest.approx(listing.quantity_t)
    for m in result.matches:
        assert m.reason.dql >= m.reason.min_dql
        assert m.reason.max_distance_km is None or m.distance_km <= m.reason.max_distance_km + 1e-9


def test_nothing_matches_gives_an_empty_result():
    result = match_listings([offer("o", material="PE"), request("r")])
    assert result.matches == [] and result.total_t == 0 and result.candidate_arcs == 0
    assert {u.id for u in result.unmatched} == {"o", "r"}
