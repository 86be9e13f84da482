"""Several VSME years side by side: the numeric data points of each year and their change
against the year before (absolute [the point's unit] and relative [%]).

:func:`compared_years` picks the years (given ones, or every year of the ledger),
:func:`vsme_years` computes the earlier years' reports beside the reporting year's and
:func:`vsme_comparison` sets them side by side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from kreislauf.reporting.answers import Answers
from kreislauf.reporting.vsme import VsmeReport, vsme_report, year_flows
from kreislauf.results import Number, Result, Serialisable

if TYPE_CHECKING:
    from kreislauf.carbon import Activity, GhgBalance
    from kreislauf.ledger import Ledger

#: ``--compare all``: every earlier year of the ledger.
ALL_YEARS = "all"


@dataclass(frozen=True)
class ComparedPoint:
    """One numeric data point over the years [its unit]; change = value − previous year's
    value, share = change / previous [%] (None where a year lacks the value or it is 0)."""

    key: str
    unit: str | None
    module: str
    values: dict[str, float | None]
    change: dict[str, float | None]
    change_percent: dict[str, float | None]


@dataclass(frozen=True)
class VsmeComparison(Serialisable):
    """Years in order and the numeric data points of any of them."""

    years: tuple[str, ...]
    points: tuple[ComparedPoint, ...]

    @property
    def latest(self) -> str:
        """The last year; the change shown is its change against the year before."""
        return self.years[-1]

    @property
    def previous(self) -> str | None:
        return self.years[-2] if len(self.years) > 1 else None

    def json_model(self) -> ComparisonJson:
        return ComparisonJson(
            years=list(self.years),
            datapoints={
                p.key: ComparedJson(
                    unit=p.unit,
                    module=p.module,
                    values=p.values,
                    change=p.change,
                    change_percent=p.change_percent,
                )
                for p in self.points
            },
        )


class ComparedJson(Result):
    unit: str | None
    module: str
    values: dict[str, Number | None]
    change: dict[str, Number | None]
    change_percent: dict[str, Number | None]


class ComparisonJson(Result):
    """The ``comparison`` of ``kreislauf reporting vsme --compare``."""

    years: list[str]
    datapoints: dict[str, ComparedJson]


def vsme_comparison(reports: Sequence[VsmeReport]) -> VsmeComparison:
    """The numeric data points of ``reports`` (sorted by year) side by side."""
    ordered = sorted(reports, key=lambda r: r.year)
    years = tuple(r.year for r in ordered)
    keys: dict[str, tuple[str | None, str]] = {}
    for report in ordered:
        for key, point in report.points.items():
            if isinstance(point.value, float) and not isinstance(point.value, bool):
                keys.setdefault(key, (point.unit, point.module))
    points = []
    for key, (unit, module) in keys.items():
        values: dict[str, float | None] = {}
        for report in ordered:
            value = report.value(key)
            values[report.year] = value if isinstance(value, float) else None
        change: dict[str, float | None] = {}
        percent: dict[str, float | None] = {}
        for previous, year in pairwise(years):
            old, new = values[previous], values[year]
            if old is None or new is None:
                change[year] = percent[year] = None
                continue
            change[year] = new - old
            percent[year] = 100 * (new - old) / old if old else None
        points.append(ComparedPoint(key, unit, module, values, change, percent))
    return VsmeComparison(years, tuple(points))


def ledger_years(ledger: Ledger) -> list[str]:
    """The years ``YYYY`` the ledger has flows in, in order."""
    return sorted({str(p)[:4] for p in ledger.periods})


def compared_years(ledger: Ledger, *, year: str, compare: Sequence[str]) -> list[str]:
    """The years to set beside ``year``: each of ``compare`` (``YYYY``, comma lists such
    as ``2022,2023`` allowed) or, for ``all``, every year of the ledger before ``year``;
    in order, without ``year`` itself.

    Raises
    ------
    YearNotInLedger
        when a year has no flow in the ledger (the message lists the ledger's years).
    """
    wanted = [p.strip() for item in compare for p in item.split(",") if p.strip()]
    if ALL_YEARS in wanted:
        return [y for y in ledger_years(ledger) if y < year]
    chosen = sorted(set(wanted) - {year})
    for candidate in chosen:
        year_flows(ledger, candidate)  # raises YearNotInLedger for a year without flows
    return chosen


def vsme_years(
    ledger: Ledger,
    report: VsmeReport,
    *,
    years: Sequence[str],
    balance: GhgBalance | None = None,
    activities: Sequence[Activity] = (),
    answers: Mapping[str, Answers] | None = None,
) -> VsmeComparison:
    """``report`` beside the reports of ``years``, computed from the same ledger, balance
    and activities; ``answers`` per year (a year without answers is computed alone, e.g.
    the intensities need that year's turnover)."""
    given = answers or {}
    earlier = [
        vsme_report(ledger, year=y, balance=balance, activities=activities, answers=given.get(y))
        for y in years
        if y != report.year
    ]
    return vsme_comparison([report, *earlier])
