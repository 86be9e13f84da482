"""The VSME report of one year: data points computed from the ledger and the GHG balance,
the rest taken from the answers file, each traced to where it came from.

Computed (docs/reporting.md#computed has the table with paragraphs):

- B3 energy [MWh]: ``energy_in`` by carrier. Electricity bought (``electricity``),
  self-generated (``own_pv``, renewable), fuels (``natural_gas``, ``heating_oil``,
  ``diesel``, non-renewable); district heat counts in the total only (the VSME breakdown
  names electricity and fuels). Bought electricity is renewable as far as guarantees of
  origin (``green_electricity`` activities of the year) cover it.
- B3 GHG [t CO2e]: Scope 1, Scope 2 location- and market-based, Scope 3 (where the balance
  has lines) of :func:`kreislauf.carbon.ghg_balance` for the year; totals; intensity per
  turnover [t CO2e/EUR] when the answers give ``Turnover``.
- B6 water [m³]: withdrawal = Σ ``water_in``; discharge = Σ ``water_out`` when the ledger
  has such rows; consumption = withdrawal − discharge (VSME §36).
- B7: material used [t] in total and per material (``material_in``), recycled input share
  [%] (ISO 14021, as the ledger KPI); waste [t] per List-of-Waste code (from the answers'
  ``waste_codes`` or a waste row's ``category``), hazardous / non-hazardous by the code,
  diverted to recycling or reuse (treatment ``recycling``) or directed to disposal
  (``energy_recovery``, ``disposal``: energy recovery is neither recycling nor reuse).

References
----------
EFRAG (2024) VSME, Basic Module B3 §§29-31, B6 §§35-36, B7 §§37-38; Commission
Recommendation (EU) 2025/1710. ISO 14021:2016 (recycled content). Commission Decision
2000/532/EC (List of Waste) and AVV (Abfallverzeichnis-Verordnung), Anlage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from kreislauf.carbon import Activity, GhgBalance
from kreislauf.carbon.balance import BalanceLine
from kreislauf.errors import YearNotInLedger
from kreislauf.ledger import Ledger
from kreislauf.reporting.answers import Answers, Entity, unit_of
from kreislauf.reporting.models import (
    KG_PER_T,
    KWH_PER_MWH,
    Completeness,
    DataPoint,
    DataPointJson,
    ModuleCompleteness,
    Source,
    datapoint_json,
    datapoint_key,
)
from kreislauf.reporting.taxonomy import (
    MODULES,
    TAXONOMY_VERSION,
    concepts,
    datapoints,
    waste_codes,
)
from kreislauf.reporting.waste import row_waste_codes
from kreislauf.results import Result, Serialisable
from kreislauf.units import Quantity

FUELS = ("natural_gas", "heating_oil", "diesel")
ENERGY_AXIS = "BreakdownOfEnergyConsumptionAxis"
RENEWABLE = "RenewableEnergyMember"
NON_RENEWABLE = "NonRenewableEnergyMember"
WASTE_AXIS = "TypeOfWasteAxis"
MATERIAL_AXIS = "IdentifierOfMaterialTypedAxis"
RECYCLED_INPUT_SHARE = "kreislauf:RecycledInputShare"
RENEWABLE_SHARE = "kreislauf:RenewableEnergyShare"
UNCODED_WASTE = "kreislauf:WasteWithoutListOfWasteCode"


@dataclass(frozen=True)
class VsmeReport(Serialisable):
    """A VSME report of one year: its data points by key, completeness and warnings."""

    year: str
    points: dict[str, DataPoint]
    completeness: Completeness
    entity: Entity
    warnings: tuple[str, ...] = ()
    answered_by: str = ""
    answered_on: str = ""
    sources: tuple[str, ...] = field(default=())

    def value(self, key: str) -> float | bool | str | None:
        point = self.points.get(key)
        return None if point is None else point.value

    def json_model(self) -> VsmeJson:
        return VsmeJson(
            year=self.year,
            taxonomy=TAXONOMY_VERSION,
            entity=self.entity.__dict__,
            answered_by=self.answered_by,
            answered_on=self.answered_on,
            datapoints={key: datapoint_json(p) for key, p in self.points.items()},
            completeness={
                module: ModuleCompleteness(reported=r, total=t)
                for module, (r, t) in self.completeness.modules.items()
            },
            warnings=list(self.warnings),
        )


class VsmeJson(Result):
    """``kreislauf reporting vsme --json``: ``{"datapoints": {id: {"value", "unit",
    "source", …}}}`` with year, taxonomy version, entity, completeness per module."""

    year: str
    taxonomy: str
    entity: dict[str, str]
    answered_by: str
    answered_on: str
    datapoints: dict[str, DataPointJson]
    completeness: dict[str, ModuleCompleteness]
    warnings: list[str]


def year_flows(ledger: Ledger, year: str) -> pd.DataFrame:
    """The ledger's flows of ``year`` (periods ``YYYY`` or ``YYYY-MM``)."""
    periods = ledger.flows["period"].astype(str)
    flows = ledger.flows[periods.str[:4] == year]
    if flows.empty:
        years = sorted({p[:4] for p in periods.unique()})
        raise YearNotInLedger(value=year, expected=", ".join(years) or "no flows")
    return flows


