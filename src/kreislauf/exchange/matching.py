"""Matching offers to requests as a min-cost flow: most tonnage first, then least cost.

The network: source → offer *i* (capacity: its tonnage) → request *j* (capacity: the
smaller tonnage, unit cost: the cost per tonne of that pair) → sink (capacity: the
request's tonnage). An offer-request arc exists only where every restriction holds
(:func:`candidate_arcs`): the same material (compared case-insensitively), one-off lots with
one-off requests and recurring with recurring (recurring tonnages compared per month),
overlapping validity, different companies, offer level ≥ ``min_dql``, offer price ≤
``max_price_eur_per_t``, distance ≤ ``max_distance_km``.

The solve is OR-Tools' ``SimpleMinCostFlow.solve_max_flow_with_min_cost``: among all flows
of maximum value (the most tonnage), one of least cost; no weighting of tonnage against
cost is involved. A lot may be split across several requests and a request served by
several offers.

Integer scaling (OR-Tools takes integers): tonnage in whole kilograms, cost per tonne in
whole cents (``round(EUR/t × 100)``); the optimum is exact for those rounded figures. The
reported quantities are the solved kilograms / 1000; costs and CO2e are computed from the
unrounded prices and distances.

References
----------
R. K. Ahuja, T. L. Magnanti, J. B. Orlin, *Network Flows*, Prentice Hall 1993, ch. 9-10
(minimum cost flow). Haversine distance: R. W. Sinnott, "Virtues of the Haversine", *Sky
and Telescope* 68 (2), 1984, p. 159; mean Earth radius R₁ = 6371.0088 km (IUGG, H. Moritz,
"Geodetic Reference System 1980", *J. Geodesy* 74, 2000, 128-133).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kreislauf.carbon.factors import Factor, FactorLibrary, library_factors
from kreislauf.exchange.levels import dql, rules_ref
from kreislauf.exchange.models import (
    Listing,
    Match,
    MatchReason,
    MatchResult,
    Remainder,
    TransportFactor,
)
from kreislauf.exchange.rules import RuleTable, default_rules

#: Mean Earth radius R₁ of GRS 80 (IUGG) [km].
EARTH_RADIUS_KM = 6371.0088
#: Default road transport rate [EUR/(t·km)]: 1.50 EUR per lorry-km (inside the ranges
#: 0.50-2.00 EUR/km of IRU, "How much does goods transport cost per kilometre", and
#: 1.10-1.90 EUR/km for full loads in Europe 2025/26, co3.io) over an assumed 15 t average
#: load (a full 24 t load one way, part-loaded or empty returns). An assumption: set yours.
DEFAULT_TRANSPORT_EUR_PER_TKM = 0.10
#: The shipped emission factor for transport by lorry [kg CO2e/(t·km)] (UK DESNZ 2025, HGV
#: average laden), from :mod:`kreislauf.carbon`'s library.
TRANSPORT_FACTOR_KEY = "freight:hgv"
KG_PER_T = 1000
CENTS_PER_EUR = 100
_CHUNK = 512  # offers per block of the distance matrix (512 × requests float64)
METHOD = (
    "OR-Tools SimpleMinCostFlow.solve_max_flow_with_min_cost (maximum flow of least cost); "
    "capacities in kg, unit costs in cents per tonne"
)


def haversine_km(
    lat1: np.ndarray | float,
    lon1: np.ndarray | float,
    lat2: np.ndarray | float,
    lon2: np.ndarray | float,
) -> np.ndarray:
    """Great-circle distance between points given in degrees (WGS 84 taken as a sphere) [km].

    Broadcasts like numpy. Uses the haversine form, accurate for small distances, with the
    mean Earth radius :data:`EARTH_RADIUS_KM`.
    """
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlambda = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


@dataclass(frozen=True)
class Arcs:
    """Candidate offer → request arcs (indices into the offers and requests given).

    distance_km [km]; cost_eur_per_t : offer price + distance × rate [EUR/t]
    """

    offer: np.ndarray
    request: np.ndarray
    distance_km: np.ndarray
    cost_eur_per_t: np.ndarray

    def __len__(self) -> int:
        return len(self.offer)


def _key(listing: Listing) -> tuple[str, bool]:
    return " ".join(listing.material.split()).casefold(), listing.recurring


def candidate_arcs(
    offers: Sequence[Listing],
    requests: Sequence[Listing],
    *,
    rules: RuleTable,
    transport_eur_per_tkm: float,
) -> Arcs:
    """Every offer-request pair that passes all restrictions, with distance and cost.

    Pairs are only formed inside one material and interval class; inside it, distances
    are computed in blocks of offers × requests, so memory stays bounded for large markets.
    """
    groups: dict[tuple[str, bool], list[int]] = {}
    for j, request in enumerate(requests):
        groups.setdefault(_key(request), []).append(j)
    by_key: dict[tuple[str, bool], list[int]] = {}
    for i, offer in enumerate(offers):
        if _key(offer) in groups:
            by_key.setdefault(_key(offer), []).append(i)
    parts: list[tuple[np.ndarray, ...]] = []
    for key, offer_ids in by_key.items():
        request_ids = np.array(groups[key])
        chosen = [requests[j] for j in request_ids]
        r_lat = np.array([r.lat for r in chosen])
        r_lon = np.array([r.lon for r in chosen])
        r_min_dql = np.array([r.min_dql for r in chosen])
        r_max_price = np.array(
            [np.inf if r.max_price_eur_per_t is None else r.max_price_eur_per_t for r in chosen]
        )
        r_max_km = np.array(
            [np.inf if r.max_distance_km is None else r.max_distance_km for r in chosen]
        )
        r_from = np.array([_day(r.valid_from, -1) for r in chosen])
        r_to = np.array([_day(r.valid_to, 1) for r in chosen])
        r_company = np.array([r.company.casefold() for r in chosen], dtype=object)
        for start in range(0, len(offer_ids), _CHUNK):
            block = [offers[i] for i in offer_ids[start : start + _CHUNK]]
            o_ids = np.array(offer_ids[start : start + _CHUNK])
            o_lat = np.array([o.lat for o in block])[:, None]
            o_lon = np.array([o.lon for o in block])[:, None]
            o_price = np.array([o.price_eur_per_t or 0.0 for o in block])[:, None]
            o_dql = np.array([dql(o.elements, rules) for o in block])[:, None]
            o_from = np.array([_day(o.valid_from, -1) for o in block])[:, None]
            o_to = np.array([_day(o.valid_to, 1) for o in block])[:, None]
            o_company = np.array([o.company.casefold() for o in block], dtype=object)[:, None]
            distance = haversine_km(o_lat, o_lon, r_lat[None, :], r_lon[None, :])
            allowed = (
                (o_dql >= r_min_dql[None, :])
                & (o_price <= r_max_price[None, :])
                & (distance <= r_max_km[None, :])
                & (o_from <= r_to[None, :])
                & (r_from[None, :] <= o_to)
                & (o_company != r_company[None, :])
            )
            rows, cols = np.nonzero(allowed)
            km = distance[rows, cols]
            parts.append(
                (o_ids[rows], request_ids[cols], km, o_price[rows, 0] + km * transport_eur_per_tkm)
            )
    if not parts:
        empty_i = np.zeros(0, dtype=np.int64)
        return Arcs(empty_i, empty_i, np.zeros(0), np.zeros(0))
    offer_idx, request_idx, km, cost = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.lexsort((request_idx, offer_idx))  # a stable order: the same input, the same arcs
    return Arcs(
        offer_idx[order].astype(np.int64),
        request_idx[order].astype(np.int64),
        km[order],
        cost[order],
    )


def _day(date: object, open_end: int) -> int:
    """A date as an ordinal day; an open end as far in the past/future as needed."""
    if date is None:
        return -(10**9) if open_end < 0 else 10**9
    return int(date.toordinal())  # type: ignore[attr-defined]


def transport_factor(factors: FactorLibrary | None = None) -> Factor:
    """The lorry factor from the carbon module's library (or a user library) [kg CO2e/(t·km)]."""
    library = factors if factors is not None else FactorLibrary(library_factors())
    return library.lookup(TRANSPORT_FACTOR_KEY)


