"""Emission factor library: shipped factors, user overrides, matching, units."""

from __future__ import annotations

from pathlib import Path

import pytest

from kreislauf.carbon.factors import (
    FactorLibrary,
    library_factors,
    parse_factor_unit,
    read_factors,
)
from kreislauf.errors import InvalidFactorFile, NoFactor, UnitNotConvertible


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_factor_carries_source_year_licence_and_quality():
    factors = library_factors()
    assert len(factors) >= 5
    for factor in factors:
        assert factor.source and factor.licence and factor.year, factor.key
        assert factor.quality in (1, 2, 3, 4, 5)
        assert factor.gwp
        parse_factor_unit(factor.unit)  # every unit parses


def test_lookup_is_case_insensitive_and_picks_the_year():
    library = read_factors()
    assert library.lookup("Electricity", year=2023).year == 2023
    assert library.lookup("electricity", year=2024).kg_per_unit == pytest.approx(0.363)
    # a later year falls back to the latest earlier one, an earlier year to the earliest
    assert library.lookup("electricity", year=2030).year == 2024
    assert library.lookup("electricity", year=2001).year == 2023


def test_units_convert_through_the_registry():
    gas = read_factors().lookup("natural_gas")
    # 2 MWh = 2000 kWh × 0.18123 kg/kWh
    assert gas.co2e_kg(2, "MWh") == pytest.approx(2000 * 0.18123)
    electricity = read_factors().lookup("electricity", year=2023)
    assert electricity.co2e_kg(1000, "kWh") == pytest.approx(380.0)  # g → kg
    with pytest.raises(UnitNotConvertible, match="natural_gas"):
        gas.co2e_kg(1, "t")


def test_no_factor_names_the_closest_keys():
    with pytest.raises(NoFactor, match="natural_gas"):
        read_factors().lookup("natural gaz")


def test_user_file_overrides_adds_and_aliases(tmp_path):
    path = write(
        tmp_path / "f.csv",
        "key,value,unit,scope,category,source,year,region,same_as\n"
        "electricity,0.5,kg CO2e / kWh,2,electricity,supplier letter,2023,DE,\n"
        "PP-GF30,1.8,t CO2e / t,3,1,EPD 123,2023,EU,\n"
        "Erdgas,,,,,,,,natural_gas\n",
    )
    library = read_factors(path)
    match = library.resolve([("electricity", "exact")], year=2023)
    assert match.reason == "override:exact"
    assert match.factor.kg_per_unit == pytest.approx(0.5)
    pp = library.resolve([("pp-gf30:recycled", "recycled"), ("PP-GF30", "exact")])
    assert pp.key == "PP-GF30" and pp.reason == "exact"
    assert pp.factor.co2e_kg(1000, "kg") == pytest.approx(1800.0)
    alias = library.resolve([("erdgas", "exact")])
    assert alias.reason == "alias(natural_gas):exact"
    assert alias.factor.kg_per_unit == pytest.approx(0.18123)
    assert "EPA" in alias.factor.source


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("x,abc,kg CO2e / kWh,1,process,s,2024,DE", "value"),
        ("x,1,kg / kWh,1,process,s,2024,DE", "unit"),
        ("x,1,kg CO2e / kWh,4,process,s,2024,DE", "scope"),
        ("x,1,kg CO2e / kWh,3,99,s,2024,DE", "category"),
        ("x,1,kg CO2e / kWh,1,process,,2024,DE", "source"),
        ("x,1,kg CO2e / kWh,1,process,s,24,DE", "year"),
    ],
)
def test_invalid_user_rows_name_row_and_column(tmp_path, row, column):
    path = write(tmp_path / "f.csv", "key,value,unit,scope,category,source,year,region\n" + row)
    with pytest.raises(InvalidFactorFile) as info:
        read_factors(path)
    assert info.value.params["row"] == 2
    assert info.value.params["column"] == column


def test_search_finds_fuzzy_matches():
    hits = read_factors().search("gas")
    assert hits and hits[0][1].key == "natural_gas"
    assert [f.key for _, f in read_factors().search("electric")][:1] == ["electricity"]
    assert read_factors().search("zzzzqqq") == []


def test_resolve_error_names_row_and_tried_keys():
    library = FactorLibrary(library_factors())
    with pytest.raises(NoFactor) as info:
        library.resolve(
            [("copper:recycled", "recycled"), ("copper", "exact")],
            where={"file": "l.csv", "row": 7},
        )
    assert "l.csv, row 7" in str(info.value)
    assert "copper:recycled | copper" in str(info.value)


