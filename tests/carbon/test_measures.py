"""Measures: savings, NPV, payback and MAC against hand computations with a rising CO2 price."""

from __future__ import annotations

import json

import pytest

from kreislauf.carbon.measures import (
    capital_recovery_factor,
    evaluate_measures,
    material_factor,
    read_measures,
    simple_payback,
)
from kreislauf.carbon.prices import read_price_paths
from kreislauf.errors import CentreNotInLedger, InvalidMeasure, UnknownPricePath
from tests.carbon.products_fixtures import make_factors, make_ledger

PRICES = """path,year,eur_per_t,status,source
rising,2025,100,scenario,test
rising,2027,300,scenario,test
"""

MEASURES = """measures:
  - id: gas
    name: Heat recovery
    kind: energy_saving
    centre: Moulding
    carrier: natural_gas
    share: 0.5
    investment_eur: 100
    lifetime_years: 4
    running_cost_eur: 5
    co2_price_path: rising
  - id: scrap
    kind: scrap_reduction
    centre: Moulding
    waste: sprues
    reduction: 0.4
    material: PP
    investment_eur: 300
    lifetime_years: 5
  - id: rec
    kind: recyclate
    centre: Stamping
    material: Steel
    recycled_share: 0.5
    price_change_eur_per_t: 30
    investment_eur: 0
    lifetime_years: 3
    priced: all
    co2_price_path: rising
  - id: pv
    kind: own_pv
    centre: Assembly
    mwh: 0.5
    investment_eur: 400
    lifetime_years: 20
    running_cost_eur: 10
"""


def _evaluate(tmp_path, text=MEASURES, rate=0.1, suffix=".yaml"):
    measures_file = tmp_path / f"measures{suffix}"
    measures_file.write_text(text, encoding="utf-8")
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES, encoding="utf-8")
    return evaluate_measures(
        read_measures(measures_file),
        make_ledger(),
        make_factors(tmp_path),
        read_price_paths(prices),
        discount_rate=rate,
        default_path="rising",
    )


def test_energy_saving_with_rising_co2_price_agrees_with_hand_computation(tmp_path):
    result = _evaluate(tmp_path)
    gas = result.measures[0]
    assert result.base_year == 2024
    # 50 % of 500 kWh gas at 0.10 EUR/kWh and 0.2 kg CO2e/kWh
    assert gas.energy_mwh == pytest.approx(0.25)
    assert gas.savings_eur == pytest.approx(25.0)
    assert gas.co2e_t == pytest.approx(0.05)
    assert gas.priced_co2e_t == pytest.approx(0.05)  # natural gas is a priced fuel
    assert gas.years == [2025, 2026, 2027, 2028]
    assert gas.co2_prices == pytest.approx([100, 200, 300, 300])  # interpolated, then held
    flows = [25 - 5 + p * 0.05 for p in (100, 200, 300, 300)]
    assert gas.cash_flows == pytest.approx(flows)
    expected_npv = -100 + sum(cf / 1.1**t for t, cf in enumerate(flows, start=1))
    assert gas.npv_eur == pytest.approx(expected_npv, rel=1e-12)
    assert gas.npv_eur == pytest.approx(-100 + 25 / 1.1 + 30 / 1.21 + 35 / 1.331 + 35 / 1.4641)
    assert gas.payback_years == pytest.approx(3 + (100 - 90) / 35)
    crf = 0.1 * 1.1**4 / (1.1**4 - 1)
    assert gas.mac_eur_per_t == pytest.approx((100 * crf + 5 - 25) / 0.05, rel=1e-12)
    assert gas.mac_eur_per_t == pytest.approx(230.94, abs=0.01)


def test_scrap_recyclate_and_pv_agree_with_hand_computation(tmp_path):
    result = _evaluate(tmp_path, rate=0.05)
    _, scrap, rec, pv = result.measures
    # scrap: 40 % of 100 kg sprues (recycling, 0.10 EUR/kg) and as much PP (2 EUR/kg,
    # 20 % recycled: 0.8 * 2.0 + 0.2 * 0.5 = 1.7 kg CO2e/kg)
    assert scrap.material_t == pytest.approx(0.04)
    assert scrap.savings_eur == pytest.approx(40 * 0.1 + 40 * 2.0)
    assert scrap.co2e_t == pytest.approx((40 * 0.05 + 40 * 1.7) / 1000)
    assert scrap.price_path == "rising"  # the default path
    assert scrap.priced_co2e_t == 0.0  # no fuel saved
    assert scrap.npv_eur == pytest.approx(-300 + 84 * (1 - 1.05**-5) / 0.05)
    assert scrap.payback_years == pytest.approx(300 / 84)
    # recyclate: steel share 0.1 -> 0.5 of 500 kg; 200 kg replaced, 1.1 kg CO2e/kg less;
    # 30 EUR/t extra price; every tonne priced (priced: all)
    assert rec.material_t == pytest.approx(0.2)
    assert rec.co2e_t == pytest.approx(0.22)
    assert rec.savings_eur == pytest.approx(-6.0)
    assert rec.cash_flows == pytest.approx([-6 + 0.22 * p for p in (100, 200, 300)])
    assert rec.payback_years == 0.0
    assert rec.mac_eur_per_t == pytest.approx(6 / 0.22)
    # PV: 500 kWh replace grid electricity at 0.25 EUR/kWh, 0.4 kg CO2e/kWh
    assert pv.energy_mwh == pytest.approx(0.5)
    assert pv.savings_eur == pytest.approx(125.0)
    assert pv.co2e_t == pytest.approx(0.2)
    crf = capital_recovery_factor(0.05, 20)
    assert pv.mac_eur_per_t == pytest.approx((400 * crf + 10 - 125) / 0.2)
    order = [m.measure.id for m in result.mac_order()]
    assert order == sorted(
        order, key=lambda i: next(m.mac_eur_per_t for m in result.measures if m.measure.id == i)
    )
    assert set(order) == {"gas", "scrap", "rec", "pv"}


