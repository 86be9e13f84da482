"""ERP exports through a mapping file, and the demo company's two files."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_fixtures import EXAMPLE, assert_same_kpis

from kreislauf.errors import InvalidMapping, UnknownColumn
from kreislauf.ledger import merge_ledgers, read_ledger


def test_erp_export_gives_the_same_kpis_as_the_canonical_file():
    canonical = read_ledger(EXAMPLE / "ledger.csv")
    erp = read_ledger(EXAMPLE / "erp-export.csv", mapping=EXAMPLE / "erp-mapping.yaml")
    assert_same_kpis(erp, canonical)
    # the same flows in other units and words have the same identities
    assert merge_ledgers([canonical, erp]).duplicates_removed == len(canonical.flows)


def test_demo_company_covers_24_months_and_three_centres():
    ledger = read_ledger(EXAMPLE / "ledger.csv")
    assert len(ledger.periods) == 24
    assert [c for _, c in ledger.centres] == ["Montage", "Spritzguss", "Stanzerei"]


def _export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(
        "Monat;KST;Art;Menge;ME\n01.2024;4100;Zugang;1.234,5;KG\n01.2024;4100;Zugang;2,5;TO\n",
        encoding="utf-8",
    )
    return path


def _mapping(tmp_path: Path, columns: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(
        f"""delimiter: ";"
decimal: ","
encoding: utf-8
period_format: "%m.%Y"
columns: {{{columns}}}
constants: {{site: Leipzig, category: raw}}
values:
  flow: {{Zugang: material_in}}
  unit: {{KG: kg, TO: t}}
""",
        encoding="utf-8",
    )
    return path


def test_mapping_decimal_comma_and_units(tmp_path):
    mapping = _mapping(tmp_path, "period: Monat, centre: KST, flow: Art, quantity: Menge, unit: ME")
    ledger = read_ledger(_export(tmp_path), mapping=mapping)
    assert ledger.flows["amount"].tolist() == pytest.approx([1234.5, 2500.0])
    assert ledger.periods == ["2024-01"]


def test_unknown_column_in_mapping_names_mapping_and_column(tmp_path):
    mapping = _mapping(
        tmp_path, "period: Monat, centre: Kostenstelle, flow: Art, quantity: Menge, unit: ME"
    )
    with pytest.raises(UnknownColumn) as info:
        read_ledger(_export(tmp_path), mapping=mapping)
    message = info.value.message("en")
    assert message.startswith("mapping.yaml, field 'columns.centre': column 'Kostenstelle'")
    assert "Monat, KST, Art, Menge, ME" in message


def test_mapping_to_a_column_the_format_does_not_have(tmp_path):
    mapping = _mapping(tmp_path, "period: Monat, centre: KST, flow: Art, menge: Menge, unit: ME")
    with pytest.raises(InvalidMapping, match="'menge' is not a ledger column"):
        read_ledger(_export(tmp_path), mapping=mapping)


def test_bad_value_in_export_is_named_with_the_export_column(tmp_path):
    path = _export(tmp_path)
    path.write_text(path.read_text().replace("Zugang;2,5", "Abgang;2,5"))
    mapping = _mapping(tmp_path, "period: Monat, centre: KST, flow: Art, quantity: Menge, unit: ME")
    with pytest.raises(
        Exception, match=r"export.csv, row 3, column 'Art': unknown flow kind 'Abgang'"
    ):
        read_ledger(path, mapping=mapping)
