"""Which columns become items, of what kind, and how cells are classified."""

from __future__ import annotations

import numpy as np
import pytest

from kreislauf.errors import InvalidOption, NonNumericValue, UnknownColumn
from kreislauf.survey.items import (
    DECLARED,
    EMPTY,
    NOT_SHOWN,
    VALID,
    parse_scale,
    prepare_survey,
)
from kreislauf.survey.questionnaire import ItemSpec, Questionnaire
from tests.survey.conftest import raw_from


def test_inference_without_questionnaire() -> None:
    raw = raw_from(
        {
            "lfdn": ["101", "102", "103", "104"],
            "q1": ["1", "5", "4", ""],
            "umsatz": ["1,5", "2.000,25", "3", "4"],
            "branche": ["Metall", "Kunststoff", "Metall", "Elektro"],
        }
    )
    survey = prepare_survey(raw, scale=parse_scale("1-5"))
    assert survey.id_column == "lfdn"
    kinds = {i.id: i.kind for i in survey.items}
    assert kinds == {"q1": "likert", "umsatz": "numeric", "branche": "categorical"}
    assert survey.item("umsatz").values.tolist() == [1.5, 2000.25, 3.0, 4.0]
    assert survey.item("q1").missing_kind.tolist() == [VALID, VALID, VALID, EMPTY]


def test_numeric_column_off_the_scale_is_numeric() -> None:
    raw = raw_from({"id": ["a", "b", "c"], "jahre": ["12", "40", "7"], "q": ["1", "2", "3"]})
    kinds = {i.id: i.kind for i in prepare_survey(raw, scale=parse_scale("1-5")).items}
    assert kinds == {"jahre": "numeric", "q": "likert"}


def test_non_numeric_value_in_likert_column_names_row_and_column() -> None:
    raw = raw_from({"q1": ["1", "2", "3", "4", "4a", "5"]}, source="antworten.csv")
    with pytest.raises(NonNumericValue, match=r"antworten\.csv, row 6, column 'q1': '4a'"):
        prepare_survey(raw, scale=parse_scale("1-5"))


def test_declared_text_code_is_missing_not_an_error() -> None:
    raw = raw_from({"q1": ["1", "2", "k.A.", "4", "5"]})
    survey = prepare_survey(raw, scale=parse_scale("1-5"), missing_codes=["k.A."])
    item = survey.item("q1")
    assert item.kind == "likert"
    assert item.missing_kind.tolist() == [VALID, VALID, DECLARED, VALID, VALID]
    assert item.codes[2] == "k.A."


def test_missing_kinds_stay_apart() -> None:
    raw = raw_from({"q1": ["1", "99", None, None, "5"]})
    raw.not_shown["q1"] = np.array([False, False, True, False, False])
    item = prepare_survey(raw, scale=parse_scale("1-5"), missing_codes=[99]).item("q1")
    assert item.missing_kind.tolist() == [VALID, DECLARED, NOT_SHOWN, EMPTY, VALID]


def test_unknown_questionnaire_column_suggests_the_closest() -> None:
    raw = raw_from({"strategie": ["1"], "markt": ["2"]})
    q = Questionnaire(items=[ItemSpec(id="a", column="strategy")])
    with pytest.raises(UnknownColumn, match=r"fb\.yaml, field 'items\[0\]\.column'.*'strategie'"):
        prepare_survey(raw, q, questionnaire_name="fb.yaml")


@pytest.mark.parametrize("text", ["5-1", "1", "a-b", "1-"])
def test_bad_scale_option(text: str) -> None:
    with pytest.raises(InvalidOption, match="--scale"):
        parse_scale(text)


def test_weights_must_be_non_negative_numbers() -> None:
    raw = raw_from({"q": ["1", "2"], "w": ["1", "-2"]})
    with pytest.raises(NonNumericValue, match="row 3, column 'w'"):
        prepare_survey(raw, weight_column="w")
