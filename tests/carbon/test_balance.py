"""GHG balance: hand-computed known answers for a small ledger with a user factor file."""

from __future__ import annotations

import json
import math

import pytest

from kreislauf.carbon.activities import read_activities
from kreislauf.carbon.balance import ghg_balance
from kreislauf.carbon.factors import read_factors
from kreislauf.carbon.uncertainty import QUALITY_HALF_WIDTH
from kreislauf.errors import InvalidActivityFile, NoFactor, UnitNotConvertible
from kreislauf.ledger import read_ledger

HEADER = "period,site,centre,flow,material,category,quantity,unit,cost_eur,recycled_share,treatment,to_centre,note\n"  # noqa: E501
LEDGER = HEADER + (
    "2023,A,P,energy_in,,natural_gas,5,MWh,,,,,\n"
    "2024,A,P,energy_in,,natural_gas,10,MWh,,,,,\n"
    "2024,A,P,energy_in,,electricity,20,MWh,,,,,\n"
    "2024,A,P,energy_in,,own_pv,1,MWh,,,,,\n"
    "2024,A,P,material_in,Steel,raw,10,t,,0.3,,,\n"
    "2024,A,P,waste_out,Scrap,,1,t,,,recycling,,\n"
    "2024,A,P,waste_out,Mix,,2,t,,,disposal,,\n"
    "2024,A,P,product_out,Part,,8,t,,,,,\n"
)
FACTORS = (
    "key,value,unit,scope,category,source,year,region,quality\n"
    "natural_gas,0.2,kg CO2e / kWh,1,stationary_combustion,test sheet A,2024,DE,1\n"
    "electricity,0.4,kg CO2e / kWh,2,electricity,test sheet B,2024,DE,2\n"
    "electricity:market,100,g CO2e / kWh,2,electricity,supplier disclosure,2024,DE,2\n"
    "Steel,2,t CO2e / t,3,1,test EPD,2024,EU,3\n"
    "Steel:recycled,0.5,kg CO2e / kg,3,1,test EPD recycled,2024,EU,3\n"
    "waste:recycling,21,kg CO2e / t,3,5,test waste table,2024,DE,4\n"
    "waste:Mix:disposal,500,kg CO2e / t,3,5,test landfill,2024,DE,4\n"
)
ACTIVITIES = (
    "period,kind,key,quantity,unit,description\n"
    "2024,green_electricity,,5,MWh,guarantees of origin\n"
    "2024,upstream_transport,truck,1000,t*km,inbound steel\n"
)


@pytest.fixture
def files(tmp_path):
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    factors = tmp_path / "factors.csv"
    factors.write_text(
        FACTORS + "truck,0.1,kg CO2e / t*km,3,4,test transport,2024,DE,3\n", encoding="utf-8"
    )
    activities = tmp_path / "activities.csv"
    activities.write_text(ACTIVITIES, encoding="utf-8")
    return ledger, factors, activities


def balance_of(files):
    ledger, factors, activities = files
    return ghg_balance(
        read_ledger(ledger), read_factors(factors), activities=read_activities(activities)
    )


def test_hand_computed_scopes(files):
    balance = balance_of(files)
    # no year has 12 months (the periods are whole years): the latest year is reported
    assert balance.reporting_year == "2024"
    # Scope 1: 5 MWh (2023) + 10 MWh (2024) gas × 0.2 kg/kWh = 1 t + 2 t, the year 2024 2 t
    assert [y.totals["scope1"] for y in balance.years] == pytest.approx([1.0, 2.0])
    assert balance.totals["scope1"] == pytest.approx(2.0)
    # Scope 2 location: 20,000 kWh × 0.4 kg/kWh = 8 t; own PV counts 0
    assert balance.totals["scope2_location"] == pytest.approx(8.0)
    # Scope 2 market: 5 MWh covered by guarantees of origin → 0; 15,000 kWh × 100 g = 1.5 t
    assert balance.totals["scope2_market"] == pytest.approx(1.5)
    # Scope 3 cat. 1: 7 t virgin × 2 t/t = 14 t; 3 t recycled × 0.5 kg/kg = 1.5 t
    # cat. 5: 1 t × 21 kg/t = 0.021 t; 2 t × 500 kg/t = 1 t; cat. 4: 1000 t·km × 0.1 kg = 0.1 t
    assert balance.scope3_by_category == pytest.approx({"1": 15.5, "4": 0.1, "5": 1.021})
    assert balance.totals["scope3"] == pytest.approx(16.621)


