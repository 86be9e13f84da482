"""Reading listings files and availability histories (CSV/XLSX through kreislauf.tables).

Listings: the columns :data:`~kreislauf.exchange.models.LISTING_COLUMNS`, for requests
also :data:`~kreislauf.exchange.models.REQUEST_COLUMNS`, and one optional column per
element of the rule table (named by its ``id_short``; a non-empty cell means the
information or test result is there). History: ``series_id, period (YYYY-MM),
quantity_t``. Every problem raises with file, row and column; nothing of a bad file is
returned.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from kreislauf.errors import InputError, InvalidHistory, InvalidListing
from kreislauf.exchange.models import (
    INTERVALS,
    LISTING_COLUMNS,
    REQUEST_COLUMNS,
    SIDES,
    Listing,
)
from kreislauf.exchange.rules import RuleTable, default_rules
from kreislauf.i18n import Msg, msg
from kreislauf.tables import Table, read_table, read_table_text

HISTORY_COLUMNS = ("series_id", "period", "quantity_t")
#: Longest series id [characters] (the platform stores it: exchange_series.series_id).
MAX_SERIES_ID = 100
_NUMERIC = ("quantity_t", "price_eur_per_t", "lat", "lon", *REQUEST_COLUMNS)
_EWC = re.compile(r"^\d{2} ?\d{2} ?\d{2}\*?$")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def read_listings(path: Path, *, rules: RuleTable | None = None) -> tuple[Listing, ...]:
    """The listings of a CSV/XLSX file, validated against the import format and ``rules``.

    rules : the rule table whose elements may appear as columns (default: the shipped one)

    Raises
    ------
    FileNotReadable, UnsupportedFormat
        when the file cannot be read as a table.
    InvalidListing
        at the first bad heading or cell (file, row, column, value, what was expected).
    """
    table = read_table(Path(path), comments=True)
    return listings_from_table(table, rules=rules or default_rules())


def read_listings_text(
    data: bytes | str, *, name: str, rules: RuleTable | None = None
) -> tuple[Listing, ...]:
    """:func:`read_listings` for an uploaded text file's content (``name`` in messages)."""
    table = read_table_text(data, name=name, comments=True)
    return listings_from_table(table, rules=rules or default_rules())


def _headings(table: Table, rules: RuleTable) -> None:
    known = {*LISTING_COLUMNS, *REQUEST_COLUMNS, *rules.names}
    missing = [c for c in LISTING_COLUMNS if c not in table.columns]
    if missing:
        raise InvalidListing(
            file=table.source,
            row=table.header_line,
            value=", ".join(missing),
            expected=msg("exchange.expected.columns", columns=", ".join(LISTING_COLUMNS)),
        )
    for column in table.columns:
        if column not in known:
            close = difflib.get_close_matches(column, sorted(known), n=1)
            raise InvalidListing(
                file=table.source,
                row=table.header_line,
                column=column,
                value=column,
                expected=msg(
                    "exchange.expected.columns",
                    columns=(close[0] if close else ", ".join(LISTING_COLUMNS))
                    + f" ({rules.id} {rules.version})",
                ),
            )
    if not len(table):
        raise InvalidListing(file=table.source, value="", expected=msg("exchange.expected.rows"))


def listings_from_table(table: Table, *, rules: RuleTable) -> tuple[Listing, ...]:
    """Validated listings from the rows of ``table`` (see :func:`read_listings`)."""
    _headings(table, rules)
    numbers = {
        column: table.numbers(column, error=InvalidListing)
        for column in _NUMERIC
        if column in table.columns
    }
    frame = table.frame
    elements = [c for c in rules.names if c in table.columns]
    present = {c: frame[c].notna().to_numpy() for c in elements}
    listings: list[Listing] = []
    seen: set[str] = set()
    for position, (line, row) in enumerate(table.records()):

        def bad(
            column: str, expected: Msg, *, _line: int = line, _row: dict[str, str] = row
        ) -> InputError:
            return InvalidListing(
                file=table.source,
                row=_line,
                column=column,
                value=_row.get(column, ""),
                expected=expected,
            )

        def number(column: str, *, _position: int = position) -> float | None:
            values = numbers.get(column)
            if values is None or np.isnan(values[_position]):
                return None
            return float(values[_position])

        listing_id = row["id"]
        if not listing_id:
            raise bad("id", msg("exchange.expected.text"))
        if listing_id in seen:
            raise bad("id", msg("exchange.expected.unique_id"))
        seen.add(listing_id)
        side = row["side"].lower()
        if side not in SIDES:
            raise bad("side", msg("exchange.expected.side"))
        for column in ("company", "material"):
            if not row[column]:
                raise bad(column, msg("exchange.expected.text"))
        interval = row["interval"].lower()
        if interval not in INTERVALS:
            raise bad("interval", msg("exchange.expected.interval"))
        quantity = number("quantity_t")
        if quantity is None or not quantity > 0:
            raise bad("quantity_t", msg("exchange.expected.positive_t"))
        price = number("price_eur_per_t")
        if (price is None and side == "offer") or (price is not None and price < 0):
            raise bad("price_eur_per_t", msg("exchange.expected.price"))
        lat, lon = number("lat"), number("lon")
        if lat is None or not -90 <= lat <= 90:
            raise bad("lat", msg("exchange.expected.lat"))
        if lon is None or not -180 <= lon <= 180:
            raise bad("lon", msg("exchange.expected.lon"))
        ewc = " ".join(row["ewc_code"].split())
        if ewc and not _EWC.match(ewc):
            raise bad("ewc_code", msg("exchange.expected.ewc"))
        valid_from = _date(
            frame["valid_from"].iloc[position],
            lambda: bad("valid_from", msg("exchange.expected.date")),
        )
        valid_to = _date(
            frame["valid_to"].iloc[position], lambda: bad("valid_to", msg("exchange.expected.date"))
        )
        if valid_from and valid_to and valid_to < valid_from:
            raise bad("valid_to", msg("exchange.expected.date_order"))
        min_dql = number("min_dql")
        if min_dql is not None and (min_dql != int(min_dql) or not 0 <= min_dql <= rules.top):
            raise bad("min_dql", msg("exchange.expected.dql", top=rules.top))
        max_price = number("max_price_eur_per_t")
        if max_price is not None and max_price < 0:
            raise bad("max_price_eur_per_t", msg("exchange.expected.price"))
        max_distance = number("max_distance_km")
        if max_distance is not None and max_distance < 0:
            raise bad("max_distance_km", msg("exchange.expected.distance"))
        listings.append(
            Listing(
                id=listing_id,
                side=side,
                company=row["company"],
                material=row["material"],
                quantity_t=quantity,
                interval=interval,
                price_eur_per_t=price,
                lat=lat,
                lon=lon,
                ewc_code=ewc,
                valid_from=valid_from,
                valid_to=valid_to,
                min_dql=int(min_dql or 0),
                max_price_eur_per_t=max_price,
                max_distance_km=max_distance,
                elements=frozenset(c for c in elements if present[c][position]),
                row=line,
            )
        )
    return tuple(listings)


