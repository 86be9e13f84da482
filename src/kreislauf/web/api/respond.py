"""The respondent's side: a questionnaire behind a token link, save and resume, submit.

No account is needed; the token of the link is the authority, and for anonymous links a
resume code (returned when answers are first saved) identifies one respondent's form.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kreislauf.store import survey as survey_store
from kreislauf.web.deps import DB, LangDep
from kreislauf.web.schemas.survey import AnswersIn, FormOut, RespondOut
from kreislauf.web.services.respond import clean_answers, form_fields

router = APIRouter(tags=["respond"])


@router.get("/respond/{token}", responses={409: {"description": "The survey is closed"}})
def get_form(
    token: str,
    db: DB,
    lang: LangDep,
    resume: Annotated[str | None, Query(max_length=200)] = None,
) -> FormOut:
    """The form of the link's questionnaire and the answers saved so far."""
    link = survey_store.link_for_token(db, token=token)
    spec = survey_store.questionnaire_spec(link.questionnaire)
    response = survey_store.find_response(db, link=link, resume=resume)
    return FormOut(
        title=(spec.title or {}).get(lang, link.questionnaire.title),
        fields=form_fields(spec, lang),
        answers=dict(response.answers) if response else {},
        status=response.status if response else None,
    )


@router.post("/respond/{token}", responses={409: {"description": "The survey is closed"}})
def save_answers(token: str, body: AnswersIn, db: DB, lang: LangDep) -> RespondOut:
    """Save answers (``submit: false``) or submit them; required items must be answered."""
    link = survey_store.link_for_token(db, token=token)
    fields = form_fields(survey_store.questionnaire_spec(link.questionnaire), lang)
    answers = clean_answers(fields, body.answers, submit=body.submit)
    response, code = survey_store.save_response(
        db, link=link, answers=answers, resume=body.resume, submit=body.submit
    )
    return RespondOut(status=response.status, resume=code or body.resume, answers=answers)
