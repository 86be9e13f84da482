"""Plain networkx: raw-material footprint of each product, supply pushed in topological order.

    python benchmarks/compare/pcf_networkx.py BOM.csv FACTORS.csv OUT.json

Same figures as ``pcf_scipy.py`` (reads the inputs with its helpers).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
from pcf_scipy import TO_BASE, leaf_emissions, read_inputs


def footprints(bom_path: str, factor_path: str) -> dict[str, float]:
    bom, factors = read_inputs(bom_path, factor_path)
    scale = bom["unit"].map(TO_BASE).fillna(1.0)
    graph = nx.DiGraph()
    for parent, child, quantity in zip(
        bom["parent"], bom["component"], bom["quantity"].astype(float) * scale, strict=True
    ):
        if graph.has_edge(parent, child):
            graph[parent][child]["q"] += quantity
        else:
            graph.add_edge(parent, child, q=quantity)
    items = pd.Index(list(graph.nodes))
    direct = dict(zip(items, leaf_emissions(bom, factors, items), strict=True))
    order = list(nx.topological_sort(graph))
    result = {}
    for root in (node for node in order if graph.in_degree(node) == 0):
        supply = dict.fromkeys(order, 0.0)
        supply[root] = 1.0
        total = 0.0
        for node in order:
            amount = supply[node]
            if amount == 0.0:
                continue
            total += amount * direct[node]
            for child, edge in graph[node].items():
                supply[child] += amount * edge["q"]
        result[str(root)] = total
    return result


if __name__ == "__main__":
    Path(sys.argv[3]).write_text(json.dumps(footprints(sys.argv[1], sys.argv[2])), encoding="utf-8")
