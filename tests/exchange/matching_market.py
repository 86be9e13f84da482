"""One synthetic market and the networkx reference optimum, for the matching tests and for
benchmarks/exchange_matching.py (which imports them from here)."""

from __future__ import annotations

import numpy as np

from kreislauf.exchange import Listing, default_rules
from kreislauf.exchange.matching import CENTS_PER_EUR, KG_PER_T, Arcs, candidate_arcs

RULES = default_rules()


def random_market(
    n: int, *, seed: int = 1, materials: int = 40, distances: tuple[float, ...] = (20, 50, 100, 150)
) -> list[Listing]:
    """``n`` one-off offers and ``n`` requests in about 155 km × 195 km of central Germany.

    Materials ``M0 … M{materials-1}``, 1-49 t, offer prices 200-899 EUR/t at random
    levels 0-4, requests with min level 0-3, price limits 300-999 EUR/t and the distance
    limits ``distances`` [km]: sparse candidate arcs.
    """
    rng = np.random.default_rng(seed)
    levels = [frozenset(RULES.required_up_to(level)) for level in range(0, 5)]
    offers = [
        Listing(
            id=f"o{i}",
            side="offer",
            company=f"c{i}",
            material=f"M{rng.integers(materials)}",
            quantity_t=float(rng.integers(1, 50)),
            interval="once",
            price_eur_per_t=float(rng.integers(200, 900)),
            lat=50.5 + 1.4 * rng.random(),
            lon=11.0 + 2.8 * rng.random(),
            elements=levels[int(rng.integers(0, 5))],
        )
        for i in range(n)
    ]
    requests = [
        Listing(
            id=f"r{j}",
            side="request",
            company=f"d{j}",
            material=f"M{rng.integers(materials)}",
            quantity_t=float(rng.integers(1, 50)),
            interval="once",
            price_eur_per_t=None,
            lat=50.5 + 1.4 * rng.random(),
            lon=11.0 + 2.8 * rng.random(),
            min_dql=int(rng.integers(0, 4)),
            max_price_eur_per_t=float(rng.integers(300, 1000)),
            max_distance_km=float(rng.choice(list(distances))),
        )
        for j in range(n)
    ]
    return offers + requests


def market_arcs(listings: list[Listing], rate: float) -> Arcs:
    """The candidate arcs of ``listings`` at ``rate`` [EUR/(t·km)]."""
    offers = [x for x in listings if x.side == "offer"]
    requests = [x for x in listings if x.side == "request"]
    return candidate_arcs(offers, requests, rules=RULES, transport_eur_per_tkm=rate)


def networkx_optimum(listings: list[Listing], arcs: Arcs) -> tuple[int, int]:
    """(max flow [kg], its least cost [kg × cents/t]) by networkx ``max_flow_min_cost`` on
    the same integer graph as kreislauf's (kg capacities per month, cents per tonne)."""
    import networkx as nx

    offers = [x for x in listings if x.side == "offer"]
    requests = [x for x in listings if x.side == "request"]
    graph = nx.DiGraph()
    supply = [round(o.tonnes_per_month * KG_PER_T) for o in offers]
    demand = [round(r.tonnes_per_month * KG_PER_T) for r in requests]
    for i, kg in enumerate(supply):
        graph.add_edge("s", ("o", i), capacity=kg, weight=0)
    for j, kg in enumerate(demand):
        graph.add_edge(("r", j), "t", capacity=kg, weight=0)
    for i, j, cost in zip(arcs.offer, arcs.request, arcs.cost_eur_per_t, strict=True):
        graph.add_edge(
            ("o", int(i)), ("r", int(j)), capacity=min(supply[i], demand[j]),
            weight=int(np.rint(cost * CENTS_PER_EUR)),
        )  # fmt: skip
    if "t" not in graph or "s" not in graph:
        return 0, 0
    flow = nx.max_flow_min_cost(graph, "s", "t")
    return sum(flow["s"].values()), nx.cost_of_flow(graph, flow)
