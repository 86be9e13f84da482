"""Pages of advice: the self-check against a network's survey and the funding page with a
printable one-page summary per measure."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from kreislauf.advice.questions import MEASURE_QUESTIONS
from kreislauf.errors import InvalidField, KreislaufError, PermissionDenied
from kreislauf.numbers import parse_number
from kreislauf.store import survey as survey_store
from kreislauf.store.advice import PROFILE_FIELDS
from kreislauf.web.deps import DB, LangDep, RecordId, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.schemas.advice import CompanyIn, CompanyProfileOut
from kreislauf.web.security import SVG_CSP
from kreislauf.web.services import advice
from kreislauf.web.services import carbon as carbon_service
from kreislauf.web.templating import render

router = APIRouter()


async def _form(request: Request) -> dict[str, str]:
    """The posted form's fields (read here so that the routes stay synchronous)."""
    return {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}


FormData = Annotated[dict[str, str], Depends(_form)]

MeasureId = Annotated[str, Path(min_length=1, max_length=100)]
#: yes/no answers of the company (a select each)
COMPANY_FACTS = ("energy_network_member",)
#: the company's other stored fields, typed in (the store's list is the one definition)
COMPANY_FIELDS = tuple(name for name in PROFILE_FIELDS if name not in COMPANY_FACTS)
#: per-measure figures [EUR]
NUMBER_FACTS = ("saving_concept_cost_eur", "saving_confirmation_cost_eur")
#: per-measure yes/no answers: the finder's other questions (its list is the one definition)
FACTS = tuple(name for name in MEASURE_QUESTIONS if name not in NUMBER_FACTS)
NUMBERS = ("employees", "turnover_eur", "balance_sheet_eur", "de_minimis_received_eur")


