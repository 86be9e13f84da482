"""Monthly availability per material and region from the platform's recurring offers.

The nightly refresh extends a stored series ``MATERIAL-REGION`` (the ids of the example
network, e.g. ``PP-Leipzig``) by each month that has ended since its last period: the
month's value is the sum, over the published **recurring** offers of that material whose
location lies in the region, of their quantity per month (``month``: the quantity,
``quarter``: a third, ``year``: a twelfth) [t/month]. An offer counts in a month when it
was published before the month ended and its validity (``valid_from`` … ``valid_to``,
inclusive, blank = open) overlaps the month. One-off lots (``once``) and requests are not
availability of a recurring stream and do not count.

A listing lies in the region whose centre is nearest to it, if that centre is at most
:data:`REGION_RADIUS_KM` away (great-circle distance, :func:`haversine_km`); farther
listings belong to no region. Centres: the town halls of the four cities of the example
network (WGS 84, rounded to 0.001°, read off OpenStreetMap).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from kreislauf.exchange.matching import haversine_km
from kreislauf.exchange.models import MONTHS_PER_INTERVAL, Listing

#: Farthest a listing may lie from its region's centre [km].
REGION_RADIUS_KM = 40.0


@dataclass(frozen=True)
class Region:
    """A named region of the network: its centre (WGS 84) [°]."""

    name: str
    lat: float
    lon: float


#: The regions of the Central German network of the example (examples/exchange-network).
REGIONS = (
    Region("Leipzig", 51.340, 12.374),
    Region("Halle", 51.483, 11.969),
    Region("Dresden", 51.050, 13.738),
    Region("Chemnitz", 50.833, 12.919),
)


def material_key(material: str) -> str:
    """A material as compared on the platform: blanks collapsed, case folded."""
    return " ".join(material.split()).casefold()


def region_of(lat: float, lon: float, regions: Iterable[Region] = REGIONS) -> str | None:
    """The name of the nearest region within :data:`REGION_RADIUS_KM`, else ``None``."""
    distances = [(float(haversine_km(lat, lon, r.lat, r.lon)), r.name) for r in regions]
    nearest = min(distances, default=None)
    return nearest[1] if nearest is not None and nearest[0] <= REGION_RADIUS_KM else None


def split_series_id(series_id: str, regions: Iterable[Region] = REGIONS) -> tuple[str, str] | None:
    """``(material key, region)`` of an id ``MATERIAL-REGION``; ``None`` for other ids."""
    for region in regions:
        suffix = f"-{region.name}"
        if series_id.casefold().endswith(suffix.casefold()) and len(series_id) > len(suffix):
            return material_key(series_id[: -len(suffix)]), region.name
    return None


def month_bounds(period: str) -> tuple[date, date]:
    """First and last day of the month ``YYYY-MM``."""
    year, month = (int(part) for part in period.split("-"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def next_period(period: str) -> str:
    """The month after ``YYYY-MM``."""
    year, month = (int(part) for part in period.split("-"))
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def monthly_supply(
    offers: Iterable[tuple[Listing, datetime]],
    period: str,
    *,
    regions: Iterable[Region] = REGIONS,
) -> dict[tuple[str, str], float]:
    """``{(material key, region): t/month}`` in ``period`` (``YYYY-MM``) of the platform.

    ``offers``: published listings with the time each was published (requests and
    one-off lots among them are skipped).
    """
    first, last = month_bounds(period)
    chosen = tuple(regions)
    supply: dict[tuple[str, str], float] = {}
    for listing, published in offers:
        if listing.side != "offer" or listing.interval == "once" or published.date() > last:
            continue
        if (listing.valid_from and listing.valid_from > last) or (
            listing.valid_to and listing.valid_to < first
        ):
            continue
        region = region_of(listing.lat, listing.lon, chosen)
        if region is None:
            continue
        key = (material_key(listing.material), region)
        supply[key] = (
            supply.get(key, 0.0) + listing.quantity_t / MONTHS_PER_INTERVAL[listing.interval]
        )
    return supply


def extended_series(
    periods: list[str],
    quantities: list[float],
    *,
    series_id: str,
    offers: list[tuple[Listing, datetime]],
    until: str,
    stored_in: str,
    regions: Iterable[Region] = REGIONS,
) -> tuple[list[str], list[float]]:
    """A stored series extended by every month after its last period up to ``until``
    (``YYYY-MM``, inclusive: the last month that has ended) with the platform's supply.

    ``stored_in``: the month the series was stored (``YYYY-MM``). A series whose next
    month had already ended then (an upload that stops months before it was made) has a
    gap the platform's current listings cannot fill honestly: it comes back unchanged,
    and so do an id that is not ``MATERIAL-REGION`` and a series already at ``until``.
    """
    chosen = tuple(regions)
    parts = split_series_id(series_id, chosen)
    if parts is None or not periods or next_period(periods[-1]) < stored_in:
        return list(periods), list(quantities)
    out_periods, out_quantities = list(periods), list(quantities)
    period = next_period(periods[-1])
    while period <= until:
        supply: Mapping[tuple[str, str], float] = monthly_supply(offers, period, regions=chosen)
        out_periods.append(period)
        out_quantities.append(supply.get(parts, 0.0))
        period = next_period(period)
    return out_periods, out_quantities
