"""``kreislauf ledger …`` through the real entry point."""

from __future__ import annotations

import json

import pytest
from ledger_fixtures import EXAMPLE, TWO_CENTRES, write_csv

from kreislauf.cli import main


def run(args, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


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
