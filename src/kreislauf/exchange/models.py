"""What the exchange reads and writes: listings, levels, matches.

A :class:`Listing` is one offer or request of a secondary raw material, validated and in
base units: quantity [t] per its interval, prices [EUR/t], coordinates [°, WGS 84],
distances [km]. The results (:class:`LevelsResult`, :class:`MatchResult`) derive from
:class:`kreislauf.results.Result` and are the JSON documents of the CLI and the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from kreislauf.results import Exact, Number, Number2, Number3, Result

Side = Literal["offer", "request"]
SIDES: tuple[Side, ...] = get_args(Side)
Interval = Literal["once", "month", "quarter", "year"]
INTERVALS: tuple[Interval, ...] = get_args(Interval)
#: Months per interval of a recurring listing; recurring quantities are matched per month.
MONTHS_PER_INTERVAL: dict[Interval, int] = {"month": 1, "quarter": 3, "year": 12}

#: The columns of the import format, in file order; every one must be a heading.
LISTING_COLUMNS = (
    "id",
    "side",
    "company",
    "material",
    "quantity_t",
    "interval",
    "price_eur_per_t",
    "lat",
    "lon",
    "ewc_code",
    "valid_from",
    "valid_to",
)
#: Columns only requests fill; optional headings (blank: no restriction).
REQUEST_COLUMNS = ("min_dql", "max_price_eur_per_t", "max_distance_km")


class Listing(BaseModel):
    """One offer or request.

    quantity_t : tonnage per ``interval`` (``once``: the whole lot) [t]
    price_eur_per_t : the asking price of an offer, the indicative price of a request
        (``None``: not given) [EUR/t]
    lat, lon : location, WGS 84 [°]
    ewc_code : European Waste Catalogue / AVV code, e.g. ``07 02 13`` ("" if not given)
    valid_from, valid_to : validity, inclusive (``None``: open)
    min_dql : a request's lowest acceptable data quality level (0: any) [-]
    max_price_eur_per_t : a request's highest acceptable offer price (``None``: any) [EUR/t]
    max_distance_km : a request's largest acceptable distance (``None``: any) [km]
    elements : the rule-table elements whose information or test result the listing has
    row : the listing's line in its file (0 when not read from a file)
    """

    model_config = ConfigDict(frozen=True)

    id: str
    side: Side
    company: str
    material: str
    quantity_t: float
    interval: Interval
    price_eur_per_t: float | None
    lat: float
    lon: float
    ewc_code: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    min_dql: int = 0
    max_price_eur_per_t: float | None = None
    max_distance_km: float | None = None
    elements: frozenset[str] = frozenset()
    row: int = 0

    @property
    def recurring(self) -> bool:
        return self.interval != "once"

    @property
    def tonnes_per_month(self) -> float:
        """A recurring listing's quantity per month [t/month]; a lot's whole quantity [t]."""
        if self.interval == "once":
            return self.quantity_t
        return self.quantity_t / MONTHS_PER_INTERVAL[self.interval]


class RulesRef(Result):
    """The rule table a result was computed with."""

    id: str
    version: str
    source: str
    licence: str


class ListingLevel(Result):
    """The derived data quality level of one listing.

    dql : the highest level whose elements (and those of every lower level) are all
        present; 0 when not even level 1 holds [-]
    missing_for_next : the elements the listing lacks for level ``dql + 1`` ([] at the top)
    """

    id: str
    side: Side
    dql: int
    missing_for_next: list[str]


class LevelsResult(Result):
    """Levels of every listing of a file, with the rule table used."""

    rules: RulesRef
    listings: list[ListingLevel]


class MatchReason(BaseModel):
    """Why an offer may serve a request: each arc restriction with both sides' values."""

    model_config = ConfigDict(frozen=True)

    material: str
    dql: int
    min_dql: int
    price_eur_per_t: Exact
    max_price_eur_per_t: Exact | None
    distance_km: Number3
    max_distance_km: Exact | None


class Match(Result):
    """Tonnage of one offer assigned to one request.

    quantity_t : tonnage moved (per month for recurring listings, the lot for ``once``) [t]
    distance_km : great-circle distance [km]
    cost_eur : quantity × (offer price + distance × transport rate) [EUR]
    goods_eur, transport_eur : the two parts of ``cost_eur`` [EUR]
    co2e_kg : quantity × distance × the lorry factor [kg CO2e]
    """

    offer: str
    request: str
    interval: Literal["once", "month"]
    quantity_t: Number
    distance_km: Number3
    cost_eur: Number2
    goods_eur: Number2
    transport_eur: Number2
    co2e_kg: Number3
    reason: MatchReason


class Remainder(Result):
    """Tonnage of a listing left without a match [t]."""

    id: str
    side: Side
    quantity_t: Number


class TransportFactor(Result):
    """The emission factor used for transport (from :mod:`kreislauf.carbon`)."""

    key: str
    value: Exact
    unit: str
    source: str
    year: int | None
    region: str


class MatchResult(Result):
    """The matching of a set of listings: most tonnage, then least cost.

    total_t : tonnage matched [t]; total_cost_eur [EUR]; total_co2e_kg [kg CO2e]
    transport_eur_per_tkm : the transport rate used [EUR/(t·km)]
    candidate_arcs : offer-request pairs that passed every restriction [-]
    method : how the optimum was found, with the integer scaling
    """

    matches: list[Match]
    total_t: Number
    total_cost_eur: Number2
    total_co2e_kg: Number3
    unmatched: list[Remainder]
    transport_eur_per_tkm: Exact
    transport_factor: TransportFactor
    candidate_arcs: int
    method: str
    rules: RulesRef


class ForecastPoint(Result):
    """One month of a forecast: mean and 80 % prediction interval [t]."""

    period: str
    mean: Number
    lo_80: Number
    hi_80: Number


class ModelBacktest(Result):
    """A model's MASE on the selection windows and on the held-out last window [-]."""

    model: str
    selection_mase: Number
    holdout_mase: Number


class SeriesForecast(Result):
    """The forecast of one series with its error and its baselines.

    model : the model whose forecast is shown (the chosen one, or ``SeasonalNaive`` where
        the chosen one does not beat it out of sample)
    best_model : the model the selection windows chose
    mase : out-of-sample MASE of ``model`` on the last backtest window [-]
    baselines : out-of-sample MASE of the naive and the seasonal naive forecast [-]
    """

    id: str
    model: str
    best_model: str
    mase: Number
    best_model_mase: Number
    beats_seasonal_naive: bool
    baselines: dict[str, Number]
    backtest: list[ModelBacktest]
    forecast: list[ForecastPoint]


class ForecastResult(Result):
    """Forecasts of every series of a history.

    mean_mase : mean out-of-sample MASE of the chosen models over the series [-]
    mean_mase_seasonal_naive : the same for the seasonal naive forecast [-]
    beats_seasonal_naive : whether the chosen models beat seasonal naive on average
    """

    horizon: int
    windows: int
    level: int
    candidates: list[str]
    series: list[SeriesForecast]
    mean_mase: Number
    mean_mase_seasonal_naive: Number
    beats_seasonal_naive: bool
