"""``kreislauf ledger …`` through the real entry point."""

from __future__ import annotations

import json

import pytest

from kreislauf.ledger import Allocation, mfca_balance
from tests.ledger.ledger_fixtures import EXAMPLE, TWO_CENTRES, make_ledger, write_csv
from tests.ledger.ledger_fixtures import run_cli as run


def test_kpis_json_shape(tmp_path, capsys):
    ledger = write_csv(tmp_path / "l.csv", TWO_CENTRES)
    out = tmp_path / "kpis.json"
    code, stdout, _ = run(["ledger", "kpis", str(ledger), "--json", str(out)], capsys)
    assert code in (0, None)
    assert "Kennzahlen" in stdout and "Materialeinsatz" in stdout
    data = json.loads(out.read_text())
    assert set(data) == {"kpis"}
    first = data["kpis"][0]
    assert first == {
        "id": "material_input_t",
        "site": "all",
        "period": "all",
        "value": 3.0,
        "unit": "t",
    }


def test_kpis_by_site_period_in_english(tmp_path, capsys):
    out = tmp_path / "kpis.json"
    code, stdout, _ = run(
        [
            "ledger",
            "kpis",
            str(EXAMPLE / "ledger.csv"),
            "--by",
            "site,period",
            "--json",
            str(out),
            "--lang",
            "en",
        ],
        capsys,
    )
    assert code in (0, None)
    assert "Material yield" in stdout
    rows = json.loads(out.read_text())["kpis"]
    assert {r["period"] for r in rows} >= {"2023-01", "2024-12"}
    assert {r["site"] for r in rows} == {"Leipzig"}


def test_mfca_json_shape(tmp_path, capsys):
    ledger = write_csv(tmp_path / "l.csv", TWO_CENTRES)
    out = tmp_path / "mfca.json"
    code, _, _ = run(["ledger", "mfca", str(ledger), "--json", str(out)], capsys)
    assert code in (0, None)
    data = json.loads(out.read_text())
    centre = data["centres"][0]
    assert set(centre) >= {
        "centre",
        "product_cost_eur",
        "loss_cost_eur",
        "input_mass_t",
        "product_mass_t",
        "loss_mass_t",
    }
    assert set(data["total"]) == {"product_cost_eur", "loss_cost_eur", "loss_share"}
    assert data["total"]["loss_cost_eur"] == pytest.approx(1765.333333, abs=1e-4)


def test_bad_input_exit_2_message_and_nothing_written(tmp_path, capsys):
    ledger = write_csv(tmp_path / "l.csv", [*TWO_CENTRES, {**TWO_CENTRES[0], "unit": "kWh"}])
    out = tmp_path / "kpis.json"
    code, _, err = run(["ledger", "kpis", str(ledger), "--json", str(out), "--lang", "en"], capsys)
    assert code == 2
    assert (
        "l.csv, row 17, column 'unit': unit 'kWh' does not fit the flow kind 'material_in'" in err
    )
    assert "Traceback" not in err
    assert not out.exists()


def test_invalid_by_option(tmp_path, capsys):
    ledger = write_csv(tmp_path / "l.csv", TWO_CENTRES)
    code, _, err = run(["ledger", "kpis", str(ledger), "--by", "centre"], capsys)
    assert code == 2 and "--by" in err


def test_validate_and_sankey_files(tmp_path, capsys):
    code, stdout, _ = run(["ledger", "validate", str(EXAMPLE / "ledger.csv")], capsys)
    assert code in (0, None) and "Zeilen gültig" in stdout
    code, _, _ = run(
        ["ledger", "sankey", str(EXAMPLE / "ledger.csv"), "--out", str(tmp_path)], capsys
    )
    assert code in (0, None)
    svg = (tmp_path / "sankey-material.svg").read_text()
    assert "Spritzguss" in svg and "Montage" in svg and "Stanzschrott" not in svg
    assert (tmp_path / "sankey-material.html").stat().st_size > 1_000_000  # plotly.js inside
    assert "Stanzerei" in (tmp_path / "loss-cost.svg").read_text()


