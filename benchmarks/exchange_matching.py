"""Matching offers × requests: kreislauf (candidate arcs + OR-Tools) vs networkx.

A synthetic market (tests/exchange/matching_market.py, shared with the tests) of N offers
and N requests in a region of about 155 km × 195 km in central
Germany, 40 materials, requests accepting up to 20-150 km, random levels and price limits:
sparse candidate arcs. Per size, wall time of

- kreislauf: ``match_listings`` (candidate arcs in numpy blocks + ``solve_max_flow_with_min_cost``),
  and its solve alone;
- networkx: ``max_flow_min_cost`` on the same integer graph (same arcs, capacities, costs),
  only up to ``--networkx-max`` (it is pure Python);

and checks that both reach the same maximum flow and the same least cost. After the sizes:
the growth exponent b of t ~ n^b (and of t ~ arcs^b) between neighbouring sizes, for
kreislauf, its solve and networkx; each size's line also gives the 1-minute load average.

Run: ``.venv/bin/python benchmarks/exchange_matching.py [--sizes 1000 3000 10000]
[--networkx-max 3000]``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' market generator

from tests.exchange.matching_market import market_arcs, networkx_optimum
from tests.exchange.matching_market import random_market as market

from kreislauf.exchange import Listing, default_rules
from kreislauf.exchange.matching import (
    CENTS_PER_EUR,
    KG_PER_T,
    candidate_arcs,
    match_listings,
    solve_flow,
)

RULES = default_rules()


def networkx_timed(listings: list[Listing], rate: float) -> tuple[int, int, float]:
    """networkx's optimum on the same graph; the time of building and solving it [s]."""
    arcs = market_arcs(listings, rate)
    start = time.perf_counter()
    kg, cost = networkx_optimum(listings, arcs)
    return kg, cost, time.perf_counter() - start


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
        "| networkx [s] | ratio networkx / kreislauf | same optimum | load |"
    )
    print("|---|---|---|---|---|---|---|---|")
    rows: list[tuple[int, int, float, float, float | None]] = []
    for n in args.sizes:
        load = os.getloadavg()[0]
        listings = market(n)
        kg, cost, total, solve, arcs = ours(listings, rate)
        if n <= args.networkx_max:
            nx_kg, nx_cost, nx_s = networkx_timed(listings, rate)
            same = "yes" if (nx_kg, nx_cost) == (kg, cost) else f"NO ({nx_kg}, {nx_cost})"
            nx_text, ratio = f"{nx_s:.2f}", f"{nx_s / total:.1f}"
        else:
            nx_s, nx_text, ratio, same = None, "not run", "", ""
        print(
            f"| {n:,} × {n:,} | {arcs:,} | {total:.2f} | {solve:.3f} "
            f"| {nx_text} | {ratio} | {same} | {load:.1f} |",
            flush=True,
        )
        rows.append((n, arcs, total, solve, nx_s))
    for (n0, a0, k0, s0, x0), (n1, a1, k1, s1, x1) in itertools.pairwise(rows):

        def b(t0: float, t1: float, base0: float = n0, base1: float = n1) -> str:
            return f"{math.log(t1 / t0) / math.log(base1 / base0):.2f}"

        nx_b = b(x0, x1) if x0 and x1 else "not run"
        nx_arcs = b(x0, x1, a0, a1) if x0 and x1 else "not run"
        print(
            f"growth {n0:,} -> {n1:,} (arcs x{a1 / a0:.1f}): b over n: kreislauf {b(k0, k1)}, "
            f"solve {b(s0, s1)}, networkx {nx_b}; b over arcs: kreislauf "
            f"{b(k0, k1, a0, a1)}, solve {b(s0, s1, a0, a1)}, networkx {nx_arcs}"
        )


if __name__ == "__main__":
    main()
