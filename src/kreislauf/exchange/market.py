"""What the market shows without revealing a company: offer search and price statistics.

Search filters offers by material, level, quantity and distance; the caller shows hits
without the company. Price statistics are published per material only for groups large
enough that no single company's price can be told apart:

- **threshold rule**: at least ``min_companies`` (default 5) different companies;
- **dominance rule**: no company lists more than ``max_share`` (default 50 %) of the
  group's tonnage;
- each company counts once, with the mean of its asking prices for the material; the
  statistics are the median and the quartiles over companies (no minimum or maximum).

A group that fails a rule is reported as suppressed with the rule it failed.

References
----------
A. Hundepool, J. Domingo-Ferrer, L. Franconi, S. Giessing, E. Schulte Nordholt, K. Spicer,
P.-P. de Wolf, *Statistical Disclosure Control*, Wiley 2012, ch. 4.2 (sensitivity rules
for magnitude tables: threshold and dominance rules), doi:10.1002/9781118348239.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np

from kreislauf.exchange.levels import dql
from kreislauf.exchange.matching import haversine_km
from kreislauf.exchange.models import Listing
from kreislauf.exchange.rules import RuleTable
from kreislauf.results import Number, Number2, Number3, Result

MIN_COMPANIES = 5
MAX_SHARE = 0.5


class OfferHit(Result):
    """An offer found by :func:`search_offers` (no company) [t, EUR/t, km]."""

    id: str
    material: str
    quantity_t: Number
    interval: str
    price_eur_per_t: Number2 | None
    dql: int
    distance_km: Number3 | None


def _material(text: str) -> str:
    return " ".join(text.split()).casefold()


def search_offers(
    listings: Iterable[Listing],
    *,
    rules: RuleTable,
    material: str | None = None,
    min_dql: int = 0,
    min_quantity_t: float | None = None,
    near: tuple[float, float] | None = None,
    max_distance_km: float | None = None,
) -> list[OfferHit]:
    """Offers matching every filter given, nearest first when ``near`` is given.

    near : ``(lat, lon)`` [°] the distances are measured from; ``max_distance_km`` needs it
    min_quantity_t : at least this tonnage per the offer's interval [t]
    """
    hits: list[OfferHit] = []
    for x in listings:
        if x.side != "offer":
            continue
        if material and _material(x.material) != _material(material):
            continue
        level = dql(x.elements, rules)
        if level < min_dql or (min_quantity_t is not None and x.quantity_t < min_quantity_t):
            continue
        distance = None if near is None else float(haversine_km(near[0], near[1], x.lat, x.lon))
        if max_distance_km is not None and (distance is None or distance > max_distance_km):
            continue
        hits.append(
            OfferHit(
                id=x.id, material=x.material, quantity_t=x.quantity_t, interval=x.interval,
                price_eur_per_t=x.price_eur_per_t, dql=level, distance_km=distance,
            )
        )  # fmt: skip
    return sorted(hits, key=lambda h: (h.distance_km is None, h.distance_km or 0.0, h.id))


Suppression = Literal["too_few_companies", "dominant_company"]


class PriceGroup(Result):
    """Asking prices of one material over companies [EUR/t]; ``None`` when suppressed."""

    material: str
    companies: int
    suppressed: Suppression | None
    median_eur_per_t: Number2 | None
    p25_eur_per_t: Number2 | None
    p75_eur_per_t: Number2 | None


class PriceStatistics(Result):
    """Price statistics per material with the disclosure rules applied."""

    min_companies: int
    max_share: Number
    groups: list[PriceGroup]


def price_statistics(
    listings: Sequence[Listing],
    *,
    min_companies: int = MIN_COMPANIES,
    max_share: float = MAX_SHARE,
) -> PriceStatistics:
    """Median and quartiles of offer prices per material, over companies (see module).

    min_companies : fewest different companies a published group has [-]
    max_share : largest share of a group's tonnage one company may list [-]
    """
    groups: dict[str, dict[str, list[Listing]]] = {}
    names: dict[str, str] = {}
    for x in listings:
        if x.side == "offer" and x.price_eur_per_t is not None:
            key = _material(x.material)
            names.setdefault(key, x.material)
            groups.setdefault(key, {}).setdefault(x.company.casefold(), []).append(x)
    out: list[PriceGroup] = []
    for key in sorted(groups):
        companies = groups[key]
        tonnes = {c: sum(x.tonnes_per_month for x in xs) for c, xs in companies.items()}
        total = sum(tonnes.values())
        suppressed: Suppression | None = None
        if len(companies) < min_companies:
            suppressed = "too_few_companies"
        elif max(tonnes.values()) > max_share * total:
            suppressed = "dominant_company"
        if suppressed:
            out.append(PriceGroup(
                material=names[key], companies=len(companies), suppressed=suppressed,
                median_eur_per_t=None, p25_eur_per_t=None, p75_eur_per_t=None,
            ))  # fmt: skip
            continue
        prices = np.array(
            [np.mean([x.price_eur_per_t or 0.0 for x in xs]) for xs in companies.values()]
        )
        p25, median, p75 = np.percentile(prices, [25, 50, 75])
        out.append(PriceGroup(
            material=names[key], companies=len(companies), suppressed=None,
            median_eur_per_t=float(median), p25_eur_per_t=float(p25), p75_eur_per_t=float(p75),
        ))  # fmt: skip
    return PriceStatistics(min_companies=min_companies, max_share=max_share, groups=out)
