"""Several VSME years side by side: the numeric data points of each year and their change
against the year before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from kreislauf.reporting.vsme import VsmeReport
from kreislauf.results import Number, Result, Serialisable


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
