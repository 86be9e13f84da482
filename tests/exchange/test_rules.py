"""The shipped rule table against the IDTA 02080 template it is derived from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kreislauf.errors import InvalidRuleTable, LimitExceeded
from kreislauf.exchange import default_rules, parse_rules, read_rules

TEMPLATE = Path(__file__).parent / "fixtures" / "idta-02080-1-0-template.json"


def _required_at_dql(
    element: dict[str, object], found: dict[str, tuple[int, str]], group: str
) -> None:
    for qualifier in element.get("qualifiers", []):  # type: ignore[attr-defined]
        if qualifier["type"] == "RequiredAtDQL":
            found[str(element["idShort"])] = (int(qualifier["value"]), group)
    children = element.get("value")
    if isinstance(children, list):
        for child in children:
            if isinstance(child, dict) and "idShort" in child:
                _required_at_dql(child, found, group)


def template_levels() -> dict[str, tuple[int, str]]:
    """``idShort → (RequiredAtDQL, group)`` read from the template JSON itself."""
    submodel = json.loads(TEMPLATE.read_text(encoding="utf-8"))["submodels"][0]
    found: dict[str, tuple[int, str]] = {}
    groups = {"InformationCharacteristics": "information", "PropertyCharacteristics": "property"}
    for collection in submodel["submodelElements"]:
        if collection["idShort"] in groups:
            for element in collection["value"]:
                _required_at_dql(element, found, groups[collection["idShort"]])
    return found


def test_the_template_fixture_is_idta_02080_1_0():
    submodel = json.loads(TEMPLATE.read_text(encoding="utf-8"))["submodels"][0]
    assert submodel["administration"]["templateId"] == "https://admin-shell.io/IDTA 02080-1-0"


def test_rule_table_is_the_templates_required_at_dql_element_by_element():
    table = {e.id_short: (e.level, e.group) for e in default_rules().elements}
    assert table == template_levels()
    assert len(table) == 26


@pytest.mark.parametrize(
    ("level", "names"),
    [
        (
            1,
            {
                "MainMaterialType",
                "TypeOfPackaging",
                "ColorByVisualInspection",
                "Form",
                "TradeName",
                "RecycledContent",
                "Viscosity",
            },
        ),
        (
            2,
            {
                "ChainOfCustody",
                "RecyclingMethod",
                "Source",
                "TypesOfFillers",
                "LotNumber",
                "CertificateOfAnalysis",
                "PresenceOfModifyingAdditives",
                "AshContent",
                "ResidualHumidity",
                "Density",
            },
        ),
        (
            3,
            {
                "ContentOfTheMainPlasticType",
                "PercentConfidenceOfCertificateOfAnalysis",
                "CoefficientOfVariationWRTCertificateOfAnalysis",
                "BulkDensity",
            },
        ),
        (
            4,
            {
                "OriginalUseOfMaterial",
                "RecyclingFeedstockConversionTechnology",
                "ParticleSizeDistribution",
                "TensileProperties",
                "MaterialIdentification",
            },
        ),
    ],
)
def test_elements_per_level_as_the_issue_lists_them(level, names):
    assert set(default_rules().required_at(level)) == names


def test_information_counts_are_the_templates_6_13_16_18_not_the_standards_6_12_15_18():
    rules = default_rules()
    counts = [
        sum(1 for e in rules.elements if e.group == "information" and e.level <= level)
        for level in rules.levels
    ]
    assert counts == [6, 13, 16, 18]
    assert rules.licence == "CC BY 4.0" and "290e242f" in rules.source


SMALL = """
id: net-1
version: "2"
source: our network
licence: CC0
levels: [1, 2]
elements:
  - {id_short: TradeName, level: 1}
  - {id_short: AshContent, level: 2, group: property}
"""


def test_a_network_replaces_the_table_with_its_own_file(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(SMALL, encoding="utf-8")
    rules = read_rules(path)
    assert (rules.id, rules.version, rules.top) == ("net-1", "2", 2)
    assert rules.required_up_to(2) == ("TradeName", "AshContent")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (SMALL.replace("level: 2, group", "level: 3, group"), "every element's level"),
        (SMALL.replace("levels: [1, 2]", "levels: [1, 3]"), "without gaps"),
        (SMALL.replace("AshContent", "TradeName"), "each id_short once"),
        (SMALL.replace("level: 1}", "level: one}"), "elements.0.level"),
        (SMALL.replace("licence: CC0\n", ""), "licence"),
        ("- just a list", "just a list"),
        ("a: [unclosed", "rules.yaml"),
    ],
)
def test_bad_rule_tables_are_located(text, where):
    with pytest.raises(InvalidRuleTable, match=r"rules\.yaml") as info:
        parse_rules(text, name="rules.yaml")
    assert where in info.value.message("en")


def test_a_rule_table_within_the_yaml_limits():
    bomb = "a: &a [1,1,1,1,1,1,1,1,1,1]\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    with pytest.raises(LimitExceeded):
        parse_rules(bomb, name="bomb.yaml")
