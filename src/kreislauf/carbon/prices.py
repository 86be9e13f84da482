"""CO2 price paths: EUR per tonne CO2e by calendar year, as data.

The shipped paths live in ``carbon/data/co2_prices.csv`` (columns ``path, year, eur_per_t,
status, source``). ``status`` says what a figure is: ``law`` (fixed by law), ``corridor``
(midpoint of a legal price corridor), ``announced`` (government decision, not yet law),
``observed`` (market average) or ``scenario`` (an assumption, labelled with its source).

A user file with the same columns overrides: every path it names replaces the shipped
path of that name completely; new names are added. It is read by :mod:`kreislauf.tables`
(encoding, delimiter and decimal mark detected; blank and ``#`` comment lines skipped).

Rule between and beyond the given years (see docs/carbon-products.md#price-paths):
linear interpolation between two given years; before the first given year the price is 0
(no price existed); after the last given year the last price is held constant (no
extrapolation).

References
----------
Brennstoffemissionshandelsgesetz (BEHG) § 10 (2), as amended on 21.10.2022 and in
December 2023. https://www.gesetze-im-internet.de/behg/__10.html
Directive (EU) 2023/959 (ETS2 for buildings, road transport and further sectors).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from kreislauf.errors import InvalidPriceFile, UnknownPricePath
from kreislauf.numbers import Decimal, parse_number
from kreislauf.tables import Table, read_table, read_table_text

#: The path used when none is chosen: BEHG by law, then the ETS2 central scenario.
DEFAULT_PATH = "de_ets2_central"
PRICE_COLUMNS = ("path", "year", "eur_per_t", "status", "source")
STATUSES = ("law", "corridor", "announced", "observed", "scenario")


@dataclass(frozen=True)
class PricePoint:
    """One given price: ``eur_per_t`` [EUR/t CO2e] in calendar ``year``."""

    year: int
    eur_per_t: float
    status: str
    source: str


@dataclass(frozen=True)
class PricePath:
    """A CO2 price path; ``origin`` is the file it was read from ("shipped" or a path)."""

    name: str
    points: tuple[PricePoint, ...]
    origin: str = "shipped"

    def price(self, year: int) -> float:
        """The price in ``year`` [EUR/t CO2e] by the interpolation rule of this module."""
        return float(self.prices([year])[0])

    def prices(self, years: list[int] | np.ndarray) -> np.ndarray:
        """Prices for many years at once [EUR/t CO2e]."""
        x = np.asarray(years, dtype=float)
        known_years = np.array([p.year for p in self.points], dtype=float)
        known = np.array([p.eur_per_t for p in self.points], dtype=float)
        result = np.interp(x, known_years, known)  # holds the ends constant
        return np.where(x < known_years[0], 0.0, result)

    @property
    def scenario_from(self) -> int | None:
        """The first year whose figure is an assumption (status ``scenario``), if any."""
        years = [p.year for p in self.points if p.status == "scenario"]
        return min(years) if years else None


def read_price_paths(user_file: Path | None = None) -> dict[str, PricePath]:
    """The shipped price paths, overridden and extended by ``user_file``.

    Raises
    ------
    FileNotReadable
        if ``user_file`` cannot be opened.
    InvalidPriceFile
        naming file, row and column, if a row is incomplete or not a number.
    """
    shipped = resources.files("kreislauf.carbon").joinpath("data", "co2_prices.csv")
    text = shipped.read_text(encoding="utf-8")
    paths = _parse(read_table_text(text, name="co2_prices.csv"), "co2_prices.csv", "shipped")
    if user_file is not None:
        table = read_table(Path(user_file), comments=True)
        paths.update(_parse(table, str(user_file), str(user_file)))
    return paths


def price_path(paths: dict[str, PricePath], name: str) -> PricePath:
    """The path called ``name``; :class:`UnknownPricePath` lists the known names."""
    try:
        return paths[name]
    except KeyError:
        raise UnknownPricePath(value=name, available=", ".join(sorted(paths))) from None


def _parse(table: Table, file: str, origin: str) -> dict[str, PricePath]:
    header = table.columns
    missing = [c for c in PRICE_COLUMNS[:3] if c not in header]
    if missing:
        raise InvalidPriceFile(
            file=file,
            row=table.header_line,
            value=", ".join(missing),
            expected=", ".join(PRICE_COLUMNS),
        )
    decimals = {c: table.decimal_of(c) for c in ("year", "eur_per_t")}
    points: dict[str, list[PricePoint]] = {}
    for row_number, row in table.records():
        name = row.get("path", "")
        if not name:
            raise InvalidPriceFile(
                file=file, row=row_number, column="path", value="", expected="a path name"
            )
        year = _number(row, "year", file, row_number, decimals, expected="a year such as 2030")
        price = _number(
            row, "eur_per_t", file, row_number, decimals, expected="a price >= 0 [EUR/t]"
        )
        if price < 0 or year != int(year):
            column, value = ("year", year) if year != int(year) else ("eur_per_t", price)
            raise InvalidPriceFile(
                file=file,
                row=row_number,
                column=column,
                value=value,
                expected="a whole year, a price >= 0 [EUR/t]",
            )
        status = row.get("status") or "scenario"
        if status not in STATUSES:
            raise InvalidPriceFile(
                file=file,
                row=row_number,
                column="status",
                value=status,
                expected=", ".join(STATUSES),
            )
        points.setdefault(name, []).append(
            PricePoint(int(year), price, status, row.get("source", ""))
        )
    result: dict[str, PricePath] = {}
    for name, found in points.items():
        ordered = sorted(found, key=lambda p: p.year)
        years = [p.year for p in ordered]
        if len(set(years)) != len(years):
            twice = sorted({y for y in years if years.count(y) > 1})
            raise InvalidPriceFile(
                file=file,
                column="year",
                value=f"{name} {twice[0]}",
                expected="each year once per path",
            )
        result[name] = PricePath(name, tuple(ordered), origin)
    return result


def _number(
    row: dict[str, str],
    column: str,
    file: str,
    row_number: int,
    decimals: dict[str, Decimal | None],
    *,
    expected: str,
) -> float:
    value = row.get(column, "")
    try:
        number = parse_number(value, decimal=decimals[column])
    except ValueError:
        raise InvalidPriceFile(
            file=file, row=row_number, column=column, value=value, expected=expected
        ) from None
    if not math.isfinite(number):
        raise InvalidPriceFile(
            file=file, row=row_number, column=column, value=value, expected=expected
        )
    return number
