"""ESRS E5 data points equal the ledger figures of the year (demo ledger read with csv)."""

from __future__ import annotations

import pytest

from kreislauf.errors import InvalidReportingAnswers
from kreislauf.reporting import answers_from_data, read_answers
from kreislauf.reporting.e5 import E5Result, e5_datapoints, e5_definitions
from tests.reporting.conftest import ANSWERS, YEAR, Demo, ledger_rows, scaled


@pytest.fixture(scope="module")
def e5(demo: Demo) -> E5Result:
    return e5_datapoints(demo.ledger, year=YEAR, answers=read_answers(ANSWERS))


def _sum(flow: str, **match: str) -> float:
    return sum(
        scaled(r)
        for _, r in ledger_rows()
        if r["flow"] == flow and all(r[k] == v for k, v in match.items())
    )


def test_e5_4_inflows_equal_the_ledger(e5: E5Result) -> None:
    total = _sum("material_in")
    recycled = sum(
        scaled(r) * float(r["recycled_share"] or 0)
        for _, r in ledger_rows()
        if r["flow"] == "material_in"
    )
    assert e5.value("E5-4.31a") == pytest.approx(total, rel=1e-9)
    assert e5.value("E5-4.31c") == pytest.approx(recycled, rel=1e-9)
    assert e5.value("E5-4.31c-share") == pytest.approx(100 * recycled / total)


def test_e5_5_waste_equals_the_ledger_by_treatment(e5: E5Result) -> None:
    total = _sum("waste_out")
    recycling = _sum("waste_out", treatment="recycling")
    recovery = _sum("waste_out", treatment="energy_recovery")
    disposal = _sum("waste_out", treatment="disposal")
    assert recycling and recovery and disposal
    assert e5.value("E5-5.37a") == pytest.approx(total)
    assert e5.value("E5-5.37b") == pytest.approx(recycling + recovery)
    assert e5.value("E5-5.37b-ii") == pytest.approx(recycling)
    assert e5.value("E5-5.37b-iii") == pytest.approx(recovery)
    assert e5.value("E5-5.37c") == pytest.approx(disposal)
    assert e5.value("E5-5.37d") == pytest.approx(total - recycling)
    assert e5.value("E5-5.37d-share") == pytest.approx(100 * (total - recycling) / total)
    # hazardous = the oily sludge, code 12 01 18* in the answers; it goes to disposal
    sludge = _sum("waste_out", material="ölhaltiger Schlamm")
    assert e5.value("E5-5.39-hazardous") == pytest.approx(sludge)
    assert e5.value("E5-5.37c-hazardous") == pytest.approx(sludge)
    assert e5.value("E5-5.37c-non-hazardous") == pytest.approx(disposal - sludge)
    rows = {
        n for n, r in ledger_rows() if r["flow"] == "waste_out" and r["treatment"] == "recycling"
    }
    traced = {r for s in e5.points["E5-5.37b-ii"].sources for r in s.rows}
    assert traced == rows


def test_answers_fill_the_asked_points_and_the_rest_stays_open(e5: E5Result) -> None:
    landfill = e5.points["E5-5.37c-ii"]
    assert landfill.origin == "answered" and landfill.sources[0].field == "esrs_e5.E5-5.37c-ii"
    assert set(e5.open) == {"E5-4.31b", "E5-5.36a", "E5-5.36b", "E5-5.36c"}
    assert set(e5.points) | set(e5.open) == set(e5_definitions())


def test_every_e5_definition_has_paragraph_unit_rule_and_the_file_its_source() -> None:
    from importlib import resources

    for definition in e5_definitions().values():
        assert definition.paragraph and definition.method and definition.label_de
    head = resources.files("kreislauf.reporting").joinpath("data", "esrs-e5-set1-2023.csv")
    assert "Delegated Regulation (EU) 2023/2772" in head.read_text(encoding="utf-8")


def test_an_e5_answer_for_a_computed_point_is_refused() -> None:
    with pytest.raises(InvalidReportingAnswers, match=r"esrs_e5\.E5-5\.37a"):
        answers_from_data({"esrs_e5": {"E5-5.37a": 3}}, name="a.yaml")
    with pytest.raises(InvalidReportingAnswers, match="a number"):
        answers_from_data({"esrs_e5": {"E5-5.37c-ii": "viel"}}, name="a.yaml")
