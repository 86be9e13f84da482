"""The funding finder against hand computations (docs/advice.md#funding-finder).

Figures of the shipped rows used here (src/kreislauf/advice/data/rules.yaml, secondary
sources): EEW module 4 premium 45 % small / 35 % medium / 25 % large, caps 2,600 / 2,200
/ 1,600 EUR per t CO2e per year, at least 30 % GHG, a saving concept; module 4 basis 15 %
small / 10 % medium, at least 15 % final energy and EUR 10,000, a listed machine.
"""

from datetime import date
from pathlib import Path

import pytest

from kreislauf.advice import Company, MeasureFigures, funding_options, read_rules, shipped_rules
from kreislauf.carbon.economics import npv

TODAY = date(2026, 12, 1)
SMALL = {"employees": 40, "turnover_eur": 8e6, "balance_sheet_eur": 6e6, "state": "SN"}
MEDIUM = {"employees": 85, "turnover_eur": 14.5e6, "balance_sheet_eur": 9.8e6, "state": "SN"}


def heat(co2e_t: float, baseline_t: float, investment: float = 200_000.0) -> MeasureFigures:
    return MeasureFigures(
        id="W",
        name="heat recovery",
        code="heat_recovery",
        kind="energy_saving",
        investment_eur=investment,
        co2e_t=co2e_t,
        final_energy_saved_mwh=50.0,
        baseline_co2e_t=baseline_t,
        baseline_final_energy_mwh=200.0,
        cash_flows=(30_000.0,) * 10,
        discount_rate=0.05,
    )


def row(result, programme, measure="W"):
    return next(r for r in result.results if r.programme == programme and r.measure == measure)


def find(company: dict, figures: MeasureFigures, **kw):
    firm = Company.model_validate(
        {**company, "de_minimis_received_eur": 0, "measures": {"W": {"saving_concept": True}}}
    )
    return funding_options(firm, [figures], shipped_rules(), today=TODAY, lang="en", **kw)


def test_premium_cap_per_tonne_binds():
    # small: rate 45 % × 200,000 = 90,000; cap 2,600 EUR/t × 10 t/a = 26,000 -> 26,000
    r = row(find(SMALL, heat(10.0, 25.0)), "eew-m4-premium")
    assert r.status == "eligible"
    assert r.rate_pct == 45
    assert r.grant_terms["rate"] == pytest.approx(90_000)
    assert r.grant_terms["cap_per_t_co2e"] == pytest.approx(26_000)
    assert r.estimated_grant_eur == pytest.approx(26_000)
    assert r.binding == "cap_per_t_co2e"


def test_size_class_changes_the_rate():
    # 100 t/a: the per-tonne cap (260,000 / 220,000) does not bind, the rate does
    small = row(find(SMALL, heat(100.0, 250.0)), "eew-m4-premium")
    medium = row(find(MEDIUM, heat(100.0, 250.0)), "eew-m4-premium")
    assert small.estimated_grant_eur == pytest.approx(0.45 * 200_000)  # 90,000
    assert medium.estimated_grant_eur == pytest.approx(0.35 * 200_000)  # 70,000
    assert small.binding == medium.binding == "rate"
    large = {"employees": 300, "turnover_eur": 80e6, "balance_sheet_eur": 60e6, "state": "SN"}
    big = row(find(large, heat(100.0, 250.0)), "eew-m4-premium")
    assert big.estimated_grant_eur == pytest.approx(0.25 * 200_000)
    # module 1 is for KMU only
    assert row(find(large, heat(100.0, 250.0)), "eew-m1").status == "not_eligible"


def test_threshold_failure_names_value_and_limit():
    # 20 t of 100 t = 20 % < 30 %
    r = row(find(SMALL, heat(20.0, 100.0)), "eew-m4-premium")
    assert r.status == "not_eligible"
    assert r.estimated_grant_eur is None
    assert any("20.0%" in reason and "30%" in reason for reason in r.reasons)
    check = next(c for c in r.checks if c["check"] == "ghg_reduction_pct")
    assert check["ok"] is False


def test_npv_with_grant_adds_the_grant_at_t0():
    r = row(find(SMALL, heat(10.0, 25.0)), "eew-m4-premium")
    assert r.npv_eur == pytest.approx(npv(200_000, [30_000.0] * 10, 0.05))
    assert r.npv_with_grant_eur == pytest.approx(r.npv_eur + 26_000)


def test_missing_data_asks_the_next_question():
    figures = MeasureFigures(
        id="W", name="w", code="heat_recovery", kind="energy_saving", investment_eur=50_000.0
    )
    firm = Company(employees=40, turnover_eur=8e6)
    result = funding_options(firm, [figures], shipped_rules(), today=TODAY, lang="en")
    premium = row(result, "eew-m4-premium")
    assert premium.status == "missing_data"
    assert premium.missing == ["co2e_t", "saving_concept"]
    assert "--ledger" in premium.next_question
    saxony = row(result, "sn-frl-euk-m2")
    assert saxony.status == "missing_data"
    assert saxony.missing[0] == "state"
    assert "Land" in saxony.next_question


def test_other_land_is_not_eligible_for_saxony():
    result = find({**SMALL, "state": "BY"}, heat(100.0, 250.0))
    r = row(result, "sn-frl-euk-m2")
    assert r.status == "not_eligible"
    assert any("DE-SN" in reason and "BY" in reason for reason in r.reasons)


