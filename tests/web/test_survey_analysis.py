"""The analysis page and API with declared settings; the respondent form's errors.

The Leipzig example's responses (examples/leipzig-survey, rebuilt from the seed report's
frequency tables) hold the code 0 on the 1-5 scale: "Stand der Umsetzung" has mean 2.92
with the four 0s counted as answers and 3.476 once 0 is declared missing.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from kreislauf.store import make_sessionmaker
from kreislauf.store import survey as survey_store
from kreislauf.survey.readers import read_responses
from tests.survey.conftest import EXAMPLE
from tests.web.web_helpers import Member, client_for


def _leipzig(app: FastAPI, member: Member) -> int:
    member.org("net", kind="network")
    qid = member.questionnaire("net", EXAMPLE / "questionnaire.yaml")
    record_org = member.client.get("/api/v1/orgs/net").json()
    with make_sessionmaker(app.state.engine)() as session, session.begin():
        survey_store.import_responses(
            session,
            organisation_id=int(record_org["id"]),
            questionnaire_id=qid,
            raw=read_responses(EXAMPLE / "responses.csv"),
        )
    return qid


def _mean(member: Member, qid: int, item: str = "umsetzung") -> float:
    result = member.client.get(f"/api/v1/orgs/net/questionnaires/{qid}/analysis").json()
    return float(next(i for i in result["items"] if i["id"] == item)["descriptives"]["mean"])


def test_missing_code_declared_on_the_page_changes_the_mean(app: FastAPI, member: Member) -> None:
    qid = _leipzig(app, member)
    page = member.client.get(f"/orgs/net/surveys/{qid}/analysis")
    assert page.status_code == 200
    assert "Stand der Umsetzung" in page.text and "2,92" in page.text
    assert "--missing" not in page.text  # no command-line flag on the web
    assert _mean(member, qid) == pytest.approx(2.92)
    saved = member.client.post(
        f"/orgs/net/surveys/{qid}/analysis/settings",
        data={"csrf_token": member.csrf, "missing": "0", "scale_min": "", "scale_max": ""},
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert 'value="0"' in saved.text  # the declared code is shown in the form
    assert "3,48" in saved.text
    assert _mean(member, qid) == pytest.approx(73 / 21)
    stored = member.client.get(f"/api/v1/orgs/net/questionnaires/{qid}/analysis-settings")
    assert stored.json() == {"missing_codes": ["0"], "scale": None, "kinds": {}}


def test_kinds_and_scale_by_api_and_bad_values(app: FastAPI, member: Member) -> None:
    qid = _leipzig(app, member)
    api = f"/api/v1/orgs/net/questionnaires/{qid}"
    put = member.client.put(
        f"{api}/analysis-settings",
        json={"missing_codes": ["0"], "scale": [1, 5], "kinds": {"umsetzung": "numeric"}},
    )
    assert put.status_code == 200, put.text
    result = member.client.get(f"{api}/analysis").json()
    item = next(i for i in result["items"] if i["id"] == "umsetzung")
    assert item["kind"] == "numeric" and item["shares"] is None
    unknown = member.client.put(f"{api}/analysis-settings", json={"kinds": {"nope": "likert"}})
    assert unknown.status_code == 422 and unknown.json()["field"] == "kinds"
    bad = member.client.post(
        f"/orgs/net/surveys/{qid}/analysis/settings",
        data={"csrf_token": member.csrf, "missing": "", "scale_min": "5", "scale_max": "1"},
    )
    assert bad.status_code == 422
    assert 'id="settings-error"' in bad.text and "5-1" in bad.text
    # nothing half-written: the earlier settings stay
    assert member.client.get(f"{api}/analysis-settings").json()["kinds"] == {"umsetzung": "numeric"}


def test_viewer_sees_no_settings_form_and_cannot_post(app: FastAPI, member: Member) -> None:
    qid = _leipzig(app, member)
    stranger = Member(app, "other@example.org")
    response = stranger.client.post(
        f"/orgs/net/surveys/{qid}/analysis/settings",
        data={"csrf_token": stranger.csrf, "missing": "0"},
    )
    assert response.status_code in (403, 404)


def test_respondent_form_names_questions_and_marks_every_unanswered(
    app: FastAPI, member: Member
) -> None:
    member.org("net", kind="network")
    qid = member.questionnaire("net", EXAMPLE / "questionnaire.yaml")
    api = f"/api/v1/orgs/net/questionnaires/{qid}"
    member.client.post(f"{api}/status", json={"status": "published"})
    token = member.client.post(f"{api}/links", json={"kind": "anonymous"}).json()["token"]
    respondent = client_for(app)
    form = respondent.get(f"/s/{token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf
    saved = respondent.post(
        f"/s/{token}",
        data={"csrf_token": csrf[1], "action": "save", "q_umsetzung": "4"},
    )
    link = re.search(r'id="resume-link" href="([^"]+)"', saved.text)
    assert link and link[1].startswith(f"http://testserver/s/{token}?r=")
    resume = link[1].split("?r=")[1]
    sent = respondent.post(
        f"/s/{token}",
        data={"csrf_token": csrf[1], "action": "submit", "q_umsetzung": "4", "resume": resume},
    )
    assert sent.status_code == 422
    error = re.search(r'id="form-error">([^<]+)<', sent.text)
    assert error and "6 Pflichtfrage(n)" in error[1]
    assert "Strategische Bedeutung" in error[1] or "strategisch" in error[1].lower()
    assert "strategisches_ziel" not in error[1]  # no internal id
    assert sent.text.count('aria-invalid="true"') == 6
    wrong = respondent.post(
        f"/s/{token}",
        data={"csrf_token": csrf[1], "action": "save", "q_umsetzung": "9", "resume": resume},
    )
    assert wrong.status_code == 422
    message = re.search(r'id="form-error">([^<]+)<', wrong.text)
    assert message and message[1].startswith("„Mein Unternehmen produziert bereits")
    assert "&#39;9&#39; ist keine zulässige Antwort" in message[1]
    assert "Feld" not in message[1]  # the column is not shown
