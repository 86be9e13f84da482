"""The figures of a measure that funding rules ask about, from the carbon module.

A measure's savings come from :func:`kreislauf.carbon.measures.evaluate_measures` (ledger,
factors, CO2 price path). Rules compare them with the process the measure changes, taken
as the measure's quantity centre in the ledger's base year:

- baseline final energy [MWh/a]: all ``energy_in`` of the centre;
- baseline emissions [t CO2e/a]: that energy times its factors (Scope 1 and 2, as in the
  balance), plus for a material measure (``scrap_reduction``, ``recyclate``) the purchased
  material it changes times its cradle-to-gate factor at the current recycled share
  (Scope 3.1);
- reductions [%]: energy saved / baseline energy (only ``energy_saving`` saves final
  energy; own PV replaces grid electricity but does not lower the use) and CO2e saved /
  baseline emissions.

The company file may give ``baseline_co2e_t`` and ``baseline_final_energy_mwh`` per measure
instead (an energy audit's figures); those win.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kreislauf.advice.models import Company
from kreislauf.carbon.factors import FactorLibrary
from kreislauf.carbon.measures import MeasureResult, MeasuresResult, material_factor
from kreislauf.carbon.measures_file import Measure
from kreislauf.carbon.pcf import energy_factor, ledger_recycled_shares
from kreislauf.ledger import Ledger
from kreislauf.units import ureg

__all__ = ["MeasureFigures", "measure_figures"]

KWH_PER_MWH = float(ureg.Quantity(1, "MWh").to("kWh").magnitude)
KG_PER_T = float(ureg.Quantity(1, "t").to("kg").magnitude)


@dataclass(frozen=True)
class MeasureFigures:
    """What the finder knows of one measure; None where it does not know.

    investment_eur [EUR]; co2e_t saved [t CO2e/a]; final_energy_saved_mwh [MWh/a];
    baseline_co2e_t [t CO2e/a]; baseline_final_energy_mwh [MWh/a]; cash_flows [EUR] for
    t = 1..n without CO2 price in savings (as the carbon module gives them);
    discount_rate [-]; baseline_source: ``ledger``, ``company file`` or ``""``.
    """

    id: str
    name: str
    code: str | None
    kind: str
    investment_eur: float
    co2e_t: float | None = None
    final_energy_saved_mwh: float | None = None
    baseline_co2e_t: float | None = None
    baseline_final_energy_mwh: float | None = None
    cash_flows: tuple[float, ...] | None = None
    discount_rate: float = 0.05
    baseline_source: str = ""

    @property
    def ghg_reduction_pct(self) -> float | None:
        """CO2e saved / baseline emissions [%]."""
        if self.co2e_t is None or not self.baseline_co2e_t:
            return None
        return 100.0 * self.co2e_t / self.baseline_co2e_t

    @property
    def final_energy_reduction_pct(self) -> float | None:
        """Final energy saved / baseline final energy [%]."""
        if self.final_energy_saved_mwh is None or not self.baseline_final_energy_mwh:
            return None
        return 100.0 * self.final_energy_saved_mwh / self.baseline_final_energy_mwh


def measure_figures(
    measures: Sequence[Measure],
    company: Company,
    *,
    evaluation: MeasuresResult | None = None,
    ledger: Ledger | None = None,
    factors: FactorLibrary | None = None,
) -> list[MeasureFigures]:
    """Figures of every measure: from ``evaluation`` on ``ledger`` if given, else only the
    measures file's investment (and the company file's baselines).

    Raises
    ------
    NoFactor
        if an energy carrier or material of a measure's centre has no factor.
    """
    evaluated = {r.measure.id: r for r in evaluation.measures} if evaluation else {}
    figures = []
    for measure in measures:
        facts = company.measures.get(measure.id)
        result = evaluated.get(measure.id)
        base_co2e = base_energy = None
        source = ""
        if result is not None and ledger is not None and factors is not None:
            base_co2e, base_energy = _baseline(result, ledger, factors, evaluation)
            source = "ledger"
        if facts is not None and (
            facts.baseline_co2e_t is not None or facts.baseline_final_energy_mwh is not None
        ):
            base_co2e = facts.baseline_co2e_t if facts.baseline_co2e_t is not None else base_co2e
            base_energy = (
                facts.baseline_final_energy_mwh
                if facts.baseline_final_energy_mwh is not None
                else base_energy
            )
            source = "company file"
        figures.append(
            MeasureFigures(
                id=measure.id,
                name=measure.name,
                code=measure.code,
                kind=measure.kind,
                investment_eur=measure.investment_eur,
                co2e_t=result.co2e_t if result else None,
                final_energy_saved_mwh=(
                    (result.energy_mwh if measure.kind == "energy_saving" else 0.0)
                    if result
                    else None
                ),
                baseline_co2e_t=base_co2e,
                baseline_final_energy_mwh=base_energy,
                cash_flows=tuple(result.cash_flows) if result else None,
                discount_rate=evaluation.discount_rate if evaluation else 0.05,
                baseline_source=source,
            )
        )
    return figures


def _baseline(
    result: MeasureResult,
    ledger: Ledger,
    factors: FactorLibrary,
    evaluation: MeasuresResult | None,
) -> tuple[float, float]:
    """Baseline emissions [t CO2e/a] and final energy [MWh/a] of the measure's centre."""
    measure = result.measure
    year = evaluation.base_year if evaluation else int(str(ledger.periods[-1])[:4])
    flows = ledger.flows
    own = flows[
        (flows["period"].astype(str).str[:4] == str(year))
        & (flows["centre"].astype(str) == measure.centre)
    ]
    scale = float(result.working.get("annualised_by", 1.0))
    energy = own[own["flow"] == "energy_in"]
    kwh = 0.0
    kg_co2e = 0.0
    materials = energy["material"].astype(object).where(energy["material"].notna(), "")
    for (carrier, material), rows in energy.groupby(
        [energy["category"].astype(str), materials.astype(str)]
    ):
        amount = float(rows["amount"].sum()) * scale
        factor = energy_factor(factors, str(carrier), material=str(material), year=year)
        kwh += amount
        kg_co2e += amount * factor.kg_co2e_per_unit
    material = str(measure.params.get("material") or result.working.get("material") or "")
    if measure.kind in ("scrap_reduction", "recyclate") and material:
        inputs = own[(own["flow"] == "material_in") & (own["material"].astype(str) == material)]
        mass = float(inputs["amount"].sum()) * scale
        share = ledger_recycled_shares(ledger).get(material, 0.0)
        per_kg, _ = material_factor(factors, material, share, year, {})
        kg_co2e += mass * per_kg
    return kg_co2e / KG_PER_T, kwh / KWH_PER_MWH
