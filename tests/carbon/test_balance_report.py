"""The carbon report: balance sections through the shared renderer, and the CLI command."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from kreislauf.carbon.activities import read_activities
from kreislauf.carbon.balance import ghg_balance
from kreislauf.carbon.balance_report import balance_sections, carbon_report
from kreislauf.carbon.factors import read_factors
from kreislauf.cli import main
from kreislauf.i18n import translate
from kreislauf.ledger import read_ledger
from kreislauf.report import Figure, Table, render_html

from .test_balance import ACTIVITIES, FACTORS, LEDGER

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-company"


@pytest.fixture
def balance(tmp_path):
    (tmp_path / "ledger.csv").write_text(LEDGER, encoding="utf-8")
    (tmp_path / "f.csv").write_text(
        FACTORS + "truck,0.1,kg CO2e / t*km,3,4,test transport,2024,DE,3\n", encoding="utf-8"
    )
    (tmp_path / "a.csv").write_text(ACTIVITIES, encoding="utf-8")
    return ghg_balance(
        read_ledger(tmp_path / "ledger.csv"),
        read_factors(tmp_path / "f.csv"),
        activities=read_activities(tmp_path / "a.csv"),
    )


def test_sections_show_totals_lines_factors_and_method(balance):
    sections = balance_sections(balance, "en")
    titles = [s.title for s in sections]
    assert titles == [
        "GHG balance (GHG Protocol)",
        "By year",
        "Balance lines with factor and source",
        "Emission factors used",
        "Method",
    ]
    assert any(isinstance(b, Figure) for b in sections[0].blocks)
    lines = next(b for b in sections[2].blocks if isinstance(b, Table))
    steel = next(row for row in lines.rows if row[1] == "Steel")
    assert steel == [
        "2024 · S3 · 1",
        "Steel",
        "7,000 kg",
        "Steel = 2 t CO2e / t (override:exact)",
        "ledger.csv:6",
        "14.000",
    ]
    factors = next(b for b in sections[3].blocks if isinstance(b, Table))
    assert ["Steel:recycled", "0.5 kg CO2e / kg", "2024", "3", "test EPD recycled"] in (
        factors.rows
    )


def test_german_report_renders_to_html(balance):
    html = render_html(carbon_report(balance, lang="de", with_chart=False))
    assert "Treibhausgasbilanz" in html and "test EPD recycled" in html
    assert "16,621" in html  # Scope 3 in German number format


def test_cli_report_writes_html_and_pdf_with_product_and_measure_sections(tmp_path, capsys):
    out = tmp_path / "report"
    with pytest.raises(SystemExit) as info:
        main(
            [
                "carbon",
                "report",
                str(DEMO / "ledger.csv"),
                "--factors",
                str(DEMO / "carbon" / "product-factors.csv"),
                "--factors",
                str(DEMO / "carbon" / "factors.csv"),
                "--activities",
                str(DEMO / "carbon" / "activities.csv"),
                "--bom",
                str(DEMO / "carbon" / "bom.csv"),
                "--measures",
                str(DEMO / "carbon" / "measures.yaml"),
                "--out",
                str(out),
                "--lang",
                "en",
            ]
        )
    assert info.value.code in (0, None)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Greenhouse gas balance" in html
    assert translate("carbon.pcf.title", "en") in html
    assert translate("carbon.measures.title", "en") in html
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out / "report.pdf").pages)
    assert "Scope 2 (market-based)" in text
    assert "Umweltbundesamt" in text  # the shipped electricity factor is named
    assert "MAC" in text or "abatement" in text.lower()


def test_cli_report_rejects_unknown_format(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["carbon", "report", "x.csv", "--out", str(tmp_path), "--formats", "docx"])
    assert info.value.code == 2
    assert "--formats" in capsys.readouterr().err
