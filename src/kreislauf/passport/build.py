"""Filling a passport from the data the company keeps: the BOM and the PCF rollup.

:func:`passport_from_pcf` takes the fields a person writes (identification, manufacturer,
durability, …: a passport file without the computed parts) and adds

- ``composition``: the net mass of each purchased material (a BOM leaf) in one product
  unit [kg]. A produced item's net mass (``mass_kg`` in the BOM, else the sum of its
  inputs) is split over its inputs in proportion to their input mass, so process scrap
  (gross input above net mass) is not counted as content;
- ``recycled_content.total_percent``: the mass-weighted recycled share of the materials
  (the shares :func:`kreislauf.carbon.pcf.product_footprints` used: BOM or ledger); the
  split into pre- and post-consumer is not in the BOM and is kept from the file if given;
- ``carbon_footprint``: the cradle-to-gate PCF per piece with its stages (raw materials,
  processing, waste) and the primary-data share of :mod:`kreislauf.carbon.pcf`. Biogenic
  carbon is not modelled there, so the PCF including biogenic uptake equals the PCF and
  all emissions count as fossil (stated in ``boundary``). The file gives what the rollup
  does not know: reference period, geography, data-quality ratings, factor sources.

References
----------
ISO 14067:2018, 6.3 (system boundary, cradle-to-gate) and 6.4.6 (allocation of recycled
content, cut-off). ISO 14021:2016, 7.8 (recycled content as a share of mass). PACT
Methodology v3.0 (2025), 4.2.2 (primary data share).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from typing import Any

import numpy as np

from kreislauf.carbon.bom import Bom, bom_order
from kreislauf.carbon.pcf import PcfResult
from kreislauf.passport.io import passport_from_data
from kreislauf.passport.models import Passport

#: Text for ``carbon_footprint.boundary`` when the file gives none.
BOUNDARY = (
    "cradle-to-gate: raw materials (purchased materials, cut-off for recycled content), "
    "processing (energy of the producing quantity centres, allocated by mass) and "
    "production waste; biogenic carbon not modelled (all emissions fossil); computed by "
    "kreislauf.carbon.pcf from the BOM and the resource ledger"
)


def material_masses(bom: Bom, product: str, *, product_mass_kg: float) -> dict[str, float]:
    """Net mass of each purchased material in one unit of ``product`` [kg] (module doc).

    Materials without a mass (a counted purchased part with no ``mass_kg``) are left out.
    """
    order = bom_order(bom)
    n = len(bom.items)
    unit_mass = np.where(bom.unit == "kg", 1.0, bom.mass_kg.astype(float))
    # content[i]: kg of each material per kg of item i
    content: list[dict[int, float]] = [{} for _ in range(n)]
    has_inputs = np.zeros(n, dtype=bool)
    has_inputs[bom.parent] = True
    for item in np.argsort(-order.level, kind="stable"):
        if not has_inputs[item]:
            content[item] = {int(item): 1.0}
            continue
        edges = np.flatnonzero(bom.parent == item)
        inputs = bom.quantity[edges] * unit_mass[bom.child[edges]]
        known = ~np.isnan(inputs)
        gross = float(inputs[known].sum())
        mix: dict[int, float] = {}
        if gross > 0:
            for edge, mass in zip(edges[known], inputs[known], strict=True):
                for material, share in content[int(bom.child[edge])].items():
                    mix[material] = mix.get(material, 0.0) + float(mass) / gross * share
        content[item] = mix
    root = bom.index(product)
    assert root is not None
    return {
        str(bom.items[m]): share * product_mass_kg
        for m, share in sorted(content[root].items(), key=lambda kv: -kv[1])
    }


def _recycled_shares(pcf: PcfResult) -> dict[str, float]:
    rows = pcf.components
    return {
        str(item): float(share) if share is not None and not math.isnan(share) else 0.0
        for item, share in zip(rows["item"], rows["recycled_share"], strict=True)
    }


#: Namespace of the passport ids derived from a product's identification (UUID v5).
ID_NAMESPACE = uuid.UUID("6f1d3c2e-0b7a-5e4f-9a51-6b1c3d2e4f50")


def stable_id(data: Mapping[str, Any], product: str) -> uuid.UUID:
    """The passport id of a product: UUID v5 of GTIN, serial and batch (else its name).

    Building the same product again gives the same id, so the archive stores a new
    version of it instead of a new passport.
    """
    ident = dict(data.get("identification") or {})
    key = "/".join(str(ident.get(k) or "") for k in ("gtin", "serial", "batch"))
    return uuid.uuid5(ID_NAMESPACE, key if key.strip("/") else product)


def passport_from_pcf(
    data: Mapping[str, Any], pcf: PcfResult, *, bom: Bom, file: str | None = None
) -> Passport:
    """The passport of ``pcf.product``: the fields of ``data`` plus the computed ones.

    data : a passport file's data without composition and PCF values (module docstring);
        computed fields replace the same fields of ``data``. Without an ``id`` the
        passport gets :func:`stable_id`; the PCF's ``pact_id`` is derived from the passport
        id and the PCF values, so it changes exactly when the footprint does (PACT v3.0:
        a changed footprint is a new ProductFootprint)
    file : the name of the file ``data`` came from, for messages

    Raises :class:`~kreislauf.errors.InvalidPassport` / ``InvalidGtin`` naming the field.
    """
    masses = material_masses(bom, pcf.product, product_mass_kg=pcf.mass_kg)
    shares = _recycled_shares(pcf)
    composition = [
        {"name": name, "mass_kg": mass, "recycled_percent": 100.0 * shares.get(name, 0.0)}
        for name, mass in masses.items()
    ]
    total_mass = sum(masses.values())
    recycled = (
        100.0 * sum(m * shares.get(n, 0.0) for n, m in masses.items()) / total_mass
        if total_mass > 0
        else 0.0
    )
    passport_id = data.get("id") or str(stable_id(data, pcf.product))
    given_recycled = dict(data.get("recycled_content") or {})
    given_pcf = dict(data.get("carbon_footprint") or {})
    identification = {"product_name": pcf.product, **dict(data.get("identification") or {})}
    carbon_footprint = {
        "declared_unit": "piece",
        "declared_unit_amount": 1.0,
        "boundary": BOUNDARY,
        **given_pcf,
        "product_mass_kg": pcf.mass_kg,
        "total_kg_co2e": pcf.total_kg,
        "including_biogenic_kg_co2e": pcf.total_kg,
        "fossil_ghg_kg_co2e": pcf.total_kg,
        "stages": [{"stage": s, "kg_co2e": v} for s, v in pcf.stages.items()],
        "primary_data_share_percent": 100.0 * pcf.primary_share,
    }
    try:
        namespace = uuid.UUID(str(passport_id))
    except ValueError:
        namespace = None  # the model names the bad id
    if namespace is not None:
        values = repr(sorted(map(str, carbon_footprint.items())))
        carbon_footprint.setdefault("pact_id", str(uuid.uuid5(namespace, values)))
    return passport_from_data(
        {
            **data,
            "id": passport_id,
            "identification": identification,
            "composition": composition,
            "recycled_content": {**given_recycled, "total_percent": recycled},
            "carbon_footprint": carbon_footprint,
        },
        file=file,
    )
