"""What a report holds: data points with their values, units and sources.

A :class:`DataPoint` is one reported value: the concept of the taxonomy it belongs to, the
dimension members that qualify it (renewable energy, a List-of-Waste code, a material),
its unit, and where it came from: ledger rows, carbon-balance lines, activity rows, or a
field of the answers file. Units inside the results: energy [MWh], emissions [t CO2e],
mass [t], water [m³], money [EUR], shares [%], intensity [t CO2e/EUR].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kreislauf.results import Number9, Result

Origin = Literal["computed", "answered"]
Value = float | bool | str

#: Named conversion constants (the ledger's base units are kg, kWh, m³).
KG_PER_T = 1000.0
KWH_PER_MWH = 1000.0


@dataclass(frozen=True)
class Source:
    """Where a value came from: ``file`` and its ``rows`` (as in the file, header = row 1),
    or for an answer the ``field`` of the answers file; ``note`` says what was taken."""

    file: str
    rows: tuple[int, ...] = ()
    field: str = ""
    note: str = ""


@dataclass(frozen=True)
class DataPoint:
    """One reported value.

    key : unique in a report: the concept id, followed by ``|Axis=Member`` per dimension
    concept : the taxonomy's concept id, or ``kreislauf:<name>`` for a figure kreislauf
        adds that the taxonomy has no concept for (not tagged in Inline XBRL)
    dimensions : ``(axis, member)`` pairs; for a typed axis the member is the typed value
    label : what the value is about when the concept alone does not say (a material)
    """

    key: str
    concept: str
    value: Value
    unit: str | None
    module: str
    origin: Origin
    sources: tuple[Source, ...]
    dimensions: tuple[tuple[str, str], ...] = ()
    label: str = ""

    @property
    def in_taxonomy(self) -> bool:
        return not self.concept.startswith("kreislauf:")


def datapoint_key(concept: str, dimensions: tuple[tuple[str, str], ...] = ()) -> str:
    """``concept`` or ``concept|Axis=Member|…``: the key of a data point."""
    return "|".join([concept, *(f"{axis}={member}" for axis, member in dimensions)])


class SourceJson(Result):
    file: str
    rows: list[int]
    field: str
    note: str


class DataPointJson(Result):
    """One data point in JSON: value, unit, sources and how it was found."""

    value: Number9 | bool | str
    unit: str | None
    source: list[SourceJson]
    concept: str
    module: str
    origin: str
    dimensions: dict[str, str]
    label: str


class ModuleCompleteness(Result):
    """Reported concepts of a module against its concepts in the taxonomy."""

    reported: int
    total: int


@dataclass(frozen=True)
class Completeness:
    """Per module: concepts with at least one value / reportable concepts (items)."""

    modules: dict[str, tuple[int, int]] = field(default_factory=dict)

    def share(self, module: str) -> float:
        reported, total = self.modules.get(module, (0, 0))
        return reported / total if total else 0.0


def datapoint_json(point: DataPoint) -> DataPointJson:
    return DataPointJson(
        value=point.value,
        unit=point.unit,
        source=[
            SourceJson(file=s.file, rows=list(s.rows), field=s.field, note=s.note)
            for s in point.sources
        ],
        concept=point.concept,
        module=point.module,
        origin=point.origin,
        dimensions=dict(point.dimensions),
        label=point.label,
    )
