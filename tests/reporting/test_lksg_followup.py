"""LkSG follow-up: concrete assessments and measures joined with the screening, their
state on a date, and the yearly internal documentation (§ 10 Abs. 1 LkSG)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kreislauf.errors import InvalidLksgFollowUp
from kreislauf.report import render_html
from kreislauf.reporting.lksg import LksgAnalysis, lksg_screening, read_suppliers
from kreislauf.reporting.lksg_document import lksg_document
from kreislauf.reporting.lksg_followup import followup_from_data, followup_status, read_followup

DATA = Path(__file__).parent / "data"
SUPPLIERS = DATA / "suppliers.csv"
FOLLOWUP = DATA / "lksg-followup.yaml"
COBALT = "Katanga Cobalt Trading SARL"


@pytest.fixture(scope="module")
def analysis() -> LksgAnalysis:
    return lksg_screening(read_suppliers(SUPPLIERS))


def _status(analysis: LksgAnalysis, on: dt.date) -> dict[tuple[str, str], str]:
    names = [s.supplier.name for s in analysis.suppliers]
    followup = read_followup(FOLLOWUP, suppliers=names)
    return {(r.supplier, r.position): r.state for r in followup_status(analysis, followup, on=on)}


def test_every_high_risk_of_a_flagged_supplier_has_a_state(analysis: LksgAnalysis) -> None:
    states = _status(analysis, dt.date(2025, 7, 1))
    high = {
        (s.supplier.name, r.position)
        for s in analysis.suppliers
        if s.flagged
        for r in s.risks
        if r.level == "high"
    }
    assert high <= set(states)
    assert states[(COBALT, "HR01")] == "in_progress"  # M1 due 30 Sep, M2 done
    assert states[(COBALT, "HR03")] == "not_confirmed"
    assert states[(COBALT, "HR02")] == "not_assessed"
    assert states[("Dhaka Workwear Ltd.", "HR05")] == "open"
    unassessed = [k for k, v in states.items() if v == "not_assessed"]
    assert len(unassessed) == len(high) - 3 > 10


def test_an_own_finding_counts_where_the_screening_sees_no_high_risk(
    analysis: LksgAnalysis,
) -> None:
    entry = {"supplier": "Spedition Leipzig KG", "position": "HR05", "finding": "confirmed",
             "method": "site_visit", "assessed_by": "A", "assessed_on": "2025-02-01"}  # fmt: skip
    followup = followup_from_data({"year": 2025, "assessments": [entry]}, name="f.yaml")
    status = followup_status(analysis, followup, on=dt.date(2025, 3, 1))
    assert status[-1].supplier == "Spedition Leipzig KG"
    assert status[-1].state == "confirmed_without_measure"


def test_a_measure_past_its_due_date_is_overdue(analysis: LksgAnalysis) -> None:
    assert _status(analysis, dt.date(2025, 9, 30))[(COBALT, "HR01")] == "in_progress"
    assert _status(analysis, dt.date(2025, 10, 1))[(COBALT, "HR01")] == "overdue"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_documentation_names_assessments_measures_and_retention(
    analysis: LksgAnalysis, lang: str
) -> None:
    followup = read_followup(FOLLOWUP)
    document = lksg_document(analysis, lang=lang, followup=followup, on=dt.date(2025, 10, 1))  # type: ignore[arg-type]
    html = render_html(document)
    words = {
        "de": ("Interne Dokumentation der Sorgfaltspflichten 2025", "Überfällige Maßnahmen: 1",
               "sieben Jahre", "Abhilfe (§ 7)", "noch nicht bewertet",
               "Davon konkret bewertet (§ 5 Abs. 1): 3"),
        "en": ("Internal documentation of the due-diligence obligations 2025",
               "Measures overdue: 1", "seven years", "Remedial (§ 7)", "not assessed yet",
               "Of them assessed concretely (§ 5(1)): 3"),
    }[lang]  # fmt: skip
    for word in words:
        assert word in html, word
    assert "Corrective action plan with the smelter" in html and "Einkauf, Max Beispiel" in html


@pytest.mark.parametrize(
    ("data", "where", "expected"),
    [
        ({"assessments": []}, "year", "a reporting year"),
        ({"year": 2025, "audits": []}, "audits", "assessments"),
        ({"year": 2025, "assessments": [{"supplier": "X", "position": "HR99"}]},
         r"assessments\[1\]\.position", "HR01"),
        ({"year": 2025, "assessments": [{"supplier": "Nobody", "position": "HR01"}]},
         r"assessments\[1\]\.supplier", "a name of the supplier list"),
        ({"year": 2025, "measures": [{"id": "M1", "supplier": COBALT, "position": "HR01",
                                       "kind": "remedial", "description": "x", "owner": "y",
                                       "due": "30.09.2025", "status": "planned"}]},
         r"measures\[1\]\.due", "YYYY-MM-DD"),
        ({"year": 2025, "measures": [{"id": "M1", "supplier": COBALT, "position": "HR01",
                                       "kind": "remedial", "description": "x", "owner": "y",
                                       "due": "2025-09-30", "status": "late"}]},
         r"measures\[1\]\.status", "planned | in_progress | done | dropped"),
        ({"year": 2025, "measures": [{"id": "M1", "supplier": COBALT, "position": "HR01",
                                       "kind": "remedial", "description": "x",
                                       "due": "2025-09-30", "status": "planned"}]},
         r"measures\[1\]\.owner", "a value"),
    ],
)  # fmt: skip
def test_a_wrong_entry_is_named(data: dict[str, object], where: str, expected: str) -> None:
    names = [COBALT, "X"]
    with pytest.raises(InvalidLksgFollowUp, match=where) as caught:
        followup_from_data(data, name="f.yaml", suppliers=names)
    assert expected in caught.value.message("en") and "f.yaml" in str(caught.value)


def test_a_second_assessment_of_the_same_risk_is_refused() -> None:
    entry = {"supplier": COBALT, "position": "HR01", "finding": "open", "method": "audit",
             "assessed_by": "A", "assessed_on": "2025-01-01"}  # fmt: skip
    with pytest.raises(InvalidLksgFollowUp, match=r"assessments\[2\]"):
        followup_from_data({"year": 2025, "assessments": [entry, entry]}, name="f.yaml")