def test_each_line_names_factor_source_row_and_reason(files):
    lines = balance_of(files).lines
    by_activity = {(line.scope, line.activity): line for line in lines}
    recycled = by_activity[("scope3", "Steel:recycled")]
    # the user file replaces the shipped DESNZ steel:recycled and waste:recycling factors
    assert (recycled.factor_key, recycled.reason, recycled.source_row) == (
        "Steel:recycled",
        "override:recycled",
        6,
    )
    assert recycled.factor_source == "test EPD recycled"
    assert recycled.amount == pytest.approx(3000.0)
    mix = by_activity[("scope3", "Mix → disposal")]
    assert (mix.factor_key, mix.reason) == ("waste:Mix:disposal", "waste_material")
    scrap = by_activity[("scope3", "Scrap → recycling")]
    assert (scrap.factor_key, scrap.reason) == ("waste:recycling", "override:waste_treatment")
    gas = next(line for line in lines if line.activity == "natural_gas" and line.period == "2024")
    assert gas.reason == "override:exact"  # the user file overrides the shipped EPA factor
    assert gas.source_file == "ledger.csv" and gas.source_row == 3
    market = [line for line in lines if line.scope == "scope2_market" and line.co2e_t > 0]
    assert [m.reason for m in market] == ["market:supplier"]
    for line in lines:
        assert line.factor_key and line.factor_source and line.source_row >= 2


def test_market_falls_back_to_location_factor_without_supplier_factor(files, tmp_path):
    ledger, _, _ = files
    factors = tmp_path / "only_location.csv"
    factors.write_text(
        "\n".join(line for line in FACTORS.splitlines() if "electricity:market" not in line),
        encoding="utf-8",
    )
    balance = ghg_balance(read_ledger(ledger), read_factors(factors))
    assert balance.totals["scope2_market"] == pytest.approx(balance.totals["scope2_location"])
    reasons = {line.reason for line in balance.lines if line.scope == "scope2_market"}
    assert "override:market:grid_average_fallback" in reasons


def test_years_base_year_and_change(files):
    balance = balance_of(files)
    assert balance.base_year == "2023"
    first, second = balance.years
    assert first.change["scope1"] is None
    assert second.change["scope1"] == pytest.approx(1.0)
    assert second.vs_base["scope1"] == pytest.approx(1.0)


def test_reporting_year_is_the_latest_with_twelve_months(tmp_path):
    rows = [f"2023-{m:02d},A,P,energy_in,,natural_gas,1,MWh,,,,,\n" for m in range(1, 13)]
    rows += [f"2024-{m:02d},A,P,energy_in,,natural_gas,2,MWh,,,,,\n" for m in range(1, 4)]
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(HEADER + "".join(rows), encoding="utf-8")
    factors = tmp_path / "f.csv"
    factors.write_text(FACTORS, encoding="utf-8")
    balance = ghg_balance(read_ledger(ledger), read_factors(factors))
    # 2024 has 3 months only: the headline is 2023 (12 × 1 MWh × 0.2 kg/kWh = 2.4 t)
    assert (balance.reporting_year, balance.months) == ("2023", {"2023": 12, "2024": 3})
    assert balance.totals["scope1"] == pytest.approx(2.4)
    chosen = ghg_balance(read_ledger(ledger), read_factors(factors), reporting_year="2024")
    assert chosen.totals["scope1"] == pytest.approx(1.2)  # 3 × 2 MWh × 0.2 kg/kWh
    document = json.loads(balance.to_json())
    assert document["reporting_year"] == "2023"
    assert document["scope1_t"] == pytest.approx(2.4)
    assert [(y["year"], y["months"]) for y in document["years"]] == [("2023", 12), ("2024", 3)]