def rows_source(flows: pd.DataFrame, note: str = "") -> tuple[Source, ...]:
    """One :class:`Source` per file with the rows of ``flows``, in file order."""
    sources = []
    for file, group in flows.groupby(flows["source"].astype(str), sort=False, observed=True):
        sources.append(
            Source(file=str(file), rows=tuple(sorted(int(r) for r in group["row"])), note=note)
        )
    return tuple(sources)


def lines_source(lines: Iterable[BalanceLine], note: str) -> tuple[Source, ...]:
    """The ledger and activity rows behind carbon-balance lines, one source per file."""
    by_file: dict[str, set[int]] = {}
    for line in lines:
        by_file.setdefault(line.source_file, set()).add(line.source_row)
    return tuple(Source(file=f, rows=tuple(sorted(r)), note=note) for f, r in by_file.items())


class _Points:
    """Collects the data points of a report; keys are unique."""

    def __init__(self) -> None:
        self.points: dict[str, DataPoint] = {}

    def add(
        self,
        concept: str,
        value: float | bool | str,
        sources: tuple[Source, ...],
        *,
        unit: str | None,
        dimensions: tuple[tuple[str, str], ...] = (),
        module: str = "",
        label: str = "",
        origin: str = "computed",
    ) -> None:
        known = concepts().get(concept)
        point = DataPoint(
            key=datapoint_key(concept, dimensions),
            concept=concept,
            value=value,
            unit=unit,
            module=module or (known.module if known else ""),
            origin="answered" if origin == "answered" else "computed",
            sources=sources,
            dimensions=dimensions,
            label=label,
        )
        self.points[point.key] = point


def _labels(values: pd.Series) -> list[str]:
    """A label column as text, '' where blank (categorical columns keep NaN otherwise)."""
    return ["" if pd.isna(v) else str(v) for v in values]


def _mwh(flows: pd.DataFrame) -> float:
    return float(flows["amount"].sum()) / KWH_PER_MWH


def _t(flows: pd.DataFrame) -> float:
    return float(flows["amount"].sum()) / KG_PER_T


