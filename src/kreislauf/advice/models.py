"""What comes in and what goes out of the advice domain.

In: a company (:class:`Company`, ``company.yaml``) with facts per measure
(:class:`MeasureFacts`), and a funding rule table (:class:`RuleTable`, ``rules.yaml``; the
schema of every row is :class:`Programme`). Out: :class:`FundingResult` (the finder) and
the self-check result in :mod:`kreislauf.advice.selfcheck`.

Units: money [EUR], emissions [t CO2e/a], energy [MWh/a], rates and thresholds [%].
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kreislauf.results import Number, Number2, Result, Value

__all__ = [
    "SIZE_CLASSES",
    "AidBasis",
    "Bonus",
    "Company",
    "Conflict",
    "ConsultantList",
    "ExtraCost",
    "FundingResult",
    "MeasureFacts",
    "Programme",
    "ProgrammeResult",
    "Quote",
    "RateStep",
    "RateVariant",
    "RuleTable",
    "SizeClass",
    "SizeClassResult",
    "Source",
    "Status",
    "Thresholds",
]

SizeClass = Literal["micro", "small", "medium", "large"]
#: The EU size classes, smallest first (Recommendation 2003/361/EC).
SIZE_CLASSES: tuple[SizeClass, ...] = ("micro", "small", "medium", "large")
Status = Literal["eligible", "not_eligible", "missing_data"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MeasureFacts(_Model):
    """What the finder may need to know about one measure beyond the measures file.

    Baselines default to the figures of the measure's quantity centre in the ledger.
    """

    baseline_co2e_t: float | None = Field(None, ge=0)
    baseline_final_energy_mwh: float | None = Field(None, ge=0)
    eligible_cost_eur: float | None = Field(None, ge=0)
    listed_machine: bool | None = None
    saving_concept: bool | None = None
    started: bool | None = None
    consultant_days: float | None = Field(None, ge=0)
    #: the electrified plant runs on electricity from renewable sources only (a condition
    #: of the EEW decarbonisation bonus, guideline Nr. 5.4.2.2)
    renewable_electricity: bool | None = None
    #: the measure uses waste heat outside the company's own site (außerbetriebliche
    #: Abwärmenutzung, EEW decarbonisation bonus, guideline Nr. 5.4.2.2)
    external_waste_heat: bool | None = None
    #: the measure uses (or makes on site and uses) renewable hydrogen (EEW
    #: decarbonisation bonus, guideline Nr. 5.4.2.2)
    renewable_hydrogen: bool | None = None
    #: the renewable process heat comes from biomass firing (EEW module 2: lower rates,
    #: guideline Nr. 8.2.1)
    biomass: bool | None = None
    #: cost of the saving concept by an external energy adviser [EUR] (EEW module 4
    #: premium: eligible up to 5 % of the investment and EUR 50,000, guideline Nr. 5.4.2.1)
    saving_concept_cost_eur: float | None = Field(None, ge=0)
    #: cost of the adviser's confirmation of the energy saving [EUR] (EEW module 4 basis:
    #: eligible up to 2 % of the investment and EUR 5,000, guideline Nr. 5.4.1)
    saving_confirmation_cost_eur: float | None = Field(None, ge=0)


class Company(_Model):
    """The company file (docs/advice.md#company-file).

    employees : staff headcount in annual work units (AWU/JAE) [-]
    turnover_eur, balance_sheet_eur : annual turnover and balance sheet total [EUR]
    state : the German Land as ISO 3166-2 code without ``DE-`` (``SN`` for Saxony)
    nace : NACE Rev. 2 code of the main activity (``C22.2``)
    de_minimis_received_eur : de-minimis aid received in the last three years [EUR]
    """

    name: str = ""
    employees: float | None = Field(None, ge=0)
    turnover_eur: float | None = Field(None, ge=0)
    balance_sheet_eur: float | None = Field(None, ge=0)
    state: str | None = None
    nace: str | None = None
    applicant_type: str = "company"
    de_minimis_received_eur: float | None = Field(None, ge=0)
    #: registered and active in a network of the Initiative Energieeffizienz- und
    #: Klimaschutz-Netzwerke (EEW module 5: +10 points, EUR 90,000, guideline Nr. 8.2.1)
    energy_network_member: bool | None = None
    measures: dict[str, MeasureFacts] = {}


class Quote(_Model):
    """The passage of the guideline (or leaflet) a figure of the row was checked against.

    field : the row's field (``rate_pct``, ``cap_eur``, ``thresholds.investment_eur_min`` …)
    where : the document and its paragraph (``Richtlinie Nr. 8.2.1, Tabelle Modul 1``)
    text : the passage as published (German), shortened with … where marked
    """

    field: str
    where: str
    text: str


class Source(_Model):
    """Where a programme row comes from and how far it was checked.

    checked_against : ``guideline`` (the guideline's own text), ``guideline_unamended``
        (the guideline's text as it was before its latest amendment, which was not read:
        marked unchecked like the others), ``official_page`` (the funding body's page or
        leaflet), ``secondary`` (a consultancy's or chamber's summary; the figure is not
        verified), ``not_checked``.
    edition : the edition of the texts read (publication, version and date) and where the
        copy read came from
    quotes : per rate, cap and threshold the passage it was checked against
    """

    url: str
    guideline: str
    guideline_date: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    checked: date | None = None
    checked_against: Literal[
        "guideline", "guideline_unamended", "official_page", "secondary", "not_checked"
    ]
    #: the pages actually read when the row was checked
    read: list[str] = []
    edition: str = ""
    quotes: list[Quote] = []
    note: str = ""


class Conflict(_Model):
    """A source that says something else about ``field`` than the row encodes."""

    field: str
    says: str
    source: str
    note: str = ""


#: Facts of the company file a bonus or a rate variant may require (of the measure, or of
#: the company for ``energy_network_member``).
Fact = Literal[
    "renewable_electricity",
    "external_waste_heat",
    "renewable_hydrogen",
    "energy_network_member",
    "biomass",
]


class Bonus(_Model):
    """Percentage points added to the rate for measures of ``measure_codes``.

    requires : a fact of the company file that must be true for the bonus; not answered
        or false: the bonus is not counted and the reasons say so
    cap_eur : the maximum grant when the bonus applies (replaces the row's ``cap_eur``) [EUR]
    note : a condition of the guideline the finder cannot decide, shown (de/en) among the
        result's notes when the bonus is counted

    Bonuses of the same ``id`` are one bonus: it counts once even if several of its
    conditions hold (the EEW decarbonisation bonus, guideline Nr. 5.4.2.2).
    """

    id: str
    name: dict[str, str]
    rate_pct_add: float = Field(ge=0, le=100)
    measure_codes: list[str]
    requires: Fact | None = None
    cap_eur: float | None = Field(None, ge=0)
    note: dict[str, str] = {}


class RateVariant(_Model):
    """Another rate by size class for measures of ``measure_codes`` when ``requires`` holds.

    The fact decides the rate, so a variant whose fact is not answered makes the result
    ``missing_data`` (the finder asks); false: the row's own ``rate_pct``.
    """

    id: str
    name: dict[str, str]
    measure_codes: list[str]
    requires: Fact
    rate_pct: dict[SizeClass, float | None]


class RateStep(_Model):
    """The highest rate a source names from a final-energy reduction on [%]."""

    final_energy_reduction_pct_min: float = Field(ge=0)
    rate_pct_max: float = Field(ge=0, le=100)


class ExtraCost(_Model):
    """A cost beside the investment that is eligible up to limits (adviser's costs).

    fact : the company file's figure of the cost [EUR]
    pct_of_investment_max : at most this share of the investment [%]
    eur_max : at most this much [EUR]
    """

    fact: Literal["saving_concept_cost_eur", "saving_confirmation_cost_eur"]
    pct_of_investment_max: float | None = Field(None, ge=0, le=100)
    eur_max: float | None = Field(None, ge=0)


class Loan(_Model):
    """The loan a repayment grant comes with (shown, not in the estimate or the NPV).

    interest_reduction_points_max : the interest rate reduced by at most this [%-points]
    fixed_years_max : for the first fixed-interest period, at most this long [a]
    share_of_cost_max_pct : the loan finances at most this share of the eligible cost [%]
    eur_max : at most this much per project [EUR]
    """

    interest_reduction_points_max: float = Field(ge=0, le=100)
    fixed_years_max: float | None = Field(None, ge=0)
    share_of_cost_max_pct: float | None = Field(None, ge=0, le=100)
    eur_max: float | None = Field(None, ge=0)


class AidBasis(_Model):
    """The state-aid basis: an AGVO (GBER) article, de-minimis, or none (advice)."""

    kind: Literal["agvo", "de_minimis", "agvo_or_de_minimis", "none"]
    article: int | None = None


class Thresholds(_Model):
    """Conditions of a programme; a missing value is no condition.

    employees_max : fewer than this many employees (AWU) [-]
    turnover_or_balance_eur_max : turnover *or* balance sheet total at most this [EUR]
    ghg_saved_t_min : by size class, an alternative to ``ghg_reduction_pct_min``: the
        condition also holds when the measure saves at least this much [t CO2e/a]
    payback_years_more_than : the simple payback without the grant must be longer [a]
    payback_years_min : the simple payback without the grant must be at least this [a]
    """

    investment_eur_min: float | None = None
    ghg_reduction_pct_min: float | None = None
    ghg_saved_t_min: dict[SizeClass, float] | None = None
    payback_years_more_than: float | None = None
    payback_years_min: float | None = None
    final_energy_reduction_pct_min: float | None = None
    employees_max: float | None = None
    turnover_or_balance_eur_max: float | None = None
    listed_machine: bool = False
    saving_concept: bool = False


class ConsultantList(_Model):
    """A list of qualified consultants a programme requires (linked, not copied)."""

    name: dict[str, str]
    url: str
    note: dict[str, str] = {}


class Programme(_Model):
    """One programme and track of the rule table (docs/advice.md#rule-table)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    programme: str
    track: str = ""
    name: dict[str, str]
    body: str
    instrument: Literal["grant", "loan", "repayment_grant", "advice"]
    region: str = Field(pattern=r"^DE(-[A-Z]{2})?$")
    applicant_types: list[str] = ["company"]
    size_classes: list[SizeClass]
    measure_codes: list[str]
    thresholds: Thresholds = Thresholds()
    rate_pct: dict[SizeClass, float | None] = {}
    #: the highest rate a source names when the rate by size class is not encoded [%]
    rate_pct_max: float | None = None
    #: the highest rate by the measure's final-energy reduction, when a source names
    #: steps (shown instead of ``rate_pct_max``; no estimate is made from it)
    rate_pct_max_steps: list[RateStep] = []
    bonuses: list[Bonus] = []
    rate_variants: list[RateVariant] = []
    #: costs beside the investment that count as eligible up to their limits
    extra_costs: list[ExtraCost] = []
    cap_eur: float | None = None
    cap_eur_per_t_co2e_per_year: dict[SizeClass, float] | None = None
    cap_eur_per_consultant_day: float | None = None
    grant_min_eur: float | None = None
    #: the loan of a repayment grant (KfW): its interest reduction and limits
    loan: Loan | None = None
    free_of_charge: bool = False
    aid_basis: AidBasis
    cumulation_excludes: list[str] = []
    apply_before_start: bool = True
    evidence: list[str] = []
    source: Source
    conflicts: list[Conflict] = []


class RuleTable(_Model):
    """A rule table: its version, the consultant lists and the programmes.

    mode : ``replace`` (this table alone) or ``extend`` (the shipped table, with rows of
        the same id replaced and new ids added) when given with ``--rules``
    """

    version: str
    mode: Literal["replace", "extend"] = "replace"
    de_minimis_ceiling_eur: float = 300_000.0
    consultant_lists: dict[str, ConsultantList] = {}
    programmes: list[Programme]


# --- results ---------------------------------------------------------------------------


class SizeClassResult(Result):
    """The EU size class and why (or what is missing)."""

    size_class: SizeClass | None
    reason: str
    missing: list[str]


class ProgrammeResult(Result):
    """One measure × programme: status, reasons, the next question, the estimate.

    estimated_grant_eur : min(rate × eligible cost, cap_eur, cap per t CO2e/a × t CO2e/a,
        cap per consultant day × days) [EUR]; None unless eligible with a known rate
    npv_eur, npv_with_grant_eur : NPV of the measure without and with the grant [EUR]
    """

    measure: str
    measure_name: str
    code: str | None
    programme: str
    programme_name: str
    instrument: str
    status: Status
    reasons: list[str]
    #: what the estimate leaves out: an adviser's cost not given, a bonus condition the
    #: finder cannot decide, the loan's interest reduction
    notes: list[str]
    missing: list[str]
    next_question: str | None
    rate_pct: Number2 | None
    eligible_cost_eur: Number2 | None
    estimated_grant_eur: Number2 | None
    binding: str | None
    grant_terms: dict[str, Number2 | None]
    npv_eur: Number | None
    npv_with_grant_eur: Number | None
    warnings: list[str]
    apply_before_start: bool
    consultants: list[dict[str, str]]
    aid_basis: str
    source_url: str
    guideline: str
    checked: str | None
    checked_against: str
    stale: bool
    conflicts: list[dict[str, str]]
    checks: list[dict[str, Value]]


class FundingResult(Result):
    """``kreislauf advice funding --json`` (docs/advice.md#funding-finder)."""

    size_class: SizeClass | None
    size_class_reason: str
    rules_version: str
    rules_source: str
    taxonomy_version: str
    today: str
    results: list[ProgrammeResult]
