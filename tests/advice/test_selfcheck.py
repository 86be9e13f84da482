"""Self-check against the Leipzig peer group (examples/leipzig-survey)."""

from pathlib import Path

import pytest

from kreislauf.advice.selfcheck import answers_from_text, read_answers, self_check
from kreislauf.errors import InvalidAnswers
from kreislauf.survey import AnalysisOptions, analyze_responses, read_questionnaire, read_responses

LEIPZIG = Path(__file__).parents[2] / "examples" / "leipzig-survey"


@pytest.fixture(scope="module")
def leipzig():
    spec = read_questionnaire(LEIPZIG / "questionnaire.yaml")
    peers = analyze_responses(
        read_responses(LEIPZIG / "responses.csv"), spec, AnalysisOptions(lang="en")
    )
    return spec, peers


def test_position_per_item_by_hand(leipzig):
    spec, peers = leipzig
    answers = read_answers(LEIPZIG / "company-answers.yaml", spec)
    result = self_check(peers, spec, answers, lang="en")
    item = next(i for i in result.items if i.item == "strategisches_ziel")
    # peers on the scale: 1:1, 2:1, 3:1, 4:8, 5:13 (n = 24; one answer 0 is off the scale)
    assert item.n_peers == 24
    assert item.lower_pct == pytest.approx(100 * 2 / 24)
    assert item.same_pct == pytest.approx(100 * 1 / 24)
    assert item.higher_pct == pytest.approx(100 * 21 / 24)
    assert item.percentile == pytest.approx(100 * (2 + 0.5) / 24)
    assert item.position == "below"
    # agreement share of the peers as the survey module reports it (base: 25 valid answers)
    assert item.peers_agree_pct == pytest.approx(84.0)
    assert item.peers_agree_low == pytest.approx(65.346, abs=1e-3)
    assert item.peers_agree_high == pytest.approx(93.597, abs=1e-3)
    assert any("n = 24" in note for note in item.notes)  # small-N note


def test_suggested_measures_by_code(leipzig):
    spec, peers = leipzig
    result = self_check(peers, spec, {"umsetzung": 2.0, "wettbewerbsdruck": 2.0}, lang="de")
    codes = [s.code for s in result.suggestions]
    assert codes == ["scrap_reduction", "compressed_air_leaks", "heat_recovery", "recyclate"]
    assert result.suggestions[0].name == "Ausschuss und Verschnitt senken"
    # a high answer suggests nothing
    assert self_check(peers, spec, {"umsetzung": 5.0}, lang="en").suggestions == []


def test_too_few_peers_gives_no_position(leipzig):
    spec, peers = leipzig
    few = peers.model_copy(
        update={
            "items": [
                i.model_copy(
                    update={
                        "frequencies": [
                            f.model_copy(update={"frequency": 1.0})
                            if f.value == 5.0
                            else f.model_copy(update={"frequency": 0.0})
                            for f in i.frequencies
                        ]
                    }
                )
                for i in peers.items
            ]
        }
    )
    item = self_check(few, spec, {"umsetzung": 3.0}, lang="en").items[0]
    assert item.n_peers == 1 and item.position is None and item.percentile is None
    assert "fewer than 5" in item.notes[0]


def test_answers_are_checked_against_the_questionnaire(leipzig):
    spec, _ = leipzig
    with pytest.raises(InvalidAnswers, match=r"answers\.umsetzen"):
        answers_from_text("answers: {umsetzen: 3}", spec, name="a.yaml")
    with pytest.raises(InvalidAnswers, match=r"answers\.umsetzung.*'7'.*1 to 5"):
        answers_from_text("answers: {umsetzung: 7}", spec, name="a.yaml")
    with pytest.raises(InvalidAnswers, match=r"answers\.alter"):
        answers_from_text("answers: {alter: 3}", spec, name="a.yaml")  # demographic
    with pytest.raises(InvalidAnswers, match=r"a\.yaml"):
        answers_from_text("- 1\n- 2\n", spec, name="a.yaml")