def test_uncertainty_and_quality_per_scope(files):
    scope3 = balance_of(files).uncertainty["scope3"]
    parts = [(14.0, 3), (1.5, 3), (0.021, 4), (1.0, 4), (0.1, 3)]
    half = math.sqrt(sum((QUALITY_HALF_WIDTH[q] * e) ** 2 for e, q in parts))
    assert scope3.low_t == pytest.approx(16.621 - half)
    assert scope3.high_t == pytest.approx(16.621 + half)
    assert scope3.quality_score == pytest.approx(sum(e * q for e, q in parts) / 16.621)


def test_missing_factor_names_row_and_closest(tmp_path):
    # copper: neither the user file nor the shipped library has a recycled-copper factor
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER.replace("Steel", "Copper"), encoding="utf-8")
    factors = tmp_path / "f.csv"
    factors.write_text(
        "\n".join(
            line.replace("Steel", "Copper")
            for line in FACTORS.splitlines()
            if not line.startswith("Steel:")
        ),
        encoding="utf-8",
    )
    with pytest.raises(NoFactor) as info:
        ghg_balance(read_ledger(ledger), read_factors(factors))
    message = str(info.value)
    assert "ledger.csv, row 6" in message
    assert "Copper:recycled" in message and "closest" in message and "Copper" in message


def test_activity_unit_that_does_not_convert(files, tmp_path):
    ledger, factors, _ = files
    activities = tmp_path / "a.csv"
    activities.write_text(
        "period,kind,key,quantity,unit\n2024,upstream_transport,truck,5,kWh\n", encoding="utf-8"
    )
    with pytest.raises(UnitNotConvertible, match="truck"):
        ghg_balance(
            read_ledger(ledger), read_factors(factors), activities=read_activities(activities)
        )


def test_invalid_activity_row(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("period,kind,key,quantity,unit\n2024,teleport,x,5,km\n", encoding="utf-8")
    with pytest.raises(InvalidActivityFile) as info:
        read_activities(path)
    assert info.value.params["row"] == 2 and info.value.params["column"] == "kind"


def test_green_electricity_in_a_mass_unit_names_its_row(files, tmp_path):
    ledger, factors, _ = files
    activities = tmp_path / "g.csv"
    activities.write_text(
        "period,kind,key,quantity,unit\n2024,green_electricity,,5,t\n", encoding="utf-8"
    )
    with pytest.raises(UnitNotConvertible) as info:
        ghg_balance(
            read_ledger(ledger), read_factors(factors), activities=read_activities(activities)
        )
    assert (info.value.params["file"], info.value.params["row"]) == ("g.csv", 2)


def test_json_lines_keep_scope_number_method_and_rounding(files):
    balance = balance_of(files)
    document = balance.to_dict()
    assert document == json.loads(balance.to_json())
    assert document["scope1_t"] == round(balance.totals["scope1"], 6)
    assert len(document["lines"]) == len(balance.lines)
    for line, out in zip(balance.lines, document["lines"], strict=True):
        scope, _, method = line.scope.removeprefix("scope").partition("_")
        assert (out["scope"], out["method"]) == (int(scope), method or None)
        assert out["amount"] == round(line.amount, 6)
        assert out["co2e_t"] == round(line.co2e_t, 9)
        assert out["factor_value"] == line.factor_value
        assert out["source_row"] == line.source_row and out["reason"] == line.reason
    years = {y["year"]: y for y in document["years"]}
    assert years["2023"]["change_t"]["scope1"] is None
    assert years["2024"]["change_t"]["scope1"] == round(balance.years[1].change["scope1"], 6)
    for scope, u in balance.uncertainty.items():
        expected = None if u.quality_score is None else round(u.quality_score, 3)
        assert document["uncertainty"][scope]["quality_score"] == expected
