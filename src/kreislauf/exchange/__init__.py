"""Exchange: listings of secondary raw materials, data quality levels, matching, forecasts.

Pure Python: no web, no database. Matching loads OR-Tools and forecasting statsforecast
only when called (:mod:`kreislauf.exchange.matching`, :mod:`kreislauf.exchange.forecast`).
"""

from kreislauf.exchange.forecast import forecast_availability
from kreislauf.exchange.io import read_history, read_listings, read_listings_text
from kreislauf.exchange.levels import dql, listing_levels, missing_for_next
from kreislauf.exchange.matching import haversine_km, match_listings
from kreislauf.exchange.models import (
    INTERVALS,
    SIDES,
    ForecastResult,
    LevelsResult,
    Listing,
    ListingLevel,
    Match,
    MatchResult,
)
from kreislauf.exchange.rules import Element, RuleTable, default_rules, parse_rules, read_rules

__all__ = [
    "INTERVALS",
    "SIDES",
    "Element",
    "ForecastResult",
    "LevelsResult",
    "Listing",
    "ListingLevel",
    "Match",
    "MatchResult",
    "RuleTable",
    "default_rules",
    "dql",
    "forecast_availability",
    "haversine_km",
    "listing_levels",
    "match_listings",
    "missing_for_next",
    "parse_rules",
    "read_history",
    "read_listings",
    "read_listings_text",
    "read_rules",
]