def _energy(points: _Points, flows: pd.DataFrame, green: Sequence[Activity], year: str) -> None:
    energy = flows[flows["flow"] == "energy_in"]
    if energy.empty:
        return
    carrier = energy["category"].astype(str)
    bought = energy[carrier == "electricity"]
    own = energy[carrier == "own_pv"]
    fuels = energy[carrier.isin(FUELS)]
    note = "energy_in rows of the year"
    points.add("TotalEnergyConsumption", _mwh(energy), rows_source(energy, note), unit="MWh")
    green_mwh = float(sum(Quantity(a.quantity, a.unit).to("MWh").magnitude for a in green))
    green_sources = tuple(
        Source(file=a.source, rows=(a.row,), note="green_electricity (guarantees of origin)")
        for a in green
    )
    bought_mwh = _mwh(bought)
    renewable_bought = float(min(green_mwh, bought_mwh))
    lines = (
        ("EnergyConsumptionFromElectricity", bought, renewable_bought, green_sources),
        ("EnergyConsumptionFromSelfGeneratedElectricity", own, _mwh(own), ()),
        ("EnergyConsumptionFromFuels", fuels, 0.0, ()),
    )
    renewable_total = 0.0
    for concept, rows, renewable, extra in lines:
        if rows.empty:
            continue
        total = _mwh(rows)
        source = rows_source(rows, note)
        points.add(concept, total, source, unit="MWh")
        points.add(
            concept, renewable, source + extra, unit="MWh", dimensions=((ENERGY_AXIS, RENEWABLE),)
        )
        points.add(
            concept,
            total - renewable,
            source + extra,
            unit="MWh",
            dimensions=((ENERGY_AXIS, NON_RENEWABLE),),
        )
        renewable_total += renewable
    points.add(
        RENEWABLE_SHARE,
        100 * renewable_total / _mwh(energy) if _mwh(energy) else 0.0,
        rows_source(energy, note) + green_sources,
        unit="%",
        module="B3",
    )


def _ghg(
    points: _Points, balance: GhgBalance, year: str, turnover: float | None, answers_file: str
) -> None:
    totals = next((y.totals for y in balance.years if y.year == year), None)
    if totals is None:
        return
    lines = [line for line in balance.lines if line.period.startswith(year)]

    def source(scope: str) -> tuple[Source, ...]:
        return lines_source(
            (line for line in lines if line.scope == scope),
            f"carbon balance, {scope} lines of {year}",
        )

    s1, s2l, s2m, s3 = (
        totals["scope1"],
        totals["scope2_location"],
        totals["scope2_market"],
        totals["scope3"],
    )
    has_scope3 = any(line.scope == "scope3" for line in lines)
    points.add("GrossScope1GreenhouseGasEmissions", s1, source("scope1"), unit="t CO2e")
    points.add(
        "GrossLocationBasedScope2GreenhouseGasEmissions",
        s2l,
        source("scope2_location"),
        unit="t CO2e",
    )
    points.add(
        "GrossMarketBasedScope2GreenhouseGasEmissions", s2m, source("scope2_market"), unit="t CO2e"
    )
    s12 = source("scope1") + source("scope2_location")
    s12m = source("scope1") + source("scope2_market")
    points.add("TotalGrossLocationBasedScope1AndScope2GHGEmissions", s1 + s2l, s12, unit="t CO2e")
    points.add("TotalGrossMarketBasedScope1AndScope2GHGEmissions", s1 + s2m, s12m, unit="t CO2e")
    if has_scope3:
        points.add("GrossScope3GreenhouseGasEmissions", s3, source("scope3"), unit="t CO2e")
        points.add(
            "TotalGrossLocationBasedGHGEmissions",
            s1 + s2l + s3,
            s12 + source("scope3"),
            unit="t CO2e",
        )
        points.add(
            "TotalGrossMarketBasedGHGEmissions",
            s1 + s2m + s3,
            s12m + source("scope3"),
            unit="t CO2e",
        )
    if turnover:
        turnover_source = (Source(file=answers_file, field="datapoints.Turnover"),)
        unit = "t CO2e/EUR"
        points.add(
            "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased",
            (s1 + s2l) / turnover,
            s12 + turnover_source,
            unit=unit,
        )
        points.add(
            "Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased",
            (s1 + s2m) / turnover,
            s12m + turnover_source,
            unit=unit,
        )
        if has_scope3:
            points.add(
                "TotalLocationBasedGreenhouseGasEmissionsIntensityValue",
                (s1 + s2l + s3) / turnover,
                s12 + source("scope3") + turnover_source,
                unit=unit,
            )
            points.add(
                "TotalMarketBasedGreenhouseGasEmissionsIntensityValue",
                (s1 + s2m + s3) / turnover,
                s12m + source("scope3") + turnover_source,
                unit=unit,
            )


