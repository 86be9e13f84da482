"""``kreislauf carbon balance | factors search`` through the real entry point."""

from __future__ import annotations

import json

import pytest

from kreislauf.cli import main
from tests.carbon.test_balance import ACTIVITIES, FACTORS, LEDGER


def run(args, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "ledger.csv").write_text(LEDGER, encoding="utf-8")
    (tmp_path / "factors.csv").write_text(
        FACTORS + "truck,0.1,kg CO2e / t*km,3,4,test transport,2024,DE,3\n", encoding="utf-8"
    )
    (tmp_path / "activities.csv").write_text(ACTIVITIES, encoding="utf-8")
    return tmp_path


def test_balance_json_shape_and_values(inputs, capsys):
    out = inputs / "out" / "balance.json"
    code, stdout, _ = run(
        [
            "carbon",
            "balance",
            str(inputs / "ledger.csv"),
            "--factors",
            str(inputs / "factors.csv"),
            "--activities",
            str(inputs / "activities.csv"),
            "--json",
            str(out),
            "--lang",
            "en",
        ],
        capsys,
    )
    assert code in (0, None)
    assert "Scope 2 (market-based)" in stdout
    data = json.loads(out.read_text())
    assert data["reporting_year"] == "2024"  # no year has 12 months: the latest
    assert data["scope1_t"] == pytest.approx(2.0)  # 2024: 10 MWh × 0.2 kg/kWh
    assert data["scope2_location_t"] == pytest.approx(8.0)
    assert data["scope2_market_t"] == pytest.approx(1.5)
    assert data["scope3_t"] == pytest.approx(16.621)
    assert data["scope3_by_category"] == pytest.approx({"1": 15.5, "4": 0.1, "5": 1.021})
    required = {
        "scope",
        "category",
        "source_row",
        "factor_key",
        "factor_value",
        "factor_unit",
        "factor_source",
        "co2e_t",
    }
    assert all(required <= set(line) for line in data["lines"])
    steel = next(line for line in data["lines"] if line["activity"] == "Steel")
    assert steel["scope"] == 3 and steel["category"] == "1" and steel["source_row"] == 6
    assert (steel["factor_key"], steel["factor_source"]) == ("Steel", "test EPD")
    assert steel["co2e_t"] == pytest.approx(14.0)


def test_no_factor_is_a_clear_error_and_writes_nothing(inputs, capsys):
    # the shipped library covers steel (virgin and recycled) and every waste treatment of
    # this ledger, but not copper
    ledger = inputs / "ledger.csv"
    ledger.write_text(LEDGER.replace("Steel", "Copper"), encoding="utf-8")
    out = inputs / "balance.json"
    code, stdout, stderr = run(
        ["carbon", "balance", str(ledger), "--json", str(out), "--lang", "en"], capsys
    )
    assert code == 2
    assert "Traceback" not in stderr + stdout
    assert "ledger.csv, row 6" in stderr and "no emission factor for 'Copper'" in stderr
    assert "closest factors:" in stderr
    assert not out.exists()


def test_unit_that_does_not_convert_is_a_clear_error(inputs, capsys):
    activities = inputs / "bad.csv"
    activities.write_text(
        "period,kind,key,quantity,unit\n2024,upstream_transport,truck,5,kWh\n", encoding="utf-8"
    )
    out = inputs / "balance.json"
    code, _, stderr = run(
        [
            "carbon",
            "balance",
            str(inputs / "ledger.csv"),
            "--factors",
            str(inputs / "factors.csv"),
            "--activities",
            str(activities),
            "--json",
            str(out),
        ],
        capsys,
    )
    assert code == 2
    assert "bad.csv, Zeile 2, Spalte 'unit'" in stderr
    assert "Einheit 'kWh'" in stderr and "'truck'" in stderr and "t*km" in stderr
    assert "Traceback" not in stderr and not out.exists()


def test_invalid_factor_file_names_row_and_column(inputs, capsys):
    bad = inputs / "bad_factors.csv"
    bad.write_text("key,value,unit,scope,category,source,year,region\nx,1,kg,1,process,s,2024,DE\n")
    code, _, stderr = run(
        ["carbon", "balance", str(inputs / "ledger.csv"), "--factors", str(bad), "--lang", "en"],
        capsys,
    )
    assert code == 2
    assert "bad_factors.csv, row 2, column 'unit'" in stderr


def test_factors_search_table(capsys):
    code, stdout, _ = run(["carbon", "factors", "search", "natural gas", "--lang", "en"], capsys)
    assert code in (0, None)
    assert "natural_gas" in stdout and "Emission factors matching" in stdout


def _readme_command(prefix: str) -> list[str]:
    """The README's command starting with ``prefix`` (backslash continuations joined)."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", " ", readme)
    line = next(line for line in joined.splitlines() if line.startswith(prefix))
    return shlex.split(line)[1:]  # without "kreislauf"


def test_readme_carbon_report_runs_on_the_demo_and_writes_report_pdf(tmp_path, capsys, monkeypatch):
    from pathlib import Path

    import pypdf

    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    args = _readme_command("kreislauf carbon report examples/demo-company/ledger.csv")
    out = tmp_path / "carbon-report"
    args[args.index("--out") + 1] = str(out)
    code, stdout, _ = run(args, capsys)
    assert code in (0, None), stdout
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.pdf"]
    first_page = pypdf.PdfReader(out / "report.pdf").pages[0].extract_text()
    # the headline is the reporting year 2024 (Scope 1 57,47 t), never the two-year sum
    assert "Berichtsjahr 2024" in first_page and "Basisjahr 2023" in first_page
    assert "57,5" in first_page and "115,9" not in first_page


def test_balance_on_the_demo_reports_2024(tmp_path, capsys, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    out = tmp_path / "balance.json"
    code, stdout, _ = run(
        [*_readme_command("kreislauf carbon balance examples/demo-company/ledger.csv")[:-1],
         str(out)],
        capsys,
    )  # fmt: skip
    assert code in (0, None)
    data = json.loads(out.read_text())
    assert data["reporting_year"] == "2024" and data["base_year"] == "2023"
    assert round(data["scope1_t"], 2) == 57.47
    assert [round(y["scope1_t"], 2) for y in data["years"]] == [58.39, 57.47]
    assert "Treibhausgasbilanz 2024" in stdout and "57,47" in stdout and "115,85" not in stdout


@pytest.mark.parametrize(
    ("text", "key"),
    [("Erdgas", "natural_gas"), ("Strom Deutschland", "electricity"), ("Stahl", "steel"),
     ("Polypropylen", "plastics:pp")],
)  # fmt: skip
def test_factor_search_in_german(text, key, capsys):
    code, stdout, _ = run(["carbon", "factors", "search", text, "--limit", "3"], capsys)
    assert code in (0, None)
    rows = [line for line in stdout.splitlines() if line.startswith("│")]
    assert rows[0].split("│")[1].strip() == key, stdout


def test_a_material_without_factor_gets_material_suggestions_only(tmp_path, capsys):
    from pathlib import Path

    ledger = Path(__file__).resolve().parents[2] / "examples" / "demo-company" / "ledger.csv"
    code, _, err = run(["carbon", "balance", str(ledger)], capsys)
    assert code == 2
    assert "PP-GF30 Granulat" in err and "plastics:pp" in err
    assert "flight" not in err and "--factors" not in err