def solve_flow(
    supply_kg: np.ndarray, demand_kg: np.ndarray, arcs: Arcs, *, unit_cost: np.ndarray
) -> np.ndarray:
    """The flow on each arc [kg] of a maximum flow of least cost.

    supply_kg, demand_kg : tonnage of each offer and request [kg, integers]
    unit_cost : integer cost per unit of flow on each arc (cents per tonne)
    """
    from ortools.graph.python import min_cost_flow

    m, n = len(supply_kg), len(demand_kg)
    source, sink = m + n, m + n + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    starts = np.concatenate([np.full(m, source), arcs.offer, m + np.arange(n)])
    ends = np.concatenate([np.arange(m), m + arcs.request, np.full(n, sink)])
    capacities = np.concatenate(
        [supply_kg, np.minimum(supply_kg[arcs.offer], demand_kg[arcs.request]), demand_kg]
    )
    costs = np.concatenate([np.zeros(m, np.int64), unit_cost, np.zeros(n, np.int64)])
    ids = flow.add_arcs_with_capacity_and_unit_cost(
        starts.astype(np.int32), ends.astype(np.int32), capacities.astype(np.int64), costs
    )
    total = int(supply_kg.sum())
    supplies = np.zeros(m + n + 2, np.int64)
    supplies[source], supplies[sink] = total, -total
    flow.set_nodes_supplies(np.arange(m + n + 2, dtype=np.int32), supplies)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - integer inputs in range are always solved
        raise RuntimeError(f"min-cost flow not solved: status {status}")
    return np.asarray(flow.flows(ids[m : m + len(arcs)]), dtype=np.int64)