def test_material_factor_is_the_cut_off_blend(tmp_path):
    factors = make_factors(tmp_path)
    # 20 % recycled PP: 0.8 * 2.0 + 0.2 * 0.5 = 1.7 kg CO2e/kg, both factors used
    value, used = material_factor(factors, "PP", 0.2, 2024, {})
    assert value == pytest.approx(1.7)
    assert len(used) == 2
    # no recycled share: the virgin factor alone
    value, used = material_factor(factors, "Steel", 0.0, 2024, {})
    assert value == pytest.approx(1.5)
    assert len(used) == 1


def test_helpers_edge_cases():
    assert capital_recovery_factor(0.0, 4) == 0.25
    assert simple_payback(100, [10, 10]) is None
    assert simple_payback(100, [-50, 100, 100]) == pytest.approx(2.5)


def test_csv_format_gives_the_same_result(tmp_path):
    csv_text = (
        "id,kind,centre,carrier,share,investment_eur,lifetime_years,running_cost_eur,"
        "co2_price_path\ngas,energy_saving,Moulding,natural_gas,0.5,100,4,5,rising\n"
    )
    from_csv = _evaluate(tmp_path, csv_text, suffix=".csv").measures[0]
    from_yaml = _evaluate(tmp_path).measures[0]
    assert from_csv.npv_eur == pytest.approx(from_yaml.npv_eur)


def test_unknown_centre_names_field_and_known_centres(tmp_path):
    text = MEASURES.replace("centre: Assembly", "centre: Lackiererei")
    with pytest.raises(CentreNotInLedger) as info:
        _evaluate(tmp_path, text)
    message = info.value.message("en")
    assert "measures.yaml" in message and "measures[3].centre" in message
    assert "Lackiererei" in message and "Assembly, Moulding, Stamping" in message
    csv_text = "id,kind,centre,mwh,investment_eur,lifetime_years\npv,own_pv,Dach,1,10,5\n"
    with pytest.raises(CentreNotInLedger, match="row 2"):
        _evaluate(tmp_path, csv_text, suffix=".csv")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("kind: energy_saving", "kind: magic", "kind"),
        ("share: 0.5", "share: 1.5", "share"),
        ("lifetime_years: 4", "lifetime_years: 2.5", "lifetime_years"),
        ("carrier: natural_gas", "carrier: hydrogen", "carrier"),
        ("waste: sprues", "waste: gold", "waste"),
        ("recycled_share: 0.5", "recycled_share: 0.05", "recycled_share"),
        ("mwh: 0.5", "mwh: 50", "mwh"),
        ("running_cost_eur: 5", "running_cost_eur: 5\n    colour: red", "colour"),
    ],
)
def test_bad_fields_are_named(tmp_path, old, new, field):
    with pytest.raises(InvalidMeasure) as info:
        _evaluate(tmp_path, MEASURES.replace(old, new, 1))
    assert info.value.params["field"].endswith(f".{field}")


def test_bad_yaml_and_unknown_price_path(tmp_path):
    with pytest.raises(InvalidMeasure, match="YAML"):
        _evaluate(tmp_path, "measures: [\n")
    with pytest.raises(UnknownPricePath, match="behg"):
        _evaluate(tmp_path, MEASURES.replace("co2_price_path: rising", "co2_price_path: x", 1))


def test_german_excel_csv_gives_the_same_result(tmp_path):
    csv_text = (
        "# Maßnahmen 2025\n"
        "id;kind;centre;carrier;share;investment_eur;lifetime_years;running_cost_eur;"
        "co2_price_path\n\ngas;energy_saving;Moulding;natural_gas;0,5;100;4;5;rising\n"
    )
    path = tmp_path / "m.csv"
    path.write_bytes(csv_text.encode("cp1252"))
    [measure] = read_measures(path)
    assert measure.params["share"] == 0.5 and measure.where == {"file": "m.csv", "row": 4}
    from_csv = _evaluate(tmp_path, csv_text, suffix=".csv").measures[0]
    from_yaml = _evaluate(tmp_path).measures[0]
    assert from_csv.npv_eur == pytest.approx(from_yaml.npv_eur)


def test_csv_measure_without_id_is_numbered(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        'kind,centre,mwh,investment_eur,lifetime_years\nown_pv,Assembly,"1.234,5",10,5\n',
        encoding="utf-8",
    )
    [measure] = read_measures(path)
    assert measure.id == "M1" and measure.params["mwh"] == pytest.approx(1234.5)


def test_json_document_rounds_and_keeps_given_inputs(tmp_path):
    result = _evaluate(tmp_path)
    document = result.to_dict()
    assert document == json.loads(result.to_json())
    assert document["discount_rate"] == 0.1
    for measure, out in zip(result.measures, document["measures"], strict=True):
        assert out["id"] == measure.measure.id
        assert out["npv_eur"] == round(measure.npv_eur, 6)
        assert out["cash_flows_eur"] == [round(c, 6) for c in measure.cash_flows]
        assert out["working"] == {
            k: round(v, 6) if isinstance(v, float) else v for k, v in measure.working.items()
        }
        assert [f["unit"] for f in out["factors"]] == [
            f"kg CO2e / {f.unit}" for f in measure.factors
        ]
    assert set(document["price_paths"]) == set(result.price_paths)
