"""SPSS files read as their authors declared them: string and nominal variables, measurement
levels, value labels, missing ranges, the respondent id and multiple-response sets.

Files: ``_write`` makes small ``.sav`` files with pyreadstat's writer (the declared types,
measures, labels and missing ranges below); ``data/pyreadstat/simple_alltypes.sav`` and
``sample.sav`` are pyreadstat's own test files (see ``data/pyreadstat/SOURCE.md``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.dataset import RawResponses
from kreislauf.survey.items import parse_scale
from kreislauf.survey.questionnaire import Questionnaire
from kreislauf.survey.readers import read_responses

PYREADSTAT = Path(__file__).parent / "data" / "pyreadstat"


def _write(tmp_path: Path) -> Path:
    """An ICPSR-like extract: Q25A is declared A2 and holds codes and a letter."""
    frame = pd.DataFrame(
        {
            "caseid": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "sex": [1.0, 2.0, 2.0, 1.0, 2.0, 1.0],
            "q1": [4.0, 5.0, 3.0, 9.0, 2.0, 4.0],
            "Q25A": ["1", "X", "2", "1", "", "X"],
        }
    )
    path = tmp_path / "icpsr_like.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Case id", "Sex of respondent", "Satisfied with work", "Region code"],
        variable_value_labels={
            "sex": {1: "MALES", 2: "FEMALES"},
            "q1": {1: "not at all", 5: "very", 9: "don't know"},
            "Q25A": {"1": "North", "2": "South", "X": "Abroad"},
        },
        missing_ranges={"q1": [{"lo": 8, "hi": 9}]},
        variable_measure={"caseid": "scale", "sex": "nominal", "q1": "ordinal", "Q25A": "nominal"},
        variable_display_width={"Q25A": 2},
    )
    return path


def test_declared_string_variable_is_categorical_not_a_number_error(tmp_path: Path) -> None:
    raw = read_responses(_write(tmp_path))
    assert raw.meta["Q25A"].string
    assert raw.meta["Q25A"].display_width == 2
    results = analyze_responses(raw, options=AnalysisOptions(scale=parse_scale("1-5")))
    region = results.item("Q25A")
    assert region.kind == "categorical"
    counts = {r.label: r.frequency for r in region.frequencies if r.kind == "valid"}
    assert counts == {"North": 2.0, "South": 1.0, "Abroad": 2.0}
    assert region.descriptives is not None and region.descriptives.missing == 1


def test_nominal_labelled_variable_is_never_likert(tmp_path: Path) -> None:
    results = analyze_responses(
        read_responses(_write(tmp_path)), options=AnalysisOptions(scale=parse_scale("1-5"))
    )
    sex = results.item("sex")
    assert sex.kind == "categorical" and sex.measure == "nominal"
    assert sex.shares is None
    assert [r.label for r in sex.frequencies if r.kind == "valid"] == ["MALES", "FEMALES"]
    q1 = results.item("q1")
    assert q1.kind == "likert" and q1.measure == "ordinal"
    # the declared missing range 8-9 holds the 9 ("don't know"): mean of 4, 5, 3, 2, 4
    assert q1.descriptives is not None and q1.descriptives.mean == pytest.approx(3.6)
    declared = [r for r in q1.frequencies if r.kind == "declared"]
    assert [(r.value, r.label, r.frequency) for r in declared] == [(9.0, "don't know", 1.0)]


def test_id_reported_and_questionnaire_overrides(tmp_path: Path) -> None:
    raw = read_responses(_write(tmp_path))
    results = analyze_responses(raw)
    assert (results.settings.id_column, results.settings.id_rule) == ("caseid", "name")
    assert "caseid" not in [i.id for i in results.items]
    spec = Questionnaire.model_validate({"items": [{"id": "sex", "kind": "numeric"}]})
    overridden = analyze_responses(raw, spec).item("sex")
    assert overridden.kind == "numeric"
    assert overridden.descriptives is not None and overridden.descriptives.mean == 1.5


def test_labelled_variable_is_never_the_id() -> None:
    """pyreadstat's simple_alltypes.sav: ``x`` (red/green/blue, missing 7, 8, 99) is unique
    in its six rows; sample.sav: ``mychar`` holds the unique letters a-e."""
    alltypes = analyze_responses(read_responses(PYREADSTAT / "simple_alltypes.sav"))
    assert alltypes.settings.id_column is None
    x = alltypes.item("x")
    assert x.kind == "categorical"
    assert [(r.label, r.frequency) for r in x.frequencies if r.kind == "valid"][:3] == [
        ("red", 1.0),
        ("green", 1.0),
        ("blue", 1.0),
    ]
    assert {r.value: r.frequency for r in x.frequencies if r.kind == "declared"} == {8.0: 1.0}
    sample = analyze_responses(read_responses(PYREADSTAT / "sample.sav"))
    assert sample.settings.id_column is None
    assert sample.item("mychar").kind == "categorical"
    # the ordinal myord keeps the file's code order: low, medium, high
    assert [r.label for r in sample.item("myord").frequencies if r.kind == "valid"] == [
        "low",
        "medium",
        "high",
    ]


def test_multiple_response_sets_match_a_hand_count() -> None:
    """simple_alltypes.sav declares ``$mymrset`` (dichotomy bool1-bool3, counted value 1)
    and ``$categorical_array`` (category set ca_subvar_1-3, codes a-d).

    Hand count from the cells: bool1 = 1, 1, 0, 0, ., 1 (3); bool2 = 1, 0, 1, 0, 1, 1 (4);
    bool3 all 0; row 4 has no 1 at all: 5 cases, 7 responses. Categories per row: (a a b),
    (a b c), (b c d), (b b b), (a b d), (b c d): a 4, b 8, c 3, d 3; 18 responses, 6 cases.
    """
    results = analyze_responses(read_responses(PYREADSTAT / "simple_alltypes.sav"))
    sets = {m.id: m for m in results.multiple}
    dichotomy = sets["mymrset"]
    assert dichotomy.label == "My multiple response set"
    assert (dichotomy.cases, dichotomy.missing_cases, dichotomy.responses) == (5.0, 1.0, 7.0)
    rows = [(r.label, r.count, r.percent_of_responses, r.percent_of_cases) for r in dichotomy.rows]
    assert rows == [
        ("Response #1", 3.0, pytest.approx(100 * 3 / 7), pytest.approx(60.0)),
        ("Response #2", 4.0, pytest.approx(100 * 4 / 7), pytest.approx(80.0)),
        ("Response #3", 0.0, 0.0, 0.0),
    ]
    category = sets["categorical_array"]
    assert [(r.value, r.count) for r in category.rows] == [
        ("a", 4.0),
        ("b", 8.0),
        ("c", 3.0),
        ("d", 3.0),
    ]
    assert (category.cases, category.responses) == (6.0, 18.0)
    assert category.rows[1].percent_of_cases == pytest.approx(100 * 8 / 6)
    # the members are the set, not unrelated items
    ids = [i.id for i in results.items]
    assert not {"bool1", "bool2", "bool3", "ca_subvar_1"} & set(ids)


def test_questionnaire_multiple_group_with_weights() -> None:
    frame = pd.DataFrame(
        {"a": ["1", "0", "1", None], "b": ["1", "1", "0", "0"], "w": ["2", "1", "1", "3"]}
    )
    raw = RawResponses(frame=frame, source="mr.csv")
    spec = Questionnaire.model_validate(
        {
            "weight_column": "w",
            "items": [{"id": "a", "text": "Bahn"}, {"id": "b", "text": "Rad"}],
            "multiple": [
                {"id": "weg", "text": "Arbeitsweg", "items": ["a", "b"], "counted_value": 1}
            ],
        }
    )
    table = analyze_responses(raw, spec).multiple[0]
    # weighted: a = 2 + 1 = 3, b = 2 + 1 = 3; cases with an answer 2 + 1 + 1 = 4, missing 3
    assert [(r.label, r.count) for r in table.rows] == [("Bahn", 3.0), ("Rad", 3.0)]
    assert (table.cases, table.missing_cases, table.responses) == (4.0, 3.0, 6.0)
    assert table.rows[0].percent_of_cases == pytest.approx(75.0)
