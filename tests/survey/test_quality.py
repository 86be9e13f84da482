"""Data-quality findings name item, value and count."""

from __future__ import annotations

from kreislauf.survey.items import parse_scale, prepare_survey
from kreislauf.survey.quality import quality_warnings, rule_checks, rule_warnings
from kreislauf.survey.questionnaire import ItemSpec, Questionnaire, RuleSpec
from tests.survey.conftest import raw_from


def _codes(warnings: list) -> list[tuple]:
    return [(w.code, w.item, w.value, w.count) for w in warnings]


def test_out_of_scale_constant_all_missing() -> None:
    raw = raw_from(
        {
            "q1": ["0", "4", "5", "", "4", "0"],
            "q2": ["3", "3", "3", "", "3", "3"],
        }
    )
    survey = prepare_survey(raw, scale=parse_scale("1-5"))
    found = quality_warnings(survey, lang="en")
    assert ("out_of_scale", "q1", 0.0, 2) in _codes(found)
    assert ("constant_item", "q2", 3.0, 5) in _codes(found)
    empty = next(w for w in found if w.code == "respondent_all_missing")
    assert (empty.count, empty.rows) == (1, [5])  # file row 5 = 4th data row
    out = next(w for w in found if w.code == "out_of_scale")
    assert "mean 2.600" in out.message and "would be 4.333" in out.message  # 13/5, 13/3
    assert out.rows == [2, 7]


def test_duplicate_answer_patterns() -> None:
    rows = [["1", "2", "3", "4", "5"], ["2", "2", "3", "4", "5"], ["1", "2", "3", "4", "5"]]
    raw = raw_from({f"q{k}": [r[k] for r in rows] for k in range(5)})
    found = quality_warnings(prepare_survey(raw, scale=parse_scale("1-5")), lang="en")
    duplicate = next(w for w in found if w.code == "duplicate_answers")
    assert duplicate.rows == [2, 4]


def test_rule_violated_and_held() -> None:
    raw = raw_from({"size": [">250", ">250", "", "10-49"]})
    q = Questionnaire(
        items=[ItemSpec(id="size", kind="categorical")],
        rules=[
            RuleSpec(
                id="kmu", item="size", claim="überwiegend KMU", values=["1-9", "10-49", "50-249"]
            )
        ],
    )
    survey = prepare_survey(raw, q)
    checks = rule_checks(survey, q.rules, lang="de")
    assert checks[0].holds is False
    assert checks[0].share == 100 / 3
    warning = rule_warnings(checks, lang="de")[0]
    assert warning.code == "rule_violated"
    assert "überwiegend KMU" in warning.message and "33,3\u00a0%" in warning.message