def _water(points: _Points, flows: pd.DataFrame) -> None:
    withdrawn = flows[flows["flow"] == "water_in"]
    discharged = flows[flows["flow"] == "water_out"]
    if withdrawn.empty:
        return
    w = float(withdrawn["amount"].sum())
    points.add(
        "TotalAmountOfWaterWithdrawnFromAllSites",
        w,
        rows_source(withdrawn, "water_in rows"),
        unit="m3",
    )
    if not discharged.empty:
        d = float(discharged["amount"].sum())
        d_source = rows_source(discharged, "water_out rows")
        points.add("WaterDischargeFromUndertakingProductionProcesses", d, d_source, unit="m3")
        points.add(
            "TotalWaterConsumption",
            w - d,
            rows_source(withdrawn, "water_in rows") + d_source,
            unit="m3",
        )


def _materials(points: _Points, flows: pd.DataFrame) -> None:
    materials = flows[flows["flow"] == "material_in"]
    if materials.empty:
        return
    note = "material_in rows"
    total_kg = float(materials["amount"].sum())
    points.add(
        "TotalMassOfMaterialUsed", total_kg / KG_PER_T, rows_source(materials, note), unit="t"
    )
    recycled_kg = float((materials["amount"] * materials["recycled_share"]).sum())
    points.add(
        RECYCLED_INPUT_SHARE,
        100 * recycled_kg / total_kg if total_kg else 0.0,
        rows_source(materials, "material_in rows: quantity × recycled_share"),
        unit="%",
        module="B7",
    )
    names = materials["material"].astype(str)
    for n, (name, group) in enumerate(materials.groupby(names, sort=True, observed=True), start=1):
        typed = ((MATERIAL_AXIS, f"M{n}"),)
        source = rows_source(group, note)
        points.add(
            "NameOfMaterialUsed", str(name), source, unit=None, dimensions=typed, label=str(name)
        )
        points.add(
            "WeightOfMaterialUsed", _t(group), source, unit="t", dimensions=typed, label=str(name)
        )


def _waste(points: _Points, flows: pd.DataFrame, answers: Answers) -> list[str]:
    waste = flows[flows["flow"] == "waste_out"]
    if waste.empty:
        return []
    table = waste_codes()
    coded_rows = row_waste_codes(waste, answers)
    codes = list(coded_rows.codes)
    waste = waste.assign(_code=codes)
    note = "waste_out rows"
    points.add("TotalWasteGeneratedMass", _t(waste), rows_source(waste, note), unit="t")
    uncoded = waste[waste["_code"] == ""]
    warnings = list(coded_rows.warnings)
    if not uncoded.empty:
        names = ", ".join(sorted(set(uncoded["material"].astype(str))))
        points.add(
            UNCODED_WASTE,
            _t(uncoded),
            rows_source(uncoded, note),
            unit="t",
            module="B7",
            label=names,
        )
        warnings.append(
            "waste without a List-of-Waste code (add a waste_code column to the ledger or "
            f"waste_codes to the answers): {names}"
        )
    else:
        hazardous = waste[[bool(table[c].hazardous) for c in waste["_code"]]]
        non_hazardous = waste[[not table[c].hazardous for c in waste["_code"]]]
        points.add(
            "TotalHazardousWasteGeneratedMass",
            _t(hazardous),
            rows_source(hazardous, note),
            unit="t",
        )
        points.add(
            "TotalNonHazardousWasteGeneratedMass",
            _t(non_hazardous),
            rows_source(non_hazardous, note),
            unit="t",
        )
    coded = waste[waste["_code"] != ""]
    for waste_code, group in coded.groupby("_code", sort=True):
        entry = table[str(waste_code)]
        dims = ((WASTE_AXIS, entry.member),)
        label = f"{entry.code}{'*' if entry.hazardous else ''} {entry.label_en.split(' - ')[-1]}"
        recycled = group[group["treatment"].astype(object) == "recycling"]
        disposed = group[group["treatment"].astype(object) != "recycling"]
        points.add(
            "TotalWasteRecycledReusedAndDirectedToDisposalMass",
            _t(group),
            rows_source(group, note),
            unit="t",
            dimensions=dims,
            label=label,
        )
        points.add(
            "WasteDivertedToRecycleOrReuseMass",
            _t(recycled),
            rows_source(recycled, note) or rows_source(group, note),
            unit="t",
            dimensions=dims,
            label=label,
        )
        points.add(
            "WasteDirectedToDisposalMass",
            _t(disposed),
            rows_source(disposed, note) or rows_source(group, note),
            unit="t",
            dimensions=dims,
            label=label,
        )
    return warnings


