"""``kreislauf carbon pcf`` and ``kreislauf carbon measures`` through the real entry point."""

from __future__ import annotations

import json

import pytest

from kreislauf.cli import main
from tests.carbon.products_fixtures import BOM_CSV, EXAMPLE, FACTORS_CSV, write_ledger
from tests.carbon.test_measures import MEASURES, PRICES

DEMO = EXAMPLE / "carbon"


def run(args, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


@pytest.fixture
def files(tmp_path):
    paths = {
        "bom": tmp_path / "bom.csv",
        "factors": tmp_path / "factors.csv",
        "measures": tmp_path / "measures.yaml",
        "prices": tmp_path / "prices.csv",
    }
    for key, text in (
        ("bom", BOM_CSV),
        ("factors", FACTORS_CSV),
        ("measures", MEASURES),
        ("prices", PRICES),
    ):
        paths[key].write_text(text, encoding="utf-8")
    paths["ledger"] = write_ledger(tmp_path / "ledger.csv")
    return paths


def test_pcf_json(files, tmp_path, capsys):
    out = tmp_path / "out" / "pcf.json"
    code, stdout, _ = run(
        [
            "carbon",
            "pcf",
            str(files["bom"]),
            "--ledger",
            str(files["ledger"]),
            "--factors",
            str(files["factors"]),
            "--json",
            str(out),
            "--lang",
            "en",
        ],
        capsys,
    )
    assert code in (0, None)
    assert "Module" in stdout and "Primary data share" in stdout
    [product] = json.loads(out.read_text())["products"]
    assert product["product"] == "Module"
    assert product["pcf_kg_co2e"] == pytest.approx(3.325230, abs=1e-6)
    assert set(product["stages_kg_co2e"]) == {"raw_materials", "processing", "waste"}
    assert {c["centre"] for c in product["centres"]} == {"Moulding", "Stamping", "Assembly"}


def test_measures_json_and_chart(files, tmp_path, capsys):
    out, chart = tmp_path / "m.json", tmp_path / "mac.svg"
    code, stdout, _ = run(
        [
            "carbon",
            "measures",
            str(files["measures"]),
            "--ledger",
            str(files["ledger"]),
            "--factors",
            str(files["factors"]),
            "--prices",
            str(files["prices"]),
            "--price-path",
            "rising",
            "--discount-rate",
            "0.1",
            "--json",
            str(out),
            "--chart",
            str(chart),
        ],
        capsys,
    )
    assert code in (0, None)
    assert "Maßnahmen unter CO2-Preispfaden" in stdout and "gas:" in stdout
    data = json.loads(out.read_text())
    gas = data["measures"][0]
    assert gas["npv_eur"] == pytest.approx(-100 + 25 / 1.1 + 30 / 1.21 + 35 / 1.331 + 35 / 1.4641)
    assert data["discount_rate"] == 0.1 and "rising" in data["price_paths"]
    svg = chart.read_text()
    assert svg.startswith("<?xml") and "Vermeidungskosten" in svg


def test_demo_example_runs(tmp_path, capsys):
    ledger = str(EXAMPLE / "ledger.csv")
    factors = str(DEMO / "product-factors.csv")
    code, stdout, _ = run(
        ["carbon", "pcf", str(DEMO / "bom.csv"), "--ledger", ledger, "--factors", factors],
        capsys,
    )
    assert code in (0, None) and "Türmodul-Träger TM-200" in stdout and "Halter-Set" in stdout
    out = tmp_path / "m.json"
    code, _, _ = run(
        [
            "carbon",
            "measures",
            str(DEMO / "measures.yaml"),
            "--ledger",
            ledger,
            "--factors",
            factors,
            "--json",
            str(out),
        ],
        capsys,
    )
    assert code in (0, None)
    assert [m["id"] for m in json.loads(out.read_text())["measures"]] == [
        "M1",
        "M2",
        "M3",
        "M4",
        "M5",
    ]


@pytest.mark.parametrize(
    ("command", "edit", "expected"),
    [
        (
            "pcf",
            ("bom", BOM_CSV + "Steel,Housing,1,pcs,,,,\nHousing,Bracket,1,pcs,,,,\n"),
            "Zyklus",
        ),
        ("pcf", ("bom", BOM_CSV.replace("0.45", "viel")), "Zeile 5"),
        ("pcf", ("bom", BOM_CSV.replace("Stamping", "Laser")), "Laser"),
        ("pcf", ("bom", BOM_CSV + "Module,Foil,1,kg,Assembly,,,\n"), "Foil"),
        (
            "measures",
            ("measures", MEASURES.replace("centre: Assembly", "centre: Dach")),
            "measures[3].centre",
        ),
        ("measures", ("measures", "measures: [\n"), "YAML"),
        ("measures", ("prices", "path,year,eur_per_t\nrising,20x5,1\n"), "20x5"),
    ],
)
def test_bad_input_exits_2_without_traceback(files, capsys, command, edit, expected):
    key, text = edit
    files[key].write_text(text, encoding="utf-8")
    args = [
        "carbon",
        command,
        str(files["measures" if command == "measures" else "bom"]),
        "--ledger",
        str(files["ledger"]),
        "--factors",
        str(files["factors"]),
    ]
    if command == "measures":
        args += ["--prices", str(files["prices"]), "--price-path", "rising"]
    code, _, stderr = run(args, capsys)
    assert code == 2
    assert expected in stderr and "Traceback" not in stderr


def test_unknown_centre_message_lists_known_centres(files, capsys):
    files["measures"].write_text(MEASURES.replace("centre: Assembly", "centre: Dach"), "utf-8")
    code, _, stderr = run(
        [
            "carbon",
            "measures",
            str(files["measures"]),
            "--ledger",
            str(files["ledger"]),
            "--factors",
            str(files["factors"]),
            "--prices",
            str(files["prices"]),
            "--lang",
            "en",
        ],
        capsys,
    )
    assert code == 2
    assert "measures.yaml" in stderr and "Dach" in stderr
    assert "Assembly, Moulding, Stamping" in stderr


@pytest.mark.parametrize(
    ("option", "value"),
    [("--discount-rate", "1.5"), ("--chart", "mac.gif"), ("--price-path", "nope")],
)
def test_bad_options(files, tmp_path, capsys, option, value):
    code, _, stderr = run(
        [
            "carbon",
            "measures",
            str(files["measures"]),
            "--ledger",
            str(files["ledger"]),
            "--factors",
            str(files["factors"]),
            option,
            str(tmp_path / value) if option == "--chart" else value,
        ],
        capsys,
    )
    assert code == 2 and value.split("/")[-1] in stderr and "Traceback" not in stderr


def test_missing_bom_file(files, tmp_path, capsys):
    code, _, stderr = run(
        ["carbon", "pcf", str(tmp_path / "none.csv"), "--ledger", str(files["ledger"])], capsys
    )
    assert code == 2 and "none.csv" in stderr
