"""Advice: funding per measure, the one-page summary, the self-check, the taxonomy and
rule table, and the Förderdatenbank import job."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response
from pydantic import BaseModel

from kreislauf.advice import RuleTable, Taxonomy, shipped_rules, taxonomy
from kreislauf.web.deps import DB, Editor, LangDep, Owner, RecordId, Viewer
from kreislauf.web.schemas.advice import (
    CompanyIn,
    CompanyProfileOut,
    FundingOut,
    SelfCheckIn,
    SelfCheckOut,
)
from kreislauf.web.schemas.jobs import JobPublic
from kreislauf.web.services.advice import (
    company_profile,
    funding_for,
    funding_import_job,
    save_company_profile,
    selfcheck_body,
    summary_pdf,
)

router = APIRouter(tags=["advice"])
MeasureId = Annotated[str, Path(min_length=1, max_length=100)]


@router.get("/advice/taxonomy")
def measure_taxonomy() -> Taxonomy:
    """The measure taxonomy: codes mapped to EEW modules, AGVO articles, VDI 4800 strategies."""
    return taxonomy()


@router.get("/advice/rules")
def funding_rules() -> RuleTable:
    """The shipped funding rule table, every row with its sources and check status."""
    return shipped_rules()


#: The body is JSON validated by the service after the organisation's data were found
#: (``services.advice.validated``); the schema is documented here.
def _body(schema: type[BaseModel]) -> dict[str, Any]:
    content = {"application/json": {"schema": schema.model_json_schema()}}
    return {"requestBody": {"required": True, "content": content}}


_COMPANY = _body(CompanyIn)
_ANSWERS = _body(SelfCheckIn)
Json = Annotated[dict[str, Any], Body()]


@router.get("/orgs/{org}/advice/company")
def stored_company(access: Viewer, db: DB) -> CompanyProfileOut:
    """The stored company profile (employees, turnover, balance sheet, Land, NACE, …, and
    per-measure facts) the funding page fills in; ``stored: false`` before the first save."""
    return company_profile(db, access)


@router.put("/orgs/{org}/advice/company", openapi_extra=_COMPANY)
def store_company(access: Editor, db: DB, company: Json) -> CompanyProfileOut:
    """Store the company profile (the company file's fields, ``CompanyIn``), replacing the
    stored one; a field left out is stored as unknown. 422 naming the field, nothing stored."""
    return save_company_profile(db, access, company)


@router.post("/orgs/{org}/advice/funding", openapi_extra=_COMPANY)
def funding(access: Viewer, db: DB, lang: LangDep, company: Json) -> FundingOut:
    """Each stored measure × each programme: status, reasons, next question, estimate.

    Body: the company file's fields (``CompanyIn``). Needs the organisation's ledger and
    measures file (404 otherwise).
    """
    return funding_for(db, access, company, lang)


@router.post(
    "/orgs/{org}/advice/funding/{measure}/summary.pdf",
    response_class=Response,
    openapi_extra=_COMPANY,
)
def funding_summary_pdf(
    measure: MeasureId, access: Viewer, db: DB, lang: LangDep, company: Json
) -> Response:
    """The printable one-page funding summary of one measure (PDF)."""
    pdf = summary_pdf(funding_for(db, access, company, lang), measure, lang)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="funding-{measure[:40]}.pdf"'},
    )


@router.post("/orgs/{org}/advice/selfcheck/{questionnaire_id}", openapi_extra=_ANSWERS)
def selfcheck(
    questionnaire_id: RecordId, access: Viewer, db: DB, lang: LangDep, body: Json
) -> SelfCheckOut:
    """A company's answers (``{"answers": {item: point}}``) against the questionnaire's
    responses (the peer group)."""
    return selfcheck_body(db, access, questionnaire_id, body, lang)


@router.post("/orgs/{org}/advice/funding-import-jobs", status_code=202)
def start_funding_import(request: Request, access: Owner, db: DB, lang: LangDep) -> JobPublic:
    """Import the configured Förderdatenbank export in the background (its result: the
    changes against the previous export, JSON)."""
    return JobPublic.model_validate(funding_import_job(request, db, access, lang))
