"""Stored questionnaires and responses analyse like the files they came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from kreislauf.errors import InvalidQuestionnaire, NotFound, SurveyClosed
from kreislauf.store import account as account_store
from kreislauf.store import survey as survey_store
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.questionnaire import read_questionnaire
from kreislauf.survey.readers import read_responses

LEIPZIG = Path(__file__).resolve().parents[2] / "examples" / "leipzig-survey"


def _network(session: Session) -> int:
    user = account_store.create_user(session, email="n@example.org", name="N", password="x" * 12)
    return account_store.create_organisation(
        session, owner=user, slug="net", name="Net", kind="network"
    ).id


def test_imported_responses_give_the_file_analysis(session: Session) -> None:
    org = _network(session)
    record = survey_store.create_questionnaire(
        session, organisation_id=org, path=LEIPZIG / "questionnaire.yaml"
    )
    raw = read_responses(LEIPZIG / "responses.csv")
    assert (
        survey_store.import_responses(
            session, organisation_id=org, questionnaire_id=record.id, raw=raw
        )
        == 25
    )
    stored = survey_store.submitted_responses(session, organisation_id=org, questionnaire=record)
    spec = read_questionnaire(LEIPZIG / "questionnaire.yaml")
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
        survey_store.create_questionnaire(session, organisation_id=org, path=bad)


def test_links_accept_answers_only_while_published(session: Session) -> None:
    org = _network(session)
    record = survey_store.create_questionnaire(
        session, organisation_id=org, path=LEIPZIG / "questionnaire.yaml"
    )
    link, token = survey_store.create_link(
        session, organisation_id=org, questionnaire_id=record.id, kind="anonymous"
    )
    with pytest.raises(SurveyClosed):
        survey_store.link_for_token(session, token=token)
    survey_store.set_status(
        session, organisation_id=org, questionnaire_id=record.id, status="published"
    )
    assert survey_store.link_for_token(session, token=token).id == link.id
    with pytest.raises(NotFound):
        survey_store.link_for_token(session, token="not-a-token")


def test_save_and_resume_then_submit(session: Session) -> None:
    org = _network(session)
    record = survey_store.create_questionnaire(
        session, organisation_id=org, path=LEIPZIG / "questionnaire.yaml"
    )
    survey_store.set_status(
        session, organisation_id=org, questionnaire_id=record.id, status="published"
    )
    link, _ = survey_store.create_link(
        session, organisation_id=org, questionnaire_id=record.id, kind="anonymous"
    )
    first, code = survey_store.save_response(
        session, link=link, answers={"umsetzung": "4"}, resume=None, submit=False
    )
    assert code is not None and first.status == "in_progress"
    assert survey_store.find_response(session, link=link, resume=None) is None
    again, _ = survey_store.save_response(
        session, link=link, answers={"umsetzung": "5"}, resume=code, submit=True
    )
    assert again.id == first.id and again.status == "submitted"
    with pytest.raises(SurveyClosed):
        survey_store.save_response(session, link=link, answers={}, resume=code, submit=False)


def test_analysis_settings_are_stored_per_questionnaire_and_tenant(session: Session) -> None:
    org = _network(session)
    record = survey_store.create_questionnaire(
        session, organisation_id=org, path=LEIPZIG / "questionnaire.yaml"
    )
    where = {"organisation_id": org, "questionnaire_id": record.id}
    assert survey_store.analysis_settings(session, **where) is None
    survey_store.save_analysis_settings(
        session, **where, missing_codes=["0"], scale=(1, 5), kinds={"umsetzung": "numeric"}
    )
    survey_store.save_analysis_settings(
        session, **where, missing_codes=["0", "99"], scale=None, kinds={}
    )
    stored = survey_store.analysis_settings(session, **where)
    assert stored is not None
    assert (stored.missing_codes, stored.scale_min, stored.scale_max, stored.kinds) == (
        ["0", "99"],
        None,
        None,
        {},
    )
    other = account_store.create_organisation(
        session,
        owner=account_store.create_user(
            session, email="o@example.org", name="O", password="x" * 12
        ),
        slug="other",
        name="Other",
        kind="network",
    ).id
    assert (
        survey_store.analysis_settings(session, organisation_id=other, questionnaire_id=record.id)
        is None
    )
    with pytest.raises(NotFound):
        survey_store.save_analysis_settings(
            session, organisation_id=other, questionnaire_id=record.id,
            missing_codes=[], scale=None, kinds={},
        )  # fmt: skip
