"""``kreislauf ledger report``: the figures of a hand-worked ledger in the HTML and the PDF.

TWO_CENTRES worked by hand (see test_mfca.py): material input 2 t + 0.5 t + 0.5 t = 3.0 t;
product 2.3 t, so material yield 2.3 / 3.0 = 76.7 %; energy 1 + 0.5 + 2 MWh = 3.5 MWh;
loss cost 1,765.33 EUR; product cost of the products leaving = 9,080 (all cost inputs)
− 200 (100 kg to stock at 2 EUR/kg) − 1,765.33 = 7,114.67 EUR; loss share
1,765.33 / 8,880 = 19.9 %.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ledger_fixtures import TWO_CENTRES, make_ledger, run_cli, write_csv
from pypdf import PdfReader

from kreislauf.ledger import read_ledger
from kreislauf.ledger.report import ledger_report
from kreislauf.report import Callout, KeyFigures, Table


def _pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def _html_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8").replace("&nbsp;", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", html)


def _two_periods(tmp_path: Path) -> Path:
    """TWO_CENTRES in 2024-01, and in 2024-02 with 2.0 t instead of 2.3 t of product."""
    second = [
        {**row, "period": "2024-02", **({"quantity": 2.0} if row["flow"] == "product_out" else {})}
        for row in TWO_CENTRES
    ]
    return write_csv(tmp_path / "ledger.csv", [*TWO_CENTRES, *second])


EXPECTED = {
    "de": [
        "Ressourcenbericht",
        "Zusammenfassung",
        "3,0 t",  # material input
        "76,7 %",  # material yield
        "3,5 MWh",  # energy use
        "1.765 EUR",  # material loss cost (MFCA)
        "19,9 %",  # loss share
        "7.115",  # product cost of the products leaving
        "Materialflusskostenrechnung (ISO 14051)",
        "Datengrundlage",
        "l.csv",
        "VDI 4800-1",
        "ISO 14051",
        "nach Massenanteil",
        "Alle Massenbilanzen liegen innerhalb der Toleranz",
    ],
    "en": [
        "Resource report",
        "Summary",
        "3.0 t",
        "76.7%",
        "3.5 MWh",
        "1,765 EUR",
        "19.9%",
        "7,115",
        "Material flow cost accounting (ISO 14051)",
        "Data basis",
        "l.csv",
        "VDI 4800-1",
        "ISO 14051",
        "by mass share",
        "All mass balances lie within the tolerance",
    ],
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_report_html_and_pdf_show_the_hand_computed_figures(tmp_path, capsys, lang):
    ledger = write_csv(tmp_path / "l.csv", TWO_CENTRES)
    out = tmp_path / "out"
    args = ["ledger", "report", str(ledger), "--out", str(out), "--by", "all"]
    code, stdout, err = run_cli([*args, *(["--lang", "en"] if lang == "en" else [])], capsys)
    assert code in (0, None), err
    assert "report.html" in stdout and "report.pdf" in stdout
    html, pdf = _html_text(out / "report.html"), _pdf_text(out / "report.pdf")
    for text in EXPECTED[lang]:
        assert text in html, f"HTML lacks {text!r}"
        assert text in pdf, f"PDF lacks {text!r}"
    other = "en" if lang == "de" else "de"
    assert EXPECTED[other][1] not in html  # the section names are in one language only
    assert html.count('src="data:image/png;base64,') == 3  # loss cost, 2 Sankey diagrams


def test_report_by_period_shows_change_vs_previous_period(tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = run_cli(
        ["ledger", "report", str(_two_periods(tmp_path)), "--out", str(out), "--by", "period"],
        capsys,
    )
    assert code in (0, None), err
    html = _html_text(out / "report.html")
    pdf = _pdf_text(out / "report.pdf")
    # material yield 76.7 % in 2024-01, 2.0 / 3.0 = 66.7 % in 2024-02: −10.0 points
    for text in ("Kennzahlen je Zeitraum", "vorigen Zeitraum", "66,7 (−10,0)", "2024-02"):
        assert text in html, text
        assert text in pdf, text


def test_report_lists_mass_balance_warnings(tmp_path):
    rows = [
        {**row, "quantity": 2.0} if row["flow"] == "product_out" else row for row in TWO_CENTRES
    ]  # B: 2.5 t in, 2.15 t out: 0.35 t (14 %) unaccounted
    ledger = read_ledger(write_csv(tmp_path / "l.csv", rows))
    report = ledger_report(ledger, lang="en", by=(), with_charts=False)
    (balance,) = [s for s in report.sections if s.title == "Mass balances"]
    callout = balance.blocks[0]
    assert isinstance(callout, Callout) and callout.tone == "warning"
    assert callout.title.startswith("1 mass balance(s) beyond the tolerance of 2%")
    (line,) = callout.items
    assert line.startswith("mass balance L / 2024-01 / B: input 2.500 t")
    assert "difference 0.350 t (14.0% of input)" in line


def test_report_document_without_charts_and_split(two_centres):
    report = ledger_report(two_centres, lang="de", by=(), with_charts=False)
    titles = [s.title for s in report.sections]
    assert titles == [
        "Zusammenfassung",
        "Kennzahlen",
        "Materialflusskostenrechnung (ISO 14051)",
        "Massenbilanzen",
        "Datengrundlage",
        "Methode",
    ]
    figures = report.sections[0].blocks[1]
    assert isinstance(figures, KeyFigures)
    assert [f.value for f in figures.figures] == ["3,0 t", "76,7\u00a0%", "3,5 MWh", "1.765 EUR"]
    kpi_table = report.sections[1].blocks[0]
    assert isinstance(kpi_table, Table) and len(kpi_table.rows) == 9
    mfca_table = report.sections[2].blocks[1]
    assert isinstance(mfca_table, Table)
    assert [row[0] for row in mfca_table.rows] == ["A", "B"]
    assert mfca_table.footer[0][-1] == "19,9\u00a0%"


def test_report_bad_formats_option_writes_nothing(tmp_path, capsys):
    ledger = write_csv(tmp_path / "l.csv", TWO_CENTRES)
    out = tmp_path / "out"
    code, _, err = run_cli(
        ["ledger", "report", str(ledger), "--out", str(out), "--formats", "docx"], capsys
    )
    assert code == 2 and "--formats" in err and "Traceback" not in err
    assert not out.exists()


def test_report_of_two_sites_keeps_them_apart():
    rows = [*TWO_CENTRES, *({**row, "site": "M"} for row in TWO_CENTRES)]
    ledger = make_ledger(rows)
    report = ledger_report(ledger, lang="en", by=("site", "period"), with_charts=False)
    kpis, mfca = report.sections[1], report.sections[2]
    by_site = kpis.blocks[2]
    assert isinstance(by_site, Table) and by_site.header[:2] == ["Site", "Period"]
    assert [row[:3] for row in by_site.rows] == [["L", "2024-01", "3.0"], ["M", "2024-01", "3.0"]]
    table = mfca.blocks[1]
    assert isinstance(table, Table) and table.header[:2] == ["Site", "Quantity centre"]
    assert [row[:2] for row in table.rows] == [["L", "A"], ["L", "B"], ["M", "A"], ["M", "B"]]
    assert table.footer[0][-2] == "3,531"  # 2 × 1,765.33 EUR loss cost


def test_report_by_site_of_one_site_names_the_site(two_centres):
    report = ledger_report(two_centres, lang="de", by=("site",), with_charts=False)
    table = report.sections[1].blocks[2]
    assert isinstance(table, Table)
    assert table.header[0] == "Standort" and [row[:2] for row in table.rows] == [["L", "3,0"]]
