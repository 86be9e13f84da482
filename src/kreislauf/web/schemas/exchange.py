"""Exchange listings and matches as the API shows them (numbers by kreislauf.results)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kreislauf.exchange.models import SeriesForecast
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


class NoticePublic(BaseModel):
    """What changed in a proposed match since the organisation last marked its notices
    as seen: ``new`` (a match it has not marked), ``accepted`` or ``declined`` (the other
    side's decision, taken since). ``other_decision`` is the other side's decision now;
    send it back with ``POST …/exchange/notices/seen`` to mark this notice as seen."""

    kind: Literal["new", "accepted", "declined"]
    other_decision: Literal["accepted", "declined"] | None
    match: MatchPublic


class NoticeSeen(BaseModel):
    """One notice the organisation has seen: its match and the other side's decision it
    was shown with (``null``: none yet)."""

    offer_id: int = Field(ge=1, le=2_147_483_647)
    request_id: int = Field(ge=1, le=2_147_483_647)
    other_decision: Literal["accepted", "declined"] | None


class NoticesSeenIn(BaseModel):
    """The notices to mark as seen (those of ``GET …/exchange/notices``)."""

    seen: list[NoticeSeen] = Field(max_length=1000)


#: A notice as the page's "mark as seen" form sends it: ``OFFER-REQUEST-DECISION``.
NoticeToken = Annotated[str, Field(max_length=40)]


class NoticesSeenForm(BaseModel):
    """The page's "mark as seen" form: one token per notice shown."""

    seen: list[NoticeToken] = Field(default_factory=list, max_length=1000)


#: A typed field of the entry form (the reader validates it: kreislauf.exchange.io).
_Typed = Field(default="", max_length=100)


class ListingForm(BaseModel):
    """The entry form of one listing: the import format's columns as typed, less
    ``company``; ``elements`` the rule-table elements ticked (docs/exchange.md)."""

    id: str = _Typed
    side: str = _Typed
    material: str = _Typed
    quantity_t: str = _Typed
    interval: str = _Typed
    price_eur_per_t: str = _Typed
    lat: str = _Typed
    lon: str = _Typed
    ewc_code: str = _Typed
    valid_from: str = _Typed
    valid_to: str = _Typed
    min_dql: str = _Typed
    max_price_eur_per_t: str = _Typed
    max_distance_km: str = _Typed
    elements: list[str] = Field(default_factory=list, max_length=100)


class SeriesPublic(BaseModel):
    """A stored availability series with its latest forecast (refreshed nightly).

    periods : months ``YYYY-MM``; quantities [t per month]; horizon [months]
    forecast_at : when the forecast was computed [UTC]; ``forecast`` None if not yet
    """

    series_id: str
    periods: list[str]
    quantities: list[float]
    horizon: int
    forecast_at: datetime | None
    forecast: SeriesForecast | None
