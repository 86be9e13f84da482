"""B7 and E5-5 waste by List-of-Waste code from the ledger's own ``waste_code`` column
(the demo ledger carries SYNTHETIC AVV codes), without any answers file."""

from __future__ import annotations

import pytest

from kreislauf.ledger import read_ledger
from kreislauf.reporting import Answers, vsme_report
from kreislauf.reporting.e5 import e5_datapoints
from kreislauf.reporting.taxonomy import waste_codes
from kreislauf.reporting.vsme import WASTE_AXIS
from tests.reporting.conftest import Demo, ledger_rows

#: 2024 waste by code, by hand from examples/demo-company/ledger.csv (csv module) [t].
BY_CODE = {"07 02 13": 27.231, "12 01 18": 3.0, "16 01 22": 14.604, "20 03 01": 6.26}


def _key(concept: str, code: str) -> str:
    return f"{concept}|{WASTE_AXIS}={waste_codes()[code].member}"


def test_b7_waste_by_code_comes_from_the_ledger_alone(demo: Demo) -> None:
    report = vsme_report(demo.ledger, year="2024")  # no answers: the codes are the ledger's
    assert not any("waste" in w for w in report.warnings), report.warnings
    for code, mass in BY_CODE.items():
        key = _key("TotalWasteRecycledReusedAndDirectedToDisposalMass", code)
        assert report.value(key) == pytest.approx(mass, abs=1e-9), code
        rows = {r for s in report.points[key].sources for r in s.rows}
        expected = {
            n for n, r in ledger_rows("2024")
            if r["flow"] == "waste_out" and r["waste_code"].rstrip("*") == code
        }  # fmt: skip
        assert rows == expected and len(rows) in (12, 24)
    assert report.value("TotalHazardousWasteGeneratedMass") == pytest.approx(3.0, abs=1e-9)
    assert report.value("TotalNonHazardousWasteGeneratedMass") == pytest.approx(
        27.231 + 14.604 + 6.26, abs=1e-9
    )
    # 07 02 13: the recycled sprues and scrap vs the purge material sent to energy recovery
    recycled = sum(
        float(r["quantity"]) for _, r in ledger_rows("2024")
        if r["waste_code"] == "07 02 13" and r["treatment"] == "recycling"
    )  # fmt: skip
    assert report.value(_key("WasteDivertedToRecycleOrReuseMass", "07 02 13")) == pytest.approx(
        recycled, abs=1e-9
    )
    assert report.points[_key("WasteDivertedToRecycleOrReuseMass", "12 01 18")].label.startswith(
        "12 01 18*"
    )


def test_e5_hazardous_waste_follows_the_ledger_codes(demo: Demo) -> None:
    result = e5_datapoints(demo.ledger, year="2024")
    assert result.value("E5-5.39-hazardous") == pytest.approx(3.0, abs=1e-9)


def _ledger(tmp_path, code: str, *, material: str = "Schlamm"):  # type: ignore[no-untyped-def]
    path = tmp_path / "l.csv"
    path.write_text(
        "period,site,centre,flow,material,quantity,unit,treatment,waste_code\n"
        f"2024-01,S,C,waste_out,{material},2,t,disposal,{code}\n"
        "2024-01,S,C,waste_out,Späne,1,t,recycling,12 01 01\n",
        encoding="utf-8",
    )
    return read_ledger(path)


def test_a_code_not_on_the_list_is_named_and_counted_without_code(tmp_path) -> None:
    report = vsme_report(_ledger(tmp_path, "99 99 99"), year="2024")
    warning = next(w for w in report.warnings if "99 99 99" in w)
    assert warning.startswith("l.csv, row 2, column 'waste_code'")
    assert report.value("kreislauf:WasteWithoutListOfWasteCode") == pytest.approx(2.0)
    assert report.value(_key("TotalWasteRecycledReusedAndDirectedToDisposalMass", "12 01 01")) == (
        pytest.approx(1.0)
    )


@pytest.mark.parametrize(("code", "state"), [("12 01 18", "hazardous"), ("120101*", "not")])
def test_an_asterisk_that_contradicts_the_list_is_named(tmp_path, code, state) -> None:
    report = vsme_report(_ledger(tmp_path, code), year="2024")
    warning = next(w for w in report.warnings if "asterisk" in w)
    assert warning.startswith("l.csv, row 2, column 'waste_code'") and state in warning
    hazardous = 2.0 if code.startswith("12 01 18") else 0.0
    assert report.value("TotalHazardousWasteGeneratedMass") == pytest.approx(hazardous)


def test_the_ledger_code_wins_over_the_answers(tmp_path) -> None:
    answers = Answers(waste_codes={"Schlamm": "20 03 01"})
    report = vsme_report(_ledger(tmp_path, "12 01 18*"), year="2024", answers=answers)
    assert report.value("TotalHazardousWasteGeneratedMass") == pytest.approx(2.0)
    assert _key("TotalWasteRecycledReusedAndDirectedToDisposalMass", "20 03 01") not in (
        report.points
    )


def test_the_pdf_with_the_coded_waste_and_no_answers_renders(demo: Demo) -> None:
    """Keys such as ``…|TypeOfWasteAxis=W-120118-Hazardous-…Member`` once squeezed the
    sources table's second column until a row was taller than a page (LayoutError)."""
    from kreislauf.report import render_pdf
    from kreislauf.reporting.vsme_document import vsme_document

    report = vsme_report(demo.ledger, year="2024", balance=demo.balance, activities=demo.activities)
    pdf = render_pdf(vsme_document(report, lang="en"))
    assert pdf[:5] == b"%PDF-"
