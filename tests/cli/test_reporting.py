"""``kreislauf reporting …`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kreislauf.cli import main
from tests.reporting.conftest import ACTIVITIES, ANSWERS, FACTORS, LEDGER


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


def _vsme_args(tmp_path: Path, *extra: str) -> list[str]:
    factors = [arg for path in FACTORS for arg in ("--factors", str(path))]
    return [
        "reporting",
        "vsme",
        str(LEDGER),
        "--year",
        "2024",
        *factors,
        "--activities",
        str(ACTIVITIES),
        "--answers",
        str(ANSWERS),
        *extra,
    ]


def test_vsme_writes_html_pdf_xhtml_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = _vsme_args(
        tmp_path, "--out", str(out), "--json", str(out / "vsme.json"),
        "--formats", "html,pdf,xhtml,xlsx",
    )  # fmt: skip
    code, stdout, _ = run([*args, "--lang", "en"], capsys)
    assert code in (0, None)
    assert "B3" in stdout and "16 / 16" in stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "vsme-2024.html",
        "vsme-2024.pdf",
        "vsme-2024.xhtml",
        "vsme-2024.xlsx",
        "vsme.json",
    ]
    data = json.loads((out / "vsme.json").read_text(encoding="utf-8"))
    energy = data["datapoints"]["TotalEnergyConsumption"]
    assert set(energy) >= {"value", "unit", "source"}
    assert energy["unit"] == "MWh" and energy["source"][0]["file"] == "ledger.csv"
    assert (out / "vsme-2024.pdf").read_bytes().startswith(b"%PDF")
    html = (out / "vsme-2024.html").read_text(encoding="utf-8")
    assert "Energy and greenhouse gas emissions" in html and "ledger.csv" in html


def test_vsme_german_report_with_the_previous_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "de"
    args = _vsme_args(tmp_path, "--out", str(out), "--formats", "html", "--compare", "2023")
    code, _, _ = run([*args, "--json", str(out / "v.json")], capsys)
    assert code in (0, None)
    html = (out / "vsme-2024.html").read_text(encoding="utf-8")
    assert "Energie und Treibhausgasemissionen" in html and "Gesamtenergieverbrauch" in html
    assert "Jahre im Vergleich" in html
    data = json.loads((out / "v.json").read_text(encoding="utf-8"))
    assert data["comparison"]["years"] == ["2023", "2024"]
    energy = data["comparison"]["datapoints"]["TotalEnergyConsumption"]
    assert energy["values"]["2024"] == data["datapoints"]["TotalEnergyConsumption"]["value"]


def test_bad_answers_exit_2_with_a_located_message_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("datapoints:\n  Turnover: viel\n", encoding="utf-8")
    out = tmp_path / "out"
    args = [a if a != str(ANSWERS) else str(answers) for a in _vsme_args(tmp_path)]
    code, _, err = run([*args, "--out", str(out), "--lang", "en"], capsys)
    assert code == 2
    assert "answers.yaml" in err and "datapoints.Turnover" in err and "a number" in err
    assert not out.exists()


def test_unknown_format_and_year_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*_vsme_args(tmp_path, "--formats", "docx"), "--lang", "en"], capsys)
    assert code == 2 and "--formats" in err and "xhtml" in err
    args = _vsme_args(tmp_path)
    args[args.index("2024")] = "2031"
    code, _, err = run([*args, "--lang", "en"], capsys)
    assert code == 2 and "2031" in err and "2023, 2024" in err


def test_compare_all_sets_every_earlier_year_beside_and_a_bad_year_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all"
    args = _vsme_args(tmp_path, "--out", str(out), "--formats", "pdf", "--compare", "all")
    code, _, _ = run([*args, "--json", str(out / "v.json"), "--lang", "en"], capsys)
    assert code in (0, None)
    data = json.loads((out / "v.json").read_text(encoding="utf-8"))
    waste = data["comparison"]["datapoints"]["TotalWasteGeneratedMass"]
    # by hand from the demo ledger (Σ waste_out): 60.368 t → 51.095 t
    assert waste["values"] == pytest.approx({"2023": 60.368, "2024": 51.095}, abs=1e-9)
    assert waste["change"]["2024"] == pytest.approx(-9.273, abs=1e-9)
    assert (out / "vsme-2024.pdf").read_bytes()[:5] == b"%PDF-"
    bad = tmp_path / "bad"
    for value, expected in (("2023,2019", "2023, 2024"), ("20x3", "--compare")):
        args = _vsme_args(tmp_path, "--out", str(bad), "--compare", value)
        code, _, err = run([*args, "--lang", "en"], capsys)
        assert code == 2 and value.split(",")[-1] in err and expected in err, err
    assert not bad.exists()


def test_e5_json_equals_the_domain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "e5.json"
    code, stdout, _ = run(
        [
            "reporting",
            "e5",
            str(LEDGER),
            "--year",
            "2024",
            "--answers",
            str(ANSWERS),
            "--json",
            str(out),
            "--lang",
            "en",
        ],
        capsys,
    )
    assert code in (0, None)
    assert "31(a)" in stdout and "open" in stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["version"] == "esrs-set1-2023"
    assert data["datapoints"]["E5-5.37a"]["unit"] == "t"
    assert data["datapoints"]["E5-5.37a"]["source"][0]["file"] == "ledger.csv"
    assert "E5-4.31b" in data["open"]


def test_lksg_ranks_writes_the_documentation_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suppliers = Path(__file__).parents[1] / "reporting" / "data" / "suppliers.csv"
    out = tmp_path / "lksg"
    code, stdout, _ = run(
        [
            "reporting",
            "lksg",
            str(suppliers),
            "--out",
            str(out),
            "--json",
            str(out / "lksg.json"),
            "--lang",
            "de",
        ],
        capsys,
    )
    assert code in (0, None)
    assert "7 Zulieferer, 4 mit hohem Risiko" in stdout
    data = json.loads((out / "lksg.json").read_text(encoding="utf-8"))
    assert data["suppliers"][0]["name"] == "Katanga Cobalt Trading SARL"
    html = (out / "lksg-risk-analysis.html").read_text(encoding="utf-8")
    assert "Rechtsstand" in html and "lksg-country-goods.csv" in html
    assert (out / "lksg-risk-analysis.pdf").read_bytes().startswith(b"%PDF")


def test_lksg_bad_supplier_list_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.csv"
    path.write_text("name,country,nace,spend_eur\nA,Deutschland,C24,1\n", encoding="utf-8")
    code, _, err = run(["reporting", "lksg", str(path), "--lang", "en"], capsys)
    assert code == 2 and "s.csv, row 2, column 'country'" in err


def test_xbrl_package_is_a_taxonomy_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    out = tmp_path / "vsme-standin.zip"
    code, _, _ = run(["reporting", "xbrl-package", str(out)], capsys)
    assert code in (0, None)
    names = zipfile.ZipFile(out).namelist()
    assert any(n.endswith("META-INF/taxonomyPackage.xml") for n in names)
    assert any(n.endswith("vsme/vsme-all.xsd") for n in names)


def test_lksg_followup_writes_the_yearly_documentation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(__file__).parents[1] / "reporting" / "data"
    out = tmp_path / "doc"
    args = ["reporting", "lksg", str(data / "suppliers.csv"), "--followup",
            str(data / "lksg-followup.yaml"), "--as-of", "2025-10-01", "--out", str(out),
            "--lang", "en"]  # fmt: skip
    code, stdout, _ = run(args, capsys)
    assert code in (0, None)
    assert "measure overdue" in stdout and "not assessed yet" in stdout
    html = (out / "lksg-documentation-2025.html").read_text(encoding="utf-8")
    assert "Measures overdue: 1" in html and "2025-10-01" in html
    assert (out / "lksg-documentation-2025.pdf").read_bytes().startswith(b"%PDF")


def test_lksg_followup_naming_an_unknown_supplier_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(__file__).parents[1] / "reporting" / "data"
    followup = tmp_path / "f.yaml"
    followup.write_text(
        "year: 2025\nassessments:\n  - {supplier: Nobody, position: HR01}\n", encoding="utf-8"
    )
    out = tmp_path / "doc"
    args = ["reporting", "lksg", str(data / "suppliers.csv"), "--followup", str(followup),
            "--out", str(out), "--lang", "en"]  # fmt: skip
    code, _, err = run(args, capsys)
    assert code == 2 and "f.yaml" in err and "assessments[1].supplier" in err
    assert not out.exists()
    code, _, err = run([*args[:5], "--as-of", "1.10.2025"], capsys)
    assert code == 2 and "--as-of" in err
