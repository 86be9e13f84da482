"""The funding finder: each measure × each programme of a rule table.

For a measure and a programme the finder checks, in this order, and keeps every check's
value and limit (``checks``) and a sentence for each (``reasons``):

1. the programme is open today (``valid_from`` ≤ today ≤ ``valid_to``);
2. region (``DE`` or the company's Land), applicant type, EU size class, staff and
   turnover/balance ceilings;
3. the measure's taxonomy code is one the programme funds;
4. thresholds on the measure: investment, GHG and final-energy reduction [%] (the GHG
   share may be replaced by tonnes saved per size class, ``ghg_saved_t_min``), simple
   payback without the grant longer than ``payback_years_more_than`` or at least
   ``payback_years_min`` (the carbon module's cash flows: investment / yearly net
   savings), a listed machine type, a saving concept;
   a measure already started where one must apply first.

Status: ``not_eligible`` if any check fails, else ``missing_data`` if a check lacks a
value (the first such value gives ``next_question``), else ``eligible``.

Estimated grant of an eligible measure with a known rate::

    grant = min(rate × eligible cost, cap_eur, cap_eur_per_t_co2e_per_year × t CO2e/a,
                cap_eur_per_consultant_day × consultant days)

rate = ``rate_pct`` of the size class + the bonuses of the measure's code (a bonus that
``requires`` a fact only when the company file answers it true) [%]; eligible
cost = the company file's ``eligible_cost_eur`` or the investment [EUR]. ``binding`` names
the term that gives the minimum. A grant below ``grant_min_eur`` is not eligible; with
no rate, so no estimate, a measure whose most possible grant (``rate_pct_max`` × cost, at
most ``cap_eur``) is below ``grant_min_eur`` is not eligible either. NPV with
the grant = NPV of the same cash flows with the investment reduced by the grant at t = 0
(:func:`kreislauf.carbon.economics.npv`; a repayment grant on a loan is treated the same,
which ignores the loan's interest advantage).

Warnings: de-minimis (ceiling over three years, Regulation (EU) 2023/2831, Art. 3(2)) where
the aid may be de-minimis; cumulation where the same measure is also eligible for a
programme the row excludes; rows whose figures come from secondary sources, rows checked
more than a year ago (``stale``) and rows with conflicting sources.

References
----------
Commission Recommendation 2003/361/EC (size classes); Regulation (EU) No 651/2014 (AGVO);
Commission Regulation (EU) 2023/2831 (de-minimis, EUR 300,000 over three years).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from kreislauf.advice.figures import MeasureFigures
from kreislauf.advice.models import (
    Company,
    FundingResult,
    Loan,
    Programme,
    ProgrammeResult,
    RuleTable,
    SizeClass,
    Status,
    Thresholds,
)
from kreislauf.advice.size import size_class
from kreislauf.advice.taxonomy import taxonomy
from kreislauf.carbon.economics import npv, simple_payback
from kreislauf.i18n import Lang, format_number, format_percent, translate

__all__ = ["STALE_AFTER", "funding_options"]

#: A row checked longer ago than this is shown as stale.
STALE_AFTER = timedelta(days=365)


@dataclass
class _Checks:
    """The checks of one measure × programme as they are made."""

    lang: Lang
    failed: bool = False
    missing: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    #: what the company file could add (costs not given): shown, not a reason
    notes: list[str] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)

    def record(self, check: str, ok: bool | None, key: str, **params: Any) -> None:
        """``ok``: True passed, False failed, None value missing (``check`` is asked for)."""
        reason = translate(f"advice.reason.{key}", self.lang, **params)
        self.checks.append({"check": check, "ok": ok, **params, "reason": reason})
        self.reasons.append(reason)
        if ok is False:
            self.failed = True
        elif ok is None and check not in self.missing:
            self.missing.append(check)


def funding_options(
    company: Company,
    figures: Sequence[MeasureFigures],
    rules: RuleTable,
    *,
    today: date,
    lang: Lang,
    rules_source: str = "",
) -> FundingResult:
    """Every measure of ``figures`` against every programme of ``rules``."""
    size = size_class(company, lang)
    results = [
        _one(company, measure, programme, size.size_class, rules, today=today, lang=lang)
        for measure in figures
        for programme in rules.programmes
    ]
    results = _with_cumulation(results, rules, lang)
    return FundingResult(
        size_class=size.size_class,
        size_class_reason=size.reason,
        rules_version=rules.version,
        rules_source=rules_source,
        taxonomy_version=taxonomy().version,
        today=today.isoformat(),
        results=results,
    )


def _one(
    company: Company,
    measure: MeasureFigures,
    programme: Programme,
    size: SizeClass | None,
    rules: RuleTable,
    *,
    today: date,
    lang: Lang,
) -> ProgrammeResult:
    c = _Checks(lang)
    facts = company.measures.get(measure.id)
    _open(c, programme, today)
    _company(c, company, programme, size)
    if measure.code is None:
        c.record("code", None, "code_missing")
    elif measure.code in programme.measure_codes:
        c.record("code", True, "code_ok", code=measure.code)
    else:
        c.record("code", False, "code_not_funded", code=measure.code)
    fact_values = facts.model_dump() if facts else {}
    fact_values.setdefault("energy_network_member", company.energy_network_member)
    _thresholds(c, measure, programme, fact_values, size)
    warnings = _warnings(programme, today, lang)
    rate, cap_eur = _rate(c, programme, measure, size, fact_values)
    cost = facts.eligible_cost_eur if facts and facts.eligible_cost_eur is not None else None
    cost = measure.investment_eur if cost is None else cost
    cost += _extra_costs(c, programme, measure, fact_values)
    grant: float | None = None
    binding: str | None = None
    terms: dict[str, float | None] = {}
    if not c.failed and not c.missing:
        if programme.free_of_charge:
            c.reasons.append(translate("advice.reason.free", lang))
        elif rate is None:
            c.reasons.append(
                translate(
                    "advice.reason.rate_unknown",
                    lang,
                    max=format_percent(_rate_max(programme, measure), lang, decimals=0),
                )
            )
            _grant_min_at_most(c, programme, measure, cost, cap_eur)
        else:
            days = facts.consultant_days if facts else None
            terms = _terms(programme, rate, cost, cap_eur, measure, size, days)
            binding = min((t for t in terms if terms[t] is not None), key=lambda t: terms[t] or 0.0)
            grant = terms[binding]
            c.reasons.append(
                translate(
                    "advice.reason.grant",
                    lang,
                    grant=format_number(grant, lang, decimals=0),
                    binding=translate(f"advice.term.{binding}", lang),
                )
            )
            if programme.grant_min_eur is not None and grant is not None:
                ok = grant >= programme.grant_min_eur
                c.record(
                    "grant_min_eur",
                    ok,
                    "grant_min_ok" if ok else "grant_min_failed",
                    value=format_number(grant, lang, decimals=0),
                    limit=format_number(programme.grant_min_eur, lang, decimals=0),
                )
                if not ok:
                    grant = None
            if grant is not None:
                warnings += _de_minimis(programme, rules, company, grant, lang)
            if grant is not None and programme.loan is not None:
                c.notes.append(_loan_note(programme.loan, lang))
    status: Status = "not_eligible" if c.failed else "missing_data" if c.missing else "eligible"
    npv_without = npv_with = None
    if measure.cash_flows is not None:
        npv_without = npv(measure.investment_eur, measure.cash_flows, measure.discount_rate)
        if grant is not None and status == "eligible":
            npv_with = npv(
                measure.investment_eur - grant, measure.cash_flows, measure.discount_rate
            )
    source = programme.source
    return ProgrammeResult(
        measure=measure.id,
        measure_name=measure.name,
        code=measure.code,
        programme=programme.id,
        programme_name=programme.name.get(lang, programme.id),
        instrument=programme.instrument,
        status=status,
        reasons=c.reasons,
        notes=c.notes,
        missing=[] if c.failed else c.missing,
        next_question=(
            translate(f"advice.question.{c.missing[0]}", lang)
            if c.missing and not c.failed
            else None
        ),
        rate_pct=rate,
        eligible_cost_eur=cost,
        estimated_grant_eur=grant if status == "eligible" else None,
        binding=binding if status == "eligible" and grant is not None else None,
        grant_terms=terms,
        npv_eur=npv_without,
        npv_with_grant_eur=npv_with,
        warnings=warnings,
        apply_before_start=programme.apply_before_start,
        consultants=[
            {
                "id": key,
                "name": rules.consultant_lists[key].name.get(lang, key),
                "url": rules.consultant_lists[key].url,
            }
            for key in programme.evidence
        ],
        aid_basis=_aid_basis(programme),
        source_url=source.url,
        guideline=source.guideline,
        checked=source.checked.isoformat() if source.checked else None,
        checked_against=source.checked_against,
        stale=_stale(programme, today),
        conflicts=[conflict.model_dump() for conflict in programme.conflicts],
        checks=c.checks,
    )


def _open(c: _Checks, programme: Programme, today: date) -> None:
    source = programme.source
    if source.valid_to is not None and today > source.valid_to:
        c.record("valid_to", False, "closed", date=source.valid_to.isoformat())
    elif source.valid_from is not None and today < source.valid_from:
        c.record("valid_from", False, "not_open", date=source.valid_from.isoformat())


def _company(c: _Checks, company: Company, programme: Programme, size: SizeClass | None) -> None:
    lang = c.lang
    if programme.region != "DE":
        land = programme.region.removeprefix("DE-")
        if company.state is None:
            c.record("state", None, "state_missing", region=programme.region)
        elif company.state.upper().removeprefix("DE-") == land:
            c.record("state", True, "region_ok", region=programme.region)
        else:
            c.record("state", False, "region_failed", region=programme.region, value=company.state)
    if company.applicant_type not in programme.applicant_types:
        c.record(
            "applicant_type",
            False,
            "applicant_failed",
            value=company.applicant_type,
            allowed=", ".join(programme.applicant_types),
        )
    allowed = ", ".join(translate(f"advice.size.{s}", lang) for s in programme.size_classes)
    if size is None:
        c.record("size_class", None, "size_missing", allowed=allowed)
    elif size in programme.size_classes:
        c.record("size_class", True, "size_ok", value=translate(f"advice.size.{size}", lang))
    else:
        c.record(
            "size_class",
            False,
            "size_failed",
            value=translate(f"advice.size.{size}", lang),
            allowed=allowed,
        )
    limits = programme.thresholds
    if limits.employees_max is not None:
        if company.employees is None:
            c.record(
                "employees",
                None,
                "employees_missing",
                limit=format_number(limits.employees_max, lang, decimals=0),
            )
        else:
            ok = company.employees < limits.employees_max
            c.record(
                "employees",
                ok,
                "employees_ok" if ok else "employees_failed",
                value=format_number(company.employees, lang, decimals=0),
                limit=format_number(limits.employees_max, lang, decimals=0),
            )
    if limits.turnover_or_balance_eur_max is not None:
        top = limits.turnover_or_balance_eur_max
        values = [v for v in (company.turnover_eur, company.balance_sheet_eur) if v is not None]
        if not values:
            c.record(
                "turnover_eur", None, "turnover_missing", limit=format_number(top, lang, decimals=0)
            )
        else:
            ok = min(values) <= top
            both = len(values) == 2
            c.record(
                "turnover_eur" if ok or both else "balance_sheet_eur",
                True if ok else False if both else None,
                "turnover_ok" if ok else "turnover_failed" if both else "turnover_one_missing",
                value=format_number(min(values), lang, decimals=0),
                limit=format_number(top, lang, decimals=0),
            )


def _thresholds(
    c: _Checks,
    measure: MeasureFigures,
    programme: Programme,
    facts: dict[str, Any],
    size: SizeClass | None,
) -> None:
    lang = c.lang
    limits = programme.thresholds
    if limits.investment_eur_min is not None:
        ok = measure.investment_eur >= limits.investment_eur_min
        c.record(
            "investment_eur",
            ok,
            "investment_ok" if ok else "investment_failed",
            value=format_number(measure.investment_eur, lang, decimals=0),
            limit=format_number(limits.investment_eur_min, lang, decimals=0),
        )
    for check, value, limit, missing in (
        (
            "ghg_reduction_pct",
            measure.ghg_reduction_pct,
            limits.ghg_reduction_pct_min,
            "co2e_t" if measure.co2e_t is None else "baseline_co2e_t",
        ),
        (
            "final_energy_reduction_pct",
            measure.final_energy_reduction_pct,
            limits.final_energy_reduction_pct_min,
            "final_energy_saved_mwh"
            if measure.final_energy_saved_mwh is None
            else "baseline_final_energy_mwh",
        ),
    ):
        if limit is None:
            continue
        if check == "ghg_reduction_pct" and _ghg_alternative(c, measure, limits, value, size):
            continue
        if value is None:
            c.record(
                missing, None, f"{check}_missing", limit=format_percent(limit, lang, decimals=0)
            )
        else:
            ok = value >= limit
            c.record(
                check,
                ok,
                f"{check}_ok" if ok else f"{check}_failed",
                value=format_percent(value, lang),
                limit=format_percent(limit, lang, decimals=0),
            )
    if limits.payback_years_more_than is not None:
        _payback(c, measure, limits.payback_years_more_than, rule="more_than")
    if limits.payback_years_min is not None:
        _payback(c, measure, limits.payback_years_min, rule="at_least")
    for flag in ("listed_machine", "saving_concept"):
        if not getattr(limits, flag):
            continue
        answer = facts.get(flag)
        outcome = {True: "ok", False: "failed", None: "missing"}[answer]
        c.record(flag, answer, f"{flag}_{outcome}")
    if programme.apply_before_start and facts.get("started") is True:
        c.record("started", False, "started")
    if programme.cap_eur_per_consultant_day is not None and facts.get("consultant_days") is None:
        c.record("consultant_days", None, "days_missing")


def _ghg_alternative(
    c: _Checks,
    measure: MeasureFigures,
    limits: Thresholds,
    pct: float | None,
    size: SizeClass | None,
) -> bool:
    """True when the absolute alternative decides the GHG condition (and is recorded):
    the share is below (or unknown) but the tonnes saved reach ``ghg_saved_t_min``."""
    tonnes = limits.ghg_saved_t_min
    pct_min = limits.ghg_reduction_pct_min
    if not tonnes or size not in tonnes or measure.co2e_t is None or pct_min is None:
        return False
    if pct is not None and pct >= pct_min:
        return False
    if measure.co2e_t >= tonnes[size]:
        c.record(
            "ghg_saved_t",
            True,
            "ghg_saved_t_ok",
            value=format_number(measure.co2e_t, c.lang, decimals=1),
            limit=format_number(tonnes[size], c.lang, decimals=0),
        )
        return True
    c.reasons.append(
        translate(
            "advice.reason.ghg_saved_t_failed",
            c.lang,
            value=format_number(measure.co2e_t, c.lang, decimals=1),
            limit=format_number(tonnes[size], c.lang, decimals=0),
        )
    )
    return False


def _payback(
    c: _Checks, measure: MeasureFigures, years: float, *, rule: Literal["more_than", "at_least"]
) -> None:
    """Simple payback without the grant [a] (the carbon module's cash flows) longer than
    ``years`` (``payback_years_more_than``) or at least ``years`` (``payback_years_min``)."""
    message = "payback" if rule == "more_than" else "payback_min"
    limit = format_number(years, c.lang, decimals=0)
    if measure.cash_flows is None:
        c.record("payback_years", None, f"{message}_missing", limit=limit)
        return
    payback = simple_payback(measure.investment_eur, list(measure.cash_flows))
    if payback is None:  # not paid back within the measure's lifetime
        c.record("payback_years", True, f"{message}_never", limit=limit)
        return
    ok = payback > years if rule == "more_than" else payback >= years
    c.record(
        "payback_years",
        ok,
        f"{message}_ok" if ok else f"{message}_failed",
        value=format_number(payback, c.lang, decimals=1),
        limit=limit,
    )


def _rate(
    c: _Checks,
    programme: Programme,
    measure: MeasureFigures,
    size: SizeClass | None,
    facts: dict[str, Any],
) -> tuple[float | None, float | None]:
    """Rate of ``size`` plus the bonuses of the measure's code [%] (None if not encoded),
    and the cap in EUR (a bonus may raise it).

    A rate variant of the measure's code replaces the row's rate when its fact is true
    and makes the result ``missing_data`` while the fact is not answered. A bonus that
    ``requires`` a fact counts only when the company file answers it true; bonuses of the
    same id count once.
    """
    cap = programme.cap_eur
    rates = programme.rate_pct
    for variant in programme.rate_variants:
        if measure.code not in variant.measure_codes:
            continue
        answer = facts.get(variant.requires)
        name = variant.name.get(c.lang, variant.id)
        if answer is None:
            c.record(variant.requires, None, "variant_missing", variant=name)
        elif answer is True:
            rates = variant.rate_pct
            c.reasons.append(translate("advice.reason.variant_applied", c.lang, variant=name))
    if size is None or rates.get(size) is None:
        return None, cap
    rate = rates[size] or 0.0
    applied: set[str] = set()
    for bonus in programme.bonuses:
        if measure.code not in bonus.measure_codes or bonus.id in applied:
            continue
        if bonus.requires is not None and facts.get(bonus.requires) is not True:
            c.reasons.append(
                translate(
                    f"advice.reason.bonus_needs_{bonus.requires}",
                    c.lang,
                    bonus=bonus.name.get(c.lang, bonus.id),
                    points=format_number(bonus.rate_pct_add, c.lang, decimals=0),
                )
            )
            continue
        applied.add(bonus.id)
        if bonus.note:
            c.notes.append(bonus.note.get(c.lang) or next(iter(bonus.note.values())))
        rate += bonus.rate_pct_add
        if bonus.cap_eur is not None:
            cap = bonus.cap_eur if cap is None else max(cap, bonus.cap_eur)
    return rate, cap


def _loan_note(loan: Loan, lang: Lang) -> str:
    """The loan beside the repayment grant, in one sentence (not in the estimate or NPV)."""
    limits = []
    if loan.share_of_cost_max_pct is not None:
        limits.append(
            translate(
                "advice.note.loan_share",
                lang,
                share=format_percent(loan.share_of_cost_max_pct, lang, decimals=0),
            )
        )
    if loan.eur_max is not None:
        limits.append(
            translate(
                "advice.note.loan_eur", lang, eur=format_number(loan.eur_max, lang, decimals=0)
            )
        )
    years = (
        translate(
            "advice.note.loan_years",
            lang,
            years=format_number(loan.fixed_years_max, lang, decimals=0),
        )
        if loan.fixed_years_max is not None
        else ""
    )
    return translate(
        "advice.note.loan",
        lang,
        points=format_number(loan.interest_reduction_points_max, lang, decimals=1),
        years=years,
        limits="; ".join(limits) or "–",
    )


def _grant_min_at_most(
    c: _Checks, programme: Programme, measure: MeasureFigures, cost: float, cap_eur: float | None
) -> None:
    """With no rate to estimate from, the minimum grant against the most the measure could
    get: the highest rate a source names × the eligible cost [EUR], at most ``cap_eur``.
    Below the minimum even so, the measure is not eligible; else the minimum is named."""
    rate_max = _rate_max(programme, measure)
    if programme.grant_min_eur is None or rate_max is None:
        return
    most = rate_max / 100 * cost
    if cap_eur is not None:
        most = min(most, cap_eur)
    ok = most >= programme.grant_min_eur
    c.record(
        "grant_min_eur",
        ok,
        "grant_min_at_most_ok" if ok else "grant_min_at_most_failed",
        value=format_number(most, c.lang, decimals=0),
        max=format_percent(rate_max, c.lang, decimals=0),
        limit=format_number(programme.grant_min_eur, c.lang, decimals=0),
    )


def _rate_max(programme: Programme, measure: MeasureFigures) -> float | None:
    """The highest rate a source names for the measure [%]: the step of its final-energy
    reduction if the row has steps and the reduction is known, else ``rate_pct_max``."""
    value = measure.final_energy_reduction_pct
    if programme.rate_pct_max_steps and value is not None:
        reached = [
            s.rate_pct_max
            for s in programme.rate_pct_max_steps
            if value >= s.final_energy_reduction_pct_min
        ]
        if reached:
            return max(reached)
    return programme.rate_pct_max


def _extra_costs(
    c: _Checks, programme: Programme, measure: MeasureFigures, facts: dict[str, Any]
) -> float:
    """Eligible costs beside the investment [EUR]: each the company file's figure, at most
    ``pct_of_investment_max`` of the investment and ``eur_max``."""
    total = 0.0
    for extra in programme.extra_costs:
        limits = [
            v
            for v in (
                extra.pct_of_investment_max / 100.0 * measure.investment_eur
                if extra.pct_of_investment_max is not None
                else None,
                extra.eur_max,
            )
            if v is not None
        ]
        limit = format_number(min(limits), c.lang, decimals=0) if limits else "–"
        value = facts.get(extra.fact)
        if value is None:
            c.notes.append(translate(f"advice.reason.{extra.fact}_missing", c.lang, limit=limit))
            continue
        counted = min([value, *limits])
        total += counted
        c.reasons.append(
            translate(
                f"advice.reason.{extra.fact}",
                c.lang,
                value=format_number(value, c.lang, decimals=0),
                counted=format_number(counted, c.lang, decimals=0),
                limit=limit,
            )
        )
    return total


def _terms(
    programme: Programme,
    rate: float,
    cost: float,
    cap_eur: float | None,
    measure: MeasureFigures,
    size: SizeClass | None,
    days: float | None,
) -> dict[str, float | None]:
    """The terms whose minimum is the grant [EUR]; a term that does not apply is None."""
    per_t = programme.cap_eur_per_t_co2e_per_year
    return {
        "rate": rate / 100.0 * cost,
        "cap_eur": cap_eur,
        "cap_per_t_co2e": (
            per_t[size] * measure.co2e_t
            if per_t and size in per_t and measure.co2e_t is not None
            else None
        ),
        "cap_per_consultant_day": (
            programme.cap_eur_per_consultant_day * days
            if programme.cap_eur_per_consultant_day is not None and days is not None
            else None
        ),
    }


def _warnings(programme: Programme, today: date, lang: Lang) -> list[str]:
    warnings = []
    source = programme.source
    if source.checked_against != "guideline":
        warnings.append(
            translate(
                "advice.warning.unchecked_row",
                lang,
                against=translate(f"advice.checked.{source.checked_against}", lang),
            )
        )
    if source.checked_against in ("secondary", "not_checked"):
        warnings.append(translate(f"advice.warning.{source.checked_against}", lang))
    if _stale(programme, today):
        warnings.append(
            translate(
                "advice.warning.stale",
                lang,
                date=source.checked.isoformat() if source.checked else "–",
            )
        )
    for conflict in programme.conflicts:
        warnings.append(
            translate(
                "advice.warning.conflict",
                lang,
                field=conflict.field,
                says=conflict.says,
                source=conflict.source,
            )
        )
    if programme.apply_before_start:
        warnings.append(translate("advice.warning.apply_before_start", lang))
    return warnings


def _de_minimis(
    programme: Programme, rules: RuleTable, company: Company, grant: float, lang: Lang
) -> list[str]:
    if programme.aid_basis.kind not in ("de_minimis", "agvo_or_de_minimis"):
        return []
    ceiling = rules.de_minimis_ceiling_eur
    received = company.de_minimis_received_eur
    if received is None:
        return [
            translate(
                "advice.warning.de_minimis_unknown",
                lang,
                ceiling=format_number(ceiling, lang, decimals=0),
            )
        ]
    if received + grant > ceiling:
        return [
            translate(
                "advice.warning.de_minimis_exceeded",
                lang,
                received=format_number(received, lang, decimals=0),
                grant=format_number(grant, lang, decimals=0),
                ceiling=format_number(ceiling, lang, decimals=0),
            )
        ]
    return []


def _with_cumulation(
    results: list[ProgrammeResult], rules: RuleTable, lang: Lang
) -> list[ProgrammeResult]:
    """Results with a warning where a measure is also open for an excluded programme."""
    excludes = {p.id: set(p.cumulation_excludes) for p in rules.programmes}
    names = {p.id: p.name.get(lang, p.id) for p in rules.programmes}
    open_for: dict[str, set[str]] = {}
    for r in results:
        if r.status != "not_eligible":
            open_for.setdefault(r.measure, set()).add(r.programme)
    updated = []
    for r in results:
        others = (
            sorted(excludes[r.programme] & open_for.get(r.measure, set()))
            if r.status != "not_eligible"
            else []
        )
        if others:
            extra = translate(
                "advice.warning.cumulation", lang, others="; ".join(names[o] for o in others)
            )
            r = r.model_copy(update={"warnings": [*r.warnings, extra]})
        updated.append(r)
    return updated


def _stale(programme: Programme, today: date) -> bool:
    source = programme.source
    if source.valid_to is not None and today > source.valid_to:
        return True
    return source.checked is None or today - source.checked > STALE_AFTER


def _aid_basis(programme: Programme) -> str:
    basis = programme.aid_basis
    article = f" Art. {basis.article}" if basis.article else ""
    return {
        "agvo": f"AGVO{article}",
        "de_minimis": "de-minimis",
        "agvo_or_de_minimis": f"AGVO{article} / de-minimis",
        "none": "–",
    }[basis.kind]
