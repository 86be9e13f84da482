"""Reading passport files: located messages for bad GTINs, units and schema violations."""

from __future__ import annotations

from pathlib import Path

import pytest

from kreislauf.errors import InvalidGtin, InvalidPassport, UnknownUnit
from kreislauf.passport import read_passport
from tests.passport.passport_fixtures import EXAMPLE

MINIMAL = """
identification:
  gtin: "{gtin}"
  product_name: Bracket
  description: Punched steel bracket
manufacturer:
  name: Demo GmbH
  company_ids: ["urn:pact:demo.example:company-id:1"]
composition:
  - {{name: Steel, mass: "{mass}"}}
"""


def _write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_minimal_file_reads_and_converts_the_mass(tmp_path: Path) -> None:
    passport = read_passport(_write(tmp_path, MINIMAL.format(gtin="4006381333931", mass="320 g")))
    assert passport.identification.gtin == "4006381333931"
    assert passport.composition[0].mass_kg == pytest.approx(0.32, rel=1e-12)
    assert passport.version == 1 and passport.carbon_footprint is None


def test_a_wrong_gtin_check_digit_is_located(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL.format(gtin="4006381333932", mass="1 kg"))
    with pytest.raises(InvalidGtin) as caught:
        read_passport(path)
    text = caught.value.message("en")
    assert text.startswith("p.yaml, field 'identification.gtin': '4006381333932'")
    assert "expected 1" in text
    assert "GTIN" in caught.value.message("de") and "Feld" in caught.value.message("de")


def test_an_unknown_unit_is_located(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL.format(gtin="4006381333931", mass="3 zentner"))
    with pytest.raises(UnknownUnit, match=r"p.yaml, field 'composition.0.mass': '3 zentner'"):
        read_passport(path)


def test_a_mass_that_is_no_mass_is_located(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL.format(gtin="4006381333931", mass="3 kWh"))
    with pytest.raises(InvalidPassport, match=r"field 'composition.0.mass'.*not a mass"):
        read_passport(path)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("recycled_content: {total_percent: 120}", "recycled_content.total_percent"),
        ("colour: red", "colour"),
        ("durability: {warranty_years: -1}", "durability.warranty_years"),
        (
            "recycled_content: {total_percent: 10, pre_consumer_percent: 8, "
            "post_consumer_percent: 8}",
            "recycled_content",
        ),
        ("end_of_life: {waste_code: '1601'}", "end_of_life.waste_code"),
    ],
)
def test_schema_violations_name_the_field(tmp_path: Path, extra: str, field: str) -> None:
    text = MINIMAL.format(gtin="4006381333931", mass="1 kg") + extra + "\n"
    with pytest.raises(InvalidPassport) as caught:
        read_passport(_write(tmp_path, text))
    assert f"field '{field}'" in caught.value.message("en")


def test_not_yaml_and_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(InvalidPassport, match="not valid JSON"):
        read_passport(_write(tmp_path, "{broken", "p.json"))
    with pytest.raises(InvalidPassport, match="expected a mapping"):
        read_passport(_write(tmp_path, "- a\n- b\n"))


def test_the_demo_file_alone_lacks_what_build_computes() -> None:
    """tm-200.yaml leaves recycled content and the PCF values to `kreislauf passport build`."""
    with pytest.raises(
        InvalidPassport, match=r"tm-200\.yaml, field 'recycled_content\.total_percent'"
    ):
        read_passport(EXAMPLE / "passport" / "tm-200.yaml")