def test_cumulation_and_de_minimis_warnings():
    # a listed servo machine with a saving concept: module 4 basis and premium both open
    figures = MeasureFigures(
        id="W",
        name="servo",
        code="servo_drives",
        kind="energy_saving",
        investment_eur=100_000.0,
        co2e_t=40.0,
        final_energy_saved_mwh=40.0,
        baseline_co2e_t=100.0,
        baseline_final_energy_mwh=100.0,
    )
    firm = Company.model_validate(
        {
            **SMALL,
            "de_minimis_received_eur": 290_000,
            "measures": {"W": {"saving_concept": True, "listed_machine": True}},
        }
    )
    result = funding_options(firm, [figures], shipped_rules(), today=TODAY, lang="en")
    basis, premium = row(result, "eew-m4-basis"), row(result, "eew-m4-premium")
    assert basis.status == premium.status == "eligible"
    assert basis.estimated_grant_eur == pytest.approx(15_000)  # 15 % small
    assert any("Cannot be combined" in w and "premium" in w for w in basis.warnings)
    assert any("Cannot be combined" in w and "basic" in w for w in premium.warnings)
    # 290,000 + 15,000 > 300,000 as de-minimis aid
    assert any("would exceed" in w for w in basis.warnings)
    assert any("Apply before you start" in w for w in basis.warnings)


def test_started_measure_and_closed_programme():
    firm = Company.model_validate(
        {**SMALL, "measures": {"W": {"saving_concept": True, "started": True}}}
    )
    result = funding_options(firm, [heat(100.0, 250.0)], shipped_rules(), today=TODAY, lang="en")
    assert row(result, "eew-m4-premium").status == "not_eligible"
    later = find(SMALL, heat(100.0, 250.0))
    later = funding_options(
        Company.model_validate({**SMALL, "measures": {"W": {"saving_concept": True}}}),
        [heat(100.0, 250.0)],
        shipped_rules(),
        today=date(2029, 1, 1),
        lang="en",
    )
    r = row(later, "eew-m4-premium")
    assert r.status == "not_eligible" and r.stale
    assert any("2028-12-31" in reason for reason in r.reasons)


def test_secondary_rows_and_conflicts_are_shown():
    r = row(find(SMALL, heat(10.0, 25.0)), "eew-m4-premium")
    assert r.checked_against == "secondary"
    assert any("third-party" in w for w in r.warnings)
    assert any(c["field"] == "rate_pct" for c in r.conflicts)
    assert any("55 %" in w for w in r.warnings)
    assert not r.stale  # checked 2026-12-01
    assert (
        row(
            find(
                SMALL,
                heat(10.0, 25.0),
            ),
            "eew-m4-premium",
        )
        .consultants[0]["url"]
        .startswith("https://www.energie-effizienz-experten.de")
    )


def test_unverified_rate_gives_no_estimate():
    firm = Company.model_validate({**MEDIUM, "measures": {"W": {"saving_concept": True}}})
    r = row(
        funding_options(firm, [heat(100.0, 250.0)], shipped_rules(), today=TODAY, lang="en"),
        "eew-m1",
    )
    assert r.status == "eligible"  # medium KMU, heat exchanger, >= 2,000 EUR
    assert r.rate_pct is None and r.estimated_grant_eur is None
    assert any("no estimate" in reason for reason in r.reasons)


DEMO = Path(__file__).parents[2] / "examples" / "demo-company"


def test_shipped_rules_load_with_every_row_sourced():
    rules, source = read_rules()
    assert source.endswith("rules.yaml")
    ids = {p.id for p in rules.programmes}
    assert {
        "eew-m1",
        "eew-m2",
        "eew-m3",
        "eew-m4-basis",
        "eew-m4-premium",
        "eew-m5",
        "eew-m6",
        "eew-competition",
        "kfw-295-m4",
        "go-inno",
        "sn-frl-euk-m2",
        "sn-frl-krw",
        "saena-advice",
    } == ids
    for p in rules.programmes:
        assert p.source.url.startswith("https://")
        assert p.source.checked is not None
        assert p.source.checked_against != "guideline"  # nothing was checked against the text


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(
    investment=st.floats(min_value=0, max_value=5e7),
    co2e=st.floats(min_value=0.01, max_value=1e4),
    share=st.floats(min_value=0.31, max_value=1.0),  # above the 30 % threshold
    employees=st.sampled_from([5, 40, 120, 400]),
)
def test_grant_is_the_minimum_of_its_terms(investment, co2e, share, employees):
    company = {"employees": employees, "turnover_eur": 1e6, "balance_sheet_eur": 1e6}
    if employees == 400:
        company = {"employees": 400, "turnover_eur": 9e7, "balance_sheet_eur": 9e7}
    r = row(find(company, heat(co2e, co2e / share, investment)), "eew-m4-premium")
    assert r.status == "eligible"
    terms = [v for v in r.grant_terms.values() if v is not None]
    assert r.estimated_grant_eur == pytest.approx(min(terms))
    assert r.estimated_grant_eur <= r.rate_pct / 100 * investment + 1e-6
    assert r.estimated_grant_eur <= 20_000_000
    assert r.npv_with_grant_eur - r.npv_eur == pytest.approx(r.estimated_grant_eur, abs=1e-6)
