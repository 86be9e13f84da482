"""Stored questionnaires and responses analyse like the files they came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from kreislauf.errors import InvalidQuestionnaire, NotFound, SurveyClosed
from kreislauf.store import accounts, surveys
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.questionnaire import load_questionnaire
from kreislauf.survey.readers import read_responses

LEIPZIG = Path(__file__).resolve().parents[2] / "examples" / "leipzig-survey"


def _network(session: Session) -> int:
    user = accounts.create_user(session, email="n@example.org", name="N", password="x" * 12)
    return accounts.create_organisation(
        session, owner=user, slug="net", name="Net", kind="network"
    ).id


def test_imported_responses_give_the_file_analysis(session: Session) -> None:
    org = _network(session)
    record = surveys.create_questionnaire(
        session, organisation_id=org, path=LEIPZIG / "questionnaire.yaml"
    )
    raw = read_responses(LEIPZIG / "responses.csv")
    assert (
        surveys.import_responses(session, organisation_id=org, questionnaire_id=record.id, raw=raw)
        == 25
    )
    stored = surveys.submitted_responses(session, organisation_id=org, questionnaire=record)
    spec = load_questionnaire(LEIPZIG / "questionnaire.yaml")
    a = analyze_responses(stored, spec, AnalysisOptions())
    b = analyze_responses(raw, spec, AnalysisOptions())
    assert a.n_responses == b.n_responses == 25
    for mine, theirs in zip(a.items, b.items, strict=True):
        assert mine.id == theirs.id
        if theirs.descriptives is not None:
            assert mine.descriptives is not None
            assert mine.descriptives.mean == pytest.approx(theirs.descriptives.mean)
            assert mine.descriptives.valid == theirs.descriptives.valid


def test_invalid_questionnaire_is_refused(session: Session, tmp_path: Path) -> None:
    org = _network(session)
    bad = tmp_path / "q.yaml"
    bad.write_text("items:\n  - id: a\n    kind: stars\n", encoding="utf-8")
    with pytest.raises(InvalidQuestionnaire, match=r"q\.yaml"):
        surveys.create_questionnaire(session, organisation_id=org, path=bad)


def test_links_accept_answers_only_while_published(session: Session) -> None:
    org = _network(session)
    record = surveys.create_questionnaire(
        session, organisation_id=org, path=LEIPZIG / "questionnaire.yaml"
    )
    link, token = surveys.create_link(
        session, organisation_id=org, questionnaire_id=record.id, kind="anonymous"
    )
    with pytest.raises(SurveyClosed):
        surveys.link_for_token(session, token=token)
    surveys.set_status(session, organisation_id=org, questionnaire_id=record.id, status="published")
    assert surveys.link_for_token(session, token=token).id == link.id
    with pytest.raises(NotFound):
        surveys.link_for_token(session, token="not-a-token")


def test_save_and_resume_then_submit(session: Session) -> None:
    org = _network(session)
    record = surveys.create_questionnaire(
        session, organisation_id=org, path=LEIPZIG / "questionnaire.yaml"
    )
    surveys.set_status(session, organisation_id=org, questionnaire_id=record.id, status="published")
    link, _ = surveys.create_link(
        session, organisation_id=org, questionnaire_id=record.id, kind="anonymous"
    )
    first, code = surveys.save_response(
        session, link=link, answers={"umsetzung": "4"}, resume=None, submit=False
    )
    assert code is not None and first.status == "in_progress"
    assert surveys.find_response(session, link=link, resume=None) is None
    again, _ = surveys.save_response(
        session, link=link, answers={"umsetzung": "5"}, resume=code, submit=True
    )
    assert again.id == first.id and again.status == "submitted"
    with pytest.raises(SurveyClosed):
        surveys.save_response(session, link=link, answers={}, resume=code, submit=False)