def test_later_files_override_earlier_ones(tmp_path):
    header = "key,value,unit,scope,category,source,year,region\n"
    first = write(tmp_path / "a.csv", header + "steel,2,kg CO2e / kg,3,1,file a,2024,EU\n")
    second = write(tmp_path / "b.csv", header + "steel,1.5,kg CO2e / kg,3,1,file b,2023,EU\n")
    factor = read_factors([first, second]).lookup("steel", year=2024)
    assert (factor.value, factor.source) == (1.5, "file b")
    assert read_factors([second, first]).lookup("steel").source == "file a"


@pytest.mark.parametrize(
    ("key", "co2_kg", "ch4_g", "n2o_g"),
    [
        ("natural_gas", 53.06, 1.0, 0.10),  # EPA Hub Table 1, per mmBtu
        ("heating_oil", 73.96, 3.0, 0.60),  # 40 CFR 98 Tables C-1/C-2, distillate No. 2
        ("district_heat", 66.33, 1.25, 0.125),  # EPA Hub Table 7, steam and heat
    ],
)
def test_shipped_epa_factors_follow_from_their_table_components(key, co2_kg, ch4_g, n2o_g):
    kwh_per_mmbtu = 1055.05585262 / 3.6  # 1 mmBtu = 1055.056 MJ (IT Btu)
    co2e = co2_kg + ch4_g / 1000 * 28 + n2o_g / 1000 * 265  # AR5 GWP-100
    assert read_factors().lookup(key).kg_per_unit == pytest.approx(co2e / kwh_per_mmbtu, rel=5e-5)


def test_docs_list_every_shipped_factor():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "carbon.md").read_text("utf-8")
    for factor in library_factors():
        assert f"| `{factor.key}` | {factor.value:g} |" in docs, factor.key


@pytest.mark.parametrize(
    ("key", "amount", "unit", "kg_co2e"),
    [
        # DESNZ 2025 material use: kg CO2e per tonne, applied to a ledger quantity in kg
        ("plastics:pp", 1, "kg", 2.57757172),
        ("plastics:pp:recycled", 2, "t", 2 * 1312.57172),
        ("paper_board:board", 500, "kg", 0.5 * 1199.72542),
        # DESNZ 2025 waste disposal and freight, as published
        ("waste:disposal", 250, "kg", 0.25 * 520.5327),
        ("freight:hgv", 1000, "t*km", 101.63),
        ("rail:national", 100, "km", 3.546),
    ],
)
def test_desnz_factors_convert_from_their_published_units(key, amount, unit, kg_co2e):
    factor = read_factors().lookup(key)
    assert factor.co2e_kg(amount, unit) == pytest.approx(kg_co2e, rel=1e-9)


def test_every_recycled_factor_has_its_primary_and_is_lower():
    library = read_factors()
    recycled = [f for f in library_factors() if f.key.endswith(":recycled")]
    assert {f.key for f in recycled} >= {"steel:recycled", "plastics:pp:recycled"}
    for factor in recycled:
        primary = library.lookup(factor.key.removesuffix(":recycled"), year=factor.year)
        assert primary.year == factor.year and primary.unit == factor.unit, factor.key
        assert factor.value < primary.value, factor.key


def test_spend_factors_are_per_usd_and_never_take_eur():
    machine_tools = read_factors().lookup("spend:US/333517")
    assert machine_tools.unit == "kg CO2e / USD" and machine_tools.gwp == "AR4"
    assert machine_tools.co2e_kg(10_000, "USD") == pytest.approx(2630.0)
    with pytest.raises(UnitNotConvertible, match="spend:US/333517"):
        machine_tools.co2e_kg(10_000, "EUR")