_FLOWS = "material_in, transfer, product_out, byproduct_out, waste_out, energy_in"
BAD_ROWS = {
    "unknown flow kind": (
        {"flow": "materal_in"},
        "l.csv, row 17, column 'flow': unknown flow kind 'materal_in'; expected one of " + _FLOWS,
        "l.csv, Zeile 17, Spalte 'flow': unbekannte Flussart 'materal_in'; erwartet wird "
        "eine von " + _FLOWS,
    ),
    "unit that does not fit the flow": (
        {"unit": "kWh"},
        "l.csv, row 17, column 'unit': unit 'kWh' does not fit the flow kind 'material_in'; "
        "expected a unit of mass such as kg, t",
        "l.csv, Zeile 17, Spalte 'unit': Einheit 'kWh' passt nicht zur Flussart "
        "'material_in'; erwartet wird eine Masse-Einheit wie kg, t",
    ),
    "negative mass": (
        {"quantity": -2},
        "l.csv, row 17, column 'quantity': quantity -2.0 is negative; only stock changes "
        "(stock_change) may be negative",
        "l.csv, Zeile 17, Spalte 'quantity': Menge -2.0 ist negativ",
    ),
    "missing centre": (
        {"centre": ""},
        "l.csv, row 17, column 'centre': value is missing; expected the name of a quantity centre",
        "l.csv, Zeile 17, Spalte 'centre': Wert fehlt; erwartet wird der Name einer Mengenstelle",
    ),
}
COMMANDS = {
    "kpis": lambda out: ["kpis", "--json", str(out / "kpis.json")],
    "mfca": lambda out: ["mfca", "--json", str(out / "mfca.json")],
    "sankey": lambda out: ["sankey", "--out", str(out)],
    "report": lambda out: ["report", "--out", str(out)],
}


def _assert_failed_cleanly(code, stdout, err, out, expected):
    assert code == 2
    assert expected in " ".join(err.split())  # Rich may wrap long lines
    assert "Traceback" not in err and "Traceback" not in stdout
    assert not out.exists()  # nothing written, not even the output folder


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(BAD_ROWS))
@pytest.mark.parametrize("lang", ["en", "de"])
def test_bad_row_exit_2_message_and_nothing_written(tmp_path, capsys, case, command, lang):
    change, english, german = BAD_ROWS[case]
    ledger = write_csv(tmp_path / "l.csv", [*TWO_CENTRES, {**TWO_CENTRES[0], **change}])
    out = tmp_path / "out"
    code, stdout, err = run(
        ["ledger", command, str(ledger), *COMMANDS[command](out)[1:], "--lang", lang], capsys
    )
    _assert_failed_cleanly(code, stdout, err, out, english if lang == "en" else german)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_unknown_column_in_mapping_exit_2_and_nothing_written(tmp_path, capsys, command):
    mapping = tmp_path / "erp-mapping.yaml"
    text = (EXAMPLE / "erp-mapping.yaml").read_text(encoding="utf-8")
    mapping.write_text(text.replace("centre: Kostenstelle", "centre: KST"), encoding="utf-8")
    out = tmp_path / "out"
    args = [command, str(EXAMPLE / "erp-export.csv"), "--mapping", str(mapping)]
    code, stdout, err = run(["ledger", *args, *COMMANDS[command](out)[1:], "--lang", "en"], capsys)
    _assert_failed_cleanly(
        code,
        stdout,
        err,
        out,
        "erp-mapping.yaml, field 'columns.centre': column 'KST' does not exist in the data "
        "(erp-export.csv); available: Buchungsnr, Buchungsmonat, Werk, Kostenstelle,",
    )