@router.get("/orgs/{org}/advice/selfcheck")
def selfcheck_list(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    """The organisation's questionnaires a company can check itself against."""
    items = survey_store.questionnaires(db, organisation_id=access.organisation_id)
    return render(request, "advice_selfcheck.html", lang, access=access, surveys=items, items=None)


def _selfcheck(
    request: Request, access: Viewer, db: DB, lang: LangDep, questionnaire_id: int, **extra: Any
) -> Response:
    status = int(extra.pop("status", 200))
    items = advice.likert_items(db, access, questionnaire_id, lang)
    context: dict[str, Any] = {
        "access": access, "surveys": None, "items": items, "questionnaire_id": questionnaire_id,
        "result": None, "answers": {}, "error": None, "problems": [],
    }  # fmt: skip
    return render(request, "advice_selfcheck.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/advice/selfcheck/{questionnaire_id}")
def selfcheck_form(
    request: Request, questionnaire_id: RecordId, access: Viewer, db: DB, lang: LangDep
) -> Response:
    return _selfcheck(request, access, db, lang, questionnaire_id)


@router.post("/orgs/{org}/advice/selfcheck/{questionnaire_id}")
def selfcheck_submit(
    request: Request,
    questionnaire_id: RecordId,
    access: Viewer,
    db: DB,
    lang: LangDep,
    form: FormData,
) -> Response:
    """The company's answers against the peer group: position, shares, suggested measures."""
    answers = {k.removeprefix("q_"): v for k, v in form.items() if k.startswith("q_") and v}
    try:
        result = advice.selfcheck_for(db, access, questionnaire_id, answers, lang)
    except KreislaufError as error:
        return _selfcheck(
            request, access, db, lang, questionnaire_id, status=error.http_status,
            answers=answers, error=error.message(lang), problems=error_entries(error, lang),
        )  # fmt: skip
    return _selfcheck(request, access, db, lang, questionnaire_id, result=result, answers=answers)


def _measures(db: DB, access: Viewer) -> list[Any]:
    try:
        carbon = carbon_service.carbon_result(db, access)
    except KreislaufError:
        return []
    return [m.measure for m in carbon.measures.measures] if carbon.measures else []


def _company(form: dict[str, str]) -> CompanyIn:
    """The company's figures from the form (empty fields: unknown)."""
    data: dict[str, Any] = {k: form.get(k) or None for k in COMPANY_FIELDS}
    for key in NUMBERS:
        if data[key] is not None:
            # a German form: 14.500.000 or 9,8; what is no number the schema names
            with suppress(ValueError):
                data[key] = parse_number(data[key])
    for key in COMPANY_FACTS:
        answer = form.get(key)
        data[key] = {"yes": True, "no": False}.get(answer or "")
    facts: dict[str, dict[str, Any]] = {}
    for key, value in form.items():
        if "__" not in key or not value:
            continue
        measure, _, fact = key.partition("__")
        if fact in FACTS and value in ("yes", "no"):
            facts.setdefault(measure, {})[fact] = value == "yes"
        elif fact in NUMBER_FACTS:
            number: Any = value
            with suppress(ValueError):
                number = parse_number(value)
            facts.setdefault(measure, {})[fact] = number
    try:
        return CompanyIn.model_validate({**data, "measures": facts})
    except ValidationError as problems:
        first = problems.errors()[0]
        raise InvalidField(field=str(first["loc"][0]), value=str(first.get("input", "")),
                           expected=first["msg"]) from None  # fmt: skip


def _text(value: Any) -> str:
    """A stored value as the form shows it (numbers without a needless ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _stored_form(profile: CompanyProfileOut) -> dict[str, str]:
    """The stored profile as the form's fields."""
    company = profile.company
    form = {k: _text(getattr(company, k)) for k in PROFILE_FIELDS}
    for measure, facts in company.measures.items():
        for fact in (*FACTS, *NUMBER_FACTS):
            form[f"{measure}__{fact}"] = _text(getattr(facts, fact))
    return {k: v for k, v in form.items() if v}


def _funding(request: Request, access: Viewer, db: DB, lang: LangDep, **extra: Any) -> Response:
    status = int(extra.pop("status", 200))
    profile = advice.company_profile(db, access)
    measures = _measures(db, access)
    context = {"access": access, "measures": measures, "result": None,
               "questions": advice.measure_questions_for(measures),
               "form": _stored_form(profile), "profile": profile, "saved": False,
               "error": None, "problems": [], "breadth": None, "query": ""}  # fmt: skip
    return render(request, "advice_funding.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/advice/funding")
def funding_form(
    request: Request,
    access: Viewer,
    db: DB,
    lang: LangDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The funding form; with ``q``, the breadth search in the imported Förderdatenbank."""
    breadth = advice.programme_search(request, q.strip()) if q.strip() else None
    return _funding(request, access, db, lang, breadth=breadth, query=q)


@router.post("/orgs/{org}/advice/funding")
def funding_submit(
    request: Request, access: Viewer, db: DB, lang: LangDep, form: FormData
) -> Response:
    """Funding per stored measure for the company's figures; with ``save_profile=yes``
    (editors) the figures are stored and filled in next time."""
    values = {k: v for k, v in form.items() if k != "save_profile"}
    save = form.get("save_profile") == "yes"
    try:
        if save and not access.allows("editor"):
            raise PermissionDenied(organisation=access.organisation.slug)
        company = _company(form)
        result = advice.funding_for(db, access, company, lang)
        if save:
            advice.save_company_profile(db, access, company)
    except KreislaufError as error:
        db.rollback()
        return _funding(request, access, db, lang, status=error.http_status, form=values,
                        error=error.message(lang), problems=error_entries(error, lang))  # fmt: skip
    return _funding(request, access, db, lang, result=result, form=values, saved=save)


@router.post("/orgs/{org}/advice/funding/{measure}/summary")
def funding_summary(
    measure: MeasureId, access: Viewer, db: DB, lang: LangDep, form: FormData
) -> Response:
    """The printable one-page summary of one measure (self-contained HTML, print it)."""
    html = advice.summary_html(advice.funding_for(db, access, _company(form), lang), measure, lang)
    return Response(html, media_type="text/html", headers={"Content-Security-Policy": SVG_CSP})
