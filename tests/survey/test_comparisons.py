"""Group comparisons agree with scipy and flag small groups."""

from __future__ import annotations

import pytest
from scipy import stats

from kreislauf.survey.comparisons import compare_groups
from kreislauf.survey.items import parse_scale, prepare_survey
from kreislauf.survey.questionnaire import ItemSpec, Questionnaire
from tests.survey.conftest import raw_from

ITEMS = Questionnaire(items=[ItemSpec(id="q"), ItemSpec(id="g", kind="categorical")])


def _prepared(q: list[str], g: list[str]):
    survey = prepare_survey(raw_from({"q": q, "g": g}), ITEMS, scale=parse_scale("1-5"))
    return survey.item("q"), survey.item("g")


def test_two_groups_mann_whitney_with_rank_biserial() -> None:
    a, b = ["1", "2", "2", "3", "3", "4"], ["3", "4", "4", "5", "5", "5"]
    item, by = _prepared(a + b, ["x"] * 6 + ["y"] * 6)
    result = compare_groups(item, by, lang="en")
    expected = stats.mannwhitneyu([float(v) for v in a], [float(v) for v in b])
    assert result.test == "mann-whitney"
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.effect == pytest.approx(2 * expected.statistic / 36 - 1)
    assert result.small_n is False
    assert [g.n for g in result.groups] == [6, 6]


def test_three_groups_kruskal_with_epsilon_squared_and_small_n() -> None:
    values = ["1", "2", "3", "3", "4", "5", "5", "4", "2"]
    item, by = _prepared(values, ["a", "a", "a", "b", "b", "b", "c", "c", "c"])
    result = compare_groups(item, by, lang="en")
    h = stats.kruskal([1.0, 2, 3], [3.0, 4, 5], [5.0, 4, 2])
    assert result.test == "kruskal-wallis"
    assert result.statistic == pytest.approx(h.statistic)
    assert result.effect == pytest.approx(h.statistic / 8)
    assert result.small_n is True
    assert "fewer than 5" in result.note


def test_single_group_cannot_be_compared() -> None:
    item, by = _prepared(["1", "2", "3"], [">250", ">250", ""])
    result = compare_groups(item, by, lang="de")
    assert result.test == "none"
    assert result.p_value is None
    assert "alle 2 Antworten stammen aus einer Gruppe ('>250')" in result.note
