"""KPIs against hand-computed values."""

from __future__ import annotations

import json
import math

import pytest
from ledger_fixtures import P, make_ledger

from kreislauf.ledger import ledger_kpis
from kreislauf.ledger.kpis import KPI_IDS


def _values(table):
    return {(v.id, v.site, v.period): v for v in table.values}


def test_two_centres_whole_ledger(two_centres):
    kpis = {v.id: v.value for v in ledger_kpis(two_centres).values}
    assert set(kpis) == set(KPI_IDS)
    # material_in: 2 t + 500 kg + 0.5 t = 3 t, of which 2 t × 25 % = 0.5 t recycled
    assert kpis["material_input_t"] == pytest.approx(3.0)
    assert kpis["recycled_input_share"] == pytest.approx(100 * 0.5 / 3)
    # product 2.3 t; waste 0.4 t + 150 kg = 0.55 t, 0.4 t of it recycled
    assert kpis["material_yield"] == pytest.approx(100 * 2.3 / 3)
    assert kpis["waste_ratio"] == pytest.approx(100 * 0.55 / 3)
    assert kpis["waste_recycling_rate"] == pytest.approx(100 * 0.4 / 0.55)
    # energy 1 MWh + 500 kWh + 2 MWh = 3.5 MWh; per t of product 3500 kWh / 2.3 t
    assert kpis["energy_use_mwh"] == pytest.approx(3.5)
    assert kpis["specific_energy_kwh_per_t"] == pytest.approx(3500 / 2.3)
    # water 23000 l = 23 m³ per 2.3 t
    assert kpis["water_intensity_m3_per_t"] == pytest.approx(10.0)
    # MFCA loss cost of both centres (see test_mfca.py)
    assert kpis["material_loss_cost_eur"] == pytest.approx(1765.3333333, abs=1e-4)


def _month(period: str, material_t: float, product_t: float, site: str = "S"):
    return [
        dict(
            period=period,
            site=site,
            centre="C",
            flow="material_in",
            category="raw",
            quantity=material_t,
            unit="t",
            cost_eur=1000 * material_t,
        ),
        dict(
            period=period, site=site, centre="C", flow="product_out", quantity=product_t, unit="t"
        ),
        dict(
            period=period,
            site=site,
            centre="C",
            flow="waste_out",
            quantity=material_t - product_t,
            unit="t",
            treatment="recycling",
        ),
    ]


def test_by_site_and_period_with_change_vs_previous_period():
    ledger = make_ledger(
        _month("2024-02", 10, 9) + _month("2024-01", 10, 8) + _month("2024-01", 4, 3, site="T")
    )
    table = ledger_kpis(ledger, by=("site", "period"))
    values = _values(table)
    jan = values[("material_yield", "S", "2024-01")]
    feb = values[("material_yield", "S", "2024-02")]
    assert jan.value == pytest.approx(80.0) and jan.previous is None and jan.change is None
    assert feb.value == pytest.approx(90.0)
    assert feb.previous == pytest.approx(80.0) and feb.change == pytest.approx(10.0)
    assert values[("material_yield", "T", "2024-01")].value == pytest.approx(75.0)
    # loss cost per month: the waste share of the material cost (1 t × 1000 EUR/t = 1000)
    assert values[("material_loss_cost_eur", "S", "2024-02")].value == pytest.approx(1000)
    by_site = _values(ledger_kpis(ledger, by=("site",)))
    assert by_site[("material_input_t", "S", "all")].value == pytest.approx(20)
    assert by_site[("material_yield", "S", "all")].value == pytest.approx(85.0)
    by_period = _values(ledger_kpis(ledger, by=("period",)))
    assert by_period[("material_input_t", "all", "2024-01")].value == pytest.approx(14)
    assert by_period[("material_input_t", "all", "2024-02")].change == pytest.approx(-4)


def test_ratio_without_denominator_is_nan():
    rows = [
        dict(
            period=P,
            site="S",
            centre="C",
            flow="energy_in",
            category="electricity",
            quantity=5,
            unit="MWh",
        )
    ]
    kpis = {v.id: v.value for v in ledger_kpis(make_ledger(rows)).values}
    assert kpis["energy_use_mwh"] == pytest.approx(5)
    assert math.isnan(kpis["specific_energy_kwh_per_t"])


def test_json_rows_round_to_six_decimals_and_write_nan_as_null(two_centres):
    rows = [
        dict(
            period=P,
            site="S",
            centre="C",
            flow="energy_in",
            category="electricity",
            quantity=5,
            unit="MWh",
        ),
    ]
    table = ledger_kpis(make_ledger(rows))
    document = json.loads(table.to_json())
    assert document == table.to_dict()
    by_id = {row["id"]: row for row in document["kpis"]}
    assert by_id["specific_energy_kwh_per_t"]["value"] is None
    assert by_id["energy_use_mwh"] == {
        "id": "energy_use_mwh",
        "site": "all",
        "period": "all",
        "value": 5.0,
        "unit": "MWh",
    }
    split = ledger_kpis(two_centres, by=("site", "period"))
    assert [row["value"] for row in split.to_dict()["kpis"]] == [
        None if math.isnan(v.value) else round(v.value, 6) for v in split.values
    ]