def match_listings(
    listings: Sequence[Listing],
    *,
    rules: RuleTable | None = None,
    transport_eur_per_tkm: float = DEFAULT_TRANSPORT_EUR_PER_TKM,
    factors: FactorLibrary | None = None,
) -> MatchResult:
    """Assign offers to requests: the most tonnage, then the least cost.

    listings : offers and requests (any order)
    rules : the rule table for the offers' levels (default: the shipped one)
    transport_eur_per_tkm : road transport rate [EUR/(t·km)]
    factors : emission factors (default: the shipped library) for :data:`TRANSPORT_FACTOR_KEY`

    Quantities of recurring listings are compared per month (``interval`` of a match:
    ``month``); one-off lots in tonnes (``once``).
    """
    rules = rules or default_rules()
    offers = [x for x in listings if x.side == "offer"]
    requests = [x for x in listings if x.side == "request"]
    arcs = candidate_arcs(
        offers, requests, rules=rules, transport_eur_per_tkm=transport_eur_per_tkm
    )
    supply = np.array([round(o.tonnes_per_month * KG_PER_T) for o in offers], dtype=np.int64)
    demand = np.array([round(r.tonnes_per_month * KG_PER_T) for r in requests], dtype=np.int64)
    unit_cost = np.rint(arcs.cost_eur_per_t * CENTS_PER_EUR).astype(np.int64)
    flows = (
        solve_flow(supply, demand, arcs, unit_cost=unit_cost)
        if len(arcs)
        else np.zeros(0, np.int64)
    )
    factor = transport_factor(factors)
    kg_co2e_per_tkm = factor.co2e_kg(1.0, "t*km")
    matches: list[Match] = []
    for k in np.flatnonzero(flows > 0):
        offer, request = offers[arcs.offer[k]], requests[arcs.request[k]]
        tonnes = flows[k] / KG_PER_T
        km = float(arcs.distance_km[k])
        price = offer.price_eur_per_t or 0.0
        matches.append(
            Match(
                offer=offer.id,
                request=request.id,
                interval="month" if offer.recurring else "once",
                quantity_t=tonnes,
                distance_km=km,
                cost_eur=tonnes * float(arcs.cost_eur_per_t[k]),
                goods_eur=tonnes * price,
                transport_eur=tonnes * km * transport_eur_per_tkm,
                co2e_kg=tonnes * km * kg_co2e_per_tkm,
                reason=MatchReason(
                    material=offer.material,
                    dql=dql(offer.elements, rules),
                    min_dql=request.min_dql,
                    price_eur_per_t=price,
                    max_price_eur_per_t=request.max_price_eur_per_t,
                    distance_km=km,
                    max_distance_km=request.max_distance_km,
                ),
            )
        )
    sent = np.bincount(arcs.offer, weights=flows, minlength=len(offers))
    received = np.bincount(arcs.request, weights=flows, minlength=len(requests))
    unmatched = [
        Remainder(id=x.id, side=x.side, quantity_t=float(left) / KG_PER_T)
        for group, totals, used in ((offers, supply, sent), (requests, demand, received))
        for x, left in zip(group, totals - used, strict=True)
        if left > 0
    ]
    return MatchResult(
        matches=matches,
        total_t=float(flows.sum()) / KG_PER_T,
        total_cost_eur=sum(m.cost_eur for m in matches),
        total_co2e_kg=sum(m.co2e_kg for m in matches),
        unmatched=unmatched,
        transport_eur_per_tkm=transport_eur_per_tkm,
        transport_factor=TransportFactor(
            key=factor.key,
            value=factor.value,
            unit=factor.unit,
            source=factor.source,
            year=factor.year,
            region=factor.region,
        ),
        candidate_arcs=len(arcs),
        method=METHOD,
        rules=rules_ref(rules),
    )
