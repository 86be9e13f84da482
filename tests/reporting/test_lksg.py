"""LkSG screening flags the known high-risk country × sector pairs of a test supplier list
and ranks them by the § 3 Abs. 2 criteria; every rule row has source and date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kreislauf.errors import InvalidSupplierList
from kreislauf.reporting.lksg import (
    CountryIndex,
    lksg_screening,
    read_country_index,
    read_suppliers,
    rule_set,
)

SUPPLIERS = Path(__file__).parent / "data" / "suppliers.csv"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def analysis():  # type: ignore[no-untyped-def]
    return lksg_screening(read_suppliers(SUPPLIERS))


def test_known_high_risk_pairs_are_flagged_and_low_risk_ones_are_not(analysis) -> None:  # type: ignore[no-untyped-def]
    flagged = {s.supplier.name: s for s in analysis.suppliers if s.flagged}
    # cobalt from the DR Congo: child labour (DoL list) and the mining sector
    cobalt = flagged["Katanga Cobalt Trading SARL"]
    high = {r.position for r in cobalt.risks if r.level == "high"}
    assert {"HR01", "HR02", "HR03"} <= high
    assert any(rule.table == "lksg-country-goods.csv" for r in cobalt.risks for rule in r.rules)
    # garments from Bangladesh, polysilicon from China (forced labour), bricks from Pakistan
    assert "Dhaka Workwear Ltd." in flagged
    assert {"HR03", "HR04"} <= {
        r.position for r in flagged["Xinjiang Solar Materials Co."].risks if r.level == "high"
    }
    assert "Punjab Clay Bricks" in flagged
    # German steel, German haulage and Polish recycling: EU baseline, not flagged
    for name in (
        "Stahlwerk Salzgitter-Nord GmbH",
        "Spedition Leipzig KG",
        "Recycling Polska Sp. z o.o.",
    ):
        assert name not in flagged


def test_ranking_follows_severity_probability_influence_and_contribution(analysis) -> None:  # type: ignore[no-untyped-def]
    names = [s.supplier.name for s in analysis.suppliers]
    assert names[0] == "Katanga Cobalt Trading SARL"
    by_name = {s.supplier.name: s for s in analysis.suppliers}
    cobalt = by_name["Katanga Cobalt Trading SARL"]
    # spend share 850 000 / 5 835 000 = 14.6 % ≥ 10 % → high influence (1.5)
    assert cobalt.spend_share == pytest.approx(850_000 / 5_835_000)
    assert cobalt.influence == "high"
    child = next(r for r in cobalt.risks if r.position == "HR01")
    assert child.priority == pytest.approx(3 * 4 * 1.5 * 1.0)
    # the brick supplier is as risky but indirect (0.5) with little spend (low, 0.5)
    bricks = by_name["Punjab Clay Bricks"]
    assert bricks.priority == pytest.approx(3 * 4 * 0.5 * 0.5)
    assert names.index("Punjab Clay Bricks") > names.index("Dhaka Workwear Ltd.")
    priorities = [s.priority for s in analysis.suppliers]
    assert priorities == sorted(priorities, reverse=True)


def test_a_country_index_changes_the_country_level(tmp_path: Path) -> None:
    index = tmp_path / "index.csv"
    index.write_text(
        "country,rule_of_law,year,source\nDE,-1.5,2099,SYNTHETIC test values not WGI\n",
        encoding="utf-8",
    )
    read = read_country_index(index)
    assert read.values == {"DE": -1.5}
    analysis = lksg_screening(read_suppliers(SUPPLIERS), index=read)
    steel = next(
        s for s in analysis.suppliers if s.supplier.country == "DE" and "Stahl" in s.supplier.name
    )
    assert steel.country_level == 2 and steel.flagged  # sector 1 + country 2 = 3: high
    assert "SYNTHETIC" in analysis.index_source
    empty = lksg_screening(read_suppliers(SUPPLIERS), index=CountryIndex({}, "x", "y"))
    assert not any(s.flagged for s in empty.suppliers if s.supplier.country == "DE")


def test_every_rule_row_has_source_and_date() -> None:
    rules = rule_set()
    rows = [*rules.sector_rules, *rules.goods_rules, *rules.country_baseline.values()]
    assert len(rows) > 30
    for rule in rows:
        assert rule.source.strip(), (rule.table, rule.row)
        assert DATE.match(rule.date), (rule.table, rule.row, rule.date)
        assert all(p in rules.positions for p in rule.positions), (rule.table, rule.row)
    assert len(rules.positions) == 20  # § 2 Abs. 2 Nr. 1-12, § 2 Abs. 3 Nr. 1-8
    for position in rules.positions.values():
        assert position.source.startswith("LkSG § 2") and DATE.match(position.date)


def test_the_rule_set_carries_its_legal_state_and_date() -> None:
    rules = rule_set()
    assert DATE.match(rules.checked_on)
    assert "3. September 2025" in rules.legal_state["de"]
    assert "1 October 2025" in rules.legal_state["en"] and "remain" in rules.legal_state["en"]
    assert any("BAFA" in s for s in rules.sources)


def test_json_ranks_and_traces_each_supplier(analysis) -> None:  # type: ignore[no-untyped-def]
    data = analysis.to_dict()
    first = data["suppliers"][0]
    assert first["rank"] == 1 and first["source"] == {"file": "suppliers.csv", "row": 4}
    assert first["risks"][0]["rules"][0]["date"]
    assert data["rule_set"] == rules_version()


def rules_version() -> str:
    return rule_set().version


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("X,Germany,C24,10,", "country"),
        ("X,DE,steel,10,", "nace"),
        ("X,DE,C24,viel,", "spend_eur"),
        (",DE,C24,10,", "name"),
    ],
)
def test_bad_supplier_rows_name_file_row_and_column(tmp_path: Path, line: str, column: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        f"name,country,nace,spend_eur,products\nA,DE,C24,1,\n{line}\n", encoding="utf-8"
    )
    with pytest.raises(InvalidSupplierList, match=rf"s\.csv, row 3, column '{column}'"):
        read_suppliers(path)


def test_a_product_keyword_picks_its_goods_list_row(analysis) -> None:  # type: ignore[no-untyped-def]
    cobalt = analysis.suppliers[0]
    goods = {
        rule.reason for r in cobalt.risks for rule in r.rules if rule.table.endswith("goods.csv")
    }
    assert goods == {"Cobalt ore"}  # not tin, tantalum or gold of the same country and NACE class


WGI = (
    Path(__file__).parents[2]
    / "examples"
    / "demo-company"
    / "reporting"
    / "wgi-rule-of-law-2019.csv"
)


def test_the_shipped_wgi_extract_drives_the_country_level() -> None:
    """The World Bank WGI extract (Rule of Law 2019, CC BY 4.0): DR Congo below -1 is
    level 2, Bangladesh and Pakistan below 0 level 1, Germany and Poland level 0; the
    known pairs stay flagged."""
    index = read_country_index(WGI)
    assert len(index.values) == 209 and index.year == "2019"
    assert index.values["CD"] == -1.786 and index.values["DE"] == 1.619
    analysis = lksg_screening(read_suppliers(SUPPLIERS), index=index)
    levels = {s.supplier.country: s.country_level for s in analysis.suppliers}
    assert (levels["CD"], levels["BD"], levels["PK"], levels["CN"]) == (2, 1, 1, 1)
    assert levels["DE"] == levels["PL"] == 0
    flagged = {s.supplier.name for s in analysis.suppliers if s.flagged}
    assert {"Katanga Cobalt Trading SARL", "Dhaka Workwear Ltd."} <= flagged
    assert "Spedition Leipzig KG" not in flagged