def test_mixed_periods_exit_2_and_nothing_written(tmp_path, capsys):
    ledger = write_csv(tmp_path / "l.csv", [*TWO_CENTRES, {**TWO_CENTRES[0], "period": "2024"}])
    out = tmp_path / "out"
    code, stdout, err = run(["ledger", "report", str(ledger), "--out", str(out)], capsys)
    _assert_failed_cleanly(
        code,
        stdout,
        err,
        out,
        "l.csv, Zeile 17, Spalte 'period': Zeitraum '2024' ist ein Jahr (JJJJ), aber l.csv "
        "Zeile 2 ist ein Monat (JJJJ-MM) ('2024-01')",
    )


def test_allocation_option_changes_the_mfca(tmp_path, capsys):
    ledger = write_csv(tmp_path / "l.csv", TWO_CENTRES)
    out = tmp_path / "mfca.json"
    args = ["ledger", "mfca", str(ledger), "--json", str(out)]
    code, _, _ = run(
        [*args, "--allocation", "system=product", "--allocation", "energy=0,5"], capsys
    )
    assert code in (0, None)
    expected = mfca_balance(
        make_ledger(TWO_CENTRES), allocation=Allocation(system="product", energy=0.5)
    ).total
    total = json.loads(out.read_text())["total"]
    assert total["loss_cost_eur"] == pytest.approx(expected.loss_cost_eur, abs=1e-6)
    assert total["loss_cost_eur"] != pytest.approx(1765.333333, abs=1)  # the default split


def test_allocation_in_the_report_method(tmp_path, capsys):
    ledger = write_csv(tmp_path / "l.csv", TWO_CENTRES)
    out = tmp_path / "out"
    args = ["ledger", "report", str(ledger), "--out", str(out), "--formats", "html"]
    code, _, err = run([*args, "--allocation", "waste_management=mass"], capsys)
    assert code in (0, None), err
    assert "Abfallmanagement nach Massenanteil" in (out / "report.html").read_text()
    assert not (out / "report.pdf").exists()


@pytest.mark.parametrize("value", ["system", "system=weight", "heat=mass", "energy=1.5"])
def test_bad_allocation_option(tmp_path, capsys, value):
    ledger = write_csv(tmp_path / "l.csv", TWO_CENTRES)
    out = tmp_path / "out"
    code, _, err = run(
        ["ledger", "report", str(ledger), "--out", str(out), "--allocation", value], capsys
    )
    assert code == 2 and "--allocation" in err and "Traceback" not in err
    assert not out.exists()


def test_validate_refuses_1e308_with_a_located_message(tmp_path, capsys):
    path = tmp_path / "riesig.csv"
    path.write_text(
        "period,site,centre,flow,material,category,quantity,unit\n"
        "2024-01,A,P,material_in,Stahl,raw,5,t\n"
        "2024-01,A,P,material_in,Stahl,raw,1e308,t\n"
        "2024-01,A,P,material_in,Stahl,raw,1e14,t\n",
        encoding="utf-8",
    )
    code, out, err = run(["ledger", "validate", str(path)], capsys)
    assert code == 2
    text = out + err
    assert "riesig.csv, Zeile 3, Spalte 'quantity'" in text
    assert "riesig.csv, Zeile 4, Spalte 'quantity'" in text  # 1e14 t = 1e17 kg: too large
    assert "Warning" not in text and "Traceback" not in text


def test_template_files_validate_and_mfca_explains_the_total(tmp_path, capsys):
    code, _, _ = run(["ledger", "template", "--out", str(tmp_path)], capsys)
    assert code in (0, None)
    for name in ("ledger-template.csv", "ledger-template.xlsx"):
        code, out, _ = run(["ledger", "validate", str(tmp_path / name)], capsys)
        assert code in (0, None), out
    code, out, _ = run(["ledger", "mfca", str(EXAMPLE / "ledger.csv")], capsys)
    assert code in (0, None)
    words = " ".join(out.split())
    assert "Mengen [t], Kosten [EUR]" in words and "Produktkosten-Summe die der letzten" in words