def _date(cell: object, bad: Callable[[], InputError]) -> dt.date | None:
    """A validity date: ``YYYY-MM-DD`` text or an XLSX date cell; blank is ``None``."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    try:
        return dt.date.fromisoformat(str(cell).strip())
    except ValueError:
        raise bad() from None


def read_history(path: Path) -> pd.DataFrame:
    """The availability history of a CSV/XLSX file: one row per series and month.

    Returns a frame with ``unique_id`` (the series id), ``ds`` (the month's first day,
    ``datetime64``) and ``y`` [t], sorted by series and month, as statsforecast takes it.
    Months missing inside a series are filled with 0 t (no listing, nothing available).

    Raises
    ------
    FileNotReadable, UnsupportedFormat
    InvalidHistory
        at the first bad heading or cell, or a month given twice for one series.
    """
    table = read_table(Path(path), comments=True)
    return history_from_table(table)


def history_from_table(table: Table) -> pd.DataFrame:
    """The history frame of ``table`` (see :func:`read_history`)."""
    missing = [c for c in HISTORY_COLUMNS if c not in table.columns]
    if missing or not len(table):
        raise InvalidHistory(
            file=table.source,
            row=table.header_line,
            value=", ".join(missing) if missing else "",
            expected=msg("exchange.expected.columns", columns=", ".join(HISTORY_COLUMNS))
            if missing
            else msg("exchange.expected.rows"),
        )
    quantities = table.numbers("quantity_t", error=InvalidHistory)
    ids: list[str] = []
    months: list[pd.Timestamp] = []
    seen: set[tuple[str, pd.Timestamp]] = set()
    for position, (line, row) in enumerate(table.records()):

        def bad(
            column: str, expected: Msg, *, _line: int = line, _row: dict[str, str] = row
        ) -> InputError:
            return InvalidHistory(
                file=table.source, row=_line, column=column, value=_row[column], expected=expected
            )

        if not row["series_id"]:
            raise bad("series_id", msg("exchange.expected.text"))
        if len(row["series_id"]) > MAX_SERIES_ID:
            raise bad("series_id", msg("exchange.expected.series_id", n=MAX_SERIES_ID))
        found = _PERIOD.match(row["period"][:7] if len(row["period"]) == 19 else row["period"])
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise bad("period", msg("exchange.expected.period"))
        quantity = quantities[position]
        if np.isnan(quantity) or quantity < 0:
            raise bad("quantity_t", msg("exchange.expected.quantity"))
        month = pd.Timestamp(year=int(found.group(1)), month=int(found.group(2)), day=1)
        if (row["series_id"], month) in seen:
            raise bad("period", msg("exchange.expected.unique_period"))
        seen.add((row["series_id"], month))
        ids.append(row["series_id"])
        months.append(month)
    frame = pd.DataFrame({"unique_id": ids, "ds": months, "y": quantities.astype(float)})
    return _complete_months(frame)


def _complete_months(frame: pd.DataFrame) -> pd.DataFrame:
    """Every month between a series' first and last, missing ones as 0 t."""
    parts = []
    for series_id, group in frame.groupby("unique_id", sort=True):
        months = pd.date_range(group["ds"].min(), group["ds"].max(), freq="MS")
        values = group.set_index("ds")["y"].reindex(months, fill_value=0.0)
        parts.append(
            pd.DataFrame({"unique_id": series_id, "ds": months, "y": values.to_numpy(float)})
        )
    return pd.concat(parts, ignore_index=True)