def test_library_alone_matches_recycled_share_and_waste_by_material(tmp_path):
    from kreislauf.carbon.balance import ghg_balance
    from kreislauf.ledger import read_ledger

    ledger = write(
        tmp_path / "ledger.csv",
        "period,site,centre,flow,material,category,quantity,unit,cost_eur,recycled_share,"
        "treatment,to_centre,note\n"
        "2025,A,P,material_in,steel,raw,10,t,,0.3,,,\n"
        "2025,A,P,waste_out,plastics,,2,t,,,disposal,,\n"
        "2025,A,P,waste_out,Mischabfall,,1,t,,,energy_recovery,,\n",
    )
    lines = {line.activity: line for line in ghg_balance(read_ledger(ledger), read_factors()).lines}
    assert lines["steel:recycled"].reason == "recycled"
    # 7 t × 2863.90131 kg/t + 3 t × 1823.90131 kg/t (DESNZ 2025, steel cans)
    assert lines["steel"].co2e_t + lines["steel:recycled"].co2e_t == pytest.approx(
        (7 * 2863.90131 + 3 * 1823.90131) / 1000
    )
    plastics = lines["plastics → disposal"]
    assert (plastics.factor_key, plastics.reason) == ("waste:plastics:disposal", "waste_material")
    assert plastics.co2e_t == pytest.approx(2 * 8.98311 / 1000)
    assert lines["Mischabfall → energy_recovery"].reason == "waste_treatment"


def test_user_row_is_named_by_its_line_after_blank_and_comment_lines(tmp_path):
    path = write(
        tmp_path / "f.csv",
        "# own factors, checked 2024\n"
        "key,value,unit,scope,category,source,year,region\n"
        "\n"
        "# supplier letters\n"
        "x,1,kg CO2e / kWh,1,process,s,2024,DE\n"
        "\n"
        "y,abc,kg CO2e / kWh,1,process,s,2024,DE\n",
    )
    with pytest.raises(InvalidFactorFile, match=r"f.csv, row 7, column 'value'") as info:
        read_factors(path)
    assert info.value.params["row"] == 7


@pytest.mark.parametrize(
    ("text", "expected"), [("1.234,5", 1234.5), ("0,38", 0.38), ("1234.5", 1234.5)]
)
def test_user_value_is_read_by_the_ledger_number_rule(tmp_path, text, expected):
    path = write(
        tmp_path / "f.csv",
        "key;value;unit;scope;category;source;year;region\n"
        f"steel plate;{text};kg CO2e / t;3;1;EPD 7;2024;EU\n",
    )
    factor = read_factors(path).lookup("steel plate")
    assert factor.value == pytest.approx(expected, rel=1e-12)


def test_german_excel_factor_file_in_cp1252(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(
        "key;value;unit;scope;category;source;year;region\r\n"
        "Stahlblech geölt;1.850,25;kg CO2e / t;3;1;EPD Müller;2024;EU\r\n"
        "Strom grün;0,02;kg CO2e / kWh;2;electricity;Lieferant;2024;DE\r\n".encode("cp1252")
    )
    library = read_factors(path)
    assert library.lookup("stahlblech geölt").value == pytest.approx(1850.25)
    assert library.lookup("Strom grün").source == "Lieferant"
    assert library.lookup("strom grün").value == pytest.approx(0.02)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Erdgas", "natural_gas"),
        ("Strom Deutschland", "electricity"),
        ("Stahl", "steel"),
        ("Polypropylen", "plastics:pp"),
        ("Heizöl", "heating_oil"),
        ("Heizoel", "heating_oil"),
        ("Fernwärme", "district_heat"),
        ("Aluminium", "aluminium"),
        ("Kunststoff", "plastics:average"),
        ("Pappe", "paper_board:board"),
        ("Glas", "glass"),
        ("Abfall Verwertung", "waste:recycling"),
        ("Abfall Beseitigung", "waste:disposal"),
        ("Lkw", "freight:hgv"),
        ("Schiff", "freight:container_ship"),
        ("Stahl recycelt", "steel:recycled"),
        ("natural gas", "natural_gas"),
    ],
)
def test_german_and_english_search_ranks_name_and_alias_matches_first(text, key):
    hits = read_factors().search(text)
    assert hits[0][1].key == key
    assert hits[0][0] == pytest.approx(1.0) or text == "Abfall Verwertung"


def test_every_shipped_factor_has_a_german_name_and_aliases():
    from kreislauf.carbon.factors import factor_names, normalize_key

    names = factor_names()
    library = read_factors()
    for factor in library.factors:
        entry = names[normalize_key(factor.key)]
        assert entry.de and entry.en and entry.aliases, factor.key
        assert library.name_of(factor, "de") == entry.de


def test_a_material_is_offered_only_material_factors():
    from kreislauf.carbon.factors import MATERIAL

    library = read_factors()
    offered = library.closest("PP-GF30 Granulat", kind=MATERIAL)
    assert offered[0] == "plastics:pp"
    every = [library.lookup(k) for k in library.closest("Flugreise Kurzstrecke", kind=MATERIAL)]
    assert every and all(f.scope == 3 and f.category == "1" for f in every)
