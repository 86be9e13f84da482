"""The respondent's form behind a token link: mobile-friendly, save and resume, submit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kreislauf.errors import IncompleteResponse, KreislaufError
from kreislauf.store import survey as survey_store
from kreislauf.web.deps import DB, LangDep, verify_csrf
from kreislauf.web.services.respond import clean_answers, form_fields, unanswered
from kreislauf.web.templating import render

router = APIRouter()


@router.get("/s/{token}")
def form(token: str, request: Request, db: DB, lang: LangDep, r: str | None = None) -> Response:
    link = survey_store.link_for_token(db, token=token)
    spec = survey_store.questionnaire_spec(link.questionnaire)
    response = survey_store.find_response(db, link=link, resume=r)
    return render(
        request, "respond.html", lang,
        token=token, title=(spec.title or {}).get(lang, link.questionnaire.title),
        fields=form_fields(spec, lang), answers=dict(response.answers) if response else {},
        status=response.status if response else None, resume=r, resume_url=None, error=None,
        invalid=set(), saved=False,
    )  # fmt: skip


async def _form(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


@router.post("/s/{token}", dependencies=[Depends(verify_csrf)])
def submit(
    token: str,
    request: Request,
    db: DB,
    lang: LangDep,
    data: Annotated[dict[str, str], Depends(_form)],
) -> Response:
    resume = str(data.get("resume") or "") or None
    action = str(data.get("action") or "save")
    submitted = {k[2:]: str(v) for k, v in data.items() if k.startswith("q_")}
    link = survey_store.link_for_token(db, token=token)
    spec = survey_store.questionnaire_spec(link.questionnaire)
    fields = form_fields(spec, lang)
    title = (spec.title or {}).get(lang, link.questionnaire.title)
    try:
        answers = clean_answers(fields, submitted, submit=action == "submit")
        response, code = survey_store.save_response(
            db, link=link, answers=answers, resume=resume, submit=action == "submit"
        )
    except KreislaufError as error:
        db.rollback()
        if isinstance(error, IncompleteResponse):  # mark every unanswered question
            invalid = {f.column for f in unanswered(fields, submitted)}
        else:
            invalid = {str(error.params["field"])} if "field" in error.params else set()
        return render(
            request, "respond.html", lang, status_code=error.http_status,
            token=token, title=title, fields=fields, answers=submitted, status=None,
            resume=resume, resume_url=_resume_url(request, token, resume),
            error=error.message(lang), invalid=invalid, saved=False,
        )  # fmt: skip
    resume = code or resume
    return render(
        request, "respond.html", lang,
        token=token, title=title, fields=fields, answers=answers, status=response.status,
        resume=resume, resume_url=_resume_url(request, token, resume), error=None,
        invalid=set(), saved=True,
    )  # fmt: skip


def _resume_url(request: Request, token: str, resume: str | None) -> str | None:
    """The absolute address to continue later (a respondent copies it into an e-mail)."""
    if not resume:
        return None
    return f"{str(request.base_url).rstrip('/')}/s/{token}?r={resume}"