def _answered(points: _Points, answers: Answers) -> list[str]:
    warnings = []
    known = concepts()
    for concept_id, value in answers.values.items():
        if concept_id in points.points:
            warnings.append(
                f"{concept_id}: computed from the ledger; "
                f"the answer in {answers.source} is not used"
            )
            continue
        source = (
            Source(file=answers.source, field=f"datapoints.{concept_id}", note=answers.answered_by),
        )
        points.add(
            concept_id,
            value,
            source,
            unit=unit_of(known[concept_id], answers.entity.currency),
            origin="answered",
        )
    for cell in answers.cells:
        key = datapoint_key(cell.concept, cell.dimensions)
        if key in points.points:
            warnings.append(
                f"{key}: computed from the ledger; the answer in {answers.source} is not used"
            )
            continue
        points.add(
            cell.concept,
            cell.value,
            (Source(file=answers.source, field=cell.field, note=answers.answered_by),),
            unit=unit_of(known[cell.concept], answers.entity.currency),
            dimensions=cell.dimensions,
            origin="answered",
        )
    return warnings


def _alternative(concept_id: str) -> str:
    """The mass twin of a volume concept (VSME B7 §38 asks for mass *or* volume), so that
    the pair counts once in the completeness."""
    if concept_id.endswith("Volume"):
        return concept_id.removesuffix("Volume") + "Mass"
    return {
        "VolumeOfMaterialUsed": "WeightOfMaterialUsed",
        "TotalVolumeOfMaterialUsed": "TotalMassOfMaterialUsed",
    }.get(concept_id, concept_id)


def completeness(points: Iterable[DataPoint]) -> Completeness:
    """Per module: reportable concepts with a value / reportable concepts; a mass and a
    volume concept of the same figure count as one."""
    reported = {_alternative(p.concept) for p in points}
    modules: dict[str, tuple[int, int]] = {}
    for module in MODULES:
        ids = {_alternative(c.id) for c in datapoints() if c.module == module}
        modules[module] = (sum(1 for i in ids if i in reported), len(ids))
    return Completeness(modules)


def vsme_report(
    ledger: Ledger,
    *,
    year: str,
    balance: GhgBalance | None = None,
    activities: Sequence[Activity] = (),
    answers: Answers | None = None,
) -> VsmeReport:
    """The VSME data points of ``year`` (see the module docstring for what is computed).

    ledger : the validated ledger (amounts in kg, kWh, m³)
    balance : the GHG balance of the same ledger (:func:`kreislauf.carbon.ghg_balance`);
        without it no B3 emissions are computed
    activities : the balance's activity rows; ``green_electricity`` ones of the year make
        bought electricity renewable [kWh]
    answers : what the ledger cannot know (:func:`~kreislauf.reporting.read_answers`)

    Raises
    ------
    YearNotInLedger
        when the ledger has no flow in ``year``.
    """
    given = answers or Answers()
    flows = year_flows(ledger, year)
    points = _Points()
    green = [a for a in activities if a.kind == "green_electricity" and a.period[:4] == year]
    _energy(points, flows, green, year)
    turnover = given.values.get("Turnover")
    if balance is not None:
        amount = float(turnover) if isinstance(turnover, float) else None
        _ghg(points, balance, year, amount, given.source)
    _water(points, flows)
    _materials(points, flows)
    warnings = _waste(points, flows, given)
    warnings += _answered(points, given)
    return VsmeReport(
        year=year,
        points=points.points,
        completeness=completeness(points.points.values()),
        entity=given.entity,
        warnings=tuple(warnings),
        answered_by=given.answered_by,
        answered_on=given.answered_on,
        sources=tuple(
            dict.fromkeys([*ledger.sources, *(a.source for a in activities), given.source]).keys()
        )
        if given.source
        else tuple(dict.fromkeys([*ledger.sources, *(a.source for a in activities)])),
    )
