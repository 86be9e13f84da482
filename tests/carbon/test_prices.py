"""CO2 price paths: shipped figures, interpolation rule, user overrides, bad files."""

from __future__ import annotations

import pytest

from kreislauf.carbon.prices import DEFAULT_PATH, price_path, read_price_paths
from kreislauf.errors import InvalidPriceFile, UnknownPricePath


def test_behg_fixed_prices_and_corridor_as_in_the_law():
    behg = read_price_paths()["behg"]
    # BEHG § 10 (2) as amended 2022 and 2023; 2026: midpoint of the 55-65 EUR corridor
    expected = {2021: 25, 2022: 30, 2023: 30, 2024: 45, 2025: 55, 2026: 60}
    assert {y: behg.price(y) for y in expected} == expected
    assert {p.status for p in behg.points if p.year <= 2025} == {"law"}
    assert all(p.source for p in behg.points)


def test_interpolation_and_extension_rule():
    path = read_price_paths()["de_ets2_central"]
    assert path.price(2020) == 0.0  # before the first year: no price existed
    assert path.price(2028) == 65.0
    assert path.price(2031) == pytest.approx(65 + 3 * (120 - 65) / 7)  # linear
    assert path.price(2050) == 120.0  # held constant after the last year
    assert path.scenario_from == 2028
    assert DEFAULT_PATH in read_price_paths()


def test_scenarios_are_labelled():
    for name, path in read_price_paths().items():
        for point in path.points:
            if point.status == "scenario":
                assert "SCENARIO" in point.source, (name, point.year)


def test_user_file_overrides_and_adds(tmp_path):
    user = tmp_path / "p.csv"
    user.write_text("path,year,eur_per_t\nbehg,2021,99\ninternal,2024,150\n", encoding="utf-8")
    paths = read_price_paths(user)
    assert paths["behg"].price(2021) == 99 and paths["behg"].price(2030) == 99
    assert paths["internal"].price(2030) == 150 and paths["internal"].origin == str(user)
    assert paths["eu_ets"].origin == "shipped"


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("path,year,eur_per_t\nx,20x5,10\n", "year"),
        ("path,year,eur_per_t\nx,2025,-1\n", "eur_per_t"),
        ("path,year,eur_per_t,status\nx,2025,1,guess\n", "status"),
        ("path,year,eur_per_t\nx,2025,1\nx,2025,2\n", "year"),
    ],
)
def test_bad_price_files(tmp_path, text, column):
    user = tmp_path / "p.csv"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidPriceFile) as info:
        read_price_paths(user)
    assert info.value.params["column"] == column
    assert "p.csv" in info.value.message("de")


def test_unknown_path_lists_known_ones():
    with pytest.raises(UnknownPricePath, match="behg, de_ets2_central"):
        price_path(read_price_paths(), "co2tax")


def test_german_excel_price_file_with_comments(tmp_path):
    user = tmp_path / "p.csv"
    user.write_bytes(
        "# interne CO2-Preise, Beschluss Geschäftsführung\r\n"
        "path;year;eur_per_t;status;source\r\n"
        "\r\n"
        "intern;2025;1.050,5;scenario;Beschluss\r\n"
        "intern;2030;87,25;scenario;Beschluss\r\n".encode("cp1252")
    )
    internal = read_price_paths(user)["intern"]
    assert [(p.year, p.eur_per_t) for p in internal.points] == [(2025, 1050.5), (2030, 87.25)]


def test_bad_price_row_is_named_by_its_line(tmp_path):
    user = tmp_path / "p.csv"
    user.write_text("path,year,eur_per_t\n\n# own path\nx,2025,1\n\nx,2030,abc\n", encoding="utf-8")
    with pytest.raises(InvalidPriceFile, match=r"p.csv, row 6, column 'eur_per_t'"):
        read_price_paths(user)
