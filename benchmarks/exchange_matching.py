"""Matching offers × requests: kreislauf (candidate arcs + OR-Tools) vs networkx.

A synthetic market of N offers and N requests in a region of about 155 km × 195 km in central
Germany, 40 materials, requests accepting up to 20-150 km, random levels and price limits:
sparse candidate arcs. Per size, wall time of

- kreislauf: ``match_listings`` (candidate arcs in numpy blocks + ``solve_max_flow_with_min_cost``),
  and its solve alone;
- networkx: ``max_flow_min_cost`` on the same integer graph (same arcs, capacities, costs),
  only up to ``--networkx-max`` (it is pure Python);

and checks that both reach the same maximum flow and the same least cost.

Run: ``.venv/bin/python benchmarks/exchange_matching.py [--sizes 1000 3000 10000]
[--networkx-max 3000]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from kreislauf.exchange import Listing, default_rules
from kreislauf.exchange.matching import (
    CENTS_PER_EUR,
    KG_PER_T,
    candidate_arcs,
    match_listings,
    solve_flow,
)

RULES = default_rules()
MATERIALS = 40


def market(n: int, seed: int = 1) -> list[Listing]:
    rng = np.random.default_rng(seed)
    levels = [frozenset(RULES.required_up_to(level)) for level in range(0, 5)]
    offers = [
        Listing(
            id=f"o{i}",
            side="offer",
            company=f"c{i}",
            material=f"M{rng.integers(MATERIALS)}",
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
            material=f"M{rng.integers(MATERIALS)}",
            quantity_t=float(rng.integers(1, 50)),
            interval="once",
            price_eur_per_t=None,
            lat=50.5 + 1.4 * rng.random(),
            lon=11.0 + 2.8 * rng.random(),
            min_dql=int(rng.integers(0, 4)),
            max_price_eur_per_t=float(rng.integers(300, 1000)),
            max_distance_km=float(rng.choice([20, 50, 100, 150])),
        )
        for j in range(n)
    ]
    return offers + requests


def networkx_optimum(listings: list[Listing], rate: float) -> tuple[int, int, float]:
    import networkx as nx

    offers = [x for x in listings if x.side == "offer"]
    requests = [x for x in listings if x.side == "request"]
    arcs = candidate_arcs(offers, requests, rules=RULES, transport_eur_per_tkm=rate)
    start = time.perf_counter()
    graph = nx.DiGraph()
    supply = [round(o.quantity_t * KG_PER_T) for o in offers]
    demand = [round(r.quantity_t * KG_PER_T) for r in requests]
    for i, kg in enumerate(supply):
        graph.add_edge("s", ("o", i), capacity=kg, weight=0)
    for j, kg in enumerate(demand):
        graph.add_edge(("r", j), "t", capacity=kg, weight=0)
    for i, j, cost in zip(arcs.offer, arcs.request, arcs.cost_eur_per_t, strict=True):
        graph.add_edge(
            ("o", int(i)),
            ("r", int(j)),
            capacity=min(supply[i], demand[j]),
            weight=int(np.rint(cost * CENTS_PER_EUR)),
        )
    flow = nx.max_flow_min_cost(graph, "s", "t")
    seconds = time.perf_counter() - start
    return sum(flow["s"].values()), nx.cost_of_flow(graph, flow), seconds


def ours(listings: list[Listing], rate: float) -> tuple[int, int, float, float, int]:
    start = time.perf_counter()
    result = match_listings(listings, transport_eur_per_tkm=rate)
    total = time.perf_counter() - start
    offers = [x for x in listings if x.side == "offer"]
    requests = [x for x in listings if x.side == "request"]
    arcs = candidate_arcs(offers, requests, rules=RULES, transport_eur_per_tkm=rate)
    supply = np.array([round(o.quantity_t * KG_PER_T) for o in offers], dtype=np.int64)
    demand = np.array([round(r.quantity_t * KG_PER_T) for r in requests], dtype=np.int64)
    cents = np.rint(arcs.cost_eur_per_t * CENTS_PER_EUR).astype(np.int64)
    start = time.perf_counter()
    flows = solve_flow(supply, demand, arcs, unit_cost=cents)
    solve = time.perf_counter() - start
    kg = round(result.total_t * KG_PER_T)
    return kg, int((flows * cents).sum()), total, solve, len(arcs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--networkx-max", type=int, default=3000)
    args = parser.parse_args()
    rate = 0.1
    print(
        "| offers × requests | candidate arcs | kreislauf total [s] | OR-Tools solve [s] "
        "| networkx [s] | ratio networkx / kreislauf | same optimum |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        listings = market(n)
        kg, cost, total, solve, arcs = ours(listings, rate)
        if n <= args.networkx_max:
            nx_kg, nx_cost, nx_s = networkx_optimum(listings, rate)
            same = "yes" if (nx_kg, nx_cost) == (kg, cost) else f"NO ({nx_kg}, {nx_cost})"
            nx_text, ratio = f"{nx_s:.2f}", f"{nx_s / total:.1f}"
        else:
            nx_text, ratio, same = "not run", "", ""
        print(
            f"| {n:,} × {n:,} | {arcs:,} | {total:.2f} | {solve:.3f} "
            f"| {nx_text} | {ratio} | {same} |"
        )


if __name__ == "__main__":
    main()
