"""PCF rollup: a three-level BOM worked by hand, cycles, units and bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreislauf.carbon.bom import bom_from_frame, bom_order, read_bom
from kreislauf.carbon.pcf import item_masses, product_footprints, supply_vector
from kreislauf.errors import BomCycle, CentreNotInLedger, InvalidBom, NoFactor, UnknownProduct
from tests.carbon.products_fixtures import BOM_CSV, make_factors, make_ledger


def _bom(tmp_path, text=BOM_CSV, name="bom.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_bom(path)


def test_three_level_bom_agrees_with_hand_computation(tmp_path):
    [result] = product_footprints(_bom(tmp_path), make_ledger(), make_factors(tmp_path))
    # centre intensities [kg CO2e per kg output]
    moulding_energy = (2000 * 0.4 + 500 * 0.2) / 850
    moulding_waste = (100 * 0.05 + 50 * 0.5) / 850
    stamping_energy, stamping_waste = 300 * 0.4 / 450, 50 * 0.05 / 450
    assembly_energy = 1000 * 0.4 / 1300
    # masses [kg]: housing given, bracket = 300 g steel, module = sum of parts
    module_mass = 2 * 0.4 + 1 * 0.3 + 4 * 0.01
    # raw materials: PP recycled share 0.2 from the ledger, steel 0.25 from the BOM
    pp = 0.8 * 2.0 + 0.2 * 0.5
    steel = 0.75 * 1.5 + 0.25 * 0.4
    raw = 2 * 0.45 * pp + 0.3 * steel + 4 * 0.01 * 3.0
    processing = 2 * 0.4 * moulding_energy + 0.3 * stamping_energy + module_mass * assembly_energy
    waste = 2 * 0.4 * moulding_waste + 0.3 * stamping_waste
    assert result.stages["raw_materials"] == pytest.approx(raw, rel=1e-12)
    assert result.stages["processing"] == pytest.approx(processing, rel=1e-12)
    assert result.stages["waste"] == pytest.approx(waste, rel=1e-12)
    assert result.total_kg == pytest.approx(raw + processing + waste, rel=1e-12)
    assert result.total_kg == pytest.approx(3.325230, abs=1e-6)
    assert result.mass_kg == pytest.approx(module_mass)
    primary = processing + waste + 4 * 0.01 * 3.0
    assert result.primary_share == pytest.approx(primary / result.total_kg, rel=1e-12)
    by_item = result.components.set_index("item")
    assert by_item.loc["PP", "quantity"] == pytest.approx(0.9)
    assert by_item.loc["PP", "recycled_share"] == pytest.approx(0.2)
    assert by_item.loc["Steel", "total"] == pytest.approx(0.3 * steel)
    assert by_item.loc["Housing", "processing"] == pytest.approx(2 * 0.4 * moulding_energy)
    assert by_item["total"].sum() == pytest.approx(result.total_kg, rel=1e-12)
    assert list(result.components["total"]) == sorted(result.components["total"], reverse=True)
    assert by_item.loc["PP", "factor_key"] == "PP"
    assert "PP:recycled" in by_item.loc["PP", "factor_source"]
    assert {c.centre for c in result.centres} == {"Moulding", "Stamping", "Assembly"}


def test_rows_in_any_order_give_the_same_result(tmp_path):
    lines = BOM_CSV.strip().splitlines()
    shuffled = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    factors, ledger = make_factors(tmp_path), make_ledger()
    [a] = product_footprints(_bom(tmp_path), ledger, factors)
    [b] = product_footprints(_bom(tmp_path, shuffled, "b.csv"), ledger, factors)
    assert a.total_kg == pytest.approx(b.total_kg, rel=1e-12)


def test_cycle_is_rejected_naming_it(tmp_path):
    text = BOM_CSV + "Steel,Housing,1,pcs,,,,\nHousing,Bracket,1,pcs,,,,\n"
    with pytest.raises(BomCycle) as info:
        product_footprints(_bom(tmp_path, text), make_ledger(), make_factors(tmp_path))
    cycle = info.value.params["value"].split(" → ")
    assert cycle[0] == cycle[-1] and set(cycle) == {"Bracket", "Steel", "Housing"}
    assert "cycle" in info.value.message("en") and "Zyklus" in info.value.message("de")


def test_self_reference_is_a_cycle(tmp_path):
    with pytest.raises(BomCycle, match="Housing → Housing"):
        product_footprints(
            _bom(tmp_path, BOM_CSV + "Housing,Housing,1,pcs,,,,\n"),
            make_ledger(),
            make_factors(tmp_path),
        )


@pytest.mark.parametrize(
    ("extra", "column", "row"),
    [
        ("Module,Foil,abc,kg,Assembly,,,\n", "quantity", 7),
        ("Module,Foil,-1,kg,Assembly,,,\n", "quantity", 7),
        ("Module,Foil,1,litre_x,Assembly,,,\n", "unit", 7),
        ("Module,Foil,1,kg,Elsewhere,,,\n", "process_centre", 7),
        ("Module,Foil,1,kg,Assembly,vielleicht,,\n", "primary_data", 7),
        ("Module,Foil,1,kg,Assembly,,1.5,\n", "recycled_share", 7),
        ("Module,Housing,1,kg,Assembly,,,\n", "unit", 7),
    ],
)
def test_bad_rows_name_row_and_column(tmp_path, extra, column, row):
    with pytest.raises(InvalidBom) as info:
        _bom(tmp_path, BOM_CSV + extra)
    assert info.value.params["column"] == column
    assert info.value.params["row"] == row


def test_missing_column_and_piece_without_mass(tmp_path):
    with pytest.raises(InvalidBom, match="quantity"):
        _bom(tmp_path, "parent,component,unit\nA,B,kg\n")
    bom = _bom(tmp_path, BOM_CSV + "Module,Clip,2,pcs,Assembly,,,\n")
    with pytest.raises(InvalidBom, match="mass_kg"):
        product_footprints(bom, make_ledger(), make_factors(tmp_path))


def test_unknown_centre_product_and_factor(tmp_path):
    factors, ledger = make_factors(tmp_path), make_ledger()
    bom = _bom(tmp_path, BOM_CSV.replace("Stamping", "Laser"))
    with pytest.raises(CentreNotInLedger, match=r"Laser.*Assembly, Moulding, Stamping"):
        product_footprints(bom, ledger, factors)
    with pytest.raises(UnknownProduct, match="Module"):
        product_footprints(_bom(tmp_path), ledger, factors, products=["Housing"])
    bom = _bom(tmp_path, BOM_CSV + "Module,Foil,0.1,kg,Assembly,,,\n")
    with pytest.raises(NoFactor) as info:
        product_footprints(bom, ledger, factors)
    assert info.value.params["row"] == 7


def test_two_products_share_components(tmp_path):
    text = BOM_CSV + "Spare,Housing,1,pcs,Assembly,,,\n"
    results = product_footprints(_bom(tmp_path, text), make_ledger(), make_factors(tmp_path))
    assert [r.product for r in results] == ["Module", "Spare"]
    spare = results[1]
    housing = results[0].components.set_index("item").loc["Housing"]
    # one housing, plus assembly energy on the spare's own 0.4 kg
    assert spare.total_kg == pytest.approx(
        housing["total"] / 2
        + results[0].components.set_index("item").loc["PP", "total"] / 2
        + 0.4 * 1000 * 0.4 / 1300
    )
    assert np.isclose(spare.mass_kg, 0.4)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=25), st.integers(min_value=0, max_value=10_000))
def test_level_propagation_equals_the_linear_solve(n, seed):
    """Supply vector and masses by Kahn levels equal the dense solutions of (I − A) x = b."""
    rng = np.random.default_rng(seed)
    rows = []
    for child in range(1, n):
        for parent in {int(rng.integers(0, child)), int(rng.integers(0, child))}:
            rows.append((parent, child, round(float(rng.uniform(0.1, 3.0)), 3)))
    is_parent = {p for p, _, _ in rows}
    frame = pd.DataFrame(
        {
            "parent": [f"I{p}" for p, _, _ in rows],
            "component": [f"I{c}" for _, c, _ in rows],
            "quantity": [str(q) for _, _, q in rows],
            "unit": ["pcs" if c in is_parent else "kg" for _, c, _ in rows],
        }
    )
    bom = bom_from_frame(frame)
    order = bom_order(bom)
    a = np.zeros((len(bom.items), len(bom.items)))
    np.add.at(a, (bom.parent, bom.child), bom.quantity)
    identity = np.eye(len(bom.items))
    root = bom.index("I0")
    expected_supply = np.linalg.solve(identity - a.T, identity[root])
    assert supply_vector(bom, order, root) == pytest.approx(expected_supply, rel=1e-9)
    leaf_mass = np.where(a.sum(axis=1) == 0, 1.0, 0.0)
    expected_mass = np.linalg.solve(identity - a, leaf_mass)
    assert item_masses(bom, order) == pytest.approx(expected_mass, rel=1e-9)


def test_bom_rows_keep_their_lines_after_blank_and_comment_lines(tmp_path):
    header, *rows = BOM_CSV.splitlines()
    text = "\n".join(["# product tree, revision C", header, "", *rows[:2], "# bought", *rows[2:]])
    text += "\nModule,Foil,abc,kg,Assembly,,,\n"
    with pytest.raises(InvalidBom, match=r"bom.csv, row 10, column 'quantity'"):
        _bom(tmp_path, text)


def test_german_excel_bom_gives_the_same_bom(tmp_path):
    german = (
        BOM_CSV.replace(",", ";")
        .replace("0.45", "0,45")
        .replace("0.25", "0,25")
        .replace("0.01", "0,01")
        .replace("0.4", "0,4")
    )
    path = tmp_path / "stückliste.csv"
    path.write_bytes(german.replace("Screw", "Schraube Ø4").encode("cp1252"))
    got, want = read_bom(path), _bom(tmp_path)
    assert got.quantity.tolist() == pytest.approx(want.quantity.tolist(), rel=1e-12)
    assert got.recycled_share.tolist() == pytest.approx(want.recycled_share.tolist(), nan_ok=True)
    assert got.mass_kg.tolist() == pytest.approx(want.mass_kg.tolist(), nan_ok=True)
    assert "Schraube Ø4" in got.items.tolist()


def test_json_document_of_a_product(tmp_path):
    [result] = product_footprints(_bom(tmp_path), make_ledger(), make_factors(tmp_path))
    document = result.to_dict()
    assert document == json.loads(result.to_json())
    assert document["pcf_kg_co2e"] == round(result.total_kg, 6)
    assert len(document["components"]) == len(result.components)
    first, row = document["components"][0], result.components.iloc[0]
    assert first["item"] == row["item"] and type(first["level"]) is int
    assert first["total"] == round(float(row["total"]), 6)
    assert type(first["primary"]) is bool
    [top] = result.to_dict(max_components=1)["components"]
    assert top == first
    centre = document["centres"][0]
    factor = next(iter(centre["factors"].values()))
    assert factor["unit"].startswith("kg CO2e / ") and "year" in factor
