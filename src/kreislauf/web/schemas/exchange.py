"""Exchange listings and matches as the API shows them (numbers by kreislauf.results)."""

from __future__ import annotations

from pydantic import BaseModel

from kreislauf.results import Number, Number2, Number3


class ListingPublic(BaseModel):
    """One of the organisation's published listings with its derived quality level.

    quantity_t [t per interval]; prices [EUR/t]; max_distance_km [km]
    dql : derived from the elements the listing carries (docs/exchange.md)
    missing_for_next : the elements it lacks for the next level
    """

    id: int
    key: str
    side: str
    material: str
    quantity_t: Number
    interval: str
    price_eur_per_t: Number | None
    dql: int
    missing_for_next: list[str]
    min_dql: int
    max_price_eur_per_t: Number | None
    max_distance_km: Number | None


class MatchPublic(BaseModel):
    """A proposed match one of the organisation's listings is part of.

    quantity_t [t, per month for recurring listings]; distance_km [km]; cost_eur [EUR];
    co2e_kg [kg CO2e] of the transport. ``other_name`` is the other organisation's name,
    ``null`` until both sides have accepted.
    """

    offer_id: int
    request_id: int
    side: str
    own_key: str
    material: str
    quantity_t: Number
    interval: str
    distance_km: Number3
    cost_eur: Number2
    co2e_kg: Number3
    offer_dql: int
    price_eur_per_t: Number2
    own_decision: str | None
    other_decided: bool
    agreed: bool
    other_name: str | None
